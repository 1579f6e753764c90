"""The one top-level error handler (httpie's way): every exception a command lets
out becomes one `Error: ...` line on the terminal's stderr and an `ExitCode`. With
--debug the traceback comes first, with every exception it was raised from (a
FetchError keeps the parser's or httpx's exception as its `__cause__`)."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import typer

from lillenews.base.errors import ExitCode, FetchError, LilleNewsError
from lillenews.base.i18n import _
from lillenews.cli.i18n import translate_usage_error
from lillenews.cli.terminal import Terminal


def exit_code_of(exc: BaseException, term: Terminal, *, debug: bool) -> int:
    """The exit code of `exc`, after its one `Error: ...` line (a traceback too with --debug)."""
    from typer._click import exceptions as click  # typer >= 0.26 vendors click (pyproject pins it)

    if isinstance(exc, LilleNewsError):
        if debug:
            import traceback

            traceback.print_exception(exc, file=term.stderr, chain=True)  # the cause first, as Python prints it
        term.error(exc.explained() if isinstance(exc, FetchError) else str(exc))
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
    if isinstance(exc, BrokenPipeError):
        # The reader went away (e.g. `lillenews list | head`): not an error.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open for the interpreter's final flush
        return ExitCode.OK
    if debug or not isinstance(exc, Exception):
        raise exc
    # The last line of defence: never a traceback without --debug.
    unexpected = _("unexpected {kind}: {error} (run with --debug for details, and please report it)")
    term.error(unexpected.format(kind=type(exc).__name__, error=exc))
    return ExitCode.FAILURE


def _usage_error(exc: Any, term: Terminal) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
        term.write(exc.ctx.get_help() + "\n")
        return ExitCode.OK
    path = exc.ctx.command_path if exc.ctx else ""
    command = path.split(" ", 1)[1] + " " if " " in path else ""
    message = translate_usage_error(exc.format_message()).rstrip(".")
    term.error(_("{message} (see '{command} --help')").format(message=message, command=f"lillenews {command}".rstrip()))
    return ExitCode.USAGE
