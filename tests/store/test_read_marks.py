"""Read marks and seen headlines in the reading state (store/cache.py UserState): what is
already recorded is not written again (a warm `read` or `list` commits nothing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lillenews.store.cache import UserState

A, B = "https://www.lille.fr/Actualites/A", "https://www.lille.fr/Actualites/B"


@pytest.fixture
def state(tmp_path) -> Iterator[tuple[UserState, list[str]]]:
    db = UserState(tmp_path / "state.db", lambda message: None)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    yield db, statements
    db.close()


def test_an_article_read_again_keeps_its_first_time_and_writes_nothing(state) -> None:
    db, statements = state
    assert db.mark_read([A], 100.0)
    statements.clear()
    assert db.mark_read([A], 200.0)
    assert not any(s.startswith(("BEGIN", "INSERT")) for s in statements), statements
    assert db.read("SELECT url, read_at FROM marks") == [(A, 100.0)]


def test_only_the_new_of_several_are_written(state) -> None:
    db, statements = state
    db.mark_read([A], 100.0)
    statements.clear()
    assert db.mark_read([A, B, B], 200.0)
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == 1 and B in inserts[0], inserts
    assert sorted(db.read("SELECT url, read_at FROM marks")) == [(A, 100.0), (B, 200.0)]


def test_an_article_marked_unread_is_marked_read_again(state) -> None:
    db, _ = state
    db.mark_read([A], 100.0)
    db.mark_unread([A])
    db.mark_read([A], 300.0)
    assert db.read_urls() == {A}
    assert db.read("SELECT read_at FROM marks") == [(300.0,)]


def test_headlines_seen_before_write_nothing(state) -> None:
    db, statements = state
    db.mark_seen([A], 100.0)
    statements.clear()
    assert db.mark_seen([A], 200.0)
    assert not any(s.startswith(("BEGIN", "INSERT")) for s in statements), statements
    assert db.mark_seen([A, B], 300.0)
    assert sorted(db.read("SELECT url, first_seen FROM seen")) == [(A, 100.0), (B, 300.0)]
