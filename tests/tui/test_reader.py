"""`lillenews browse`: the Textual reader, driven by Textual's Pilot against the
local test site and a real cache in temporary directories, and once for real in a
pseudo-terminal (pty_term.py, pyte)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import importlib.util
import json
import os
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable

import pytest
import synth_site
from pty_term import PtyTerm
from server import ARTICLE_PATHS, FIXTURES, fixture_bytes

pytest.importorskip("textual")

from textual.widgets import Input  # noqa: E402
from textual.worker import WorkerCancelled, WorkerFailed  # noqa: E402

from lillenews.base.config import load_settings  # noqa: E402
from lillenews.base.models import NO_DATES  # noqa: E402
from lillenews.tui.app import BrowseApp, HeadlinesScreen  # noqa: E402
from lillenews.tui.screens import ArticleScreen, HelpScreen, SearchScreen  # noqa: E402
from lillenews.tui.source import Source, _fts_words  # noqa: E402
from lillenews.tui.widgets import HeadlineTable  # noqa: E402
from lillenews.views.model import HeadlineRow  # noqa: E402

SECURITE = "Sécurité : des sites retenus pour les prochaines caméras de vidéoprotection"
FIRST = "Lieux culturels : Lille candidate pour une réouverture"
MARKUP = "[b]x[/b]"


# ---------------------------------------------------------------- harness
@pytest.fixture(autouse=True)
def _idle_looked_for_in_short_steps(monkeypatch):
    """After each key and pause, Pilot waits until the process looks idle (under 5 % of a
    core), looking in steps of 20 ms: some 440 such waits took 24 of this file's 33 s. The
    tests do not rest on that guess (Pilot still waits for every pending message, `settle`
    for every worker); steps of 5 ms keep the same rule and wait a quarter as long."""
    import textual._wait as wait

    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", 1 / 200)
    monkeypatch.setattr(wait, "SLEEP_IDLE", 1 / 200 / 20)


def screen_text(app: BrowseApp) -> str:
    """What the terminal shows (toasts included), as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot) -> None:
    """Let the workers finish and their results reach the interface."""
    for _ in range(3):
        for worker in list(pilot.app.workers):
            with contextlib.suppress(WorkerCancelled, WorkerFailed):  # replaced by a newer one; failed
                await worker.wait()
        await pilot.pause()


def notes(app: BrowseApp) -> list[str]:
    return [n.message for n in app._notifications]


def drive(
    app: BrowseApp, script: Callable[..., Awaitable[None]], size: tuple[int, int] = (80, 24), settled: bool = True
) -> None:
    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            if settled:
                await settle(pilot)
            else:
                await pilot.pause()
            await script(pilot)

    asyncio.run(main())


@pytest.fixture
def make_app(dirs, site, monkeypatch):
    """A BrowseApp on the settings of the environment (local site, temp dirs)."""
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url)
    sources: list[Source] = []
    opened: list[str] = []

    def make(*, browser: bool = False, **kwargs) -> BrowseApp:
        source = Source(load_settings({}))
        sources.append(source)
        app = BrowseApp(source, opener=lambda url: opened.append(url) or browser, **kwargs)
        app.animation_level = "none"  # scrolling jumps: the tests wait for no animation
        app.opened = opened  # type: ignore[attr-defined]
        return app

    yield make
    for source in sources:
        source.close()


@pytest.fixture
def warm(cli, site):
    """A cache with 30 headlines and articles 4 and 6 (as a CLI user leaves it)."""
    assert cli("list", "--limit", "30").exit_code == 0
    for n in ("4", "6"):
        assert cli("read", n).exit_code == 0
    site.clear_requests()
    return cli


def read_flags(cli) -> dict[int, bool]:
    result = cli("list", "--limit", "30", "--offline", "--json")
    assert result.exit_code == 0, result
    return {d["number"]: d["read"] for d in json.loads(result.stdout)}


