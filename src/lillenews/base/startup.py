"""Start-up helpers (issue 21): a warm command's time is mostly its imports."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def uncollected_imports() -> Iterator[None]:
    """The cyclic garbage collector off while modules are imported, then what they made
    frozen out of its sight (`gc.freeze`). Objects an import makes (classes, functions,
    constants) live as long as the process: the dozens of passes the collector makes over
    them during a big import find nothing to free (see lillenews/__main__.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
