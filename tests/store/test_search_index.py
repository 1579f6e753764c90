"""The full-text index (src/lillenews/store/search_index.py) on a bare SQLite
connection: what is indexed and how it is folded, the ranking and its bound, the
headline-search guarantee, and the migration of a schema-2 cache."""

from __future__ import annotations

import json
import sqlite3

import pytest

from lillenews.store import search_index as si
from lillenews.store.query import parse_full, parse_headline

TABLES = """
CREATE TABLE pages (url TEXT PRIMARY KEY, page_index INTEGER NOT NULL, fetched_at DOCTOR_SAVES NOT NULL, etag TEXT,
    last_modified TEXT, next_url TEXT, has_pagination INTEGER NOT NULL DEFAULT 0, headlines TEXT NOT NULL);
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, fetched_at DOCTOR_SAVES NOT NULL, etag TEXT,
    last_modified TEXT, title TEXT NOT NULL, body TEXT NOT NULL, data TEXT NOT NULL{first_seen});
"""
# The index objects of schema 2, which the migration replaces.
OLD_FTS = """
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"""
SITE = "https://www.lille.fr/Actualites/"


def _db(old: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(TABLES.format(first_seen="" if old else ", first_seen DOCTOR_SAVES"))
    if old:
        conn.executescript(OLD_FTS)
    else:
        si.register(conn)
        si.migrate(conn)
    return conn


def add(conn, slug, title, body="", lead=None, date=None, images=(), blocks=(), first_seen=1_600_000_000.0, old=False):
    data = json.dumps(
        {
            "url": SITE + slug,
            "title": title,
            "date": date,
            "category": "Culture",
            "lead": lead,
            "images": list(images),
            "blocks": list(blocks),
        }
    )
    cols = "url, fetched_at, title, body, data" + ("" if old else ", first_seen")
    values = (SITE + slug, first_seen, title, body, data) + (() if old else (first_seen,))
    conn.execute(f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(values))})", values)


def reader(conn):
    return lambda sql, params=(): conn.execute(sql, params).fetchall()


def find(conn, *words, headline=True, limit=20, rank_limit=si.RANK_LIMIT):
    hq = None
    if headline:
        try:
            hq = parse_headline(list(words))
        except Exception:
            hq = None
    hits = si.search(reader(conn), parse_full(list(words)), hq, limit, rank_limit)
    return [h.url.rsplit("/", 1)[1] for h in hits]


@pytest.fixture
def db():
    conn = _db()
    add(
        conn, "velo", "Le vélo à Lille", "Des pistes cyclables.", lead="Pédaler au cœur de la ville.", date="2021-02-08"
    )
    add(
        conn,
        "budget",
        "Conseil municipal",
        "Le vote a eu lieu.",
        lead="Le budget primitif 2021 est voté.",
        date="2021-03-01",
    )
    add(
        conn,
        "photo",
        "Une exposition",
        "Texte sans rapport.",
        date="2021-01-05",
        images=[{"url": "https://x/a.jpg", "alt": "Une girafe", "caption": "Le beffroi illuminé"}],
        blocks=[{"kind": "image", "caption": "Un funiculaire ancien", "alt": None}],
    )
    add(conn, "tableau", "Horaires", "Piscine | Lundi | 9h\nPatinoire | Mardi | 10h", date="2021-01-02")
    add(conn, "heberg", "Centre d’hébergement d’urgence", "Ouverture de l’œuvre.", date="2020-12-01")
    return conn


@pytest.mark.parametrize(
    ("words", "slugs"),
    [
        (["primitif"], ["budget"]),  # the lead is indexed
        (["beffroi"], ["photo"]),  # image captions
        (["girafe"], ["photo"]),  # image alt text
        (["funiculaire"], ["photo"]),  # image blocks' captions
        (["patinoire"], ["tableau"]),  # table cells
        (["coeur"], ["velo"]),
        (["oeuvre"], ["heberg"]),
        (["d'hébergement"], ["heberg"]),
        (["velo"], ["velo"]),
    ],
)
def test_what_is_indexed_and_folded(db, words, slugs):
    assert find(db, *words) == slugs


def test_listing_summary_is_indexed_and_follows_the_listing(db):
    db.execute(*si.listed_upserts([(SITE + "velo", "Une trottinette électrique.")], 1.0)[0])
    assert find(db, "trottinette") == ["velo"]
    db.execute(*si.listed_upserts([(SITE + "velo", "Un tramway.")], 2.0)[0])
    assert find(db, "trottinette") == [] and find(db, "tramway") == ["velo"]
    assert db.execute("SELECT first_seen FROM listed").fetchall() == [(1.0,)]  # first seen stays
    add(db, "later", "Plus tard", "rien")  # summary recorded before the article is cached
    db.execute(*si.listed_upserts([(SITE + "later", "Un kiosque.")], 3.0)[0])
    assert find(db, "kiosque") == ["later"]


def test_weights_title_before_lead_before_body():
    conn = _db()
    add(conn, "body", "Autre", "On parle du marché ici.", lead="Rien.")
    add(conn, "lead", "Autre", "Rien.", lead="Le marché de Wazemmes.")
    add(conn, "title", "Le marché", "Rien.", lead="Rien.")
    assert find(conn, "marche") == ["title", "lead", "body"]


