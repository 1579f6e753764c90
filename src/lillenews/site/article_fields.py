"""One function per article field, each trying its layers in a numbered order and saying which
layer gave the value (the way trafilatura's `extract_title` reads). Selectors: site/markup.py."""

import datetime as _dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.dates import NEWS_AHEAD, parse_day, parse_range
from lillenews.base.models import NO_DATES, Block, DateRange, Image, Layer, Related
from lillenews.base.text import clean, clean_or_none, fold, title_from_slug
from lillenews.base.urls import canonical_url
from lillenews.site.blocks import SKIP_CSS, blocks, text_of
from lillenews.site.common import Root, first, first_not_chrome, is_chrome, is_furniture, ld_text, link_title
from lillenews.site.figures import read_figure
from lillenews.site.markup import (
    FURNITURE_CSS,
    FURNITURE_MAYBE_CSS,
    GENERIC,
    LILLE,
    PUBLISHED_TEXT,
    RELATED_HEADINGS,
    TITLE_SUFFIX,
)

_RELATED_CSS = ", ".join(LILLE.related + GENERIC.related)
_RELATED_HEADING_CSS = f"{GENERIC.related_heading}, {LILLE.related_heading}"
_NOT_BODY_CSS = ", ".join(LILLE.not_body + GENERIC.not_body)


class Page(NamedTuple):
    """A parsed page and where to look in it: the content area first, then the whole page."""

    url: str
    tree: LexborHTMLParser
    scope: Root
    meta: dict[str, str]
    ld: dict[str, Any]
    today: _dt.date  # the caller's: the anchor of a date written without its year

    @property
    def roots(self) -> tuple[Root, ...]:
        return (self.scope,) if self.scope is self.tree else (self.scope, self.tree)


def content_scope(tree: LexborHTMLParser) -> Root:
    """The content area: real pages carry tens of KB of menus, and each selector run over
    the whole tree costs. 1. lille.fr's content area; 2. a semantic one; 3. the page."""
    node = tree.css_first(LILLE.content_scope)  # 1.
    if node is not None and not is_chrome(node):
        return node
    return next((n for n in tree.css(GENERIC.content_scope) if not is_chrome(n)), None) or tree  # 2., 3.


def title(page: Page) -> tuple[str, LexborNode | None, Layer]:
    # 1. lille.fr's title heading
    node = first_not_chrome(page.roots, LILLE.title)
    if node is not None and text_of(node):
        return text_of(node), node, Layer.KNOWN
    # 2. an h1 of the article / main area, then any h1 outside the furniture
    node = first_not_chrome(page.roots, GENERIC.title)
    if node is not None and text_of(node):
        return text_of(node), node, Layer.GENERIC
    # 3. og:title, 4. JSON-LD headline, 5. <title> without the site's name
    found = (
        next((clean(page.meta.get(k)) for k in GENERIC.title_meta if clean(page.meta.get(k))), "")
        or clean(ld_text(page.ld, GENERIC.ld_title))
        or TITLE_SUFFIX.sub("", text_of(page.tree.css_first("title")))
    )
    return found, None, (Layer.GENERIC if found else Layer.NONE)


def date(page: Page) -> tuple[DateRange, Layer]:
    """(the day or period, layer)."""
    # 1. lille.fr's date line (a day, a period such as "Janvier - février 2026", or
    #    "Jusqu'au X": an end only), in the content area then the page
    for node in _nodes(page.roots, LILLE.date):
        found = parse_range(node.attributes.get("datetime") or text_of(node), today=page.today, ahead=NEWS_AHEAD)
        if found.start or found.end:
            return found, Layer.KNOWN
    # 2. <time> in the content area, 3. date meta tags, 4. JSON-LD, 5. <time> anywhere
    day = (
        _first_date(_nodes((page.scope,), GENERIC.date), page.today)
        or next((d for key in GENERIC.date_meta if (d := _day(page.meta.get(key), page.today))), None)
        or _day(ld_text(page.ld, GENERIC.ld_date), page.today)
        or (_first_date(_nodes((page.tree,), GENERIC.date), page.today) if page.scope is not page.tree else None)
    )
    if day:
        return DateRange(day, None), Layer.GENERIC
    # 6. "Publié le ..." in the main text
    main = first(page.tree, GENERIC.main_content)
    m = PUBLISHED_TEXT.search(main.text(separator=" ") if main is not None else "")
    day = _day(m[1], page.today) if m else None
    return (DateRange(day, None), Layer.GENERIC) if day else (NO_DATES, Layer.NONE)


