"""What `read`, `list` and `search` show: the listing's data reaches every
view, links work in every terminal, a readable measure, the pager's fallbacks,
reading past the listed range, no empty columns, why a search row matched, HTTP
advice, help that fits 80 columns and the small words. (The pty tests, where a
real terminal matters, are in test_reading_pty.py.)"""

from __future__ import annotations

import io
import json
import os
import re
import stat

import pytest
from conftest import run_in_process, run_subprocess
from reading_site import make_items, serve
from server import FixtureServer

from lillenews.base.errors import ExitCode, FetchError
from lillenews.base.models import Article, DateRange, Headline
from lillenews.cli.app import main
from lillenews.cli.pager import pager_environ
from lillenews.cli.terminal import Terminal, progress_columns, supports_hyperlinks
from lillenews.views.model import article_view, with_listing

SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = "\x1b]8;"


class RecordingPager:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, content: str) -> None:
        self.shown.append(content)


def terminal(*, tty: bool = True, width: int = 120, height: int = 200, pager=None, **extra: str) -> Terminal:
    return Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=dict(os.environ, **extra),
        stdout_isatty=tty,
        stderr_isatty=False,
        width=width,
        height=height,
        pager=pager if pager is not None else RecordingPager(),
    )


def run(*args: str, **kw) -> tuple[int, str, str]:
    term = terminal(**kw)
    code = main(list(args), terminal=term)
    return code, term.stdout.getvalue(), term.stderr.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def news_site(dirs, monkeypatch):
    """35 headlines, 10 a page with a pagination block; article 3's page has no date,
    category or lead (the listing's stand in); 4's listing summary is cut short;
    article 1 links to 12 (listed) and to an unlisted page in « Lire aussi »."""
    items = make_items(35)
    items[2].page_has_meta = False
    items[3].page_has_meta = False
    items[3].summary = "Un résumé que le site a coupé au milieu d’une phrase…"
    with FixtureServer() as srv:
        serve(srv, items, per_page=10, related={1: [12]})
        srv.route(
            "/Actualites/Hors-liste", "<html><body><h1>Hors liste</h1><div class='rte'><p>x</p></div></body></html>"
        )
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        srv.items = items  # type: ignore[attr-defined]
        yield srv


# ---------------------------------------------------------------- the listing's data in every view
def test_the_listings_category_date_and_summary_reach_every_view(news_site):
    assert run_in_process("list").exit_code == 0
    data = json.loads(run_in_process("read", "3", "--json").stdout)
    assert (data["category"], data["date"]) == ("Sport", news_site.items[2].date)
    assert data["lead"] == "Le résumé complet de la nouvelle 3." and data["lead_source"] == "listing"
    text = run_in_process("read", "3").stdout
    assert f"{data['date'][8:].lstrip('0')} février 2021 · Sport" in text  # the meta line
    assert "┃ Le résumé complet de la nouvelle 3." in text
    md = run_in_process("read", "3", "--markdown").stdout
    assert "· Sport*" in md and "**Le résumé complet de la nouvelle 3.**" in md
    feed = run_in_process("feed").stdout
    entry = feed[feed.index("Nouvelle-3<") :]
    assert '<category term="Sport"/>' in entry[: entry.index("</entry>")]
    assert "Le résumé complet de la nouvelle 3." in entry[: entry.index("</entry>")]
    # search --full: the cached article has no category of its own; the listing's shows.
    full = json.loads(run_in_process("search", "--full", "texte", "nouvelle", "3", "--json").stdout)
    assert [(r["number"], r["category"]) for r in full if r["number"] == 3] == [(3, "Sport")]
    table = run_in_process("search", "--full", "texte", "nouvelle", "3").stdout
    assert re.search(r"^\s*3\s.*\bSport\b", table, re.M), table


