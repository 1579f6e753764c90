"""The one top-level error handler (httpie's way): every exception a command lets
out becomes one `Error: ...` line on the terminal's stderr and an `ExitCode`. With
--debug the traceback comes first, with every exception it was raised from (a
FetchError keeps the parser's or httpx's exception as its `__cause__`)."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any

import typer

from lillenews.base.errors import ExitCode, FetchError, LilleNewsError, OutputError
from lillenews.base.files import reason
from lillenews.base.i18n import _
from lillenews.cli.i18n import translate_usage_error
from lillenews.cli.terminal import ReaderGone, Terminal


def exit_code_of(exc: BaseException, term: Terminal, *, debug: bool) -> int:
    """The exit code of `exc`, after its one `Error: ...` line (a traceback too with --debug)."""
    from typer._click import exceptions as click  # typer >= 0.26 vendors click (pyproject pins it)

    if isinstance(exc, OSError) and _unwritable_output(exc):  # click's own help, printed without the terminal
        exc = OutputError(_("cannot write the output: {reason}").format(reason=reason(exc)))
    if isinstance(exc, LilleNewsError):
        if debug:
            import traceback

            traceback.print_exception(exc, file=term.stderr, chain=True)  # the cause first, as Python prints it
        term.error(exc.explained() if isinstance(exc, FetchError) else str(exc))
        if isinstance(exc, OutputError):
            _quiet_stdout()
        return exc.exit_code
    if isinstance(exc, (typer.Exit, getattr(click, "Exit", typer.Exit))):
        return int(getattr(exc, "exit_code", ExitCode.FAILURE))
    if isinstance(exc, (KeyboardInterrupt, typer.Abort, getattr(click, "Abort", typer.Abort))):
        term.error(_("interrupted"))
        return ExitCode.INTERRUPTED
    if isinstance(exc, click.UsageError):
        return _usage_error(exc, term)
    if isinstance(exc, click.ClickException):
        term.error(translate_usage_error(exc.format_message()))
        return exc.exit_code
    if isinstance(exc, (ReaderGone, BrokenPipeError)):
        # The reader went away (e.g. `lillenews list | head`): not an error.
        _quiet_stdout()
        return ExitCode.OK
    if debug or not isinstance(exc, Exception):
        raise exc
    # The last line of defence: never a traceback without --debug.
    unexpected = _("unexpected {kind}: {error} (run with --debug for details, and please report it)")
    term.error(unexpected.format(kind=type(exc).__name__, error=exc))
    return ExitCode.FAILURE


# What a write to a stream fails with (an OSError naming no file): a full disk or device.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _unwritable_output(exc: OSError) -> bool:
    return exc.filename is None and exc.errno in _OUTPUT_ERRNOS


def _quiet_stdout() -> None:
    """Nothing more goes to stdout: the interpreter's last flush must not fail again."""
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open for the interpreter's final flush


def _usage_error(exc: Any, term: Terminal) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
        term.write(exc.ctx.get_help() + "\n")
        return ExitCode.OK
    path = exc.ctx.command_path if exc.ctx else ""
    command = path.split(" ", 1)[1] + " " if " " in path else ""
    message = translate_usage_error(exc.format_message()).rstrip(".")
    term.error(_("{message} (see '{command} --help')").format(message=message, command=f"lillenews {command}".rstrip()))
    return ExitCode.USAGE
