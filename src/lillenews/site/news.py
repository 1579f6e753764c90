"""HTML -> models, with selectolax (lexbor): one function per field, layers in a numbered order.

The markup itself is data in site/markup.py (`LILLE`, the known lille.fr templates; `GENERIC`,
markup-independent fallbacks); the HTML -> blocks walk is site/blocks.py; the article field
functions are site/article_fields.py. Each field function tries its layers in order and says
which one gave the value (`Layer`): `explain_listing` / `explain_article` return that provenance
(a drift self-check), `parse_listing` / `parse_article` the models, raising LayoutError on a page
with nothing in it; `today`, the anchor of a date without its year, is the caller's (no clock).
Every walk is near-linear in the page size; deep nesting is flattened first (`cap_nesting`)."""

import datetime as _dt
from typing import NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.dates import NEWS_AHEAD, parse_day, parse_range
from lillenews.base.errors import NO_HEADLINES, LayoutError
from lillenews.base.i18n import N_, Message, english
from lillenews.base.models import NO_DATES, Article, DateRange, Headline, Layer, ListingPage
from lillenews.base.text import clean_or_none, is_cut, title_from_slug
from lillenews.base.urls import canonical_url
from lillenews.site import article_fields as fields
from lillenews.site.blocks import text_of
from lillenews.site.common import Found, Provenance, first, is_chrome, json_ld, link_title, meta_tags, tally
from lillenews.site.figures import add_body_pictures, credits_to_pictures
from lillenews.site.item_query import MAX_ITEMS, MAX_LINKS, Items, Match
from lillenews.site.markup import GENERIC, LILLE, NEWS_SECTION
from lillenews.site.nesting import cap_nesting

__all__ = [
    "ArticleReport",
    "Found",
    "Layer",
    "ListingReport",
    "Provenance",
    "explain_article",
    "explain_listing",
    "parse_article",
    "parse_listing",
]

LISTING_FIELDS = ("items", "title", "link", "date", "category", "summary", "image", "pagination")
ARTICLE_FIELDS = ("title", "date", "lead", "body", "images", "related", "category")


class ListingReport(NamedTuple):
    """A listing page (None when it holds no headline: `error` says why) and, per field of
    LISTING_FIELDS, the layer that gave it and how many headlines had it."""

    page: ListingPage | None
    fields: Provenance
    error: str | None = None


class ArticleReport(NamedTuple):
    """An article (None when it has no title or no text: `error` says why) and, per field of
    ARTICLE_FIELDS, the layer that gave it and how many values it gave."""

    article: Article | None
    fields: Provenance
    error: str | None = None


def _parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(cap_nesting(html))


# ----------------------------------------------------------------------------- listing pages
def parse_listing(html: str, url: str, *, today: _dt.date) -> ListingPage:
    """Headlines of one listing page. Raises LayoutError when there are none."""
    items, (next_url, has_pagination, _) = _listing(html, url, today)
    if not items:
        raise LayoutError(url, NO_HEADLINES)
    return _page(url, items, next_url, has_pagination)


def _page(url: str, items: "list[Item]", next_url: str | None, has_pagination: bool) -> ListingPage:
    return ListingPage(url=url, headlines=tuple(h for h, _ in items), next_url=next_url, has_pagination=has_pagination)


def explain_listing(html: str, url: str, *, today: _dt.date) -> ListingReport:
    """The listing page and which layer of the markup spec gave each field. Never raises
    LayoutError: a page without headlines has `page=None` and an `error`."""
    try:
        items, (next_url, has_pagination, pagination) = _listing(html, url, today)
    except LayoutError as exc:
        return ListingReport(None, _nothing(LISTING_FIELDS), english(exc.what))
    report = {"items": Found(tally(layers["link"] for _, layers in items).layer, len(items))}
    report |= {name: tally(layers[name] for _, layers in items) for name in LISTING_FIELDS[1:-1]}
    report["pagination"] = Found(pagination, int(pagination is not Layer.NONE))
    if not items:
        return ListingReport(None, report, N_("no headlines"))
    return ListingReport(_page(url, items, next_url, has_pagination), report)


