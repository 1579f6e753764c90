"""The store under faults: a pagination loop, a read-only cache, a full disk,
a corrupted full-text index, files that are not files, several processes creating
the cache at once.

Read-only and full-disk cases are real, for root and an ordinary user alike: a tmpfs
mounted read-only or with a tiny size, in a mount namespace of the test's own
(tests/mounts.py; chmod would change nothing for root). A case that cannot be made
real fails loudly; none is skipped."""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest
from conftest import run_in_process
from mounts import read_only, resize, run_with_own_mounts, tmpfs
from server import FixtureServer
from synth_site import _page, article_html, listing_item_html, make_articles


@pytest.fixture
def home(dirs, monkeypatch):
    with FixtureServer() as srv:
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield srv


@pytest.fixture
def cache_mount(dirs, monkeypatch, tmp_path):
    """The cache directory, where the test mounts a tmpfs (in its own mount namespace)."""
    mount = tmp_path / "mnt"
    monkeypatch.setenv("LILLENEWS_CACHE_DIR", str(mount))
    return mount


def _listing(items: list, next_path: str | None = None) -> str:
    body = "\n".join(listing_item_html(a) for a in items)
    pagination = f'<div class="pagination"><a class="next" href="{next_path}">Suivant</a></div>' if next_path else ""
    return _page("Actualités", f'<h1>Actualités</h1><div class="actusMaster">{body}{pagination}</div>')


def _site(srv: FixtureServer, n: int = 6) -> list:
    arts = make_articles(n)
    srv.route("/Actualites", _listing(arts))
    for art in arts:
        srv.route(art.path, article_html(art))
    return arts


