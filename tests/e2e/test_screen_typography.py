"""Every screen a reader sees, at 80×24 and 120×40, in French and in English: `list`, `read`,
`search --full`, `events`, `event` and `doctor` at a terminal (Rich, rendered in-process on a
declared terminal of that size; stderr included), and `browse` (Textual's Pilot, in-process).
On none of them does a line start with `» : ; ! ?` or end with `«`, in a paragraph or in a
table's cell; no URL and no phone number spans two lines; in French, no label lacks the
space before its colon. One cache serves them all (a module fixture): the suite stays cheap."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import io
import os
import re
from pathlib import Path

import pytest
from server import FIXTURES, FixtureServer, lille_site

from lillenews.app.events import EventService
from lillenews.base import i18n
from lillenews.cli.app import main
from lillenews.cli.terminal import Terminal

_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
make_events = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_events)  # type: ignore[union-attr]

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["fr", "en"]
SAVED = Path(__file__).resolve().parents[1] / "fixtures" / "doctor_saves" / "local-generic"
CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b]*\x1b\\")
URL = re.compile(r"https?://[^\s<>\"]+")
PHONE = re.compile(r"\b0\d(?: \d\d){4}\b")
COMMANDS = {
    "list": ("list",),
    "read": ("read", "4"),
    "search --full": ("search", "--full", "la"),
    "events": ("events",),
    "event": ("event", "4"),
    "doctor": ("doctor", "--from", str(SAVED)),
}


class Recorder:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, content: str) -> None:
        self.shown.append(content)


# ------------------------------------------------------------------ the checks
def cells(line: str) -> list[str]:
    """The parts of a line that columns (two spaces or more) set apart."""
    return [part for part in re.split(r"\s{2,}", line.strip()) if part]


def misplaced_marks(lines: list[str]) -> list[str]:
    """Lines (or their table cells) starting with `» : ; ! ?` or ending with `«`."""
    return [
        line
        for line in lines
        for cell in cells(line)
        if cell.startswith(("»", ":", ";", "!", "?")) or cell.endswith("«")
    ]


def split_across_lines(lines: list[str], pattern: re.Pattern[str], known: set[str]) -> list[str]:
    """The URLs or phone numbers (`known` ones and any `pattern` finds in the text read line
    after line) that no single line shows whole."""
    joined = " ".join(line.strip() for line in lines)
    glued = "".join(line.strip() for line in lines)  # a URL folded into pieces reads whole when glued
    found = set(pattern.findall(joined)) | {k for k in known if k in glued}
    return sorted(x for x in found if not any(x in line for line in lines))


def unspaced_labels(lines: list[str]) -> list[str]:
    """French lines where a colon, semicolon, ! or ? follows a word without its space."""
    bad = re.compile(r"[\wÀ-ÿ»)][:;!?](?=\s|$)")
    return [line for line in lines if bad.search(URL.sub("", line))]


def check(lines: list[str], language: str, urls: set[str]) -> None:
    assert not misplaced_marks(lines), misplaced_marks(lines)
    assert not split_across_lines(lines, URL, urls), split_across_lines(lines, URL, urls)
    assert not split_across_lines(lines, PHONE, set()), split_across_lines(lines, PHONE, set())
    if language == "fr":
        assert not unspaced_labels(lines), unspaced_labels(lines)


def test_the_checks_can_fail():
    assert misplaced_marks(["Exposition « Photographes du Nord", "»"])
    assert misplaced_marks(["12  Rencontre / conférence  Exposition « Lille", "    / débat             »"])
    assert misplaced_marks(["un titre «", "suite »"])
    url = "https://www.lille.fr/Actualites/La-securite-et-la-prevention"
    assert split_across_lines(
        ["• Titre <https://www.lille.fr/Actualites/La-securite-et-la-preventio", "n>"], URL, {url}
    )
    assert split_across_lines(["appelez le 03 20 49", "50 00, du lundi"], PHONE, set())
    assert unspaced_labels(["Catégorie: Visite"]) and not unspaced_labels(["Catégorie : Visite <http://x.fr/a:b>"])


# ------------------------------------------------------------------ one cache for every screen
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The local site (news and agenda) and a cache holding what every command shows."""
    with pytest.MonkeyPatch.context() as mp, FixtureServer() as srv:
        lille_site(srv)
        for path, html in make_events.all_pages().items():
            srv.route(path, html, last_modified=make_events.LAST_MODIFIED)
        root = tmp_path_factory.mktemp("screens")
        for name in ("cache", "data", "config"):
            mp.setenv(f"LILLENEWS_{name.upper()}_DIR", str(root / name))
        mp.setenv("LILLENEWS_BASE_URL", srv.base_url)
        mp.setattr(EventService, "today", property(lambda self: make_events.TODAY))
        for args in (("sync", "--pages", "3"), ("list", "--limit", "30"), ("events",), ("event", "4")):
            run(args, 120, 200, "en")
        yield srv


