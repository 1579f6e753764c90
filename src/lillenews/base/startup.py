"""Start-up helpers (issue 21): a warm command's time is mostly its imports."""

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PAUSING = False  # only in the console script's own process (lillenews/__main__.py)


def short_lived_process() -> None:
    """Say that this process runs one command and ends (the console script): the imports
    below may then pause the collector and freeze what they made. Elsewhere (the tests'
    in-process runs, a program importing lillenews) they change nothing."""
    global _PAUSING
    _PAUSING = True


@contextmanager
def uncollected_imports(module: str) -> Iterator[None]:
    """Import `module` (in the block) with the cyclic garbage collector off, then freeze
    what the import made out of its sight (`gc.freeze`) and turn it back on. Objects an
    import makes (classes, functions, constants) live as long as the process: the dozens
    of passes the collector makes over them during a big import, and every full pass after
    it, find nothing to free (see lillenews/__main__.py).

    Once `module` is imported the block runs as it is (a process that lives on, as the
    reader, must not freeze its garbage at every call), and outside the console script's
    process it always does (see `short_lived_process`)."""
    if not _PAUSING or module in sys.modules:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
