"""A figure's picture, caption and photo credit, read from its container (a `<figure>`,
lille.fr's `.figureContain`, a `<p>` holding a picture and its credit).

A credit belongs to its figure, never to the body (SITE.md, "Article pages"), and lille.fr
writes it in several forms, all read here: an element of a credit class (`<span
class="copyright">`, markup.py's `figure_credit`), a line saying "Crédit : X" or "© X" (in a
`<p>`, as bare text, or after the caption on its line), or only a name under the picture.
The class names are data (site/markup.py); the rest is plain text reading."""

import re
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from lillenews.base.models import Block, Image
from lillenews.base.text import clean, clean_or_none, credit_of
from lillenews.base.urls import canonical_url
from lillenews.site.markup import GENERIC, LILLE

__all__ = [
    "FigureText",
    "add_body_pictures",
    "credits_to_pictures",
    "figure_text",
    "holds_a_credit",
    "looks_like_a_name",
    "read_figure",
]

CAPTION_CSS = ", ".join(c for c in ("figcaption", LILLE.figure_caption, GENERIC.figure_caption) if c)
CREDIT_CSS = ", ".join(c for c in (LILLE.figure_credit, GENERIC.figure_credit) if c)
# Elements that end a line of text inside a figure (like <br>).
_LINE_TAGS = frozenset({"p", "div", "figcaption", "li", "dd", "dt", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "button", "svg", "select"})
# "Le beffroi. Crédit : X", "Vue du beffroi © X": a credit after the caption, on its line.
_TRAILING_CREDIT = re.compile(r"(?i)^(?P<caption>.*?)[\s.,;—–-]*(?P<credit>(?:cr[ée]dits?(?:\s+photos?)?\s*:|©).*)$")
# Lower-case words a person's or an organisation's name may hold ("Ville de Lille").
_PARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "van", "von", "et", "/", "&", "-"})
# First words of a caption, never of a name ("Le beffroi", "La Grand-Place").
_ARTICLES = frozenset({"le", "la", "les", "l'", "l’", "un", "une", "des", "vue", "photo"})
_MAX_NAME = 60  # characters: a credit line, not a sentence
_MAX_TEXTS = 200  # text nodes read in one figure: a caption and a credit are short (hostile pages are not)


class FigureText(NamedTuple):
    caption: str | None
    credit: str | None


def read_figure(node: LexborNode, base: str) -> Image | None:
    """The figure's first picture with its alt text, caption and credit (None: no picture)."""
    img = node if node.tag == "img" else node.css_first("img[src]")
    src = canonical_url(img.attributes.get("src"), base) if img is not None else None
    if img is None or not src:
        return None
    caption, credit = figure_text(node)
    return Image(src, clean_or_none(img.attributes.get("alt")), caption, credit)


def figure_text(node: LexborNode) -> FigureText:
    """The caption and the credit written in a figure container, in any of the module's forms."""
    credit_ids = {n.mem_id for n in node.css(CREDIT_CSS) if n.mem_id != node.mem_id} if CREDIT_CSS else set()
    caption_ids = {n.mem_id for n in node.css(CAPTION_CSS) if n.mem_id != node.mem_id}
    lines = _lines(node, credit_ids, caption_ids)
    credit = next((credit_of(text) or text for role, text in lines if role == "credit"), None)
    captions: list[tuple[str, str]] = []
    for role, text in lines:
        if role == "credit":
            continue
        m = _TRAILING_CREDIT.match(text)
        who = credit_of(m["credit"]) if m else None
        if who is not None and m is not None:
            credit = credit or who
            text = clean(m["caption"])  # the caption before it, if any
        if text:
            captions.append((role, text))
    if credit is None:  # only a name under the picture, outside any caption element
        name = next((i for i, (role, text) in enumerate(captions) if role == "loose" and looks_like_a_name(text)), None)
        if name is not None:
            credit = captions.pop(name)[1].rstrip(". ")
    said = [t for role, t in captions if role == "caption"] or [t for _role, t in captions]
    return FigureText(clean_or_none(" ".join(said)), clean_or_none(credit))


