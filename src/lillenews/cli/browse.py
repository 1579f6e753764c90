"""`lillenews browse`: the command that opens the interactive reader.

Kept out of cli/app.py, which only registers it (`register(app)`): this module is on
every command's start-up path, so it imports typer and the shared --quartier help, nothing
else; Textual is imported when the command runs, never by the other commands."""

import sys

import typer

from lillenews.base.i18n import N_, _
from lillenews.cli.quartiers import QUARTIER_HELP


def browse_cmd(
    ctx: typer.Context,
    unread: bool = typer.Option(False, "--unread", help=N_("Start with unread headlines only.")),
    offline: bool = typer.Option(False, "--offline", help=N_("Use the cache only; never touch the network.")),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
) -> None:
    """The interactive reader (help text: see register)."""
    from lillenews.base.errors import UsageError
    from lillenews.cli.common import session
    from lillenews.cli.quartiers import wanted_quartiers

    with session(ctx) as (news, term):
        wanted = wanted_quartiers(quartier, news.settings)
        if not (term.stdout_isatty and _stdin_isatty()):
            raise UsageError(_("browse needs a terminal; in scripts use 'lillenews list' and 'lillenews read N'"))
        settings = news.settings
    from lillenews.tui import run

    code = run(settings, unread_only=unread, offline=offline, quartiers=wanted)
    if code:
        raise typer.Exit(code)


def _stdin_isatty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced stdin
        return False


def register(app: typer.Typer) -> None:
    """Add `browse` to the command line (the one hook in cli/app.py)."""
    # Marked N_ and translated when typer builds the command (cli/i18n.py TranslatedGroup).
    app.command(
        "browse",
        help=N_("Read the news interactively: arrows, Enter, /, q (? for the keys)."),
        short_help=N_("Read the news interactively."),
    )(browse_cmd)


def browse_if_no_args(args: list[str], stdout_isatty: bool) -> list[str]:
    """`lillenews` alone at a terminal opens the reader, as newsboat users expect;
    piped or redirected it still prints the help (README, "lillenews browse")."""
    return ["browse"] if not args and stdout_isatty and _stdin_isatty() else args
