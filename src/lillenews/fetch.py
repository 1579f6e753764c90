"""HTTP: one polite httpx client. Timeouts, bounded redirects and retries,
Retry-After, a size cap, conditional requests, charset-correct decoding.

Every failure becomes a FetchError whose cause a person can read."""

from __future__ import annotations

import codecs
import email.utils
import math
import re
import socket
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from . import USER_AGENT
from .config import Settings
from .errors import FetchError

MAX_REDIRECTS = 5
MAX_RETRIES = 2  # after the first attempt: 3 attempts at most
MAX_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = (429, 503)
BACKOFF = (0.5, 1.0)  # seconds before retry 1 and 2 when the server gives no Retry-After
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")


@dataclass(frozen=True)
class Page:
    url: str  # final URL, after redirects
    status: int  # 200, or 304 when the cached copy is still good
    text: str = ""
    etag: str | None = None
    last_modified: str | None = None


def describe_status(code: int) -> str:
    try:
        phrase = httpx.codes.get_reason_phrase(code)
    except Exception:  # pragma: no cover - defensive
        phrase = ""
    return f"the server answered {code}" + (f" {phrase}" if phrase else "")


class Fetcher:
    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, workers: int | None = None):
        """`workers`: how many requests may run at once besides the listing page
        (sync passes its own count; default: the `workers` setting)."""
        self.timeout = settings.timeout
        self._clock = clock
        pool = (workers or settings.workers) + 1
        self.max_retry_wait = settings.max_retry_wait
        self._sleep = sleep
        self._down: str | None = None  # why the site last failed to answer at all
        self._client = httpx.Client(
            # No pool timeout: waiting for a free connection is how concurrency is
            # bounded (sync); each holder is bounded by its own timeouts.
            timeout=httpx.Timeout(settings.timeout, pool=None),
            follow_redirects=False,  # followed by hand: scheme check and loop detection
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Language": "fr-FR,fr;q=0.9",
            },
            # sync: `workers` article requests plus the listing page being read.
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
        )

    def close(self) -> None:
        self._client.close()

    @property
    def budget(self) -> float:
        """The most one get() may take, retries and waits included (documented)."""
        return 3 * self.timeout + MAX_RETRIES * self.max_retry_wait

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """GET an HTML page; conditional when etag/last_modified are given.

        Bounded: at most MAX_RETRIES retries (connection errors, 429, 503), waits
        honour Retry-After up to max_retry_wait, and the whole call ends within
        `budget` seconds. Once the site has failed to answer at all (refused,
        unresolvable, timed out), later calls fail at once instead of waiting again."""
        _check_scheme(url, url)
        if self._down is not None:
            raise FetchError(url, f"skipped: the site did not answer a moment ago ({self._down})")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self._clock() + self.budget
        for attempt in range(MAX_RETRIES + 1):
            retry_in = self._backoff(attempt)
            try:
                return self._get_once(url, headers, deadline)
            except _Retryable as exc:
                last_try = attempt == MAX_RETRIES
                if exc.retry_after is not None:
                    if exc.retry_after > self.max_retry_wait:
                        raise FetchError(
                            url, f"{exc.cause} and asked to wait {math.ceil(exc.retry_after)} s; try again later"
                        ) from None
                    retry_in = exc.retry_after
                if last_try or self._clock() + retry_in >= deadline:
                    if exc.unreachable:
                        self._down = exc.cause
                    raise FetchError(url, exc.cause) from None
                self._sleep(retry_in)
            except _Unreachable as exc:
                self._down = exc.cause
                raise FetchError(url, exc.cause) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _backoff(attempt: int) -> float:
        return BACKOFF[min(attempt, len(BACKOFF) - 1)]

    def _get_once(self, url: str, headers: dict[str, str], deadline: float) -> Page:
        seen = [url]
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise _Unreachable(f"timed out after {self.budget:g} s in all")
            try:
                timeout = httpx.Timeout(min(self.timeout, remaining), pool=None)
                with self._client.stream("GET", current, headers=headers, timeout=timeout) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                        location = resp.headers.get("location", "")
                        target = urljoin(current, location.strip())
                        _check_scheme(url, target, redirected=True)
                        if target in seen:
                            raise FetchError(url, f"redirect loop ({_short(current)} -> {_short(target)})")
                        seen.append(target)
                        current = target
                        continue
                    return self._read(url, resp, deadline)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout):
                    raise _Retryable(f"could not connect within {self.timeout:g} s", unreachable=True) from None
                raise _Unreachable(f"timed out after {self.timeout:g} s") from None
            except httpx.ConnectError as exc:
                raise _Retryable(_connect_cause(exc, current), unreachable=True) from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise FetchError(url, f"the connection broke before the page was complete ({_first_line(exc)})") from None
            except httpx.DecodingError:
                raise FetchError(url, "the server sent a body that could not be decompressed") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, _first_line(exc) or type(exc).__name__) from None
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _read(self, url: str, resp: httpx.Response, deadline: float) -> Page:
        status = resp.status_code
        if status == 304:
            return Page(url=str(resp.url), status=304, etag=resp.headers.get("etag"),
                        last_modified=resp.headers.get("last-modified"))
        if status in RETRY_STATUSES:
            raise _Retryable(describe_status(status), _retry_after(resp.headers.get("retry-after")))
        if status >= 400 or status < 200 or status == 204:
            raise FetchError(url, describe_status(status), status=status)
        content_type = resp.headers.get("content-type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            raise FetchError(url, f"the server sent {mime}, not an HTML page")
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BYTES:
            raise FetchError(url, f"the page is larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(url, f"the page is larger than {MAX_BYTES // (1024 * 1024)} MB")
            if self._clock() > deadline:
                raise _Unreachable(f"timed out after {self.budget:g} s while reading the page")
            chunks.append(chunk)
        body = b"".join(chunks)
        if not body.strip():
            raise FetchError(url, "the server sent an empty page")
        if not mime and not _looks_like_html(body):
            raise FetchError(url, "the server sent something that is not an HTML page")
        text = decode_html(body, content_type, url)
        return Page(url=str(resp.url), status=200, text=text, etag=resp.headers.get("etag"),
                    last_modified=resp.headers.get("last-modified"))


class _Retryable(Exception):
    def __init__(self, cause: str, retry_after: float | None = None, unreachable: bool = False):
        super().__init__(cause)
        self.cause = cause
        self.retry_after = retry_after
        self.unreachable = unreachable  # no HTTP answer at all (vs. a 429/503)


class _Unreachable(Exception):
    """The site did not answer in time: not retried, and later requests are skipped."""

    def __init__(self, cause: str):
        super().__init__(cause)
        self.cause = cause


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _check_scheme(original: str, url: str, redirected: bool = False) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        if redirected:
            raise FetchError(original, f"redirected to an address that is not http or https ({_short(url)})")
        raise FetchError(original, "only http and https addresses can be fetched")


def _connect_cause(exc: httpx.ConnectError, url: str) -> str:
    host = urlsplit(url).hostname or url
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"the name {host} could not be resolved (are you online?)"
        if isinstance(cause, ConnectionRefusedError):
            return f"the connection to {host} was refused"
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return f"the name {host} could not be resolved (are you online?)"
    if "refused" in text:
        return f"the connection to {host} was refused"
    return f"could not connect to {host} ({_first_line(exc)})"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<div", b"<"))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii",
                  "iso_8859-1", "cp1252", "windows-1252", "x-cp1252"}


def decode_html(body: bytes, content_type: str = "", url: str = "") -> str:
    """Decode with the charset the server declares, else the page's <meta>, else
    a BOM, else UTF-8. ISO-8859-1 is read as windows-1252, as browsers do."""
    charset = None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    if m:
        charset = m[1]
    if body.startswith(codecs.BOM_UTF8):
        charset, body = "utf-8", body[3:]
    if not charset:
        m2 = _META_CHARSET.search(body[:4096])
        if m2:
            charset = m2[1].decode("ascii", "replace")
    charset = (charset or "utf-8").strip().lower()
    if charset in _LATIN1_LABELS:
        return body.decode("cp1252", errors="latin1fallback")
    try:
        info = codecs.lookup(charset)
        # hex, base64, rot13, zlib...: codecs, but not text encodings.
        codec = info.name if getattr(info, "_is_text_encoding", True) else "utf-8"
    except (LookupError, ValueError):
        codec = "utf-8"
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise FetchError(url, f"the page is not valid {charset} text (bad bytes at offset {exc.start})") from None
    except (UnicodeError, LookupError, ValueError) as exc:
        raise FetchError(url, f"the page cannot be decoded as {charset} ({exc})") from None


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # windows-1252 leaves five bytes undefined: take them as Latin-1 (C1 controls,
    # removed later by the sanitiser) instead of failing.
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1fallback", _latin1_fallback)