def _listing(html: str, url: str, today: _dt.date) -> "tuple[list[Item], tuple[str | None, bool, Layer]]":
    try:
        tree = _parse(html)
        # 1. lille.fr's listing items, 2. news links in the main content area
        items = _known_items(tree, url, today) or _fallback_items(tree, url, today)
        return items, _next_link(tree, url)
    except RecursionError:
        raise LayoutError(url, Message("no readable headlines (the page is nested too deeply)")) from None


def _nothing(names: tuple[str, ...]) -> Provenance:
    return {name: Found(Layer.NONE, 0) for name in names}


Item = tuple[Headline, dict[str, Layer]]


def _known_items(tree: LexborHTMLParser, page_url: str, today: _dt.date) -> list[Item]:
    """lille.fr's listing items, each field looked up once over the whole page (item_query.py)."""
    items = Items(tree, tree.css(LILLE.listing_items))
    columns = zip(
        # link: 1. lille.fr's title link, 2. the item's first link
        items.match((*LILLE.item_title_link, "a[href]")), items.first(("h2, h3, h4",)),
        items.match((*LILLE.item_date, *GENERIC.item_date)), items.first(LILLE.item_category),
        items.first(LILLE.item_summary), items.match((*LILLE.item_image, *GENERIC.item_image)), strict=True,
    )  # fmt: skip
    out: list[Item] = []
    seen: set[str] = set()
    for link, heading, date_node, category_node, summary_node, image_node in columns:
        href = canonical_url(link.nodes[0].attributes.get("href"), page_url) if link is not None else None
        if link is None or href is None or href in seen:
            continue
        # title: 1. the link's text, 2. a heading of the item, 3. the URL's slug
        title, title_layer = link_title(link.nodes[0]), _layer(link, LILLE.item_title_link)
        if not title:
            title, title_layer = text_of(heading) or title_from_slug(href), Layer.GENERIC
        if not title:
            continue
        seen.add(href)
        dates, date_layer = _item_date(date_node, today)
        category = clean_or_none(text_of(category_node))
        summary = clean_or_none(text_of(summary_node))
        image, image_layer = _item_image(image_node, page_url)
        layers = {
            "link": _layer(link, LILLE.item_title_link), "title": title_layer, "date": date_layer,
            "category": Layer.KNOWN if category else Layer.NONE, "summary": Layer.KNOWN if summary else Layer.NONE,
            "image": image_layer,
        }  # fmt: skip
        headline = Headline(
            url=href, title=title, dates=dates, category=category, summary=summary, image=image,
            summary_truncated=is_cut(summary),
        )  # fmt: skip
        out.append((headline, layers))
    return out


def _layer(found: Match, known: tuple[str, ...]) -> Layer:
    """lille.fr's markup when one of its `known` selectors matched, else the generic one."""
    return Layer.KNOWN if found.which < len(known) else Layer.GENERIC


def _item_date(found: Match | None, today: _dt.date) -> tuple[DateRange, Layer]:
    """(dates, layer): a period has both ends ("Du 1 juin au 26 octobre 2024"), a day its
    start, "Jusqu'au X" its end. 1. lille.fr's date line, 2. a <time> element."""
    if found is None:
        return NO_DATES, Layer.NONE
    node = found.nodes[0]
    dates = parse_range(node.attributes.get("datetime") or text_of(node), today=today, ahead=NEWS_AHEAD)
    return dates, (_layer(found, LILLE.item_date) if dates.start or dates.end else Layer.NONE)


def _item_image(found: Match | None, page_url: str) -> tuple[str | None, Layer]:
    # 1. lille.fr's item picture, 2. any picture of the item
    if found is None:
        return None, Layer.NONE
    src = canonical_url(found.nodes[0].attributes.get("src"), page_url)
    return src, (_layer(found, LILLE.item_image) if src else Layer.NONE)


def _is_news_url(url: str, page_url: str) -> bool:
    """One level below a news section of the same host (not the listing itself, nor a
    view-parameter URL such as a next page)."""
    parts, page = urlsplit(url), urlsplit(page_url)
    if parts.netloc != page.netloc.lower():
        return False
    path = parts.path.rstrip("/")
    if path == page.path.rstrip("/") or "(" in path:
        return False
    m = NEWS_SECTION.search(path + "/")
    if not m:
        return False
    rest = path[m.end() :]
    return bool(rest) and "/" not in rest


