"""`lillenews sync` against a local synthetic lille.fr of 36 articles
on two listing pages (tests/synth_site.py): counts, conditional requests (304),
a failing article retried at the next sync, bounded concurrency, --no-articles,
--pages, --json, no progress output off a TTY, and Ctrl-C."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import run_in_process, run_subprocess
from server import FixtureServer
from synth_site import (
    FAILING_N,
    N_ARTICLES,
    PAGE_PATHS,
    PER_PAGE,
    VELO_ONCE_N,
    Instrumented,
    article_html,
    build_site,
)

cli = run_in_process
WALL_BOUND = 5.0  # seconds: the smallest wall-clock bound a test asserts (a loaded machine must not fail it)


@pytest.fixture
def synth(dirs, monkeypatch):
    """The synthetic site (article FAILING_N answers 500), with the CLI pointed at it."""
    with FixtureServer() as srv:
        site = build_site(srv)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield site


@pytest.fixture
def synth_ok(dirs, monkeypatch):
    """The synthetic site where every article answers 200."""
    with FixtureServer() as srv:
        site = build_site(srv, failing=False)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield site


def server_etag(body: str) -> str:
    """The ETag tests/server.py gives a route (hash of its body)."""
    return '"' + hashlib.sha1(body.encode("utf-8")).hexdigest()[:20] + '"'


def article_requests(site, n: int):
    return [r for r in site.srv.requests if r.route_path == site.path(n)]


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Warning:")]


# ---------------------------------------------------------------------- counts, 304, retry
def test_sync_counts_conditional_requests_updates_and_retry(synth):
    site = synth
    failing_url = site.url(FAILING_N)

    # 1st sync: every article is new but one, which fails (500).
    r = cli("sync")
    assert r.stdout == f"{N_ARTICLES - 1} new, 0 updated, 0 unchanged, 1 failed\n"
    warns = warnings(r.stderr)
    assert any(failing_url in w and "500" in w for w in warns), r.stderr
    assert not any(site.url(n) in r.stderr for n in range(1, N_ARTICLES + 1) if n != FAILING_N)
    assert "Error:" not in r.stderr and "Traceback" not in r.stderr
    for path in PAGE_PATHS:
        assert site.srv.hits(path) == 1
    for n in range(1, N_ARTICLES + 1):
        assert site.srv.hits(site.path(n)) == 1, f"article {n} fetched {site.srv.hits(site.path(n))} times"

    # 2nd sync (polite, the default): the cached articles are not asked for; the failed one is.
    site.srv.clear_requests()
    r = cli("sync")
    assert r.stdout == f"0 new, 0 updated, 0 unchanged, 1 failed; {N_ARTICLES - 1} already cached\n"
    assert [r.route_path for r in site.srv.requests if r.route_path.startswith("/Actualites/Nouvelle")] == [
        site.path(FAILING_N)
    ]
    assert any(failing_url in w for w in warnings(r.stderr)), "the failing article is reported again"

    # With --refresh, nothing changed on the server: conditional requests, answered 304.
    site.srv.clear_requests()
    r = cli("sync", "--refresh")
    assert r.stdout == f"0 new, 0 updated, {N_ARTICLES - 1} unchanged, 1 failed\n"
    unchanged_n = 1
    reqs = article_requests(site, unchanged_n)
    assert len(reqs) == 1
    assert reqs[0].headers.get("if-none-match") == server_etag(article_html(site.article(unchanged_n)))
    # The article that never made it into the cache is asked for unconditionally.
    failing_reqs = article_requests(site, FAILING_N)
    assert len(failing_reqs) == 1 and "if-none-match" not in failing_reqs[0].headers

    # sync --refresh: one article changed on the server, and the failing one recovered.
    site.set_article(VELO_ONCE_N, extra="Nouveau paragraphe ajouté après coup.")
    site.set_article(FAILING_N)
    site.srv.clear_requests()
    r = cli("sync", "--refresh")
    assert r.stdout == f"1 new, 1 updated, {N_ARTICLES - 2} unchanged, 0 failed\n"
    assert warnings(r.stderr) == [], r.stderr
    assert len(article_requests(site, FAILING_N)) == 1, "the failed article is retried"

    # What that sync brought is in the cache.
    r = cli("read", str(VELO_ONCE_N), "--offline", "--json")
    assert r.exit_code == 0, r.stderr
    assert "Nouveau paragraphe ajouté après coup." in json.loads(r.stdout)["text"]
    r = cli("read", str(FAILING_N), "--offline", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["title"] == site.article(FAILING_N).title

    # Then: all unchanged when re-checked, all cached when not.
    assert cli("sync", "--refresh").stdout == f"0 new, 0 updated, {N_ARTICLES} unchanged, 0 failed\n"
    assert cli("sync").stdout == f"0 new, 0 updated, 0 unchanged, 0 failed; {N_ARTICLES} already cached\n"


def test_sync_exit_status_is_1_when_an_article_failed_and_0_after_the_retry(synth):
    r = cli("sync")
    assert r.stdout.endswith(", 1 failed\n")
    assert r.exit_code == 1, f"sync with a failed article exited {r.exit_code}, expected 1"
    synth.set_article(FAILING_N)
    r = cli("sync")
    assert r.stdout.startswith("1 new, 0 updated, 0 unchanged, 0 failed")
    assert r.exit_code == 0


def test_sync_failures_leave_the_rest_cached(synth):
    cli("sync")
    r = cli("cache", "info", "--json")
    info = json.loads(r.stdout)
    assert info["articles"] == N_ARTICLES - 1
    assert info["headlines"] == N_ARTICLES
    r = cli("read", str(FAILING_N), "--offline")
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "not cached" in r.stderr


def test_an_article_the_parser_cannot_read_fails_alone_and_the_rest_is_cached(synth_ok, monkeypatch):
    # workers only fetch; the collector parses: a parser bug is still that article's failure
    import lillenews.site.news as news

    real = news.parse_article
    broken = synth_ok.url(3)

    def parse_article(html, url, **kwargs):
        if url == broken:
            raise RuntimeError("boom in parser")
        return real(html, url, **kwargs)

    monkeypatch.setattr(news, "parse_article", parse_article)
    data = json.loads(cli("sync", "--json").stdout)
    assert [f["url"] for f in data["failed"]] == [broken]
    assert "RuntimeError" in data["failed"][0]["error"]
    assert data["new"] == N_ARTICLES - 1
    assert json.loads(cli("cache", "info", "--json").stdout)["articles"] == N_ARTICLES - 1


def test_sync_json_shape(synth):
    r = cli("sync", "--json")
    data = json.loads(r.stdout)
    assert set(data) == {
        "headlines", "new", "updated", "unchanged", "cached", "disallowed", "events", "requests", "crawl_delay",
        "robots_unavailable", "interrupted", "failed",
    }  # fmt: skip
    assert data["headlines"] == N_ARTICLES
    assert (data["new"], data["updated"], data["unchanged"], data["cached"]) == (N_ARTICLES - 1, 0, 0, 0)
    assert (data["disallowed"], data["crawl_delay"], data["robots_unavailable"]) == (0, None, False)
    assert data["events"] is None  # the synthetic site has no agenda (404): nothing to sync there
    # the two listing pages, every article, the agenda's first page (404); robots.txt aside
    assert data["requests"] == 2 + N_ARTICLES + 1
    assert data["interrupted"] is False
    assert len(data["failed"]) == 1
    assert set(data["failed"][0]) == {"url", "error"}
    assert data["failed"][0]["url"] == synth.url(FAILING_N)
    assert "500" in data["failed"][0]["error"]
    # The second run, as JSON too: the cached articles are counted, not asked for.
    data = json.loads(cli("sync", "--json").stdout)
    assert (data["new"], data["updated"], data["unchanged"], len(data["failed"])) == (0, 0, 0, 1)
    assert data["cached"] == N_ARTICLES - 1 and data["requests"] == 2 + 1 + 1


# ---------------------------------------------------------------------- scope
def test_sync_no_articles_fetches_only_the_listing(synth):
    r = cli("sync", "--no-articles")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "0 new, 0 updated, 0 unchanged, 0 failed\n"
    assert synth.article_hits() == 0
    # the listing pages, the agenda's (none here: 404) and robots.txt
    assert {req.route_path for req in synth.srv.requests} == {*PAGE_PATHS, "/Evenements", "/robots.txt"}
    info = json.loads(cli("cache", "info", "--json").stdout)
    assert (info["listing_pages"], info["headlines"], info["articles"]) == (2, N_ARTICLES, 0)
    data = json.loads(cli("sync", "--no-articles", "--json").stdout)
    assert data["headlines"] == N_ARTICLES and data["new"] == 0 and data["failed"] == []


def test_sync_pages_1_only_the_first_listing_page(synth):
    r = cli("sync", "--pages", "1")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == f"{PER_PAGE} new, 0 updated, 0 unchanged, 0 failed\n"
    assert synth.srv.hits(PAGE_PATHS[0]) == 1
    assert synth.srv.hits(PAGE_PATHS[1]) == 0
    fetched = {req.route_path for req in synth.srv.requests} - {*PAGE_PATHS, "/Evenements", "/robots.txt"}
    assert fetched == {synth.path(n) for n in range(1, PER_PAGE + 1)}


def test_sync_all_follows_the_pagination_to_its_end(synth_ok):
    r = cli("sync", "--all", "--no-articles", "--json")
    assert json.loads(r.stdout)["headlines"] == N_ARTICLES
    assert synth_ok.srv.hits(PAGE_PATHS[0]) == synth_ok.srv.hits(PAGE_PATHS[1]) == 1


def test_sync_workers_out_of_range_is_a_usage_error(synth_ok):
    for bad in ("0", "9"):
        r = cli("sync", "--workers", bad)
        assert r.exit_code == 2, (bad, r)
        assert r.stdout == "" and r.stderr.startswith("Error:")
    assert synth_ok.srv.requests == []


# ---------------------------------------------------------------------- concurrency
@pytest.mark.parametrize(
    ("args", "env", "bound"),
    [
        (["--workers", "2"], {}, 2),
        ([], {}, 4),
        ([], {"LILLENEWS_WORKERS": "3"}, 3),
    ],
    ids=["workers-2", "default-4", "env-3"],
)
def test_sync_concurrency_is_bounded(synth_ok, monkeypatch, args, env, bound):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    inst = Instrumented(delay=0.06)
    inst.install(synth_ok)
    r = cli("sync", *args)
    assert r.stdout == f"{N_ARTICLES} new, 0 updated, 0 unchanged, 0 failed\n", r.stderr
    assert len(inst.completed) == N_ARTICLES
    assert inst.max_in_flight <= bound, f"{inst.max_in_flight} requests in flight at once (bound {bound})"
    # ... and the pool is used: with 36 slow articles it reaches its bound. robots.txt was read
    # (404: no rules, no Crawl-delay), which changes nothing: the requests in flight are today's.
    assert inst.max_in_flight == bound
    assert synth_ok.srv.hits("/robots.txt") == 1


# ---------------------------------------------------------------------- output
def test_sync_no_progress_output_when_not_a_tty(synth_ok):
    r = run_subprocess("sync")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == f"{N_ARTICLES} new, 0 updated, 0 unchanged, 0 failed\n"
    assert r.stderr == ""


def test_sync_progress_goes_to_stderr_when_it_is_a_tty(synth_ok):
    """With stderr a terminal, the progress bar is drawn there; stdout (a pipe)
    still gets only the summary line."""
    inst = Instrumented(delay=0.03)
    inst.install(synth_ok)
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lillenews", "sync"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        out, _ = proc.communicate(timeout=30)
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert out.decode() == f"{N_ARTICLES} new, 0 updated, 0 unchanged, 0 failed\n"
    assert proc.returncode == 0
    assert "Syncing" in err and f"/{N_ARTICLES}" in err, f"no progress bar on the terminal: {err[:300]!r}"


# ---------------------------------------------------------------------- Ctrl-C
def test_sync_ctrl_c_stops_asking_and_keeps_what_was_done(synth_ok, monkeypatch):
    """Six articles answer; the next requests are held (60 s) until the test ends. After
    Ctrl-C no article is asked for, and the sync ends once the requests in flight time out
    (LILLENEWS_TIMEOUT, 2 s here): it neither goes on nor waits for the held answers."""
    site = synth_ok
    monkeypatch.setenv("LILLENEWS_TIMEOUT", "2")
    inst = Instrumented(delay=0.05, answer_first=6)
    inst.install(site)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lillenews", "sync"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 30
        # the default 4 workers all wait on a held article: nothing else can happen until Ctrl-C
        while (len(inst.completed) < 6 or inst.in_flight < 4) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert len(inst.completed) == 6 and inst.in_flight == 4, "the sync did not get going"
        time.sleep(0.1)  # let the client take in what it received
        asked = site.article_hits()
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("after Ctrl-C, sync waited for the requests in flight")
        elapsed = time.monotonic() - sent
    finally:
        inst.release.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s to stop after Ctrl-C (the held answers would take 60 s)"
    assert site.article_hits() == asked, "an article was asked for after Ctrl-C"
    assert site.article_hits() < N_ARTICLES, "Ctrl-C did not stop the sync"
    assert "Traceback" not in err
    assert "(interrupted)" in out, out
    # What was done before Ctrl-C is in the cache.
    r = cli("read", "1", "--offline", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["title"] == site.article(1).title
    cached = json.loads(cli("cache", "info", "--json").stdout)["articles"]
    assert 1 <= cached < N_ARTICLES
    assert proc.returncode == 130, f"sync interrupted by Ctrl-C exited {proc.returncode}, expected 130"


# ---------------------------------------------------------------------- the use case, in-process (no sockets)
def _unit_site(n: int = 6):
    from fakes import BASE, Answer
    from synth_site import _page, listing_item_html, make_articles

    arts = make_articles(n)
    items = "\n".join(listing_item_html(a) for a in arts)
    listing = _page(
        "Actualités",
        f'<h1>Actualités</h1><div class="actusMaster">{items}'
        '<div class="pagination"><span class="current">1</span></div></div>',
    )
    routes = {BASE + "/Actualites": Answer(text=listing, etag='"listing"')}
    for a in arts:
        routes[BASE + a.path] = Answer(text=article_html(a), etag=f'"{a.path}"')
    return arts, routes


def test_sync_counts_each_outcome_once_with_an_enum(tmp_path):
    from fakes import BASE, Answer, Clock, FakeFetcher, settings

    from lillenews.app.cached_fetch import STAND_IN, Outcome
    from lillenews.app.context import Context
    from lillenews.app.sync import SyncReport, sync

    arts, routes = _unit_site()
    fetcher = FakeFetcher(routes)
    clock = Clock()
    ctx = Context(settings(tmp_path), now=clock, fetcher=fetcher)
    report = sync(ctx)
    assert (report.headlines, report.new, report.updated, report.unchanged, report.failed) == (6, 6, 0, 0, [])

    # Re-checked (refresh): 304 for four; one changed; one now a maintenance page standing in for the article.
    routes[BASE + arts[0].path] = Answer(text=article_html(arts[0], extra="Un paragraphe de plus."), etag='"v2"')
    routes[BASE + arts[1].path] = Answer(text=_maintenance_html(), etag='"maintenance"')
    clock.advance(3600)
    report = sync(ctx, refresh=True)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 4)
    assert report.failed == [(BASE + arts[1].path, f"{STAND_IN} found; the page layout may have changed")]
    assert ctx.cache.article(BASE + arts[1].path).article.title == arts[1].title, "the good copy was replaced"

    # Fetched again without validators honoured, same content: unchanged, not updated.
    routes[BASE + arts[0].path] = Answer(text=article_html(arts[0], extra="Un paragraphe de plus."), etag='"v3"')
    report = sync(ctx, refresh=True)
    assert (report.new, report.updated, report.unchanged, len(report.failed)) == (0, 0, 5, 1)
    ctx.close()

    empty = SyncReport()
    for outcome in (Outcome.NEW, Outcome.UPDATED, Outcome.UPDATED, Outcome.UNCHANGED):
        empty.count(outcome)
    assert (empty.new, empty.updated, empty.unchanged) == (1, 2, 1)
    with pytest.raises(ValueError):
        empty.count(Outcome.STALE)


def _maintenance_html() -> str:
    from synth_site import _page

    return _page("Maintenance", '<h1>Site en maintenance</h1><div class="rte"><p>Revenez plus tard.</p></div>')


def test_sync_passes_its_worker_count_to_the_fetcher_and_never_changes_settings(tmp_path, monkeypatch):
    from fakes import FakeFetcher, settings

    import lillenews.net.fetch
    from lillenews.app.context import Context
    from lillenews.app.sync import sync

    _, routes = _unit_site(3)
    built: list[int | None] = []

    class Recording(FakeFetcher):
        def __init__(self, settings, *, sleep, clock, workers=None, **polite):
            super().__init__(dict(routes))
            built.append(workers)

    monkeypatch.setattr(lillenews.net.fetch, "Fetcher", Recording)
    ctx = Context(settings(tmp_path, workers=4))
    before = ctx.settings
    report = sync(ctx, workers=2)
    assert report.new == 3
    assert built == [2], "the pool is sized from the explicit worker count"
    assert ctx.settings is before and ctx.settings.workers == 4
    # A later use of the fetcher with another count gets a fetcher of that size.
    sync(ctx, workers=9)  # clamped to the maximum
    assert built == [2, 8]
    assert sync(ctx).cached == 3 and built == [2, 8, 4]
    ctx.close()


def test_articles_skipped_once_the_site_stopped_answering_are_one_line():
    """A site that dies during sync: the articles not even tried are one warning, not one each."""
    from lillenews.app.sync import SyncReport
    from lillenews.base.errors import FetchError, SiteDownError

    report = SyncReport()
    report.failed = [("https://x/a1", "timed out after 10 s")]
    for n in range(2, 51):
        url = f"https://x/a{n}"
        report.failed.append((url, "skipped: the site did not answer a moment ago (timed out)"))
        report.not_tried.add(url)
    lines = report.warnings()
    assert lines == [
        "could not fetch https://x/a1: timed out after 10 s",
        "50 articles failed, 49 of them not tried once the site stopped answering; "
        "they will be tried again at the next sync",
    ]
    assert issubclass(SiteDownError, FetchError)
    report.failed.pop(0)  # offline: not one article tried, one count in one sentence
    assert report.warnings() == [
        "the site is not answering: 49 articles were not fetched; they will be tried at the next sync"
    ]


def test_sync_marks_the_articles_it_skipped_when_the_site_went_down(synth_ok, fake_clock):
    """End to end: the site is down (offline): the cached listing with one warning, then one
    sentence with one count for the articles, in English and in French. (The retries'
    backoff goes to the injected clock: asked for, not waited.)"""
    inst = Instrumented(delay=0.0)
    inst.install(synth_ok)
    assert run_in_process("list").exit_code == 0
    synth_ok.srv.stop()
    result = run_in_process("sync", "--pages", "1")
    assert result.exit_code == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2 and warnings[1].startswith("Warning: the site is not answering: "), warnings
    # pages: the agenda's event pages were among them (articles alone say articles)
    count = re.search(r"(\d+) (?:articles|pages) were not fetched; they will be tried at the next sync$", warnings[1])
    assert count and result.stdout.endswith(f", {count[1]} failed\n"), (result.stdout, warnings)
    french = run_in_process("--language", "fr", "sync", "--pages", "1").stderr.splitlines()
    assert len(french) == 2 and re.match(r"Warning: le site ne répond pas : \d+ (articles|pages) n'ont pas", french[1])
