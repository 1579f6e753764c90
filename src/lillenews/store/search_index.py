"""The full-text index of the cache, part of the store layer: its schema, the
migration of older caches, and its two queries. Only store/cache.py imports it.

Design (measured in benchmarks/fts_bench.py, figures in benchmarks/README.md):
- `search_text` holds, per cached article, the folded text (base.text.fold, separators as
  spaces) of its title, lead, listing summary and body (+ image captions). Triggers on
  `articles` keep it current; they call SQL functions registered on every connection
  (`register`). Its rowid is a recency key (day of the article's date, or of the day
  lillenews first saw it, then the article id), so "the newest matches" is FTS5's own
  rowid order and costs nothing to find.
- `search_fts` (unicode61) indexes those four columns, ranked by bm25 with weights
  title 10 > lead 4 = summary 4 > body 1. Every plain word is a prefix query (store/query.py).
  Ranking is bounded: bm25 orders the RANK_LIMIT newest matches. Below RANK_LIMIT matches
  that is every match, so the top 20 is exactly the full bm25 ranking; above, a word in
  99 % of 10,000 articles costs ≈ 2.5 ms instead of 11–20 ms.
- `headline_tri` (trigram) indexes the folded title + summary (`head`), so full search also
  finds what the headline search finds (a folded substring: `ille` in « Lille »), which
  word prefixes alone miss; those few extra hits come after the ranked ones (so they
  never push a ranked hit out of the first `limit`). Its `mid` column is `head` with
  the first letter of every word masked: for a query of plain words,
  only an article holding a word *inside* a word of its headline can be missed by the
  prefix query, and `mid` finds just those (`ville` in « centre-ville » is not one), so the
  guarantee costs ≈ 0.3 ms instead of a pass over every headline holding the word.
- `listed` keeps, per listed URL, when lillenews first saw it (the stable time of an
  undated feed entry) and its listing summary (indexed with the article).
- `article_quartiers` (schema 4, quartier_index.py): the quartiers each indexed article
  names, beside the FTS index, filled by triggers on `search_text`."""

import datetime as _dt
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from lillenews.base.i18n import _
from lillenews.base.text import fold, lazy_pattern
from lillenews.store import quartier_index
from lillenews.store.database import statements
from lillenews.store.quartier_index import Tagger, no_quartiers

if TYPE_CHECKING:  # the query parser (and dataclasses) load for a search only, not for `list`
    from lillenews.store.query import FullQuery, HeadlineQuery