_MANY = ""  # an ancestor holding links to more than one article


def _fallback_items(tree: LexborHTMLParser, page_url: str, today: _dt.date) -> list[Item]:
    """Links one level below a news section, inside the main content, outside furniture."""
    scope = first(tree, GENERIC.main_content)
    if scope is None:
        return []
    by_url: dict[str, LexborNode] = {}
    memo: dict[str | None, str | None] = {}
    for link in scope.css("a[href]")[:MAX_LINKS]:
        rel = (link.attributes.get("rel") or "").lower()
        if "next" in rel or "prev" in rel:
            continue
        href = _news_href(link.attributes.get("href"), page_url, memo)
        if href is None or is_chrome(link):
            continue
        by_url.setdefault(href, link)
        if len(by_url) == MAX_ITEMS:
            break
    holds = _news_links_below(tree, page_url, memo) if by_url else {}
    # the item of a link is its container; their fields are looked up over the page at once
    items = Items(tree, (_item_container(link, href, holds) for href, link in by_url.items()))
    columns = zip(
        by_url.items(), items.first(("h1, h2, h3, h4",)), items.first(GENERIC.item_date),
        zip(*(items.match((sel,), every=True) for sel in GENERIC.item_summary), strict=True),
        items.match((*LILLE.item_image, *GENERIC.item_image)), strict=True,
    )  # fmt: skip
    return [item for row in columns if (item := _fallback_item(*row, page_url, today))]


def _news_href(raw: str | None, page_url: str, memo: dict[str | None, str | None]) -> str | None:
    """The canonical URL of a link to an article, else None: once per address of the page."""
    if raw not in memo:
        href = canonical_url(raw, page_url)
        memo[raw] = href if href is not None and _is_news_url(href, page_url) else None
    return memo[raw]


def _news_links_below(tree: LexborHTMLParser, page_url: str, memo: dict[str | None, str | None]) -> dict[int, str]:
    """For every element above a news link: the one article URL its links point to, or
    _MANY. One walk up per link (computing it per candidate container was quadratic:
    4,000 links took 82 s)."""
    holds: dict[int, str] = {}
    for a in tree.css("a[href]")[:MAX_LINKS]:
        href = _news_href(a.attributes.get("href"), page_url, memo)
        if not href:
            continue
        node: LexborNode | None = a
        while node is not None:
            seen = holds.get(node.mem_id)
            if seen == _MANY:
                break  # its ancestors are marked _MANY already
            holds[node.mem_id] = href if seen in (None, href) else _MANY
            node = node.parent
    return holds


def _item_container(link: LexborNode, href: str, holds: dict[int, str]) -> LexborNode:
    """The largest ancestor of `link` whose news links all point to `href`."""
    best = link
    node = link.parent
    while node is not None and node.tag not in ("body", "html", "main") and holds.get(node.mem_id) == href:
        best = node
        node = node.parent
    return best


def _fallback_item(
    link: tuple[str, LexborNode],
    heading: LexborNode | None,
    time_node: LexborNode | None,
    paragraphs: tuple[Match | None, ...],
    image_node: Match | None,
    page_url: str,
    today: _dt.date,
) -> Item | None:
    """One link's headline from the nodes of its container (the largest ancestor holding it alone)."""
    href, anchor = link
    # title: 1. the link's text, 2. the container's heading, 3. the URL's slug
    title = link_title(anchor)
    if not title or len(title) < 3:
        title = text_of(heading) or title_from_slug(href)
    if not title:
        return None
    day, date_layer = None, Layer.NONE
    if time_node is not None:
        texts = (time_node.attributes.get("datetime"), text_of(time_node))
        day = next((d for t in texts if (d := parse_day(t, today=today, ahead=NEWS_AHEAD))), None)
        date_layer = Layer.GENERIC if day else Layer.NONE
    time_text = text_of(time_node) if time_node is not None else None
    summary = None
    for found in paragraphs:  # per summary selector, the first text that is not the title or date
        nodes = found.nodes if found is not None else []
        summary = next((t for p in nodes if (t := text_of(p)) and t not in (title, time_text)), None)
        if summary:
            break
    image, image_layer = _item_image(image_node, page_url)
    layers = {
        "link": Layer.GENERIC, "title": Layer.GENERIC, "date": date_layer, "category": Layer.NONE,
        "summary": Layer.GENERIC if summary else Layer.NONE, "image": image_layer,
    }  # fmt: skip
    return Headline(url=href, title=title, dates=DateRange(day, None), summary=summary, image=image), layers