def listed(*args: str) -> list[dict]:
    result = run_in_process("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------------- pagination loop
def test_a_pagination_loop_ends_the_walk_and_never_moves_a_page(home):
    arts = make_articles(8)
    page2 = "/Actualites/(offset)/4"
    # No validators: every fetch is a 200 that would be saved (a 304 saves nothing).
    home.route("/Actualites", _listing(arts[:4], page2), etag="", last_modified="")
    home.route(page2, _listing(arts[4:], "/Actualites"), etag="", last_modified="")  # page 2 -> page 1 again
    for art in arts:
        home.route(art.path, article_html(art))
    expected = [a.title for a in arts]
    for command in (("sync", "--all"), ("list", "--all"), ("list", "--all", "--refresh"), ("sync", "--all")):
        result = run_in_process(*command)
        assert result.exit_code == 0, (command, result.stderr)
        assert [i["title"] for i in listed("--all", "--offline")] == expected, command
        for n in (1, 5):  # `read N` numbers from the stored page order: the same as `list`
            result = run_in_process("read", str(n), "--offline", "--json")
            assert json.loads(result.stdout)["title"] == expected[n - 1], (command, n)
    assert home.hits("/Actualites") == 3 and home.hits(page2) == 3  # once per walk that asks (list --all: fresh)


# ---------------------------------------------------------------------- read-only cache
# The site is served from the test's process; the CLI runs in a child with mounts of its own.
def test_a_read_only_cache_directory_still_serves_the_cache(home, cache_mount):
    arts = _site(home)

    def with_its_own_mounts() -> None:
        tmpfs(cache_mount)
        assert run_in_process("sync").exit_code == 0
        read_only(cache_mount)

        result = run_in_process("list", "--offline", "--json")
        assert [i["title"] for i in json.loads(result.stdout)] == [a.title for a in arts]
        assert result.stderr.count("Warning:") <= 1 and "Error" not in result.stderr, result.stderr
        result = run_in_process("read", "2", "--offline", "--json")
        assert result.exit_code == 0 and json.loads(result.stdout)["title"] == arts[1].title
        result = run_in_process("search", "--full", arts[2].title.split()[-1], "--json")
        assert result.exit_code == 0, result.stderr
        # Online, the fetched listing is shown; nothing can be saved, and that is said once.
        result = run_in_process("list", "--refresh")
        assert result.exit_code == 0 and arts[0].title in result.stdout
        assert result.stderr.count("Warning:") == 1 and "not saved" in result.stderr
        # Clearing cannot work: said so, exit 1, and the cache is intact.
        result = run_in_process("cache", "clear")
        assert result.exit_code == 1, result.stderr
        assert "Cleared" not in result.stderr and "Error: could not clear the cache" in result.stderr
        assert len(listed("--offline")) == len(arts)

    run_with_own_mounts(with_its_own_mounts)


def test_a_read_only_cache_file_is_never_reported_cleared(home, cache_mount):
    arts = _site(home)

    def with_its_own_mounts() -> None:
        tmpfs(cache_mount)
        assert run_in_process("sync").exit_code == 0
        read_only(cache_mount / "cache.db")

        result = run_in_process("cache", "clear")
        assert result.exit_code == 1, result.stderr
        assert "Cleared" not in result.stderr and "Error: could not clear the cache" in result.stderr
        assert "unexpected" not in result.stderr
        assert len(listed("--offline")) == len(arts)
        result = run_in_process("read", "1", "--offline", "--json")
        assert json.loads(result.stdout)["title"] == arts[0].title

    run_with_own_mounts(with_its_own_mounts)


# ---------------------------------------------------------------------- full disk
def test_a_full_disk_while_creating_the_cache(home, dirs, monkeypatch, tmp_path):
    arts = _site(home)
    mount = tmp_path / "small"
    monkeypatch.setenv("LILLENEWS_CACHE_DIR", str(mount / "cache"))

    def with_its_own_mounts() -> None:
        tmpfs(mount, size="48k")  # room for the file's first pages, not for the tables
        for _ in range(2):  # the first run's half-built file does not break the next one
            result = run_in_process("list")
            assert result.exit_code == 0, result.stderr
            assert arts[0].title in result.stdout
            assert "database or disk is full" in result.stderr, result.stderr
            assert "cannot rollback" not in result.stderr and "unexpected" not in result.stderr
            assert not (mount / "cache" / "cache.db").exists(), "the half-built file was left behind"
        # Room again: the cache is created and used.
        resize(mount, "4m")
        result = run_in_process("list")
        assert result.exit_code == 0 and result.stderr == "", result.stderr
        assert [i["title"] for i in listed("--offline")] == [a.title for a in arts]

    run_with_own_mounts(with_its_own_mounts)


# ---------------------------------------------------------------------- corrupted full-text index
@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE search_fts_data SET block = randomblob(length(block)) WHERE id > 10",
        "UPDATE search_fts_data SET block = substr(block, 1, 20) WHERE id > 10",
        "DELETE FROM search_fts_docsize",  # the full-text index (store/search_index.py)
    ],
)
def test_a_corrupted_full_text_index_is_moved_aside_and_rebuilt(home, dirs, damage):
    arts = _site(home)
    assert run_in_process("sync").exit_code == 0
    db = dirs["cache"] / "cache.db"
    conn = sqlite3.connect(db)
    conn.execute(damage)
    conn.commit()
    conn.close()
    result = run_in_process("search", "--full", "ville")
    assert "unexpected" not in result.stderr and "malformed" in result.stderr, result.stderr
    assert "moved it to cache.db.broken-" in result.stderr
    assert list(db.parent.glob("cache.db.broken-*"))
    # The new cache works: sync fills it again and full-text search finds the articles.
    assert run_in_process("sync").exit_code == 0
    result = run_in_process("search", "--full", arts[0].title.split()[-1], "--json")
    assert result.exit_code == 0 and json.loads(result.stdout), result.stderr


# ---------------------------------------------------------------------- not a regular file
@pytest.mark.parametrize("name", ["cache", "data"])
def test_a_fifo_in_place_of_a_database_never_hangs(home, dirs, name):
    _site(home)
    db = dirs[name] / ("cache.db" if name == "cache" else "state.db")
    db.parent.mkdir(parents=True)
    os.mkfifo(db)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run_in_process("list")), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "lillenews hung on a FIFO"
    assert result[0].exit_code == 2, result[0].stderr
    assert result[0].stderr.startswith("Error: ") and "not a regular file" in result[0].stderr
    assert result[0].stderr.count("\n") == 1


# ---------------------------------------------------------------------- creating the cache at once
def test_a_lock_sqlite_does_not_wait_for_while_creating_is_waited_out(tmp_path, monkeypatch):
    """Several processes creating a new cache at once can meet "database is locked"
    where SQLite's busy timeout does not apply: the creation is tried again."""
    import lillenews.store.database as database
    from lillenews.store.cache import Cache

    real = database.Database._check
    calls = []

    def check(self, conn):
        calls.append(1)
        if len(calls) < 3:
            exc = sqlite3.OperationalError("database is locked")
            exc.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
            raise exc
        return real(self, conn)

    monkeypatch.setattr(database.Database, "_check", check)
    warnings: list[str] = []
    cache = Cache(tmp_path / "cache.db", warnings.append)
    assert cache.pages() == [] and cache.writable and warnings == []
    assert len(calls) == 3
    cache.close()
