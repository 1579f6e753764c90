"""Issue 10's terminal rows, before against after: warm `list` and `read 4 --no-pager`
on a pty (24 x 100, TERM=xterm-256color) against `python -c "import typer, rich.console,
rich.table"`, and piped `list` / `read 4` against `python -c "import typer"`, for two
`pip install .` virtual environments in the same interleaved rounds (bench.py's
run_on_pty / run_piped_cpu, lille_site and warm caches). Prints a Markdown table of
wall-clock and CPU (user+sys) medians and their ratios to the floors.

    python3 -m venv /tmp/before && /tmp/before/bin/pip install <old checkout>
    python3 -m venv /tmp/after && /tmp/after/bin/pip install .
    python benchmarks/terminal_bench.py --before /tmp/before --after /tmp/after --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import FixtureServer, clean_env, lille_site, run, run_on_pty, run_piped_cpu  # noqa: E402

Case = tuple[str, bool, list[str], str]  # name, on a pty, command, environment's tag


def cases(venvs: dict[str, Path]) -> list[Case]:
    after = venvs["after"] / "bin"
    out: list[Case] = [
        ("pty floor", True, [str(after / "python"), "-c", "import typer, rich.console, rich.table"], "after"),
        ("pipe floor", False, [str(after / "python"), "-c", "import typer"], "after"),
    ]
    for tag, venv in venvs.items():
        cli = str(venv / "bin" / "lillenews")
        out += [
            (f"{tag}: warm `list` on a pty", True, [cli, "list"], tag),
            (f"{tag}: warm `read 4 --no-pager` on a pty", True, [cli, "read", "4", "--no-pager"], tag),
            (f"{tag}: warm `list` piped", False, [cli, "list"], tag),
            (f"{tag}: warm `read 4` piped", False, [cli, "read", "4"], tag),
        ]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, required=True, help="venv with the old lillenews installed")
    ap.add_argument("--after", type=Path, required=True, help="venv with the new lillenews installed")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    venvs = {"before": args.before, "after": args.after}
    with tempfile.TemporaryDirectory() as tmp, FixtureServer() as srv:
        lille_site(srv)
        piped: dict[str, dict[str, str]] = {}
        for tag, venv in venvs.items():
            env = clean_env(Path(tmp) / tag, srv.base_url)
            for cmd in (["list"], ["read", "4"]):  # the warm cache
                run([str(venv / "bin" / "lillenews"), *cmd], env)
            piped[tag] = env
        dropped = ("NO_COLOR", "COLUMNS", "LINES")  # colours on, the pty's own size
        on_pty = {
            tag: dict({k: v for k, v in env.items() if k not in dropped}, TERM="xterm-256color")
            for tag, env in piped.items()
        }
        todo = cases(venvs)
        wall: dict[str, list[float]] = {c[0]: [] for c in todo}
        cpu: dict[str, list[float]] = {c[0]: [] for c in todo}
        for n in range(args.rounds + 1):  # round 0 warms up and is not counted
            for name, pty, cmd, tag in todo:
                w, c = run_on_pty(cmd, on_pty[tag]) if pty else run_piped_cpu(cmd, piped[tag])
                if n:
                    wall[name].append(w)
                    cpu[name].append(c)
    med = {k: statistics.median(v) * 1000 for k, v in wall.items()}
    cmed = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    print(f"{args.rounds} interleaved rounds; medians")
    print("| what | wall | CPU | wall ratio | CPU ratio | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, pty, _, _ in todo:
        if "floor" in name:
            print(f"| {name} | {med[name]:.0f} ms | {cmed[name]:.0f} ms | — | — | — |")
            continue
        floor = "pty floor" if pty else "pipe floor"
        ratios = f"{med[name] / med[floor]:.2f}× | {cmed[name] / cmed[floor]:.2f}×"
        print(f"| {name} | {med[name]:.0f} ms | {cmed[name]:.0f} ms | {ratios} | {'≤ 1.3×' if pty else '≤ 1.25×'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
