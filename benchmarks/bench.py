#!/usr/bin/env python3
"""lillenews benchmark suite: measures every row of the performance table of
issue 5 on the current machine and prints a Markdown table of medians and ratios.

    pip install -e '.[bench]'          # trafilatura + beautifulsoup4 (comparators)
    python benchmarks/bench.py         # full run, ~3 minutes on 2 cores
    python benchmarks/bench.py --quick # ~30 s smoke run (fewer runs; not for recording)
    python benchmarks/bench.py --runs 20

Everything runs against local data: a local HTTP server (tests/server.py) for the
commands that fetch, and temporary cache/data/config directories (the user's own
cache is never touched). Progress goes to stderr, the report to stdout.
See benchmarks/README.md for what each row measures and why.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from server import FixtureServer, fixture_bytes, lille_site  # noqa: E402

from lillenews.base.models import Article, Block, Inline  # noqa: E402
from lillenews.site.news import parse_article, parse_listing  # noqa: E402
from lillenews.store.cache import Cache  # noqa: E402
from lillenews.store.query import parse_full  # noqa: E402

TODAY = datetime.date(2021, 3, 1)  # the fixtures' news are from February 2021

PYTHON = sys.executable
LILLENEWS = str(Path(sys.executable).with_name("lillenews"))
SITE = "https://www.lille.fr"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ============================================================================ results
@dataclass
class Row:
    what: str
    measured: str
    comparator: str = "—"
    ratio: str = "—"
    target: str = "—"
    ok: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))


def ms(seconds: float) -> str:
    v = seconds * 1000
    return f"{v:.3f} ms" if v < 1 else (f"{v:.2f} ms" if v < 10 else f"{v:.0f} ms")


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def stats_line(label: str, values: list[float], unit=ms) -> str:
    return (
        f"{label}: n={len(values)}, min {unit(min(values))}, median {unit(statistics.median(values))}, "
        f"max {unit(max(values))}"
    )


# ============================================================================ machine
def machine_description() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem = "unknown"

    def ver(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    pkgs = ", ".join(
        f"{n} {ver(n)}"
        for n in (
            "lillenews",
            "typer",
            "rich",
            "httpx",
            "selectolax",
            "platformdirs",
            "pydantic",
            "trafilatura",
            "beautifulsoup4",
        )
    )
    return [
        f"- Platform: {platform.platform()}",
        f"- CPU: {cpu}; {os.cpu_count()} logical CPU(s), {usable} usable by this process; RAM {mem}",
        f"- Python: {platform.python_implementation()} {platform.python_version()} ({sys.executable}); "
        f"SQLite {sqlite3.sqlite_version}",
        f"- Packages: {pkgs}",
        f"- Code: {git_state()}",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average at start {load_average()}",
    ]


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"], capture_output=True, text=True, timeout=10
        ).stdout.split("\n")
        dirty = [ln[3:] for ln in dirty if ln.strip()]
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"commit {head}" + (f"; uncommitted changes in {', '.join(dirty)}" if dirty else "; src/ clean")


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1/5/15 min)"
    except OSError:
        return "unknown"


# ============================================================================ synthetic site
# The generator lives in tests/synth_site.py, shared with the tests.
from synth_site import (  # noqa: E402
    CATEGORIES,
    COMMON_WORD,
    PREFIX_QUERY,
    RARE_DOCS,
    RARE_WORD,
    TextGen,
    serve_generated_site,
)


# ============================================================================ environments
def clean_env(tmp: Path, base_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LILLENEWS_") and k not in ("PAGER", "LESS")}
    for name in ("cache", "data", "config"):
        (tmp / name).mkdir(parents=True, exist_ok=True)
        env[f"LILLENEWS_{name.upper()}_DIR"] = str(tmp / name)
    if base_url:
        env["LILLENEWS_BASE_URL"] = base_url
    return env


def run(cmd: list[str], env: dict[str, str], check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    elapsed = time.perf_counter() - t0
    if check and proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
    return elapsed, proc


# ============================================================================ 2. parse + extract
def make_big_article() -> str:
    """article_securite.html with its .rte paragraphs repeated until the page is ≈100 KB."""
    text = fixture_bytes("article_securite.html").decode("utf-8")
    start = text.index('<div class="rte">\n') + len('<div class="rte">\n')
    end = text.index('    </div>\n    <div class="lireAussi">')
    inner = text[start:end]
    paras = "".join(m.group(0) for m in re.finditer(r"      <(p|h2)>.*?</\1>\n", inner, flags=re.S))
    target = 100 * 1024
    page = text
    while len(page.encode("utf-8")) < target:
        room = target - len(page.encode("utf-8"))
        chunk = paras if len(paras.encode("utf-8")) <= room else ""
        if not chunk:  # top up paragraph by paragraph
            for m in re.finditer(r"      <(p|h2)>.*?</\1>\n", paras, flags=re.S):
                if len(m.group(0).encode("utf-8")) > room:
                    break
                chunk += m.group(0)
                room -= len(m.group(0).encode("utf-8"))
            if not chunk:
                break
        i = page.index('    </div>\n    <div class="lireAussi">')
        page = page[:i] + chunk + page[i:]
    return page


def make_chrome_article() -> str:
    """article_securite.html (the seed article, real-sized body) grown to ≈100 KB the
    way real lille.fr pages are heavy: a large mega-menu, inline scripts and a big
    footer around an ordinary article."""
    text = fixture_bytes("article_securite.html").decode("utf-8")
    sections = [
        "Votre-Mairie",
        "Vivre-a-Lille",
        "Culture",
        "Sport",
        "Solidarite",
        "Environnement",
        "Education",
        "Sante",
        "Quartiers",
        "Democratie-participative",
        "Emploi",
        "Urbanisme",
    ]
    menu, n = [], 0
    while sum(len(x) for x in menu) < 55 * 1024:
        sec = sections[n % len(sections)]
        menu.append(
            f'<li class="menu-item"><a href="/{sec}/Rubrique-{n}" title="Rubrique {n}">'
            f"Rubrique {n} de la section {sec.replace('-', ' ')}</a></li>\n"
        )
        n += 1
    script = "<script>window.__eZ = " + ",".join(f'{{"id":{i},"k":"tag-{i}"}}' for i in range(900)) + ";</script>\n"
    page = text.replace("<nav", '<nav data-big="1"', 1)
    i = page.index("</nav>")
    page = page[:i] + '<ul class="megamenu">' + "".join(menu) + "</ul>" + page[i:]
    page = page.replace("</body>", script + "</body>")
    footer = "".join(f'<a href="/Footer/Lien-{i}">Lien utile {i}</a> ' for i in range(400))
    j = page.index("</footer>")
    page = page[:j] + footer + page[j:]
    target = 100 * 1024
    while len(page.encode("utf-8")) < target:
        page = page.replace("</body>", "<!-- padding -->" + " " * 512 + "</body>")
    return page


def bs_listing(html: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    out = []
    for item in soup.select(".actusMaster .actualite"):
        link = item.select_one(".right > span > a[href]")
        summary = item.select_one(".innerContent")
        out.append(
            (
                link.get_text(" ", strip=True) if link else None,
                link["href"] if link else None,
                summary.get_text(" ", strip=True) if summary else None,
            )
        )
    return out


def bs_article(html: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    h1 = soup.select_one(".content > h1") or soup.find("h1")
    chapo = soup.select_one(".chapo")
    texts = [el.get_text(" ", strip=True) for el in soup.select(".rte p, .rte h2, .rte li")]
    return (h1.get_text(" ", strip=True) if h1 else None, chapo.get_text(" ", strip=True) if chapo else None, texts)


def bench_parse(report: Report, calls: int) -> None:
    import trafilatura

    listing = fixture_bytes("listing_p01.html").decode("utf-8")
    article = make_big_article()
    # sanity: our parser and both comparators find the content
    lp = parse_listing(listing, SITE + "/Actualites", today=TODAY)
    ap = parse_article(article, SITE + "/Actualites/Securite", today=TODAY)
    bl, ba = bs_listing(listing), bs_article(article)
    assert len(lp.headlines) == len(bl) == 10, (len(lp.headlines), len(bl))
    assert ap.title and len(ba[2]) > 100 and trafilatura.extract(article)
    chrome_article = make_chrome_article()
    cp = parse_article(chrome_article, SITE + "/Actualites/Securite", today=TODAY)
    assert cp.title and len(bs_article(chrome_article)[2]) >= 10
    pages = [
        (
            "listing",
            f"listing page (listing_p01.html, {len(listing.encode()) / 1024:.0f} KB, {len(bl)} items)",
            listing,
            lambda h: parse_listing(h, SITE + "/Actualites", today=TODAY),
            bs_listing,
        ),
        (
            "article-chrome",
            f"article page (the seed article in {len(chrome_article.encode()) / 1024:.0f} KB of "
            f"site chrome, {len(cp.blocks)} blocks)",
            chrome_article,
            lambda h: parse_article(h, SITE + "/Actualites/Securite", today=TODAY),
            bs_article,
        ),
        (
            "article-text",
            f"text-heavy article page (article_securite.html body repeated to "
            f"{len(article.encode()) / 1024:.0f} KB, {len(ap.blocks)} blocks)",
            article,
            lambda h: parse_article(h, SITE + "/Actualites/Securite", today=TODAY),
            bs_article,
        ),
    ]
    small = fixture_bytes("article_securite.html").decode("utf-8")
    t_small = []
    for _ in range(calls):
        t0 = time.perf_counter()
        parse_article(small, SITE + "/Actualites/Securite", today=TODAY)
        t_small.append(time.perf_counter() - t0)
    report.details.append(
        stats_line(
            f"parse_article on the unmodified article_securite.html ({len(small.encode()) / 1024:.0f} KB, no target)",
            t_small,
        )
    )
    for key, label, page, ours, bs in pages:
        fns = {
            "ours": lambda ours=ours, page=page: ours(page),
            "trafilatura": lambda page=page: trafilatura.extract(page),
            "bs4": lambda bs=bs, page=page: bs(page),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for fn in fns.values():  # warm-up
            for _ in range(3):
                fn()
        for _ in range(calls):  # interleaved: one call of each per round
            for k, fn in fns.items():
                t0 = time.perf_counter()
                fn()
                times[k].append(time.perf_counter() - t0)
        med = {k: statistics.median(v) for k, v in times.items()}
        func = "parse_listing" if key == "listing" else "parse_article"
        report.add(f"`{func}`: {label}", ms(med["ours"]), target="≤ 1 ms", ok=med["ours"] <= 0.001)
        report.add(
            f"`{func}` vs `trafilatura.extract`, same page",
            ms(med["ours"]),
            ms(med["trafilatura"]),
            f"{med['trafilatura'] / med['ours']:.1f}× faster",
            "≥ 10× faster",
            med["trafilatura"] / med["ours"] >= 10,
        )
        report.add(
            f"`{func}` vs BeautifulSoup (html.parser + same selection), same page",
            ms(med["ours"]),
            ms(med["bs4"]),
            f"{med['bs4'] / med['ours']:.1f}× faster",
            "≥ 20× faster",
            med["bs4"] / med["ours"] >= 20,
        )
        for k, v in times.items():
            report.details.append(stats_line(f"parse {key} / {k}", v))


# ============================================================================ 4. search corpus
def build_search_cache(db: Path, n_articles: int) -> tuple[float, dict[str, int]]:
    gen = TextGen(seed=1789).pooled(30_000)
    rare = set(random.Random(7).sample(range(n_articles), RARE_DOCS))
    cache = Cache(db, warn=lambda m: log("cache warning: " + m))
    t0 = time.perf_counter()
    batch = []
    for i in range(n_articles):
        paras = gen.paragraphs(3000)
        if i in rare:
            paras[len(paras) // 2] += f" Un projet de {RARE_WORD} reliant la citadelle au centre est à l'étude."
        blocks = [Block(kind="paragraph", inlines=(Inline(p),)) for p in paras]
        blocks.insert(2, Block(kind="heading", inlines=(Inline(paras[1].split(",")[0][:60]),), level=2))
        url = f"{SITE}/Actualites/Article-{i + 1:05d}"
        art = Article(
            url=url,
            title=gen.title(),
            date=gen.date(),
            category=gen.rng.choice(CATEGORIES),
            lead=gen.sentence(),
            blocks=tuple(blocks),
        )
        batch.append(Cache.article_upsert(url, art, art.plain_text(), None, None, time.time()))
        if len(batch) == 1000:
            cache.write(batch)
            batch = []
    if batch:
        cache.write(batch)
    # The full-text index follows the articles through triggers (issue 11): nothing to rebuild.
    elapsed = time.perf_counter() - t0
    counts = {}
    for q in (RARE_WORD, COMMON_WORD, PREFIX_QUERY):
        match = parse_full([q]).match
        counts[q] = cache.conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()[
            0
        ]
    avg = cache.conn.execute("SELECT avg(length(body)) FROM articles").fetchone()[0]
    counts["_avg_body_chars"] = int(avg)
    cache.close()
    return elapsed, counts


def bench_search_inprocess(report: Report, db: Path, calls: int, counts: dict[str, int], n_articles: int) -> None:
    cache = Cache(db, warn=lambda m: None)
    queries = [RARE_WORD, COMMON_WORD, PREFIX_QUERY]
    for q in queries:  # warm-up (page cache, statement cache)
        for _ in range(3):
            cache.search_full(q, 20)
    times: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(calls):
        for q in queries:
            t0 = time.perf_counter()
            rows = cache.search_full(q, 20)
            times[q].append(time.perf_counter() - t0)
            assert rows
    cache.close()
    kinds = {RARE_WORD: "rare word", COMMON_WORD: "common word", PREFIX_QUERY: "prefix query"}
    for q in queries:
        med = statistics.median(times[q])
        report.add(
            f"`Cache.search_full` over {n_articles:,} articles, {kinds[q]} `{q}` ({counts[q]:,} matching), 20 results",
            ms(med),
            target="≤ 10 ms",
            ok=med <= 0.010,
        )
        report.details.append(stats_line(f"search_full {q!r}", times[q]))


# ============================================================================ 1. whole commands
def setup_warm_env(tmp: Path, srv: FixtureServer) -> dict[str, str]:
    env = clean_env(tmp, srv.base_url)
    _, p = run([LILLENEWS, "list"], env)
    rows = [ln for ln in p.stdout.decode().splitlines() if re.match(r"^\s?\d+\s", ln)]
    if len(rows) != 20:
        log(f"warning: warm `lillenews list` printed {len(rows)} numbered rows, expected 20")
    run([LILLENEWS, "read", "4"], env)
    return env


def bench_commands(
    report: Report, rounds: int, warm_env: dict[str, str], search_env: dict[str, str], srv: FixtureServer
) -> float:
    cmds = [
        ("python3 -c pass", [PYTHON, "-c", "pass"], warm_env),
        ("warm `lillenews list` (20 rows, fresh cache)", [LILLENEWS, "list"], warm_env),
        ("warm `lillenews read 4` (article cached)", [LILLENEWS, "read", "4"], warm_env),
        ("`lillenews --help`", [LILLENEWS, "--help"], warm_env),
        (
            f"`lillenews search --full {COMMON_WORD}` (10,000 articles)",
            [LILLENEWS, "search", "--full", COMMON_WORD],
            search_env,
        ),
    ]
    hits_before = len(srv.requests)
    for _, cmd, env in cmds:  # warm-up round (OS page cache, .pyc files), not counted
        run(cmd, env)
    times: dict[str, list[float]] = {name: [] for name, _, _ in cmds}
    for _ in range(rounds):
        for name, cmd, env in cmds:
            elapsed, _ = run(cmd, env)
            times[name].append(elapsed)
    hits = len(srv.requests) - hits_before
    if hits:
        report.notes.append(
            f"the warm commands made {hits} HTTP request(s) to the local site during the timed runs "
            "(expected 0): the cache was not considered fresh"
        )
    report.details.append(f"warm commands: HTTP requests to the local site during the timed rounds: {hits}")
    base = statistics.median(times[cmds[0][0]])
    report.add("`python3 -c pass` (baseline, same rounds)", ms(base))
    targets = {1: 7, 2: 7, 3: 8, 4: 8}
    for idx, (name, _, _) in enumerate(cmds):
        report.details.append(stats_line(f"command {name}", times[name]))
        if idx == 0:
            continue
        med = statistics.median(times[name])
        ratio = med / base
        report.add(
            name, ms(med), f"{ms(base)} (python3 -c pass)", f"{ratio:.1f}×", f"≤ {targets[idx]}×", ratio <= targets[idx]
        )
    return base


# ============================================================================ 5b. issue 10: pty and piped floors
def run_on_pty(cmd: list[str], env: dict[str, str], rows: int = 24, cols: int = 100) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of `cmd` with stdout and stderr on a
    pseudo-terminal of rows x cols (what a person at a terminal gets: colours, no pipe)."""
    import fcntl
    import pty
    import resource
    import struct
    import termios
    import threading

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def drain() -> None:  # a full pty buffer would block the child
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    proc.wait()
    elapsed = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.close(slave)
    reader.join(2)
    os.close(master)
    if proc.returncode != 0:
        raise SystemExit(f"command failed on a pty ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)


def run_piped_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed, _ = run(cmd, env)
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)


