"""The events agenda: listing pages and event pages -> typed models.

Every selector is in site.EVENT_MARKUP (the lille.fr markup first, then fallbacks that
need no class names), so a redesign touches that object only. An item with no date or
an unreadable one is kept with dates None; a page with no list at all is a LayoutError."""

import re
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.dates import parse_range
from lillenews.base.errors import LayoutError
from lillenews.base.event_models import Category, Event, EventListing, EventPage, Link
from lillenews.base.i18n import Message
from lillenews.base.text import clean, clean_or_none, credit_of, fold, is_cut, title_from_slug
from lillenews.base.urls import canonical_url
from lillenews.site.common import Root, first, is_chrome
from lillenews.site.figures import figure_text
from lillenews.site.item_query import MAX_ITEMS, MAX_LINKS, Items
from lillenews.site.markup import EVENT_MARKUP, GENERIC_LINK_TEXT, EventMarkup
from lillenews.site.nesting import cap_nesting

# French phone numbers, even glued to the text before them ("59000 Lille03 20 06 78 00").
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _text(node: LexborNode | None) -> str:
    return clean(node.text(separator=" ")) if node is not None else ""


def lines(node: LexborNode) -> list[str]:
    """Text lines of `node`: split at <br>, block children and newlines, cleaned, none empty."""
    raw: list[str] = []
    current: list[str] = []
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            current.append(child.text_content or "")
        elif child.tag in ("br", "p", "div", "li") and child is not node:
            raw.append("".join(current))
            current = []
    raw.append("".join(current))
    return [c for part in raw for c in (clean(x) for x in part.split("\n")) if c]


def split_phone(text_lines: list[str]) -> tuple[list[str], str | None]:
    """Take the first phone number out of the lines (it may run into the text before it)."""
    phone = None
    out: list[str] = []
    for line in text_lines:
        m = _PHONE.search(line) if phone is None else None
        if m:
            phone = m[0]
            line = clean(line[: m.start()] + " " + line[m.end() :])
        if line:
            out.append(line)
    return out, phone


def venue(scope: Root, selectors: Iterable[str], phone_links: Iterable[str]) -> tuple[list[str], str | None]:
    """A venue's lines (the place first) and its phone, for the listing's items and the event
    page alike: the lines of every node the first matching selector finds (each <p>), the
    phone taken out of that text, else the text of a phone link (`tel:`)."""
    nodes = next((found for sel in selectors if (found := scope.css(sel))), [])
    return _venue(nodes, first(scope, phone_links))


def _venue(nodes: Iterable[LexborNode], phone_link: LexborNode | None) -> tuple[list[str], str | None]:
    text_lines, phone = split_phone([line for node in nodes for line in lines(node)])
    if phone is None:
        phone = _text(phone_link) or None
    return text_lines, phone


def _link(node: LexborNode | None, base: str) -> str | None:
    return canonical_url(node.attributes.get("href"), base) if node is not None else None


# ---------------------------------------------------------------------------
# listing pages
# ---------------------------------------------------------------------------
def parse_event_listing(
    html: str,
    url: str,
    *,
    reference: date | None = None,
    today: date,
    markup: EventMarkup = EVENT_MARKUP,
) -> EventListing:
    """Events of one listing page. An empty list is a valid answer (a filter with no
    event); a page without the list is a LayoutError."""
    tree = LexborHTMLParser(cap_nesting(html))  # lexbor is quadratic in nesting depth
    scope = first(tree, markup.frame) or tree.body or tree.root
    if scope is None:
        raise LayoutError(url, Message("no events"))
    nodes = next((found for sel in markup.items if (found := scope.css(sel))), [])
    events = [ev for ev in _items(Items(scope, nodes), url, reference, today, markup) if ev is not None]
    if not nodes and first(scope, markup.list) is None:
        events = _fallback_items(scope, url, markup)
        if not events:
            raise LayoutError(url, Message("no events"))
    next_url, last_page = _pagination(scope, url, markup)
    return EventListing(url, tuple(events), next_url, last_page, categories(tree, markup))


class _Fields(NamedTuple):
    """The nodes one listing item's fields come from (None: not in the item)."""

    link: LexborNode | None
    more: LexborNode | None
    summary: LexborNode | None
    date: LexborNode | None
    category: LexborNode | None
    image: LexborNode | None
    contact: list[LexborNode]
    phone_link: LexborNode | None


def _items(items: Items, base: str, reference: date | None, today: date, markup: EventMarkup) -> list[Event | None]:
    """Every item's event (None: no link), each field looked up once over the whole page."""
    contacts = items.match(markup.contact, every=True)
    columns = zip(
        items.first(markup.title_link), items.first(markup.more_link), items.first(markup.summary),
        items.first(markup.date), items.first(markup.category), items.first(markup.image),
        ([] if found is None else found.nodes for found in contacts), items.first(markup.phone_link), strict=True,
    )  # fmt: skip
    return [_item(_Fields(*row), base, reference, today) for row in columns]


def _item(fields: _Fields, base: str, reference: date | None, today: date) -> Event | None:
    link = fields.link
    href = _link(link, base) or _link(fields.more, base)
    if href is None:
        return None
    title = _text(link)
    if not title or fold(title) in GENERIC_LINK_TEXT:  # "Voir" is a button, not a title
        title = title_from_slug(href) or title or href
    summary = _text(fields.summary) or None
    date_node = fields.date
    date_text = _text(date_node) or None
    if date_node is not None and date_node.tag == "time" and date_node.attributes.get("datetime"):
        date_text = date_node.attributes.get("datetime")
    image = fields.image
    contact, phone = _venue(fields.contact, fields.phone_link)
    return Event(
        url=href,
        title=title,
        dates=parse_range(date_text, reference=reference, today=today),
        date_text=clean_or_none(date_text),
        category=_text(fields.category) or None,
        place=contact[0] if contact else None,
        address=", ".join(contact[1:]) or None,
        phone=phone,
        summary=summary,
        truncated=is_cut(summary),
        image=canonical_url(image.attributes.get("src"), base) if image is not None else None,
    )