# ---------------------------------------------------------------- headlines
def test_opens_from_the_cache_and_moves_without_the_network(warm, site, make_app):
    app = make_app()

    async def script(pilot):
        text = screen_text(app)
        assert isinstance(app.screen, HeadlinesScreen)
        assert "30 headlines · updated just now" in text  # how old the cached listing is
        lines = text.splitlines()
        row1 = next(line for line in lines if line.lstrip().startswith("1 "))
        assert "25/02/2021" in row1 and "Culture" in row1 and "Lieux culturels" in row1
        assert "1. " + FIRST in text  # the summary panel: the selected headline in full
        assert "La Ville se porte candidate" in text
        await pilot.press("down", "down", "j", "k", "j")
        await settle(pilot)
        text = screen_text(app)
        assert "4. " + SECURITE in text and "Cinquante caméras" in text
        assert site.base_url + ARTICLE_PATHS["securite"] in app.docs  # preloaded from the cache
        assert re.search(r"^\s*4\s+✓\s+08/02/2021", text, re.M)  # read with the CLI: marked

    drive(app, script)
    assert site.requests == []


def test_moving_and_reading_do_no_disk_work_on_the_interface_thread(warm, make_app):
    app = make_app()
    calls: list[tuple[str, str]] = []
    source = app.source
    for name in ("cached_article", "article", "set_read", "mark_seen", "search", "headlines"):
        original = getattr(source, name)

        def recorder(*args, _original=original, _name=name, **kwargs):
            calls.append((_name, threading.current_thread().name))
            return _original(*args, **kwargs)

        setattr(source, name, recorder)

    async def script(pilot):
        for _ in range(6):
            await pilot.press("down")
        await pilot.press("up", "up", "enter")
        await settle(pilot)
        await pilot.press("escape", "m", "slash", "c", "a", "m")
        await settle(pilot)

    drive(app, script)
    names = {name for name, _thread in calls}
    assert {"cached_article", "set_read", "mark_seen", "search"} <= names, names
    on_ui = [(name, thread) for name, thread in calls if thread == threading.main_thread().name]
    assert on_ui == []


def test_read_an_article_go_back_and_the_mark_is_shared_with_the_cli(warm, make_app):
    app = make_app()
    assert read_flags(warm)[6] is True and read_flags(warm)[7] is False

    async def script(pilot):
        await pilot.press(*["down"] * 6, "enter")  # headline 7: not cached, fetched from the site
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        text = screen_text(app)
        assert text.lstrip().startswith("7. Un droit de pétition locale à Lille")
        await pilot.press("end")
        await settle(pilot)
        assert "/Actualites/Un-droit-de-petition-locale-a-Lille" in screen_text(app)  # the source link
        await pilot.press("p")  # previous headline: 6, from the cache
        await settle(pilot)
        assert screen_text(app).lstrip().startswith("6. Co-working et médiation numérique")
        assert "tab Lire aussi" not in screen_text(app)  # 6 has no « Lire aussi »: Tab is not offered
        await pilot.press("n")
        await settle(pilot)
        assert screen_text(app).lstrip().startswith("7. Un droit de pétition")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        text = screen_text(app)
        assert "7. Un droit de pétition locale à Lille" in text  # the cursor followed n/p
        assert re.search(r"^\s*7\s+✓", text, re.M)

    drive(app, script)
    assert read_flags(warm)[7] is True  # `lillenews list` sees the mark


def test_the_article_screen_shows_what_read_shows(warm, site, make_app):
    app = make_app()
    expected = warm("read", "4", "--no-pager").stdout
    related_path = "/Actualites/Plus-de-moyens-pour-la-securite"
    site.route(related_path, fixture_bytes("article_no_lead.html"))

    async def script(pilot):
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        text = screen_text(app)
        for line in (
            "4. Sécurité : des sites retenus",
            "8 février 2021 · Sécurité",
            "┃ Cinquante caméras",
            "Image: Caméra de vidéoprotection",
        ):
            assert line in text and line in expected, line
        for q in ("q", "backspace"):
            await pilot.press(q)
            assert isinstance(app.screen, HeadlinesScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ArticleScreen)
        await pilot.press("end")
        text = screen_text(app)
        assert "tab Lire aussi" in text.splitlines()[-1]  # the footer offers the related items
        assert "Lire aussi" in text and "• Plus de moyens pour la sécurité" in text
        assert "Améliorer la tranquillité publique" in text
        await pilot.press("tab", "enter")  # the first « Lire aussi » item opens in the reader
        await settle(pilot)
        text = screen_text(app)
        assert isinstance(app.screen, ArticleScreen) and len(app.screen_stack) == 3  # headlines, 2 articles
        assert "Un droit de pétition locale à Lille" in text  # the page served at that address
        await pilot.press("escape")  # back to the article it was opened from
        assert isinstance(app.screen, ArticleScreen) and app.screen.row.title == SECURITE
        assert "• Plus de moyens pour la sécurité" in screen_text(app)

    drive(app, script)
    assert site.hits(related_path) == 1