def holds_a_credit(node: LexborNode) -> bool:
    """Whether a picture's paragraph (`<p><img>…</p>`) says nothing but the picture's credit."""
    said = figure_text(node)
    return said.caption is None and said.credit is not None


def looks_like_a_name(text: str) -> bool:
    """ "Thomas Lo Presti", "Ville de Lille", "J. Dupont / MEL": a short line of capitalised
    words (French particles allowed), not a sentence nor a caption starting with an article."""
    text = text.strip().rstrip(".")
    words = text.replace("/", " / ").split()
    if not 2 <= len(words) <= 8 or len(text) > _MAX_NAME or any(c in text for c in ':;!?«»"()'):
        return False
    if words[0].lower() in _ARTICLES or any(ch.isdigit() for ch in text):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    return len(capitalised) >= 2 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)


def add_body_pictures(blocks: list[Block], images: list[Image]) -> bool:
    """The body's pictures join the figures (a credit the body gives one of them too);
    whether any was added."""
    added = False
    for b in blocks:
        if b.kind != "image" or not b.url:
            continue
        n = next((i for i, img in enumerate(images) if img.url == b.url), None)
        if n is None:
            images.append(Image(b.url, b.alt, b.caption, b.credit))
            added = True
        elif b.credit and not images[n].credit:
            images[n] = images[n]._replace(credit=b.credit)
    return added


def credits_to_pictures(blocks: list[Block], figures: list[Image]) -> list[Block]:
    """Photo credit lines ("Crédit : X") leave the body: each goes to the picture before it
    in the body when that one has none, else to the first figure without a credit (else it
    is dropped)."""
    out: list[Block] = []
    last_image: int | None = None  # index in `out`
    for block in blocks:
        who = credit_of(block.text) if block.kind == "paragraph" else None
        if who is None:
            if block.kind == "image":
                last_image = len(out)
            out.append(block)
            continue
        if last_image is not None and not out[last_image].credit:
            out[last_image] = out[last_image]._replace(credit=who)
            continue
        n = next((i for i, img in enumerate(figures) if not img.credit), None)
        if n is not None:
            figures[n] = figures[n]._replace(credit=who)
    return out


def _lines(fig: LexborNode, credit_ids: set[int], caption_ids: set[int]) -> list[tuple[str, str]]:
    """(role, text) of each line of the figure: "credit" (inside a credit element), "caption"
    (inside a caption element) or "loose". A line ends at <br>, at the end of a block element
    and where the role changes."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    key: tuple[int, str] | None = None

    def flush() -> None:
        text = clean(" ".join(current))
        if text and key is not None:
            out.append((key[1], text))
        current.clear()

    texts = 0
    for node in fig.traverse(include_text=True):
        if node.tag == "br":
            flush()
            continue
        if node.tag != "-text":
            continue
        texts += 1
        if texts > _MAX_TEXTS:
            break
        place = _place(node, fig, credit_ids, caption_ids)
        if place is None:
            continue
        if place != key:
            flush()
            key = place
        current.append(node.text_content or "")
    flush()
    return out


def _place(text: LexborNode, fig: LexborNode, credit_ids: set[int], caption_ids: set[int]) -> tuple[int, str] | None:
    """(the element holding the text's line, its role); None for text that is never shown."""
    container: int | None = None
    role = ""
    parent = text.parent
    while parent is not None and parent.mem_id != fig.mem_id:
        if parent.tag in _NOT_TEXT:
            return None
        if not role and parent.mem_id in credit_ids:
            role = "credit"
        elif not role and parent.mem_id in caption_ids:
            role = "caption"
        if container is None and (parent.tag in _LINE_TAGS or parent.mem_id in credit_ids):
            container = parent.mem_id
        parent = parent.parent
    return (container if container is not None else fig.mem_id), (role or "loose")