def test_the_page_wins_over_the_listing(news_site):
    assert run_in_process("list").exit_code == 0
    data = json.loads(run_in_process("read", "5", "--json").stdout)
    assert data["lead"] == "Le chapô de la nouvelle 5." and data["lead_source"] == "page"
    assert data["listing_summary"] is None


def test_a_truncated_listing_summary_is_labelled_never_a_lead(news_site):
    assert run_in_process("list").exit_code == 0
    data = json.loads(run_in_process("read", "4", "--json").stdout)
    assert data["lead"] is None and data["lead_source"] is None
    assert data["listing_summary"] == news_site.items[3].summary
    text = run_in_process("read", "4").stdout
    assert "┃" not in text
    assert "Summary from the listing: Un résumé que le site a coupé" in text
    code, out, _ = run("read", "4", "--no-pager", NO_COLOR="1")
    assert code == 0 and "┃" not in out and "Summary from the listing: " in out


@pytest.mark.parametrize("ending", ["...", "…", "… "])
def test_with_listing_tells_a_truncated_summary(ending):
    article = Article("https://www.lille.fr/Actualites/A", "A")
    listed = Headline(
        article.url, "A", DateRange.from_iso("2021-02-03", None), category="Sport", summary="Début" + ending
    )
    merged, truncated = with_listing(article, listed)
    assert merged.lead is None and truncated == ("Début" + ending).strip()
    assert (merged.dates.iso_start, merged.category) == ("2021-02-03", "Sport")
    whole, none = with_listing(article, listed._replace(summary="Tout."))
    assert (whole.lead, whole.lead_source, none) == ("Tout.", "listing", "")
    assert article_view(article, listed=listed).meta == "3 février 2021 · Sport"


# ---------------------------------------------------------------- links
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM_PROGRAM": "iTerm.app"}, True),
        ({"TERM_PROGRAM": "WezTerm"}, True),
        ({"TERM_PROGRAM": "vscode"}, True),
        ({"TERM_PROGRAM": "ghostty"}, True),
        ({"VTE_VERSION": "6003"}, True),
        ({"VTE_VERSION": "4601"}, False),
        ({"WT_SESSION": "x"}, True),
        ({"KITTY_WINDOW_ID": "1"}, True),
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "foot"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({}, False),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux", "TERM_PROGRAM": "tmux"}, False),
        ({"TERM": "screen", "VTE_VERSION": "6003"}, False),
        ({"TMUX": "/tmp/tmux", "KITTY_WINDOW_ID": "1"}, False),
        ({"STY": "1.pts", "WT_SESSION": "x"}, False),
    ],
)
def test_hyperlinks_only_where_the_terminal_is_known_to_show_them(environ, expected):
    assert supports_hyperlinks(environ) is expected


def test_the_hyperlinks_setting():
    tmux = {"TMUX": "/tmp/t", "TERM": "screen"}
    assert terminal(**tmux).hyperlinks("auto") is False
    assert terminal(**tmux).hyperlinks("always") is True
    assert terminal(TERM_PROGRAM="WezTerm").hyperlinks("never") is False
    assert terminal(TERM_PROGRAM="WezTerm").hyperlinks("auto") is True
    assert terminal(tty=False, TERM_PROGRAM="WezTerm").hyperlinks("auto") is False