def test_the_listing_fills_what_the_article_page_lacks_as_in_read(cli, site, make_app):
    """An article page without date or category: the listing's show, as `read` shows them."""
    arts = synth_site.make_articles(3)
    site.route(synth_site.PAGE_PATHS[0], synth_site.listing_html(arts, 0, 1))
    for art in arts:
        page = synth_site.article_html(art)
        if art.number == 2:
            page = re.sub(r'<div class="(dateInfo|event-type)">.*?</div>', "", page, flags=re.S)
        site.route(art.path, page)
    assert cli("list").exit_code == 0
    meta = cli("read", "2", "--no-pager").stdout.splitlines()[1]
    assert "Citoyenneté" in meta  # from the listing
    app = make_app()

    async def script(pilot):
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen_text(app).splitlines()[1].strip() == meta

    drive(app, script)


def test_an_article_that_cannot_be_fetched_says_why(warm, make_app):
    app = make_app()

    async def script(pilot):
        await pilot.press("down", "enter")  # headline 2 is not served by the test site
        await settle(pilot)
        assert any(n.startswith("Error: could not fetch") and "404" in n for n in notes(app))
        assert "Error: could not fetch" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HeadlinesScreen)

    drive(app, script)


def test_mark_and_unread_only(warm, make_app):
    assert warm("mark", "2").exit_code == 0
    app = make_app()

    async def script(pilot):
        text = screen_text(app)
        assert re.search(r"^\s*2\s+✓", text, re.M)  # marked by the CLI
        await pilot.press("m")  # headline 1: read
        await settle(pilot)
        assert re.search(r"^\s*1\s+✓", screen_text(app), re.M)
        await pilot.press("u")
        text = screen_text(app)
        assert "unread only" in text and "26 headlines" in text
        assert not re.search(r"^\s*[1246]\s", text, re.M)
        assert re.search(r"^\s*3\s", text, re.M)
        await pilot.press("u", "up", "m")  # all again (the cursor stays on 3); headline 2: unread
        await pilot.press("down", "m", "m", "m")  # three quick toggles of 3: read, as shown
        await settle(pilot)
        text = screen_text(app)
        assert "30 headlines" in text and re.search(r"^\s*3\s+✓", text, re.M)

    drive(app, script)
    flags = read_flags(warm)
    assert flags[1] is True and flags[2] is False and flags[3] is True


def test_search_headlines_and_full_text(warm, make_app):
    app = make_app()

    async def script(pilot):
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"camera")  # accents ignored
        await settle(pilot)
        text = screen_text(app)
        assert "1 result" in text and "Sécurité : des sites retenus" in text
        await pilot.press("tab")  # full text of the cached articles (4 and 6)
        await settle(pilot)
        text = screen_text(app)
        assert "Full text of cached articles" in text and "1 result" in text
        app.screen.query_one(Input).value = "médiation num"  # the last word is a prefix while typing
        await settle(pilot)
        text = screen_text(app)
        assert "Co-working et médiation numérique" in text and "1 result" in text
        await pilot.press("tab")
        await settle(pilot)
        assert "Headlines" in screen_text(app)
        await pilot.press("enter")  # the first Enter reads the first result
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert screen_text(app).lstrip().startswith("6. Co-working")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HeadlinesScreen)

    drive(app, script)


