"""The store under crashes and bad files: crash safety, corrupted or future caches, several processes
at once, a cache that cannot be written (unwritable directory, full disk).

The cache (cache dir) may be rebuilt; the user's own state (read marks, state.db
in the data dir) must never be lost by it."""

from __future__ import annotations

import glob
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from server import ARTICLE_PATHS, SEED_HEADLINES


def words(text: str) -> str:
    return " ".join(text.split())


def assert_headlines_shown(stdout: str, n: int = 20) -> None:
    shown = words(stdout)
    for title in SEED_HEADLINES[:n]:
        assert words(title) in shown, f"headline {title!r} not shown"


def one_warning(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: "), f"expected one warning line, got {stderr!r}"
    assert "Traceback" not in stderr
    return lines[0]


def marks(data_dir: Path) -> set[str]:
    conn = sqlite3.connect(data_dir / "state.db")
    try:
        return {r[0] for r in conn.execute("SELECT url FROM marks WHERE read_at IS NOT NULL")}
    finally:
        conn.close()


# ---------------------------------------------------------------------------- crash safety
WRITER = r"""
import sys, time
from pathlib import Path
from lillenews.base.models import Article, Block, Inline
from lillenews.store.cache import Cache

cache = Cache(Path(sys.argv[1]), lambda message: print("warning", message, flush=True))
count = int(sys.argv[2])
filler = "Le conseil municipal a délibéré sur la vidéoprotection. " * 400
for n in range(count):
    url = f"https://www.lille.fr/Actualites/Article-{n}"
    article = Article(url=url, title=f"Article {n}", lead=f"Chapô {n}",
                      blocks=(Block("paragraph", inlines=(Inline(f"{n} {filler}"),)),))
    ok = cache.save_article(url, article, article.plain_text(), f'"etag-{n}"', None, time.time())
    print(("committed " if ok else "not-saved ") + url, flush=True)
print("done", flush=True)
"""


def test_a_process_killed_mid_write_leaves_a_sound_store_with_every_commit(tmp_path):
    db = tmp_path / "cache" / "cache.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "20000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    lines: list[str] = []
    try:
        while len(lines) < 300:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        proc.send_signal(signal.SIGKILL)  # in the middle of the bulk write
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines += [line.strip() for line in rest.splitlines()]
    assert proc.returncode == -signal.SIGKILL
    assert "done" not in lines, "the writer finished before it was killed: nothing was tested"
    assert not any(line.startswith(("warning", "not-saved")) for line in lines), lines[:5]
    committed = {line.split(" ", 1)[1] for line in lines if line.startswith("committed ")}
    assert len(committed) >= 300

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO headline_tri(headline_tri) VALUES ('integrity-check')")
    finally:
        conn.close()

    from lillenews.store.cache import Cache

    warnings: list[str] = []
    cache = Cache(db, warnings.append)
    try:
        stored = set(cache.article_validators())
        missing = committed - stored
        assert not missing, f"{len(missing)} committed articles lost, e.g. {sorted(missing)[:3]}"
        assert warnings == [], "the store was rebuilt after the crash (everything committed lost)"
        last = max(committed, key=lambda u: int(u.rsplit("-", 1)[1]))
        cached = cache.article(last)
        assert cached is not None and cached.article.title == "Article " + last.rsplit("-", 1)[1]
        assert cached.etag == f'"etag-{last.rsplit("-", 1)[1]}"'
        # and the full-text index agrees with the table
        assert len(cache.search_full("vidéoprotection", 100000)) == len(stored)
    finally:
        cache.close()


# ---------------------------------------------------------------------------- corrupted caches
def _random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(64 * 1024))


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _truncated_header(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:1000])