def run(args: tuple[str, ...], width: int, height: int, language: str) -> tuple[str, str]:
    """The command at a terminal of that size: what it prints (or pages), and its stderr."""
    environ = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TERM_PROGRAM", "COLUMNS", "LINES")}
    environ.update(NO_COLOR="1", TERM="xterm-256color", LILLENEWS_LANGUAGE=language)
    pager = Recorder()
    term = Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=environ,
        stdout_isatty=True,
        stderr_isatty=True,
        width=width,
        height=height,
        pager=pager,
    )
    main(list(args), terminal=term)
    out = term.stdout.getvalue() + "".join(pager.shown)  # type: ignore[attr-defined]
    return CODES.sub("", out), CODES.sub("", term.stderr.getvalue())  # type: ignore[attr-defined]


def known_urls(args: tuple[str, ...]) -> set[str]:
    """Every URL the command's --json holds (doctor: its pages'), as the screen shows them."""
    return set(URL.findall(run((*args, "--json"), 120, 40, "en")[0]))


# ------------------------------------------------------------------ the commands
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_at_a_terminal_reads_right(site, command, size, language):
    args = COMMANDS[command]
    out, err = run(args, *size, language)
    lines = [line.rstrip() for line in (out + err).splitlines()]
    assert len([line for line in out.splitlines() if line.strip()]) > 3, out  # something was shown
    check(lines, language, known_urls(args))
    if language == "fr":
        assert not re.search(r"\b(Category|Title|Place|Picture|Links|Hours|items|title|link)\b", out), out


# ------------------------------------------------------------------ the reader
def screens_of_the_reader(size: tuple[int, int], language: str) -> dict[str, str]:
    """Each screen of the reader at that size (the cursor moved directly, not key by key:
    each key waits for a frame, and this test is about what the frames show)."""
    from textual.widgets import DataTable, Input
    from textual.worker import WorkerCancelled, WorkerFailed

    from lillenews.base.config import load_settings
    from lillenews.tui.app import BrowseApp
    from lillenews.tui.source import Source

    shots: dict[str, str] = {}
    i18n.set_language(language)
    source = Source(load_settings({}))
    app = BrowseApp(source, opener=lambda url: False)
    app.animation_level = "none"

    async def settle(pilot) -> None:
        for _ in range(2):
            for worker in list(pilot.app.workers):
                with contextlib.suppress(WorkerCancelled, WorkerFailed):
                    await worker.wait()
            await pilot.pause()

    def shot(name: str) -> None:
        shots[name] = "\n".join(strip.text for strip in app.screen._compositor.render_strips())

    async def script() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            shot("headlines")
            app.headlines.table.move_cursor(row=3)  # « Sécurité : … », with its « Lire aussi »
            await pilot.press("enter")
            await settle(pilot)
            shot("article")
            await pilot.press("end")
            shot("article, its end")
            await pilot.press("o")  # no browser: the address in a notice
            shot("article, the address")
            app.clear_notifications()
            await pilot.press("escape", "slash")
            app.screen.query_one(Input).value = "la"
            await pilot.press("tab")  # the full text of the cached articles
            await settle(pilot)
            shot("search --full")
            await pilot.press("escape", "e")
            await settle(pilot)
            shot("events")
            app.screen.query_one(DataTable).move_cursor(row=3)  # « Exposition « Lille, ville d'eau » »
            await pilot.press("enter")
            await settle(pilot)
            shot("event")

    try:
        asyncio.run(script())
    finally:
        source.close()
        i18n.set_language(None)
    return shots


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_every_screen_of_the_reader_reads_right(site, size, language):
    shots = screens_of_the_reader(size, language)
    urls = known_urls(COMMANDS["read"]) | known_urls(COMMANDS["event"])
    for name, text in shots.items():
        lines = text.splitlines()
        footer = lines.pop()  # the keys: `? Aide` begins with a question mark, rightly
        assert len(footer.rstrip()) <= size[0], (name, footer)
        assert (
            ("Quitter" in footer or "Retour" in footer) if language == "fr" else ("Quit" in footer or "Back" in footer)
        )
        body = [line.rstrip(" ▁▂▃▄▅▆▇█") for line in lines]  # without the scrollbar
        check(body, language, urls)
    assert len(shots) == 7 and "4. Exposition « Lille, ville d'eau »" in shots["event"]
    assert "http" in shots["article, the address"] and "Sécurité" in shots["article"]
