"""Renderer tests against fixed-width Rich consoles (no terminal needed).

Plain console: Console(file=StringIO(), width=80, color_system=None), as a pipe.
Terminal console: color_system="truecolor", force_terminal=True, where links become
OSC 8 hyperlinks (ESC ] 8 ; params ; URL ESC \\)."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from lillenews.base.models import Article, Block, DateRange, Headline, Image, Inline, Numbered, Related
from lillenews.views import jsonout, markdown
from lillenews.views.model import article_view, headline_row
from lillenews.views.rich_news import article_group, listing_table

OSC8_TARGET = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]+)\x1b\\")  # opening sequences only
SGR = re.compile(r"\x1b\[[0-9;]*m")
HOSTILE_TITLE = "[bold red]x[/bold red] et [link=https://evil.example]y[/link]"


def plain_console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None)


def term_console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)


def article_markdown(article: Article) -> str:
    return markdown.article_markdown(article_view(article))


def article_dict(article: Article, number: int | None) -> dict:
    return jsonout.article_dict(article_view(article, number))


def headline_dict(item: Numbered) -> dict:
    return jsonout.headline_dict(headline_row(item))


def rows(items: list[Numbered]) -> list:
    return [headline_row(item) for item in items]


def render(renderable, console: Console) -> str:
    console.print(renderable)
    return console.file.getvalue()


def render_article(article: Article, number: int | None = None, terminal: bool = False, width: int = 80) -> str:
    console = term_console(width) if terminal else plain_console(width)
    return render(article_group(article_view(article, number), hyperlinks=console.is_terminal), console)


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- sample data
SMALL = Article(
    url="https://www.lille.fr/Actualites/Essai",
    title="Essai : *un* titre",
    dates=DateRange.from_iso("2021-03-01", None),
    category="Culture",
    lead="Le chapô.",
    blocks=(
        Block("heading", inlines=(Inline("Première partie"),), level=2),
        Block(
            "paragraph",
            inlines=(
                Inline("Voir "),
                Inline("le site", href="https://example.org/a"),
                Inline(" et "),
                Inline("ceci", href="javascript:alert(1)"),
                Inline("."),
            ),
        ),
        Block("list", items=((Inline("un"),), (Inline("deux", strong=True),))),
        Block("list", ordered=True, items=((Inline("premier"),), (Inline("second"),))),
        Block("table", rows=(("Âge", "Classe"), ("3 ans", "PS")), header=True),
        Block("quote", inlines=(Inline("Une citation."),)),
        Block("image", url="https://www.lille.fr/classe.jpg", alt="Enfants", caption="Une classe"),
    ),
    images=(Image("https://www.lille.fr/classe.jpg", "Enfants", "Une classe"),),
    related=(
        Related("Autre actu", "https://www.lille.fr/Actualites/Autre", "Résumé."),
        Related("Sans résumé", "https://www.lille.fr/Actualites/Sans"),
    ),
)

SMALL_MARKDOWN = """\
# Essai : \\*un\\* titre

*1er mars 2021 · Culture*

**Le chapô.**

## Première partie