def _no_link_env(monkeypatch):
    for name in ("TERM_PROGRAM", "VTE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID", "KONSOLE_VERSION", "DOMTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_read_prints_urls_where_links_would_vanish_and_osc8_where_they_work(news_site, monkeypatch):
    _no_link_env(monkeypatch)
    assert run_in_process("list").exit_code == 0
    url12 = news_site.url("/Actualites/Nouvelle-12")
    code, out, _ = run("read", "1", "--no-pager", TMUX="/tmp/tmux-0/default")
    assert code == 0 and OSC8 not in out
    assert f"<{url12}>" in SGR.sub("", out)
    code, out, _ = run("read", "1", "--no-pager", TERM_PROGRAM="WezTerm")
    assert OSC8 in out and f"<{url12}>" not in SGR.sub("", out)
    code, out, _ = run("read", "1", "--no-pager", TERM_PROGRAM="WezTerm", LILLENEWS_HYPERLINKS="never")
    assert OSC8 not in out and f"<{url12}>" in SGR.sub("", out)
    code, out, _ = run("read", "1", "--no-pager", "--hyperlinks", "always", TMUX="/tmp/t")
    assert OSC8 in out
    code, out, err = run("read", "1", "--hyperlinks", "sometimes")
    assert code == ExitCode.USAGE and "auto, always, never" in err


def test_related_items_in_the_listing_show_their_number(news_site):
    assert run_in_process("list").exit_code == 0
    text = run_in_process("read", "1").stdout
    assert "Nouvelle numéro 12 de la Ville" in text and "→ lillenews read 12" in text
    code, out, _ = run("read", "1", "--no-pager", NO_COLOR="1")
    assert "→ lillenews read 12" in out


# ---------------------------------------------------------------- a readable measure
def _long_item_site(srv) -> None:
    items = make_items(3)
    items[0].paragraphs = ["Une phrase de la Ville de Lille qui revient encore. " * 12] * 3
    serve(srv, items)


@pytest.mark.parametrize("tty", [True, False])
def test_body_text_wraps_at_the_measure_in_a_wide_terminal(dirs, monkeypatch, tty):
    with FixtureServer() as srv:
        _long_item_site(srv)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        code, out, _ = run("read", "1", "--no-pager", tty=tty, width=200, NO_COLOR="1")
        lines = SGR.sub("", out).splitlines()
        assert code == 0 and max(len(line) for line in lines) <= 88
        assert sum(1 for line in lines if len(line) > 80) > 3  # it does use the measure
        code, out, _ = run("read", "1", "--no-pager", tty=tty, width=200, NO_COLOR="1", LILLENEWS_MEASURE="60")
        assert max(len(line) for line in SGR.sub("", out).splitlines()) <= 60
        code, out, _ = run("read", "1", "--no-pager", tty=tty, width=50, NO_COLOR="1")
        assert max(len(line) for line in SGR.sub("", out).splitlines()) <= 50  # a narrow terminal still wins


def test_lead_and_lists_keep_their_structure_at_the_measure(cli):
    assert cli("list").exit_code == 0
    code, out, _ = run("read", "4", "--no-pager", width=200, NO_COLOR="1")
    lines = SGR.sub("", out).splitlines()
    # A URL longer than the measure is the only longer line: whole, on a line of its own.
    assert code == 0 and max(len(line) for line in lines if not line.startswith("http")) <= 88
    lead = [line for line in lines if line.startswith("┃ ")]
    assert lead and all(len(line) <= 88 for line in lead)


# ---------------------------------------------------------------- the pager
def test_a_pager_that_does_not_exist_prints_the_article_with_one_warning(cli):
    assert cli("list").exit_code == 0
    term = Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=dict(os.environ, PAGER="no-such-pager-lillenews -x"),
        stdout_isatty=True,
        stderr_isatty=False,
        width=80,
        height=5,
    )
    assert main(["read", "4"], terminal=term) == 0
    assert "Sécurité" in SGR.sub("", term.stdout.getvalue())  # type: ignore[attr-defined]
    [warning] = term.stderr.getvalue().splitlines()  # type: ignore[attr-defined]
    assert warning.startswith("Warning: ") and "no-such-pager-lillenews" in warning


@pytest.mark.parametrize(
    ("less", "expected"), [(None, "FRX"), ("-F", "-FR"), ("F", "FR"), ("-FRX", "-FRX"), ("-r", "-r"), ("", "-R")]
)
def test_less_always_shows_colours_as_colours(less, expected):
    environ = {} if less is None else {"LESS": less}
    assert pager_environ(environ)["LESS"] == expected