def test_updates_and_deletes_follow_the_articles(db):
    db.execute("UPDATE articles SET body = 'Une patinoire flambant neuve.' WHERE url = ?", (SITE + "velo",))
    assert sorted(find(db, "patinoire")) == ["tableau", "velo"]
    assert find(db, "cyclables") == []
    db.execute("DELETE FROM articles WHERE url = ?", (SITE + "velo",))
    assert find(db, "patinoire") == ["tableau"]
    assert db.execute("SELECT count(*) FROM search_text").fetchone()[0] == 4
    assert db.execute("SELECT count(*) FROM headline_tri").fetchone()[0] == 4


def test_headline_substrings_are_found_too(db):
    # "ille" is inside « Lille » and « illuminé »: no word starts with it, the headline search finds it.
    assert find(db, "ille", headline=False) == []
    assert find(db, "ille") == ["velo"]  # the title, not the caption: as the headline search decides
    assert find(db, "ébergement") == ["heberg"]
    assert find(db, "li", "vel") == ["velo"]  # short words: no trigram, still found


def test_headline_extras_do_not_come_twice_and_respect_the_limit(db):
    assert find(db, "lille") == ["velo"]  # found by both indexes, listed once
    hits = find(db, "e", limit=2)
    assert len(hits) == 2 == len(set(hits))
    # extras come after the ranked hits and never push one out
    assert find(db, "ille", "-zzz", limit=1) == ["velo"]
    assert find(db, "vel", limit=1) == ["velo"]


def test_bounded_ranking_keeps_the_top_below_the_bound_and_prefers_recent_above():
    conn = _db()
    for i in range(30):
        # one mention of "ville" each, plus a title mention in the oldest article
        title = "La ville" if i == 0 else f"Article {i}"
        add(conn, f"a{i:02d}", title, "Une ville. " + "mot " * (i % 7), date=f"2021-01-{i + 1:02d}")
    full = find(conn, "ville", headline=False, limit=10, rank_limit=1000)
    assert full[0] == "a00"  # bm25: the title mention wins
    assert find(conn, "ville", headline=False, limit=10, rank_limit=30) == full  # 30 matches: not bounded
    bounded = find(conn, "ville", headline=False, limit=10, rank_limit=10)
    assert "a00" not in bounded  # only the 10 newest are ranked
    assert sorted(bounded) == [f"a{i}" for i in range(20, 30)]


def test_recency_key_orders_by_date_then_first_seen():
    assert si.recency_key("2021-02-08", None, 5) > si.recency_key("2021-02-07", None, 900)
    assert si.recency_key(None, 86400 * 20000.5, 1) == (20000 << 22) | 1
    assert si.recency_key("not a date", 86400 * 3, 1) == (3 << 22) | 1
    assert si.recency_key(None, None, 7) == 7


def test_migration_from_schema_2():
    conn = _db(old=True)
    add(conn, "velo", "Le vélo à Lille", "Des pistes.", lead="Au cœur.", old=True)
    add(conn, "undated", "Sans date", "Texte.", old=True)
    headlines = [
        {"url": SITE + "velo", "title": "Le vélo", "summary": "Une trottinette."},
        {"url": SITE + "other", "title": "Autre", "summary": None},
    ]
    conn.execute(
        "INSERT INTO pages (url, page_index, fetched_at, headlines) VALUES ('p1', 0, 5.0, ?)", (json.dumps(headlines),)
    )
    si.register(conn)
    si.migrate(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "articles_fts" not in names and "articles_ai" not in names
    assert conn.execute("SELECT count(*) FROM articles WHERE first_seen IS NULL").fetchone()[0] == 0
    assert sorted(conn.execute("SELECT url, first_seen, summary FROM listed")) == [
        (SITE + "other", 5.0, None),
        (SITE + "velo", 5.0, "Une trottinette."),
    ]
    assert find(conn, "coeur") == ["velo"]
    assert find(conn, "trottinette") == ["velo"]
    si.migrate(conn)  # idempotent
    assert conn.execute("SELECT count(*) FROM search_text").fetchone()[0] == 2
    assert find(conn, "texte") == ["undated"]


def test_mid_text_masks_word_starts():
    assert si.mid_text("le velo a lille sud") == "_e _elo _ _ille _ud"
    assert si.mid_text("") == "" and si.mid_text(None) == ""


@pytest.mark.parametrize(
    ("words", "slugs"),
    [
        (["ille"], ["velo"]),  # plain word: the mid-word column
        (["ille", "velo"], ["velo"]),
        (['"ille"'], ["velo"]),  # a phrase: the whole-headline column
        # -word: the headline search only looks at the title and summary, where "pistes" is not
        (["ille", "-pistes"], ["velo"]),
        (["ille", "-lille"], []),
        (["ille", "-girafe"], ["velo"]),
        (["ebergement", "urgence"], ["heberg"]),
        (["ebergement d"], ["heberg"]),  # one argument with a space: two words
    ],
)
def test_headline_guarantee_paths(db, words, slugs):
    assert find(db, *words) == slugs
    for slug in slugs:  # the headline search finds them too: that is why they are there
        title = db.execute("SELECT title FROM articles WHERE url = ?", (SITE + slug,)).fetchone()[0]
        assert parse_headline(list(words)).matches(title)