def test_open_in_the_browser_or_show_the_address(warm, site, make_app):
    """The address in a notice is whole on its own line, or cut once with an ellipsis
    (never folded into pieces); `y` copies it whole to the clipboard (OSC 52)."""
    url = site.base_url + ARTICLE_PATHS["securite"]
    for browser in (True, False):
        app = make_app(browser=browser)

        async def script(pilot, app=app):
            await pilot.press("down", "down", "down", "o")
            await settle(pilot)
            text = screen_text(app)
            assert not [line for line in text.splitlines() if "http" in line and "…" not in line and url not in line]

        drive(app, script)
        assert app.opened[-1] == url  # type: ignore[attr-defined]
        said, address = notes(app)[-1].split("\n")
        assert said == ("Opened in the web browser:" if browser else "No web browser found; copy the address with y:")
        # at 80 columns, a toast is 40 columns wide: the URL is cut once
        assert address.endswith("…") and url.startswith(address[:-1]) and len(address) <= 36
    app = make_app()

    async def copy(pilot):
        await pilot.press("down", "down", "down", "y")  # the headlines
        assert app.clipboard == url
        await pilot.press("enter")
        await settle(pilot)
        app.copy_to_clipboard("")
        await pilot.press("y")  # an article
        assert app.clipboard == url and notes(app)[-1].startswith("Address copied:\n")

    drive(app, copy)


def test_only_web_addresses_are_opened(warm, make_app):
    app = make_app(browser=True)

    async def script(pilot):
        app.show_url("javascript:alert(1)")
        app.show_url("file:///etc/passwd")
        await pilot.pause()

    drive(app, script)
    assert app.opened == []  # type: ignore[attr-defined]
    assert notes(app) == ["This link is not a web address."] * 2


def test_a_failing_worker_is_one_error_line_and_the_reader_goes_on(warm, make_app):
    from lillenews.base.errors import CacheError

    app = make_app()

    def broken(url):
        raise CacheError("cannot read the cache at /x/cache.db: disk I/O error")

    app.source.cached_article = broken  # type: ignore[method-assign]

    async def script(pilot):
        await pilot.press("down")
        await settle(pilot)
        assert app.is_running and "2. Soldes" in screen_text(app)

    drive(app, script)
    assert notes(app) and set(notes(app)) == {"Error: cannot read the cache at /x/cache.db: disk I/O error"}


def test_an_unexpected_failure_reading_an_article_is_one_line(warm, make_app):
    app = make_app()
    app.source.cached_article = lambda url: None  # type: ignore[method-assign]

    def article(url, *, offline=False):
        raise RuntimeError("boom")

    app.source.article = article  # type: ignore[method-assign]

    async def script(pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen) and "Error: boom" in screen_text(app)

    drive(app, script)
    assert notes(app) == ["Error: boom"]


def test_ctrl_c_quits(warm, make_app):
    app = make_app()

    async def script(pilot):
        await pilot.press("enter")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0

    drive(app, script)


def gated(site, path: str, body: bytes, status: int = 200) -> threading.Event:
    """Serve `path` only once the returned event is set: the test sees the reader
    while it waits, whatever the machine's speed."""
    release = threading.Event()

    def answer(handler) -> None:
        release.wait(10)
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.handler(path, answer)
    return release


def test_refresh_with_the_site_answering_500_keeps_the_cache(warm, site, make_app):
    site.route("/Actualites", "<h1>Erreur</h1>", status=500)
    cli_line = warm("list", "--refresh", "--limit", "30").stderr.strip().splitlines()[0]
    assert cli_line.startswith("Warning: could not fetch") and "500" in cli_line
    release = gated(site, "/Actualites", b"<h1>Erreur</h1>", status=500)
    app = make_app()

    async def script(pilot):
        await pilot.press("r")
        assert app.screen.query_one("#busy").display  # the progress line, while waiting
        assert "Refreshing" in screen_text(app)
        await pilot.press("down")  # the interface keeps answering during the refresh
        assert "2. Soldes" in screen_text(app)
        release.set()
        await settle(pilot)
        assert not app.screen.query_one("#busy").display
        assert notes(app) == [cli_line]
        text = screen_text(app)
        assert "30 headlines" in text and FIRST[:30] in text
        assert "Warning: could not fetch" in text  # the toast
        await pilot.press("r")  # a second failure says so again
        await settle(pilot)
        assert len(notes(app)) == 2 and notes(app)[1].startswith("Warning: could not fetch")

    drive(app, script)


