"""The local store: a SQLite cache of listing pages and articles (cache dir), and
the user's own state, what was read and seen (data dir), kept in a separate file
so that clearing or rebuilding the cache never touches it.

Writes happen in transactions (WAL journal, busy timeout), so a killed process
leaves what it committed, and several processes can share the cache. A corrupt
cache, or one from a newer schema, is moved aside and rebuilt with one warning.
A cache that cannot be written (read-only or full disk) degrades to warnings."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import CacheError
from .models import Article, Headline

SCHEMA_VERSION = 2  # 2: FTS rank configured (bm25, title weighted)
BUSY_TIMEOUT_S = 30.0

_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    page_index INTEGER NOT NULL,
    fetched_at REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    next_url TEXT,
    has_pagination INTEGER NOT NULL DEFAULT 0,
    headlines TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_by_index ON pages(page_index);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    fetched_at REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
-- Persistent rank function: ORDER BY rank lets FTS5 sort without computing bm25
-- (or snippets) for rows that are not returned.
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"""

_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    url TEXT PRIMARY KEY,
    read_at REAL
);
CREATE TABLE IF NOT EXISTS seen (
    url TEXT PRIMARY KEY,
    first_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

# SQLite's own error names (Python 3.11: exc.sqlite_errorname), matched on their primary
# code so that extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED ...) count too.
_WRITE_FAILURES = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_NOMEM", "SQLITE_PERM")
_CORRUPTION = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class CachedPage(NamedTuple):
    url: str
    page_index: int
    fetched_at: float
    etag: str | None
    last_modified: str | None
    next_url: str | None
    has_pagination: bool
    headlines: tuple[Headline, ...]


class CachedArticle(NamedTuple):
    article: Article
    fetched_at: float
    etag: str | None
    last_modified: str | None


class Validators(NamedTuple):
    """What a conditional request sends back to the server (If-None-Match, If-Modified-Since)."""

    etag: str | None
    last_modified: str | None


class FullTextHit(NamedTuple):
    """One full-text match: the article's identity, its snippet (matches wrapped
    in \\x02..\\x03) and the listing fields kept in the cached article."""

    url: str
    title: str
    snippet: str
    date: str | None
    category: str | None
    lead: str | None
    image: str | None


class CacheCounts(NamedTuple):
    pages: int
    articles: int
    oldest: float | None  # fetched_at of the oldest page or article
    newest: float | None


class FullTextQueryError(ValueError):
    """The full-text query is not valid FTS5 syntax (the message says why)."""


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


class _Database:
    """A SQLite file with a schema version, recovery from corruption and
    graceful degradation when it cannot be written."""

    schema: str
    label: str

    def __init__(self, path: Path, warn: Callable[[str], None]):
        self.path = path
        self.warn = warn
        self._conn: sqlite3.Connection | None = None
        self._write_warned = False
        self.writable = True
        # One connection may serve several threads (sync): transactions must not interleave.
        self._lock = threading.RLock()

    # -- opening -----------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(self.path)
            self._check(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                return self._rebuild(str(exc))
            if _is_write_failure(exc):
                return self._read_only_or_memory(exc)
            raise CacheError(f"cannot open the {self.label} at {self.path}: {exc}") from None
        except _FutureSchema as exc:
            return self._rebuild(str(exc))
        except OSError as exc:
            return self._read_only_or_memory(exc)

    def _check(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _FutureSchema(f"written by a newer lillenews (schema {version})")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if version < SCHEMA_VERSION:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read inside the write lock: another process may have just done it.
                if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    for statement in _statements(self.schema):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        conn.execute("PRAGMA synchronous = NORMAL")

    def _rebuild(self, why: str) -> sqlite3.Connection:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while aside.exists():  # never overwrite an earlier broken copy
            n += 1
            aside = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                with contextlib.suppress(OSError):
                    os.replace(src, Path(str(aside) + suffix))
        self.warn(
            f"the {self.label} at {self.path} was unreadable ({why}); moved it to {aside.name} and started a new one"
        )
        try:
            conn = _connect(self.path)
            self._check(conn)
            return conn
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._read_only_or_memory(exc)

    def _read_only_or_memory(self, exc: BaseException) -> sqlite3.Connection:
        """Keep serving what is there, read-only, or an empty in-memory store."""
        self._warn_write(exc)
        self.writable = False
        try:
            if self.path.exists():
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro",
                    uri=True,
                    timeout=BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
                # Only a complete store of this version: a half-created one (disk
                # full while creating the tables) has no tables to read.
                if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                    return conn
                conn.close()
        except sqlite3.DatabaseError:
            pass
        conn = _connect(":memory:")
        for statement in _statements(self.schema):
            conn.execute(statement)
        return conn

    def _warn_write(self, exc: BaseException) -> None:
        if not self._write_warned:
            self._write_warned = True
            reason = getattr(exc, "strerror", None) or str(exc)
            self.warn(f"could not write the {self.label} at {self.path} ({reason}); results are shown but not saved")

    # -- guarded access ------------------------------------------------------
    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._read(sql, params)

    def _read(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                self._conn = self._rebuild(str(exc))
                return self._conn.execute(sql, params).fetchall()
            raise CacheError(f"the {self.label} at {self.path} could not be read: {exc}") from None

    def write(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> bool:
        """Run `statements` in one transaction. Returns False (after one warning)
        when the store cannot be written; never loses what was committed before."""
        statements = list(statements)
        with self._lock:
            return self._write(statements)

    def _write(self, statements: list[tuple[str, Sequence[Any]]]) -> bool:
        for attempt in range(2):
            try:
                conn = self.conn
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in statements:
                        conn.execute(sql, params)
                    conn.execute("COMMIT")
                    return True
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                if _is_corruption(exc) and attempt == 0:
                    self._conn = self._rebuild(str(exc))
                    continue
                if _is_write_failure(exc) or not self.writable:
                    self._warn_write(exc)
                    return False
                raise CacheError(f"could not write the {self.label} at {self.path}: {exc}") from None
        return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _FutureSchema(Exception):
    pass


def _statements(script: str) -> list[str]:
    """Split a schema script into statements (triggers contain ';')."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


def _error_name(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def _is_corruption(exc: BaseException) -> bool:
    return _error_name(exc).startswith(_CORRUPTION)


def _is_write_failure(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or _error_name(exc).startswith(_WRITE_FAILURES)


class Cache(_Database):
    schema = _CACHE_SCHEMA
    label = "cache"

    # -- listing pages -------------------------------------------------------
    def pages(self) -> list[CachedPage]:
        rows = self.read(
            "SELECT url, page_index, fetched_at, etag, last_modified, next_url, has_pagination, headlines "
            "FROM pages ORDER BY page_index"
        )
        return [_page(r) for r in rows]

    def page(self, url: str) -> CachedPage | None:
        rows = self.read(
            "SELECT url, page_index, fetched_at, etag, last_modified, next_url, has_pagination, headlines "
            "FROM pages WHERE url = ?",
            (url,),
        )
        return _page(rows[0]) if rows else None

    def save_page(
        self,
        page_index: int,
        url: str,
        headlines: Sequence[Headline],
        next_url: str | None,
        has_pagination: bool,
        etag: str | None,
        last_modified: str | None,
        fetched_at: float,
    ) -> bool:
        data = json.dumps([h.to_dict() for h in headlines], ensure_ascii=False)
        return self.write(
            [
                ("DELETE FROM pages WHERE page_index = ? AND url != ?", (page_index, url)),
                (
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (url, page_index, fetched_at, etag, last_modified, next_url, int(has_pagination), data),
                ),
            ]
        )

    def touch_page(self, url: str, fetched_at: float, etag: str | None, last_modified: str | None) -> bool:
        return self.write(
            [
                (
                    "UPDATE pages SET fetched_at = ?, etag = coalesce(?, etag), "
                    "last_modified = coalesce(?, last_modified) WHERE url = ?",
                    (fetched_at, etag, last_modified, url),
                )
            ]
        )

    # -- articles --------------------------------------------------------------
    def article(self, url: str) -> CachedArticle | None:
        rows = self.read("SELECT data, fetched_at, etag, last_modified FROM articles WHERE url = ?", (url,))
        if not rows:
            return None
        data, fetched_at, etag, last_modified = rows[0]
        return CachedArticle(Article.from_dict(json.loads(data)), fetched_at, etag, last_modified)

    def article_validators(self) -> dict[str, Validators]:
        """Every cached article's URL with its validators."""
        return {
            url: Validators(etag, last_modified)
            for url, etag, last_modified in self.read("SELECT url, etag, last_modified FROM articles")
        }

    def holds_article(self, url: str, article: Article) -> bool:
        """Whether the cached article at `url` is exactly `article` (nothing changed)."""
        rows = self.read("SELECT data FROM articles WHERE url = ?", (url,))
        return bool(rows) and rows[0][0] == _article_json(article)

    def save_article(
        self, url: str, article: Article, body_text: str, etag: str | None, last_modified: str | None, fetched_at: float
    ) -> bool:
        return self.write([self.article_upsert(url, article, body_text, etag, last_modified, fetched_at)])

    @staticmethod
    def article_upsert(
        url: str, article: Article, body_text: str, etag: str | None, last_modified: str | None, fetched_at: float
    ) -> tuple[str, Sequence[Any]]:
        data = _article_json(article)
        return (
            "INSERT INTO articles (url, fetched_at, etag, last_modified, title, body, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET fetched_at = excluded.fetched_at, etag = excluded.etag, "
            "last_modified = excluded.last_modified, title = excluded.title, body = excluded.body, "
            "data = excluded.data",
            (url, fetched_at, etag, last_modified, article.title, body_text, data),
        )

    def touch_article(self, url: str, fetched_at: float) -> bool:
        return self.write([self.article_touch(url, fetched_at)])

    @staticmethod
    def article_touch(url: str, fetched_at: float) -> tuple[str, Sequence[Any]]:
        """The statement recording that the cached article is still current (a 304)."""
        return ("UPDATE articles SET fetched_at = ? WHERE url = ?", (fetched_at, url))

    def search_full(self, query: str, limit: int) -> list[FullTextHit]:
        """Articles matching `query`, ranked by bm25 (title weighted 5x).
        FTS5 syntax errors raise FullTextQueryError."""
        sql = (
            "SELECT a.url, a.title, snippet(articles_fts, -1, char(2), char(3), '…', 24), "
            "json_extract(a.data, '$.date'), json_extract(a.data, '$.category'), "
            "json_extract(a.data, '$.lead'), json_extract(a.data, '$.images[0].url') "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        with self._lock:
            try:
                rows = self.conn.execute(sql, (query, limit)).fetchall()
            except sqlite3.DatabaseError as exc:
                # A bad MATCH expression is SQLITE_ERROR; anything else goes through the
                # store's own handling (rebuild when corrupt, else a CacheError).
                if _error_name(exc) == "SQLITE_ERROR":
                    raise FullTextQueryError(str(exc)) from None
                rows = self._read(sql, (query, limit))
        return [FullTextHit(*r) for r in rows]

    def has_articles(self) -> bool:
        return bool(self.read("SELECT 1 FROM articles LIMIT 1"))

    # -- maintenance -------------------------------------------------------------
    def counts(self) -> CacheCounts:
        pages, p_oldest, p_newest = self.read("SELECT count(*), min(fetched_at), max(fetched_at) FROM pages")[0]
        articles, a_oldest, a_newest = self.read("SELECT count(*), min(fetched_at), max(fetched_at) FROM articles")[0]
        return CacheCounts(
            pages,
            articles,
            oldest=min([t for t in (p_oldest, a_oldest) if t is not None], default=None),
            newest=max([t for t in (p_newest, a_newest) if t is not None], default=None),
        )

    def clear(self) -> None:
        self.write(
            [
                ("DELETE FROM pages", ()),
                ("DELETE FROM articles", ()),
                ("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')", ()),
            ]
        )
        with contextlib.suppress(sqlite3.DatabaseError):
            self.conn.execute("VACUUM")


def _article_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)


def _page(row: tuple) -> CachedPage:
    url, index, fetched_at, etag, last_modified, next_url, has_pagination, headlines = row
    return CachedPage(
        url,
        index,
        fetched_at,
        etag,
        last_modified,
        next_url,
        bool(has_pagination),
        tuple(Headline.from_dict(h) for h in json.loads(headlines)),
    )


class UserState(_Database):
    """What the user has read and seen. Lives in the data dir, apart from the cache."""

    schema = _STATE_SCHEMA
    label = "reading state"

    def read_urls(self) -> set[str]:
        return {r[0] for r in self.read("SELECT url FROM marks WHERE read_at IS NOT NULL")}

    def mark_unread(self, urls: Iterable[str]) -> bool:
        return self.write([("DELETE FROM marks WHERE url = ?", (u,)) for u in urls])

    def mark_read(self, urls: Iterable[str], when: float) -> bool:
        return self.write([("INSERT OR REPLACE INTO marks (url, read_at) VALUES (?, ?)", (u, when)) for u in urls])

    def seen_urls(self) -> set[str]:
        return {r[0] for r in self.read("SELECT url FROM seen")}

    def mark_seen(self, urls: Iterable[str], when: float) -> bool:
        return self.write([("INSERT OR IGNORE INTO seen (url, first_seen) VALUES (?, ?)", (u, when)) for u in urls])
