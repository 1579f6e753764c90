"""Network and site faults: every way the network or the site can fail,
for `list` (the first listing page) and `read` (one article), with and without a
good cache.

* no cache   -> exit 1, stderr is exactly one `Error: ` line naming the URL and
                the cause in words, no traceback;
* good cache -> exit 0, the cached data on stdout, exactly one `Warning:` line
                saying how old the cache is, and the cache still holds the good
                data afterwards (checked with `--offline --json`).

Plus: retries honour Retry-After up to a cap and are bounded, a 304 keeps the
cached data, every request carries the User-Agent, and a command's total time
stays bounded even against a server that trickles bytes.

Waits the code asks for (Retry-After, backoff) go through an injected clock
(conftest.FakeClock): the tests assert what was *requested* instead of waiting it
out. Two smoke tests still run in real time (a real Retry-After wait, a trickling
server cut off by the real deadline). A timeout is small only where it is what the
test is about, and set just before the fault: every answer the test expects gets a
generous timeout, so a loaded machine cannot turn it into a failure. No wall-clock
bound is under WALL_BOUND; the faults those bounds catch would last much longer.

The only thing mocked is name resolution (socket.getaddrinfo for TEST_HOST);
everything else is a real local HTTP server misbehaving on demand.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import server as fixture_server
from conftest import FakeClock, run_in_process
from server import ARTICLE_PATHS, LISTING_PATHS, NOT_FOUND_BODY, SEED_HEADLINES, TINY_PNG, fixture_bytes

TIMEOUT = 10  # LILLENEWS_TIMEOUT unless a test is about timeouts: generous, answers are expected
MAX_RETRY_WAIT = 1  # LILLENEWS_MAX_RETRY_WAIT
# The smallest wall-clock bound a test here asserts (the house rule): a loaded machine
# must not fail a test. A bound catches a real wait or a hang (a silent server holds
# 60 s, a trickle 40 s), not a few tenths of a second of drift.
WALL_BOUND = 5.0
TEST_HOST = "lille-news.test"  # resolved by the fake resolver only
LISTING = LISTING_PATHS[0]  # "/Actualites"
ARTICLE = ARTICLE_PATHS["securite"]
FIVE_MB = 5 * 1024 * 1024


# ---------------------------------------------------------------------------- harness


class Resolver:
    """socket.getaddrinfo that maps TEST_HOST to 127.0.0.1 while `up`, and fails
    like an unknown name (EAI_NONAME) once the name "stops resolving"."""

    def __init__(self, monkeypatch):
        self.up = True
        self.asked = 0
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host == TEST_HOST:
                self.asked += 1
                if not self.up:
                    raise socket.gaierror(-2, "Name or service not known")
                return real("127.0.0.1", port, *args, **kwargs)
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@dataclass
class Ctx:
    srv: fixture_server.FixtureServer
    base_url: str
    clock: FakeClock
    resolver: Resolver | None = None
    monkeypatch: pytest.MonkeyPatch | None = None  # sets a fault's settings when it is injected


def _env(monkeypatch, base_url: str) -> None:
    monkeypatch.setenv("LILLENEWS_BASE_URL", base_url)
    monkeypatch.setenv("LILLENEWS_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", str(MAX_RETRY_WAIT))


def run(*args: str):
    start = time.monotonic()
    result = run_in_process(*args)
    return result, time.monotonic() - start


def one_line(stderr: str, prefix: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one stderr line, got {stderr!r}"
    assert lines[0].startswith(prefix), f"expected {prefix!r}..., got {stderr!r}"
    assert "Traceback" not in stderr
    return lines[0]


def words(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- the faults
def _static(status: int, body: bytes = NOT_FOUND_BODY, headers: dict | None = None, **kw):
    def install(ctx: Ctx, path: str) -> None:
        ctx.srv.route(path, body, status=status, headers=headers, **kw)

    return install


def _busy(status: int):
    """Always busy, saying Retry-After: 1 (honoured: two 1 s waits asked of the
    injected clock, then the error; the real wait is test_503_then_200_...)."""

    def install(ctx: Ctx, path: str) -> None:
        ctx.srv.route(path, b"<html><body>busy</body></html>", status=status, headers={"Retry-After": "1"})

    return install


def _refused(ctx: Ctx, path: str) -> None:
    ctx.srv.stop()  # the port is closed: connections are refused


def _unresolvable(ctx: Ctx, path: str) -> None:
    ctx.resolver.up = False


def _never_answers(ctx: Ctx, path: str) -> None:
    ctx.srv.route(path, b"<html></html>", delay=60)  # woken when the server stops


def _page_for(path: str) -> bytes:
    return fixture_bytes("listing_p01.html" if path == LISTING else "article_securite.html")


def _cut_short(ctx: Ctx, path: str) -> None:
    body = _page_for(path)[:3000]

    def fn(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body) * 10))
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()
        # then the connection closes (the server closes it after a handler)

    ctx.srv.handler(path, fn)


def _redirect(location: str) -> Callable[[Ctx, str], None]:
    def install(ctx: Ctx, path: str) -> None:
        ctx.srv.route(path, b"", status=302, headers={"Location": location})

    return install


def _redirect_loop(ctx: Ctx, path: str) -> None:
    ctx.srv.route(path, b"", status=302, headers={"Location": path + "-loop"})
    ctx.srv.route(path + "-loop", b"", status=301, headers={"Location": path})


def _redirect_chain(ctx: Ctx, path: str) -> None:
    hops = [path] + [f"{path}-hop{n}" for n in range(1, 8)]
    for here, there in zip(hops, hops[1:], strict=False):
        ctx.srv.route(here, b"", status=302, headers={"Location": there})
    ctx.srv.route(hops[-1], fixture_bytes("listing_p01.html"))


def _oversize_declared(ctx: Ctx, path: str) -> None:
    ctx.srv.route(path, b"<html><body>" + b"x" * (FIVE_MB + 1024) + b"</body></html>")


def _oversize_streamed(ctx: Ctx, path: str) -> None:
    """No Content-Length: the body runs until the connection closes (6 MB)."""

    def fn(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b"<html><body>")
        chunk = b"<p>" + b"x" * 65536 + b"</p>"
        for _ in range(6 * 1024 * 1024 // len(chunk) + 2):
            h.wfile.write(chunk)

    ctx.srv.handler(path, fn)


def _bad_utf8(ctx: Ctx, path: str) -> None:
    page = _page_for(path)
    at = page.index(b"<h1")
    page = page[:at] + b"<p>r\xe9ouverture \xff\xfe</p>" + page[at:]  # Latin-1 and junk bytes in a UTF-8 page
    ctx.srv.route(path, page, content_type="text/html; charset=utf-8")


# An article page whose text is now rendered by a script: site furniture and a
# title, but no article text left in the HTML.
SCRIPTED_ARTICLE = b"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Ville de Lille</title>
<script src="/app/article.js"></script></head>
<body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/Actualites">Actualit\xc3\xa9s</a></li></ul>
</nav></header>
<div id="app" data-article="31337"></div>
<footer><p>H\xc3\xb4tel de Ville - Place Augustin Laurent - 59033 Lille Cedex</p></footer>
</body></html>
"""


