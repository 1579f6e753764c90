"""A small, reusable local HTTP server for the lillenews tests.

    from server import FixtureServer, lille_site, ARTICLE_PATHS

    with FixtureServer() as srv:
        lille_site(srv)
        url = srv.base_url + "/Actualites"
        ...
        srv.route("/Actualites", "<html>…</html>")          # replace a page
        srv.handler("/slow", lambda h: time.sleep(30))      # custom misbehaviour
        assert srv.hits("/Actualites") == 1

Routes are matched exactly on the request path without its query string, both
raw and percent-decoded (so "/Actualites/(offset)/10" also answers
"/Actualites/%28offset%29/10").  Every route gets an ETag (hash of its body) and
a fixed Last-Modified unless told otherwise, and honours If-None-Match /
If-Modified-Since with 304.  Unknown paths get a 404 HTML page.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import importlib.util
import pathlib
import selectors
import socket
import struct
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"

# Import the generator (tests/fixtures has no __init__.py) for its constants.
_spec = importlib.util.spec_from_file_location("lillenews_make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)  # type: ignore[union-attr]

SEED_HEADLINES: list[str] = list(make_fixtures.SEED_HEADLINES)
LISTING_PATHS: list[str] = list(make_fixtures.LISTING_PATHS)
ARTICLE_PATHS: dict[str, str] = dict(make_fixtures.ARTICLE_PATHS)
GENERIC_LISTING_PATHS: list[str] = list(make_fixtures.GENERIC_LISTING_PATHS)
LAYOUT_CHANGED_PATH: str = make_fixtures.LAYOUT_CHANGED_PATH
IMAGE_PATHS: list[str] = list(make_fixtures.IMAGE_PATHS)
CHROME_LINK_TITLES: list[str] = list(make_fixtures.CHROME_LINK_TITLES)
CHROME_MARKERS: list[str] = list(make_fixtures.CHROME_MARKERS)
SUBSECTIONS: list[str] = list(make_fixtures.SUBSECTIONS)
#: (served path, fixture file name, Content-Type)
PAGES: list[tuple[str, str, str]] = list(make_fixtures.PAGES)

DEFAULT_LAST_MODIFIED = "Mon, 08 Feb 2021 09:00:00 GMT"


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\xd4\x1e\x2a\xff")  # one RGBA pixel (Lille red)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


TINY_PNG: bytes = _png_1x1()

NOT_FOUND_BODY = (
    '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
    "<title>Page introuvable - Ville de Lille</title></head><body>"
    "<h1>Page introuvable</h1><p>La page demandée n'existe pas.</p></body></html>\n"
).encode()


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # raw request target, query string included
    headers: dict[str, str]  # lower-case keys
    route_path: str = ""  # percent-decoded path without query (what routes match)
    query: str = ""
    at: float = 0.0  # when the server took the request (its own monotonic clock, seconds)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    fn: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None


def _norm(path: str) -> str:
    return urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])


def _etag_matches(header: str, etag: str) -> bool:
    def bare(x: str) -> str:
        x = x.strip()
        return x[2:] if x.startswith("W/") else x

    tags = [bare(x) for x in header.split(",")]
    return "*" in tags or bare(etag) in tags


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "FixtureServer/1.0"
    sys_version = ""
    fixture_server: FixtureServer  # set on the per-server subclass
    # A handler route's connection is closed once the handler returns (see _serve).
    _closes_after = False
    _said_connection = False

    def send_header(self, keyword, value):
        if keyword.lower() == "connection":
            self._said_connection = True
        super().send_header(keyword, value)

    def end_headers(self):
        # Said in the answer, as a server that closes must: a client that is not told sends
        # its next request down the closing connection, and loses that race now and then.
        if self._closes_after and not self._said_connection:
            self.send_header("Connection", "close")
        super().end_headers()

    def setup(self):
        super().setup()
        self.fixture_server._track(self.connection, add=True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.fixture_server._track(self.connection, add=False)

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def do_POST(self):
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        fs = self.fixture_server
        self._closes_after = self._said_connection = False
        raw = self.path
        split = urllib.parse.urlsplit(raw)
        route_path = urllib.parse.unquote(split.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        fs._log(Request(self.command, raw, headers, route_path, split.query, time.monotonic()))
        route = fs._lookup(split.path)
        try:
            if route is None:
                self._send(404, NOT_FOUND_BODY, {"Content-Type": "text/html; charset=utf-8"}, head)
                return
            if route.delay and fs._stopping.wait(route.delay):
                self.close_connection = True
                return
            if route.fn is not None:
                self._closes_after = True
                route.fn(self)
                self.close_connection = True
                return
            headers: dict[str, str] = {}
            if route.content_type:
                headers["Content-Type"] = route.content_type
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            headers.update(route.headers)
            if route.status == 200 and self._not_modified(route):
                hdrs = {k: v for k, v in headers.items() if k.lower() in ("etag", "last-modified", "cache-control")}
                self._send(304, b"", hdrs, head=True)
                return
            self._send(route.status, route.body, headers, head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _not_modified(self, route: Route) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None and route.etag:
            return _etag_matches(inm, route.etag)
        ims = self.headers.get("If-Modified-Since")
        if inm is None and ims is not None and route.last_modified:
            return ims.strip() == route.last_modified
        return False

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() != "content-length":
                self.send_header(k, v)
        if status not in (204, 304) and not (100 <= status < 200):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status not in (204, 304) and body:
            self.wfile.write(body)
        self.wfile.flush()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def server_activate(self) -> None:
        super().server_activate()
        self._stop_requested = False
        self._wake_r, self._wake_w = socket.socketpair()

    def serve_until_stopped(self) -> None:
        """serve_forever() without its polling: the loop sleeps until a client connects
        or stop_serving() wakes it, so stopping a server takes no poll interval
        (once per test using the server) and an idle server costs no CPU."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stop_requested:
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stop_requested:
                        self._handle_request_noblock()

    def stop_serving(self) -> None:
        self._stop_requested = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def server_close(self) -> None:
        super().server_close()
        for end in (self._wake_r, self._wake_w):
            end.close()

    def handle_error(self, request, client_address):
        # A client dropping its connection (timeouts, Ctrl-C, keep-alive) is part of
        # the tests, not a server error: keep it out of the captured stderr.
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, BrokenPipeError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class FixtureServer:
    """http.server.ThreadingHTTPServer on 127.0.0.1, port 0, serving in a daemon thread.

    route(path, body, ...)  register a static answer (str bodies are UTF-8 encoded).
        etag=None -> automatic ETag from the body hash; etag="" or False -> no ETag.
        last_modified=None -> fixed DEFAULT_LAST_MODIFIED; "" or False -> none.
        content_type=None -> no Content-Type header.
    handler(path, fn)       fn(request_handler) answers by hand (use h.send_response,
        h.send_header, h.end_headers, h.wfile.write); the connection is closed afterwards.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._host, self._port = host, port
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._conns: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> FixtureServer:
        if self._httpd is not None:
            return self
        handler_cls = type("FixtureHandler", (_Handler,), {"fixture_server": self})
        self._stopping.clear()
        self._httpd = _Server((self._host, self._port), handler_cls)
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_until_stopped, name=f"FixtureServer:{port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.stop_serving()
        if self._thread is not None:  # the serve loop has ended: no new connection after this
            self._thread.join(timeout=1)
            self._thread = None
        with self._lock:
            conns = list(self._conns)
            self._conns.clear()
        for c in conns:  # close keep-alive and in-flight connections (wakes blocked clients)
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
        httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- routes ------------------------------------------------------------
    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict | None = None,
        content_type: str | None = "text/html; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
    ) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        if etag is None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if last_modified is None:
            last_modified = DEFAULT_LAST_MODIFIED
        self._add(
            path,
            Route(
                body=body,
                status=status,
                headers=dict(headers or {}),
                content_type=content_type,
                etag=etag or None,
                last_modified=last_modified or None,
                delay=delay,
            ),
        )

    def handler(self, path: str, fn: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        self._add(path, Route(fn=fn))

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(_norm(path), None)

    def _add(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[_norm(path)] = route

    def _lookup(self, raw_path: str) -> Route | None:
        with self._lock:
            r = self._routes.get(raw_path)
            if r is None:
                r = self._routes.get(urllib.parse.unquote(raw_path))
            return r

    # -- request log -------------------------------------------------------
    def _log(self, req: Request) -> None:
        with self._lock:
            self._requests.append(req)

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            (self._conns.add if add else self._conns.discard)(conn)

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def hits(self, path: str) -> int:
        target = _norm(path)
        with self._lock:
            return sum(1 for r in self._requests if r.route_path == target)


_FIXTURE_BYTES: dict[str, bytes] = {}


def fixture_bytes(name: str) -> bytes:
    """Raw bytes of a generated fixture (generated on demand if missing); read once
    per session, as every test using the site serves them all."""
    if name not in _FIXTURE_BYTES:
        p = FIXTURES / name
        if not p.exists():
            make_fixtures.main()
        _FIXTURE_BYTES[name] = p.read_bytes()
    return _FIXTURE_BYTES[name]


def lille_site(server: FixtureServer) -> None:
    """Register every fixture page at its path, and a tiny PNG for every image path."""
    for path, name, ctype in PAGES:
        server.route(path, fixture_bytes(name), content_type=ctype)
    for path in IMAGE_PATHS:
        server.route(path, TINY_PNG, content_type="image/png")
