"""A SQLite file that looks after itself: a schema version, transactions, recovery.

Writes happen in transactions (WAL journal, busy timeout), so a killed process
leaves what it committed, and several processes can share the file. A corrupt
file, or one from a newer schema, is moved aside and rebuilt with one warning.
A file that cannot be written (read-only or full disk) degrades to warnings.
Errors are told apart by SQLite's own error names (`exc.sqlite_errorname`)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lillenews.base.errors import CacheError, ConfigError
from lillenews.base.i18n import _

BUSY_TIMEOUT_S = 30.0

# One SQL statement with its parameters: store/cache.py and store/events.py build them, `Database.write` runs
# a batch of them in one transaction (sync queues them from its results).
Statement = tuple[str, Sequence[Any]]

# Matched on the primary code so that extended codes (SQLITE_IOERR_WRITE,
# SQLITE_READONLY_DBMOVED ...) count too.
_WRITE_FAILURES = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_NOMEM", "SQLITE_PERM")
_CORRUPTION = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


class Database:
    """A SQLite file with a schema version, recovery from corruption and
    graceful degradation when it cannot be written."""

    schema: str  # the script creating the tables (idempotent)
    version: int  # PRAGMA user_version once `schema` is applied
    label: str  # what the user calls it in messages, marked with N_() ("the cache")

    @property
    def _name(self) -> str:
        return _(self.label)  # i18n: marked with N_ where each store sets its label

    def __init__(self, path: Path, warn: Callable[[str], None]):
        self.path = path
        self.warn = warn
        self._conn: sqlite3.Connection | None = None
        self._write_warned = False
        self.writable = True
        # One connection may serve several threads (sync): transactions must not interleave.
        self._lock = threading.RLock()

    # -- opening -----------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _check_regular(self.path)
            return self._connect_checked()
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                return self._rebuild(str(exc))
            if _is_write_failure(exc):
                if error_name(exc).startswith(("SQLITE_FULL", "SQLITE_IOERR")):
                    self._discard_half_built()
                return self._read_only_or_memory(exc)
            cannot = _("cannot open {store} at {path}: {error}")
            raise CacheError(cannot.format(store=self._name, path=self.path, error=exc)) from None
        except _FutureSchema as exc:
            return self._rebuild(str(exc))
        except OSError as exc:
            return self._read_only_or_memory(exc)

    def prepare(self, conn: sqlite3.Connection) -> None:
        """Per-connection set-up a subclass needs (SQL functions its triggers call)."""

    def upgrade(self, conn: sqlite3.Connection, old_version: int) -> None:
        """Bring the data of a store at `old_version` (0: new) to `version`, inside the
        schema transaction, after `schema` ran."""

    def _connect_checked(self) -> sqlite3.Connection:
        """A connection to the file with the schema in place. Several processes creating
        a new file at once may meet a lock SQLite does not wait for: tried again."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.01
        while True:
            conn = _connect(self.path)
            try:
                self._check(conn)
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                if not error_name(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or time.monotonic() > deadline:
                    raise
            except BaseException:
                conn.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def _discard_half_built(self) -> None:
        """A file whose creation failed (disk full) holds nothing: remove it, so later
        commands create it afresh instead of tripping over it. (Only for a full disk:
        a permission error may come from another user's process still creating it.)"""
        try:
            probe = sqlite3.connect(f"file:{quote(str(self.path))}?mode=ro", uri=True, timeout=1)
            try:
                version = probe.execute("PRAGMA user_version").fetchone()[0]
                tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            finally:
                probe.close()
        except sqlite3.DatabaseError:
            return
        if version == 0 and tables == 0:
            for suffix in ("-wal", "-shm", ""):
                with contextlib.suppress(OSError):
                    os.remove(str(self.path) + suffix)

    def _check(self, conn: sqlite3.Connection) -> None:
        self.prepare(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > self.version:
            raise _FutureSchema(_("written by a newer lillenews (schema {version})").format(version=version))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if version < self.version:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read inside the write lock: another process may have just done it.
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current < self.version:
                    for statement in statements(self.schema):
                        conn.execute(statement)
                    self.upgrade(conn, current)
                    conn.execute(f"PRAGMA user_version = {self.version}")
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back (disk full): the real cause must
                # propagate, not "cannot rollback - no transaction is active".
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.DatabaseError):
                        conn.execute("ROLLBACK")
                raise
        conn.execute("PRAGMA synchronous = NORMAL")

    def _rebuild(self, why: str) -> sqlite3.Connection:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while aside.exists():  # never overwrite an earlier broken copy
            n += 1
            aside = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                with contextlib.suppress(OSError):
                    os.replace(src, Path(str(aside) + suffix))
        self.warn(
            _("{store} at {path} was unreadable ({reason}); moved it to {aside} and started a new one").format(
                store=self._name, path=self.path, reason=why, aside=aside.name
            )
        )
        try:
            return self._connect_checked()
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._read_only_or_memory(exc)

    def _read_only_or_memory(self, exc: BaseException) -> sqlite3.Connection:
        """Keep serving what is there, read-only, or an empty in-memory store."""
        self._warn_write(exc)
        self.writable = False
        # A WAL file in a directory we cannot write cannot even be read with mode=ro
        # (SQLite must create its -shm): immutable=1 reads it without one.
        for flags in ("mode=ro", "mode=ro&immutable=1"):
            try:
                if not self.path.is_file():
                    break
                conn = sqlite3.connect(
                    f"file:{quote(str(self.path))}?{flags}",
                    uri=True,
                    timeout=BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
                # Only a complete store of this version: a half-created one (disk
                # full while creating the tables) has no tables to read.
                if conn.execute("PRAGMA user_version").fetchone()[0] == self.version:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    return conn
                conn.close()
                break
            except (sqlite3.DatabaseError, OSError):
                continue
        conn = _connect(":memory:")
        self.prepare(conn)
        for statement in statements(self.schema):
            conn.execute(statement)
        self.upgrade(conn, 0)
        return conn

    def _warn_write(self, exc: BaseException) -> None:
        if not self._write_warned:
            self._write_warned = True
            reason = getattr(exc, "strerror", None) or str(exc)
            unsaved = _("could not write {store} at {path} ({reason}); results are shown but not saved")
            self.warn(unsaved.format(store=self._name, path=self.path, reason=reason))

    # -- guarded access ------------------------------------------------------
    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._read(sql, params)

    def _read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                self._conn = self._rebuild(str(exc))
                return self._conn.execute(sql, params).fetchall()
            unread = _("{store} at {path} could not be read: {error}")
            raise CacheError(unread.format(store=self._name, path=self.path, error=exc)) from None

    def write(self, statements: Iterable[Statement]) -> bool:
        """Run `statements` in one transaction. Returns False (after one warning)
        when the store cannot be written; never loses what was committed before."""
        statements = list(statements)
        with self._lock:
            return self._write(statements)

    def _write(self, statements: list[Statement]) -> bool:
        for attempt in range(2):
            try:
                conn = self.conn
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in statements:
                        conn.execute(sql, params)
                    conn.execute("COMMIT")
                    return True
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                if _is_corruption(exc) and attempt == 0:
                    self._conn = self._rebuild(str(exc))
                    continue
                if _is_write_failure(exc) or not self.writable:
                    self._warn_write(exc)
                    return False
                unwritten = _("could not write {store} at {path}: {error}")
                raise CacheError(unwritten.format(store=self._name, path=self.path, error=exc)) from None
        return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _FutureSchema(Exception):
    pass


def _check_regular(path: Path) -> None:
    """A FIFO or device where the file should be would hang or misbehave in SQLite."""
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ConfigError(
                _("{path} is not a regular file; remove it or choose another directory").format(path=path)
            )


def statements(script: str) -> list[str]:
    """Split a schema script into statements (triggers contain ';')."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


def error_name(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def _is_corruption(exc: BaseException) -> bool:
    return error_name(exc).startswith(_CORRUPTION)


def _is_write_failure(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or error_name(exc).startswith(_WRITE_FAILURES)