def _layout_changed(ctx: Ctx, path: str) -> None:
    if path == LISTING:
        ctx.srv.route(path, fixture_bytes("layout_changed.html"))
    else:
        ctx.srv.route(path, SCRIPTED_ARTICLE)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Fault:
    install: Callable[[Ctx, str], None]
    cause: str  # regex the message must match (the cause, in words)
    max_s: float = WALL_BOUND + 1.0  # the command must end within this many seconds
    dns: bool = False  # needs the fake resolver (base URL on TEST_HOST)
    env: tuple[tuple[str, str], ...] = ()  # extra settings for this fault
    waits: tuple[float, ...] = ()  # the sleeps the command must have asked for

    def inject(self, ctx: Ctx, path: str) -> None:
        """The fault at `path`, with its settings: set now, so the runs before it (a warm
        cache) had the generous defaults."""
        assert ctx.monkeypatch is not None
        for name, value in self.env:
            ctx.monkeypatch.setenv(name, value)
        self.install(ctx, path)


NEVER_TIMEOUT = 0.2  # a real timeout (a socket read no clock reaches): kept short
TRICKLE_TIMEOUT = 0.5  # the trickling smoke test: 0.2 s between bytes stays under it

FAULTS: dict[str, Fault] = {
    "404": Fault(_static(404), r"the server answered 404"),
    "410": Fault(_static(410), r"the server answered 410"),
    "429 Retry-After": Fault(_busy(429), r"the server answered 429", waits=(1.0, 1.0)),
    "500": Fault(_static(500), r"the server answered 500"),
    "503 Retry-After": Fault(_busy(503), r"the server answered 503", waits=(1.0, 1.0)),
    # Connection errors are retried with a fixed backoff (0.5 s, 1 s).
    "connection refused": Fault(_refused, r"refused", waits=(0.5, 1.0)),
    "name does not resolve": Fault(_unresolvable, r"could not be resolved", dns=True, waits=(0.5, 1.0)),
    "never answers": Fault(
        _never_answers,
        rf"timed out after {NEVER_TIMEOUT} s",
        max_s=WALL_BOUND,  # the server would hold the answer 60 s
        env=(("LILLENEWS_TIMEOUT", str(NEVER_TIMEOUT)),),
    ),
    "body cut short": Fault(_cut_short, r"(broke|incomplete|cut short|before the page was complete)"),
    "redirect loop": Fault(_redirect_loop, r"redirect loop"),
    "too many redirects": Fault(_redirect_chain, r"more than 5 redirects"),
    "redirect to ftp": Fault(_redirect("ftp://ftp.example.org/pub/x.html"), r"redirect.*not http"),
    "redirect to file": Fault(_redirect("file:///etc/passwd"), r"redirect.*not http"),
    "image/png": Fault(_static(200, TINY_PNG, content_type="image/png"), r"image/png, not an HTML page"),
    "application/pdf": Fault(_static(200, PDF, content_type="application/pdf"), r"application/pdf, not an HTML page"),
    "over 5 MB (Content-Length)": Fault(_oversize_declared, r"larger than 5 MB"),
    "over 5 MB (streamed)": Fault(_oversize_streamed, r"larger than 5 MB"),
    "empty 200": Fault(_static(200, b""), r"empty"),
    "invalid utf-8": Fault(_bad_utf8, r"not valid utf-8"),
    "layout changed": Fault(_layout_changed, r"layout may have changed"),
}
IDS = list(FAULTS)


