"""The Fetcher on its own, against the local fixture server, on an injected clock:
retries, Retry-After, backoff and the whole-call budget are asserted as the waits
the Fetcher *asked for* (FakeClock.slept), never waited out. Timeouts that must be
real (a server that does not answer) are kept short where they are the point, and
generous elsewhere (a loaded machine must not turn an answer into a timeout); no
wall-clock bound is under WALL_BOUND: requests and waits are counted instead.

The CLI-level contract for the same faults (one Error/Warning line, the cache
served) is tests/e2e/test_network_faults.py; hostile servers are tests/net/test_hostile_servers.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import FakeClock
from server import FixtureServer, fixture_bytes

from lillenews import PROJECT_URL, USER_AGENT, __version__
from lillenews.base.config import Settings
from lillenews.base.errors import FetchError
from lillenews.net.fetch import MAX_BYTES, Fetcher

PAGE = fixture_bytes("listing_p01.html")
BUSY = b"<html><body>busy</body></html>"


WALL_BOUND = 5.0  # seconds: the smallest wall-clock bound a test asserts


def settings(base_url: str, timeout: float = 10.0, max_retry_wait: float = 1.0, workers: int = 2) -> Settings:
    nowhere = Path("/nonexistent")
    return Settings(
        base_url=base_url,
        cache_dir=nowhere,
        data_dir=nowhere,
        config_dir=nowhere,
        timeout=timeout,
        listing_max_age=10,
        workers=workers,
        max_retry_wait=max_retry_wait,
    )


@pytest.fixture
def srv():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make(srv, clock):
    made: list[Fetcher] = []

    def build(**kw: float) -> Fetcher:
        f = Fetcher(settings(srv.base_url, **kw), sleep=clock.sleep, clock=clock)
        made.append(f)
        return f

    yield build
    for f in made:
        f.close()


def flaky(srv: FixtureServer, path: str, first: list[tuple[int, str | None]]) -> None:
    """Answer with each (status, Retry-After) of `first` in turn, then the page."""
    answers = list(first)

    def fn(h) -> None:
        status, retry_after = answers.pop(0) if answers else (200, None)
        body = BUSY if status != 200 else PAGE
        h.send_response(status)
        if retry_after is not None:
            h.send_header("Retry-After", retry_after)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    srv.handler(path, fn)


# ------------------------------------------------------------------ retries and waits
def test_retry_after_is_the_wait_requested(srv, make, clock):
    flaky(srv, "/p", [(503, "1")])
    page = make().get(srv.url("/p"))
    assert page.status == 200 and "Actualit" in page.text
    assert clock.slept == [1.0]
    assert srv.hits("/p") == 2


def test_429_is_retried_too(srv, make, clock):
    flaky(srv, "/p", [(429, "0"), (429, "1")])
    assert make().get(srv.url("/p")).status == 200
    assert clock.slept == [0.0, 1.0]


def test_without_retry_after_the_backoff_is_requested(srv, make, clock):
    srv.route("/p", BUSY, status=503)
    with pytest.raises(FetchError) as info:
        make().get(srv.url("/p"))
    assert info.value.status == 503
    assert "the server answered 503" in info.value.cause
    assert clock.slept == [0.5, 1.0]
    assert srv.hits("/p") == 3, "1 attempt + 2 retries, no more"


def test_a_retry_after_over_the_cap_is_not_waited(srv, make, clock):
    srv.route("/p", BUSY, status=429, headers={"Retry-After": "30"})
    with pytest.raises(FetchError) as info:
        make(max_retry_wait=5).get(srv.url("/p"))
    assert "asked to wait 30 s" in info.value.cause and info.value.status == 429
    assert clock.slept == [] and srv.hits("/p") == 1


def test_the_budget_ends_the_retries(srv, make, clock):
    """Budget = 3 x timeout + 2 x max_retry_wait = 0.3 + 0 ... a Retry-After of 1 s
    that fits under the cap still cannot go past the whole-call budget."""
    flaky(srv, "/p", [(503, "1"), (503, "1"), (503, "1")])
    with pytest.raises(FetchError):
        make(timeout=0.2, max_retry_wait=1).get(srv.url("/p"))  # budget 2.6 s: two waits of 1 s fit
    assert clock.slept == [1.0, 1.0]
    clock.slept.clear()
    flaky(srv, "/q", [(503, "1"), (503, "1"), (503, "1")])
    with pytest.raises(FetchError):
        make(timeout=0.2, max_retry_wait=0.9).get(srv.url("/q"))  # over the cap
    assert clock.slept == []


def count_connects(monkeypatch) -> list[object]:
    """Every TCP connection the code opens from now on (httpcore calls socket.create_connection)."""
    import socket

    real, opened = socket.create_connection, []

    def create_connection(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return opened


def test_a_refused_connection_is_retried_then_the_site_is_down(srv, make, clock, monkeypatch):
    url = srv.url("/p")
    srv.stop()
    fetcher = make()
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    assert "refused" in info.value.cause
    assert clock.slept == [0.5, 1.0]
    connects = count_connects(monkeypatch)
    with pytest.raises(FetchError) as again:
        fetcher.get(url.replace("/p", "/q"))
    assert "skipped: the site did not answer" in again.value.cause and "refused" in again.value.cause
    assert connects == [] and clock.slept == [0.5, 1.0], "at once: no connection tried, no wait"


def causes(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception it was raised from (`raise ... from`)."""
    chain = [exc]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    return chain


