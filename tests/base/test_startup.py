"""base/startup.py: imports made with the cyclic collector paused (issue 21)."""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Iterator

import pytest

from lillenews.base import startup
from lillenews.base.startup import uncollected_imports

NEW = "lillenews_test_startup_not_yet_imported"


@pytest.fixture(autouse=True)
def _collector_restored(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(startup, "_PAUSING", True)  # as in the console script's process
    enabled = gc.isenabled()
    yield
    gc.unfreeze()  # the test process keeps collecting what it made
    sys.modules.pop(NEW, None)
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with uncollected_imports(NEW):
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with uncollected_imports(NEW):
        pass
    assert not gc.isenabled()


def test_what_the_import_made_is_frozen_out_of_the_collectors_sight() -> None:
    gc.unfreeze()
    with uncollected_imports(NEW):
        made = [{"a module's object": n} for n in range(1000)]
    assert gc.get_freeze_count() >= len(made)


def test_once_the_module_is_imported_nothing_is_paused_nor_frozen() -> None:
    gc.enable()
    gc.unfreeze()
    sys.modules[NEW] = types.ModuleType(NEW)
    with uncollected_imports(NEW):
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_an_import_that_fails_still_turns_the_collector_back_on() -> None:
    gc.enable()
    with pytest.raises(ModuleNotFoundError), uncollected_imports(NEW):
        import lillenews_test_startup_not_yet_imported  # noqa: F401
    assert gc.isenabled()


def test_outside_the_console_scripts_process_nothing_is_paused_nor_frozen(monkeypatch) -> None:
    monkeypatch.setattr(startup, "_PAUSING", False)  # e.g. the tests' in-process runs of the CLI
    gc.enable()
    gc.unfreeze()
    with uncollected_imports(NEW):
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    startup.short_lived_process()
    with uncollected_imports(NEW):
        assert not gc.isenabled()
