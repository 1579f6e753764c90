"""HTTP: one polite httpx client. robots.txt and its Crawl-delay (robots.py, pacing.py),
timeouts, one deadline per call covering every byte (status line, headers, body,
decompression), redirects within the site, bounded retries, Retry-After, a size cap,
conditional requests. Every failure of one fetch becomes a FetchError of that URL whose
cause a person can read, sanitised like site text (servers choose what goes into headers),
chained (`raise ... from exc`) to the exception behind it, which `--debug` prints."""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from lillenews import USER_AGENT
from lillenews.base.config import Settings
from lillenews.base.errors import FetchError, SiteDownError
from lillenews.base.i18n import Message
from lillenews.base.text import clean
from lillenews.base.urls import same_site
from lillenews.net.causes import connect_cause as _connect_cause
from lillenews.net.causes import describe_status
from lillenews.net.causes import first_line as _first_line
from lillenews.net.causes import short as _short
from lillenews.net.deadline import bind_deadline, set_deadline
from lillenews.net.decoding import MAX_BYTES, BodyDecoder, decode_html, too_large
from lillenews.net.pacing import Pacer
from lillenews.net.robots import RobotsGate, RobotsStore

__all__ = ["MAX_BYTES", "Fetcher", "Page", "decode_html", "describe_status"]

MAX_REDIRECTS = 5
MAX_RETRIES = 2  # after the first attempt: 3 attempts at most
RETRY_STATUSES = (429, 503)
BACKOFF = (0.5, 1.0)  # seconds before retry 1 and 2 when the server gives no Retry-After
MAX_HEADERS = 100  # kept on a Page (a server chooses how many it sends)
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")


@dataclass(frozen=True)
class Page:
    url: str  # final URL, after redirects
    status: int  # 200, or 304 when the cached copy is still good
    text: str = ""
    etag: str | None = None
    last_modified: str | None = None
    # The body as served (after content decoding) and the response headers (lower-case
    # names, values as sent: untrusted), for `doctor`, which reports and saves them.
    body: bytes = field(default=b"", repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)


def _cleaned(cause: str | Message) -> str | Message:
    """A cause safe to show: sanitised and bounded (the values of a Message, or the text)."""
    if isinstance(cause, Message):
        values = {k: clean(v)[:300] if isinstance(v, str) else v for k, v in cause.values.items()}
        return Message(cause.msgid, **values)  # i18n: marked where the cause was made
    return clean(cause)[:300]