def test_an_empty_cache_is_fetched_at_once_with_a_progress_line(cli, site, make_app):
    release = gated(site, "/Actualites", fixture_bytes("listing_p01.html"))
    app = make_app()

    async def script(pilot):
        text = screen_text(app)
        assert "No headlines cached yet" in text and "Refreshing" in text
        release.set()
        await settle(pilot)
        text = screen_text(app)
        assert "Lieux culturels" in text and "Refreshing" not in text and "20 headlines" in text

    drive(app, script, settled=False)


def test_offline_never_touches_the_network(cli, site, make_app):
    app = make_app(offline=True)

    async def script(pilot):
        await pilot.press("r")
        await settle(pilot)
        assert notes(app) == ["Offline: the news is not refreshed."]

    drive(app, script)
    assert site.requests == []


def test_help_quit_and_footer_at_80_columns(warm, make_app):
    app = make_app()

    async def script(pilot):
        footer = screen_text(app).splitlines()[-1]
        keys = ("q Quit", "? Help", "⏎ Read", "/ Search", "e Agenda", "o Open", "m Mark", "u Unread", "r Refresh")
        assert [footer.index(key) for key in keys] == sorted(footer.index(key) for key in keys), footer
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "next / previous article" in text and "search headlines" in text
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")  # from an article, q goes back
        assert isinstance(app.screen, HeadlinesScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running

    drive(app, script)


def test_a_long_cached_listing_does_not_delay_the_first_frame(dirs, make_app):
    """Thousands of cached headlines (after `sync --all`): a screenful is in the table
    for the first frame, the rest comes in batches, and every row gets there."""
    rows = [
        HeadlineRow(
            number=n,
            url=f"https://www.lille.fr/Actualites/n{n}",
            title=f"Nouvelle {n}",
            dates=NO_DATES,
            category="Ville",
            summary="",
        )
        for n in range(1, 1201)
    ]
    app = make_app(rows=rows)
    counts: list[int] = []
    first_frame = app.after_first_frame

    def at_first_frame() -> None:
        counts.append(app.screen.query_one(HeadlineTable).row_count)
        first_frame()

    app.after_first_frame = at_first_frame  # type: ignore[method-assign]

    async def script(pilot):
        table = app.screen.query_one(HeadlineTable)
        until = time.monotonic() + 30  # the batches' pace is the machine's, not the test's
        while table.row_count < 1200 and time.monotonic() < until:
            await pilot.pause()
        counts.append(table.row_count)
        await pilot.press("end", "m")
        assert "1200. Nouvelle 1200" in screen_text(app)

    drive(app, script, settled=False)
    assert counts[0] < 200 and counts[-1] == 1200
    assert app.marks == {"https://www.lille.fr/Actualites/n1200": True}


def test_resizes_cleanly(warm, make_app):
    app = make_app()

    async def script(pilot):
        assert "pour …" in screen_text(app)  # 80 columns: long titles end in an ellipsis
        await pilot.resize_terminal(140, 40)
        await settle(pilot)
        text = screen_text(app)
        assert FIRST in text.splitlines()[2] and all(len(line) <= 140 for line in text.splitlines())
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        text = screen_text(app)
        assert "pour …" in text and len(text.splitlines()) == 24
        assert all(len(line) <= 80 for line in text.splitlines())

    drive(app, script, size=(80, 24))


# ---------------------------------------------------------------- site text is never markup
def _markup_site(srv) -> None:
    arts = synth_site.make_articles(3)
    arts[0] = arts[0].__class__(
        **{
            **arts[0].__dict__,
            "title": f"{MARKUP} Conseil [red]municipal[/red]",
            "summary": f"Résumé {MARKUP} [link=https://evil.example]ici[/link]",
            "category": f"[i]{MARKUP}[/i]",
            "lead": f"Chapô {MARKUP}",
        }
    )
    srv.route(synth_site.PAGE_PATHS[0], synth_site.listing_html(arts, 0, 1))
    for art in arts[1:]:
        srv.route(art.path, synth_site.article_html(art))
    related = (
        f'<div class="lireAussi"><h2>Lire aussi</h2><ul><li><p>{html.escape(MARKUP)} résumé</p>'
        f'<a class="voirActus" href="{arts[1].path}" title="Lié {html.escape(MARKUP)}">Voir</a></li></ul></div>'
    )
    page = synth_site.article_html(arts[0]).replace('<footer id="footer">', related + '<footer id="footer">')
    srv.route(arts[0].path, page)


def test_site_text_is_never_markup_on_any_screen(cli, site, make_app):
    _markup_site(site)
    assert cli("list").exit_code == 0
    app = make_app()

    async def script(pilot):
        text = screen_text(app)
        assert f"{MARKUP} Conseil [red]municipal[/red]" in text  # the table and the summary panel
        assert f"Résumé {MARKUP} [link=https://evil.example]ici[/link]" in text
        assert "[i][b]x[/b][/i]" in text or "[i][b]x[/b…" in text  # the category column
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("end")
        text = screen_text(app)
        assert f"1. {MARKUP} Conseil [red]municipal[/red]" in text and f"Chapô {MARKUP}" in text
        assert f"{MARKUP} résumé" in text  # a « Lire aussi » summary
        assert f"• Lié {MARKUP}  → 2" in text  # its title, and its number: it is headline 2
        await pilot.press("escape", "slash", *"conseil")
        await settle(pilot)
        assert f"{MARKUP} Conseil [red]municipal[/red]" in screen_text(app)  # search results
        await pilot.press("escape")

    drive(app, script, size=(120, 30))

    # A notification carries site text too (an address in an error): not markup either.
    failing = make_app()
    failing.source.cached_article = lambda url: None  # type: ignore[method-assign]
    failing.source.article = _failing_article(MARKUP)  # type: ignore[method-assign]
    shown: list[str] = []

    async def read(pilot):
        await pilot.press("enter")
        await settle(pilot)
        shown.append(screen_text(failing))

    drive(failing, read)
    assert any(MARKUP in n for n in notes(failing)), notes(failing)
    assert MARKUP in shown[0]


def _failing_article(markup: str):
    from lillenews.base.errors import FetchError

    def article(url: str, *, offline: bool = False):
        raise FetchError(f"https://www.lille.fr/{markup}", "the server answered 500")

    return article


# ---------------------------------------------------------------- the agenda (`e`)
_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
make_events = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_events)  # type: ignore[union-attr]


