"""`doctor --save DIR` and `doctor --from DIR`: the fetched pages as files, and back.

DIR receives one file per fetched page, named after its kind (`listing.html`,
`listing_next.html`, `article.html`, `event_listing.html`, `event.html`), holding the body exactly as served (after HTTP
content decoding such as gzip: the bytes of the page, in its own encoding), and
`meta.json`: for each page its URL, final URL, status, time, the response headers that
matter (never cookies) and the file's SHA-256; robots.txt as read; the date, the site and
the lillenews version. A maintainer drops DIR into `tests/fixtures/real/` as is; `load()` replays it
through the same analysis, so the saved pages give the same report offline."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lillenews import __version__
from lillenews.base.errors import LilleNewsError, UsageError
from lillenews.base.files import FileTooLarge, NotARegularFile, read_regular, reason, replace_file
from lillenews.base.i18n import _
from lillenews.base.text import strip_unsafe
from lillenews.doctor.check import DoctorReport, Fetched, PageKind, run
from lillenews.net.decoding import MAX_BYTES

__all__ = ["META_FILE", "SAVED_HEADERS", "load", "replay", "save"]

META_FILE = "meta.json"
META_FORMAT = 1
# What helps to understand a page; never cookies nor anything that could identify the user.
SAVED_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "etag",
    "last-modified",
    "date",
    "server",
    "cache-control",
    "vary",
    "x-powered-by",
)
MAX_HEADER_CHARS = 500
MAX_META_BYTES = 1024 * 1024  # a real meta.json holds a few kB
MAX_ELAPSED = 3600.0  # seconds: far above any fetch's budget (3 x 300 s + 2 x 120 s)


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).isoformat(timespec="seconds")


def save(report: DoctorReport, directory: Path, *, site: str, now: float) -> list[Path]:
    """Write the report's fetched pages and meta.json into `directory` (created if needed);
    return the files written."""
    pages: list[dict[str, Any]] = []
    written: list[Path] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(directory / META_FILE):  # an earlier save: its pages must not outlive its meta.json
            for kind in PageKind:
                (directory / f"{kind}.html").unlink(missing_ok=True)
        for got in report.fetched:
            entry: dict[str, Any] = {
                "kind": got.kind,
                "file": None,
                "url": got.url,
                "final_url": got.final_url,
                "status": got.status,
                "elapsed": round(got.elapsed, 3),
                "error": got.error,
                "bytes": len(got.body),
                "sha256": hashlib.sha256(got.body).hexdigest() if got.body else None,
                "headers": {k: strip_unsafe(v)[:MAX_HEADER_CHARS] for k, v in got.headers if k in SAVED_HEADERS},
            }
            if got.body:
                entry["file"] = f"{got.kind}.html"
                path = directory / entry["file"]
                replace_file(path, got.body)  # a link already at `path` is replaced, never followed
                written.append(path)
            pages.append(entry)
        meta = {
            "format": META_FORMAT,
            "lillenews": __version__,
            "saved_at": _iso(now),
            "site": site,
            "listing_url": report.listing_url,
            "events_url": report.events_url,
            "robots": report.robots,
            "pages": pages,
        }
        path = directory / META_FILE
        replace_file(path, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        written.append(path)
    except OSError as exc:
        raise LilleNewsError(_("cannot write to {dir}: {why}").format(dir=directory, why=reason(exc))) from exc
    return written


def load(directory: Path) -> tuple[Callable[[PageKind, str], Fetched], str]:
    """A `fetch(kind, url)` answering from the pages saved in `directory`, and the listing
    URL they were saved from. Raises UsageError when `directory` holds no saved pages."""
    meta = _read_meta(directory)
    return _saved_fetch(directory, meta), str(meta["listing_url"])


def _saved_fetch(directory: Path, meta: dict[str, Any]) -> Callable[[PageKind, str], Fetched]:
    entries: list[dict[str, Any]] = [p for p in _list(meta.get("pages")) if isinstance(p, dict)]

    def fetch(kind: PageKind, url: str) -> Fetched:
        entry = next((p for p in entries if p.get("kind") == kind and p.get("url") == url), None)
        if entry is None:
            return Fetched(kind, url, None, None, b"", (), 0.0, _("not among the saved pages"))
        headers = _headers(entry.get("headers"))
        body = b""
        name = entry.get("file")
        if isinstance(name, str) and name:
            if Path(name).name != name or name.startswith("."):  # a plain file name inside DIR, nothing else
                raise UsageError(_("{dir}: bad file name in {meta}").format(dir=directory, meta=META_FILE))
            try:
                body = _read_saved(directory / name, MAX_BYTES)
            except OSError as exc:
                return Fetched(kind, url, None, None, b"", headers, 0.0, f"{name}: {reason(exc)}")
        return Fetched(
            kind,
            url,
            _str_or_none(entry.get("final_url")),
            _status(entry.get("status")),
            body,
            headers,
            _elapsed(entry.get("elapsed")),
            _str_or_none(entry.get("error")),
        )

    return fetch


# meta.json is a user's file: a value of the wrong type or out of range is taken as absent.
def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _status(value: Any) -> int | None:
    return value if type(value) is int and 100 <= value <= 599 else None  # noqa: E721 - bool is no status


def _elapsed(value: Any) -> float:
    """Seconds, finite and in range (`NaN`, `Infinity`, -1 or a string: absent, 0)."""
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= MAX_ELAPSED:
        return 0.0
    return float(value)


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    """The saved headers that --save writes (names it keeps, string values, bounded)."""
    if not isinstance(value, dict):
        return ()
    return tuple((k, v[:MAX_HEADER_CHARS]) for k, v in value.items() if k in SAVED_HEADERS and isinstance(v, str))


def _read_saved(path: Path, limit: int) -> bytes:
    """A saved file's bytes: a regular file of at most `limit` bytes, else one clear line.
    (A link to /dev/zero, a FIFO, a 3 GB sparse file: none was saved by --save.)"""
    try:
        return read_regular(path, limit)
    except NotARegularFile as exc:
        not_regular = _("{path} is not a regular file; 'doctor --from' reads only what 'lillenews doctor --save' wrote")
        raise UsageError(not_regular.format(path=path)) from exc
    except FileTooLarge as exc:
        too_large = _("{path} is larger than {size} MB; 'lillenews doctor --save' never writes such a file")
        raise UsageError(too_large.format(path=path, size=max(1, limit // (1024 * 1024)))) from exc


def _no_constant(name: str) -> None:
    """`NaN`, `Infinity` and `-Infinity` are not JSON: read as absent (null)."""
    return None


def _read_meta(directory: Path) -> dict[str, Any]:
    not_saved = _("{dir} holds no pages saved by 'lillenews doctor --save' ({meta} missing or unreadable)")
    try:
        data = _read_saved(directory / META_FILE, MAX_META_BYTES)
        meta = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (OSError, ValueError, RecursionError):  # ValueError: not UTF-8, not JSON, an over-long integer
        raise UsageError(not_saved.format(dir=directory, meta=META_FILE)) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("listing_url"), str):
        raise UsageError(not_saved.format(dir=directory, meta=META_FILE))
    return meta


def replay(directory: Path, *, today: datetime.date) -> DoctorReport:
    """The doctor report of pages saved in `directory`, without the network. Dates without
    a year are read as on the day the pages were saved (`today` when meta.json does not say)."""
    meta = _read_meta(directory)
    events_url = meta.get("events_url")  # absent from pages saved before the events
    fetch = _saved_fetch(directory, meta)
    saved_on = _saved_on(meta.get("saved_at")) or today
    events = events_url if isinstance(events_url, str) else None
    report = run(fetch, str(meta["listing_url"]), events_url=events, today=saved_on)
    return report._replace(robots=_robots(meta.get("robots")))  # absent from pages saved before robots.txt


def _saved_on(saved_at: Any) -> datetime.date | None:
    try:
        return datetime.datetime.fromisoformat(saved_at).date() if isinstance(saved_at, str) else None
    except ValueError:
        return None


def _robots(value: Any) -> dict[str, Any] | None:
    """robots.txt as saved in meta.json (any other shape is taken as absent)."""
    if not isinstance(value, dict):
        return None
    url, meaning, delay, lines = (value.get(k) for k in ("url", "meaning", "crawl_delay", "lines"))
    if not isinstance(url, str) or meaning not in ("rules", "none", "unavailable"):
        return None
    if delay is not None and (type(delay) not in (int, float) or not math.isfinite(delay) or not 0 <= delay <= 3600):
        return None
    return {"url": url, "status": _status(value.get("status")), "meaning": meaning, "crawl_delay": delay,
            "lines": [x for x in _list(lines) if isinstance(x, str)][:50],
            "error": _str_or_none(value.get("error"))}  # fmt: skip
