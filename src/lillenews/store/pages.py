"""What every cached page shares, news and events alike: its value with when it was fetched
and the validators a conditional request sends back (`Copy`), the statement recording that
a copy is still current (a 304), and the one table layout of the events cache (url,
fetched_at, etag, last_modified, data as JSON) with its reader and writer (`PageTable`).

The news listing keeps its own columns in cache.db (`pages`: its page index and the
headlines the search index reads), so no migration touches users' caches; its rows come
out as the same `Copy`."""

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from lillenews.store.database import Statement

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.store.database import Database

T = TypeVar("T")


class Validators(NamedTuple):
    """What a conditional request sends back to the server (If-None-Match, If-Modified-Since)."""

    etag: str | None
    last_modified: str | None


class Copy(NamedTuple, Generic[T]):
    """A cached value with when it was fetched and its validators."""

    value: T
    fetched_at: float
    etag: str | None = None
    last_modified: str | None = None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


def touch(table: str, url: str, fetched_at: float, etag: str | None, last_modified: str | None) -> Statement:
    """The cached page at `url` is current (a 304): its new time, and the validators the answer
    gave (a 304 without them keeps the old ones)."""
    return (
        f"UPDATE {table} SET fetched_at = ?, etag = coalesce(?, etag), "
        "last_modified = coalesce(?, last_modified) WHERE url = ?",
        (fetched_at, etag, last_modified, url),
    )


def read_copy(db: "Database", table: str, url: str, decode: Callable[[dict[str, Any]], T]) -> Copy[T] | None:
    """The copy of `url` in a table holding (url, fetched_at, etag, last_modified, data as JSON),
    whatever other columns it has (the articles' search columns)."""
    rows = db.read(f"SELECT data, fetched_at, etag, last_modified FROM {table} WHERE url = ?", (url,))
    if not rows:
        return None
    data, fetched_at, etag, last_modified = rows[0]
    return Copy(decode(json.loads(data)), fetched_at, etag, last_modified)


def table_schema(table: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {table} (\n    url TEXT PRIMARY KEY,\n    fetched_at REAL NOT NULL,\n"
        "    etag TEXT,\n    last_modified TEXT,\n    data TEXT NOT NULL\n);\n"
    )


class PageTable(Generic[T]):
    """One table of the shared layout in `db`; values go in and out as JSON objects."""

    def __init__(
        self,
        db: "Database",
        table: str,
        decode: Callable[[dict[str, Any]], T],
        encode: Callable[[T], dict[str, Any]],
        also: Callable[[T, float], list[Statement]] | None = None,
    ) -> None:
        self.db = db
        self.table = table
        self._decode = decode
        self._encode = encode
        self._also = also  # statements run with each save, in its transaction (value, fetched_at)

    def get(self, url: str) -> Copy[T] | None:
        return read_copy(self.db, self.table, url, self._decode)

    def save(self, url: str, value: T, etag: str | None, last_modified: str | None, fetched_at: float) -> bool:
        row = (url, fetched_at, etag, last_modified, json.dumps(self._encode(value), ensure_ascii=False))
        statements: list[Statement] = [(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?, ?, ?)", row)]
        return self.db.write(statements + (self._also(value, fetched_at) if self._also else []))

    def touch(self, url: str, fetched_at: float, etag: str | None, last_modified: str | None) -> bool:
        return self.db.write([touch(self.table, url, fetched_at, etag, last_modified)])

    def count(self) -> int:
        return int(self.db.read(f"SELECT count(*) FROM {self.table}")[0][0])

    def clear_statement(self) -> Statement:
        return (f"DELETE FROM {self.table}", ())