@pytest.fixture
def agenda(warm, site, monkeypatch):
    """The agenda of tests/fixtures/make_events.py (14 June 2024), one title made of markup."""
    from lillenews.app.events import EventService

    monkeypatch.setattr(EventService, "today", property(lambda self: make_events.TODAY))
    for path, page in make_events.all_pages().items():
        page = page.replace("Fête de la musique", f"{MARKUP} Fête de la musique")
        site.route(path, page, last_modified=make_events.LAST_MODIFIED)
    return site


def test_the_agenda_and_one_event(agenda, make_app):
    app = make_app()

    async def script(pilot):
        await pilot.press("e")
        await settle(pilot)
        text = screen_text(app)
        upcoming = [e for e in make_events.EVENTS if e.end is None or e.end >= make_events.TODAY.isoformat()]
        assert f"Agenda  {len(upcoming)} upcoming events" in text
        assert re.search(r"^\s*1\s+14/06/2024\s+Visite\s+Visite guidée du Vieux-Lille", text, re.M)
        assert f"{MARKUP} Fête de la musique" in text  # site text, never markup
        await pilot.press("j")
        await settle(pilot)
        assert "2. Visite guidée du Vieux-Lille" in screen_text(app)  # the panel: the selected event
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert text.lstrip().startswith("2. Visite guidée du Vieux-Lille")
        assert "Le 15 juin 2024" in text and "Palais Rihour" in text  # as `lillenews event 2` shows it
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HeadlinesScreen)
        await pilot.press("e")
        await settle(pilot)
        for _ in range(7):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert f"8. {MARKUP} Fête de la musique" in screen_text(app)

    drive(app, script, size=(100, 30))


def test_an_unreachable_agenda_is_one_error_line(warm, make_app):
    app = make_app()  # the test site serves no agenda: 404

    async def script(pilot):
        await pilot.press("e")
        await settle(pilot)
        assert "Error: could not fetch" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HeadlinesScreen)

    drive(app, script)
    assert len(notes(app)) == 1 and notes(app)[0].startswith("Error: could not fetch")


