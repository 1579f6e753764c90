"""The quartiers beside the cache's full-text index (schema 4; search_index.py builds and
queries the index itself). Only the store imports it.

`article_quartiers` holds, per `search_text` row (the FTS rowid), the key of each quartier
its article names: its title, lead, listing summary and body, read by the tagger the store
is given (site/quartiers.py through the app: the store does not import the site layer) and
called by triggers on `search_text`, so the table follows every write of the index. So
`search --full fête --quartier Moulins` is one query: the MATCH, each of its rows checked
here. A table beside the FTS index rather than a column of it (measured in
benchmarks/quartier_bench.py): the user's words are never matched against the keys, a
search without --quartier runs the very query it ran before, and a cache of schema 3 only
needs its articles tagged, not its whole index rebuilt."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from lillenews.store.database import statements

# (title, lead, listing summary, body) -> the keys of the quartiers they name, as a JSON array
Tagger = Callable[[str | None, str | None, str | None, str | None], str]
Reader = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]  # runs one query: the store's error handling

# What the article row `a` names: a JSON array of quartier keys (the tagger reads the raw text).
_NAMED = """json_each(lillenews_quartiers(a.title, json_extract(a.data, '$.lead'),
            (SELECT summary FROM listed WHERE url = a.url), a.body))"""
_TAG = f"""INSERT OR IGNORE INTO article_quartiers (key, id)
        SELECT value, new.id FROM articles a, {_NAMED} WHERE a.id = new.article_id;"""
_TAG_ALL = f"""INSERT OR IGNORE INTO article_quartiers (key, id)
    SELECT value, s.id FROM search_text s JOIN articles a ON a.id = s.article_id, {_NAMED}"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS article_quartiers (
    key TEXT NOT NULL,  -- site/quartiers.py's key of a quartier
    id INTEGER NOT NULL,  -- the search_text row (the full-text index's rowid)
    PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_quartiers_by_id ON article_quartiers(id);
CREATE TRIGGER IF NOT EXISTS search_text_quartiers_ai AFTER INSERT ON search_text BEGIN
    {_TAG}
END;
CREATE TRIGGER IF NOT EXISTS search_text_quartiers_ad AFTER DELETE ON search_text BEGIN
    DELETE FROM article_quartiers WHERE id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS search_text_quartiers_au AFTER UPDATE ON search_text BEGIN
    DELETE FROM article_quartiers WHERE id = old.id;
    {_TAG}
END;
"""


def no_quartiers(title: str | None, lead: str | None, summary: str | None, body: str | None) -> str:
    """The tagger of a store given none (tests of the index alone): no quartier is named."""
    return "[]"


def register(conn: sqlite3.Connection, tagger: Tagger) -> None:
    """The SQL function the triggers call; on every connection that writes."""
    conn.create_function("lillenews_quartiers", 4, tagger, deterministic=True)


def create(conn: sqlite3.Connection) -> None:
    """The table and its triggers (empty: the triggers fill it as `search_text` is written)."""
    for statement in statements(SCHEMA):
        conn.execute(statement)


def add_quartiers(conn: sqlite3.Connection) -> None:
    """Schema 3 -> 4: the table and its triggers, and the quartiers of every indexed article
    (tagged once; the full-text index itself is left as it is). Idempotent."""
    create(conn)
    conn.execute("DELETE FROM article_quartiers")
    conn.execute(_TAG_ALL)


def ranked_in(ranked: str, count: int) -> str:
    """The ranking query `ranked` among the articles naming one of `count` quartiers (their
    keys follow the MATCH's parameter): each matching row is checked here. An `IN` list of
    rowids would be handed to FTS5, which then runs the MATCH once per rowid; a correlated
    EXISTS costs one lookup per match (a test counts SQLite's steps)."""
    keys = ",".join("?" * count)
    return ranked.replace(
        "MATCH ? ",
        f"MATCH ? AND EXISTS (SELECT 1 FROM article_quartiers WHERE key IN ({keys}) AND id = search_fts.rowid) ",
    )


def naming(read: Reader, rowids: list[int], keys: Sequence[str]) -> list[int]:
    """`rowids` (in their order) whose article names one of the quartiers `keys`."""
    kept: set[int] = set()
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        sql = (
            f"SELECT id FROM article_quartiers WHERE key IN ({','.join('?' * len(keys))}) "
            f"AND id IN ({','.join('?' * len(chunk))})"
        )
        kept.update(r[0] for r in read(sql, (*keys, *chunk)))
    return [i for i in rowids if i in kept]


def keys_of(read: Reader, urls: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The keys of the quartiers each cached article among `urls` names (() when none)."""
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(urls), 500):
        chunk = list(urls[start : start + 500])
        sql = (
            "SELECT a.url, q.key FROM articles a JOIN search_text s ON s.article_id = a.id "
            "LEFT JOIN article_quartiers q ON q.id = s.id "
            f"WHERE a.url IN ({','.join('?' * len(chunk))}) ORDER BY a.url, q.key"
        )
        for url, key in read(sql, chunk):
            out[url] = out.get(url, ()) + ((key,) if key else ())
    return out
