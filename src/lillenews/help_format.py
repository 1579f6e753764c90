"""`--help` in the interface language, click's and typer's own words included.

typer vendors click with "Usage:", "Show this message and exit." and the "[default: …]"
extras written in English, so they are translated where click writes help: its documented
extension points `Context.formatter_class` and `Command.context_class`. The group class
below gives every command it returns (and their subcommands) a context whose formatter
passes those words through the catalog. lillenews's own help strings are translated
where they are written (`help=_("…")`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

from .i18n import N_, _

try:  # typer >= 0.26 vendors click
    from typer._click.core import Command, Context
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - older typer with click installed
    from click.core import Command, Context  # type: ignore[no-redef, import-not-found, unused-ignore]
    from click.formatting import HelpFormatter  # type: ignore[no-redef, import-not-found, unused-ignore]

# Help lines written by click or typer for options they add themselves (exact text).
FRAMEWORK_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)
HEADINGS = {"Options": N_("Options:"), "Arguments": N_("Arguments:"), "Commands": N_("Commands:")}
_EXTRAS = re.compile(r"(?P<gap>\s*)\[(?P<parts>[^\[\]]*)\]$")  # typer's "  [default: 20; x>=1]" at the end


def _extra(part: str) -> str:
    """One part of typer's bracketed extras: 'default: 20', 'required', 'env var: X'."""
    if part == "required":
        return _("required")
    for prefix, template in (("default: ", N_("default: {default}")), ("env var: ", N_("env var: {var}"))):
        if part.startswith(prefix):
            value = part[len(prefix) :]
            return _(template).format(default=value, var=value)  # i18n: marked with N_ just above
    return part


def translate_help(text: str) -> str:
    """A help line with click's and typer's words in the interface language."""
    if text in FRAMEWORK_HELP:
        return _(text)  # i18n: marked with N_ in FRAMEWORK_HELP
    match = _EXTRAS.search(text)
    if not match or not any(p.startswith(("default: ", "env var: ")) or p == "required" for p in _split(match)):
        return text
    parts = "; ".join(_extra(p) for p in _split(match))
    return f"{text[: match.start()]}{match.group('gap')}[{parts}]"


def _split(match: re.Match[str]) -> list[str]:
    return match.group("parts").split("; ")


class TranslatedHelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        title = _(HEADINGS[heading]) if heading in HEADINGS else f"{heading}:"  # i18n: marked with N_ in HEADINGS
        self.write(f"{'':>{self.current_indent}}{title}\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, translate_help(text)) for term, text in rows], col_max, col_spacing)


class TranslatedContext(Context):
    formatter_class = TranslatedHelpFormatter


class TranslatedGroup(TyperGroup):
    """A typer group whose commands write their help in the interface language.

    Use as `typer.Typer(cls=TranslatedGroup)` for the app and each sub-app."""

    context_class = TranslatedContext

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:  # a sub-app is itself a TranslatedGroup and does the same for its commands
            command.context_class = TranslatedContext
        return command
