"""The ledger of `lillenews new`: which headlines and events it has reported (or, on its
first run, remembered), kept with the read marks in the reading state (`state.db`, apart
from the cache: `cache clear` never makes old news new again).

Concurrent runs (cron's `new` while another `new` or `browse` runs) never report an item
twice and never lose one. An item is *claimed* in one IMMEDIATE transaction (a run reports
only what it claimed), then *confirmed* once printed, or once its `--exec` command exited 0;
a failed command *releases* it, and so does an interrupted run. A claim whose run died
(its process is gone, or it is older than CLAIM_LEASE) is taken over by the next run.

The table is created by the ledger itself (CREATE TABLE IF NOT EXISTS in its transactions):
the reading state keeps its schema version, so an older lillenews still opens the file."""

import contextlib
import os
import socket
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from lillenews.base.errors import CacheError
from lillenews.base.i18n import _
from lillenews.store.database import Database

CLAIM_LEASE_S = 3600.0  # a claim older than this is its dead run's, whatever its process id says
_TABLE = """CREATE TABLE IF NOT EXISTS new_items (
    kind TEXT NOT NULL,  -- 'news' or 'event'
    url TEXT NOT NULL,
    seen_at REAL,  -- reported (or remembered by a first run); NULL while only claimed
    claim TEXT,  -- the run reporting it now: host, pid, nonce; NULL once seen
    claimed_at REAL,
    PRIMARY KEY (kind, url)
)"""
_STARTED = "new.started."  # + kind: the meta key of a kind's first run


class Item(NamedTuple):
    kind: str  # "news" or "event"
    url: str


def claim_token() -> str:
    """What names this run in its claims: the host, the process id, a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _alive(token: str) -> bool:
    """Whether the run that wrote `token` may still be running (its process, on this host)."""
    host, _, rest = token.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or os.name != "posix":
        return True  # cannot tell: the lease decides
    try:
        os.kill(int(pid_text), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


class Ledger:
    """What `new` has reported, in the reading state's file (a `Database`)."""

    def __init__(self, db: Database, *, now: Callable[[], float]) -> None:
        self.db = db
        self.now = now
        self.token = claim_token()

    # -- transactions --------------------------------------------------------
    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction (the write lock from its start: what it read stays
        true until it commits). Any failure is a CacheError: `new` then reports nothing."""
        with self.db._lock:  # the store's own lock: one transaction at a time on its connection
            conn = self.db.conn
            if not self.db.writable:
                raise CacheError(
                    _("cannot write the reading state at {path}; 'lillenews new' needs it to remember").format(
                        path=self.db.path
                    )
                )
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(_TABLE)
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                failed = _("could not update the reading state at {path}: {error}")
                raise CacheError(failed.format(path=self.db.path, error=exc)) from exc

    def _rows(self, conn: sqlite3.Connection, kind: str, urls: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        out: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            sql = (
                "SELECT url, seen_at, claim, claimed_at FROM new_items "
                f"WHERE kind = ? AND url IN ({','.join('?' * len(chunk))})"
            )
            out.update({row[0]: row[1:] for row in conn.execute(sql, (kind, *chunk))})
        return out

    def _taken(self, row: tuple[Any, ...] | None, now: float) -> bool:
        """Seen, or claimed by a run that is still at it."""
        if row is None:
            return False
        seen_at, claim, claimed_at = row
        if seen_at is not None:
            return True
        if claim is None or claim == self.token:
            return False
        return (claimed_at or 0) > now - CLAIM_LEASE_S and _alive(claim)

    # -- what the use case asks ------------------------------------------------
    def started(self, kind: str) -> bool:
        """Whether `new` ran before for this kind (its first run reports nothing)."""
        with self._transaction() as conn:
            row = conn.execute("SELECT 1 FROM meta WHERE key = ?", (_STARTED + kind,)).fetchone()
        return row is not None

    def taken(self, kind: str, urls: Iterable[str]) -> set[str]:
        """The URLs among `urls` that are seen or claimed by a live run: not new here."""
        wanted = list(dict.fromkeys(urls))
        now = self.now()
        with self._transaction() as conn:
            rows = self._rows(conn, kind, wanted)
        return {url for url in wanted if self._taken(rows.get(url), now)}

    def remember(self, items: Iterable[Item], kinds: Iterable[str]) -> None:
        """A first run: `items` are seen (never reported), and `kinds` have started."""
        now = self.now()
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO new_items (kind, url, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT(kind, url) DO UPDATE SET seen_at = coalesce(seen_at, excluded.seen_at) "
                "WHERE claim IS NULL",
                [(i.kind, i.url, now) for i in items],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", [(_STARTED + k, str(now)) for k in kinds]
            )

    def claim(self, wanted: Sequence[Item], skipped: Sequence[Item] = ()) -> list[Item]:
        """In one IMMEDIATE transaction: claim every item of `wanted` that is neither seen
        nor claimed by a live run (returned, in order), and mark `skipped` seen (new items a
        filter left out: looked at, not to be reported later)."""
        now = self.now()
        claimed: list[Item] = []
        with self._transaction() as conn:
            for kind in dict.fromkeys(i.kind for i in (*wanted, *skipped)):
                rows = self._rows(conn, kind, [i.url for i in (*wanted, *skipped) if i.kind == kind])
                for item in (i for i in wanted if i.kind == kind):
                    if not self._taken(rows.get(item.url), now):
                        claimed.append(item)
                for item in (i for i in skipped if i.kind == kind):
                    if not self._taken(rows.get(item.url), now):
                        conn.execute(
                            "INSERT INTO new_items (kind, url, seen_at) VALUES (?, ?, ?) "
                            "ON CONFLICT(kind, url) DO UPDATE SET seen_at = excluded.seen_at, claim = NULL",
                            (kind, item.url, now),
                        )
            conn.executemany(
                "INSERT INTO new_items (kind, url, claim, claimed_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(kind, url) DO UPDATE SET claim = excluded.claim, claimed_at = excluded.claimed_at",
                [(i.kind, i.url, self.token, now) for i in claimed],
            )
        order = {item: n for n, item in enumerate(wanted)}
        return sorted(claimed, key=order.__getitem__)

    def confirm(self, items: Iterable[Item]) -> None:
        """These claimed items were reported: seen from now on."""
        now = self.now()
        with self._transaction() as conn:
            conn.executemany(
                "UPDATE new_items SET seen_at = ?, claim = NULL, claimed_at = NULL "
                "WHERE kind = ? AND url = ? AND claim = ?",
                [(now, i.kind, i.url, self.token) for i in items],
            )

    def release(self, items: Iterable[Item]) -> None:
        """These claimed items were not reported: new again, for the next run."""
        with self._transaction() as conn:
            conn.executemany(
                "DELETE FROM new_items WHERE kind = ? AND url = ? AND claim = ? AND seen_at IS NULL",
                [(i.kind, i.url, self.token) for i in items],
            )
