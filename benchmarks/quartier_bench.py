"""What the quartiers cost the full-text index: writing articles (each is tagged as it is
indexed), tagging a cache of the schema before them (the one-time upgrade), and
`Cache.search_full` with and without `--quartier`, over bench.py's generated corpus.

Run it with this tree, then with an older one to compare (the same venv):

    python benchmarks/quartier_bench.py [--articles 10000] [--calls 50]
    PYTHONPATH=/path/to/older/src python benchmarks/quartier_bench.py

Figures and the machine they were measured on: benchmarks/README.md."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench  # noqa: E402
from fts_bench import COMMON, PREFIX, RARE_WORD  # noqa: E402

from lillenews.store import cache as store  # noqa: E402
from lillenews.store.query import parse_full, parse_headline  # noqa: E402


def timed(fn: Callable[[], object], calls: int) -> float:
    fn()
    runs = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def tagger() -> dict[str, object]:
    """The app's tagger when this tree has one (older trees index no quartier)."""
    try:
        from lillenews.app.context import _index_quartiers
    except ImportError:
        return {}
    return {"quartiers": _index_quartiers}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    real_cache = store.Cache
    extra = tagger()

    class Tagged(real_cache):  # type: ignore[misc,valid-type]  # bench.py's writer, with the app's tagger
        def __init__(self, path: Path, warn: Callable[[str], None]) -> None:
            super().__init__(path, warn, **extra)

    bench.Cache = Tagged
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cache.db"
        build_s, counts = bench.build_search_cache(db, args.articles)
        cache = real_cache(db, lambda m: None, **extra)  # type: ignore[arg-type]
        print(f"schema {store.SCHEMA_VERSION}: {args.articles:,} articles written in {build_s:.1f} s")
        if extra:
            from lillenews.store import search_index

            with cache._lock:
                conn = cache.conn
                t0 = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                search_index.add_quartiers(conn)  # what the upgrade from schema 3 does
                conn.execute("COMMIT")
                took = time.perf_counter() - t0
                print(f"tagging them all (the upgrade from schema 3): {took:.1f} s")
            tagged = cache.read("SELECT count(DISTINCT id) FROM article_quartiers")[0][0]
            centre = cache.read("SELECT count(*) FROM article_quartiers WHERE key = 'centre'")[0][0]
            print(f"articles naming a quartier: {tagged:,}; naming the Centre: {centre:,}")
        for word in (RARE_WORD, COMMON, PREFIX):
            query, headline = parse_full([word]), parse_headline([word])
            plain = timed(lambda q=query, h=headline: cache.search_full(q, 20, h), args.calls)
            line = f"`{word}` ({counts[word]:,} matching): {plain * 1e3:.2f} ms"
            if extra:
                filtered = timed(
                    lambda q=query, h=headline: cache.search_full(q, 20, h, quartiers=("centre",)), args.calls
                )
                line += f", with --quartier Centre {filtered * 1e3:.2f} ms"
            print(line)
        cache.close()


if __name__ == "__main__":
    main()