# ---------------------------------------------------------------- pieces
def test_full_text_words_are_quoted_and_the_last_is_a_prefix():
    assert _fts_words(["vélo", 'a"b', "cam"]) == ['"vélo"', '"a""b"', '"cam"*']
    assert _fts_words([]) == []


# ---------------------------------------------------------------- the real command in a terminal
def browse_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "lillenews", *args]


GREYS = {"default", "black", "white", "brightblack", "brightwhite"}


def _chromatic(screen) -> bool:
    """Any character drawn in a colour that is not a grey (named or 24-bit)."""
    for row in screen.buffer.values():
        for char in row.values():
            for colour in (char.fg, char.bg):
                if re.fullmatch(r"[0-9a-f]{6}", colour):
                    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
                    if max(r, g, b) - min(r, g, b) > 16:
                        return True
                elif colour not in GREYS:
                    return True
    return False


@pytest.mark.parametrize("no_color", [False, True])
def test_the_real_command_in_a_terminal(warm, site, no_color):
    env = dict(os.environ, LILLENEWS_BASE_URL=site.base_url)
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    if no_color:
        env["NO_COLOR"] = "1"
    with PtyTerm(browse_argv("browse"), env=env) as term:
        term.wait_for("Lieux culturels")
        term.settle()
        assert "30 headlines" in term.text() and "q Quit" in term.text()
        assert _chromatic(term.screen) is not no_color
        if no_color:
            term.send("q")
            assert term.wait_exit() == 0
            return
        term.send("down", "down", "down", "enter")
        term.wait_for(lambda t: t.lstrip().startswith("4. Sécurité"))
        term.send("escape")
        term.wait_for("30 headlines")
        term.resize(30, 120)  # the terminal grows: long titles show whole
        term.wait_for(FIRST)
        term.resize(24, 80)
        term.wait_for(lambda t: "pour …" in t and FIRST not in t)
        term.send("q")
        assert term.wait_exit() == 0
    assert site.requests == []


def test_browse_needs_a_terminal(warm):
    result = warm("browse")
    assert result.exit_code == 2
    assert result.stderr == ("Error: browse needs a terminal; in scripts use 'lillenews list' and 'lillenews read N'\n")


def test_no_arguments_at_a_terminal_open_the_reader(warm, site):
    """`lillenews` alone at a terminal: the reader (piped: the help, test_cli_e2e)."""
    env = dict(os.environ, LILLENEWS_BASE_URL=site.base_url)
    with PtyTerm(browse_argv(), env=env) as term:
        term.wait_for("Lieux culturels")
        assert "30 headlines" in term.text()
        term.send("q")
        assert term.wait_exit() == 0


def test_browse_is_in_the_help(warm):
    result = warm("--help")
    assert re.search(r"^\s+browse\s+Read the news interactively", result.stdout, re.M)
    result = warm("browse", "--help")
    assert "--unread" in result.stdout and "--offline" in result.stdout


def test_the_import_guard_would_see_textual(warm, site, tmp_path):
    """tests/e2e/test_startup_imports.py asserts the other commands never import Textual; here
    `browse` does, seen the same way (the guard can fail)."""
    listing = tmp_path / "modules.txt"
    code = (
        "import atexit, sys; "
        f"atexit.register(lambda: open({str(listing)!r}, 'w').write('\\n'.join(sys.modules))); "
        "from lillenews.__main__ import main; main()"
    )
    env = dict(os.environ, LILLENEWS_BASE_URL=site.base_url)
    with PtyTerm([sys.executable, "-c", code, "browse"], env=env) as term:
        term.wait_for("Lieux culturels")
        term.send("q")
        assert term.wait_exit() == 0
    modules = set(listing.read_text().split("\n"))
    assert "textual" in modules and "lillenews.tui.app" in modules


def test_column_headers_follow_the_interface_language(warm, make_app):
    """The headlines table speaks French when the interface does, as `list` does."""
    from lillenews.base.i18n import set_language

    set_language("fr")
    try:
        app = make_app()

        async def script(pilot) -> None:
            text = screen_text(app)
            assert "Catégorie" in text and "Titre" in text
            assert "Category" not in text and "Title" not in text

        drive(app, script)
    finally:
        set_language("en")