def _day(text: str | None, today: _dt.date) -> _dt.date | None:
    """The first day `text` names (a news date: at most a month ahead of `today`)."""
    return parse_day(text, today=today, ahead=NEWS_AHEAD)


def _first_date(nodes: Iterator[LexborNode], today: _dt.date) -> _dt.date | None:
    for node in nodes:
        found = _day(node.attributes.get("datetime"), today) or _day(text_of(node), today)
        if found:
            return found
    return None


def _nodes(roots: tuple[Root, ...], selectors: tuple[str, ...]) -> Iterator[LexborNode]:
    """Matches outside the furniture, lazily: the first good one usually ends the search."""
    return (n for root in roots for sel in selectors for n in root.css(sel) if not is_chrome(n))


def category(page: Page) -> tuple[str | None, Layer]:
    # 1. lille.fr's category label in the content area
    found = clean_or_none(text_of(first(page.scope, LILLE.category)))
    if found:
        return found, Layer.KNOWN
    # 2. article:section meta, 3. JSON-LD articleSection
    found = next((clean_or_none(page.meta.get(k)) for k in GENERIC.category_meta if page.meta.get(k)), None)
    found = found or clean_or_none(ld_text(page.ld, GENERIC.ld_category))
    return found, (Layer.GENERIC if found else Layer.NONE)


def lead(page: Page) -> tuple[str | None, LexborNode | None, Layer]:
    # 1. lille.fr's chapô, 2. a description / intro block, both in the content area
    for layer, spec in ((Layer.KNOWN, LILLE), (Layer.GENERIC, GENERIC)):
        node = first_not_chrome((page.scope,), spec.lead)
        if node is not None:
            found = clean_or_none(node.text(separator=" "))
            return found, node, (layer if found else Layer.NONE)
    return None, None, Layer.NONE


def related_block(page: Page) -> tuple[LexborNode | None, Layer]:
    # 1. lille.fr's « Lire aussi » block, 2. a "related" block, 3. a block under a heading
    # saying "Lire aussi"; each in the content area, then the whole page.
    for layer, spec in ((Layer.KNOWN, LILLE), (Layer.GENERIC, GENERIC)):
        css = ", ".join(spec.related)  # one query per layer and root: the first block in page order
        for root in page.roots:
            node = root.css_first(css) if css else None
            if node is not None:
                return node, layer
    for root in page.roots:
        for heading in root.css(_RELATED_HEADING_CSS):
            if fold(text_of(heading)).strip(" :") in RELATED_HEADINGS:
                parent = heading.parent
                if parent is not None and parent.css_first("a[href]") is not None:
                    return parent, Layer.GENERIC
    return None, Layer.NONE


def related(block: LexborNode | None, page_url: str) -> list[Related]:
    """The linked items of a related block (each item's text, less its link, is its summary)."""
    out: list[Related] = []
    if block is None:
        return out
    items = block.css("li") or [block]
    for item in items:
        for link in item.css("a[href]"):
            href = canonical_url(link.attributes.get("href"), page_url)
            if href is None or any(r.url == href for r in out):
                continue
            link_text = text_of(link)
            summary = clean(item.text(separator=" ")) if len(items) > 1 or block.css("li") else ""
            if link_text and summary.endswith(link_text):
                summary = summary[: -len(link_text)].strip()
            if not summary:
                prev = link.prev
                while prev is not None and not prev.is_element_node:
                    prev = prev.prev
                summary = text_of(prev) if prev is not None and prev.tag != "a" else ""
            found = link_title(link) or title_from_slug(href) or summary[:80]
            if found:
                out.append(Related(title=found, url=href, summary=summary or None))
    return out


