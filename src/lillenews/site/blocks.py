"""Site-independent HTML -> `Block`/`Inline` structure (selectolax/lexbor nodes in, models out).

Nothing here knows lille.fr: the parser (site/news.py) picks the body nodes with the markup
spec (site/markup.py) and hands them to `blocks()`; a figure's caption and credit are read by
site/figures.py, from the class names site/markup.py holds. Walks are loops where markup can nest
deeply, so a thousand nested wrappers need no recursion."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborNode

from lillenews.base.models import Block, Inline
from lillenews.base.text import clean, clean_or_none, strip_unsafe
from lillenews.base.urls import canonical_url
from lillenews.site.figures import holds_a_credit, read_figure

BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "img", "iframe", "pre", "dl"}
)
INLINE_TAGS = frozenset(
    [
        "a",
        "span",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "small",
        "sup",
        "sub",
        "abbr",
        "cite",
        "code",
        "br",
        "mark",
        "q",
        "time",
        "font",
        "s",
        "del",
        "ins",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "button",
        "form",
        "select",
        "input",
        "object",
        "video",
        "audio",
        "canvas",
        "map",
    ]
)
SKIP_CSS = ", ".join(sorted(SKIP_TAGS))
_BLOCK_CSS = ", ".join(sorted(BLOCK_TAGS))
_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_BREAK = re.compile(" ?\x00 ?")


def text_of(node: LexborNode | None) -> str:
    """The node's text, sanitised, whitespace collapsed ("" for None)."""
    return clean(node.text(separator=" ")) if node is not None else ""


def blocks(node: LexborNode, base: str) -> list[Block]:
    """The structure of the content under `node`; links made absolute against `base`."""
    return _blocks(node, base)


def _unwrap(node: LexborNode) -> LexborNode:
    """Skip a chain of wrappers holding nothing but one container each (a loop, so
    a thousand nested <div> need no recursion)."""
    while True:
        only = None
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                if (child.text_content or "").strip():
                    return node
            elif child.tag != "-comment":
                if only is not None:
                    return node
                only = child
        if only is None or only.tag in BLOCK_TAGS or only.tag in INLINE_TAGS or only.tag in SKIP_TAGS:
            return node
        node = only


def _blocks(node: LexborNode, base: str) -> list[Block]:
    node = _unwrap(node)
    out: list[Block] = []
    loose: list[LexborNode] = []  # inline content sitting directly in a container

    def flush() -> None:
        if loose:
            inlines = _inlines_of(loose, base)
            if inlines:
                out.append(Block("paragraph", inlines=inlines))
            loose.clear()

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            loose.append(child)
            continue
        if tag in ("-comment", "-undef") or tag in SKIP_TAGS:
            continue
        if tag in BLOCK_TAGS or (tag not in INLINE_TAGS):
            flush()
            out.extend(_block(child, base))
        else:
            if child.css_first(_BLOCK_CSS) is not None:
                flush()
                out.extend(_blocks(child, base))
            else:
                loose.append(child)
    flush()
    return out


def _block(node: LexborNode, base: str) -> list[Block]:
    tag = node.tag
    if tag in _TEXT_BLOCKS and next(node.iter(), None) is None:
        # No child element (the common case): lexbor gives the text, no inline walk.
        text = _collapse(node.text(deep=True))
        if not text:
            return []
        if tag == "p":
            return [Block("paragraph", inlines=(Inline(text),))]
        if tag == "blockquote":
            return [Block("quote", inlines=(Inline(text),))]
        return [Block("heading", inlines=(Inline(text),), level=max(2, int(tag[1])))]
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        inlines = _inlines_of([node], base)
        return [Block("heading", inlines=inlines, level=max(2, int(tag[1])))] if inlines else []
    if tag == "p":
        if node.css_first("img") is not None and not text_of(node):
            return [b for img in node.css("img") for b in _block(img, base)]
        if node.css_first("img[src]") is not None and holds_a_credit(node):  # a picture and its credit
            return _figure(node, base)
        if node.css_first("iframe") is not None:
            return _blocks(node, base)
        inlines = _inlines_of([node], base)
        return [Block("paragraph", inlines=inlines)] if inlines else []
    if tag in ("ul", "ol"):
        items = tuple(it for it in (_list_item(li, base) for li in _children(node, "li")) if it)
        nested: list[tuple[Inline, ...]] = []
        for li in _children(node, "li"):
            for sub in li.css("li"):
                if sub.mem_id == li.mem_id:  # css() on a node matches the node itself
                    continue
                inl = _list_item(sub, base)
                if inl:
                    nested.append((Inline("– "),) + inl)
        all_items = items + tuple(nested)
        return [Block("list", ordered=tag == "ol", items=all_items)] if all_items else []
    if tag == "blockquote":
        inlines = _inlines_of([node], base)
        return [Block("quote", inlines=inlines)] if inlines else []
    if tag == "table":
        return _table(node)
    if tag == "img":
        src = canonical_url(node.attributes.get("src"), base)
        return [Block("image", url=src, alt=clean_or_none(node.attributes.get("alt")))] if src else []
    if tag == "figure":
        return _figure(node, base) or _blocks(node, base)
    if tag == "iframe":
        src = canonical_url(node.attributes.get("src"), base)
        caption = clean_or_none(node.attributes.get("title"))
        return [Block("embed", url=src, caption=caption)] if src else []
    if tag == "pre":
        text = strip_unsafe(node.text()).strip("\n")
        return [Block("paragraph", inlines=(Inline(text),))] if text.strip() else []
    return _blocks(node, base)


