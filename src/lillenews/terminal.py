"""The injectable terminal (httpie's Environment): where output goes and what it can show.

The CLI gets one `Terminal` and never reads `sys.stdout`, `os.environ` or TTY flags
itself; tests build one from StringIO streams, fixed flags and a fixed width, and
run commands in-process. Rich is imported only when a Rich console is asked for:
piped and JSON output never pay for it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from .text import clean

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, RenderableType
    from rich.pager import Pager

PLAIN_DEFAULT_WIDTH = 80  # what Rich assumes for pipes too
PLAIN_MIN_WIDTH = 20


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Terminal:
    """stdout/stderr with their TTY flags, the width, colour rules (NO_COLOR,
    FORCE_COLOR) and the pager. Unset flags are found from the streams and the
    environment, as a real terminal would give them. (A plain class, not a
    dataclass: it is built on every start-up.)"""

    def __init__(
        self,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        stdout_isatty: bool | None = None,
        stderr_isatty: bool | None = None,
        width: int | None = None,
        height: int | None = None,
        pager: Pager | None = None,
    ) -> None:
        self.stdout: TextIO = sys.stdout if stdout is None else stdout
        self.stderr: TextIO = sys.stderr if stderr is None else stderr
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        # None: ask the stream
        self.stdout_isatty: bool = _isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        self.stderr_isatty: bool = _isatty(self.stderr) if stderr_isatty is None else stderr_isatty
        self.width = width  # None: COLUMNS, else the terminal's (Rich) or 80 (plain)
        self.height = height  # None: LINES, else the terminal's
        self.pager = pager  # None: Rich's system pager (PAGER, else pydoc's choice)
        self._consoles: dict[str, Console] = {}

    # ------------------------------------------------------------------ what it can show
    @property
    def no_color(self) -> bool:
        return bool(self.environ.get("NO_COLOR"))

    @property
    def rich_stdout(self) -> bool:
        """Rich (colours, hyperlinks, pager) only for a terminal; pipes get plain text."""
        return self.stdout_isatty or bool(self.environ.get("FORCE_COLOR"))

    @property
    def rich_stderr(self) -> bool:
        return self.stderr_isatty

    @property
    def plain_width(self) -> int:
        """Columns for plain output: the given width, else COLUMNS, else 80."""
        if self.width is not None:
            return max(PLAIN_MIN_WIDTH, self.width)
        try:
            return max(PLAIN_MIN_WIDTH, int(self.environ.get("COLUMNS", "")))
        except ValueError:
            return PLAIN_DEFAULT_WIDTH

    # ------------------------------------------------------------------ Rich consoles
    @property
    def out(self) -> Console:
        return self._console("out", self.stdout, self.stdout_isatty)

    @property
    def err(self) -> Console:
        return self._console("err", self.stderr, self.stderr_isatty)

    def _console(self, name: str, stream: TextIO, isatty: bool) -> Console:
        console = self._consoles.get(name)
        if console is None:
            from rich.console import Console

            options: dict[str, Any] = {"width": self.width, "height": self.height}
            if isatty:  # a TTY the caller declared (a test's StringIO) is a terminal to Rich too
                options["force_terminal"] = True
            console = Console(
                file=stream,
                highlight=False,
                emoji=False,
                markup=False,
                no_color=self.no_color or None,
                _environ=dict(self.environ),
                **options,
            )
            self._consoles[name] = console
        return console

    # ------------------------------------------------------------------ writing
    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def show(self, renderable: RenderableType) -> None:
        """Print to stdout; piped output loses the padding Rich adds to line ends."""
        console = self.out
        if console.is_terminal:
            console.print(renderable)
            return
        with console.capture() as capture:
            console.print(renderable)
        self.write("\n".join(line.rstrip() for line in capture.get().split("\n")))

    def page(self, renderable: RenderableType) -> None:
        """Through the pager (less keeps colours and quits on short text unless LESS says otherwise)."""
        if self.pager is None:
            os.environ.setdefault("LESS", "-FRX")  # read by the pager process, so the real environment
        with self.out.pager(pager=self.pager, styles=True, links=True):
            self.out.print(renderable)

    def fits(self, renderable: RenderableType) -> bool:
        """Whether the renderable fits the terminal's height (else `read` pages it)."""
        from .render import rendered_height

        console = self.out
        return rendered_height(renderable, console.width) <= console.height

    # Every message is sanitised like site text: causes quote servers' headers, URLs,
    # paths and the user's own arguments, any of which may hold escapes.
    def info(self, message: str) -> None:
        """A message for the person (stderr): dim on a terminal."""
        message = clean(message)
        if not self.rich_stderr:
            self._stderr_line(message)
            return
        from rich.text import Text

        self.err.print(Text(message, style="dim"), soft_wrap=True)

    def warn(self, message: str) -> None:
        message = clean(message)
        if not self.rich_stderr:
            self._stderr_line(f"Warning: {message}")
            return
        from rich.text import Text

        text = Text("Warning: ", style="bold yellow")
        text.append(message)
        self.err.print(text, soft_wrap=True)

    def error(self, message: str) -> None:
        """The one `Error: ...` line of a failure, whitespace collapsed; never through Rich."""
        self._stderr_line("Error: " + clean(message))

    def _stderr_line(self, line: str) -> None:
        self.stderr.write(line + "\n")
        self.stderr.flush()

    def progress(self, label: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
        """A Rich progress bar on stderr when it is a terminal: (update(done, total), stop).
        Nothing otherwise, without importing Rich."""
        if not self.rich_stderr:
            return None, lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=self.err, transient=True
        )
        task = bar.add_task(label, total=None)
        bar.start()

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return update, bar.stop


def write_atomic(path: str, text: str) -> None:
    """Write `text` to the file at `path` whole or not at all (a temporary file renamed over it)."""
    import tempfile
    from pathlib import Path

    from .errors import LilleNewsError

    target = Path(path)
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent or ".", delete=False, prefix=f".{target.name}."
        ) as tmp:
            tmp.write(text)
        os.replace(tmp.name, target)
    except OSError as exc:
        raise LilleNewsError(f"cannot write {path}: {exc.strerror or exc}") from None