def figures(page: Page) -> list[Image]:
    """1. lille.fr's figures in the content area: picture, caption and photo credit, whatever
    form the credit takes (site/figures.py)."""
    found = (read_figure(n, page.url) for sel in LILLE.figure for n in page.scope.css(sel))
    return [image for image in found if image is not None]


def body_nodes(page: Page) -> tuple[list[LexborNode], Layer]:
    # 1. lille.fr's rich-text blocks (the outermost ones, outside furniture and related
    #    blocks), in the content area, else in the page
    for root in page.roots:
        outer = _outermost(root, [n for n in root.css(",".join(LILLE.body)) if not is_chrome(n)])
        if outer:
            return outer, Layer.KNOWN
    # 2. a semantic article / main area with text, 3. the page's <body>
    for sel in GENERIC.body:
        for node in page.tree.css(sel):
            if not is_chrome(node) and text_of(node):
                return [node], Layer.GENERIC
    body = page.tree.body
    return ([body], Layer.GENERIC) if body is not None else ([], Layer.NONE)


def _outermost(root: Root, nodes: list[LexborNode]) -> list[LexborNode]:
    """`nodes` not inside another of them nor inside a related block: one walk up per node
    against a set of ids (comparing every pair was quadratic: 8,000 blocks took 49 s)."""
    if not nodes:
        return []
    ids = {n.mem_id for n in nodes}
    related_ids = {n.mem_id for n in root.css(_RELATED_CSS)}
    return [n for n in nodes if not _has_ancestor(n, ids) and not _has_ancestor(n, related_ids, inclusive=True)]


def _has_ancestor(node: LexborNode, ids: set[int], inclusive: bool = False) -> bool:
    current = node if inclusive else node.parent
    while current is not None:
        if current.mem_id in ids:
            return True
        current = current.parent
    return False


def body_blocks(page: Page, bodies: list[LexborNode], keep_out: list[LexborNode | None]) -> list[Block]:
    """The blocks of `bodies`, once furniture, scripts, the parts lille.fr puts beside the body
    (site.LILLE.not_body) and the `keep_out` nodes (title, lead, related block) are removed."""
    if not bodies:
        return []
    ids = {b.mem_id for b in bodies}
    # One query over a common root when there are many bodies (one per body costs a
    # selector compilation each), then keep the matches that lie inside a body.
    roots: list[Root] = (
        [bodies[0]] if len(bodies) == 1 else [page.scope if _all_inside(bodies, page.scope) else page.tree]
    )
    removable: list[LexborNode] = []
    for root in roots:
        removable += root.css(FURNITURE_CSS)
        removable += [n for n in root.css(FURNITURE_MAYBE_CSS) if is_furniture(n)]
        removable += root.css(SKIP_CSS)
        if _NOT_BODY_CSS:
            removable += root.css(_NOT_BODY_CSS)
    if len(bodies) > 1:  # matches over a common root: keep those inside a body
        removable = [n for n in removable if _has_ancestor(n, ids)]
    removable += [n for n in keep_out if n is not None and _has_ancestor(n, ids)]
    _decompose_outermost([n for n in removable if n.mem_id not in ids])
    return [b for body in bodies for b in blocks(body, page.url)]


def _all_inside(nodes: list[LexborNode], root: Root) -> bool:
    return isinstance(root, LexborNode) and all(_has_ancestor(n, {root.mem_id}) for n in nodes)


def _decompose_outermost(nodes: list[LexborNode]) -> None:
    """Remove `nodes` from the tree. Only the outermost ones are decomposed: a node inside
    one already destroyed must not be touched again."""
    marked = {n.mem_id for n in nodes}
    done: set[int] = set()
    for node in nodes:
        if node.mem_id in done:
            continue
        done.add(node.mem_id)
        if not _has_ancestor(node, marked):
            node.decompose()
