"""Issue 21's start-up table, before against after: every warm command as a ratio to the
floor of the libraries it must load, for two `pip install .` virtual environments, in the
same interleaved rounds.

- piped (stdout and stderr pipes): warm `list`, `read 4`, `search WORD`, `events`,
  `event 1` against `python -c "import typer"`;
- on a pty (24 x 100, TERM=xterm-256color, colours on): warm `list`, `read 4 --no-pager`,
  `events` against `python -c "import typer, rich.console, rich.table"`.

"Warm" is a fresh cache and no request at all: the cache is filled by a first run of each
command against the local fixture server (tests/server.py; the June 2024 agenda moved to
next year, so that its events are upcoming and rendered), the listing's max-age is a week,
and the script checks that the server saw no request during the timed rounds. Each run is
`--rounds` interleaved rounds (one uncounted warm-up round first); the script repeats
`--runs` runs and prints, per row, the median wall-clock and CPU (user+sys of the child)
ratios of each run, then their range over the runs. CPU ratios are the steadier figure on
a shared machine: they do not count the time a process waits for a core.

    python3 -m venv /tmp/before && /tmp/before/bin/pip install <old checkout>
    python3 -m venv /tmp/after && /tmp/after/bin/pip install .
    python benchmarks/startup_bench.py --before /tmp/before --after /tmp/after --rounds 15 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import FixtureServer, clean_env, lille_site, load_average, run, run_on_pty, run_piped_cpu  # noqa: E402

SEARCH_WORD = "caméras"
Case = tuple[str, bool, list[str], str]  # name, on a pty, command, environment's tag


def serve_agenda(srv: FixtureServer) -> None:
    spec = importlib.util.spec_from_file_location("make_events", HERE.parent / "tests" / "fixtures" / "make_events.py")
    me = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(me)  # type: ignore[union-attr]
    year = str(dt.date.today().year + 1)
    for path, html in me.all_pages().items():
        srv.route(path, html.replace("2024", year), last_modified=me.LAST_MODIFIED.replace("2024", year))


def cases(venvs: dict[str, Path]) -> list[Case]:
    py = str(venvs["after"] / "bin" / "python")
    out: list[Case] = [
        ("pty floor", True, [py, "-c", "import typer, rich.console, rich.table"], "after"),
        ("pipe floor", False, [py, "-c", "import typer"], "after"),
    ]
    for tag, venv in venvs.items():
        cli = str(venv / "bin" / "lillenews")
        out += [
            (f"{tag}: warm `list` piped", False, [cli, "list"], tag),
            (f"{tag}: warm `read 4` piped", False, [cli, "read", "4"], tag),
            (f"{tag}: warm `search {SEARCH_WORD}` piped", False, [cli, "search", SEARCH_WORD], tag),
            (f"{tag}: warm `events` piped", False, [cli, "events"], tag),
            (f"{tag}: warm `event 1` piped", False, [cli, "event", "1"], tag),
            (f"{tag}: warm `list` on a pty", True, [cli, "list"], tag),
            (f"{tag}: warm `read 4 --no-pager` on a pty", True, [cli, "read", "4", "--no-pager"], tag),
            (f"{tag}: warm `events` on a pty", True, [cli, "events"], tag),
        ]
    return out


def one_run(todo: list[Case], piped: dict[str, dict[str, str]], rounds: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each case over `rounds` interleaved rounds."""
    dropped = ("NO_COLOR", "COLUMNS", "LINES")  # colours on, the pty's own size
    on_pty = {
        tag: dict({k: v for k, v in env.items() if k not in dropped}, TERM="xterm-256color")
        for tag, env in piped.items()
    }
    wall: dict[str, list[float]] = {c[0]: [] for c in todo}
    cpu: dict[str, list[float]] = {c[0]: [] for c in todo}
    for n in range(rounds + 1):  # round 0 warms up and is not counted
        for name, pty, cmd, tag in todo:
            w, c = run_on_pty(cmd, on_pty[tag]) if pty else run_piped_cpu(cmd, piped[tag])
            if n:
                wall[name].append(w)
                cpu[name].append(c)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}


def span(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.2f}×" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}–{hi:.2f}×"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, required=True, help="venv with the old lillenews installed")
    ap.add_argument("--after", type=Path, required=True, help="venv with the new lillenews installed")
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds per run")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    venvs = {"before": args.before, "after": args.after}
    print(f"load average at start: {load_average()}; {os.cpu_count()} CPUs", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp, FixtureServer() as srv:
        lille_site(srv)
        serve_agenda(srv)
        piped: dict[str, dict[str, str]] = {}
        for tag, venv in venvs.items():
            env = clean_env(Path(tmp) / tag, srv.base_url)
            env["LILLENEWS_LISTING_MAX_AGE"] = "10080"
            for cmd in (["list", "--limit", "50"], ["read", "4"], ["events"], ["event", "1"]):  # the warm cache
                run([str(venv / "bin" / "lillenews"), *cmd], env)
            piped[tag] = env
        todo = cases(venvs)
        hits = len(srv.requests)
        runs = []
        for k in range(args.runs):
            runs.append(one_run(todo, piped, args.rounds))
            print(f"run {k + 1}/{args.runs} done; load {load_average()}", file=sys.stderr)
        hits = len(srv.requests) - hits
    print(f"{args.runs} runs × {args.rounds} interleaved rounds; medians per run, range over the runs")
    print(f"requests to the local site during the timed rounds: {hits} (warm: expected 0)")
    print(f"load average at end: {load_average()}")
    print()
    print("| what | wall (ms) | CPU (ms) | wall ratio | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, pty, _, _ in todo:
        w = [r[name][0] * 1000 for r in runs]
        c = [r[name][1] * 1000 for r in runs]
        if "floor" in name:
            print(f"| {name} | {statistics.median(w):.0f} | {statistics.median(c):.0f} | — | — |")
            continue
        floor = "pty floor" if pty else "pipe floor"
        wr = [r[name][0] / r[floor][0] for r in runs]
        cr = [r[name][1] / r[floor][1] for r in runs]
        print(f"| {name} | {statistics.median(w):.0f} | {statistics.median(c):.0f} | {span(wr)} | {span(cr)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
