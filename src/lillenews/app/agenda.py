"""The events use case, independent of HTTP and storage: walk the agenda's pages (with
the one walker, walker.py), keep upcoming events, resolve a category, number the result.

Pages come from a `get_page(step, index)` callable (the cache-through-fetch rule lives
with the caller), so this module is tested on fixtures without a server."""

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import NamedTuple

from lillenews.app.walker import DEFAULT_LIMIT, Next, Stop, Walk
from lillenews.base.dates import is_ongoing, is_past
from lillenews.base.errors import UsageError
from lillenews.base.event_models import Category, Event, EventListing, NumberedEvent
from lillenews.base.i18n import _
from lillenews.base.text import fold, name_order
from lillenews.site.event_markup import EVENT_MARKUP, EventMarkup

PERIODS = EVENT_MARKUP.periods

PageGetter = Callable[[Next, int], EventListing | Stop]  # (address, page index) -> the page, or why none


class AgendaQuery(NamedTuple):
    when: str | None = None  # one of PERIODS
    category: str | None = None  # what the user typed
    limit: int | None = DEFAULT_LIMIT  # None: every page (up to walker.MAX_PAGES)


class AgendaResult(NamedTuple):
    events: tuple[NumberedEvent, ...]
    complete: bool  # every page was read
    category: Category | None  # the category the query resolved to
    past_hidden: int  # finished events the site listed and we did not show


def listing_url(
    base_url: str,
    *,
    offset: int = 0,
    when: str | None = None,
    type_id: str | None = None,
    markup: EventMarkup = EVENT_MARKUP,
) -> str:
    """The agenda's address with eZ view parameters, offset first (page 1 has none)."""
    path = base_url.rstrip("/") + markup.section
    path += f"/(offset)/{offset}" if offset else ""
    path += f"/(when)/{when}" if when else ""
    return path + (f"/(type)/{type_id}" if type_id else "")


def match_categories(query: str, names: Iterable[str]) -> list[str]:
    """Category names matching `query`, accent/case-insensitive: an exact match alone,
    else every name containing the query ("fete" -> "Fête / festival")."""
    wanted = " ".join(fold(query).split())
    if not wanted:
        return []
    unique = list(dict.fromkeys(n for n in names if n))
    exact = [n for n in unique if " ".join(fold(n).split()) == wanted]
    return exact or [n for n in unique if wanted in " ".join(fold(n).split())]


def first_url(base_url: str, query: AgendaQuery, category: Category | None) -> str:
    """The listing to start from: the site's own filters when it has them."""
    if query.when is not None and query.when not in PERIODS:
        raise UsageError(_("unknown period {when!r}; expected one of: {periods}").format(
            when=query.when, periods=", ".join(PERIODS)))  # fmt: skip
    type_id = category.id if category is not None else None
    return listing_url(base_url, when=query.when, type_id=type_id)


def choose_category(wanted: str, known: Iterable[Category], seen: Iterable[str] = ()) -> Category:
    """The one category `wanted` names (accents and case ignored), with its (type)/ID when
    the site's filter links gave one; a usage error when none or several match."""
    by_name: dict[str, Category] = {}
    for cat in known:
        by_name.setdefault(cat.name, cat)
    for name in seen:
        if name:
            by_name.setdefault(name, Category(name))
    found = match_categories(wanted, by_name)
    if not found:
        raise UsageError(_("no category matches {wanted!r}; list them with 'lillenews events --categories'").format(
            wanted=wanted))  # fmt: skip
    if len(found) > 1:
        raise UsageError(_("{wanted!r} matches several categories ({names}); say which").format(
            wanted=wanted, names=", ".join(sorted(found, key=name_order))))  # fmt: skip
    return by_name[found[0]]


def walk(
    start: str,
    get_page: PageGetter,
    *,
    today: _dt.date,
    limit: int | None,
    keep: Callable[[Event], bool] = lambda _e: True,
    warn: Callable[[str], None] = lambda _m: None,
) -> tuple[list[Event], bool, int]:
    """Upcoming events from `start` on, following the pages' next links (or their
    `(offset)` scheme when a pagination shows more pages but no next link).
    Returns (events, complete, past events hidden)."""
    events: list[Event] = []
    past = 0
    pages: Walk[EventListing, Event] = Walk(start, get_page, _next_page(start), _events, warn=warn)
    for walked in pages:
        for event in walked.new:
            if is_past(event.dates, today):
                past += 1
            elif keep(event):
                events.append(event)
        if limit is not None and len(events) >= limit:
            page = walked.page
            more = len(events) > limit or page.next_url is not None or not _last(page, walked.index)
            return events[:limit], not more, past
    return events, pages.complete, past


def _events(page: EventListing) -> tuple[Event, ...]:
    return page.events


def _next_page(start: str) -> Callable[[EventListing, int], Next | None]:
    def next_page(page: EventListing, index: int) -> Next | None:
        if page.next_url:
            return Next(page.next_url)
        guessed = _guessed_next(page, index, start)
        return Next(guessed, guessed=True) if guessed else None

    return next_page


def _last(page: EventListing, index: int) -> bool:
    return page.last_page is None or index + 1 >= page.last_page


def _guessed_next(page: EventListing, index: int, start: str) -> str | None:
    """No next link but a pagination saying there are more pages: build (offset)/N."""
    if page.last_page is None or index + 1 >= page.last_page:
        return None
    offset = (index + 1) * EVENT_MARKUP.per_page
    head, sep, tail = start.partition("/(")
    return f"{head}/(offset)/{offset}" + (f"/({tail}" if sep else "")


def upcoming(
    base_url: str,
    query: AgendaQuery,
    get_page: PageGetter,
    *,
    today: _dt.date,
    categories: Callable[[], tuple[Category, ...]] = lambda: (),
    warn: Callable[[str], None] = lambda _m: None,
    keep: Callable[[Event], bool] | None = None,
) -> AgendaResult:
    """The numbered upcoming events for `query`. `categories` gives the site's filter
    categories (from the agenda's first page); called only when a category is asked.
    `warn` says when the walk stopped at its page cap. `keep` (a quartier filter) leaves
    out the events it refuses."""
    category = None
    in_category: Callable[[Event], bool] = lambda _e: True  # noqa: E731
    if query.category is not None:
        category = choose_category(query.category, categories())
        if category.id is None:  # no (type)/ID known: filter the listed events by name
            wanted = fold(category.name)
            in_category = lambda e: e.category is not None and fold(e.category) == wanted  # noqa: E731

    def shown(event: Event) -> bool:
        return in_category(event) and (keep is None or keep(event))

    start = first_url(base_url, query, category)
    events, complete, past = walk(start, get_page, today=today, limit=query.limit, keep=shown, warn=warn)
    numbered = tuple(NumberedEvent(n, e, is_ongoing(e.dates, today)) for n, e in enumerate(events, 1))
    return AgendaResult(numbered, complete, category, past)


def all_categories(known: Iterable[Category], events: Iterable[Event], names: Iterable[str] = ()) -> list[Category]:
    """The site's filter categories (with their IDs), then any other category seen on
    listed events or named in `names`, sorted by name (accents ignored)."""
    by_name: dict[str, Category] = {}
    for cat in known:
        by_name.setdefault(cat.name, cat)
    for name in [e.category for e in events] + list(names):
        if name:
            by_name.setdefault(name, Category(name))
    return sorted(by_name.values(), key=lambda c: name_order(c.name))
