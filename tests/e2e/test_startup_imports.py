"""Start-up budget guard: a warm command imports only what it runs.

Not a timing test: it reads `python -X importtime` of a real `python -m lillenews`
process (a deterministic list of modules), so it fails when someone adds an eager import
of the network stack, the HTML parser, Rich, Textual, the search stack or the site's
markup to a path that does not use them. "Warm" is a fresh cache and no request at all:
the cache is filled by a first run against the local fixture server, the listing's
max-age is a week, and the server must see no request while the probes run."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import pathlib
import pty
import subprocess
import sys

import pytest

NETWORK_AND_PARSER = ("httpx", "httpcore", "selectolax", "h11", "anyio", "certifi")
NEVER_WARM = (*NETWORK_AND_PARSER, "textual")  # the network, the parser, the reader's toolkit

# What every command loads: the typer app with its own commands, settings, the language.
CLI_CORE = {
    "lillenews",
    "lillenews.base",
    "lillenews.base.config",
    "lillenews.base.errors",
    "lillenews.base.files",
    "lillenews.base.i18n",
    "lillenews.base.startup",  # the entry point's imports with the collector paused
    "lillenews.base.text",
    "lillenews.base.typography",
    "lillenews.cli",
    "lillenews.cli.app",
    "lillenews.cli.charset",
    "lillenews.cli.common",
    "lillenews.cli.exits",
    "lillenews.cli.i18n",
    "lillenews.cli.quartiers",
    "lillenews.cli.screen",
    "lillenews.cli.search",
    "lillenews.cli.terminal",
}
# The commands kept in their own modules: imported for the whole app (--help, completion)
# or when one of their commands runs, never for another command.
COMMAND_MODULES = {f"lillenews.cli.{m}" for m in ("browse", "cache", "doctor", "events", "new", "sync")}
# The façade over the news cache: what a warm `list` and `read` run.
NEWS_FROM_CACHE = CLI_CORE | {
    "lillenews.app",
    "lillenews.app.cached_fetch",
    "lillenews.app.context",
    "lillenews.app.facade",
    "lillenews.app.listing",
    "lillenews.app.numbers",
    "lillenews.app.walker",
    "lillenews.base.models",
    "lillenews.base.urls",
    "lillenews.store",
    "lillenews.store.cache",
    "lillenews.store.database",
    "lillenews.store.pages",
    "lillenews.store.quartier_index",  # the quartier index's SQL, beside the full-text index
    "lillenews.store.search_index",  # registers the index's SQL functions on open
    "lillenews.views",
    "lillenews.views.labels",  # the one vocabulary of labels (views.model)
    "lillenews.views.model",
    "lillenews.views.plain",
}
SEARCH = NEWS_FROM_CACHE | {"lillenews.app.search", "lillenews.store.query", "lillenews.views.snippets"}
EVENTS_FROM_CACHE = NEWS_FROM_CACHE | {
    "lillenews.cli.events",
    "lillenews.app.agenda",
    "lillenews.app.events",
    "lillenews.base.dates",
    "lillenews.base.event_models",
    "lillenews.site",
    "lillenews.site.event_markup",  # the agenda's URL scheme, not the news markup
    "lillenews.store.events",
    "lillenews.views.event_model",
}
# The quartier vocabulary and tagging: a --quartier filter or JSON's tags only.
QUARTIERS = {"lillenews.app.quartiers", "lillenews.site", "lillenews.site.quartiers"}
# Rich's renderers, at a terminal only.
ON_A_TERMINAL = {"lillenews.views.rich_news", "lillenews.views.rich_events", "lillenews.views.rich_text"}

_FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"


def _make_events():
    spec = importlib.util.spec_from_file_location("lillenews_make_events_startup", _FIXTURES / "make_events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _parse(importtime: str) -> set[str]:
    modules = set()
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "lillenews.cli.app" in modules  # the probe works
    return modules


def imported_modules(*args: str, env: dict[str, str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lillenews", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _parse(proc.stderr)


def imported_on_a_pty(*args: str, env: dict[str, str]) -> set[str]:
    """The same, with stdout on a pseudo-terminal (Rich output); importtime on stderr."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "lillenews", *args],
            stdout=slave,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _parse(proc.stderr)


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".", 1)[0] for m in modules}


def ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".", 1)[0] == "lillenews"}


@pytest.fixture
def warm_env(cli, site):
    """A cache holding the listing (50 headlines: what search wants), article 4, the agenda
    and event 1; a listing max-age of a week, so that nothing is fetched again."""
    make_events = _make_events()
    year = str(dt.date.today().year + 1)  # the June 2024 agenda moved to next June: upcoming, rendered
    for path, html in make_events.all_pages().items():
        site.route(path, html.replace("2024", year), last_modified=make_events.LAST_MODIFIED.replace("2024", year))
    for args in (("list", "--limit", "50"), ("read", "4"), ("events",), ("event", "1")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env["LILLENEWS_LISTING_MAX_AGE"] = "10080"
    before = len(site.requests)
    yield env
    assert len(site.requests) == before, site.requests[before:]  # warm: not one request


WARM_PIPED = [
    (("list",), NEWS_FROM_CACHE),
    # JSON carries each headline's quartiers: the vocabulary runs
    (("list", "--json"), NEWS_FROM_CACHE | QUARTIERS | {"lillenews.views.jsonout", "lillenews.views.markdown"}),
    (("read", "4"), NEWS_FROM_CACHE),
    (("search", "caméras"), SEARCH),
    (("events",), EVENTS_FROM_CACHE),
    (("event", "1"), EVENTS_FROM_CACHE),
]


@pytest.mark.parametrize(("args", "allowed"), WARM_PIPED, ids=[" ".join(a) for a, _ in WARM_PIPED])
def test_a_warm_piped_command_imports_only_its_own_modules(warm_env, args, allowed):
    modules = imported_modules(*args, env=warm_env)
    assert ours(modules) <= allowed, sorted(ours(modules) - allowed)
    assert not top_level(modules) & {*NEVER_WARM, "rich", "pydantic"}, top_level(modules) & {*NEVER_WARM, "rich"}


def test_a_warm_list_or_read_loads_neither_the_search_stack_nor_the_site(warm_env):
    for args in (("list",), ("read", "4")):
        modules = imported_modules(*args, env=warm_env)
        assert not modules & {"lillenews.store.query", "lillenews.app.search", "lillenews.views.snippets"}, args
        assert not {m for m in modules if m.startswith(("lillenews.site", "lillenews.net"))}, args
        assert "lillenews.store.url_migration" not in modules  # an old store only
        assert not modules & QUARTIERS, args  # quartier tagging: not for a plain listing
        assert "dataclasses" not in modules, args  # came with the query parser


def test_a_warm_events_loads_neither_the_news_markup_nor_the_search_stack(warm_env):
    for args in (("events",), ("event", "1")):
        modules = imported_modules(*args, env=warm_env)
        assert "lillenews.site.markup" not in modules, args  # news selectors and furniture regexes
        assert "lillenews.app.listing" not in modules, args  # the news listing's walk
        assert not modules & {"lillenews.app.quartiers", "lillenews.site.quartiers"}, args  # no --quartier
        assert not modules & {"lillenews.store.query", "lillenews.app.search", "lillenews.views.snippets"}, args
        assert not modules & {"hashlib", "_hashlib", "dataclasses"}, args  # a write's digest; the old markup class


WARM_ON_A_PTY = [
    (("list",), NEWS_FROM_CACHE),
    (("read", "4", "--no-pager"), NEWS_FROM_CACHE),
    (("events",), EVENTS_FROM_CACHE),
]


@pytest.mark.parametrize(("args", "allowed"), WARM_ON_A_PTY, ids=[" ".join(a) for a, _ in WARM_ON_A_PTY])
def test_a_warm_command_on_a_terminal_adds_only_rich_and_its_renderers(warm_env, args, allowed):
    env = {k: v for k, v in warm_env.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    modules = imported_on_a_pty(*args, env=env)
    assert "rich" in top_level(modules)  # the probe is on a terminal
    assert ours(modules) <= allowed | ON_A_TERMINAL, sorted(ours(modules) - allowed - ON_A_TERMINAL)
    assert not top_level(modules) & set(NEVER_WARM), top_level(modules) & set(NEVER_WARM)


def test_warm_list_json_and_read_import_no_network(warm_env):
    seed = "/Actualites/Securite-des-sites-retenus-pour-les-prochaines-cameras-de-videoprotection"
    for args in (
        ("list", "--json"),
        ("read", "4"),
        ("read", "4", "--json"),
        ("read", "4", "--markdown"),
        ("read", seed),
        ("search", "caméras"),
        ("search", "caméras", "--json"),
        ("search", "--full", "caméras"),
        ("search", "--full", "caméras", "--json"),
        ("feed",),
    ):
        modules = top_level(imported_modules(*args, env=warm_env))
        assert not modules & set(NETWORK_AND_PARSER), (args, modules & set(NETWORK_AND_PARSER))
        assert "rich" not in modules, args
        assert "textual" not in modules, args


def test_help_imports_neither_network_nor_store(dirs):
    modules = imported_modules("--help", env=dict(os.environ))
    assert not top_level(modules) & set(NEVER_WARM)
    assert "sqlite3" not in top_level(modules)
    assert ours(modules) <= CLI_CORE | COMMAND_MODULES, sorted(ours(modules) - CLI_CORE - COMMAND_MODULES)
    assert modules >= COMMAND_MODULES  # the whole app: every command in the help


def test_a_cold_list_does_use_the_network_stack(cli, site):
    """The probe can see a network import when there is one (the guard can fail)."""
    env = dict(os.environ)
    modules = top_level(imported_modules("list", env=env))
    assert "httpx" in modules and "selectolax" in modules


QUARTIER_MODULES = (
    "lillenews.site.quartiers",
    "lillenews.app.quartiers",
    "lillenews.app.new",
    "lillenews.store.new_items",
)


def test_a_warm_list_loads_no_quartier_tagging_unless_asked(warm_env):
    """The quartier vocabulary, its tagging and `new`'s ledger load only where asked for
    (--quartier, --json's "quartiers", `quartiers`, `new`): never for a warm `list`, `read`
    or `search` shown as text."""
    for args in (
        ("list",),
        ("list", "--unread"),
        ("read", "4"),
        ("search", "caméras"),
        ("search", "--full", "caméras"),
    ):
        modules = imported_modules(*args, env=warm_env)
        assert not modules & set(QUARTIER_MODULES), (args, modules & set(QUARTIER_MODULES))
    filtered = imported_modules("list", "--quartier", "Centre", env=warm_env)
    assert {"lillenews.site.quartiers", "lillenews.app.quartiers"} <= filtered  # the probe sees them
    assert not top_level(filtered) & set(NETWORK_AND_PARSER)  # five fresh cached pages: no request


def test_a_warm_list_or_events_seen_before_writes_no_store(warm_env, dirs):
    """Nothing new: no write transaction, so no log to fold back into a file at close
    (~1-2 ms of each warm command). The stores' files are left exactly as they were."""

    def files() -> dict[str, tuple[int, int]]:
        found = [*dirs["cache"].glob("*.db*"), *dirs["data"].glob("*.db*")]
        return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in found}

    for args in (("list",), ("events",)):
        assert (
            subprocess.run([sys.executable, "-m", "lillenews", *args], env=warm_env, capture_output=True).returncode
            == 0
        )
    before = files()
    assert {"cache.db", "events.db", "state.db"} <= set(before)
    for args in (("list",), ("events",), ("list", "--limit", "5"), ("events", "--limit", "20")):
        done = subprocess.run([sys.executable, "-m", "lillenews", *args], env=warm_env, capture_output=True)
        assert done.returncode == 0, done.stderr
        assert files() == before, args
