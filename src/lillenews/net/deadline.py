"""A deadline over every byte of a request. httpx timeouts are per socket
operation: a server sending one byte a second never trips them (status line,
headers, chunk-size lines, a compressed body that never inflates). Here every
socket operation is given at most the time left before the calling thread's
deadline, so connect, status line, headers and body all end by it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# Kept per thread: sync fetches from several threads at once.
_deadline = threading.local()


def _clamp(timeout: float | None) -> float | None:
    end: float | None = getattr(_deadline, "end", None)
    if end is None:
        return timeout
    left = max(0.001, end - time.monotonic())
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(super().connect_tcp(host, port, _clamp(timeout), local_address, socket_options))


def set_deadline(seconds: float | None) -> None:
    """From now on, this thread's socket operations end within `seconds` (None: no deadline)."""
    _deadline.end = None if seconds is None else time.monotonic() + seconds


def bind_deadline(client: httpx.Client) -> None:
    """Make every connection of `client` honour the calling thread's deadline."""
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001 - no public hook in httpx
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = _DeadlineBackend()