@pytest.mark.parametrize(("given", "expected"), [(None, "utf-8"), ("latin1", "latin1"), ("", "")])
def test_less_is_told_the_text_is_utf8_unless_the_user_said_otherwise(given, expected):
    """Under LC_ALL=C `less` would show « Fête » as `F<C3><AA>te`: the article comes as UTF-8."""
    environ = {"LC_ALL": "C"} | ({} if given is None else {"LESSCHARSET": given})
    assert pager_environ(environ)["LESSCHARSET"] == expected


def test_the_pager_gets_less_with_r_and_the_coloured_article(cli, tmp_path):
    assert cli("list").exit_code == 0
    seen = tmp_path / "seen"
    script = f"sh -c 'printf %s \"$LESS\" > {seen}.less; cat > {seen}'"
    term = Terminal(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        environ=dict(os.environ, PAGER=script, LESS="-F", TERM="xterm-256color"),
        stdout_isatty=True,
        stderr_isatty=False,
        width=80,
        height=5,
    )
    term.environ.pop("NO_COLOR", None)  # type: ignore[attr-defined]
    assert main(["read", "4"], terminal=term) == 0
    assert (tmp_path / "seen.less").read_text() == "-FR"
    assert "\x1b[" in seen.read_text() and "Sécurité" in SGR.sub("", seen.read_text())
    assert term.stdout.getvalue() == ""  # type: ignore[attr-defined]


# ---------------------------------------------------------------- numbers, hints, columns
def test_read_beyond_the_listed_range_fetches_the_pages_needed(news_site):
    assert run_in_process("list").exit_code == 0  # 20 listed: pages 1 and 2
    news_site.clear_requests()
    data = json.loads(run_in_process("read", "25", "--json").stdout)
    assert data["number"] == 25 and data["title"] == "Nouvelle numéro 25 de la Ville"
    paths = [r.route_path for r in news_site.requests]
    assert "/Actualites/(offset)/20" in paths and "/Actualites/(offset)/30" not in paths
    assert run_in_process("list", "-n", "30", "--offline").exit_code == 0  # page 3 is cached now


def test_the_more_hint_only_when_more_exist(news_site):
    code, _, err = run("list")
    assert code == 0 and "More with --limit N or --all" in err
    code, _, err = run("list", "--limit", "35")
    assert code == 0 and "More with" not in err
    code, _, err = run("list", "--limit", "30")
    assert "More with" in err


def test_a_site_without_categories_gets_no_category_column(dirs, monkeypatch):
    with FixtureServer() as srv:
        items = make_items(5, categories=False)
        serve(srv, items)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        piped = run_in_process("list").stdout
        assert "Category" not in piped and piped.splitlines()[0].split() == ["#", "Date", "Title"]
        code, out, _ = run("list", NO_COLOR="1")
        assert code == 0 and "Category" not in out and "Title" in out
        assert SGR.sub("", out).splitlines()[0].split() == ["#", "Date", "Title"]


def test_a_missing_date_shows_a_dash(cli):
    rows = run_in_process("list").stdout.splitlines()
    row6 = next(line for line in rows if re.match(r"^\s*6\s", line))
    assert re.match(r"^\s*6\s+●?\s*—\s", row6), row6  # headline 6 of the fixture has no date
    code, out, _ = run("list", NO_COLOR="1")
    assert re.search(r"^\s*6\s+●?\s*—\s", out, re.M)


def test_search_at_80_columns_shows_the_summary_that_matched(cli):
    assert run_in_process("list").exit_code == 0
    # "protocole" is only in the summary of headline 1 ("... un protocole sanitaire strict.")
    out = run_in_process("search", "protocole").stdout
    assert "protocole sanitaire strict" in " ".join(out.split())
    code, out, _ = run("search", "protocole", width=80)
    assert "protocole" in SGR.sub("", out) and re.search(r"\x1b\[(?:[0-9]+;)*7(?:;[0-9]+)*m", out)  # reverse
    code, out, _ = run("search", "Lieux", width=80, NO_COLOR="1")
    assert "protocole" not in out  # matched in the title: the summary stays hidden at 80 columns


