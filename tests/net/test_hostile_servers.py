"""Hostile servers at the HTTP level: a server on 127.0.0.1 that trickles,
bombs, lies in its headers and redirects elsewhere, attacking the real Fetcher
(and, for the time bound, the real CLI). Each scenario is one test; every server
loop is bounded; timeouts are small so the module stays fast.

Time is checked without a wall-clock bound under WALL_BOUND (a loaded machine must
not fail a test): the message says a timeout ended the call, the server counts the
requests, the injected clock the waits, and each trickle lasts longer than WALL_BOUND,
so a call the deadline did not end fails the bound.

What must hold: every call ends within its documented budget (every byte and the
decompression included), memory stays bounded, nothing a server puts in a header
reaches a message unsanitised, nothing is fetched from another site, and every
failure is a FetchError of the URL asked for."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import FakeClock, run_in_process
from hostile_server import HostileServer, answer, gzip_bomb, gzip_bytes, then_trickle, trickle

import lillenews.net.fetch as fetch_module
from lillenews.base.config import Settings
from lillenews.base.errors import FetchError
from lillenews.base.text import clean
from lillenews.base.urls import same_site
from lillenews.net.decoding import text_codec
from lillenews.net.fetch import Fetcher

TIMEOUT = 0.2  # the tests about time (`impatient`): a trickle's pace never trips it
BUDGET = 3 * TIMEOUT  # max_retry_wait 0
PATIENT = 10.0  # every other test expects an answer: a loaded machine must not make it a timeout
WALL_BOUND = 5.0  # seconds: the smallest wall-clock bound a test asserts
PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Bonjour Lille</p></body></html>"
HTML = {"Content-Type": "text/html; charset=utf-8"}
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def settings(base_url: str, timeout: float = PATIENT, max_retry_wait: float = 0) -> Settings:
    nowhere = Path("/nonexistent")
    return Settings(
        base_url=base_url,
        cache_dir=nowhere,
        data_dir=nowhere,
        config_dir=nowhere,
        timeout=timeout,
        listing_max_age=10,
        workers=2,
        max_retry_wait=max_retry_wait,
    )


@pytest.fixture
def srv():
    with HostileServer() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fetcher(srv, clock):
    f = Fetcher(settings(srv.base_url), sleep=clock.sleep, clock=clock)
    yield f
    f.close()


@pytest.fixture
def impatient(srv, clock):
    """A fetcher with a short timeout (TIMEOUT) and budget (BUDGET), for the tests about time."""
    f = Fetcher(settings(srv.base_url, timeout=TIMEOUT), sleep=clock.sleep, clock=clock)
    yield f
    f.close()


def fails(fetcher: Fetcher, url: str, pattern: str, **kw: str) -> FetchError:
    """The call fails with a FetchError of `url` whose sanitised cause matches `pattern`."""
    with pytest.raises(FetchError) as info:
        fetcher.get(url, **kw)
    err = info.value
    assert err.url == url
    assert re.search(pattern, err.cause), err.cause
    assert not UNSAFE.search(str(err)), f"unsanitised message: {str(err)!r}"
    assert "unexpected" not in str(err)
    return err


def timed_out_within_budget(srv: HostileServer, fetcher: Fetcher, clock: FakeClock, path: str) -> None:
    start = time.monotonic()
    fails(fetcher, srv.url(path), r"timed out")
    elapsed = time.monotonic() - start
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s, budget {BUDGET} s"
    assert srv.hits(path) == 1 and clock.slept == [], "a timeout is neither retried nor waited after"
    # the site is now "not answering": the next request of the command fails at once,
    # without a request or a wait
    fails(fetcher, srv.url("/other"), r"skipped: the site did not answer")
    assert srv.hits("/other") == 0 and clock.slept == []


# ------------------------------------------------------------------ time
# One piece every 0.05 s never trips a 0.2 s per-read timeout: only a deadline ends these.
# Each trickle lasts longer than WALL_BOUND (6 to 15 s).
def test_trickled_status_line(srv, impatient, clock):
    srv.script("/p", trickle(b"HTTP/1.1 200 OK" + b" " * 200, every=0.05))
    timed_out_within_budget(srv, impatient, clock, "/p")


def test_trickled_headers(srv, impatient, clock):
    srv.script("/p", trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 200, every=0.05))
    timed_out_within_budget(srv, impatient, clock, "/p")


def test_trickled_chunk_size_line(srv, impatient, clock):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    srv.script("/p", then_trickle(head, b"0", every=0.05))
    timed_out_within_budget(srv, impatient, clock, "/p")


def test_gzip_header_that_never_ends(srv, impatient, clock):
    # FNAME set: the header lasts until a NUL that never comes; nothing ever inflates.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
    srv.script("/p", then_trickle(head + b"\x1f\x8b\x08\x08\0\0\0\0\0\xff", b"a" * 64, every=0.02))
    timed_out_within_budget(srv, impatient, clock, "/p")


def test_deflate_stream_of_empty_blocks(srv, impatient, clock):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n\r\n\x78\x9c"
    srv.script("/p", then_trickle(head, b"\x00\x00\x00\xff\xff" * 50, every=0.02))
    timed_out_within_budget(srv, impatient, clock, "/p")


def test_a_slow_header_server_keeps_the_cli_within_its_bound(srv, dirs, monkeypatch):
    """The real `list` against a server trickling its headers (for 11 s): one Error line,
    ended by the documented bound (3 x timeout), and no second page tried."""
    srv.script("/Actualites", trickle(b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 200, every=0.05))
    monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
    monkeypatch.setenv("LILLENEWS_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("LILLENEWS_MAX_RETRY_WAIT", "0")
    start = time.monotonic()
    result = run_in_process("list")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "timed out" in result.stderr, result.stderr
    assert elapsed < WALL_BOUND, f"took {elapsed:.1f} s"
    pages = [path for path, _ in srv.requests if path != "/robots.txt"]
    assert pages == ["/Actualites"], "a second page or a retry was tried"


# ------------------------------------------------------------------ memory
def test_a_gzip_bomb_is_refused_without_inflating_it(srv, fetcher):
    srv.script("/p", answer(200, gzip_bomb(64 << 20), {**HTML, "Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        fails(fetcher, srv.url("/p"), r"larger than 5 MB")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"peak {peak / 2**20:.0f} MB while refusing a 64 MB bomb"


def test_stacked_encodings_are_refused(srv, fetcher):
    srv.script("/p", answer(200, gzip_bytes(gzip_bytes(PAGE)), {**HTML, "Content-Encoding": "gzip, gzip"}))
    fails(fetcher, srv.url("/p"), r"compressed the page more than once")
    assert srv.hits("/p") == 1


def test_gzip_and_deflate_pages_still_read(srv, fetcher):
    import zlib

    srv.script("/g", answer(200, gzip_bytes(PAGE), {**HTML, "Content-Encoding": "gzip"}))
    srv.script("/z", answer(200, zlib.compress(PAGE), {**HTML, "Content-Encoding": "deflate"}))
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    srv.script("/r", answer(200, raw.compress(PAGE) + raw.flush(), {**HTML, "Content-Encoding": "deflate"}))
    for path in ("/g", "/z", "/r"):
        assert "Bonjour Lille" in fetcher.get(srv.url(path)).text
    assert srv.requests[0][1]["accept-encoding"] == "gzip, deflate"


def test_an_encoding_we_did_not_ask_for_is_refused(srv, fetcher):
    srv.script("/p", answer(200, PAGE, {**HTML, "Content-Encoding": "br\x1b[2J"}))
    fails(fetcher, srv.url("/p"), r"encoding we did not ask for \(br\)")


def test_memory_error_is_a_fetch_error_of_the_url(srv, fetcher, monkeypatch):
    srv.script("/p", answer(200, PAGE, HTML))

    def boom(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(fetch_module, "decode_html", boom)
    fails(fetcher, srv.url("/p"), r"not enough memory")


def test_any_exception_inside_a_fetch_is_a_fetch_error_of_the_url(srv, fetcher, monkeypatch):
    srv.script("/p", answer(200, PAGE, HTML))

    def boom(*args, **kwargs):
        raise RuntimeError("oops\x1b[2J")

    monkeypatch.setattr(fetch_module, "decode_html", boom)
    fails(fetcher, srv.url("/p"), r"RuntimeError: oops\)")


# ------------------------------------------------------------------ charsets
@pytest.mark.parametrize(
    "name",
    [
        "punycode",
        "idna",
        "rot13",
        "uu_codec",
        "zlib",
        "base64",
        "hex",
        "bz2",
        "quopri",
        "raw_unicode_escape",
        "unicode_escape",
        "utf-7",
        "undefined",
        "x\x1b[31m",
        "",
    ],
)
def test_non_text_codecs_are_not_charsets(name):
    assert text_codec(name) is None


@pytest.mark.parametrize("name", ["utf-8", "UTF-8", "cp1252", "iso-8859-15", "koi8-r", "utf-16", "shift_jis"])
def test_text_encodings_are_charsets(name):
    assert text_codec(name) is not None


def test_a_punycode_charset_is_ignored_and_fast(srv, fetcher):
    body = b"<html><body>" + "<p>éléphant à Lille</p>".encode() * 20000 + b"</body></html>"  # ~500 KB
    srv.script("/p", answer(200, body, {"Content-Type": "text/html; charset=punycode"}))
    start = time.process_time()  # CPU seconds (decoding punycode is quadratic)
    text = fetcher.get(srv.url("/p")).text
    assert time.process_time() - start < 2
    assert "éléphant à Lille" in text


def test_an_escape_in_the_charset_never_reaches_the_message(srv, fetcher):
    srv.script("/p", answer(200, b"<html>\xff\xfe</html>", {"Content-Type": b"text/html; charset=\x1bc\x9b31m"}))
    fails(fetcher, srv.url("/p"), r"not valid utf-8")


# ------------------------------------------------------------------ headers
def patient(srv: HostileServer, clock: FakeClock) -> Fetcher:
    """A budget (3 x PATIENT) with room for both backoff waits (fake ones)."""
    return Fetcher(settings(srv.base_url), sleep=clock.sleep, clock=clock)


def test_retry_after_superscript_two_is_not_a_number(srv, clock):
    srv.script("/p", answer(503, b"busy", {"Retry-After": "\u00b2".encode("latin-1")}))
    fails(patient(srv, clock), srv.url("/p"), r"answered 503")
    assert srv.hits("/p") == 3
    assert clock.slept == [0.5, 1.0], "the backoff, since the Retry-After means nothing"


def test_an_absurd_retry_after_date(srv, clock):
    srv.script("/p", answer(503, b"busy", {"Retry-After": "Mon, 01 Jan 99999999999 00:00:00 GMT"}))
    fails(patient(srv, clock), srv.url("/p"), r"answered 503")
    assert clock.slept == [0.5, 1.0]


def test_non_ascii_validators_are_never_kept(srv, fetcher):
    srv.script("/p", answer(200, PAGE, {**HTML, "ETag": b'"\xe9t\xe9"', "Last-Modified": b"Mon,\x1b[2J 08 Feb"}))
    page = fetcher.get(srv.url("/p"))
    assert page.etag is None and page.last_modified is None


def test_a_non_ascii_stored_validator_is_not_sent(srv, fetcher):
    srv.script("/p", answer(200, PAGE, HTML))
    page = fetcher.get(srv.url("/p"), etag='"été"', last_modified="Mon, 08 Feb 2021 09:00:00 GMT\x1b")
    assert page.status == 200
    headers = srv.requests[-1][1]
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_ascii_validators_are_kept_and_sent(srv, fetcher):
    srv.script("/p", answer(200, PAGE, {**HTML, "ETag": '"abc"', "Last-Modified": "Mon, 08 Feb 2021 09:00:00 GMT"}))
    page = fetcher.get(srv.url("/p"))
    assert (page.etag, page.last_modified) == ('"abc"', "Mon, 08 Feb 2021 09:00:00 GMT")
    srv.script("/p", answer(304, b"", {"ETag": '"abc"'}, length=False))
    assert fetcher.get(srv.url("/p"), etag=page.etag).status == 304
    assert srv.requests[-1][1]["if-none-match"] == '"abc"'


def test_escapes_in_content_type_never_reach_the_message(srv, fetcher):
    srv.script("/p", answer(200, PAGE, {"Content-Type": b"text/plain\x1b]52;c;SGVsbG8=\x07\x1b[?1049h\x9b1m"}))
    err = fails(fetcher, srv.url("/p"), r"not an HTML page")
    assert "\x1b" not in err.cause and "\x9b" not in err.cause and "\x07" not in err.cause


def test_escapes_in_location_never_reach_the_message(srv, fetcher):
    srv.script("/p", answer(302, b"", {"Location": b"gopher://x/\x1bc\x1b[?1000h"}))
    fails(fetcher, srv.url("/p"), r"redirected to an invalid address")
    srv.script("/q", answer(302, b"", {"Location": b"http://evil.example/\x1b[2J\xc2\x9b"}))
    fails(fetcher, srv.url("/q"), r"redirected to an invalid address")
    srv.script("/r", answer(302, b"", {"Location": b"http://evil.example/\xe2\x80\xae\x9b2J"}))
    fails(fetcher, srv.url("/r"), r"redirected to another site \(http://evil.example/")
    srv.script("/s", answer(302, b"", {"Location": b"gopher://x/\x9b2J\x85"}))
    fails(fetcher, srv.url("/s"), r"redirected to an address that is not http or https \(gopher://x/")


# ------------------------------------------------------------------ other hosts
def test_a_listing_redirected_to_another_host_is_refused(srv, fetcher):
    """localhost is not 127.0.0.1: another site, never fetched."""
    srv.script("/Actualites", answer(301, b"", {"Location": f"http://localhost:{srv.port}/Actualites"}))
    fails(fetcher, srv.url("/Actualites"), r"redirected to another site \(http://localhost:")
    assert srv.hits("/Actualites") == 1


def test_an_article_redirected_to_another_port_is_refused(srv, fetcher):
    with HostileServer() as other:
        other.script("/a", answer(200, PAGE, HTML))
        srv.script("/Actualites/a", answer(302, b"", {"Location": other.url("/a")}))
        fails(fetcher, srv.url("/Actualites/a"), r"redirected to another site")
        assert other.hits("/a") == 0


def test_a_redirect_within_the_site_is_followed(srv, fetcher):
    srv.script("/old", answer(301, b"", {"Location": "/new"}))
    srv.script("/new", answer(200, PAGE, HTML))
    page = fetcher.get(srv.url("/old"))
    assert page.url == srv.url("/new") and "Bonjour" in page.text


def test_a_70_letter_host_label_in_a_redirect(srv, fetcher):
    srv.script("/p", answer(302, b"", {"Location": "http://" + "a" * 70 + ".example/x"}))
    fails(fetcher, srv.url("/p"), r"another site")


def test_a_70_letter_host_label_in_a_link(srv, clock):
    url = "http://" + "a" * 70 + ".example/x"
    fetcher = Fetcher(settings(srv.base_url), sleep=clock.sleep, clock=clock, site=url)  # as if it were the site
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    assert info.value.url == url and "unexpected" not in str(info.value)
    assert "UnicodeError" in info.value.cause


def test_a_link_to_another_site_is_never_fetched(srv, fetcher):
    with HostileServer() as other:
        other.script("/a", answer(200, PAGE, HTML))
        for url in (other.url("/a"), f"http://localhost:{srv.port}/a", "http://" + "a" * 70 + ".example/x"):
            fails(fetcher, url, r"not on the configured site")
        assert other.hits("/a") == 0 and srv.requests == []


def test_the_site_comes_from_the_settings_or_the_keyword(srv):
    assert Fetcher(settings(srv.base_url)).site == srv.base_url
    assert Fetcher(settings(srv.base_url), site="https://www.lille.fr").site == "https://www.lille.fr"


@pytest.mark.parametrize(
    ("url", "base", "same"),
    [
        ("https://www.lille.fr/Actualites", "https://www.lille.fr", True),
        ("http://www.lille.fr/Actualites", "https://www.lille.fr", True),  # http link to the https site
        ("https://www.lille.fr/x", "http://www.lille.fr", True),  # upgrade of the same host
        ("https://WWW.Lille.FR:443/x", "https://www.lille.fr", True),
        ("http://127.0.0.1:8000/x", "http://127.0.0.1:8000", True),
        ("http://localhost:8000/x", "http://127.0.0.1:8000", False),
        ("http://127.0.0.1:8001/x", "http://127.0.0.1:8000", False),
        ("https://www.lille.fr:8443/x", "https://www.lille.fr", False),
        ("https://lille.fr/x", "https://www.lille.fr", False),
        ("https://www.lille.fr.evil.example/x", "https://www.lille.fr", False),
        ("https://evil.example/?https://www.lille.fr", "https://www.lille.fr", False),
        ("https://www.lille.fr@evil.example/x", "https://www.lille.fr", False),
        ("ftp://www.lille.fr/x", "https://www.lille.fr", False),
        ("http://127.0.0.1:99999/x", "http://127.0.0.1:8000", False),
        ("/relative", "https://www.lille.fr", False),
    ],
)
def test_same_site(url, base, same):
    assert same_site(url, base) is same


# ------------------------------------------------------------------ 304
def test_a_304_to_an_unconditional_request_is_an_error(srv, fetcher):
    srv.script("/p", answer(304, b"", {}, length=False))
    err = fails(fetcher, srv.url("/p"), r"answered 304 to a request that was not conditional")
    assert err.status == 304


def test_a_304_to_a_conditional_request_is_accepted(srv, fetcher):
    srv.script("/p", answer(304, b"", {}, length=False))
    assert fetcher.get(srv.url("/p"), last_modified="Mon, 08 Feb 2021 09:00:00 GMT").status == 304


def test_every_cause_is_sanitised_like_site_text():
    assert clean("a\x1b[31mb\x07c\u202ed\x9b") == "abcd"


@pytest.mark.parametrize("location", ["javascript:alert(1)", "mailto:maire@lille.fr", "data:text/html,<b>x</b>"])
def test_a_redirect_to_an_address_without_a_host_is_refused_as_not_http(srv, fetcher, location):
    """httpx cannot even build such a redirect's request: the line is the one of any non-http(s) redirect."""
    srv.script("/p", answer(302, b"", {"Location": location}))
    err = fails(fetcher, srv.url("/p"), r"redirected to an address that is not http or https \(" + re.escape(location))
    assert "InvalidURL" not in err.cause and "request failed" not in err.cause


def test_a_listing_redirected_to_javascript_is_one_clear_line(srv, dirs, monkeypatch):
    srv.script("/Actualites", answer(302, b"", {"Location": "javascript:alert(1)"}))
    monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
    result = run_in_process("list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: could not fetch {srv.url('/Actualites')}: redirected to an address that is not http or https "
        "(javascript:alert(1))\n"
    )