def bench_terminal_floors(report: Report, rounds: int, warm_env: dict[str, str], srv: FixtureServer) -> None:
    """Issue 10's rows: warm `list` and `read 4 --no-pager` on a pty against
    `python -c "import typer, rich.console, rich.table"` on a pty (≤ 1.3×), and piped
    `list` / `read 4` against `python -c "import typer"` piped (≤ 1.25×); interleaved."""
    pty_env = {k: v for k, v in warm_env.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    pty_env["TERM"] = "xterm-256color"
    floor_pty, floor_pipe = (
        "pty floor: `python -c 'import typer, rich.console, rich.table'`",
        "pipe floor: `python -c 'import typer'`",
    )
    cases = [
        (floor_pty, True, [PYTHON, "-c", "import typer, rich.console, rich.table"], None),
        ("warm `lillenews list` on a pty", True, [LILLENEWS, "list"], floor_pty),
        ("warm `lillenews read 4 --no-pager` on a pty", True, [LILLENEWS, "read", "4", "--no-pager"], floor_pty),
        (floor_pipe, False, [PYTHON, "-c", "import typer"], None),
        ("warm `lillenews list` piped", False, [LILLENEWS, "list"], floor_pipe),
        ("warm `lillenews read 4` piped", False, [LILLENEWS, "read", "4"], floor_pipe),
    ]
    hits_before = len(srv.requests)
    for _, on_pty, cmd, _ in cases:  # warm-up round
        (run_on_pty if on_pty else run_piped_cpu)(cmd, pty_env if on_pty else warm_env)
    wall: dict[str, list[float]] = {c[0]: [] for c in cases}
    cpu: dict[str, list[float]] = {c[0]: [] for c in cases}
    for _ in range(rounds):
        for name, on_pty, cmd, _ in cases:
            w, c = (run_on_pty if on_pty else run_piped_cpu)(cmd, pty_env if on_pty else warm_env)
            wall[name].append(w)
            cpu[name].append(c)
    if len(srv.requests) != hits_before:
        report.notes.append("the warm pty/piped commands reached the local site (expected no request)")
    for name, _, _, floor in cases:
        report.details.append(stats_line(f"issue 10 {name} (wall)", wall[name]))
        report.details.append(stats_line(f"issue 10 {name} (CPU user+sys)", cpu[name]))
        med = statistics.median(wall[name])
        if floor is None:
            report.add(name, ms(med))
            continue
        base = statistics.median(wall[floor])
        target = 1.3 if "pty" in name else 1.25
        ratio = med / base
        cpu_ratio = statistics.median(cpu[name]) / statistics.median(cpu[floor])
        report.add(
            f"{name} (CPU ratio {cpu_ratio:.2f}×)", ms(med), ms(base), f"{ratio:.2f}×", f"≤ {target}×", ratio <= target
        )


# ============================================================================ 6. import time
def bench_importtime(report: Report, env: dict[str, str], runs: int) -> list[str]:
    per_module: dict[str, list[int]] = {}
    self_times: dict[str, list[int]] = {}
    own_self: list[int] = []
    toplevel: set[str] = set()
    everything: set[str] = set()
    for _ in range(runs):
        own = 0
        _, p = run([PYTHON, "-X", "importtime", LILLENEWS, "list"], env)
        for line in p.stderr.decode(errors="replace").splitlines():
            m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
            if not m:
                continue
            name, indent = m.group(4), len(m.group(3)) - 1
            everything.add(name)
            self_times.setdefault(name, []).append(int(m.group(1)))
            if name.split(".")[0] == "lillenews":
                own += int(m.group(1))
            if indent == 0:
                toplevel.add(name)
                per_module.setdefault(name, []).append(int(m.group(2)))
        own_self.append(own)
    top = sorted(((statistics.median(v), k) for k, v in per_module.items()), reverse=True)[:8]
    lines = ["| top-level import (warm `lillenews list`) | cumulative (median) |", "| --- | ---: |"]
    lines += [f"| `{name}` | {us / 1000:.1f} ms |" for us, name in top]
    roots = {n.split(".")[0] for n in everything}
    present = {m: (m in roots) for m in ("httpx", "selectolax", "rich", "typer", "click", "pydantic", "sqlite3")}
    lines.append("")
    lines.append(
        "Modules anywhere in the import tree of a warm `lillenews list`: "
        + ", ".join(f"{k}: {'**yes**' if v else 'no'}" for k, v in present.items())
    )
    top_self = sorted(((statistics.median(v), k) for k, v in self_times.items()), reverse=True)[:8]
    lines.append("")
    lines.append(
        "Largest self times (module body only, median): "
        + ", ".join(f"`{k}` {us / 1000:.1f} ms" for us, k in top_self)
        + f". Sum of the self times of lillenews' own modules: {statistics.median(own_self) / 1000:.1f} ms."
    )
    # the cost of the notable third-party packages wherever they were first imported
    costs = {}
    for _ in range(1):
        _, p = run([PYTHON, "-X", "importtime", LILLENEWS, "list"], env)
        for line in p.stderr.decode(errors="replace").splitlines():
            m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
            if m and m.group(4) in (
                "typer",
                "rich.console",
                "rich.table",
                "httpx",
                "selectolax.lexbor",
                "sqlite3",
                "pydantic",
                "typer._click",
                "click",
                "lillenews.app.facade",
                "lillenews.views.rich_news",
            ):
                costs[m.group(4)] = int(m.group(2))
    if costs:
        lines.append("")
        lines.append(
            "Cumulative import cost of notable modules (one run, where first imported): "
            + ", ".join(f"`{k}` {v / 1000:.1f} ms" for k, v in sorted(costs.items(), key=lambda kv: -kv[1]))
        )
    report.details.append(f"importtime: {runs} runs of `python -X importtime lillenews list`")
    return lines


# ============================================================================ 3. sync with latency
def bench_sync(report: Report, tmp: Path, rounds: int) -> None:
    with FixtureServer() as srv:
        n = serve_generated_site(srv, n_pages=10, per_page=10, delay=0.05, seed=2021)
        variants = [("default", []), ("workers1", ["--workers", "1"])]
        times: dict[str, list[float]] = {k: [] for k, _ in variants}
        for r in range(rounds):
            for key, extra in variants:
                d = tmp / f"sync-{key}-{r}"
                env = clean_env(d, srv.base_url)
                srv.clear_requests()
                elapsed, p = run([LILLENEWS, "sync", "--pages", "10", *extra], env)
                times[key].append(elapsed)
                got = sqlite3.connect(d / "cache" / "cache.db").execute("SELECT count(*) FROM articles").fetchone()[0]
                if got != n:
                    raise SystemExit(f"sync cached {got} articles, expected {n}: {p.stdout.decode()}")
                if r == 0:
                    report.details.append(
                        f"sync {key}: {len(srv.requests)} requests; output: {p.stdout.decode().strip()!r}"
                    )
                shutil.rmtree(d, ignore_errors=True)
    d, s = statistics.median(times["default"]), statistics.median(times["workers1"])
    report.add(
        f"`lillenews sync --pages 10` ({n} articles + 10 listing pages, +50 ms per request), default settings",
        secs(d),
        target="≤ 1.6 s",
        ok=d <= 1.6,
    )
    report.add(
        "same vs `--workers 1` (one request at a time)",
        secs(d),
        f"{secs(s)} (`--workers 1`)",
        f"{s / d:.2f}× faster",
        "≥ 3.5× faster",
        s / d >= 3.5,
    )
    for k, v in times.items():
        report.details.append(stats_line(f"sync {k}", v, unit=secs))


# ============================================================================ 5. memory
PEAK_HELPER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True)
el = time.perf_counter() - t0
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode, el)
sys.stderr.write(p.stdout.decode(errors="replace")[-300:] + p.stderr.decode(errors="replace")[-1500:])
"""


def bench_memory(report: Report, tmp: Path, runs: int) -> None:
    peaks, durations = [], []
    with FixtureServer() as srv:
        n = serve_generated_site(srv, n_pages=100, per_page=10, delay=0.0, seed=1000)
        for r in range(runs):
            d = tmp / f"mem-{r}"
            env = clean_env(d, srv.base_url)
            p = subprocess.run(
                [PYTHON, "-c", PEAK_HELPER, LILLENEWS, "sync", "--all"],
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
            )
            maxrss_kib, rc, el = p.stdout.decode().split()
            if rc != "0":
                raise SystemExit(f"sync --all failed ({rc}): {p.stderr.decode(errors='replace')}")
            got = sqlite3.connect(d / "cache" / "cache.db").execute("SELECT count(*) FROM articles").fetchone()[0]
            if got != n:
                raise SystemExit(f"sync --all cached {got} articles, expected {n}")
            peaks.append(int(maxrss_kib) * 1024)
            durations.append(float(el))
            shutil.rmtree(d, ignore_errors=True)
    peak = max(peaks)
    report.add(
        f"peak RSS of `lillenews sync --all` over {n:,} articles (100 listing pages, no delay)",
        f"{peak / 1e6:.0f} MB",
        target="≤ 120 MB",
        ok=peak <= 120e6,
    )
    report.details.append(
        f"sync --all peak RSS per run: {', '.join(f'{p / 1e6:.1f} MB' for p in peaks)} "
        f"(max reported); durations: {', '.join(f'{x:.1f} s' for x in durations)}"
    )


# ============================================================================ main
def render_table(rows: list[Row]) -> list[str]:
    out = ["| what | measured | comparator | ratio | target | ok? |", "| --- | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        ok = "—" if r.ok is None else ("yes" if r.ok else "**NO**")
        out.append(f"| {r.what} | {r.measured} | {r.comparator} | {r.ratio} | {r.target} | {ok} |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=None,
        help="interleaved rounds of each sync variant (default 10; 1 with --quick); the whole-command "
        "timings run 2×N rounds (default 20; 3 with --quick)",
    )
    ap.add_argument("--quick", action="store_true", help="smoke run (~30 s): fewer rounds and calls; not for recording")
    args = ap.parse_args(argv)
    quick = args.quick
    rounds = 2 * args.runs if args.runs else (3 if quick else 20)
    sync_rounds = args.runs or (1 if quick else 10)
    parse_calls = 30 if quick else 200
    search_calls = 20 if quick else 100
    mem_runs = 1 if quick else 3
    n_search = 10_000

    if not Path(LILLENEWS).exists():
        raise SystemExit(f"no console script at {LILLENEWS}: run `pip install -e '.[bench]'` in this interpreter")
    try:
        import bs4  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError as exc:
        hint = (
            " (trafilatura's justext needs lxml.html.clean, a separate package since lxml 5.2: "
            "pip install lxml_html_clean)"
            if "clean" in str(exc)
            else ""
        )
        raise SystemExit(f"a comparator cannot be imported: {exc}\nrun: pip install -e '.[bench]'{hint}") from None

    # A `pip install .` compiles the package to bytecode; an editable install under
    # PYTHONDONTWRITEBYTECODE (set on some machines) would recompile every module at
    # every start and measure the compiler, not lillenews.
    import compileall

    import lillenews

    compileall.compile_dir(str(Path(lillenews.__file__).parent), quiet=1)

    t_start = time.perf_counter()
    report = Report()
    machine = machine_description()
    with tempfile.TemporaryDirectory(prefix="lillenews-bench-") as tmpname:
        tmp = Path(tmpname)

        log(f"parse + extract: {parse_calls} interleaved calls per parser and page")
        bench_parse(report, parse_calls)

        log(f"search: building a cache of {n_search:,} generated articles")
        search_env = clean_env(tmp / "search", None)
        search_env["LILLENEWS_BASE_URL"] = "http://127.0.0.1:9"  # never contacted by search --full
        build_s, counts = build_search_cache(tmp / "search" / "cache" / "cache.db", n_search)
        report.details.append(
            f"search corpus: {n_search:,} articles, average body {counts['_avg_body_chars']:,} "
            f"characters, written in batches of 1,000 then FTS 'rebuild': {build_s:.1f} s; "
            f"matches: " + ", ".join(f"{q!r} {c:,}" for q, c in counts.items() if q[0] != "_")
        )
        log(f"search: {search_calls} interleaved in-process queries of each kind")
        bench_search_inprocess(report, tmp / "search" / "cache" / "cache.db", search_calls, counts, n_search)

        with FixtureServer() as srv:
            lille_site(srv)
            warm_env = setup_warm_env(tmp / "warm", srv)
            log(f"whole commands: {rounds} interleaved rounds (+1 warm-up)")
            bench_commands(report, rounds, warm_env, search_env, srv)
            log(f"issue 10: pty and piped commands against their import floors, {rounds} interleaved rounds")
            bench_terminal_floors(report, rounds, warm_env, srv)
            log("import time of a warm `lillenews list`")
            import_lines = bench_importtime(report, warm_env, 3 if quick else 5)

        log(f"sync: {sync_rounds} interleaved rounds of default vs --workers 1 (100 articles, +50 ms/request)")
        bench_sync(report, tmp, sync_rounds)

        log(f"memory: {mem_runs} run(s) of sync --all over 1,000 articles")
        bench_memory(report, tmp, mem_runs)

    total = time.perf_counter() - t_start
    out = [
        "## lillenews benchmark" + (" (--quick smoke run: too few runs to record)" if quick else ""),
        "",
        "Machine:",
        *machine,
        f"- Run: {rounds} interleaved rounds per command, {sync_rounds} per sync variant, "
        f"{parse_calls} calls per parser, {search_calls} per search query; medians; total {total:.0f} s",
        f"- Load average at end: {load_average()}",
        "",
        *render_table(report.rows),
        "",
        "### Import time",
        "",
        *import_lines,
        "",
        "### Details",
        "",
    ]
    out += [f"- {d}" for d in report.details]
    if report.notes:
        out += ["", "### Notes", ""] + [f"- {n}" for n in report.notes]
    missed = [r.what for r in report.rows if r.ok is False]
    out += ["", f"{len(missed)} of {sum(1 for r in report.rows if r.ok is not None)} targets missed."]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
