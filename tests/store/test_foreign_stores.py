"""A store file that is not ours, or ours but missing tables (cache.db, events.db, the
read marks' state.db): it is moved aside whole, with one warning saying where, a fresh
store is started, and the command succeeds. A file lillenews did not create is never
written into: its bytes are kept exactly, at its path or in the copy set aside. An older
lillenews schema is ours, and is migrated (test_search_french.py, test_url_migration.py)."""

from __future__ import annotations

import glob
import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

from lillenews.app.events import EventService
from lillenews.store.cache import Cache, UserState
from lillenews.store.database import Database
from lillenews.store.events import EventCache

WORD = "vidéoprotection"  # in the title of article 4, the one read
MAKE_EVENTS = Path(__file__).parents[1] / "fixtures" / "make_events.py"  # the agenda's fixtures
_spec = importlib.util.spec_from_file_location("lillenews_make_events", MAKE_EVENTS)
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]


@pytest.fixture
def home(cli, site, monkeypatch):
    """The news site and the agenda, a first listing of each, one article read."""
    for path, html in me.all_pages().items():
        site.route(path, html, last_modified=me.LAST_MODIFIED)
    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    for args in (("list",), ("events",), ("read", "4")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    return cli


# What a command answers on a new, empty cache: the same after a file is set aside.
NEW_CACHE = {
    ("search", "--full"): "Error: no articles are cached yet; run 'lillenews sync' (or read some) first",
    ("mark", "2"): "Error: there is no cached listing to number articles; run 'lillenews list' while online",
}


def succeeds(cli, *args: str):
    """Exit 0; or what the command answers on a new cache (nothing is cached yet)."""
    result = cli(*args)
    assert "no such table" not in result.stderr and "unexpected" not in result.stderr, (args, result.stderr)
    if args[:2] in NEW_CACHE and result.exit_code == 1:
        assert result.stderr.splitlines()[-1] == NEW_CACHE[args[:2]], result.stderr
        return result
    assert result.exit_code == 0, (args, result.stderr)
    return result


def set_aside_warning(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Warning: ")]
    assert len(lines) == 1, stderr
    assert f"moved it to {name}.broken-" in lines[0], lines[0]
    return lines[0]


def aside_copies(path: Path) -> list[Path]:
    return [Path(p) for p in sorted(glob.glob(f"{path}.broken-*")) if not p.endswith(("-wal", "-shm"))]


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def drop(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()


# ------------------------------------------------------------- ours, missing a table
@pytest.mark.parametrize(
    "command",
    [("read", "4"), ("search", "--full", WORD), ("list", "--refresh"), ("cache", "clear")],
    ids=["read", "search --full", "list --refresh", "cache clear"],
)
def test_a_cache_that_lost_its_articles_table_is_set_aside_and_the_command_succeeds(home, dirs, command):
    db = dirs["cache"] / "cache.db"
    drop(db, "articles")
    damaged = db.read_bytes()
    set_aside_warning(succeeds(home, *command).stderr, "cache.db")
    (aside,) = aside_copies(db)
    assert aside.read_bytes() == damaged
    assert "articles" in tables(db)
    assert "Warning" not in succeeds(home, *command).stderr  # one warning, once
    assert len(aside_copies(db)) == 1


@pytest.mark.parametrize("table", ["listed", "search_fts", "pages"])
def test_a_cache_missing_any_of_its_tables_is_set_aside(home, dirs, table):
    db = dirs["cache"] / "cache.db"
    drop(db, table)
    set_aside_warning(succeeds(home, "search", "--full", WORD, "--json").stderr, "cache.db")
    succeeds(home, "read", "4")
    again = succeeds(home, "search", "--full", WORD, "--json")
    assert again.stderr == "" and [i["number"] for i in json.loads(again.stdout)] == [4]


@pytest.mark.parametrize("table", ["event_listings", "event_pages", "event_numbers"])
def test_an_events_cache_missing_a_table_is_set_aside_and_events_work(home, dirs, table):
    db = dirs["cache"] / "events.db"
    drop(db, table)
    set_aside_warning(succeeds(home, "events", "--json").stderr, "events.db")
    assert json.loads(succeeds(home, "event", "1", "--json").stdout)["number"] == 1
    assert succeeds(home, "events", "--json").stderr == ""


def test_read_marks_missing_a_table_are_set_aside_never_deleted(home, dirs):
    db = dirs["data"] / "state.db"
    drop(db, "seen")
    damaged = db.read_bytes()
    set_aside_warning(succeeds(home, "list").stderr, "state.db")
    (aside,) = aside_copies(db)
    assert aside.read_bytes() == damaged  # the marks are still there, in the copy
    assert not aside_copies(dirs["cache"] / "cache.db")


# ------------------------------------------------------------------- not ours at all
def _foreign(path: Path, sql: str, user_version: int = 0) -> bytes:
    """Another program's SQLite file (rollback journal, its own tables and rows)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


UNRELATED = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mes notes');"
OTHER_PAGES = (
    "CREATE TABLE pages (id INTEGER PRIMARY KEY, wiki_title TEXT, body TEXT);"
    "INSERT INTO pages (wiki_title, body) VALUES ('Accueil', 'Bienvenue');"
)
COMMANDS = [
    ("list",),
    ("list", "--refresh"),
    ("read", "4"),
    ("search", "--full", WORD),
    ("mark", "2"),
    ("events",),
    ("event", "1"),
    ("cache", "clear"),
]
FOREIGN = {
    "unrelated tables": (UNRELATED, 0),
    "another pages table": (OTHER_PAGES, 0),
    "another pages table, user_version 1": (OTHER_PAGES, 1),  # looks like an old lillenews schema
    "unrelated tables, our user_version": (UNRELATED, 3),
}


@pytest.mark.parametrize("where", [("cache", "cache.db"), ("cache", "events.db"), ("data", "state.db")])
@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_foreign_database_is_never_written_into_by_any_command(home, dirs, where, kind):
    folder, name = where
    path = dirs[folder] / name
    for command in COMMANDS:
        for old in aside_copies(path):
            old.unlink()
        original = _foreign(path, *FOREIGN[kind])
        result = succeeds(home, *command)
        copies = aside_copies(path)
        if copies:  # the command opened it: moved aside whole, said once, a fresh store in its place
            assert [c.read_bytes() for c in copies] == [original], command
            set_aside_warning(result.stderr, name)
            assert path.read_bytes() != original
            assert "notes" not in tables(path) and "wiki_title" not in path.read_bytes().decode("latin-1")
        else:  # the command never opened it
            assert path.read_bytes() == original, command


@pytest.mark.parametrize("store", [Cache, EventCache, UserState])
def test_an_empty_file_is_a_new_store_not_a_foreign_one(tmp_path, store: type[Database]):
    path = tmp_path / "store.db"
    path.touch()
    warnings: list[str] = []
    db = store(path, warnings.append)
    db.read("SELECT 1")
    db.close()
    assert warnings == [] and not aside_copies(path)
    assert tables(path)


@pytest.mark.parametrize("store", [Cache, EventCache, UserState])
def test_core_tables_and_objects_are_what_the_store_creates(tmp_path, store: type[Database]):
    path = tmp_path / "store.db"
    db = store(path, print)
    db.read("SELECT 1")
    db.close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert db.objects() <= names and set(db.core) <= db.objects()
    for table, columns in db.core.items():
        assert columns <= {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    conn.close()


def test_a_foreign_file_that_cannot_be_moved_is_left_alone_and_the_run_goes_on_in_memory(tmp_path, monkeypatch):
    import lillenews.store.database as database

    path = tmp_path / "cache.db"
    original = _foreign(path, UNRELATED)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(database.os, "replace", refuse)
    warnings: list[str] = []
    cache = Cache(path, warnings.append)
    assert cache.pages() == []
    cache.write([("INSERT INTO listed (url, first_seen) VALUES ('u', 1)", ())])  # into memory, not the file
    cache.close()
    assert path.read_bytes() == original and not aside_copies(path)
    assert len(warnings) == 1 and "Permission denied" in warnings[0] and "not saved" in warnings[0]