def test_long_lists_take_the_compact_layout_when_they_do_not_fit(cli):
    code, out, _ = run("list", width=120, height=24, NO_COLOR="1")
    lines = SGR.sub("", out).splitlines()
    assert code == 0 and len(lines) == 21 and lines[0].split()[:2] == ["#", "Date"]  # header + 20 rows
    code, out, _ = run("list", width=120, height=200, NO_COLOR="1")
    assert len(out.splitlines()) > 21  # room enough: summaries under the titles


# ---------------------------------------------------------------- waiting, HTTP advice
def test_the_spinner_shows_only_after_the_delay_and_only_on_a_terminal():
    import time

    def make(isatty: bool) -> Terminal:
        return Terminal(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, stderr_isatty=isatty)

    term = make(True)
    with term.waiting("Lecture", delay=0.05):
        until = time.monotonic() + 5  # as long as the first frame takes, no longer
        while "Lecture" not in term.stderr.getvalue() and time.monotonic() < until:  # type: ignore[attr-defined]
            time.sleep(0.01)
    shown = term.stderr.getvalue()  # type: ignore[attr-defined]
    assert "Lecture" in shown and shown.endswith("\r\x1b[K")
    quick = make(True)
    with quick.waiting("Lecture", delay=5):
        pass
    assert quick.stderr.getvalue() == ""  # type: ignore[attr-defined]
    piped = make(False)
    with piped.waiting("Lecture", delay=0.0):
        time.sleep(0.05)  # 0 s of delay: a spinner would have drawn by now
    assert piped.stderr.getvalue() == ""  # type: ignore[attr-defined]


def test_sync_progress_knows_the_total_before_the_first_article(dirs, monkeypatch):
    """The total is reported as soon as the listing page is read: articles that answer fast
    (50 ms) must not race ahead of it (the report is queued with the page, not polled)."""
    from lillenews.app.facade import LilleNews
    from lillenews.base.config import load_settings

    with FixtureServer() as srv:
        items = make_items(4)
        serve(srv, items)
        for item in items:
            srv.route(item.path, "<html><body><h1>T</h1><div class='rte'><p>x</p></div></body></html>", delay=0.05)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        calls: list[tuple[int, int]] = []
        news = LilleNews.for_settings(load_settings({}))
        try:
            news.sync(pages=1, workers=4, progress=lambda done, total: calls.append((done, total)))
        finally:
            news.close()
    assert calls[0][0] == 0 and calls[0][1] >= 4  # the total, while no article has arrived yet
    assert calls[-1] == (4, 4)


def test_the_sync_bar_has_a_remaining_time():
    from rich.progress import MofNCompleteColumn, TimeRemainingColumn

    columns = progress_columns("Sync")
    assert any(isinstance(c, TimeRemainingColumn) for c in columns)
    assert any(isinstance(c, MofNCompleteColumn) for c in columns)


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        (404, "the article may have been removed; check the address"),
        (410, "the article may have been removed; check the address"),
        (500, "the site is having trouble; try again later"),
        (503, "the site is having trouble; try again later"),
        (429, "the site is having trouble; try again later"),
        (403, ""),
        (None, ""),
    ],
)
def test_fetch_errors_say_what_to_do(status, advice):
    exc = FetchError("https://www.lille.fr/x", "HTTP error", status=status)
    assert exc.advice == advice
    assert exc.explained() == (f"{exc}; {advice}" if advice else str(exc))