def _future_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "damage",
    [_random_bytes, _truncated, _truncated_header, _future_schema],
    ids=["random bytes", "truncated", "truncated mid-header page", "future schema"],
)
def test_a_broken_cache_is_moved_aside_and_rebuilt_without_touching_read_marks(cli, dirs, damage):
    assert cli("list").exit_code == 0
    marked = cli("mark", "1", "2")
    assert marked.exit_code == 0, marked.stderr
    read_before = marks(dirs["data"])
    assert len(read_before) == 2

    db = dirs["cache"] / "cache.db"
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    damage(db)
    damaged = db.read_bytes()

    result = cli("list")
    assert result.exit_code == 0, result.stderr
    warning = one_warning(result.stderr)
    assert "cache" in warning and "broken" in warning, warning
    assert_headlines_shown(result.stdout)

    aside = sorted(glob.glob(str(dirs["cache"] / "cache.db.broken-*")))
    aside = [p for p in aside if not p.endswith(("-wal", "-shm"))]
    assert len(aside) == 1, os.listdir(dirs["cache"])
    assert Path(aside[0]).read_bytes() == damaged, "the broken cache was not kept as it was"

    # the user's state is untouched: same file, same read marks
    assert marks(dirs["data"]) == read_before
    assert not glob.glob(str(dirs["data"] / "*.broken-*"))

    # and the new cache works: the listing is cached again, marks still apply
    again = cli("list", "--offline", "--json")
    assert again.exit_code == 0, again.stderr
    items = json.loads(again.stdout)
    assert [i["title"] for i in items] == SEED_HEADLINES[:20]
    assert [i["read"] for i in items[:3]] == [True, True, False]
    third = cli("list")
    assert third.exit_code == 0 and third.stderr == "", "the rebuilt cache warned again"


def test_a_broken_reading_state_is_moved_aside_never_deleted(cli, dirs):
    assert cli("list").exit_code == 0
    assert cli("mark", "1").exit_code == 0
    state = dirs["data"] / "state.db"
    state.write_bytes(b"this is not a database" * 100)
    result = cli("list")
    assert result.exit_code == 0, result.stderr
    warning = one_warning(result.stderr)
    assert "state" in warning or "read" in warning
    aside = [p for p in glob.glob(str(dirs["data"] / "state.db.broken-*")) if not p.endswith(("-wal", "-shm"))]
    assert len(aside) == 1
    assert Path(aside[0]).read_bytes() == b"this is not a database" * 100
    # the cache was not touched by it
    assert not glob.glob(str(dirs["cache"] / "*.broken-*"))


# ---------------------------------------------------------------------------- several processes
def _subprocess_env(site, dirs) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "LILLENEWS_BASE_URL": site.base_url,
            "LILLENEWS_CACHE_DIR": str(dirs["cache"]),
            "LILLENEWS_DATA_DIR": str(dirs["data"]),
            "LILLENEWS_CONFIG_DIR": str(dirs["config"]),
            "LILLENEWS_TIMEOUT": "5",
            "NO_COLOR": "1",
            "COLUMNS": "120",
        }
    )
    return env


