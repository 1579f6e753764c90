"""Start-up regression guard (issue 5): a warm command imports only what it needs.

Not a timing test: it reads `python -X importtime` of a real `python -m lillenews`
process, so it fails when someone adds an eager import of the network stack, the
HTML parser or Rich to a path that does not use them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

NETWORK_AND_PARSER = ("httpx", "httpcore", "selectolax", "h11", "anyio", "certifi")


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
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "lillenews.cli.app" in modules  # the probe works
    return modules


@pytest.fixture
def warm_env(cli, site):
    """A cache holding the listing (50 headlines: what search wants) and article 4."""
    assert cli("list", "--limit", "50").exit_code == 0
    assert cli("read", "4").exit_code == 0
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    return env


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".", 1)[0] for m in modules}


def test_warm_list_imports_no_network_no_parser_no_rich(warm_env):
    modules = top_level(imported_modules("list", env=warm_env))
    assert not modules & set(NETWORK_AND_PARSER), modules & set(NETWORK_AND_PARSER)
    assert "rich" not in modules  # piped output is plain text
    assert "pydantic" not in modules  # typer < 0.29 (see pyproject.toml)
    assert "textual" not in modules  # the reader's toolkit: `browse` only (test_tui proves the probe sees it)


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
    modules = top_level(imported_modules("--help", env=dict(os.environ)))
    assert not modules & set(NETWORK_AND_PARSER)
    assert "sqlite3" not in modules
    assert "textual" not in modules


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
