"""The events cache records when each event's information last changed (the iCalendar
DTSTAMP): saving the same listing or page again keeps the time, a change moves it; a cache
written by a lillenews before this record is upgraded in place and falls back to fetch times."""

from __future__ import annotations

import json
import sqlite3

from lillenews.base.event_models import Event, EventListing, EventPage
from lillenews.store.events import EventCache
from lillenews.store.pages import table_schema

SITE = "https://www.lille.fr"
A, B = Event(SITE + "/Evenements/A", "A", place="Opéra"), Event(SITE + "/Evenements/B", "B")


def listing(*events: Event) -> EventListing:
    return EventListing(SITE + "/Evenements", events, None, None, ())


def test_saving_the_same_information_keeps_its_time_and_a_change_moves_it(tmp_path):
    store = EventCache(tmp_path / "events.db", print)
    store.listings.save(SITE + "/Evenements", listing(A, B), None, None, 100.0)
    store.listings.save(SITE + "/Evenements", listing(A, B), None, None, 200.0)  # fetched again, the same
    assert store.changed_at([A.url, B.url]) == {A.url: 100.0, B.url: 100.0}
    store.listings.save(SITE + "/Evenements", listing(A._replace(place="Opéra de Lille"), B), None, None, 300.0)
    assert store.changed_at([A.url, B.url]) == {A.url: 300.0, B.url: 100.0}
    page = EventPage(B.url, "B", lead="Le texte.")
    store.pages.save(B.url, page, None, None, 400.0)
    store.pages.save(B.url, page, None, None, 500.0)
    assert store.changed_at([B.url]) == {B.url: 400.0}  # its page, first seen at 400
    store.clear()
    assert store.changed_at([A.url, B.url]) == {}
    store.close()


def test_a_cache_of_the_first_schema_is_upgraded_and_falls_back_to_fetch_times(tmp_path):
    path = tmp_path / "events.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        table_schema("event_listings")
        + table_schema("event_pages")
        + "CREATE TABLE event_numbers (number INTEGER PRIMARY KEY, url TEXT NOT NULL);"
    )
    data = json.dumps(listing(A, B).to_dict())
    conn.execute("INSERT INTO event_listings VALUES (?, ?, NULL, NULL, ?)", (SITE + "/Evenements", 100.0, data))
    page = json.dumps(EventPage(B.url, "B").to_dict())
    conn.execute("INSERT INTO event_pages VALUES (?, ?, NULL, NULL, ?)", (B.url, 150.0, page))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    warnings: list[str] = []
    store = EventCache(path, warnings.append)
    assert store.changed_at([A.url, B.url, SITE + "/Evenements/C"]) == {A.url: 100.0, B.url: 150.0}
    assert store.listings.get(SITE + "/Evenements") is not None and warnings == []  # nothing lost
    store.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