@pytest.fixture
def fault() -> Fault | None:
    return None  # overridden by @pytest.mark.parametrize("fault", ...)


@pytest.fixture
def ctx(fault, dirs, site, monkeypatch, fake_clock) -> Ctx:
    if fault is not None and fault.dns:
        resolver = Resolver(monkeypatch)
        c = Ctx(site, site.base_url.replace("127.0.0.1", TEST_HOST), fake_clock, resolver, monkeypatch)
    else:
        c = Ctx(site, site.base_url, fake_clock, monkeypatch=monkeypatch)
    _env(monkeypatch, c.base_url)
    return c


def assert_waits(ctx: Ctx, fault: Fault) -> None:
    """The command asked for exactly the fault's waits (Retry-After, backoff), no more."""
    assert ctx.clock.slept == list(fault.waits), f"requested waits {ctx.clock.slept}, expected {fault.waits}"


def assert_one_error(result, elapsed: float, url: str, fault) -> None:
    """Exit 1, nothing on stdout, one `Error:` line naming the URL and the cause, in time."""
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    line = one_line(result.stderr, "Error: ")
    assert url in line, f"the message does not name {url}: {line!r}"
    assert re.search(fault.cause, line), f"the cause is not in words ({fault.cause!r}): {line!r}"
    assert result.stdout == ""
    assert elapsed < fault.max_s, f"took {elapsed:.1f} s"


each_fault = pytest.mark.parametrize("fault", [pytest.param(FAULTS[name], id=name) for name in IDS])


