"""`doctor --save DIR` and `doctor --from DIR`: the fetched pages as files, and back.

DIR receives one file per fetched page, named after its kind (`listing.html`,
`listing_next.html`, `article.html`, `event_listing.html`, `event.html`), holding the body exactly as served (after HTTP
content decoding such as gzip: the bytes of the page, in its own encoding), and
`meta.json`: for each page its URL, final URL, status, time, the response headers that
matter (never cookies) and the file's SHA-256; the date, the site and the lillenews
version. A maintainer drops DIR into `tests/fixtures/real/` as is; `load()` replays it
through the same analysis, so the saved pages give the same report offline."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lillenews import __version__
from lillenews.base.errors import LilleNewsError, UsageError
from lillenews.base.i18n import _
from lillenews.base.text import strip_unsafe
from lillenews.doctor.check import DoctorReport, Fetched, PageKind, run

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


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).isoformat(timespec="seconds")


def save(report: DoctorReport, directory: Path, *, site: str, now: float) -> list[Path]:
    """Write the report's fetched pages and meta.json into `directory` (created if needed);
    return the files written."""
    pages: list[dict[str, Any]] = []
    written: list[Path] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if (directory / META_FILE).exists():  # an earlier save: its pages must not outlive its meta.json
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
                path.write_bytes(got.body)
                written.append(path)
            pages.append(entry)
        meta = {
            "format": META_FORMAT,
            "lillenews": __version__,
            "saved_at": _iso(now),
            "site": site,
            "listing_url": report.listing_url,
            "events_url": report.events_url,
            "pages": pages,
        }
        path = directory / META_FILE
        path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    except OSError as exc:
        raise LilleNewsError(_("cannot write to {dir}: {why}").format(dir=directory, why=exc.strerror or exc)) from None
    return written


def load(directory: Path) -> tuple[Callable[[PageKind, str], Fetched], str]:
    """A `fetch(kind, url)` answering from the pages saved in `directory`, and the listing
    URL they were saved from. Raises UsageError when `directory` holds no saved pages."""
    meta = _read_meta(directory)
    entries: list[dict[str, Any]] = [p for p in meta.get("pages", []) if isinstance(p, dict)]

    def fetch(kind: PageKind, url: str) -> Fetched:
        entry = next((p for p in entries if p.get("kind") == kind and p.get("url") == url), None)
        if entry is None:
            return Fetched(kind, url, None, None, b"", (), 0.0, _("not among the saved pages"))
        raw_headers = entry.get("headers")
        headers = tuple((str(k), str(v)) for k, v in raw_headers.items()) if isinstance(raw_headers, dict) else ()
        body = b""
        name = entry.get("file")
        if isinstance(name, str) and name:
            if Path(name).name != name or name.startswith("."):  # a plain file name inside DIR, nothing else
                raise UsageError(_("{dir}: bad file name in {meta}").format(dir=directory, meta=META_FILE))
            try:
                body = (directory / name).read_bytes()
            except OSError as exc:
                return Fetched(kind, url, None, None, b"", headers, 0.0, f"{name}: {exc.strerror or exc}")
        elapsed, status = entry.get("elapsed"), entry.get("status")
        return Fetched(
            kind,
            url,
            _str_or_none(entry.get("final_url")),
            status if isinstance(status, int) and not isinstance(status, bool) else None,
            body,
            headers,
            float(elapsed) if isinstance(elapsed, (int, float)) else 0.0,
            _str_or_none(entry.get("error")),
        )

    return fetch, str(meta["listing_url"])


def _str_or_none(value: Any) -> str | None:
    """meta.json is a user's file: anything not a string is taken as absent."""
    return value if isinstance(value, str) else None


def _read_meta(directory: Path) -> dict[str, Any]:
    not_saved = _("{dir} holds no pages saved by 'lillenews doctor --save' ({meta} missing or unreadable)")
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UsageError(not_saved.format(dir=directory, meta=META_FILE)) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("listing_url"), str):
        raise UsageError(not_saved.format(dir=directory, meta=META_FILE))
    return meta


def replay(directory: Path, *, today: datetime.date) -> DoctorReport:
    """The doctor report of pages saved in `directory`, without the network. Dates without
    a year are read as on the day the pages were saved (`today` when meta.json does not say)."""
    fetch, listing_url = load(directory)
    meta = _read_meta(directory)
    events_url = meta.get("events_url")  # absent from pages saved before the events
    saved_on = _saved_on(meta.get("saved_at")) or today
    return run(fetch, listing_url, events_url=events_url if isinstance(events_url, str) else None, today=saved_on)


def _saved_on(saved_at: Any) -> datetime.date | None:
    try:
        return datetime.datetime.fromisoformat(saved_at).date() if isinstance(saved_at, str) else None
    except ValueError:
        return None
