"""The console script's exit (lillenews/__main__.py): it leaves with `os._exit` to skip
the interpreter's teardown, so everything the teardown did that a user can see must
still happen — the exit code, every byte of stdout and stderr, the threads still
running, the `atexit` handlers — and a profiler's report must still be printed.

Each case runs a real Python process: `_leave` ends the process it runs in."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import run_subprocess


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, timeout=60, check=False
    )


@pytest.mark.parametrize("code", [0, 1, 2, 130])
def test_the_exit_code_is_the_commands(code: int) -> None:
    done = run_python(f"from lillenews.__main__ import _leave; _leave({code})")
    assert done.returncode == code
    assert done.stderr == b""


def test_unflushed_output_is_written_whole_before_leaving() -> None:
    done = run_python(
        """
        import sys
        from lillenews.__main__ import _leave
        sys.stdout.write("é" * 300_000)   # far more than the buffer: part still buffered at exit
        sys.stderr.write("Warning: last line")
        _leave(0)
        """
    )
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == "é" * 300_000
    assert done.stderr.decode("utf-8").endswith("Warning: last line")


def test_atexit_handlers_run_once_before_leaving() -> None:
    done = run_python(
        """
        import atexit
        from lillenews.__main__ import _leave
        atexit.register(print, "handler ran")
        _leave(0)
        """
    )
    assert done.stdout.decode().splitlines() == ["handler ran"]


def test_a_thread_still_running_is_waited_for_as_the_interpreter_would() -> None:
    done = run_python(
        """
        import threading, time
        from lillenews.__main__ import _leave
        def late() -> None:
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        _leave(0)
        """
    )
    assert done.stdout.decode().splitlines() == ["thread finished"]


def test_a_thread_pool_never_shut_down_does_not_hold_up_the_exit() -> None:
    # its idle worker stops as at the interpreter's own exit (the pools' exit hook runs)
    done = run_python(
        """
        from concurrent.futures import ThreadPoolExecutor
        from lillenews.__main__ import _leave
        pool = ThreadPoolExecutor(1)
        print(pool.submit(lambda: "job done").result())
        _leave(0)
        """
    )
    assert (done.returncode, done.stdout.decode().split()) == (0, ["job", "done"])


def test_ctrl_c_while_waiting_for_a_thread_exits_130_without_a_traceback() -> None:
    code = textwrap.dedent(
        """
        import sys, threading, time
        from lillenews.__main__ import _leave

        def main_thread_is_waiting() -> bool:
            frame = sys._current_frames().get(threading.main_thread().ident)
            while frame is not None and frame.f_code.co_name != "_shutdown":
                frame = frame.f_back
            return frame is not None

        def late() -> None:
            give_up = time.monotonic() + 20  # an exit that never waits: the test fails, never hangs
            while not main_thread_is_waiting() and time.monotonic() < give_up:
                time.sleep(0.01)
            print("waiting", flush=True)  # the main thread is inside the exit's wait
            time.sleep(60)

        threading.Thread(target=late).start()
        _leave(0)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"waiting\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert b"Traceback" not in err


def test_a_failed_final_flush_ends_as_the_interpreters_own_exit_would() -> None:
    def to_full_disk(code: str) -> subprocess.CompletedProcess[bytes]:
        with open("/dev/full", "w") as full:  # every flush fails with ENOSPC
            return subprocess.run(
                [sys.executable, "-c", code], stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
            )

    ours = to_full_disk("import sys; from lillenews.__main__ import _leave\nsys.stdout.write('x')\n_leave(0)")
    plain = to_full_disk("import sys; import lillenews.__main__\nsys.stdout.write('x')\n")
    assert ours.returncode == plain.returncode != 0
    assert b"No space left on device" in ours.stderr


def test_a_profiler_still_prints_its_report() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "lillenews", "--version"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    out = done.stdout.decode()
    assert out.startswith("lillenews ")
    assert "function calls" in out  # cProfile's report, printed after the command


def test_the_collector_is_on_after_the_imports_and_their_objects_are_frozen() -> None:
    done = run_python(
        """
        import gc, sys
        import lillenews.__main__ as entry
        sys.argv = ["lillenews", "--version"]
        entry._leave = lambda code: print(gc.isenabled(), gc.get_freeze_count() > 10_000, code)
        entry.main()
        """
    )
    assert done.stdout.decode().split()[-3:] == ["True", "True", "0"]


def test_real_commands_end_with_their_code_and_their_whole_output(dirs: object) -> None:
    failed = run_subprocess("list", "--offline")  # an empty cache: one error line, exit 1
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert failed.stderr.startswith("Error: ") and failed.stderr.count("\n") == 1
    assert run_subprocess("list", "--limit", "zero").exit_code == 2
    shown = run_subprocess("--help")
    assert shown.exit_code == 0
    assert shown.stdout.rstrip().endswith("cache      Inspect or clear the local cache.")  # the last line too