def item_event(node: LexborNode, base: str, today: date, markup: EventMarkup = EVENT_MARKUP) -> Event | None:
    """One listing item's event, alone (doctor's report asks item by item)."""
    return _items(Items(node, [node]), base, None, today, markup)[0]


def _fallback_items(scope: LexborNode, url: str, markup: EventMarkup) -> list[Event]:
    """Unknown markup: links one level below the listing's section, outside menus."""
    section = listing_section(url, markup)
    seen: dict[str, Event] = {}
    for a in scope.css("a[href]")[:MAX_LINKS]:
        href = _link(a, url)
        if href is None or href in seen or is_chrome(a):  # the news' furniture: menus, footer...
            continue
        path = urlsplit(href).path
        rest = path[len(section) + 1 :] if path.lower().startswith(section.lower() + "/") else ""
        if rest and "/" not in rest and not rest.startswith("("):
            seen[href] = Event(url=href, title=_text(a) or title_from_slug(href) or href)
            if len(seen) == MAX_ITEMS:
                break
    return list(seen.values())


def _pagination(scope: LexborNode, url: str, markup: EventMarkup) -> tuple[str | None, int | None]:
    block = first(scope, markup.pagination)
    if block is None:
        return None, None
    numbers = [_text(p) for p in block.css(markup.page_number)]
    last = int(numbers[-1]) if numbers and numbers[-1].isdigit() and len(numbers[-1]) < 6 else None
    next_url = _link(first(block, markup.next_link), url)
    if next_url is not None and urlsplit(next_url).netloc != urlsplit(url).netloc:
        next_url = None  # a next page is on the same site, or it is not followed
    return next_url, last


def categories(tree: LexborHTMLParser, markup: EventMarkup = EVENT_MARKUP) -> tuple[Category, ...]:
    """The categories the page's own filter links name, with their (type)/ID."""
    found: dict[str, Category] = {}
    for node in tree.css(markup.category_filter):
        m = re.search(markup.category_id, node.attributes.get("href") or node.attributes.get("value") or "")
        name = _text(node)
        if m and name and m[1] not in found:
            found[m[1]] = Category(name, m[1])
    return tuple(found.values())


def listing_section(url: str, markup: EventMarkup = EVENT_MARKUP) -> str:
    """ "/Evenements/(offset)/10/(when)/week" -> "/Evenements" (the path before view parameters)."""
    path = urlsplit(url).path.rstrip("/")
    return path.split("/(", 1)[0] or markup.section


# ---------------------------------------------------------------------------
# event pages
# ---------------------------------------------------------------------------
def parse_event_page(
    html: str,
    url: str,
    *,
    reference: date | None = None,
    today: date,
    markup: EventMarkup = EVENT_MARKUP,
) -> EventPage:
    tree = LexborHTMLParser(cap_nesting(html))  # lexbor is quadratic in nesting depth
    title = _text(first(tree, markup.page_title)) or _meta(tree, "og:title")
    if not title:
        raise LayoutError(url, Message("no event"))
    date_node = first(tree, markup.page_date)
    date_text = _text(date_node) or None
    # the first layer that matches gives the lead (all its paragraphs)
    lead = next((" ".join(_text(n) for n in found) for sel in markup.page_lead if (found := tree.css(sel))), "")
    credit, description = None, []
    for node in tree.css(", ".join(markup.page_body)):
        text = _text(node)
        who = credit_of(text)
        if who:
            credit = credit or who
        elif text:
            description.append(text)
    figure = first(tree, markup.page_figure)
    img = figure.css_first("img[src]") if figure is not None else None
    if figure is not None:  # the figure's own credit, in any of its forms (figures.py)
        credit = figure_text(figure).credit or credit
    hours_node = first(tree, markup.page_hours)
    address, phone = venue(tree, markup.page_address, markup.page_phone_link)
    return EventPage(
        url=url,
        title=title,
        dates=parse_range(date_text, reference=reference, today=today),
        date_text=date_text,
        category=_text(first(tree, markup.page_category)) or None,
        lead=lead or None,
        description=tuple(description),
        hours=tuple(lines(hours_node)) if hours_node is not None else (),
        address=tuple(address),
        phone=phone,
        image=canonical_url(img.attributes.get("src"), url) if img is not None else None,
        image_alt=clean_or_none(img.attributes.get("alt")) if img is not None else None,
        credit=credit,
        links=tuple(_page_links(tree, url, markup)),
    )


def _page_links(tree: LexborHTMLParser, url: str, markup: EventMarkup) -> list[Link]:
    seen: dict[str, Link] = {}
    for sel in markup.page_links:
        for a in tree.css(sel):
            href = _link(a, url)  # http(s) only: tel: and mailto: are not links to show
            if href and href not in seen:
                seen[href] = Link(_text(a) or href, href)
    return list(seen.values())


def _meta(tree: LexborHTMLParser, prop: str) -> str:
    node = tree.css_first(f"meta[property='{prop}']")
    return clean(node.attributes.get("content")) if node is not None else ""