def _together(env: dict, *args: str, n: int = 3) -> list[tuple[int, str, str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "lillenews", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for _ in range(n)
    ]
    out = []
    for p in procs:
        try:
            stdout, stderr = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
        out.append((p.returncode, stdout, stderr))
    return out


def test_three_list_refresh_at_once_on_a_new_then_a_warm_cache(site, dirs):
    env = _subprocess_env(site, dirs)
    for round_ in ("new cache", "warm cache"):
        for code, stdout, stderr in _together(env, "list", "--refresh", "--limit", "40"):
            assert "locked" not in stderr.lower(), (round_, stderr)
            assert code == 0, (round_, stderr)
            assert stderr == "", (round_, stderr)
            assert_headlines_shown(stdout, 40)
    conn = sqlite3.connect(dirs["cache"] / "cache.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 4
    finally:
        conn.close()


# ---------------------------------------------------------------------------- cannot write the cache
def test_an_unwritable_cache_dir_still_shows_what_was_fetched(cli, dirs, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a regular file where the cache's parent directory should be\n")
    monkeypatch.setenv("LILLENEWS_CACHE_DIR", str(blocker / "lillenews"))

    result = cli("list")
    assert result.exit_code == 0, result.stderr
    warning = one_warning(result.stderr)
    assert "could not write the cache" in warning and "not saved" in warning, warning
    assert_headlines_shown(result.stdout)

    article = cli("read", ARTICLE_PATHS["securite"], "--no-pager")
    assert article.exit_code == 0, article.stderr
    one_warning(article.stderr)
    assert "Sécurité" in article.stdout

    # the read mark (data dir) was still recorded
    assert marks(dirs["data"]) == {os.environ["LILLENEWS_BASE_URL"] + ARTICLE_PATHS["securite"]}


def _full_disk(monkeypatch, pages: int) -> None:
    """Every connection to cache.db may hold at most `pages` pages (SQLITE_FULL beyond)."""
    import lillenews.store.database as database

    real = database._connect

    def connect(path):
        conn = real(path)
        if Path(str(path)).name == "cache.db":
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(database, "_connect", connect)


def test_a_full_disk_with_an_existing_cache_still_shows_what_was_fetched(cli, dirs, monkeypatch):
    _create_empty_cache(dirs["cache"] / "cache.db")
    _full_disk(monkeypatch, 1)  # no room to grow

    result = cli("list")
    assert result.exit_code == 0, result.stderr
    warning = one_warning(result.stderr)
    assert "could not write the cache" in warning and "full" in warning, warning
    assert_headlines_shown(result.stdout)


def test_a_full_disk_for_a_new_cache_still_shows_what_was_fetched(cli, dirs, monkeypatch):
    """The disk is full before the cache's tables could be created."""
    _full_disk(monkeypatch, 2)

    result = cli("list")
    assert result.exit_code == 0, result.stderr
    warning = one_warning(result.stderr)
    assert "could not write the cache" in warning and "full" in warning, warning
    assert_headlines_shown(result.stdout)

    article = cli("read", ARTICLE_PATHS["securite"], "--no-pager")
    assert article.exit_code == 0, article.stderr
    assert "Sécurité" in article.stdout


def _create_empty_cache(db: Path) -> None:
    from lillenews.store.cache import Cache

    cache = Cache(db, lambda message: None)
    assert cache.pages() == []
    cache.close()


def test_two_rebuilds_in_the_same_second_keep_both_broken_copies(tmp_path):
    from lillenews.store.cache import Cache

    db = tmp_path / "cache.db"
    warnings: list[str] = []
    for content in (b"first broken file" * 100, b"second broken file" * 100):
        db.write_bytes(content)
        cache = Cache(db, warnings.append)
        assert cache.pages() == []  # opened (rebuilt) without error
        cache.close()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("cache.db.broken-*") if not p.name.endswith(("-wal", "-shm")))
    assert kept == sorted([b"first broken file" * 100, b"second broken file" * 100])
    assert len(warnings) == 2


# ---------------------------------------------------------------------------- error classification
def _sqlite_error(sql: str, path: str = ":memory:") -> sqlite3.Error:
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql)
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError(f"{sql!r} did not fail")


def test_sqlite_errors_are_classified_by_their_code_not_their_message():
    """A message that merely mentions 'corrupt' or 'full' (here, a table's name) is not a
    damaged or full store: only SQLite's own error code says so."""
    from lillenews.store.database import _is_corruption, _is_write_failure

    misleading = _sqlite_error('SELECT * FROM "corrupt notes, disk is full"')
    assert misleading.sqlite_errorname == "SQLITE_ERROR"
    assert "corrupt" in str(misleading) and "disk is full" in str(misleading)
    assert not _is_corruption(misleading)
    assert not _is_write_failure(misleading)


def test_real_corruption_and_write_failures_are_recognised(tmp_path):
    from lillenews.store.database import _is_corruption, _is_write_failure

    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    corrupt = _sqlite_error("SELECT * FROM sqlite_master", str(not_a_db))
    assert _is_corruption(corrupt) and not _is_write_failure(corrupt)

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.Error) as full:
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    conn.close()
    assert full.value.sqlite_errorname == "SQLITE_FULL"
    assert _is_write_failure(full.value) and not _is_corruption(full.value)
    assert _is_write_failure(OSError(28, "No space left on device"))
