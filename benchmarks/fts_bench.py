"""Standalone SQLite FTS5 benchmark for issue 11: which index and which ranking keep
`search --full` fast over 10,000 cached articles while finding at least what the headline
search finds (folded substrings).

Builds three indexes over the same generated corpus (the text generator of bench.py, so the
figures compare with its `Cache.search_full` rows) in temporary files and times, in process,
a rare word (7 articles), a common word (in 99 % of them) and a prefix query:

- `today`     : fts5(title, body) unicode61 remove_diacritics 2, bm25(5, 1), raw text, snippet()
                in SQL — what lillenews does before issue 11;
- `folded`    : fts5(title, lead, summary, body) over folded text (lillenews.query.fold: case,
                accents, œ→oe, ’→'), unicode61, every word a prefix query, bm25(10, 4, 4, 1);
                ranked by bm25 when fewer than RANK_LIMIT articles match, by date otherwise;
- `trigram`   : the same columns with the trigram tokenizer (substring matches), bm25.

Also checks that the bounded ranking leaves the top 20 unchanged for every query that
matches fewer than RANK_LIMIT articles (it must, by construction) and reports index sizes.

    python benchmarks/fts_bench.py [--articles 10000] [--calls 50]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench import CATEGORIES, RARE_DOCS, RARE_WORD, TextGen  # noqa: E402

from lillenews.query import fold, fts_query  # noqa: E402

COMMON = "ville"
PREFIX = "quart*"
RANK_LIMIT = 1000  # bm25 ranks every match below this; above, the newest matches come first

TODAY_SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, title TEXT, body TEXT, data TEXT);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
"""
TODAY_QUERY = (
    "SELECT a.url, a.title, snippet(articles_fts, -1, char(2), char(3), '…', 24), "
    "json_extract(a.data, '$.date'), json_extract(a.data, '$.category'), "
    "json_extract(a.data, '$.lead'), json_extract(a.data, '$.images[0].url') "
    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
    "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
)

NEW_SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, date TEXT, title TEXT, body TEXT, data TEXT);
CREATE INDEX articles_by_date ON articles(date DESC, id DESC);
CREATE TABLE search_text (id INTEGER PRIMARY KEY, title TEXT, lead TEXT, summary TEXT, body TEXT);
CREATE VIRTUAL TABLE search_fts USING fts5(title, lead, summary, body, content='search_text',
    content_rowid='id', tokenize='{tokenize}');
INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 4.0, 1.0)');
"""
# The result rows: what a result line shows (snippets are cut in Python from these texts).
ROWS = "SELECT a.id, a.url, a.title, a.date, json_extract(a.data, '$.lead'), a.body FROM articles a WHERE a.id IN ({})"
COUNT = "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)"
BY_RANK = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?"
BY_DATE = (
    "SELECT id FROM articles WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) "
    "ORDER BY date DESC, id DESC LIMIT ?"
)


def build(path: Path, n: int, schema: str, new: bool) -> float:
    gen = TextGen(seed=1789).pooled(30_000)
    rare = set(random.Random(7).sample(range(n), RARE_DOCS))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(schema)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(n):
        paras = gen.paragraphs(3000)
        if i in rare:
            paras[len(paras) // 2] += f" Un projet de {RARE_WORD} reliant la citadelle au centre est à l'étude."
        title, lead, date = gen.title(), gen.sentence(), gen.date()
        summary = lead[:120]
        body = "\n\n".join(paras)
        data = f'{{"date": "{date}", "category": "{gen.rng.choice(CATEGORIES)}", "lead": "{lead}"}}'
        url = f"https://www.lille.fr/Actualites/Article-{i + 1:05d}"
        if new:
            conn.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", (i + 1, url, date, title, body, data))
            folded = (fold(title), fold(lead), fold(summary), fold(body))
            conn.execute("INSERT INTO search_text VALUES (?, ?, ?, ?, ?)", (i + 1, *folded))
        else:
            conn.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", (i + 1, url, title, body, data))
    conn.execute("COMMIT")
    table = "search_fts" if new else "articles_fts"
    conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    conn.execute("VACUUM")
    conn.close()
    return time.perf_counter() - t0


def ranked(conn: sqlite3.Connection, match: str, limit: int = 20) -> list[int]:
    """The bounded ranking: bm25 below RANK_LIMIT matches, newest first above."""
    if conn.execute(COUNT, (match, RANK_LIMIT)).fetchone()[0] < RANK_LIMIT:
        return [r[0] for r in conn.execute(BY_RANK, (match, limit))]
    return [r[0] for r in conn.execute(BY_DATE, (match, limit))]


def search_new(conn: sqlite3.Connection, match: str, limit: int = 20) -> list[tuple]:
    ids = ranked(conn, match, limit)
    rows = {r[0]: r for r in conn.execute(ROWS.format(",".join("?" * len(ids))), ids)}
    return [rows[i] for i in ids]


def timed(fn: Callable[[], object], calls: int) -> float:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--calls", type=int, default=50)
    args = ap.parse_args()
    n, calls = args.articles, args.calls
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: Path(tmp) / f"{k}.db" for k in ("today", "folded", "trigram")}
        build_s = {
            "today": build(paths["today"], n, TODAY_SCHEMA, new=False),
            "folded": build(paths["folded"], n, NEW_SCHEMA.format(tokenize="unicode61 remove_diacritics 2"), True),
            "trigram": build(paths["trigram"], n, NEW_SCHEMA.format(tokenize="trigram"), new=True),
        }
        conns = {k: sqlite3.connect(p) for k, p in paths.items()}
        words = {"rare": RARE_WORD, "common": COMMON, "prefix": PREFIX}
        print(f"corpus: {n:,} generated articles (bench.py TextGen, ≈3.3 KB each); medians of {calls} calls")
        print("| index | build+rebuild | size | query | matches | full bm25 | bounded (ours) |")
        print("|---|---|---|---|---|---|---|")
        for name, conn in conns.items():
            size = paths[name].stat().st_size / 1e6
            for kind, word in words.items():
                if name == "today":
                    match = word
                    count = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,))
                    full = timed(lambda c=conn, m=match: c.execute(TODAY_QUERY, (m, 20)).fetchall(), calls)
                    bounded = None
                else:
                    match = fts_query([word]) if name == "folded" else f'"{fold(word.rstrip("*"))}"'
                    count = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,))
                    full = timed(lambda c=conn, m=match: c.execute(BY_RANK, (m, 20)).fetchall(), calls)
                    bounded = timed(lambda c=conn, m=match: search_new(c, m), calls)
                matches = count.fetchone()[0]
                b = f"{bounded * 1e3:.2f} ms" if bounded is not None else "—"
                print(
                    f"| {name} | {build_s[name]:.1f} s | {size:.0f} MB | {kind} `{match}` | {matches:,} "
                    f"| {full * 1e3:.2f} ms | {b} |"
                )
        check_top20(conns["folded"])


def check_top20(conn: sqlite3.Connection) -> None:
    """The bounded ranking must not change the top 20 of any query matching < RANK_LIMIT."""
    gen = TextGen(seed=4).pooled(2000)
    vocab = sorted({fold(w.strip(".,:")) for s in gen.pool for w in s.split() if len(w) > 3})
    checked = 0
    for w in vocab:
        match = fts_query([w])
        count = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()[0]
        if 0 < count < RANK_LIMIT:
            full = [r[0] for r in conn.execute(BY_RANK, (match, 20))]
            assert ranked(conn, match) == full, w
            checked += 1
    print(f"top-20 unchanged by the bounded ranking for all {checked} vocabulary words matching < {RANK_LIMIT}")


if __name__ == "__main__":
    main()
