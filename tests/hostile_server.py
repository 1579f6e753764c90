"""A hostile HTTP server on 127.0.0.1 for the adversarial tests: each path is a
script that writes raw bytes to the socket (no http.server in the way), so a test
can trickle a status line, send headers no library would, or a decompression bomb.

    with HostileServer() as srv:
        srv.script("/x", trickle(b"HTTP/1.1 200 OK\\r\\n", every=1.0))
        srv.script("/y", answer(200, b"<html>..</html>", headers={"ETag": "\\"\\xe9\\""}))
        Fetcher(settings(srv.base_url)).get(srv.url("/x"))

Every loop in a script is bounded (a count and the server's stop event), so a test
that fails never leaves a thread writing forever.

Run by hand (for timing the real CLI): `python tests/hostile_server.py slow-headers`
prints the base URL and serves until interrupted.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from collections.abc import Callable

Script = Callable[[socket.socket, threading.Event], None]
MAX_STEPS = 300  # no script writes more than this many trickled pieces


def _head(status: int, headers: dict[str, str] | list[tuple[str, str]] | None, raw: bytes = b"") -> bytes:
    items = headers.items() if isinstance(headers, dict) else (headers or [])
    lines = [f"HTTP/1.1 {status} X".encode()]
    lines += [k.encode("latin-1") + b": " + (v if isinstance(v, bytes) else v.encode("latin-1")) for k, v in items]
    return b"\r\n".join(lines) + b"\r\n" + raw + b"Connection: close\r\n\r\n"


def answer(
    status: int = 200,
    body: bytes = b"",
    headers: dict | list | None = None,
    raw_headers: bytes = b"",
    length: bool = True,
) -> Script:
    """One complete answer; header values may be bytes (sent as they are)."""
    hdrs = list((headers or {}).items()) if isinstance(headers, dict) else list(headers or [])
    if length:
        hdrs.append(("Content-Length", str(len(body))))

    def run(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_head(status, hdrs, raw_headers) + body)

    return run


def trickle(prefix: bytes, piece: bytes = b"", every: float = 1.0, steps: int = MAX_STEPS) -> Script:
    """Send `prefix` one byte every `every` s, then `piece` forever (bounded)."""

    def run(conn: socket.socket, stop: threading.Event) -> None:
        for i in range(min(steps, MAX_STEPS)):
            data = prefix[i : i + 1] if i < len(prefix) else piece
            if not data or stop.wait(every):
                return
            conn.sendall(data)

    return run


def then_trickle(head: bytes, piece: bytes, every: float = 0.05, steps: int = MAX_STEPS) -> Script:
    """Send `head` at once, then `piece` every `every` s (bounded)."""

    def run(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        for _ in range(min(steps, MAX_STEPS)):
            if stop.wait(every):
                return
            conn.sendall(piece)

    return run


def gzip_bytes(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped (about 1/1000 of the size on the wire)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    out = [c.compress(block) for _ in range(size >> 20)]
    return b"".join(out) + c.flush()


class HostileServer:
    def __init__(self) -> None:
        self._scripts: dict[str, Script] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self._sock.settimeout(0.05)  # here, not in the thread: a server stopped at once has a closed socket
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, lower-case headers)
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True, name=f"HostileServer:{self.port}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def script(self, path: str, script: Script) -> None:
        with self._lock:
            self._scripts[path] = script

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once (Linux)
        self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=2)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            path = head[0].split(" ")[1] if len(head[0].split(" ")) > 1 else "/"
            headers = dict((k.strip().lower(), v.strip()) for k, _, v in (h.partition(":") for h in head[1:]))
            with self._lock:
                self.requests.append((path, headers))
                script = self._scripts.get(path.split("?", 1)[0])
            if script is None:
                script = answer(404, b"<html><body>not here</body></html>", {"Content-Type": "text/html"})
            script(conn, self._stop)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()


def _main() -> None:  # pragma: no cover - a hand tool for timing the real CLI
    import sys

    kind = sys.argv[1] if len(sys.argv) > 1 else "slow-headers"
    scripts = {
        "slow-headers": trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 400),
        "slow-status": trickle(b"HTTP/1.1 200 OK " + b"a" * 400),
    }
    if kind == "gzip-gzip":  # 1 GiB of zeros, gzipped twice: a few KB on the wire
        bomb = gzip_bytes(gzip_bomb(1 << 30))
        scripts[kind] = answer(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"})
    elif kind == "gzip":  # 1 GiB of zeros, gzipped once: about 1 MB on the wire
        scripts[kind] = answer(200, gzip_bomb(1 << 30), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    srv = HostileServer()
    srv.__enter__()
    for path in ("/Actualites", "/Actualites/(offset)/10", "/Actualites/(offset)/20"):
        srv.script(path, scripts[kind])
    print(srv.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.__exit__()


if __name__ == "__main__":
    _main()