# ---------------------------------------------------------------------------- list
@each_fault
def test_list_fault_without_cache(ctx, fault):
    fault.inject(ctx, LISTING)
    assert_one_error(*run("list"), ctx.base_url + LISTING, fault)
    assert_waits(ctx, fault)


@each_fault
def test_list_fault_with_stale_cache(ctx, fault, monkeypatch):
    first, _ = run("list", "--json")
    assert first.exit_code == 0, first.stderr
    good = json.loads(first.stdout)
    assert [h["title"] for h in good] == SEED_HEADLINES[:20]

    fault.inject(ctx, LISTING)
    monkeypatch.setenv("LILLENEWS_LISTING_MAX_AGE", "0")  # the cached listing is stale
    result, elapsed = run("list")
    assert result.exit_code == 0, result.stderr
    line = one_line(result.stderr, "Warning: ")
    assert re.search(r"\bago\b|just now", line), f"the warning does not say how old the cache is: {line!r}"
    assert re.search(fault.cause, line), f"the warning does not say what went wrong: {line!r}"
    shown = words(result.stdout)
    for title in SEED_HEADLINES[:20]:
        assert words(title) in shown, f"cached headline {title!r} not shown"
    assert elapsed < fault.max_s, f"took {elapsed:.1f} s"
    assert_waits(ctx, fault)

    monkeypatch.delenv("LILLENEWS_LISTING_MAX_AGE")
    after, _ = run("list", "--offline", "--json")
    assert after.exit_code == 0, after.stderr
    assert json.loads(after.stdout) == good, "the good cached listing was replaced"


# ---------------------------------------------------------------------------- read
@each_fault
def test_read_fault_uncached_article(ctx, fault):
    fault.inject(ctx, ARTICLE)
    assert_one_error(*run("read", ARTICLE, "--no-pager"), ctx.base_url + ARTICLE, fault)
    assert_waits(ctx, fault)


@each_fault
def test_read_fault_cached_article(ctx, fault):
    first, _ = run("read", ARTICLE, "--json")
    assert first.exit_code == 0, first.stderr
    good = json.loads(first.stdout)
    assert good["title"].startswith("Sécurité")

    fault.inject(ctx, ARTICLE)
    result, elapsed = run("read", ARTICLE, "--refresh", "--no-pager")
    assert result.exit_code == 0, result.stderr
    line = one_line(result.stderr, "Warning: ")
    assert re.search(r"\bago\b|just now", line), f"the warning does not say how old the copy is: {line!r}"
    assert re.search(fault.cause, line), f"the warning does not say what went wrong: {line!r}"
    assert words(good["title"]) in words(result.stdout)
    assert words(good["lead"]) in words(result.stdout)
    assert elapsed < fault.max_s, f"took {elapsed:.1f} s"
    assert_waits(ctx, fault)

    after, _ = run("read", ARTICLE, "--offline", "--json")
    assert after.exit_code == 0, after.stderr
    assert json.loads(after.stdout) == good, "the good cached article was replaced"


# ---------------------------------------------------------------------------- retries
@pytest.fixture
def online(dirs, site, monkeypatch):
    _env(monkeypatch, site.base_url)
    return site


@pytest.fixture
def clocked(online, fake_clock) -> tuple[fixture_server.FixtureServer, FakeClock]:
    """The online site, with every wait the CLI asks for recorded instead of waited."""
    return online, fake_clock


def _flaky(first_status: int, retry_after: str | None, then_body: bytes):
    """A handler answering `first_status` once, then the real page."""
    calls = {"n": 0}

    def fn(h):
        calls["n"] += 1
        if calls["n"] == 1:
            body = b"<html><body>busy</body></html>"
            h.send_response(first_status)
            if retry_after is not None:
                h.send_header("Retry-After", retry_after)
        else:
            body = then_body
            h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        # The server closes a handler's connection once it answered: say so, as a real server
        # does, or the client may send its next request on a connection being closed.
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body)

    return fn, calls


