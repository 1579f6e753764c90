"""A SQLite file that looks after itself: a schema version, transactions, recovery.

Writes happen in transactions (WAL journal, busy timeout), so a killed process
leaves what it committed, and several processes can share the file. A corrupt
file, one from a newer schema, one that is not ours (another program's tables) or
ours but missing tables, is moved aside and rebuilt with one warning: a file we did
not create is checked before anything is written, and never written into.
A file that cannot be written (read-only or full disk) degrades to warnings.
Errors are told apart by SQLite's own error names (`exc.sqlite_errorname`)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lillenews.base.errors import CacheError, ConfigError
from lillenews.base.i18n import _
from lillenews.base.text import lazy_pattern

BUSY_TIMEOUT_S = 30.0

# One SQL statement with its parameters: store/cache.py and store/events.py build them, `Database.write` runs
# a batch of them in one transaction (sync queues them from its results).
Statement = tuple[str, Sequence[Any]]

# Matched on the primary code so that extended codes (SQLITE_IOERR_WRITE,
# SQLITE_READONLY_DBMOVED ...) count too.
_WRITE_FAILURES = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_NOMEM", "SQLITE_PERM")
_CORRUPTION = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_created = lazy_pattern(r"CREATE\s+(?:VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER)\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)


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
    # The tables (and their columns) every version of this store has had: a file at an
    # older version holding them is ours, and migrated; one without is another program's.
    core: Mapping[str, frozenset[str]]

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
        except _SetAside as exc:
            return self._rebuild(str(exc))
        except OSError as exc:
            return self._read_only_or_memory(exc)

    def objects(self) -> frozenset[str]:
        """The tables, indexes and triggers a store at `version` holds (by name)."""
        return created_objects(self.schema)

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
            raise _SetAside(_("written by a newer lillenews (schema {version})").format(version=version))
        self._check_layout(conn, version)  # before any write: never into another program's file
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

    def _check_layout(self, conn: sqlite3.Connection, version: int) -> None:
        """Raise _SetAside unless the file is new (empty) or holds this store's tables:
        the core ones at any version, every object of the schema at this one."""
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if version == 0:  # we set user_version in the transaction that creates the tables
            if names:
                raise _SetAside(_("not made by lillenews: it holds another program's tables"))
            return
        missing = sorted((self.objects() if version == self.version else frozenset(self.core)) - names)
        if missing:
            raise _SetAside(_("not a whole lillenews store: {names} missing").format(names=", ".join(missing)))
        for table, columns in self.core.items():
            try:
                found = {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))}
            except sqlite3.OperationalError:  # e.g. a virtual table of a module we do not have
                found = set()
            if not columns <= found:
                raise _SetAside(_("not made by lillenews: its table {table} is another program's").format(table=table))

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
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(str(self.path) + suffix, str(aside) + suffix)
        except OSError as exc:  # left where it is: never opened for writing again (memory)
            self._warn_write(exc)
            self.writable = False
            return self._memory()
        self.warn(
            _("{store} at {path} was unreadable ({reason}); moved it to {aside} and started a new one").format(
                store=self._name, path=self.path, reason=why, aside=aside.name
            )
        )
        try:
            return self._connect_checked()
        except (sqlite3.DatabaseError, OSError, _SetAside) as exc:
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
                    self._check_layout(conn, self.version)
                    return conn
                conn.close()
                break
            except _SetAside:
                conn.close()
                break
            except (sqlite3.DatabaseError, OSError):
                continue
        return self._memory()

    def _memory(self) -> sqlite3.Connection:
        """An empty store in memory: this run works, nothing is kept."""
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
        if not statements:
            return True  # no transaction for nothing
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

    def compact(self) -> None:
        """Give the room of deleted rows back to the file system: VACUUM, then the journal
        (WAL) emptied into the file and truncated. Best effort: a store another process is
        using, or one that cannot be written, stays as it is."""
        with self._lock, contextlib.suppress(sqlite3.DatabaseError):
            self.conn.execute("VACUUM")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def size(self) -> int:
        """Bytes on disk: the file and its journal (WAL); not the shared-memory index, which
        goes when the last connection closes."""
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(f"{self.path}{suffix}").st_size
        return total

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _SetAside(Exception):
    """The file is not one this version can use (a newer schema, another program's file,
    ours missing tables): it is moved aside whole and a new store started."""


def created_objects(script: str) -> frozenset[str]:
    """The names a schema script creates (CREATE ... IF NOT EXISTS name)."""
    return frozenset(_created().findall(script))


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
