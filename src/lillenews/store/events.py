"""The events agenda's part of the cache: listing pages (each filter is its own URL),
event pages, the numbers of the last events listing shown (what `event N` means), and when
each event's information last changed (`events --ics`'s DTSTAMP).

Its own SQLite file beside the news cache (`events.db` in the cache dir), with the same
transactions, recovery and read-only degradation (store/database.py), so its schema evolves
without touching the news cache's version. Every events SQL statement is here or, for the
two page tables, in store/pages.py."""

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any, NamedTuple

from lillenews.base.event_models import Event, EventListing, EventPage
from lillenews.base.i18n import N_
from lillenews.store.database import Database, Statement
from lillenews.store.pages import PageTable, table_schema

SCHEMA_VERSION = 2  # 2: event_changes
FILE_NAME = "events.db"
_CHUNK = 500  # URLs per IN (...) query: under SQLite's oldest limit of 999 variables

# Both page tables have the shared layout of store/pages.py (unchanged since version 1).
# event_changes: when lillenews last saw each event's information change (what its listing
# item and its page say, as digests): the iCalendar DTSTAMP, so an unchanged agenda exports
# the same bytes. A row is written by the save of a listing page or an event page.
_SCHEMA = (
    table_schema("event_listings")
    + table_schema("event_pages")
    + """CREATE TABLE IF NOT EXISTS event_numbers (
    number INTEGER PRIMARY KEY,
    url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_changes (
    url TEXT PRIMARY KEY,
    listed TEXT,
    page TEXT,
    changed_at REAL NOT NULL
);
"""
)


def _changed(column: str) -> str:
    """Record an event's digest in `column`; its time changes only when the digest does."""
    return (
        f"INSERT INTO event_changes (url, {column}, changed_at) VALUES (?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
        f"changed_at = CASE WHEN {column} IS excluded.{column} THEN changed_at ELSE excluded.changed_at END, "
        f"{column} = excluded.{column}"
    )


_LISTED, _PAGE = _changed("listed"), _changed("page")


def _digest(value: dict[str, Any]) -> str:
    import hashlib  # ~2 ms (OpenSSL's bindings): only a write needs it, never a warm `events`

    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _listing_changes(listing: EventListing, fetched_at: float) -> list[Statement]:
    return [(_LISTED, (e.url, _digest(e.to_dict()), fetched_at)) for e in listing.events]


def _page_changes(page: EventPage, fetched_at: float) -> list[Statement]:
    return [(_PAGE, (page.url, _digest(page.to_dict()), fetched_at))]


class EventCounts(NamedTuple):
    listing_pages: int
    event_pages: int


class EventCache(Database):
    schema = _SCHEMA
    version = SCHEMA_VERSION
    label = N_("the events cache")
    core = {
        "event_listings": frozenset(("url", "fetched_at", "etag", "last_modified", "data")),
        "event_pages": frozenset(("url", "fetched_at", "etag", "last_modified", "data")),
        "event_numbers": frozenset(("number", "url")),
    }

    @cached_property
    def listings(self) -> PageTable[EventListing]:
        """The listing pages, one row per URL (each filter and offset is its own URL)."""
        return PageTable(self, "event_listings", EventListing.from_dict, EventListing.to_dict, _listing_changes)

    @cached_property
    def pages(self) -> PageTable[EventPage]:
        return PageTable(self, "event_pages", EventPage.from_dict, EventPage.to_dict, _page_changes)

    def changed_at(self, urls: Sequence[str]) -> dict[str, float]:
        """When each event's information (listing item or page) last changed, as far as this
        cache has seen; an event of an older cache: when its page, else its listing, was fetched."""
        out = dict(self._by_url("SELECT url, changed_at FROM event_changes", urls))
        missing = [url for url in urls if url not in out]
        if missing:  # one pass over the listings, not one scan per event
            listed = self._listed_at()
            out |= {url: listed[url] for url in missing if url in listed}
            out |= dict(self._by_url("SELECT url, fetched_at FROM event_pages", missing))
        return out

    def _by_url(self, select: str, urls: Sequence[str]) -> list[tuple[str, float]]:
        rows: list[tuple[str, float]] = []
        for start in range(0, len(urls), _CHUNK):
            chunk = list(urls[start : start + _CHUNK])
            rows += self.read(f"{select} WHERE url IN ({', '.join('?' * len(chunk))})", chunk)
        return rows

    def _listed_at(self) -> dict[str, float]:
        """Each listed event's URL -> when the newest listing page showing it was fetched."""
        out: dict[str, float] = {}
        for data, fetched_at in self.read("SELECT data, fetched_at FROM event_listings ORDER BY fetched_at"):
            events = json.loads(data).get("events") or ()
            out |= {url: fetched_at for e in events if isinstance(e, dict) and isinstance(url := e.get("url"), str)}
        return out

    def listed_event(self, url: str) -> tuple[Event, float] | None:
        """The event at `url` as the most recently fetched cached listing page shows it,
        with when that page was fetched (what `event N` shows of an event whose page was
        never fetched)."""
        quoted = json.dumps(url, ensure_ascii=False)  # as the listing's JSON holds it
        sql = "SELECT data, fetched_at FROM event_listings WHERE instr(data, ?) > 0 ORDER BY fetched_at DESC"
        for data, fetched_at in self.read(sql, (quoted,)):
            for event in EventListing.from_dict(json.loads(data)).events:
                if event.url == url:
                    return event, fetched_at
        return None

    def listed_events(self) -> list[Event]:
        """Every event of every cached listing page, each once (by URL)."""
        events: dict[str, Event] = {}
        for (data,) in self.read("SELECT data FROM event_listings ORDER BY url"):
            for event in EventListing.from_dict(json.loads(data)).events:
                events.setdefault(event.url, event)
        return list(events.values())

    # -- numbers of the last listing shown ------------------------------------------
    def numbered_urls(self) -> list[str]:
        """The event URLs of the last events listing shown, number 1 first."""
        return [r[0] for r in self.read("SELECT url FROM event_numbers ORDER BY number")]

    def save_numbers(self, urls: Sequence[str]) -> bool:
        if self.numbered_urls() == list(urls):
            return True  # the same listing as last time: nothing to write (~1-2 ms of a warm events)
        statements: list[Statement] = [("DELETE FROM event_numbers", ())]
        statements += [("INSERT INTO event_numbers VALUES (?, ?)", (n, url)) for n, url in enumerate(urls, 1)]
        return self.write(statements)

    # -- maintenance -------------------------------------------------------------
    def counts(self) -> EventCounts:
        return EventCounts(self.listings.count(), self.pages.count())

    def clear(self) -> bool:
        cleared = self.write(
            [
                self.listings.clear_statement(),
                self.pages.clear_statement(),
                ("DELETE FROM event_numbers", ()),
                ("DELETE FROM event_changes", ()),
            ]
        )
        self.compact()
        return cleared
