"""Provenance reports of the events parser, for `lillenews doctor`: per field of an events
listing or an event page, which layer of markup.EVENT_MARKUP gave it and how many values.

EVENT_MARKUP lists lille.fr's markup first, then fallbacks: a selector naming a class or an
id is the known lille.fr markup, a selector of bare tags and attributes (`h1`, `time`,
`a[href]`) is the generic layer, as are the og:title meta and the links found without any
known list. The models come from the parser itself (site/events.py), so the report never differs
from what `lillenews events` shows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.errors import LayoutError
from lillenews.base.event_models import EventListing, EventPage
from lillenews.base.i18n import english
from lillenews.base.models import Layer
from lillenews.base.text import fold
from lillenews.site.common import NOTHING, Found, Provenance, first, tally
from lillenews.site.events import _text, item_event, parse_event_listing, parse_event_page
from lillenews.site.item_query import MAX_ITEMS
from lillenews.site.markup import EVENT_MARKUP, EventMarkup
from lillenews.site.nesting import cap_nesting

__all__ = ["EVENT_LISTING_FIELDS", "EVENT_PAGE_FIELDS", "explain_event_listing", "explain_event_page", "venue_gaps"]

EVENT_LISTING_FIELDS = ("items", "title", "link", "dates", "category", "place", "summary", "image")
EVENT_PAGE_FIELDS = ("title", "dates", "category", "place", "summary", "image", "hours", "description")
_ATTRIBUTES = re.compile(r"\[[^\]]*\]")


def layer_of(selector: str) -> Layer:
    """A selector naming a class or an id is lille.fr's markup; bare tags are generic."""
    bare = _ATTRIBUTES.sub("", selector)
    return Layer.KNOWN if "." in bare or "#" in bare else Layer.GENERIC


def _matched(node: LexborNode | LexborHTMLParser, selectors: Iterable[str], *, text: bool = True) -> Layer:
    """The layer of the selector the parser's `first` takes (NONE: no match, or no text)."""
    for sel in selectors:
        found = node.css_first(sel)
        if found is not None:
            return layer_of(sel) if not text or _text(found) else Layer.NONE
    return Layer.NONE


def _dated(value: object) -> bool:
    return getattr(value, "start", None) is not None or getattr(value, "end", None) is not None


def explain_event_listing(
    html: str, url: str, *, today: date, markup: EventMarkup = EVENT_MARKUP
) -> tuple[Provenance, str | None, EventListing | None]:
    """(fields, error, listing) of one events listing page: `error` and no listing when the
    parser found no list (a LayoutError)."""
    try:
        listing = parse_event_listing(html, url, today=today, markup=markup)
    except LayoutError as exc:
        return {name: NOTHING for name in EVENT_LISTING_FIELDS}, english(exc.what), None
    tree = LexborHTMLParser(cap_nesting(html))
    scope = first(tree, markup.frame) or tree.body or tree.root
    nodes = next((found for sel in markup.items if (found := scope.css(sel))), []) if scope is not None else []
    rows: list[dict[str, Layer]] = []
    for node in nodes[:MAX_ITEMS]:  # the items the parser reads
        event = item_event(node, url, today, markup)
        if event is None:
            continue
        title = _matched(node, markup.title_link)
        link = _matched(node, markup.title_link, text=False)
        rows.append(
            {
                "title": title if title is not Layer.NONE else Layer.GENERIC,  # else made from the address
                "link": link if link is not Layer.NONE else _matched(node, markup.more_link, text=False),
                "dates": _matched(node, markup.date, text=False) if _dated(event.dates) else Layer.NONE,
                "category": _matched(node, markup.category) if event.category else Layer.NONE,
                "place": Layer.KNOWN if event.place else Layer.NONE,  # contact: lille.fr's markup only
                "summary": _matched(node, markup.summary) if event.summary else Layer.NONE,
                "image": _matched(node, markup.image, text=False) if event.image else Layer.NONE,
            }
        )
    if not rows:  # the links found without a known list (or a list with no event: nothing)
        generic = Found(Layer.GENERIC, len(listing.events)) if listing.events else NOTHING
        fields = {name: NOTHING for name in EVENT_LISTING_FIELDS} | {"items": generic}
        return fields | {"title": generic, "link": generic}, None, listing
    report = {"items": Found(tally(row["link"] for row in rows).layer, len(rows))}
    report |= {name: tally(row[name] for row in rows) for name in EVENT_LISTING_FIELDS[1:]}
    return report, None, listing


def explain_event_page(
    html: str, url: str, *, today: date, markup: EventMarkup = EVENT_MARKUP
) -> tuple[Provenance, str | None, EventPage | None]:
    """(fields, error, page) of one event page: `error` and no page when it has no title."""
    try:
        page = parse_event_page(html, url, today=today, markup=markup)
    except LayoutError as exc:
        return {name: NOTHING for name in EVENT_PAGE_FIELDS}, english(exc.what), None
    tree = LexborHTMLParser(cap_nesting(html))

    def one(layer: Layer, present: object, count: int = 1) -> Found:
        return Found(layer, count) if present and layer is not Layer.NONE else NOTHING

    title = _matched(tree, markup.page_title)
    lead = next((layer_of(sel) for sel in markup.page_lead if tree.css(sel)), Layer.NONE)
    body = next((layer_of(sel) for sel in markup.page_body), Layer.NONE)
    fields: Provenance = {
        "title": Found(title if title is not Layer.NONE else Layer.GENERIC, 1),  # else og:title
        "dates": one(_matched(tree, markup.page_date, text=False), _dated(page.dates)),
        "category": one(_matched(tree, markup.page_category), page.category),
        "place": one(_matched(tree, markup.page_address, text=False), page.address, len(page.address)),
        "summary": one(lead, page.lead),
        "image": one(_matched(tree, markup.page_figure, text=False), page.image),
        "hours": one(_matched(tree, markup.page_hours, text=False), page.hours, len(page.hours)),
        "description": one(body, page.description, len(page.description)),
    }
    return fields, None, page


def venue_gaps(listing: EventListing | None, page: EventPage | None) -> tuple[int, int, str] | None:
    """How the event page's venue compares with its item in the listing, when the page gives
    fewer fields (its place, each address line, its phone): (fields the page gives, fields the
    item gives, the missing ones' names); None when it gives them all. A field counts as given
    when the page's venue holds its text (or the phone's digits), however it splits lines. The
    item is the page's by URL, else the listing's first (a redirected page: doctor's plan
    fetches the first event)."""
    first = listing.events[0] if listing and listing.events else None
    item = next((e for e in listing.events if e.url == page.url), first) if listing and page else None
    if item is None or page is None:
        return None
    given = fold(" ".join(page.address))
    listed = [("place", item.place)] + [("address", line) for line in (item.address or "").split(", ")]
    fields = [(name, text) for name, text in listed if text]
    missing = [name for name, text in fields if fold(text) not in given]
    if item.phone:
        fields.append(("phone", item.phone))
        if _digits(page.phone) != _digits(item.phone):
            missing.append("phone")
    if not missing:
        return None
    return len(fields) - len(missing), len(fields), ", ".join(dict.fromkeys(missing))


def _digits(phone: str | None) -> str:
    return "".join(c for c in phone or "" if c.isdigit())