def _figure(node: LexborNode, base: str) -> list[Block]:
    """A figure as one image block: its caption and credit, whatever their form (figures.py)."""
    image = read_figure(node, base)
    if image is None:
        return []
    return [Block("image", url=image.url, alt=image.alt, caption=image.caption, credit=image.credit)]


def _collapse(text: str) -> str:
    """Sanitise and collapse whitespace (fast path: printable text needs no regex)."""
    if not text.isprintable():
        text = strip_unsafe(text)
    return " ".join(text.split())


def _children(node: LexborNode, tag: str) -> Iterator[LexborNode]:
    for child in node.iter():
        if child.tag == tag:
            yield child


def _list_item(li: LexborNode, base: str) -> tuple[Inline, ...]:
    """The item's own text: nested lists (at any depth) become items of their own."""
    raw: list[Inline] = []
    for child in li.iter(include_text=True):
        _walk_inline(child, base, None, False, False, raw, skip=("ul", "ol"))
    return _normalise_inlines(raw)


def _rows(table: LexborNode) -> Iterator[LexborNode]:
    """The table's own rows, not those of tables nested in its cells."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def _table(node: LexborNode) -> list[Block]:
    rows: list[tuple[str, ...]] = []
    header = False
    for i, tr in enumerate(_rows(node)):
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        if not cells:
            continue
        if i == 0 and (all(c.tag == "th" for c in cells) or (tr.parent is not None and tr.parent.tag == "thead")):
            header = True
        rows.append(tuple(text_of(c) for c in cells))
    if not rows or not any(any(r) for r in rows):
        return []
    width = max(len(r) for r in rows)
    rows = [r + ("",) * (width - len(r)) for r in rows]
    caption = clean_or_none(text_of(node.css_first("caption")))
    return [Block("table", rows=tuple(rows), header=header, caption=caption)]


def _inlines_of(nodes: list[LexborNode], base: str) -> tuple[Inline, ...]:
    raw: list[Inline] = []
    for node in nodes:
        _walk_inline(node, base, None, False, False, raw)
    return _normalise_inlines(raw)


def _walk_inline(
    root: LexborNode, base: str, href: str | None, strong: bool, em: bool, out: list[Inline], skip: tuple[str, ...] = ()
) -> None:
    """Append the inline runs of `root` to `out`. Iterative: deeply nested markup
    must not exhaust Python's recursion limit."""
    stack: list[tuple[LexborNode | None, str | None, bool, bool]] = [(root, href, strong, em)]
    while stack:
        node, href, strong, em = stack.pop()
        if node is None:  # end of a block-like element: a word break
            out.append(Inline(" ", href, strong, em))
            continue
        tag = node.tag
        if tag in skip or tag in SKIP_TAGS or tag in ("-comment", "img", "iframe"):
            continue
        if tag == "-text":
            out.append(Inline(node.text_content or "", href, strong, em))
            continue
        if tag == "br":
            out.append(Inline("\n", href, strong, em))
            continue
        if tag == "a":
            href = canonical_url(node.attributes.get("href"), base)
        elif tag in ("strong", "b"):
            strong = True
        elif tag in ("em", "i", "cite"):
            em = True
        if tag in ("p", "div", "li", "td", "th", "dd", "dt", "h2", "h3", "h4"):
            stack.append((None, href, strong, em))
        stack.extend((child, href, strong, em) for child in reversed(list(node.iter(include_text=True))))


def _normalise_inlines(raw: list[Inline]) -> tuple[Inline, ...]:
    """Sanitise, collapse whitespace across run boundaries, merge equal runs."""
    runs: list[list[Any]] = []  # [text, href, strong, em]
    at_space = True  # leading whitespace of the block is dropped
    for inl in raw:
        text = inl.text
        if text == "\n":
            text = "\x00"  # a <br>: kept as a line break
        else:
            if not text.isprintable():
                text = strip_unsafe(text)
            words = text.split()
            if not words:
                text = " " if text else ""
            else:
                text = (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")
        if at_space:
            text = text.lstrip(" ")
        if not text:
            continue
        at_space = text[-1] in " \x00"
        if runs and runs[-1][1:] == [inl.href, inl.strong, inl.em]:
            runs[-1][0] += text
        else:
            runs.append([text, inl.href, inl.strong, inl.em])
    if runs:
        runs[-1][0] = runs[-1][0].rstrip(" \x00")
    result: list[Inline] = []
    for text, href, strong, em in runs:
        if "\x00" in text:
            text = _BREAK.sub("\n", text).lstrip("\n") if not result else _BREAK.sub("\n", text)
        if text:
            result.append(Inline(text, href, strong, em))
    if not any(i.text.strip() for i in result):
        return ()
    return tuple(result)