def test_http_failures_say_what_to_do_end_to_end(news_site):
    assert run_in_process("list").exit_code == 0
    news_site.route("/Actualites/Nouvelle-2", "gone", status=404)
    r = run_in_process("read", "2")
    assert r.exit_code == 1 and r.stderr.rstrip().endswith("the article may have been removed; check the address")
    assert run_in_process("read", "5").exit_code == 0
    news_site.route("/Actualites/Nouvelle-5", "busy", status=503, headers={"Retry-After": "0"})
    r = run_in_process("read", "5", "--refresh")
    assert r.exit_code == 0 and "Nouvelle numéro 5" in r.stdout  # the cached copy, as before
    assert "the site is having trouble; try again later; showing the copy cached" in r.stderr


# ---------------------------------------------------------------- help and small words
HELP_COMMANDS = [
    [],
    ["list"],
    ["read"],
    ["search"],
    ["sync"],
    ["mark"],
    ["open"],
    ["feed"],
    ["cache"],
    ["cache", "info"],
]


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "main")
def test_help_fits_80_columns_with_metavars_that_say_what_they_are(dirs, command):
    r = run_subprocess(*command, "--help", env={"COLUMNS": "80", "TERM": "dumb"})
    assert r.exit_code == 0
    for line in r.stdout.splitlines():
        assert len(line) <= 80, line
        assert line.startswith("Usage:") or not line.rstrip().endswith("..."), line  # WORDS... in usage is fine
    assert "<str>" not in r.stdout and "<int" not in r.stdout and "<float" not in r.stdout


def test_help_metavars(dirs):
    main_help = run_subprocess("--help", env={"COLUMNS": "80"}).stdout
    assert "--timeout SECONDS" in main_help and "--cache-dir DIR" in main_help and "--base-url URL" in main_help
    assert "-n, --limit N" in run_subprocess("list", "--help", env={"COLUMNS": "80"}).stdout
    assert "--output FILE" in run_subprocess("feed", "--help", env={"COLUMNS": "80"}).stdout


def test_cache_clear_pluralises(news_site):
    assert run_in_process("list", "-n", "5").exit_code == 0
    assert run_in_process("read", "1").exit_code == 0
    r = run_in_process("cache", "clear")
    assert "Cleared 1 article, 1 listing page, 0 events and 0 agenda pages from " in r.stderr
    r = run_in_process("cache", "clear")
    assert "Cleared 0 articles, 0 listing pages, 0 events and 0 agenda pages from " in r.stderr


def test_cache_info_marks_a_config_file_that_does_not_exist(dirs, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # one line each, however long the temporary path
    r = run_in_process("cache", "info")
    assert re.search(r"Config file\s+.*config\.toml \(does not exist\)", r.stdout), r.stdout
    assert json.loads(run_in_process("cache", "info", "--json").stdout)["config_file_exists"] is False
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("timeout = 5\n")
    r = run_in_process("cache", "info")
    assert "does not exist" not in r.stdout
    assert json.loads(run_in_process("cache", "info", "--json").stdout)["config_file_exists"] is True


def test_an_unknown_config_key_suggests_the_nearest(dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("timout = 5\n")
    r = run_in_process("list")
    assert r.exit_code == 2 and "unknown setting 'timout'" in r.stderr and "did you mean timeout?" in r.stderr
    (dirs["config"] / "config.toml").write_text("zzz = 5\n")
    assert "did you mean" not in run_in_process("list").stderr


def test_feed_output_file_gets_the_users_umask(news_site, tmp_path):
    assert run_in_process("list", "-n", "5").exit_code == 0
    old = os.umask(0o022)
    try:
        target = tmp_path / "news.atom"
        assert run_in_process("feed", "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        os.umask(0o027)
        other = tmp_path / "other.atom"
        assert run_in_process("feed", "-o", str(other)).exit_code == 0
        assert stat.S_IMODE(other.stat().st_mode) == 0o640
        target.chmod(0o600)  # a file that exists keeps its mode
        assert run_in_process("feed", "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        os.umask(old)