# ---------------------------------------------------------------- the fetcher
class Fetcher:
    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        workers: int | None = None,
        site: str | None = None,
        now: Callable[[], float] = time.time,
        robots: RobotsStore | None = None,
        pacer: Pacer | None = None,
    ):
        """`workers`: how many requests may run at once besides the listing page
        (sync passes its own count; default: the `workers` setting). `site`: the
        base URL redirects must stay on (default: the `base_url` setting). `robots`, `pacer`: net/robots.py."""
        self.timeout = settings.timeout
        self.site = site or settings.base_url
        self._clock = clock
        pool = (workers or settings.workers) + 1
        self.max_retry_wait = settings.max_retry_wait
        self._sleep = sleep
        self._down: str | Message | None = None  # why the site last failed to answer at all
        self.pacer = pacer or Pacer(clock, None if sleep is time.sleep else sleep)
        self.robots = RobotsGate(self.site, self._fetch, lambda: self._down, robots, now, self.pacer)
        self._client = httpx.Client(
            # No pool timeout: waiting for a free connection is how concurrency is
            # bounded (sync); each holder is bounded by its own timeouts.
            timeout=httpx.Timeout(settings.timeout, pool=None),
            follow_redirects=False,  # followed by hand: site check and loop detection
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Language": "fr-FR,fr;q=0.9",
                "Accept-Encoding": "gzip, deflate",  # the ones BodyDecoder inflates, boundedly
            },
            # sync: `workers` article requests plus the listing page being read.
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
            event_hooks={"response": [_refuse_schemeless_redirect]},
        )
        bind_deadline(self._client)

    def close(self) -> None:
        self._client.close()

    @property
    def budget(self) -> float:
        """The most one get() may take, retries and waits included (documented)."""
        return 3 * self.timeout + MAX_RETRIES * self.max_retry_wait

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """GET an HTML page; conditional when etag/last_modified are given.

        Bounded: at most MAX_RETRIES retries (connection errors, 429, 503), waits
        honour Retry-After up to max_retry_wait, and the whole call, every byte
        included, ends within `budget` seconds. Once the site has failed to answer
        (refused, unresolvable, timed out), later calls fail at once instead of
        waiting again. Any failure is a FetchError of `url`. robots.txt rules (net/robots.py)."""
        self.robots.check(url)
        with self.pacer.turn(url):
            return self._fetch(url, validator(etag), validator(last_modified))

    def _fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        try:
            return self._get(url, etag, last_modified)
        except SiteDownError:
            raise  # its own kind (sync counts these apart); the reason was cleaned when the site failed
        except FetchError as exc:
            raise FetchError(url, _cleaned(exc.cause), status=exc.status) from exc
        except MemoryError as exc:
            raise FetchError(url, Message("not enough memory to read the page")) from exc
        except Exception as exc:  # a failure of one fetch is a fetch error of that URL, never `unexpected`
            detail = clean(_first_line(exc))[:150]
            raise FetchError(
                url, Message("the request failed ({kind}: {detail})", kind=type(exc).__name__, detail=detail)
            ) from exc

    def _get(self, url: str, etag: str | None, last_modified: str | None) -> Page:
        _check_scheme(url, url)
        if not same_site(url, self.site):  # the last guard of "never fetches arbitrary pages"
            raise FetchError(url, Message("not on the configured site ({site}); not fetched", site=_short(self.site)))
        if self._down is not None:
            raise SiteDownError(
                url, Message("skipped: the site did not answer a moment ago ({reason})", reason=self._down)
            )
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self._clock() + self.budget
        for attempt in range(MAX_RETRIES + 1):
            retry_in = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            try:
                return self._get_once(url, headers, deadline)
            except _Retryable as exc:
                if exc.retry_after is not None:
                    if exc.retry_after > self.max_retry_wait:
                        raise FetchError(
                            url,
                            Message(
                                "{cause} and asked to wait {seconds} s; try again later",
                                cause=exc.cause,
                                seconds=math.ceil(exc.retry_after),
                            ),
                            status=exc.status,
                        ) from exc
                    retry_in = exc.retry_after
                retry_in = max(retry_in, self.pacer.delay or 0.0)  # a retry is a request: paced too
                if attempt == MAX_RETRIES or self._clock() + retry_in >= deadline:
                    if exc.unreachable:
                        self._down = exc.cause
                    raise FetchError(url, exc.cause, status=exc.status) from exc
                self._sleep(retry_in)
            except _Unreachable as exc:
                self._down = exc.cause
                raise FetchError(url, exc.cause) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, url: str, headers: dict[str, str], deadline: float) -> Page:
        seen = [url]
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise _Unreachable(Message("timed out after {seconds} s in all", seconds=f"{self.budget:g}"))
            set_deadline(remaining)
            try:
                timeout = httpx.Timeout(min(self.timeout, remaining), pool=None)
                with self._client.stream("GET", current, headers=headers, timeout=timeout) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                        target = self._redirect_target(url, current, resp.headers.get("location", ""))
                        if target in seen:
                            raise FetchError(
                                url,
                                Message(
                                    "redirect loop ({source} -> {target})",
                                    source=_short(current),
                                    target=_short(target),
                                ),
                            )
                        seen.append(target)
                        current = target
                        continue
                    return self._read(url, resp, deadline, conditional=bool(headers))
            except httpx.TimeoutException as exc:
                if self._clock() >= deadline - 0.01:
                    raise _Unreachable(
                        Message("timed out after {seconds} s in all", seconds=f"{self.budget:g}")
                    ) from exc
                if isinstance(exc, httpx.ConnectTimeout):
                    raise _Retryable(
                        Message("could not connect within {seconds} s", seconds=f"{self.timeout:g}"), unreachable=True
                    ) from exc
                raise _Unreachable(Message("timed out after {seconds} s", seconds=f"{self.timeout:g}")) from exc
            except httpx.ConnectError as exc:
                raise _Retryable(_connect_cause(exc, current), unreachable=True) from exc
            except httpx.RemoteProtocolError as exc:
                if "location header" in str(exc).lower():  # httpx refuses the Location before we see it
                    raise FetchError(url, Message("redirected to an invalid address")) from exc
                broke = Message("the connection broke before the page was complete ({error})", error=_first_line(exc))
                raise FetchError(url, broke) from exc
            except httpx.ReadError as exc:
                broke = Message("the connection broke before the page was complete ({error})", error=_first_line(exc))
                raise FetchError(url, broke) from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, Message("the server sent a body that could not be decompressed")) from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, _first_line(exc) or type(exc).__name__) from exc
            finally:
                set_deadline(None)
        raise FetchError(url, Message("more than {count} redirects", count=MAX_REDIRECTS))

    def _redirect_target(self, url: str, current: str, location: str) -> str:
        target = urljoin(current, location.strip())
        _check_scheme(url, target, redirected=True)
        if not same_site(target, self.site):
            raise FetchError(url, Message("redirected to another site ({url})", url=_short(target)))
        return target

    def _read(self, url: str, resp: httpx.Response, deadline: float, *, conditional: bool) -> Page:
        status = resp.status_code
        if status == 304:
            if not conditional:
                raise FetchError(
                    url,
                    Message("the server answered 304 to a request that was not conditional"),
                    status=304,
                )
            return Page(
                url=str(resp.url),
                status=304,
                etag=validator(resp.headers.get("etag")),
                last_modified=validator(resp.headers.get("last-modified")),
            )
        if status in RETRY_STATUSES:
            raise _Retryable(describe_status(status), _retry_after(resp.headers.get("retry-after")), status=status)
        if status >= 400 or status < 200 or status == 204:
            raise FetchError(url, describe_status(status), status=status)
        if url == self.robots.url:  # robots.txt: the one plain-text document (UTF-8, may be empty)
            return Page(str(resp.url), status, self._body(url, resp, deadline).decode("utf-8", "replace"))
        content_type = resp.headers.get("content-type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            raise FetchError(url, Message("the server sent {mime}, not an HTML page", mime=clean(mime)[:60]))
        declared = resp.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > MAX_BYTES:
            raise too_large(url)
        body = self._body(url, resp, deadline)
        if not body.strip():
            raise FetchError(url, Message("the server sent an empty page"))
        if not mime and not _looks_like_html(body):
            raise FetchError(url, Message("the server sent something that is not an HTML page"))
        text = decode_html(body, content_type, url)
        return Page(
            url=str(resp.url),
            status=200,
            text=text,
            etag=validator(resp.headers.get("etag")),
            last_modified=validator(resp.headers.get("last-modified")),
            body=body,
            headers=tuple((k.lower(), v) for k, v in resp.headers.multi_items()[:MAX_HEADERS]),
        )

    def _body(self, url: str, resp: httpx.Response, deadline: float) -> bytes:
        """The raw body, inflated by our own bounded decoder, within the deadline."""
        decoder = BodyDecoder(url, resp.headers.get("content-encoding"))

        def check() -> None:
            if self._clock() > deadline:
                raise _Unreachable(
                    Message("timed out after {seconds} s while reading the page", seconds=f"{self.budget:g}")
                )

        raw = 0
        for chunk in resp.iter_raw():
            raw += len(chunk)
            if raw > MAX_BYTES:
                raise too_large(url)
            check()
            decoder.feed(chunk, check)
        return decoder.finish()


class _Retryable(Exception):
    def __init__(
        self,
        cause: str | Message,
        retry_after: float | None = None,
        unreachable: bool = False,
        status: int | None = None,
    ):
        super().__init__(cause)
        self.cause = cause
        self.retry_after = retry_after
        self.unreachable = unreachable  # no HTTP answer at all (vs. a 429/503)
        self.status = status


class _Unreachable(Exception):
    """The site did not answer in time: not retried, and later requests are skipped."""

    def __init__(self, cause: str | Message):
        super().__init__(cause)
        self.cause = cause


def validator(value: str | None) -> str | None:
    """An ETag / Last-Modified we may store and send back: printable ASCII only
    (a non-ASCII one cannot even be sent: it would fail every later refresh)."""
    if not value or len(value) > 512 or not value.isascii() or not value.isprintable():
        return None
    return value


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by Retry-After, or None when absent or not understood."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,10}", value):  # ASCII digits only: "²".isdigit() is True
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, OverflowError, IndexError, OSError):
        return None


def _check_scheme(original: str, url: str, redirected: bool = False) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        if redirected:
            raise FetchError(
                original,
                Message("redirected to an address that is not http or https ({url})", url=_short(url)),
            )
        raise FetchError(original, Message("only http and https addresses can be fetched"))


def _refuse_schemeless_redirect(response: httpx.Response) -> None:
    """A redirect to `javascript:alert(1)` or `mailto:x` is refused as any non-http(s) one.
    httpx builds the next request of a redirect before returning it, even unfollowed, and an
    address with a scheme and no host makes it fail with InvalidURL: this hook runs first.
    (A Location httpx cannot parse at all stays its own "invalid address" error.)"""
    if not response.has_redirect_location:
        return
    location = response.headers["location"].strip()
    try:
        parsed = httpx.URL(location)
    except httpx.InvalidURL:
        return
    if parsed.scheme and parsed.scheme not in ("http", "https"):
        url = str(response.request.url)
        _check_scheme(url, urljoin(url, location), redirected=True)


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<div", b"<"))
