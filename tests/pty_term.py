"""A real terminal for tests and benchmarks: a program in a pseudo-terminal of a
given size, its output read by a terminal emulator (pyte) into a screen of text.

    with PtyTerm([sys.executable, "-m", "lillenews", "browse"], env=env) as term:
        term.wait_for("Actualités")          # seconds since the process started
        term.send("j")
        term.wait_for(lambda t: "2." in t)
        print(term.text())

Keys are sent as the bytes a terminal sends (`KEYS["down"]`). Nothing here knows
lillenews: the benchmark also runs a bare Textual app with it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable

import pyte

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "tab": "\t",
    "end": "\x1b[F",
}


def _set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyTerm:
    def __init__(
        self,
        argv: list[str],
        env: dict[str, str] | None = None,
        rows: int = 24,
        cols: int = 80,
        term: str = "xterm-256color",
    ) -> None:
        self.argv = argv
        self.env = dict(os.environ if env is None else env)
        self.env["TERM"] = term  # what pyte emulates, whatever the caller's terminal (or CI's) is
        self.rows, self.cols = rows, cols
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.pid = 0
        self.fd = -1
        self.started = 0.0
        self.raw = bytearray()
        self.exit_status: int | None = None
        self.cpu_seconds: float | None = None  # user + system time of the program, once it ended

    def start(self) -> PtyTerm:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal and stdio
            try:
                _set_size(0, self.rows, self.cols)
                os.execvpe(self.argv[0], self.argv, self.env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        return self

    def __enter__(self) -> PtyTerm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pump(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout` seconds; False at its end."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal
            return False
        if not data:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 15.0) -> float:
        """Seconds from the process start until the screen shows `what`."""
        test = what if callable(what) else (lambda text: what in text)
        deadline = time.perf_counter() + timeout
        while True:
            if test(self.text()):
                return time.perf_counter() - self.started
            left = deadline - time.perf_counter()
            if left <= 0 or not self.pump(min(left, 0.05)):
                if test(self.text()):
                    return time.perf_counter() - self.started
                raise AssertionError(f"the screen never showed {what!r}:\n{self.text()}")

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            before = len(self.raw)
            if not self.pump(quiet) or len(self.raw) == before:
                return

    def send(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, KEYS.get(key, key).encode())
            self.settle(0.05)

    def resize(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.screen.resize(rows, cols)
        _set_size(self.fd, rows, cols)
        os.kill(self.pid, signal.SIGWINCH)

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                self.cpu_seconds = usage.ru_utime + usage.ru_stime
                return self.exit_status
            self.pump(0.05)
        raise AssertionError(f"the program did not end:\n{self.text()}")

    def close(self) -> None:
        if self.exit_status is None and self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.exit_status = -9
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
