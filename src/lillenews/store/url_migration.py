"""Percent-encoded URL identities: the one-time rewrite of a cache and of the
reading state written before article URLs were percent-encoded (base/urls.py iri_to_uri), so that
nothing cached is lost and nothing read becomes unread. Store layer; idempotent."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from lillenews.base.urls import iri_to_uri

_URL_KEYS = ("url", "href", "image", "next_url")


def encode_json(value: Any) -> Any:
    """Every URL-valued field ("url", "href", "image") of a stored JSON value, encoded."""
    if isinstance(value, dict):
        return {
            k: (iri_to_uri(v) if k in _URL_KEYS and isinstance(v, str) else encode_json(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [encode_json(v) for v in value]
    return value


def _encoded_json(text: str) -> str | None:
    """The re-encoded JSON text, or None when nothing changes (most rows)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    new = encode_json(data)
    return json.dumps(new, ensure_ascii=False) if new != data else None


def encode_cache(conn: sqlite3.Connection) -> int:
    """Rewrite the listing pages and articles of a cache with encoded URLs; returns how many
    rows changed. When both spellings of an article are cached, the newer fetch wins."""
    changed = 0
    for url, next_url, headlines in conn.execute("SELECT url, next_url, headlines FROM pages").fetchall():
        new_headlines = _encoded_json(headlines)
        new_url, new_next = iri_to_uri(url), iri_to_uri(next_url) if next_url else next_url
        if new_headlines is None and new_url == url and new_next == next_url:
            continue
        conn.execute("DELETE FROM pages WHERE url = ? AND url != ?", (new_url, url))
        conn.execute(
            "UPDATE pages SET url = ?, next_url = ?, headlines = ? WHERE url = ?",
            (new_url, new_next, new_headlines or headlines, url),
        )
        changed += 1
    for rowid, url, fetched_at, data in conn.execute("SELECT id, url, fetched_at, data FROM articles").fetchall():
        new_data, new_url = _encoded_json(data), iri_to_uri(url)
        if new_data is None and new_url == url:
            continue
        other = conn.execute(
            "SELECT id, fetched_at FROM articles WHERE url = ? AND id != ?", (new_url, rowid)
        ).fetchone()
        if other is not None:
            if other[1] >= fetched_at:  # the encoded spelling is as fresh: drop this one
                conn.execute("DELETE FROM articles WHERE id = ?", (rowid,))
                changed += 1
                continue
            conn.execute("DELETE FROM articles WHERE id = ?", (other[0],))
        conn.execute("UPDATE articles SET url = ?, data = ? WHERE id = ?", (new_url, new_data or data, rowid))
        changed += 1
    return changed


def encode_state(conn: sqlite3.Connection) -> int:
    """Rewrite the read marks and seen URLs with encoded URLs, merging both spellings (read
    if either was read, at the later time; seen since the earlier time)."""
    changed = 0
    merges: tuple[tuple[str, str, Callable[[list[float]], float]], ...] = (
        ("marks", "read_at", max),
        ("seen", "first_seen", min),
    )
    for table, column, keep in merges:
        for url, value in conn.execute(f"SELECT url, {column} FROM {table}").fetchall():
            new_url = iri_to_uri(url)
            if new_url == url:
                continue
            row = conn.execute(f"SELECT {column} FROM {table} WHERE url = ?", (new_url,)).fetchone()
            if row is not None:
                values = [v for v in (row[0], value) if v is not None]
                merged = keep(values) if values else None
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE url = ?", (merged, new_url))
                conn.execute(f"DELETE FROM {table} WHERE url = ?", (url,))
            else:
                conn.execute(f"UPDATE {table} SET url = ? WHERE url = ?", (new_url, url))
            changed += 1
    return changed
