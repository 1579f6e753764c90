"""`python -m lillenews` and the `lillenews` console script.

A warm command's time is mostly start-up, and two parts of it are Python's, not ours
(issue 21's measurements, warm piped `list` on the 2-core machine):

- the cyclic garbage collector runs dozens of times while ~190 modules are imported, and
  finds nothing to free: every object an import makes lives until the process ends
  (≈ 4 ms). The collector is off while the commands are imported, then the imported
  objects are frozen out of its sight (`gc.freeze`) and it is on again for the command
  itself (a `sync` or `browse` allocates plenty); base/startup.py does the same for the
  big libraries a command imports later (Rich, httpx, Textual);
- tearing the interpreter down — clearing every module, running every finaliser — only
  to hand the memory back to the system (≈ 14 ms, longer than importing all of
  lillenews). When the command has ended, we do what the interpreter's exit would have
  done that matters (stop the thread pools and wait for the threads still running, run the
  `atexit` handlers, flush stdout and stderr) and leave with `os._exit`. The stores were closed by the command
  (every connection is a context manager). If a flush fails, or a profiler or a tracer
  (cProfile, coverage) is watching, the interpreter exits the usual way instead.
"""

import sys


def main() -> None:
    from lillenews.base import startup

    startup.short_lived_process()
    with startup.uncollected_imports("lillenews.cli.app"):
        from lillenews.cli.app import main as run
    try:
        code = run()
    except SystemExit as exc:  # a library's own exit (Textual, webbrowser): its code
        code = _code_of(exc)
    _leave(code)


def _code_of(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)  # what the interpreter does with a message
    return 1


def _leave(code: int) -> None:
    """Exit with `code`, skipping the interpreter's teardown when nothing depends on it."""
    import atexit
    import os
    import threading

    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    try:
        # What the interpreter runs first at exit: the thread pools' exit hooks (an idle
        # worker of a pool never shut down stops), then a wait for every non-daemon thread.
        threading._shutdown()  # type: ignore[attr-defined]
    except KeyboardInterrupt:  # Ctrl-C while waiting: the user's own interruption
        code = 130
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)  # the interpreter's own exit reports (or ignores) what failed, as before
    os._exit(code)


if __name__ == "__main__":
    main()
