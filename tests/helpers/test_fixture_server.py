"""Self-tests of the local fixture server (tests/server.py), stdlib client only."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest

try:
    from server import ARTICLE_PATHS, LISTING_PATHS, SEED_HEADLINES, TINY_PNG, FixtureServer, lille_site
except ImportError:  # tests/ turned into a package
    from server import ARTICLE_PATHS, LISTING_PATHS, SEED_HEADLINES, TINY_PNG, FixtureServer, lille_site

WALL_BOUND = 5.0  # seconds: the smallest wall-clock bound a test asserts (a loaded machine must not fail it)


@pytest.fixture()
def site():
    with FixtureServer() as srv:
        lille_site(srv)
        yield srv


def get(url: str, headers: dict | None = None, timeout: float = 5):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_constants():
    assert len(SEED_HEADLINES) == 95
    assert SEED_HEADLINES[0] == "Lieux culturels : Lille candidate pour une réouverture"
    assert SEED_HEADLINES[-1] == "Le LOSC n’est pas resté en rade"
    assert LISTING_PATHS[0] == "/Actualites" and LISTING_PATHS[1] == "/Actualites/(offset)/10"
    assert len(LISTING_PATHS) == 10


def test_listing_page1(site):
    status, headers, body = get(site.base_url + "/Actualites")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert body.decode("utf-8").count('class="actualite"') == 10


def test_offset_paths_raw_and_encoded(site):
    s1, _, b1 = get(site.base_url + "/Actualites/(offset)/90")
    s2, _, b2 = get(site.base_url + "/Actualites/%28offset%29/90")
    assert s1 == s2 == 200 and b1 == b2
    assert b1.decode().count('class="actualite"') == 5
    assert site.hits("/Actualites/(offset)/90") == 2


def test_conditional_requests(site):
    url = site.base_url + ARTICLE_PATHS["securite"]
    status, headers, _ = get(url)
    assert status == 200
    etag, lm = headers["ETag"], headers["Last-Modified"]
    assert get(url, {"If-None-Match": etag})[0] == 304
    assert get(url, {"If-None-Match": '"other"'})[0] == 200
    assert get(url, {"If-Modified-Since": lm})[0] == 304
    site.route("/fixed", "x", etag='"abc"', last_modified="Tue, 09 Feb 2021 10:00:00 GMT")
    assert get(site.base_url + "/fixed", {"If-None-Match": '"abc"'})[0] == 304


def test_unknown_path_404(site):
    status, headers, body = get(site.base_url + "/nope")
    assert status == 404
    assert b"introuvable" in body


def test_query_string_ignored_for_match_but_logged(site):
    status, _, _ = get(site.base_url + "/Actualites?utm_source=x")
    assert status == 200
    assert site.requests[-1].path == "/Actualites?utm_source=x"
    assert site.hits("/Actualites") == 1


def test_latin1_routes(site):
    status, headers, body = get(site.base_url + ARTICLE_PATHS["latin1"])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    assert "Économies d'énergie".encode("iso-8859-1") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, body2 = get(site.base_url + ARTICLE_PATHS["latin1_no_header"])
    assert headers["Content-Type"] == "text/html"
    assert body2 == body


def test_images(site):
    html = get(site.base_url + "/Actualites")[2].decode()
    import re

    src = re.search(r'<img src="(/var/www/[^"]+)"', html).group(1)
    status, headers, body = get(site.base_url + src)
    assert status == 200 and headers["Content-Type"] == "image/png" and body == TINY_PNG


def test_user_agent_logged(site):
    get(site.base_url + "/Actualites", {"User-Agent": "lillenews-test/1.0"})
    req = site.requests[-1]
    assert req.method == "GET"
    assert req.headers["user-agent"] == "lillenews-test/1.0"


def test_custom_handler_and_remove(site):
    def redirect(h):
        h.send_response(301)
        h.send_header("Location", "/Actualites")
        h.send_header("Content-Length", "0")
        h.end_headers()

    site.handler("/old", redirect)
    status, _, body = get(site.base_url + "/old")
    assert status == 200 and body.count(b'class="actualite"') == 10
    site.remove("/old")
    assert get(site.base_url + "/old")[0] == 404


def test_stop_is_prompt_while_handler_sleeps():
    srv = FixtureServer().start()
    woke: list[bool] = []
    srv.handler("/hang", lambda h: time.sleep(30) or woke.append(True))
    srv.route("/slow", "x", delay=30)
    results = []

    def client(path):
        try:
            get(srv.base_url + path, timeout=10)
            results.append("answered")
        except Exception as exc:  # noqa: BLE001
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=client, args=(p,), daemon=True) for p in ("/hang", "/slow")]
    for t in threads:
        t.start()
    deadline = time.monotonic() + WALL_BOUND
    while srv.hits("/hang") + srv.hits("/slow") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    srv.stop()
    assert time.monotonic() - t0 < WALL_BOUND  # the handlers hold their answers 30 s
    assert woke == [], "stop() waited for a sleeping handler"
    for t in threads:
        t.join(timeout=WALL_BOUND)
    assert len(results) == 2  # clients were released rather than left hanging


def test_the_hostile_server_stops_promptly_mid_trickle():
    """tests/hostile_server.py: a script trickling forever is released by the stop,
    and what a script sends arrives byte for byte (headers no library would send)."""
    import socket

    from hostile_server import HostileServer, answer, trickle

    with HostileServer() as srv:
        srv.script("/t", trickle(b"HTTP/1.1 200 OK" + b" " * 1000, every=0.05))  # 15 s (300 steps)
        srv.script("/raw", answer(200, b"body", {"X-Odd": b"\x1b[2J\xe9"}))
        with socket.create_connection(("127.0.0.1", srv.port), timeout=WALL_BOUND) as c:
            c.sendall(b"GET /raw HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while chunk := c.recv(4096):
                data += chunk
        assert b"X-Odd: \x1b[2J\xe9\r\n" in data and data.endswith(b"\r\n\r\nbody")
        conn = socket.create_connection(("127.0.0.1", srv.port), timeout=WALL_BOUND)
        conn.sendall(b"GET /t HTTP/1.1\r\nHost: x\r\n\r\n")
        assert conn.recv(1) == b"H"
        t0 = time.monotonic()
    assert time.monotonic() - t0 < WALL_BOUND
    conn.settimeout(WALL_BOUND)
    rest = b""
    while chunk := conn.recv(4096):
        rest += chunk
    conn.close()
    assert len(rest) < 100, "the trickle went on after the server stopped"
    assert srv.hits("/t") == 1 and srv.hits("/raw") == 1
