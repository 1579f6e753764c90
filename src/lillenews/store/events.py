"""The events agenda's part of the cache: listing pages (each filter is its own URL),
event pages, and the numbers of the last events listing shown (what `event N` means).

Its own SQLite file beside the news cache (`events.db` in the cache dir), with the same
transactions, recovery and read-only degradation (store/database.py), so its schema evolves
without touching the news cache's version. Every events SQL statement is here or, for the
two page tables, in store/pages.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

from lillenews.base.event_models import Event, EventListing, EventPage
from lillenews.base.i18n import N_
from lillenews.store.database import Database, Statement
from lillenews.store.pages import PageTable, table_schema

SCHEMA_VERSION = 1
FILE_NAME = "events.db"

# Both page tables have the shared layout of store/pages.py (unchanged since version 1).
_SCHEMA = (
    table_schema("event_listings")
    + table_schema("event_pages")
    + """CREATE TABLE IF NOT EXISTS event_numbers (
    number INTEGER PRIMARY KEY,
    url TEXT NOT NULL
);
"""
)


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
        return PageTable(self, "event_listings", EventListing.from_dict, EventListing.to_dict)

    @cached_property
    def pages(self) -> PageTable[EventPage]:
        return PageTable(self, "event_pages", EventPage.from_dict, EventPage.to_dict)

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
        statements: list[Statement] = [("DELETE FROM event_numbers", ())]
        statements += [("INSERT INTO event_numbers VALUES (?, ?)", (n, url)) for n, url in enumerate(urls, 1)]
        return self.write(statements)

    # -- maintenance -------------------------------------------------------------
    def counts(self) -> EventCounts:
        return EventCounts(self.listings.count(), self.pages.count())

    def clear(self) -> bool:
        cleared = self.write(
            [self.listings.clear_statement(), self.pages.clear_statement(), ("DELETE FROM event_numbers", ())]
        )
        self.compact()
        return cleared