Voir [le site](<https://example.org/a>) et ceci.

- un
- **deux**

1. premier
2. second

| Âge | Classe |
|---|---|
| 3 ans | PS |

> Une citation.

![Enfants](<https://www.lille.fr/classe.jpg>)
*Une classe*

## Lire aussi

- [Autre actu](<https://www.lille.fr/Actualites/Autre>) — Résumé.
- [Sans résumé](<https://www.lille.fr/Actualites/Sans>)

Source : <https://www.lille.fr/Actualites/Essai>
"""


def linked_article(href: str, text: str = "le lien") -> Article:
    return Article(
        url="https://www.lille.fr/Actualites/Liens",
        title="Liens",
        blocks=(Block("paragraph", inlines=(Inline("Voir "), Inline(text, href=href), Inline(" ici."))),),
    )


def numbered(n: int, title: str, summary: str | None = "Un résumé qui explique l'actualité.", **kw) -> Numbered:
    return Numbered(
        n,
        Headline(
            url=f"https://www.lille.fr/Actualites/N{n}",
            title=title,
            dates=DateRange.from_iso("2021-02-08", None),
            category="Sécurité",
            summary=summary,
        ),
        **kw,
    )


# ---------------------------------------------------------------- links
def test_http_link_is_an_osc8_hyperlink_on_a_terminal():
    out = render_article(linked_article("https://example.org/page"), terminal=True)
    assert "\x1b]8;" in out
    assert "https://example.org/page" in OSC8_TARGET.findall(out)
    # The link text is what shows, not the URL in brackets.
    visible = SGR.sub("", OSC8_TARGET.sub("", out.replace("\x1b]8;;\x1b\\", "")))
    assert "Voir le lien ici." in visible
    assert "<https://example.org/page>" not in visible


def test_non_terminal_shows_the_url_after_the_link_text():
    out = render_article(linked_article("https://example.org/page"))
    assert "\x1b" not in out
    assert "Voir le lien <https://example.org/page> ici." in lines_of(out)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,xx",
        "https://evil.example/\x1b]8;;x",
        "vbscript:msgbox(1)",
    ],
)
def test_unsafe_links_are_never_hyperlinks(href):
    term = render_article(linked_article(href), terminal=True)
    targets = OSC8_TARGET.findall(term)
    assert targets == ["https://www.lille.fr/Actualites/Liens"]  # only the article's own URL
    pipe = render_article(linked_article(href))
    for out in (term, pipe):
        assert "javascript" not in out.lower()
        assert "data:text" not in out
        assert "vbscript" not in out
        assert "evil.example" not in out
    assert "Voir le lien ici." in lines_of(pipe)


def test_related_and_source_links():
    pipe = lines_of(render_article(SMALL))
    assert "• Autre actu <https://www.lille.fr/Actualites/Autre>" in pipe
    assert "  Résumé." in pipe
    assert "• Sans résumé <https://www.lille.fr/Actualites/Sans>" in pipe
    assert pipe[-1] == "https://www.lille.fr/Actualites/Essai"
    term = render_article(SMALL, terminal=True)
    targets = OSC8_TARGET.findall(term)
    assert "https://www.lille.fr/Actualites/Autre" in targets
    assert "https://www.lille.fr/Actualites/Sans" in targets
    assert "https://www.lille.fr/Actualites/Essai" in targets
    assert "https://www.lille.fr/classe.jpg" in targets  # the image's alt text links to it


# ---------------------------------------------------------------- article view
def test_article_view_structure():
    out = render_article(SMALL, number=3)
    lines = lines_of(out)
    assert lines[0] == "3. Essai : *un* titre"
    assert lines[1] == "1er mars 2021 · Culture"
    assert "┃ Le chapô." in lines
    assert "Première partie" in lines
    assert "Voir le site <https://example.org/a> et ceci." in lines
    assert "  • un" in lines and "  • deux" in lines
    assert "  1. premier" in lines and "  2. second" in lines
    assert "▌ Une citation." in lines
    assert "Image: Enfants — Une classe" in lines  # alt text and caption
    assert any(re.search(r"Âge\s+┃\s+Classe", line) for line in lines)
    assert any(re.search(r"3 ans\s+│\s+PS", line) for line in lines)
    assert any(line.startswith("Lire aussi ─") for line in lines)
    # Order: lead, body, related, source.
    order = [
        out.index(x)
        for x in (
            "Le chapô.",
            "Première partie",
            "premier",
            "Une citation.",
            "Lire aussi",
            "Autre actu",
            "https://www.lille.fr/Actualites/Essai\n",
        )
    ]
    assert order == sorted(order)


def test_article_view_wraps_at_the_console_width():
    long = Article(
        url="https://www.lille.fr/Actualites/L", title="T", blocks=(Block("paragraph", inlines=(Inline("mot " * 60),)),)
    )
    out = render_article(long, width=40)
    assert max(len(line) for line in lines_of(out)) <= 40
    assert flat(out).count("mot") == 60


def test_markup_in_titles_and_text_is_printed_literally():
    article = Article(
        url="https://www.lille.fr/Actualites/H",
        title=HOSTILE_TITLE,
        category="[italic]Cat[/italic]",
        lead="[blink]chapô[/blink]",
        blocks=(
            Block("heading", inlines=(Inline("[red]Titre[/red]"),), level=2),
            Block("paragraph", inlines=(Inline("[link=https://evil.example]ici[/link] :smile: [/]"),)),
        ),
        related=(Related("[bold]Lié[/bold]", "https://www.lille.fr/Actualites/L"),),
    )
    pipe = render_article(article, number=1)
    lines = lines_of(pipe)
    assert lines[0] == f"1. {HOSTILE_TITLE}"
    assert lines[1] == "[italic]Cat[/italic]"
    for literal in (
        "[blink]chapô[/blink]",
        "[red]Titre[/red]",
        "[link=https://evil.example]ici[/link] :smile: [/]",
        "[bold]Lié[/bold]",
    ):
        assert literal in pipe
    term = render_article(article, number=1, terminal=True)
    assert "https://evil.example" not in OSC8_TARGET.findall(term)
    visible = SGR.sub("", OSC8_TARGET.sub("", term.replace("\x1b]8;;\x1b\\", "")))
    assert HOSTILE_TITLE in visible
    assert "[link=https://evil.example]ici[/link] :smile: [/]" in visible
    assert "\x1b[5m" not in term  # no blink from the site's "markup"


def test_control_characters_never_reach_the_console():
    dirty = "A\x1b[2JB\x07C\x1b]8;;https://evil.example\x07D\u202eE\u0085F\u009b31mG"
    article = Article(
        url="https://www.lille.fr/Actualites/X",
        title=dirty,
        lead=dirty,
        category=dirty,
        blocks=(Block("paragraph", inlines=(Inline(dirty),)),),
        related=(Related(dirty, "https://www.lille.fr/Actualites/Y", dirty),),
    )
    pipe = render_article(article)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", pipe)
    term = render_article(article, terminal=True)
    without_rich = OSC8_TARGET.sub("", SGR.sub("", term)).replace("\x1b]8;;\x1b\\", "")
    assert "\x1b" not in without_rich and "\x07" not in without_rich
    assert "https://evil.example" not in term
    for out in (article_markdown(article), str(article_dict(article, 1))):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)


# ---------------------------------------------------------------- listing
def test_listing_at_80_columns_has_no_summary():
    items = [
        numbered(1, "Sécurité : un titre", "Un résumé qui explique l'actualité."),
        numbered(2, "Deuxième titre", "Autre résumé."),
    ]
    out = render(listing_table(rows(items), 80), plain_console(80))
    assert "Un résumé" not in out and "Autre résumé" not in out
    lines = lines_of(out)
    assert re.match(r"^#\s+Date\s+Category\s+Title$", lines[0])
    assert re.match(r"^1\s+08/02/2021\s+Sécurité\s+Sécurité : un titre$", lines[1])
    assert re.match(r"^2\s+08/02/2021\s+Sécurité\s+Deuxième titre$", lines[2])
    assert len(lines) == 3
    assert max(len(line) for line in out.splitlines()) <= 80


def test_listing_at_120_columns_shows_summary_under_title():
    items = [
        numbered(1, "Sécurité : un titre", "Un résumé qui explique l'actualité."),
        numbered(2, "Sans résumé", None),
    ]
    out = render(listing_table(rows(items), 120), plain_console(120))
    lines = lines_of(out)
    i = next(k for k, line in enumerate(lines) if line.endswith("Sécurité : un titre"))
    assert lines[i + 1].strip() == "Un résumé qui explique l'actualité."
    assert lines[i + 1].index("Un résumé") == lines[i].index("Sécurité : un titre")
    assert lines[i + 2].endswith("Sans résumé") and lines[i + 2].lstrip().startswith("2 ")
    assert len(lines) == 4


def test_listing_prints_markup_literally():
    items = [numbered(1, HOSTILE_TITLE, "[blink]résumé[/blink]")]
    out = render(listing_table(rows(items), 120), plain_console(120))
    assert HOSTILE_TITLE in out
    assert "[blink]résumé[/blink]" in out
    term = render(listing_table(rows(items), 120), term_console(120))
    assert "\x1b]8;" not in term
    assert HOSTILE_TITLE in SGR.sub("", term)


def test_listing_highlights_search_matches():
    items = [numbered(1, "Sécurité : un titre", "La sécurité de tous.")]
    [row] = rows(items)
    row = row._replace(title_spans=((0, 8),), summary_spans=((3, 11),))
    term = render(listing_table([row], 120), term_console(120))
    # The matched words carry the reverse-video attribute (SGR 7), the rest not.
    assert re.search(r"\x1b\[[0-9;]*\b7\b[0-9;]*mSécurité\x1b\[0m", term)
    assert re.search(r"\x1b\[[0-9;]*\b7\b[0-9;]*msécurité\x1b\[0m", term)
    assert not re.search(r"\x1b\[[0-9;]*\b7\b[0-9;]*m[^\x1b]*un titre", term)


# ---------------------------------------------------------------- JSON and Markdown
def test_headline_dict_keys_and_values():
    item = Numbered(
        5,
        Headline(
            url="https://www.lille.fr/Actualites/A",
            title="Titre",
            dates=DateRange.from_iso("2021-02-08", None),
            category="Culture",
            summary="Résumé",
            image="https://www.lille.fr/i.png",
        ),
        read=True,
    )
    assert headline_dict(item) == {
        "number": 5,
        "title": "Titre",
        "url": "https://www.lille.fr/Actualites/A",
        "date": "2021-02-08",
        "date_end": None,
        "category": "Culture",
        "summary": "Résumé",
        "summary_truncated": False,
        "image": "https://www.lille.fr/i.png",
        "read": True,
        "quartiers": [],
    }
    assert list(headline_dict(item)) == [
        "number",
        "title",
        "url",
        "date",
        "date_end",
        "category",
        "summary",
        "summary_truncated",
        "image",
        "read",
        "quartiers",
    ]
    bare = Numbered(1, Headline(url="https://www.lille.fr/Actualites/B", title="B"))
    assert headline_dict(bare) == {
        "number": 1,
        "title": "B",
        "url": "https://www.lille.fr/Actualites/B",
        "date": None,
        "date_end": None,
        "category": None,
        "summary": None,
        "summary_truncated": False,
        "image": None,
        "read": False,
        "quartiers": [],
    }
    empty = Numbered(1, Headline(url="https://www.lille.fr/Actualites/C", title="C", category="", summary=""))
    assert headline_dict(empty)["category"] is None and headline_dict(empty)["summary"] is None


def test_article_markdown_exact():
    assert article_markdown(SMALL) == SMALL_MARKDOWN


def test_article_markdown_is_valid_commonmark():
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(SMALL_MARKDOWN)
    assert "<h1>Essai : *un* titre</h1>" in html
    assert '<a href="https://example.org/a">le site</a>' in html
    assert "<ul>\n<li>un</li>\n<li><strong>deux</strong></li>\n</ul>" in html
    assert "<ol>\n<li>premier</li>\n<li>second</li>\n</ol>" in html
    assert "<th>Âge</th>" in html and "<td>3 ans</td>" in html
    assert '<img src="https://www.lille.fr/classe.jpg" alt="Enfants" />' in html
    assert "javascript" not in html


@pytest.mark.parametrize(
    "text",
    [
        "# Pas un titre",
        "1. pas une liste",
        "12. non plus",
        "- pas une puce",
        "> pas une citation",
        "[x](y) <b>*gras*</b> `code` a_b_c | d",
    ],
)
def test_article_markdown_escapes_site_text(text):
    """Site text that looks like Markdown must come out as that same text, not as
    structure, and without stray backslashes."""
    from markdown_it import MarkdownIt

    article = Article(
        url="https://www.lille.fr/Actualites/M", title="Titre", blocks=(Block("paragraph", inlines=(Inline(text),)),)
    )
    md = article_markdown(article)
    assert md.startswith("# Titre\n\n") and md.endswith("\n\nSource : <https://www.lille.fr/Actualites/M>\n")
    html = MarkdownIt("commonmark").render(md.split("\n\n")[1])
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>\n"


def test_article_dict_exact():
    assert article_dict(SMALL, 7) == {
        "number": 7,
        "title": "Essai : *un* titre",
        "url": "https://www.lille.fr/Actualites/Essai",
        "date": "2021-03-01",
        "date_end": None,
        "category": "Culture",
        "lead": "Le chapô.",
        "lead_source": "page",
        "listing_summary": None,
        "text": (
            "Première partie\n\nVoir le site et ceci.\n\n- un\n\n- deux\n\n1. premier\n\n2. second\n\n"
            "Âge | Classe\n3 ans | PS\n\nUne citation."
        ),
        "markdown": SMALL_MARKDOWN,
        "images": [
            {"url": "https://www.lille.fr/classe.jpg", "alt": "Enfants", "caption": "Une classe", "credit": None}
        ],
        "related": [
            {"title": "Autre actu", "url": "https://www.lille.fr/Actualites/Autre", "summary": "Résumé."},
            {"title": "Sans résumé", "url": "https://www.lille.fr/Actualites/Sans", "summary": None},
        ],
        "quartiers": [],
    }
    assert list(article_dict(SMALL, None)) == [
        "number",
        "title",
        "url",
        "date",
        "date_end",
        "category",
        "lead",
        "lead_source",
        "listing_summary",
        "text",
        "markdown",
        "images",
        "related",
        "quartiers",
    ]
    bare = article_dict(Article(url="https://www.lille.fr/Actualites/B", title="B"), None)
    assert bare == {
        "number": None,
        "title": "B",
        "url": "https://www.lille.fr/Actualites/B",
        "date": None,
        "date_end": None,
        "category": None,
        "lead": None,
        "lead_source": None,
        "listing_summary": None,
        "text": "",
        "markdown": "# B\n\nSource : <https://www.lille.fr/Actualites/B>\n",
        "images": [],
        "related": [],
        "quartiers": [],
    }


def test_plain_text_never_cuts_a_long_address():
    """Piped, a link longer than the line stays whole on its line, so it can be copied."""
    from lillenews.views.model import article_view
    from lillenews.views.plain import article_text

    url = "https://www.lille.fr/Securite-et-tranquillite/Police-municipale/Les-missions-de-la-police"
    para = Block("paragraph", (Inline("Voir le site de la police municipale", href=url),))
    text = article_text(article_view(Article(url=url, title="T", blocks=(para,))), 40)
    assert f"<{url}>" in text.splitlines()
    assert all(len(line) <= 40 for line in text.splitlines() if url not in line)
