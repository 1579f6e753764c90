"""Percent-encoded URL identities: migrating a cache and the reading state
written with raw IRIs, so nothing cached is lost and nothing read becomes unread."""

from __future__ import annotations

import json
import sqlite3

from lillenews.store.url_migration import encode_cache, encode_json, encode_state

SITE = "https://www.lille.fr/Actualites/"
RAW = SITE + "Propreté-des-rues"
ENC = SITE + "Propret%C3%A9-des-rues"

CACHE = """
CREATE TABLE pages (url TEXT PRIMARY KEY, page_index INTEGER NOT NULL, fetched_at DOCTOR_SAVES NOT NULL, etag TEXT,
    last_modified TEXT, next_url TEXT, has_pagination INTEGER NOT NULL DEFAULT 0, headlines TEXT NOT NULL);
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, fetched_at DOCTOR_SAVES NOT NULL, etag TEXT,
    last_modified TEXT, title TEXT NOT NULL, body TEXT NOT NULL, data TEXT NOT NULL);
"""
STATE = """
CREATE TABLE marks (url TEXT PRIMARY KEY, read_at DOCTOR_SAVES);
CREATE TABLE seen (url TEXT PRIMARY KEY, first_seen DOCTOR_SAVES NOT NULL);
"""


def test_encode_json_encodes_every_url_field():
    data = {
        "url": RAW,
        "title": "Propreté",
        "images": [{"url": SITE + "é.jpg", "alt": "é"}],
        "blocks": [{"inlines": [{"text": "é", "href": RAW}]}],
        "related": [{"url": RAW, "title": "é"}],
        "image": SITE + "à.png",
    }
    new = encode_json(data)
    assert new["url"] == ENC and new["title"] == "Propreté"
    assert new["images"][0] == {"url": SITE + "%C3%A9.jpg", "alt": "é"}
    assert new["blocks"][0]["inlines"][0]["href"] == ENC and new["related"][0]["url"] == ENC
    assert new["image"] == SITE + "%C3%A0.png"
    assert encode_json(new) == new


def _cache():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(CACHE)
    headlines = [{"url": RAW, "title": "Propreté", "image": None}, {"url": SITE + "Plain", "title": "Plain"}]
    conn.execute(
        "INSERT INTO pages (url, page_index, fetched_at, next_url, headlines) VALUES (?, 0, 1.0, ?, ?)",
        (SITE, SITE + "?page=2&é=1", json.dumps(headlines, ensure_ascii=False)),
    )
    conn.execute(
        "INSERT INTO articles (url, fetched_at, title, body, data) VALUES (?, 5.0, 'P', 'b', ?)",
        (RAW, json.dumps({"url": RAW, "title": "P"})),
    )
    conn.execute(
        "INSERT INTO articles (url, fetched_at, title, body, data) VALUES (?, 1.0, 'Plain', 'b', ?)",
        (SITE + "Plain", json.dumps({"url": SITE + "Plain"})),
    )
    return conn


def test_cache_urls_are_encoded_and_nothing_is_lost():
    conn = _cache()
    assert encode_cache(conn) == 2
    [(next_url, headlines)] = conn.execute("SELECT next_url, headlines FROM pages").fetchall()
    assert next_url == SITE + "?page=2&%C3%A9=1"
    assert [h["url"] for h in json.loads(headlines)] == [ENC, SITE + "Plain"]
    assert json.loads(headlines)[0]["title"] == "Propreté"
    rows = conn.execute("SELECT url, json_extract(data, '$.url'), fetched_at FROM articles ORDER BY url").fetchall()
    assert rows == [(SITE + "Plain", SITE + "Plain", 1.0), (ENC, ENC, 5.0)]
    assert encode_cache(conn) == 0  # idempotent


def test_both_spellings_cached_keeps_the_newer():
    conn = _cache()
    conn.execute(
        "INSERT INTO articles (url, fetched_at, title, body, data) VALUES (?, 9.0, 'New', 'b', ?)",
        (ENC, json.dumps({"url": ENC})),
    )
    encode_cache(conn)
    assert conn.execute("SELECT url, title FROM articles WHERE url = ?", (ENC,)).fetchall() == [(ENC, "New")]
    conn = _cache()
    conn.execute(
        "INSERT INTO articles (url, fetched_at, title, body, data) VALUES (?, 2.0, 'Old', 'b', ?)",
        (ENC, json.dumps({"url": ENC})),
    )
    encode_cache(conn)
    assert conn.execute("SELECT url, title FROM articles WHERE url = ?", (ENC,)).fetchall() == [(ENC, "P")]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_read_marks_survive_the_encoding():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(STATE)
    conn.execute("INSERT INTO marks VALUES (?, 10.0)", (RAW,))
    conn.execute("INSERT INTO marks VALUES (?, 20.0)", (SITE + "Plain",))
    conn.execute("INSERT INTO seen VALUES (?, 3.0)", (RAW,))
    conn.execute("INSERT INTO seen VALUES (?, 7.0)", (ENC,))
    assert encode_state(conn) == 2
    assert sorted(conn.execute("SELECT url, read_at FROM marks")) == [(SITE + "Plain", 20.0), (ENC, 10.0)]
    assert conn.execute("SELECT url, first_seen FROM seen").fetchall() == [(ENC, 3.0)]
    conn.execute("INSERT INTO marks VALUES (?, 30.0)", (RAW,))  # both spellings read: read, at the later time
    encode_state(conn)
    assert conn.execute("SELECT read_at FROM marks WHERE url = ?", (ENC,)).fetchone() == (30.0,)
    assert encode_state(conn) == 0
