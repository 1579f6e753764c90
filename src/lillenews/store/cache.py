"""The local store: a SQLite cache of listing pages and articles (cache dir), and
the user's own state, what was read and seen (data dir), kept in a separate file
so that clearing or rebuilding the cache never touches it. Their SQL is here, except
the listing page tables' (store/pages.py), the full-text index's (store/search_index.py),
the quartier index's (store/quartier_index.py), the `new` ledger's (store/new_items.py) and
the one-time URL rewrite's (store/url_migration.py); the events cache has its own
(store/events.py). It returns named rows, never bare tuples.

Transactions, recovery from corruption and read-only degradation: store/database.py."""

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lillenews.base.i18n import N_, _
from lillenews.base.models import Article, Headline, ListingPage
from lillenews.store import quartier_index, search_index
from lillenews.store.database import Database, Statement, created_objects, error_name
from lillenews.store.pages import Copy, Validators, read_copy, touch

if TYPE_CHECKING:  # the query parser loads for a search only, not for `list` or `read`
    from lillenews.store.query import FullQuery, HeadlineQuery

# 2: FTS rank configured (bm25, title weighted); 3: folded full-text index of title, lead,
# summary and body (store/search_index.py), first-seen times, percent-encoded URL identities;
# 4: the quartiers each article names, beside the full-text index (store/search_index.py).
SCHEMA_VERSION = 4
# The reading state's own version (it was the cache's until 3): a newer version would make an
# older lillenews move the file, and the read marks, aside. The ledger of `lillenews new`
# creates its own table instead (store/new_items.py).
STATE_SCHEMA_VERSION = 3

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
    data TEXT NOT NULL,
    first_seen REAL  -- when lillenews first cached it: an undated article's stable time
);
-- The full-text index (search_text, search_fts, headline_tri, listed): store/search_index.py.
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


class CachedArticle(NamedTuple):
    article: Article
    fetched_at: float
    etag: str | None
    last_modified: str | None


FullTextHit = search_index.Hit  # a full-text match: the article's fields and the texts for a snippet


class CacheCounts(NamedTuple):
    pages: int
    articles: int
    oldest: float | None  # fetched_at of the oldest page or article
    newest: float | None


class FullTextQueryError(ValueError):
    """The full-text query is not valid FTS5 syntax (the message says why)."""


class Cache(Database):
    schema = _CACHE_SCHEMA
    version = SCHEMA_VERSION
    label = N_("the cache")
    core = {  # schema 1's tables; 3 added articles.first_seen and the index (search_index.py)
        "pages": frozenset(
            ("url", "page_index", "fetched_at", "etag", "last_modified", "next_url", "has_pagination", "headlines")
        ),
        "articles": frozenset(("id", "url", "fetched_at", "etag", "last_modified", "title", "body", "data")),
    }

    def objects(self) -> frozenset[str]:
        return super().objects() | created_objects(search_index.SCHEMA) | created_objects(quartier_index.SCHEMA)

    def __init__(
        self, path: Path, warn: Callable[[str], None], quartiers: quartier_index.Tagger = quartier_index.no_quartiers
    ) -> None:
        super().__init__(path, warn)
        self.quartiers = quartiers  # what the index records of the quartiers an article names (the app gives it)
        self._full_text = False  # a --full search ran: its connections need the index's vocabulary

    def prepare(self, conn: sqlite3.Connection) -> None:
        search_index.register(conn, self.quartiers)
        if self._full_text:  # e.g. the new file after a damaged one was moved aside mid-search
            conn.execute(search_index.VOCAB)  # TEMP: what a query costs (search_index.postings)

    def upgrade(self, conn: sqlite3.Connection, old_version: int) -> None:
        search_index.drop_old(conn)
        if 0 < old_version < 4:
            count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            if count:  # seconds for thousands of articles: say why this run is slow, once
                self.warn(
                    _("updating the cache for this version of lillenews (indexing {n} articles, once)").format(n=count)
                )
        if 0 < old_version < 3:
            from lillenews.store.url_migration import encode_cache  # an old store only

            encode_cache(conn)
        if old_version == 3:
            quartier_index.add_quartiers(conn)  # the full-text index stays; its articles are tagged once
        else:
            search_index.migrate(conn)

    # -- listing pages -------------------------------------------------------
    def pages(self) -> list[Copy[ListingPage]]:
        """The cached listing pages, first page first."""
        return [_page(r) for r in self.read(f"SELECT {_PAGE_COLUMNS} FROM pages ORDER BY page_index")]

    def page(self, url: str) -> Copy[ListingPage] | None:
        rows = self.read(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE url = ?", (url,))
        return _page(rows[0]) if rows else None

    def save_page(
        self,
        url: str,
        page_index: int,
        page: ListingPage,
        *,
        etag: str | None,
        last_modified: str | None,
        fetched_at: float,
    ) -> bool:
        """Store the listing page fetched from `url` as page `page_index` (replacing
        whatever page had that index before)."""
        data = json.dumps([h.to_dict() for h in page.headlines], ensure_ascii=False)
        next_url, has_pagination = page.next_url, page.has_pagination
        listed = search_index.listed_upserts(((h.url, h.summary) for h in page.headlines), fetched_at)
        return self.write(
            [
                ("DELETE FROM pages WHERE page_index = ? AND url != ?", (page_index, url)),
                (
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (url, page_index, fetched_at, etag, last_modified, next_url, int(has_pagination), data),
                ),
                *listed,
            ]
        )

    def touch_page(self, url: str, fetched_at: float, etag: str | None, last_modified: str | None) -> bool:
        return self.write([touch("pages", url, fetched_at, etag, last_modified)])

    # -- articles --------------------------------------------------------------
    def article(self, url: str) -> CachedArticle | None:
        copy = read_copy(self, "articles", url, Article.from_dict)
        return CachedArticle(*copy) if copy is not None else None

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
    ) -> Statement:
        data = _article_json(article)
        return (
            "INSERT INTO articles (url, fetched_at, etag, last_modified, title, body, data, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET fetched_at = excluded.fetched_at, etag = excluded.etag, "
            "last_modified = excluded.last_modified, title = excluded.title, body = excluded.body, "
            "data = excluded.data",
            (url, fetched_at, etag, last_modified, article.title, body_text, data, fetched_at),
        )

    def touch_article(self, url: str, fetched_at: float) -> bool:
        return self.write([self.article_touch(url, fetched_at)])

    @staticmethod
    def article_touch(url: str, fetched_at: float) -> Statement:
        """The statement recording that the cached article is still current (a 304)."""
        return ("UPDATE articles SET fetched_at = ? WHERE url = ?", (fetched_at, url))

    def search_full(
        self,
        query: "FullQuery | str",
        limit: int,
        headline: "HeadlineQuery | None" = None,
        quartiers: Sequence[str] = (),
    ) -> list[FullTextHit]:
        """The best `limit` articles for `query` (a parsed query, or words), bm25-ranked
        (store/search_index.py), then those `headline` finds that `query` does not; with
        `quartiers` (index keys), only articles naming one of them.
        An expression FTS5 rejects raises FullTextQueryError."""
        from lillenews.store.query import parse_full

        full = parse_full([query]) if isinstance(query, str) else query
        with self._lock:
            # The vocabulary table is made for a --full search only: ~0.7 ms at every open.
            self._full_text = True
            return search_index.search(self._fts_read, full, headline, limit, quartiers=quartiers)

    def article_quartiers(self, urls: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The keys of the quartiers the index holds for each cached article of `urls`."""
        with self._lock:
            return quartier_index.keys_of(self._read, list(dict.fromkeys(urls)))

    def _fts_read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            # A bad MATCH expression is SQLITE_ERROR; anything else goes through the
            # store's own handling (rebuild when corrupt, else a CacheError).
            if error_name(exc) == "SQLITE_ERROR":
                raise FullTextQueryError(str(exc)) from None
            return self._read(sql, params)

    def first_seen(self, urls: Iterable[str]) -> dict[str, float]:
        """When lillenews first saw each URL (listed, else cached): an undated entry's time."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, float] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.read(
                f"SELECT url, min(t) FROM (SELECT url, first_seen AS t FROM listed WHERE url IN ({marks}) "
                f"UNION ALL SELECT url, first_seen FROM articles WHERE url IN ({marks})) GROUP BY url",
                (*chunk, *chunk),
            )
            out.update({url: t for url, t in rows if t is not None})
        return out

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

    def clear(self) -> bool:
        """Empty the cache; False when it could not be written (nothing was cleared)."""
        cleared = self.write(
            [
                ("DELETE FROM pages", ()),
                ("DELETE FROM articles", ()),  # its triggers empty the full-text index
                # `listed` stays: first-seen times keep an undated feed entry's time stable.
                # The index keeps deleted entries until its segments are merged: merged now.
                ("INSERT INTO search_fts(search_fts) VALUES ('optimize')", ()),
            ]
        )
        self.compact()
        return cleared


