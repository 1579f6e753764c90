"""`lillenews browse`: the command that opens the interactive reader.

Kept out of cli.py so that the typer app only learns the command's name and
options (`register(app)`); Textual is imported when the command runs, never by
the other commands."""

from __future__ import annotations

import typer

from .i18n import _


def browse_cmd(
    ctx: typer.Context,
    unread: bool = typer.Option(False, "--unread", help=_("Start with unread headlines only.")),
    offline: bool = typer.Option(False, "--offline", help=_("Use the cache only; never touch the network.")),
) -> None:
    """Read the news interactively (arrows, Enter, /, q; ? for help)."""
    import sys

    from .config import load_settings
    from .errors import UsageError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(_("browse needs a terminal; use 'lillenews list' and 'lillenews read N' in scripts"))
    settings = load_settings((ctx.obj if ctx else None) or {})
    from .tui import run

    code = run(settings, unread_only=unread, offline=offline)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add `browse` to the command line (one line in cli.py)."""
    app.command("browse")(browse_cmd)