# ---------------------------------------------------------------- the reader in French, keys and headers
def french(make_app, script, size=(80, 24), **kwargs) -> BrowseApp:
    from lillenews.base.i18n import set_language

    set_language("fr")
    try:
        app = make_app(**kwargs)
        drive(app, script, size=size)
    finally:
        set_language(None)
    return app


def test_the_footer_shows_the_essential_keys_first_and_fits_80_columns_in_french(warm, make_app):
    async def script(pilot):
        for screen in ("headlines", "article", "search"):
            if screen == "article":
                await pilot.press("down", "down", "down", "enter")
                await settle(pilot)
            elif screen == "search":
                await pilot.press("escape", "slash")
                await settle(pilot)
            footer = screen_text(pilot.app).splitlines()[-1]
            assert len(footer.rstrip()) <= 80, footer
            # typing in the search field, the letters are text: back and Tab are its keys
            first = {"headlines": "q Quitter  ? Aide  ⏎ Lire", "article": "esc Retour  ? Aide", "search": "esc Retour"}
            assert footer.strip().startswith(first[screen]), footer

    french(make_app, script)


def test_column_headers_are_whole_on_every_table_of_the_reader(warm, make_app):
    """Short category names (« Culture ») never cut the French header (« Catégori »)."""

    async def script(pilot):
        assert re.search(r"#\s+Date\s+Catégorie\s+Titre", screen_text(pilot.app))
        await pilot.press("slash", *"camera")
        await settle(pilot)
        assert re.search(r"#\s+Date\s+Catégorie\s+Titre", screen_text(pilot.app)), screen_text(pilot.app)

    french(make_app, script)


def test_the_help_screens_long_descriptions_go_on_under_their_column(warm, make_app):
    async def script(pilot):
        await pilot.press("question_mark")
        lines = screen_text(pilot.app).splitlines()
        at = next(n for n, line in enumerate(lines) if "↑ ↓  j k" in line)
        column = lines[at].index("se déplacer")
        follow = lines[at + 1]  # at 60 columns the description wraps…
        assert follow[column - 1] == " " and follow[column].isalpha(), lines  # …under itself, not under the keys

    french(make_app, script, size=(60, 30))


def test_after_tab_the_footer_says_where_the_next_tab_goes(warm, site, make_app):
    async def script(pilot):
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert "tab Lire aussi" in screen_text(pilot.app).splitlines()[-1]
        await pilot.press("tab")
        await pilot.pause()
        footer = screen_text(pilot.app).splitlines()[-1]
        assert "tab Texte" in footer and "Lire aussi" not in footer, footer
        await pilot.press("tab")
        await pilot.pause()
        assert "tab Lire aussi" in screen_text(pilot.app).splitlines()[-1]
        await pilot.press("escape", "slash")
        await pilot.pause()
        assert "tab Texte intégral" in screen_text(pilot.app).splitlines()[-1]
        await pilot.press("tab")
        await settle(pilot)
        footer = screen_text(pilot.app).splitlines()[-1]
        assert "tab Titres" in footer and "intégral" not in footer, footer

    french(make_app, script)


def test_the_first_enter_after_typing_opens_the_first_result(warm, make_app):
    app = make_app()

    async def script(pilot):
        await pilot.press("slash", *"camera", "enter")  # at once: Enter may come before the results
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen), screen_text(app)
        assert " ".join(screen_text(app).split()).startswith("4. " + SECURITE)

    drive(app, script, settled=False)


def test_end_at_the_last_headline_loads_the_next_page_of_the_listing(warm, site, make_app):
    """As `lillenews read 35` would: the listing's next page, through the cache."""
    app = make_app()

    async def script(pilot):
        assert len(app.rows) == 30
        await pilot.press("end")
        await settle(pilot)
        assert len(app.rows) == 40 and app.headlines.table.current.number == 30  # the cursor stays
        assert "10 older headlines" in notes(app)
        await pilot.press("G")
        await settle(pilot)
        assert len(app.rows) == 50

    drive(app, script)
    assert site.hits("/Actualites/(offset)/30") == 1 and site.hits("/Actualites/(offset)/40") == 1
