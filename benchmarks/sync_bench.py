"""Issue 21's cold-sync row: `lillenews sync --no-events` against a bare httpx script that
makes the same requests with the same concurrency, for one or more `pip install .`
virtual environments, in the same interleaved rounds.

The site (tests/synth_site.py, on 127.0.0.1): 4 listing pages of 9 headlines in lille.fr's
markup linking to 36 generated articles (~9 KB each), every answer 50 ms late; no
robots.txt (404). Each lillenews run starts from an empty cache (cold) and must end with
the 36 articles in it.

The floor is what any client of that site must do: start Python, import httpx, ask for
robots.txt, read the listing pages one after the other (each names the next), and fetch
every article they link to on 4 worker threads as soon as it is seen — lillenews's own
order — with one `httpx.Client` (keep-alive, at most 5 connections: the 4 workers' and
the listing page being read, as lillenews sizes its pool). It parses nothing and
stores nothing: what lillenews adds (typer, parsing, the SQLite cache and its full-text
index) is the difference.

    python benchmarks/sync_bench.py --venv before=/tmp/before --venv after=/tmp/after --rounds 15

Per row: the median wall-clock and CPU (user+sys of the child) times and their ratio to
the floor's medians of the same rounds. Wall time is the user's wait; at 50 ms a request
most of it is the network's, which both pay alike.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from server import FixtureServer  # noqa: E402
from synth_site import serve_generated_site  # noqa: E402

PAGES, PER_PAGE, DELAY, WORKERS = 4, 9, 0.05, 4

FLOOR = r"""
import html, re, sys
from concurrent.futures import ThreadPoolExecutor
import httpx

base = sys.argv[1]
with httpx.Client(base_url=base, timeout=10, headers={"User-Agent": "floor"},
                  limits=httpx.Limits(max_connections=5)) as client, ThreadPoolExecutor(4) as pool:
    client.get("/robots.txt")
    url, pending = "/Actualites", []
    while url:
        page = client.get(url).text
        for href in re.findall(r'<span><a href="([^"]+)"', page):
            pending.append(pool.submit(client.get, html.unescape(href)))
        more = re.search(r'<a class="next" href="([^"]+)"', page)
        url = html.unescape(more[1]) if more else None
    bodies = [f.result().raise_for_status().text for f in pending]
print(len(bodies))
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), proc


def cold_env(tmp: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LILLENEWS_") and k not in ("PAGER", "LESS")}
    for name in ("cache", "data", "config"):
        shutil.rmtree(tmp / name, ignore_errors=True)
        (tmp / name).mkdir(parents=True)
        env[f"LILLENEWS_{name.upper()}_DIR"] = str(tmp / name)
    env["LILLENEWS_BASE_URL"] = base_url
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", action="append", required=True, metavar="TAG=DIR", help="a venv with lillenews installed")
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (one uncounted warm-up round first)")
    args = ap.parse_args()
    venvs = dict(v.split("=", 1) for v in args.venv)
    floor_python = str(Path(list(venvs.values())[-1]) / "bin" / "python")
    times: dict[str, list[tuple[float, float]]] = {"floor": [], **{tag: [] for tag in venvs}}
    with tempfile.TemporaryDirectory() as tmp, FixtureServer() as srv:
        n = serve_generated_site(srv, n_pages=PAGES, per_page=PER_PAGE, delay=DELAY, seed=2021)
        for round_ in range(args.rounds + 1):
            srv.clear_requests()
            wall, cpu, proc = timed([floor_python, "-c", FLOOR, srv.base_url], dict(os.environ))
            assert int(proc.stdout) == n, proc.stdout
            floor_requests = len(srv.requests)
            got = {"floor": (wall, cpu)}
            for tag, venv in venvs.items():
                env = cold_env(Path(tmp) / tag, srv.base_url)
                srv.clear_requests()
                cli = str(Path(venv) / "bin" / "lillenews")
                wall, cpu, proc = timed(
                    [cli, "sync", "--no-events", "--pages", str(PAGES), "--workers", str(WORKERS)], env
                )
                db = Path(env["LILLENEWS_CACHE_DIR"]) / "cache.db"
                cached = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
                assert cached == n, (tag, cached, proc.stderr.decode(errors="replace"))
                assert len(srv.requests) == floor_requests, (tag, len(srv.requests), floor_requests)
                got[tag] = (wall, cpu)
            if round_:  # the first round warms the disk cache
                for key, value in got.items():
                    times[key].append(value)
            print(
                f"[sync_bench] round {round_}: "
                + ", ".join(f"{k} {w * 1000:.0f}/{c * 1000:.0f} ms" for k, (w, c) in got.items()),
                file=sys.stderr,
            )
    floor_wall = statistics.median(w for w, _ in times["floor"])
    floor_cpu = statistics.median(c for _, c in times["floor"])
    print(
        f"{args.rounds} interleaved rounds; {n} articles + {PAGES} listing pages + robots.txt (404), "
        f"{DELAY * 1000:.0f} ms a request, {WORKERS} workers; {floor_requests} requests each; "
        f"load average at end {os.getloadavg()[0]:.2f}"
    )
    print()
    print("| what | wall (ms) | CPU (ms) | wall ratio | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| floor: bare httpx script | {floor_wall * 1000:.0f} | {floor_cpu * 1000:.0f} | — | — |")
    for tag in venvs:
        wall = statistics.median(w for w, _ in times[tag])
        cpu = statistics.median(c for _, c in times[tag])
        print(
            f"| {tag}: cold `sync --no-events` | {wall * 1000:.0f} | {cpu * 1000:.0f} | "
            f"{wall / floor_wall:.2f}× | {cpu / floor_cpu:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
