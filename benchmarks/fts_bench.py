"""Standalone SQLite FTS5 benchmark for issue 11: which index and which ranking keep
`search --full` fast over 10,000 cached articles while finding at least what the headline
search finds (folded substrings).

Builds, over the same generated corpus (the TextGen of bench.py / synth_site.py, so the figures compare with its
`Cache.search_full` rows), in temporary files:

- `today`  : fts5(title, body) unicode61 remove_diacritics 2, bm25(5, 1), raw text, snippet()
             in SQL: lillenews before issue 11 (the query of `Cache.search_full`);
- `ours`   : lillenews.store.search_index (folded title, lead, summary, body; unicode61; every word
             a prefix query; bm25(10, 4, 4, 1) over the RANK_LIMIT newest matches; plus the
             trigram headline index for the headline-search guarantee), timed through
             `search_index.search()`, i.e. with the headline extras and the result rows;
- `trigram` (with --trigram): the four folded columns in one trigram index instead, bm25
  over every match (the other way to get substring matches).

and times, in process, a rare word (in 7 articles), a common word (in 99 % of them) and a
prefix query; then checks that the bounded ranking gives the same top 20 as the full bm25
ranking for every vocabulary word matching fewer than RANK_LIMIT articles.

    python benchmarks/fts_bench.py [--articles 10000] [--calls 50] [--trigram]
    python benchmarks/fts_bench.py --pipeline      # lillenews' own cache, snippets included
"""

from __future__ import annotations

import argparse
import json
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
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "src"))

try:  # the generator lives in tests/synth_site.py, or (older trees) in bench.py
    from synth_site import CATEGORIES, RARE_DOCS, RARE_WORD, TextGen  # noqa: E402
except ImportError:
    from bench import CATEGORIES, RARE_DOCS, RARE_WORD, TextGen  # noqa: E402

from lillenews.store import search_index as si  # noqa: E402
from lillenews.store.query import fold, parse_full, parse_headline, term_matcher  # noqa: E402

COMMON = "ville"
PREFIX = "quart*"

TABLES = """
CREATE TABLE pages (url TEXT PRIMARY KEY, page_index INTEGER, fetched_at REAL, headlines TEXT);
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE, fetched_at REAL, title TEXT, body TEXT, data TEXT,
    first_seen REAL);
"""
TODAY_FTS = """
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
TRIGRAM_FTS = """
CREATE TABLE tri_text (id INTEGER PRIMARY KEY, title TEXT, lead TEXT, summary TEXT, body TEXT);
CREATE VIRTUAL TABLE tri_fts USING fts5(title, lead, summary, body, content='tri_text', content_rowid='id',
    tokenize='trigram');