def _next_link(tree: LexborHTMLParser, page_url: str) -> tuple[str | None, bool, Layer]:
    """The next page's URL, whether the page has a pagination block, and which layer said so:
    1. lille.fr's pagination, 2. a generic pager / rel=next link."""
    for layer, spec in ((Layer.KNOWN, LILLE), (Layer.GENERIC, GENERIC)):
        node = first(tree, spec.next_link)
        if node is not None:
            href = canonical_url(node.attributes.get("href"), page_url)
            if href and href != canonical_url(page_url, page_url):
                return href, True, layer
    for layer, spec in ((Layer.KNOWN, LILLE), (Layer.GENERIC, GENERIC)):
        if tree.css_first(spec.pagination) is not None:
            return None, True, layer
    return None, False, Layer.NONE


# ----------------------------------------------------------------------------- article pages
def parse_article(html: str, url: str, *, today: _dt.date) -> Article:
    """An article page. Raises LayoutError when it has no title or no text."""
    report = explain_article(html, url, today=today)
    if report.article is None:
        raise LayoutError(url, Message(report.error or N_("no article text")))  # i18n: marked with N_ here
    return report.article


def explain_article(html: str, url: str, *, today: _dt.date) -> ArticleReport:
    """The article and which layer of the markup spec gave each field. Never raises
    LayoutError: a page without title or text has `article=None` and an `error`."""
    try:
        return _explain_article(html, url, today)
    except RecursionError:
        return ArticleReport(
            None, _nothing(ARTICLE_FIELDS), N_("no readable article text (the page is nested too deeply)")
        )


def _explain_article(html: str, url: str, today: _dt.date) -> ArticleReport:
    tree = _parse(html)
    page = fields.Page(url, tree, fields.content_scope(tree), meta_tags(tree), json_ld(tree), today)
    title, title_node, title_layer = fields.title(page)
    dates, date_layer = fields.date(page)
    category, category_layer = fields.category(page)
    lead, lead_node, lead_layer = fields.lead(page)
    related_node, related_layer = fields.related_block(page)
    related = fields.related(related_node, url)
    # images: 1. lille.fr's figures, 2. pictures inside the body
    images = fields.figures(page)
    images_layer = Layer.KNOWN if images else Layer.NONE
    bodies, body_layer = fields.body_nodes(page)
    blocks = credits_to_pictures(fields.body_blocks(page, bodies, [title_node, lead_node, related_node]), images)
    if add_body_pictures(blocks, images) and images_layer is Layer.NONE:
        images_layer = Layer.GENERIC
    text_blocks = [b for b in blocks if b.kind not in ("image", "embed")]
    # The lead repeated as the body's first paragraph is said once.
    if lead and text_blocks and text_blocks[0].kind == "paragraph" and text_blocks[0].text == lead:
        blocks.remove(text_blocks[0])
        text_blocks = text_blocks[1:]
    report: Provenance = {
        "title": Found(title_layer, int(bool(title))),
        "date": Found(date_layer, int(bool(dates.start or dates.end))),
        "lead": Found(lead_layer, int(bool(lead))),
        "body": Found(body_layer if blocks else Layer.NONE, len(blocks)),
        "images": Found(images_layer, len(images)),
        "related": Found(related_layer if related else Layer.NONE, len(related)),
        "category": Found(category_layer, int(bool(category))),
    }
    if not title:
        return ArticleReport(None, report, N_("no article title"))
    if not text_blocks and not lead:
        return ArticleReport(None, report, N_("no article text"))
    article = Article(
        url=url,
        title=title,
        dates=dates,
        category=category,
        lead=lead,
        blocks=tuple(blocks),
        images=tuple(images),
        related=tuple(related),
    )
    return ArticleReport(article, report)