RANK_LIMIT = 1000  # bm25 ranks the newest RANK_LIMIT matches (all of them below that)
WEIGHTS = "bm25(10.0, 4.0, 4.0, 1.0)"  # title, lead, summary, body
_ID_BITS = 22  # the recency key: day << 22 | article id
# What a full-text query may make FTS5 read: (word, article) pairs, a prefix standing for
# every indexed word it begins. ~0.5 us each here: 400,000 is ~0.2-0.3 s. "a"* (every
# French text has « à ») is ~49,000 over 3,000 articles; 2,000 a* terms took 8 s.
MAX_POSTINGS = 400_000
VOCAB = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, row)"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS listed (
    url TEXT PRIMARY KEY,
    first_seen REAL NOT NULL,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS search_text (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL UNIQUE,
    title TEXT, lead TEXT, summary TEXT, body TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, lead, summary, body, content='search_text', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO search_fts(search_fts, rank) VALUES ('rank', '{WEIGHTS}');
CREATE VIRTUAL TABLE IF NOT EXISTS headline_tri USING fts5(head, mid, tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS search_text_ai AFTER INSERT ON search_text BEGIN
    {{add_new}}
END;
CREATE TRIGGER IF NOT EXISTS search_text_ad AFTER DELETE ON search_text BEGIN
    {{remove_old}}
END;
CREATE TRIGGER IF NOT EXISTS search_text_au AFTER UPDATE ON search_text BEGIN
    {{remove_old}}
    {{add_new}}
END;
CREATE TRIGGER IF NOT EXISTS articles_search_ai AFTER INSERT ON articles BEGIN
    {{index_new}}
END;
CREATE TRIGGER IF NOT EXISTS articles_search_au AFTER UPDATE OF title, body, data, first_seen ON articles BEGIN
    DELETE FROM search_text WHERE article_id = old.id;
    {{index_new}}
END;
CREATE TRIGGER IF NOT EXISTS articles_search_ad AFTER DELETE ON articles BEGIN
    DELETE FROM search_text WHERE article_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS listed_search_ai AFTER INSERT ON listed BEGIN
    UPDATE search_text SET summary = lillenews_fold(new.summary)
        WHERE article_id = (SELECT id FROM articles WHERE url = new.url);
END;
CREATE TRIGGER IF NOT EXISTS listed_search_au AFTER UPDATE OF summary ON listed BEGIN
    UPDATE search_text SET summary = lillenews_fold(new.summary)
        WHERE article_id = (SELECT id FROM articles WHERE url = new.url);
END;
"""
# What an article row `new` puts in the index; `body` also gets the image captions and alts.
_VALUES = """lillenews_recency(json_extract(new.data, '$.date'), new.first_seen, new.id), new.id,
        lillenews_fold(new.title), lillenews_fold(json_extract(new.data, '$.lead')),
        lillenews_fold((SELECT summary FROM listed WHERE url = new.url)),
        lillenews_fold(new.body || ' ' || coalesce((SELECT group_concat(v, ' ') FROM (
            SELECT coalesce(json_extract(value, '$.caption'), '') || ' ' || coalesce(json_extract(value, '$.alt'), '')
                AS v FROM json_each(new.data, '$.images')
            UNION ALL
            SELECT coalesce(json_extract(value, '$.caption'), '') || ' ' || coalesce(json_extract(value, '$.alt'), '')
                FROM json_each(new.data, '$.blocks') WHERE json_extract(value, '$.kind') = 'image')), ''))"""
_INDEX_NEW = f"INSERT INTO search_text (id, article_id, title, lead, summary, body) VALUES ({_VALUES});"
# What the triggers on search_text do: an update is a removal, then an addition.
_ADD_NEW = """INSERT INTO search_fts(rowid, title, lead, summary, body)
        VALUES (new.id, new.title, new.lead, new.summary, new.body);
    INSERT INTO headline_tri(rowid, head, mid) VALUES (new.id, new.title || ' ' || coalesce(new.summary, ''),
        lillenews_mid(new.title || ' ' || coalesce(new.summary, '')));"""
_REMOVE_OLD = """INSERT INTO search_fts(search_fts, rowid, title, lead, summary, body)
        VALUES ('delete', old.id, old.title, old.lead, old.summary, old.body);
    DELETE FROM headline_tri WHERE rowid = old.id;"""
SCHEMA = SCHEMA.replace("{index_new}", _INDEX_NEW).replace("{add_new}", _ADD_NEW).replace("{remove_old}", _REMOVE_OLD)

# The index objects of schema version 2 and older, dropped by the migration.
_OLD = (
    "DROP TRIGGER IF EXISTS articles_ai",
    "DROP TRIGGER IF EXISTS articles_ad",
    "DROP TRIGGER IF EXISTS articles_au",
    "DROP TABLE IF EXISTS articles_fts",
)


def index_text(text: str | None) -> str:
    """What the index holds for `text`: folded, separators as single spaces."""
    from lillenews.store.query import spaced  # on write only: the SQL triggers call this

    return spaced(fold(text)) if text else ""


def recency_key(date: str | None, first_seen: float | None, article_id: int) -> int:
    """Newer articles get larger keys: the article's day (or the day it was first seen)."""
    day = 0
    try:
        if date:
            day = (_dt.date.fromisoformat(date[:10]) - _dt.date(1970, 1, 1)).days
        elif first_seen:
            day = int(first_seen // 86400)
    except ValueError:
        day = int(first_seen // 86400) if first_seen else 0
    return (day << _ID_BITS) | (article_id & ((1 << _ID_BITS) - 1))


_word_start = lazy_pattern(r"(?<![^ ])[^ ]")


def mid_text(spaced_text: str | None) -> str:
    """The first character of every word masked ("le velo" -> "_e _elo"): a substring of
    this is a substring of the text that does not begin a word."""
    return _word_start().sub("_", spaced_text or "")


def register(conn: sqlite3.Connection, quartiers: Tagger = no_quartiers) -> None:
    """The SQL functions the index triggers call; on every connection that writes."""
    conn.create_function("lillenews_fold", 1, index_text, deterministic=True)
    conn.create_function("lillenews_recency", 3, recency_key, deterministic=True)
    conn.create_function("lillenews_mid", 1, mid_text, deterministic=True)
    quartier_index.register(conn, quartiers)


def drop_old(conn: sqlite3.Connection) -> None:
    """Drop the index of schema <= 2 (its triggers would fire on every later write)."""
    for statement in _OLD:
        conn.execute(statement)


def migrate(conn: sqlite3.Connection) -> None:
    """Create the index and (re)fill it from the cached articles, inside the store's
    upgrade transaction: give articles a first-seen time, fill `listed` from the cached
    listing pages, index every article. Idempotent; also what a new cache runs."""
    drop_old(conn)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    if "first_seen" not in columns:
        conn.execute("ALTER TABLE articles ADD COLUMN first_seen REAL")
    conn.execute("UPDATE articles SET first_seen = fetched_at WHERE first_seen IS NULL")
    for statement in statements(SCHEMA):
        conn.execute(statement)
    conn.execute(
        "INSERT OR IGNORE INTO listed (url, first_seen, summary) "
        "SELECT json_extract(h.value, '$.url'), min(p.fetched_at), json_extract(h.value, '$.summary') "
        "FROM pages p, json_each(p.headlines) h WHERE json_extract(h.value, '$.url') IS NOT NULL "
        "GROUP BY json_extract(h.value, '$.url')"
    )
    quartier_index.create(conn)  # filled by its triggers as search_text is below
    conn.execute("DELETE FROM search_text")
    conn.execute(
        f"INSERT INTO search_text (id, article_id, title, lead, summary, body) SELECT {_VALUES} FROM articles AS new"
    )


def listed_upserts(headlines: Iterable[tuple[str, str | None]], now: float) -> list[tuple[str, Sequence[Any]]]:
    """Statements recording listed (url, summary) pairs: first seen now unless seen before."""
    return [
        (
            "INSERT INTO listed (url, first_seen, summary) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET summary = excluded.summary WHERE summary IS NOT excluded.summary",
            (url, now, summary),
        )
        for url, summary in headlines
    ]


Reader = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]  # runs one query: the store's error handling


class Hit(NamedTuple):
    """A full-text hit: the cached article's own fields and the texts to cut a snippet from."""

    url: str
    title: str
    date: str | None
    category: str | None
    lead: str | None
    image: str | None
    summary: str | None
    body: str


_RANKED = (
    "SELECT rowid FROM (SELECT rowid, rank AS r FROM search_fts WHERE search_fts MATCH ? "
    "ORDER BY rowid DESC LIMIT ?) ORDER BY r, rowid DESC LIMIT ?"
)
_HITS = (
    "SELECT s.id, a.url, a.title, json_extract(a.data, '$.date'), json_extract(a.data, '$.category'), "
    "json_extract(a.data, '$.lead'), json_extract(a.data, '$.images[0].url'), l.summary, a.body "
    "FROM search_text s JOIN articles a ON a.id = s.article_id LEFT JOIN listed l ON l.url = a.url "
    "WHERE s.id IN ({})"
)


def search(
    read: Reader,
    query: "FullQuery",
    headline: "HeadlineQuery | None",
    limit: int,
    rank_limit: int = RANK_LIMIT,
    quartiers: Sequence[str] = (),
) -> list[Hit]:
    """The `limit` best hits of `query` (bm25 over the `rank_limit` newest matches), then,
    while there is room, the cached articles the headline query finds and `query` does
    not (newest first): with a limit above the number of hits, a superset of the headline
    search among cached articles. With `quartiers` (keys), only the articles naming one of
    them, in the same query.
    FTS5 syntax errors raise sqlite3.OperationalError; a query too broad, QueryError."""
    spent = postings(read, query)
    if spent > MAX_POSTINGS:
        too_broad = _(
            "this query is too broad to answer quickly: its words and prefixes stand for {n} word occurrences "
            "in the cached articles (at most {limit}); use fewer or longer words"
        )
        from lillenews.store.query import QueryError

        raise QueryError(too_broad.format(n=spent, limit=MAX_POSTINGS))
    keys = list(dict.fromkeys(quartiers))
    ranked_sql = quartier_index.ranked_in(_RANKED, len(keys)) if keys else _RANKED
    ranked = [r[0] for r in read(ranked_sql, (query.match, *keys, rank_limit, limit))]
    if headline is not None and len(ranked) < limit:  # room left: the headline matches the ranking misses
        extra = _headline_only(read, query, headline)
        if keys and extra:
            extra = quartier_index.naming(read, extra, keys)
        ranked += extra[: limit - len(ranked)]
    if not ranked:
        return []
    rows = {r[0]: Hit(*r[1:]) for r in read(_HITS.format(",".join("?" * len(ranked))), ranked)}
    return [rows[i] for i in ranked if i in rows]


def postings(read: Reader, query: "FullQuery") -> int:
    """The (word, article) pairs FTS5 reads for `query`, from the index's own vocabulary
    (a TEMP fts5vocab table: nothing is written to the cache file). Stops counting once
    past MAX_POSTINGS."""
    read(VOCAB, ())  # made here, when a --full search needs it (and by Cache.prepare on a new connection)
    counted: dict[tuple[str, bool], int] = {}
    total = 0
    for term in (*query.terms, *query.excluded):  # each occurrence: FTS5 reads it each time
        for k, word in enumerate(term.words):
            key = (word, term.prefix and k == len(term.words) - 1)
            if key not in counted:
                sql, params = (_PREFIX_DOCS, (word, word + "\U0010ffff")) if key[1] else (_WORD_DOCS, (word,))
                counted[key] = read(sql, params)[0][0] or 0
            total += counted[key]
            if total > MAX_POSTINGS:
                return total
    return total


_PREFIX_DOCS = "SELECT sum(doc) FROM temp.search_vocab WHERE term >= ? AND term < ?"
_WORD_DOCS = "SELECT sum(doc) FROM temp.search_vocab WHERE term = ?"


def _headline_only(read: Reader, query: "FullQuery", headline: "HeadlineQuery") -> list[int]:
    """Newest first: articles whose folded title + summary hold every word of `headline`
    (as the headline search decides) but that `query` does not find."""
    long_words = [w for w in headline.include if len(w) >= 3]
    if query.plain and not headline.include:
        return []  # only prefix* words: the full-text query already finds every word they begin
    if query.plain and len(long_words) == len(headline.include):
        # Plain words are prefix queries: only a word found inside a word can be missed.
        tri = "mid : (" + " OR ".join(_quote(_mid_term(w)) for w in long_words) + ")"
    elif long_words or any(len(w) >= 3 for w in headline.starts):
        words = long_words + [w for w in headline.starts if len(w) >= 3]
        tri = "head : (" + " AND ".join(_quote(w) for w in words) + ")"
    else:  # only words of one or two letters: the trigram index cannot help
        tri = None
    sql = "SELECT rowid, head FROM headline_tri" + (" WHERE headline_tri MATCH ?" if tri else "")
    found = [r[0] for r in read(sql, (tri,) if tri else ()) if headline.matches_folded(r[1] or "")]
    if not found:
        return []
    if len(found) <= 500:  # look up just these rowids in the full-text index
        marks = ",".join("?" * len(found))
        sql = f"SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid IN ({marks})"
        matched = {r[0] for r in read(sql, (query.match, *found))}
    else:
        matched = {r[0] for r in read("SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (query.match,))}
    return sorted((i for i in found if i not in matched), reverse=True)


def _mid_term(word: str) -> str:
    """A query word as it appears in `mid` when it starts inside a word: the words after
    its first have their first letter masked too ("ille sud" -> "ille _ud")."""
    first, _, rest = word.partition(" ")
    return first + (" " + mid_text(rest) if rest else "")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