INSERT INTO tri_fts(tri_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 4.0, 1.0)');
"""
FULL_BM25 = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank, rowid DESC LIMIT ?"


def build(path: Path, n: int, kind: str) -> float:
    gen = TextGen(seed=1789).pooled(30_000)
    rare = set(random.Random(7).sample(range(n), RARE_DOCS))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(TABLES)
    if kind == "ours":
        si.register(conn)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(n):
        paras = gen.paragraphs(3000)
        if i in rare:
            paras[len(paras) // 2] += f" Un projet de {RARE_WORD} reliant la citadelle au centre est à l'étude."
        title, lead, date = gen.title(), gen.sentence(), gen.date()
        data = json.dumps({"date": date, "category": gen.rng.choice(CATEGORIES), "lead": lead}, ensure_ascii=False)
        url = f"https://www.lille.fr/Actualites/Article-{i + 1:05d}"
        body = "\n\n".join(paras)
        conn.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", (i + 1, url, 0.0, title, body, data, 0.0))
    conn.execute("COMMIT")
    if kind == "today":
        conn.executescript(TODAY_FTS)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    elif kind == "ours":  # the migration path: index every cached article at once
        conn.execute("BEGIN")
        si.migrate(conn)
        conn.execute("COMMIT")
    else:
        conn.executescript(TRIGRAM_FTS)
        rows = conn.execute("SELECT id, title, json_extract(data, '$.lead'), body FROM articles").fetchall()
        conn.executemany(
            "INSERT INTO tri_text VALUES (?, ?, ?, ?, ?)",
            [(i, fold(t), fold(le), fold(le[:120]), fold(b)) for i, t, le, b in rows],
        )
        conn.execute("INSERT INTO tri_fts(tri_fts) VALUES ('rebuild')")
    conn.execute("VACUUM")
    conn.close()
    return time.perf_counter() - t0


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
    ap.add_argument("--trigram", action="store_true", help="also build the all-trigram index (slow)")
    ap.add_argument("--pipeline", action="store_true", help="time lillenews' own cache and snippets instead")
    args = ap.parse_args()
    n, calls = args.articles, args.calls
    if args.pipeline:
        pipeline(n, calls)
        return
    kinds = ["today", "ours"] + (["trigram"] if args.trigram else [])
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: Path(tmp) / f"{k}.db" for k in kinds}
        build_s = {k: build(paths[k], n, k) for k in kinds}
        conns = {k: sqlite3.connect(p) for k, p in paths.items()}
        print(
            f"corpus: {n:,} generated articles (bench.py TextGen, ≈3.3 KB each); medians of {calls} calls; "
            f"SQLite {sqlite3.sqlite_version}"
        )
        print("| index | build | size | query | matches | unbounded bm25 top 20 | lillenews search (rows included) |")
        print("|---|---|---|---|---|---|---|")
        for name, conn in conns.items():
            size = paths[name].stat().st_size / 1e6
            for kind, word in (("rare", RARE_WORD), ("common", COMMON), ("prefix", PREFIX)):
                row = measure(name, conn, word, calls)
                print(
                    f"| {name} | {build_s[name]:.1f} s | {size:.0f} MB | {kind} `{row[0]}` | {row[1]:,} "
                    f"| {row[2]} | {row[3]} |"
                )
        check_top20(conns["ours"])


def measure(name: str, conn: sqlite3.Connection, word: str, calls: int) -> tuple[str, int, str, str]:
    if name == "today":
        count = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (word,)).fetchone()[0]
        full = timed(lambda: conn.execute(TODAY_QUERY, (word, 20)).fetchall(), calls)
        return word, count, f"{full * 1e3:.2f} ms (with snippets, as `Cache.search_full`)", "—"
    if name == "trigram":
        match = '"' + fold(word.rstrip("*")) + '"'
        count = conn.execute("SELECT count(*) FROM tri_fts WHERE tri_fts MATCH ?", (match,)).fetchone()[0]
        sql = "SELECT rowid FROM tri_fts WHERE tri_fts MATCH ? ORDER BY rank LIMIT 20"
        full = timed(lambda: conn.execute(sql, (match,)).fetchall(), calls)
        return match, count, f"{full * 1e3:.2f} ms", "—"
    query = parse_full([word])
    match = query.match
    hq = parse_headline([word])
    count = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()[0]
    full = timed(lambda: conn.execute(FULL_BM25, (match, 20)).fetchall(), calls)
    read = lambda sql, params=(): conn.execute(sql, params).fetchall()  # noqa: E731
    ours = timed(lambda: si.search(read, query, hq, 20), calls)
    return match, count, f"{full * 1e3:.2f} ms", f"{ours * 1e3:.2f} ms"


def pipeline(n: int, calls: int) -> None:
    """bench.py's search corpus in a real lillenews cache: `Cache.search_full` (the row of
    bench.py) and what `search --full` does before rendering (parse, search with the
    headline guarantee, a snippet for every hit)."""
    import bench

    from lillenews.store.cache import Cache
    from lillenews.views.snippets import make_snippet

    with tempfile.TemporaryDirectory() as tmp:
        build_s, counts = bench.build_search_cache(Path(tmp) / "cache.db", n)
        cache = Cache(Path(tmp) / "cache.db", warn=lambda m: None)
        print(f"{n:,} articles written through Cache in {build_s:.1f} s; medians of {calls} calls")
        for word in (RARE_WORD, COMMON, PREFIX):

            def whole(word: str = word) -> object:
                query, headline = parse_full([word]), parse_headline([word])
                matcher = term_matcher(query.terms)
                hits = cache.search_full(query, 20, headline)
                return [make_snippet([h.lead, h.summary, h.body], matcher) for h in hits]

            store = timed(lambda word=word: cache.search_full(word, 20), calls)
            print(
                f"`{word}` ({counts[word]:,} matching): Cache.search_full {store * 1e3:.2f} ms, "
                f"with parsing and snippets {timed(whole, calls) * 1e3:.2f} ms"
            )
        cache.close()


def check_top20(conn: sqlite3.Connection) -> None:
    """The bounded ranking must not change the top 20 of any query matching < RANK_LIMIT."""
    gen = TextGen(seed=4).pooled(2000)
    vocab = sorted({fold(w.strip(".,:")) for s in gen.pool for w in s.split() if len(w) > 3})
    checked = 0
    for w in vocab:
        try:
            match = parse_full([w]).match
        except ValueError:
            continue
        count = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()[0]
        if 0 < count < si.RANK_LIMIT:
            full = [r[0] for r in conn.execute(FULL_BM25, (match, 20))]
            bounded = [r[0] for r in conn.execute(si._RANKED, (match, si.RANK_LIMIT, 20))]
            assert bounded == full, w
            checked += 1
    print(
        f"\ntop 20 of the bounded ranking == unbounded bm25 for all {checked} vocabulary words matching "
        f"1 to {si.RANK_LIMIT - 1} articles"
    )


if __name__ == "__main__":
    main()
