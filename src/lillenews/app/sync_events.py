"""The agenda's part of `sync`, so that `events`, `event N`, `events --ics` and the
reader's agenda work offline afterwards: the agenda's listing pages (as many as for the
news) through the cache, then the pages of the events of the next `DAYS` days that are
not cached yet (all of them with `refresh`). sync.py runs the fetches with its pool."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from lillenews.app.agenda import listing_url, walk
from lillenews.app.cached_fetch import Fetched, conditional_get
from lillenews.app.events import EventService
from lillenews.app.walker import Next, Stop
from lillenews.base.dates import DateRange, is_past
from lillenews.base.errors import FetchError, LilleNewsError
from lillenews.base.event_models import Event, EventListing, EventPage
from lillenews.store.pages import Validators

DAYS = 7  # the events whose pages are synced: those happening in the next week
GUESS_PER_PAGE = 4  # events of the next week per agenda page, for an estimate before any is cached


@dataclass
class AgendaReport:
    """What the agenda's part of a sync did (`sync --json`'s "events")."""

    pages: int = 0  # agenda listing pages read
    listed: int = 0  # upcoming events on them
    new: int = 0  # event pages fetched for the first time
    updated: int = 0  # re-checked (--refresh) and changed
    unchanged: int = 0  # re-checked (--refresh) and the same
    cached: int = 0  # already cached, not re-checked
    disallowed: int = 0  # robots.txt asks not to fetch them: skipped

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def soon(dates: DateRange, today: _dt.date, days: int = DAYS) -> bool:
    """Whether an event takes place in the `days` days from `today` on (an undated one: no)."""
    start, end = dates
    if start is None and end is None:
        return False
    first = start or today
    return not is_past(dates, today) and first < today + _dt.timedelta(days=days)


def walk_agenda(
    service: EventService, pages: int | None, *, offline: bool = False, on_page: Callable[[], None] = lambda: None
) -> list[Event]:
    """The upcoming events of the agenda's first `pages` pages (None: every page), each page
    refreshed through the cache (`offline`: read from the cache only). Raises FetchError
    when the first page cannot be had at all."""
    limit = pages if pages is not None else 10**6
    start = listing_url(service.ctx.settings.base_url)

    def get(step: Next, index: int) -> EventListing | Stop:
        if index >= limit:
            return Stop.FAILED  # the pages asked for are read: the rest is not (incomplete)
        on_page()
        return service.listing_page(step, index, refresh=not offline, offline=offline)

    events, _complete, _past = walk(start, get, today=service.today, limit=None, warn=service.ctx.warn)
    return events


def wanted(service: EventService, events: list[Event], refresh: bool) -> tuple[list[Event], int]:
    """The next week's events whose page is to be fetched, and how many of them are
    cached and left as they are (`refresh`: every one is re-checked)."""
    week = [e for e in events if soon(e.dates, service.today)]
    if refresh:
        return week, 0
    missing = [e for e in week if service.store.pages.get(e.url) is None]
    return missing, len(week) - len(missing)


def estimate(service: EventService, pages: int, refresh: bool) -> int:
    """Requests the agenda's part of a sync will make, judged from the cache: its listing
    pages and the next week's event pages it lacks (a guess when nothing is cached)."""
    walked = [0]

    def on_page() -> None:
        walked[0] += 1

    try:
        events = walk_agenda(service, pages, offline=True, on_page=on_page)
    except LilleNewsError:
        return pages + pages * GUESS_PER_PAGE
    return walked[0] + len(wanted(service, events, refresh)[0])


def validators(service: EventService, url: str) -> Validators | None:
    cached = service.store.pages.get(url)
    return None if cached is None else cached.validators


def fetch_page(service: EventService, url: str, known: Validators | None) -> Fetched[EventPage]:
    """One event page, in a worker thread: fetched and parsed, not stored."""
    return conditional_get(service.ctx.fetcher, url, known, service.page_through().parse)


def save_page(service: EventService, url: str, fetched: Fetched[EventPage]) -> str:
    """Store one fetched event page; returns the outcome: "new", "updated" or "unchanged"."""
    now = service.ctx.now()
    table = service.store.pages
    cached = table.get(url)
    if fetched.value is None:
        table.touch(url, now, fetched.etag, fetched.last_modified)
        return "unchanged"
    table.save(url, fetched.value, fetched.etag, fetched.last_modified, now)
    if cached is None:
        return "new"
    return "unchanged" if cached.value == fetched.value else "updated"


def no_agenda(exc: FetchError) -> bool:
    """The site has no agenda where lillenews looks (404/410 on its first page): the
    agenda is left out of the sync, silently (`events` says it loudly)."""
    return exc.status in (404, 410)