def test_a_refused_connection_keeps_the_socket_error_as_its_cause(srv, make):
    url = srv.url("/p")
    srv.stop()
    with pytest.raises(FetchError) as info:
        make().get(url)
    assert any(isinstance(c, httpx.ConnectError) for c in causes(info.value)), causes(info.value)


def test_an_unforeseen_failure_is_a_fetch_error_of_that_url_chained_to_its_cause(srv, make, monkeypatch):
    fetcher = make()

    def broken(*args, **kwargs):
        raise RuntimeError("boom in the client")

    monkeypatch.setattr(fetcher._client, "stream", broken)
    with pytest.raises(FetchError) as info:
        fetcher.get(srv.url("/p"))
    assert info.value.url == srv.url("/p") and "RuntimeError: boom in the client" in str(info.value)
    assert isinstance(causes(info.value)[-1], RuntimeError)


def test_a_silent_server_times_out_once_then_the_site_is_down(srv, make, clock):
    srv.route("/p", b"<html></html>", delay=60)
    fetcher = make(timeout=0.3)
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetcher.get(srv.url("/p"))
    assert "timed out after 0.3 s" in info.value.cause
    assert time.monotonic() - start < WALL_BOUND  # the server holds its answer 60 s
    assert clock.slept == [] and srv.hits("/p") == 1, "a read timeout is not retried"
    with pytest.raises(FetchError, match="skipped"):
        fetcher.get(srv.url("/other"))
    assert srv.hits("/other") == 0


def test_the_deadline_is_per_thread():
    """sync fetches in several threads: one request's deadline never shortens
    another thread's socket operations."""
    from lillenews.net import deadline

    seen: dict[str, float | None] = {}

    def other() -> None:
        seen["other"] = deadline._clamp(5.0)

    deadline.set_deadline(0.01)
    try:
        t = threading.Thread(target=other)
        t.start()
        t.join(5)
        seen["here"] = deadline._clamp(5.0)
    finally:
        deadline.set_deadline(None)
    assert seen["other"] == 5.0
    assert seen["here"] is not None and seen["here"] <= 0.01
    assert deadline._clamp(5.0) == 5.0 and deadline._clamp(None) is None


# ------------------------------------------------------------------ conditional requests
def test_validators_are_sent_and_a_304_is_kept(srv, make):
    srv.route("/p", PAGE)
    fetcher = make()
    first = fetcher.get(srv.url("/p"))
    assert first.status == 200 and first.etag and first.last_modified
    again = fetcher.get(srv.url("/p"), etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.text == ""
    assert srv.requests[-1].headers["if-none-match"] == first.etag


def test_an_unconditional_304_is_an_error(srv, make):
    srv.route("/p", b"", status=304)
    with pytest.raises(FetchError, match="not conditional"):
        make().get(srv.url("/p"))


# ------------------------------------------------------------------ redirects, sizes, types
def test_redirects_within_the_site(srv, make):
    srv.route("/old", b"", status=301, headers={"Location": "/new"})
    srv.route("/new", PAGE)
    page = make().get(srv.url("/old"))
    assert page.url == srv.url("/new")


def test_a_redirect_to_localhost_is_another_site(srv, make):
    srv.route("/old", b"", status=302, headers={"Location": srv.base_url.replace("127.0.0.1", "localhost") + "/new"})
    srv.route("/new", PAGE)
    with pytest.raises(FetchError, match="redirected to another site"):
        make().get(srv.url("/old"))
    assert srv.hits("/new") == 0


def test_a_configured_site_can_be_given(srv, clock):
    srv.route("/old", b"", status=302, headers={"Location": "/new"})
    f = Fetcher(settings(srv.base_url), sleep=clock.sleep, clock=clock, site="http://elsewhere.example")
    try:
        with pytest.raises(FetchError, match=r"not on the configured site \(http://elsewhere.example\)"):
            f.get(srv.url("/old"))
        assert srv.requests == []
    finally:
        f.close()


def test_redirect_loops_and_chains_end(srv, make):
    srv.route("/a", b"", status=302, headers={"Location": "/b"})
    srv.route("/b", b"", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        make().get(srv.url("/a"))
    for i in range(7):
        srv.route(f"/c{i}", b"", status=302, headers={"Location": f"/c{i + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        make().get(srv.url("/c0"))


def test_the_size_cap(srv, make):
    srv.route("/big", b"<html>" + b" " * (MAX_BYTES + 10))
    with pytest.raises(FetchError, match="larger than 5 MB"):
        make().get(srv.url("/big"))


def test_not_html_and_empty(srv, make):
    srv.route("/png", b"\x89PNG", content_type="image/png")
    srv.route("/empty", b"")
    fetcher = make()
    with pytest.raises(FetchError, match="image/png, not an HTML page"):
        fetcher.get(srv.url("/png"))
    with pytest.raises(FetchError, match="empty page"):
        fetcher.get(srv.url("/empty"))


def test_only_http_and_https(make):
    with pytest.raises(FetchError, match="only http and https"):
        make().get("file:///etc/passwd")


def test_polite_headers(srv, make):
    srv.route("/p", PAGE)
    make().get(srv.url("/p"))
    headers = srv.requests[-1].headers
    assert headers["user-agent"] == USER_AGENT == f"lillenews/{__version__} (+{PROJECT_URL})"
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["accept-language"].startswith("fr")