def test_503_then_200_is_retried_after_retry_after(online):
    """Real-time smoke test: the Retry-After wait really happens (real sleep)."""
    fn, calls = _flaky(503, "1", fixture_bytes("listing_p01.html"))
    online.handler(LISTING, fn)
    result, elapsed = run("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert [h["title"] for h in json.loads(result.stdout)] == SEED_HEADLINES[:20]
    assert online.hits(LISTING) == 2
    assert elapsed >= 1.0, f"Retry-After: 1 was not honoured (retried after {elapsed:.2f} s)"
    assert elapsed < WALL_BOUND


def test_429_then_200_is_retried(clocked, monkeypatch):
    online, clock = clocked
    # A wait longer than WALL_BOUND (under a raised cap): a real sleep would show in the time.
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", "10")
    fn, calls = _flaky(429, "6", fixture_bytes("listing_p01.html"))
    online.handler(LISTING, fn)
    result, elapsed = run("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert online.hits(LISTING) == 2
    assert clock.slept == [6.0], "Retry-After: 6 was not honoured"
    assert elapsed < WALL_BOUND, "the injected sleep was bypassed"


def test_retry_after_over_the_cap_fails_at_once(clocked, monkeypatch):
    online, clock = clocked
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", "10")  # waiting the cap would outlast WALL_BOUND too
    online.route(LISTING, b"<html>slow down</html>", status=429, headers={"Retry-After": "30"})
    result, elapsed = run("list")
    assert result.exit_code == 1
    line = one_line(result.stderr, "Error: ")
    assert online.base_url + LISTING in line
    assert "429" in line
    assert re.search(r"wait 30 s", line), f"the message does not say the server asked to wait 30 s: {line!r}"
    assert online.hits(LISTING) == 1, "a Retry-After over the cap must not be waited for"
    assert clock.slept == []
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s"


def test_retry_after_as_http_date_is_understood(clocked, monkeypatch):
    """Retry-After may be an HTTP-date: one a minute ahead is over the cap, so the
    command fails at once saying so (and does not fall back to a short backoff)."""
    import email.utils

    online, clock = clocked
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", "10")  # waiting the cap would outlast WALL_BOUND too
    fn, calls = _flaky(503, email.utils.formatdate(time.time() + 60, usegmt=True), fixture_bytes("listing_p01.html"))
    online.handler(LISTING, fn)
    result, elapsed = run("list")
    assert result.exit_code == 1, result.stderr
    line = one_line(result.stderr, "Error: ")
    assert re.search(r"wait (5\d|60)\b", line), line
    assert online.hits(LISTING) == 1
    assert clock.slept == []
    assert elapsed < WALL_BOUND


def test_retries_are_bounded(clocked):
    online, clock = clocked
    online.route(LISTING, b"<html>down</html>", status=503)  # no Retry-After: backoff
    result, elapsed = run("list")
    assert result.exit_code == 1
    line = one_line(result.stderr, "Error: ")
    assert "the server answered 503" in line
    assert online.hits(LISTING) == 3, "1 attempt + 2 retries, no more"
    assert clock.slept == [0.5, 1.0], "the backoff between the attempts"
    assert elapsed < WALL_BOUND


def test_retries_are_bounded_for_an_article(clocked):
    online, clock = clocked
    online.route(ARTICLE, b"<html>down</html>", status=503, headers={"Retry-After": "1"})
    result, _ = run("read", ARTICLE)
    assert result.exit_code == 1
    assert online.hits(ARTICLE) == 3
    assert clock.slept == [1.0, 1.0]


def test_a_dead_site_is_not_retried_page_after_page(online, monkeypatch):
    """After one request got no answer at all, the next pages fail at once: a
    stale two-page listing against a silent server costs one timeout, not two."""
    first, _ = run("list", "--json")
    assert first.exit_code == 0
    for path in LISTING_PATHS[:2]:
        online.route(path, b"<html></html>", delay=60)
    monkeypatch.setenv("LILLENEWS_LISTING_MAX_AGE", "0")
    monkeypatch.setenv("LILLENEWS_TIMEOUT", str(NEVER_TIMEOUT))  # a real timeout: kept short
    online.clear_requests()
    result, elapsed = run("list")
    assert result.exit_code == 0, result.stderr
    one_line(result.stderr, "Warning: ")
    # One timeout: page 1 asked once (a read timeout is not retried), page 2 never asked.
    assert online.hits(LISTING_PATHS[0]) == 1 and online.hits(LISTING_PATHS[1]) == 0
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s"


def test_a_trickling_server_is_cut_off_within_the_budget(online, monkeypatch):
    """Real-time smoke test. A server sending one byte every 0.2 s never trips the
    per-read timeout (0.5 s); the whole-call budget (3 x timeout + 2 x max retry
    wait) must still end it."""
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", "0")
    monkeypatch.setenv("LILLENEWS_TIMEOUT", str(TRICKLE_TIMEOUT))
    budget = 3 * TRICKLE_TIMEOUT  # 1.5 s; the trickle would last 40 s

    def fn(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html>")
        h.wfile.flush()
        for _ in range(200):
            time.sleep(0.2)
            h.wfile.write(b" ")
            h.wfile.flush()

    online.handler(LISTING, fn)
    result, elapsed = run("list")
    assert result.exit_code == 1
    line = one_line(result.stderr, "Error: ")
    assert online.base_url + LISTING in line
    assert "timed out" in line
    assert online.hits(LISTING) == 1, "the whole-call budget is not tried again"
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s, budget {budget} s"


# ---------------------------------------------------------------------------- 304 and headers
def test_304_keeps_the_cached_listing(online):
    first, _ = run("list", "--json")
    good = json.loads(first.stdout)
    result, _ = run("list", "--refresh", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == good
    conditional = [r for r in online.requests if r.route_path == LISTING][-1]
    assert conditional.headers.get("if-none-match"), "the refresh was not a conditional request"
    after, _ = run("list", "--offline", "--json")
    assert json.loads(after.stdout) == good


def test_304_keeps_the_cached_article(online):
    first, _ = run("read", ARTICLE, "--json")
    good = json.loads(first.stdout)
    result, _ = run("read", ARTICLE, "--refresh", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == good
    last = [r for r in online.requests if r.route_path == ARTICLE][-1]
    assert last.headers.get("if-none-match")
    after, _ = run("read", ARTICLE, "--offline", "--json")
    assert json.loads(after.stdout) == good


def test_user_agent_on_every_request(online):
    from lillenews import PROJECT_URL, __version__

    fn, _ = _flaky(503, "0", fixture_bytes("listing_p01.html"))
    online.handler(LISTING, fn)
    online.route("/Actualites/moved", b"", status=301, headers={"Location": ARTICLE})
    assert run("list", "--limit", "30")[0].exit_code == 0
    assert run("read", "/Actualites/moved", "--no-pager")[0].exit_code == 0
    reqs = online.requests
    assert len(reqs) >= 6
    paths = {r.route_path for r in reqs}
    assert {LISTING, LISTING_PATHS[1], LISTING_PATHS[2], "/Actualites/moved", ARTICLE} <= paths
    expected = f"lillenews/{__version__} (+{PROJECT_URL})"
    for r in reqs:
        assert r.headers.get("user-agent") == expected, (r.path, r.headers.get("user-agent"))


# ---------------------------------------------------------------------------- hostile page content
HOSTILE = ARTICLE_PATHS["hostile"]
# ESC, BEL, other C0 controls but tab/newline, DEL, C1, bidi embeddings/overrides/isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b\]8;([^;\x07\x1b]*);(.*?)(?:\x1b\\|\x07)", re.S)


def assert_clean(text: str, where: str) -> None:
    bad = FORBIDDEN.findall(text)
    assert not bad, f"{where}: control or bidi characters reached the output: {sorted(set(map(repr, bad)))}"
    # escape sequences are removed whole, not just their ESC
    for leftover in ("[2J", "[31m", "[0m", "]8;;"):
        assert leftover not in text, f"{where}: the rest of an escape sequence is left: {leftover!r}"


def test_hostile_article_plain_output(online):
    result, _ = run("read", HOSTILE, "--no-pager")
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout + result.stderr, "read")
    out = words(result.stdout)
    assert "Le conseil [bold]municipal[/bold] a [link=https://evil.example]délibéré[/link]" in out
    assert "[red]not markup[/red]" in out and "[bold]gras[/bold]" in out and "[/]" in out
    assert "Liens [italic]douteux[/italic]" in out
    assert "ROUGE" in out and "esrever" in out  # the visible text is kept
    assert "javascript:" not in out and "data:text" not in out


def test_hostile_article_json_and_markdown(online):
    result, _ = run("read", HOSTILE, "--json")
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, "read --json (raw)")
    data = json.loads(result.stdout)
    assert_clean(json.dumps(data, ensure_ascii=False), "read --json")
    assert data["title"] == "Le conseil [bold]municipal[/bold] a [link=https://evil.example]délibéré[/link]"
    assert "javascript:" not in result.stdout and "data:text" not in result.stdout

    md, _ = run("read", HOSTILE, "--markdown")
    assert md.exit_code == 0, md.stderr
    assert_clean(md.stdout, "read --markdown")
    unescaped = re.sub(r"\\([\[\]\\*_`#()!<>|-])", r"\1", md.stdout)
    assert "[bold]municipal[/bold]" in unescaped
    for target in re.findall(r"\]\(([^)\s]*)", md.stdout):
        assert re.match(r"https?://", target), f"a Markdown link to {target!r}"


def test_hostile_listing_outputs(online):
    """Headline titles and summaries are site text too: table, JSON and search."""
    page = fixture_bytes("listing_p01.html").decode("utf-8")
    assert page.count("Lieux culturels") >= 1 and "La Ville se porte candidate" in page
    page = page.replace("Lieux culturels", "Lieux\x1b[31m culturels\x07 [bold]x[/bold] \u202eesrever\u202c")
    page = page.replace(
        "La Ville se porte candidate", "La Ville\x9b2J se porte \u2066candidate\u2069\x1b]8;;https://evil.example\x07"
    )
    online.route(LISTING, page.encode("utf-8"))
    for args in (
        ("list",),
        ("list", "--offline", "--json"),
        ("search", "culturels", "--offline"),
        ("search", "culturels", "--offline", "--json"),
    ):
        result, _ = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert_clean(result.stdout + result.stderr, " ".join(args))
        assert "[bold]x[/bold]" in result.stdout, args
        assert "esrever" in result.stdout and "candidate" in result.stdout, args


def test_hostile_article_on_a_terminal_has_only_http_hyperlinks(online):
    """Rendered for a real (forced) terminal with OSC 8 hyperlinks, from what the
    CLI cached: every link target is an http(s) URL that page text cannot bend."""
    import io

    from rich.console import Console

    from lillenews.base.config import load_settings
    from lillenews.store.cache import Cache
    from lillenews.views.model import article_view
    from lillenews.views.rich_news import article_group

    assert run("read", HOSTILE, "--json")[0].exit_code == 0
    settings = load_settings()
    cache = Cache(settings.cache_dir / "cache.db", lambda m: None)
    try:
        cached = cache.article(settings.base_url + HOSTILE)
    finally:
        cache.close()
    assert cached is not None

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="truecolor", width=100, legacy_windows=False)
    console.print(article_group(article_view(cached.article, 13), hyperlinks=True))
    out = buf.getvalue()

    targets = [m.group(2) for m in OSC8.finditer(out)]
    opened = [t for t in targets if t]
    assert opened, "no hyperlink at all: the test would prove nothing"
    for target in opened:
        assert re.fullmatch(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", target), f"OSC 8 target {target!r}"
        assert "evil.example/\x1b" not in target
    assert not any("javascript:" in t or t.startswith("data:") for t in targets)

    rest = OSC8.sub("", SGR.sub("", out))
    assert_clean(rest, "terminal rendering (escape sequences of Rich itself removed)")
    assert "[bold]municipal[/bold]" in words(rest)