def _article_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)


_PAGE_COLUMNS = "url, fetched_at, etag, last_modified, next_url, has_pagination, headlines"


def _page(row: tuple[Any, ...]) -> Copy[ListingPage]:
    url, fetched_at, etag, last_modified, next_url, has_pagination, headlines = row
    headlines = tuple(Headline.from_dict(h) for h in json.loads(headlines))
    return Copy(ListingPage(url, headlines, next_url, bool(has_pagination)), fetched_at, etag, last_modified)


class UserState(Database):
    """What the user has read and seen. Lives in the data dir, apart from the cache."""

    schema = _STATE_SCHEMA
    version = STATE_SCHEMA_VERSION
    label = N_("the reading state")
    core = {  # the same since schema 1
        "marks": frozenset(("url", "read_at")),
        "seen": frozenset(("url", "first_seen")),
        "meta": frozenset(("key", "value")),
    }

    def upgrade(self, conn: sqlite3.Connection, old_version: int) -> None:
        if 0 < old_version < 3:  # marks of raw IRIs follow their percent-encoded URLs
            from lillenews.store.url_migration import encode_state

            encode_state(conn)

    def read_urls(self) -> set[str]:
        return {r[0] for r in self.read("SELECT url FROM marks WHERE read_at IS NOT NULL")}

    def mark_unread(self, urls: Iterable[str]) -> bool:
        return self.write([("DELETE FROM marks WHERE url = ?", (u,)) for u in urls])

    def mark_read(self, urls: Iterable[str], when: float) -> bool:
        """Mark `urls` read at `when`; one read already keeps its first time (reading an
        article again writes nothing: ~1-3 ms of commit and checkpoint, with an fsync)."""
        known = self.read_urls()
        fresh = [u for u in dict.fromkeys(urls) if u not in known]
        return self.write([("INSERT OR REPLACE INTO marks (url, read_at) VALUES (?, ?)", (u, when)) for u in fresh])

    def seen_urls(self) -> set[str]:
        return {r[0] for r in self.read("SELECT url FROM seen")}

    def mark_seen(self, urls: Iterable[str], when: float) -> bool:
        # Only the new ones: a listing seen before writes nothing (no transaction to commit,
        # no log to fold back into the file when the store is closed: ~1-2 ms of a warm list).
        known = self.seen_urls()
        fresh = [u for u in dict.fromkeys(urls) if u not in known]
        return self.write([("INSERT OR IGNORE INTO seen (url, first_seen) VALUES (?, ?)", (u, when)) for u in fresh])
