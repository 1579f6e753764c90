"""The events agenda's part of the cache: listing pages (each filter is its own URL),
event pages, and the numbers of the last events listing shown (what `event N` means).

Its own SQLite file beside the news cache (`events.db` in the cache dir), with the same
transactions, recovery and read-only degradation (store/database.py), so its schema evolves
without touching the news cache's version. Every events SQL statement is here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from lillenews.base.event_models import EventListing, EventPage
from lillenews.base.i18n import N_
from lillenews.store.database import Database

SCHEMA_VERSION = 1
FILE_NAME = "events.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_listings (
    url TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_pages (
    url TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_numbers (
    number INTEGER PRIMARY KEY,
    url TEXT NOT NULL
);
"""


class CachedEventListing(NamedTuple):
    listing: EventListing
    fetched_at: float
    etag: str | None
    last_modified: str | None


class CachedEventPage(NamedTuple):
    page: EventPage
    fetched_at: float
    etag: str | None
    last_modified: str | None


class EventCounts(NamedTuple):
    listing_pages: int
    event_pages: int


class EventCache(Database):
    schema = _SCHEMA
    version = SCHEMA_VERSION
    label = N_("the events cache")

    # -- listing pages -------------------------------------------------------------
    def listing(self, url: str) -> CachedEventListing | None:
        row = self._cached("event_listings", url)
        return None if row is None else CachedEventListing(EventListing.from_dict(row[0]), *row[1:])

    def save_listing(
        self, url: str, listing: EventListing, etag: str | None, last_modified: str | None, fetched_at: float
    ) -> bool:
        return self._save("event_listings", url, listing.to_dict(), etag, last_modified, fetched_at)

    def touch_listing(self, url: str, fetched_at: float, etag: str | None, last_modified: str | None) -> bool:
        sql = (
            "UPDATE event_listings SET fetched_at = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified) WHERE url = ?"
        )
        return self.write([(sql, (fetched_at, etag, last_modified, url))])

    # -- event pages -------------------------------------------------------------
    def page(self, url: str) -> CachedEventPage | None:
        row = self._cached("event_pages", url)
        return None if row is None else CachedEventPage(EventPage.from_dict(row[0]), *row[1:])

    def save_page(
        self, url: str, page: EventPage, etag: str | None, last_modified: str | None, fetched_at: float
    ) -> bool:
        return self._save("event_pages", url, page.to_dict(), etag, last_modified, fetched_at)

    # Both tables hold (url, fetched_at, etag, last_modified, data as JSON): one reader, one writer.
    def _cached(self, table: str, url: str) -> tuple[dict[str, Any], float, str | None, str | None] | None:
        rows = self.read(f"SELECT data, fetched_at, etag, last_modified FROM {table} WHERE url = ?", (url,))
        if not rows:
            return None
        data, fetched_at, etag, last_modified = rows[0]
        return json.loads(data), fetched_at, etag, last_modified

    def _save(
        self,
        table: str,
        url: str,
        data: dict[str, Any],
        etag: str | None,
        last_modified: str | None,
        fetched_at: float,
    ) -> bool:
        row = (url, fetched_at, etag, last_modified, json.dumps(data, ensure_ascii=False))
        return self.write([(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?)", row)])

    def touch_page(self, url: str, fetched_at: float) -> bool:
        return self.write([("UPDATE event_pages SET fetched_at = ? WHERE url = ?", (fetched_at, url))])

    # -- numbers of the last listing shown ------------------------------------------
    def numbered_urls(self) -> list[str]:
        """The event URLs of the last events listing shown, number 1 first."""
        return [r[0] for r in self.read("SELECT url FROM event_numbers ORDER BY number")]

    def save_numbers(self, urls: Sequence[str]) -> bool:
        statements: list[tuple[str, Sequence[object]]] = [("DELETE FROM event_numbers", ())]
        statements += [("INSERT INTO event_numbers VALUES (?, ?)", (n, url)) for n, url in enumerate(urls, 1)]
        return self.write(statements)

    # -- maintenance -------------------------------------------------------------
    def counts(self) -> EventCounts:
        listings = self.read("SELECT count(*) FROM event_listings")[0][0]
        pages = self.read("SELECT count(*) FROM event_pages")[0][0]
        return EventCounts(listings, pages)

    def clear(self) -> bool:
        return self.write(
            [("DELETE FROM event_listings", ()), ("DELETE FROM event_pages", ()), ("DELETE FROM event_numbers", ())]
        )
