"""The injectable terminal (httpie's Environment): where output goes and what it can show.

The CLI gets one `Terminal` and never reads `sys.stdout`, `os.environ` or TTY flags
itself; tests build one from StringIO streams, fixed flags and a fixed width, and
run commands in-process. Rich is imported only when a Rich console is asked for:
piped and JSON output never pay for it."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from lillenews.base.errors import OutputError
from lillenews.base.files import reason
from lillenews.base.i18n import _
from lillenews.base.text import clean
from lillenews.cli.charset import fit_stream, is_unicode

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, RenderableType

PLAIN_DEFAULT_WIDTH = 80  # what Rich assumes for pipes too
PLAIN_MIN_WIDTH = 20
SPINNER_DELAY = 0.3  # seconds of silence before the spinner appears
SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

# Terminals known to show OSC 8 hyperlinks (elsewhere, e.g. tmux 3.3, the link text or URL vanishes).
OSC8_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby", "rio", "WarpTerminal"})
OSC8_TERMS = frozenset({"xterm-kitty", "foot", "foot-extra", "wezterm", "xterm-ghostty", "alacritty", "contour"})


class Pager(Protocol):
    """What the terminal pages through (rich.pager.Pager has this shape; tests record)."""

    def show(self, content: str) -> None: ...


def supports_hyperlinks(environ: Mapping[str, str]) -> bool:
    """Whether the terminal is known to show OSC 8 hyperlinks (as other tools detect it).
    Never inside tmux or screen: they pass the sequence to a terminal we cannot see."""
    term = environ.get("TERM", "")
    if environ.get("TMUX") or environ.get("STY") or term.startswith(("screen", "tmux")):
        return False
    if environ.get("TERM_PROGRAM") in OSC8_PROGRAMS or term in OSC8_TERMS:
        return True
    if environ.get("WT_SESSION") or environ.get("KITTY_WINDOW_ID") or environ.get("DOMTERM"):
        return True
    for name, first in (("VTE_VERSION", 5000), ("KONSOLE_VERSION", 201200)):
        value = environ.get(name, "")
        if value.isdigit() and int(value) >= first:
            return True
    return False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ReaderGone(Exception):
    """The program reading stdout closed it (`lillenews list | head -1`): not an error."""


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
        self.pager = pager  # None: the PAGER command (default less), see page()
        self._consoles: dict[str, Console] = {}
        self._status_lock = threading.RLock()
        self._status_shown = False  # a spinner line is on stderr (cleared before any message)
        for stream in (self.stdout, self.stderr):
            fit_stream(stream)  # stand-ins for what its encoding lacks (LC_ALL=C)

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

    @property
    def size(self) -> tuple[int, int]:
        """(columns, rows) of stdout without Rich: the given size, else COLUMNS/LINES, else the terminal's."""
        try:
            columns, rows = os.get_terminal_size(self.stdout.fileno())
        except (AttributeError, ValueError, OSError):
            columns, rows = PLAIN_DEFAULT_WIDTH, 25
        for name, given, found in (("COLUMNS", self.width, columns), ("LINES", self.height, rows)):
            value = self.environ.get(name, "")
            if given is None and value.isdigit() and int(value) > 0:
                given = int(value)
            if name == "COLUMNS":
                columns = given or found
            else:
                rows = given or found
        return max(PLAIN_MIN_WIDTH, columns), max(1, rows)

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
            from lillenews.base.startup import uncollected_imports

            with uncollected_imports("rich.console"):  # Rich: ~25 ms of imports
                from rich.console import Console

            options: dict[str, Any] = {"width": self.width, "height": self.height}
            if name == "out":  # asked once: Rich would ask the terminal at every measure (~1 ms each)
                options["width"], options["height"] = self.size
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
    @property
    def unicode_stdout(self) -> bool:
        """Whether stdout can show any character (else JSON is written with ASCII escapes)."""
        encoding = getattr(self.stdout, "encoding", None)
        return not isinstance(encoding, str) or is_unicode(encoding)

    def write(self, text: str) -> None:
        with self._writing():
            self.stdout.write(text)
            self.stdout.flush()

    def write_bytes(self, data: bytes) -> None:
        """A UTF-8 document (a feed, a calendar) as its bytes, whatever stdout's encoding."""
        with self._writing():
            buffer = getattr(self.stdout, "buffer", None)
            if buffer is None:  # a text-only stream (a test's StringIO)
                self.stdout.write(data.decode("utf-8"))
                self.stdout.flush()
                return
            self.stdout.flush()
            buffer.write(data)
            buffer.flush()

    def is_stdout(self, info: os.stat_result) -> bool:
        """Whether `info` (a path's stat) is this stdout's file: `-o /dev/stdout` and the like."""
        try:
            mine = os.fstat(self.stdout.fileno())
        except (AttributeError, ValueError, OSError):  # io.UnsupportedOperation is both
            return False
        return (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A failed write to stdout (a full disk, /dev/full) is one error line, exit 1; a reader
        that went away (`| head`) ends the command quietly, exit 0 (see cli/exits.py)."""
        try:
            yield
        except BrokenPipeError as exc:
            raise ReaderGone from exc  # not an OSError: click would make it exit 1
        except OSError as exc:
            raise OutputError(_("cannot write the output: {reason}").format(reason=reason(exc))) from exc

    def show(self, renderable: RenderableType, width: int | None = None) -> None:
        """Print to stdout (at most `width` columns); piped output loses the padding Rich adds to line ends."""
        console = self.out
        if console.is_terminal:  # crop=False: a URL longer than the line is printed whole (see rich_text)
            with self._writing():
                console.print(renderable, width=None if width is None else min(width, console.width), crop=False)
            return
        self.write(self.render(renderable, width))

    def render(self, renderable: RenderableType, width: int | None = None) -> str:
        """What `show` would print, as text (with the terminal's codes): rendered once,
        then printed or paged."""
        console = self.out
        with console.capture() as capture:
            console.print(renderable, width=None if width is None else min(width, console.width), crop=False)
        text = capture.get()
        if console.is_terminal:
            return text
        return "\n".join(line.rstrip() for line in text.split("\n"))

    def hyperlinks(self, setting: str = "auto") -> bool:
        """OSC 8 links: `always`, `never`, or (auto) on a terminal known to show them."""
        if setting in ("always", "never"):
            return setting == "always"
        return self.stdout_isatty and supports_hyperlinks(self.environ)

    def pager_command(self) -> str | None:
        """The pager to run (PAGER, else less), or None when none should run: PAGER empty,
        or naming a program that does not exist (then one warning says so)."""
        import shlex
        import shutil

        command = self.environ.get("PAGER")
        if command is None:
            command = "less" if shutil.which("less", path=self.environ.get("PATH")) else "more"
        try:
            program = shlex.split(command)[0] if command.strip() else ""
        except ValueError:
            program = command.split()[0]
        if not program:
            return None
        if shutil.which(program, path=self.environ.get("PATH")) is None:
            self.warn(
                _("the pager {program!r} (PAGER) was not found; showing the article directly").format(program=program)
            )
            return None
        return command

    def page(self, text: str) -> None:
        """Text (Rich's rendering, codes included) through the pager (see pager_environ);
        directly when there is none to run."""
        pager = self.pager
        if pager is None:
            command = self.pager_command()
            if command is None:
                self.write(text)
                return
            from lillenews.cli.pager import CommandPager

            pager = CommandPager(command, self.environ)
        pager.show(text)

    # Every message is sanitised like site text: causes quote servers' headers, URLs,
    # paths and the user's own arguments, any of which may hold escapes.
    def info(self, message: str) -> None:
        """A message for the person (stderr): dim on a terminal."""
        self._message("", clean(message), "2")

    def warn(self, message: str) -> None:
        self._message("Warning: ", clean(message), None, "1" if self.no_color else "1;33")

    def error(self, message: str) -> None:
        """The one `Error: ...` line of a failure, whitespace collapsed; never through Rich."""
        self._message("Error: ", clean(message), None)

    def _message(self, prefix: str, message: str, codes: str | None, prefix_codes: str | None = None) -> None:
        """One line on stderr; at a terminal, wrapped between words to its width (French
        no-break rules kept, a URL never cut) rather than cut mid-word by the terminal,
        its continuation lines indented. Pipes and files always get one line."""
        lines = [prefix + message]
        if self.stderr_isatty:
            from lillenews.base.typography import wrap

            lines = wrap(prefix + message, self.stderr_width, indent="  ", first="") or lines
        head = lines[0]
        if prefix_codes and head.startswith(prefix):
            head = self._sgr(prefix, prefix_codes) + self._sgr(head[len(prefix) :], codes)
        else:
            head = self._sgr(head, codes)
        self._stderr_line("\n".join([head, *(self._sgr(line, codes) for line in lines[1:])]))

    @property
    def stderr_width(self) -> int:
        """Columns of stderr: the given width, else COLUMNS, else the terminal's, else 80."""
        if self.width is not None:
            return max(PLAIN_MIN_WIDTH, self.width)
        value = self.environ.get("COLUMNS", "")
        if value.isdigit() and int(value) > 0:
            return max(PLAIN_MIN_WIDTH, int(value))
        try:
            return max(PLAIN_MIN_WIDTH, os.get_terminal_size(self.stderr.fileno()).columns)
        except (AttributeError, ValueError, OSError):
            return PLAIN_DEFAULT_WIDTH

    def _sgr(self, text: str, codes: str | None) -> str:
        """`text` in SGR `codes` when stderr is a terminal: a one-line message need not import Rich."""
        return f"\x1b[{codes}m{text}\x1b[0m" if codes and text and self.rich_stderr else text

    def _stderr_line(self, line: str) -> None:
        with self._status_lock:
            self._clear_status()
            self.stderr.write(line + "\n")
            self.stderr.flush()

    def _clear_status(self) -> None:
        with self._status_lock:
            if self._status_shown:
                self.stderr.write("\r\x1b[K")
                self._status_shown = False

    @contextmanager
    def waiting(self, label: str, delay: float = SPINNER_DELAY) -> Iterator[None]:
        """A spinner and `label` on stderr while the block runs, from `delay` seconds on
        (a warm command ends before it shows); nothing when stderr is not a terminal."""
        if not self.stderr_isatty:
            yield
            return
        done = threading.Event()

        def spin() -> None:
            frame = 0
            while not done.wait(delay if frame == 0 else 0.1):
                with self._status_lock:
                    self.stderr.write(f"\r{SPINNER_FRAMES[frame % len(SPINNER_FRAMES)]} {label}\x1b[K")
                    self.stderr.flush()
                    self._status_shown = True
                frame += 1

        thread = threading.Thread(target=spin, name="lillenews-spinner", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
            self._clear_status()

    def progress(
        self, label: str, columns: Callable[[], tuple[Any, ...]] | None = None
    ) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
        """A Rich progress bar on stderr when it is a terminal: (update(done, total), stop).
        Nothing otherwise, without importing Rich. `columns()`: other columns than the sync's."""
        if not self.rich_stderr:
            return None, lambda: None
        from rich.progress import Progress

        bar = Progress(*(columns() if columns else progress_columns(label)), console=self.err, transient=True)
        task = bar.add_task(label, total=None)
        bar.start()

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return update, bar.stop


def progress_columns(label: str) -> tuple[Any, ...]:
    """The sync bar: label, bar, done/total (the total as soon as the listing is read),
    time elapsed and an estimate of the time remaining."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn()
