"""The ledger of `lillenews new` (store/new_items.py) in the reading state: claims taken in
one transaction, confirmed or released; a claim of a live run is respected, a dead run's
(its process gone, or older than the lease) taken over; nothing of it touches the read
marks, and the state file keeps its schema version (an older lillenews still opens it)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mounts import read_only, run_with_own_mounts, tmpfs

from lillenews.base.errors import CacheError
from lillenews.store import new_items
from lillenews.store.cache import STATE_SCHEMA_VERSION, UserState
from lillenews.store.new_items import Item, Ledger

A, B, C = (Item("news", f"https://www.lille.fr/Actualites/{x}") for x in "ABC")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def state(tmp_path):
    db = UserState(tmp_path / "state.db", lambda message: None)
    yield db
    db.close()


def test_claim_confirm_release(state):
    clock = Clock()
    ledger = Ledger(state, now=clock)
    assert not ledger.started("news")
    ledger.remember([A], ["news"])
    assert ledger.started("news") and not ledger.started("event")
    assert ledger.claim([A, B, C]) == [B, C]  # A was remembered: seen
    ledger.confirm([B])
    ledger.release([C])
    assert ledger.taken("news", [A.url, B.url, C.url]) == {A.url, B.url}
    assert ledger.claim([C]) == [C]  # released: new again


def test_a_live_runs_claim_is_respected_and_a_dead_runs_taken_over(state, tmp_path):
    clock = Clock()
    first, second = Ledger(state, now=clock), Ledger(state, now=clock)
    assert first.claim([A, B]) == [A, B]
    assert second.claim([A, B, C]) == [C]  # never twice
    # The first run's process is gone: its claims are free again (never lost).
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    host = first.token.split(":")[0]
    state.conn.execute(
        "UPDATE new_items SET claim = ? WHERE claim = ?", (f"{host}:{dead.stdout.strip()}:x", first.token)
    )
    assert second.claim([A, B]) == [A, B]


def test_a_claim_older_than_the_lease_is_taken_over(state):
    clock = Clock()
    first, second = Ledger(state, now=clock), Ledger(state, now=clock)
    first.claim([A])
    clock.t += new_items.CLAIM_LEASE_S - 1
    assert second.claim([A]) == []
    clock.t += 2
    assert second.claim([A]) == [A]
    first.confirm([A])  # the first run's late confirmation changes nothing: the claim is second's
    assert state.read("SELECT claim, seen_at FROM new_items")[0] == (second.token, None)
    assert Ledger(state, now=clock).taken("news", [A.url]) == {A.url}


def test_skipped_items_are_seen_without_being_claimed(state):
    ledger = Ledger(state, now=Clock())
    assert ledger.claim([A], skipped=[B]) == [A]
    assert ledger.taken("news", [B.url]) == {B.url}
    assert ledger.claim([B]) == []


def test_the_ledger_leaves_the_read_marks_and_the_schema_version_alone(state):
    state.mark_read([A.url], 1.0)
    Ledger(state, now=Clock()).claim([A, B])
    assert state.read_urls() == {A.url}
    assert state.read("PRAGMA user_version")[0][0] == STATE_SCHEMA_VERSION == 3


def test_a_state_served_read_only_or_in_memory_is_a_failure_not_a_silent_forgetting(state):
    """The store degrades to read-only or memory when it cannot write (a warning): `new`
    would then report items it cannot remember, so it fails instead."""
    state.read("SELECT 1")
    state.writable = False
    with pytest.raises(CacheError, match="cannot write the reading state"):
        Ledger(state, now=Clock()).claim([A])


def test_an_unwritable_state_is_a_failure_not_a_silent_forgetting(tmp_path):
    """The state's directory on a read-only file system: unwritable for root too (chmod is
    not), in a mount namespace of the test's own (tests/mounts.py)."""
    directory = tmp_path / "ro"

    def with_its_own_mounts() -> None:
        tmpfs(directory)
        first = UserState(directory / "state.db", lambda message: None)
        first.mark_read([A.url], 1.0)
        first.close()
        read_only(directory)
        db = UserState(directory / "state.db", lambda message: None)
        with pytest.raises(CacheError, match="cannot write the reading state"):
            Ledger(db, now=Clock()).claim([A])
        db.close()

    run_with_own_mounts(with_its_own_mounts)
