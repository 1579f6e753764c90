"""Rich on a terminal, plain text for pipes (the product rule): `list`, `search`,
`read` and `event` at a terminal are drawn by views/rich_news.py / views/rich_events.py, pipes get
views/plain.py's layout without a single escape code."""

from __future__ import annotations

import io
import os
import re

import pytest
from reading_site import article_page, make_items, serve
from server import FixtureServer
from test_events_cli import agenda, today  # noqa: F401 - fixtures

from lillenews.cli.app import main
from lillenews.cli.terminal import Terminal

SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = "\x1b]8;"
TABLE = "<table><tr><th>Jour</th><th>Heure</th></tr><tr><td>lundi</td><td>9 h</td></tr></table>"


def run(*args: str, tty: bool = True, width: int = 100, height: int = 200, **extra: str) -> tuple[int, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TERM_PROGRAM", "NO_COLOR")}
    term = Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=dict(environ, TERM="xterm-256color", **extra),
        stdout_isatty=tty,
        stderr_isatty=False,
        width=width,
        height=height,
    )
    code = main(list(args), terminal=term)
    return code, term.stdout.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def table_site(dirs, monkeypatch):
    items = make_items(3)
    with FixtureServer() as srv:
        serve(srv, items)
        srv.route(items[0].path, article_page(items[0]).replace('<div class="rte">', f'<div class="rte">{TABLE}'))
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield srv


def test_an_articles_table_is_a_rich_table_at_a_terminal_and_plain_in_a_pipe(table_site):
    code, out = run("read", "1", "--no-pager")
    screen = SGR.sub("", out)
    assert code == 0 and "\x1b[" in out
    assert "┏" in screen and "┃ Jour" in screen and "lundi" in screen  # Rich's box, its bold header
    code, piped = run("read", "1", tty=False)
    assert code == 0 and "\x1b" not in piped
    assert "Jour  │ Heure" in piped and "─┼─" in piped and "┏" not in piped


def test_the_listing_at_a_terminal_is_rich_at_the_plain_layouts_columns(table_site):
    assert run("list", tty=False)[0] == 0  # the new marks (●) seen once
    code, out = run("list", width=100)
    assert code == 0 and "\x1b[" in out
    code, piped = run("list", tty=False, width=100)
    assert [line.rstrip() for line in SGR.sub("", out).splitlines()] == piped.splitlines()


def test_an_event_shows_osc8_links_only_where_the_terminal_shows_them(agenda):  # noqa: F811
    assert run("events", "--all")[0] == 0
    code, out = run("event", "1", "--no-pager", TMUX="/tmp/tmux-0/default", TERM_PROGRAM="tmux")
    assert code == 0 and OSC8 not in out and "<http" in SGR.sub("", out)
    code, out = run("event", "1", "--no-pager", TERM_PROGRAM="WezTerm")
    assert code == 0 and OSC8 in out


def test_events_take_the_compact_layout_when_the_full_one_is_taller_than_the_window(agenda):  # noqa: F811
    """As `list`: at 80×24 one line an event, so the header row stays on screen; a tall
    window keeps the places and the « ongoing » lines; a pipe always does."""
    code, out = run("events", width=80, height=24)
    lines = SGR.sub("", out).rstrip("\n").splitlines()
    assert code == 0 and len(lines) <= 22 and lines[0].split() == ["#", "Dates", "Category", "Title"]
    assert all(re.match(r"\s*\d+\s", line) for line in lines[1:]), lines  # one line an event, numbered
    code, tall = run("events", width=80, height=200)
    assert code == 0 and "ongoing" in tall and "Hospice Comtesse" in tall
    code, piped = run("events", tty=False, width=80, height=24)
    assert code == 0 and "Hospice Comtesse" in piped and len(piped.splitlines()) > 22
