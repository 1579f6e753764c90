"""base/startup.py: imports made with the cyclic collector paused (issue 21)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from lillenews.base.startup import uncollected_imports


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()  # the test process keeps collecting what it made
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with uncollected_imports():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with uncollected_imports():
        pass
    assert not gc.isenabled()


def test_what_the_imports_made_is_frozen_out_of_the_collectors_sight() -> None:
    gc.unfreeze()
    with uncollected_imports():
        made = [{"a module's object": n} for n in range(1000)]
    assert gc.get_freeze_count() >= len(made)


def test_an_import_that_fails_still_turns_the_collector_back_on() -> None:
    gc.enable()
    with pytest.raises(ModuleNotFoundError), uncollected_imports():
        import lillenews_no_such_module  # noqa: F401
    assert gc.isenabled()
