"""The command line in the interface language: `--help` (click's and typer's own words
included), click's usage errors, and the `--language` option read before click runs.

lillenews's help strings are marked `help=N_("…")` where the commands are declared and
translated when typer builds the click commands, on every `app()` call, so the language
chosen in `main()` applies (and in-process runs can change it).

typer vendors click with "Usage:", "Show this message and exit.", the "[default: …]" extras
and the usage errors written in English, without gettext: they cannot be translated at the
source. The help words are translated where click writes help, through its documented
extension points `Context.formatter_class` and `Command.context_class`; the usage errors by
matching click's exact English wording (the templates below, marked for the catalog)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

# typer >= 0.26 vendors click (pyproject pins it): the one click we use is typer's, even
# where a separate `click` is installed (import-linter brings one).
from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from lillenews.base.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, clauses, language, language_from_env, number
from lillenews.base.typography import bind, unbind

# Help lines written by click or typer for options they add themselves (exact text).
FRAMEWORK_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)
HEADINGS = {"Options": N_("Options:"), "Arguments": N_("Arguments:"), "Commands": N_("Commands:")}
# typer's "  [default: 20; x>=1]" at the end; compiled (and cached by re) only when help is shown
_EXTRAS = r"(?P<gap>\s*)\[(?P<parts>[^\[\]]*)\]$"


# click's ranges (`x>=1`, `1<=x<=8`), said in words in French; English keeps click's.
RANGES = (
    (r"x>=(?P<lo>[-\d.]+)", N_("x>={lo}")),
    (r"x<=(?P<hi>[-\d.]+)", N_("x<={hi}")),
    (r"(?P<lo>[-\d.]+)<=x<=(?P<hi>[-\d.]+)", N_("{lo}<=x<={hi}")),
)


def range_words(text: str) -> str:
    """click's `x>=1` as the interface says it (`un nombre à partir de 1`); other forms as they are."""
    for pattern, template in RANGES:
        match = re.fullmatch(pattern, text)
        if match:
            values = {k: number(float(v) if "." in v else int(v)) for k, v in match.groupdict().items()}
            return _(template).format(**values)  # i18n: marked with N_ in RANGES
    return text


def _extra(part: str) -> str:
    """One part of typer's bracketed extras: 'default: 20', 'required', 'env var: X', 'x>=1'."""
    if part == "required":
        return _("required")
    for prefix, template in (("default: ", N_("default: {default}")), ("env var: ", N_("env var: {var}"))):
        if part.startswith(prefix):
            value = part[len(prefix) :]
            return _(template).format(default=value, var=value)  # i18n: marked with N_ just above
    return range_words(part)


def translate_help(text: str) -> str:
    """A help line with click's and typer's words in the interface language."""
    if text in FRAMEWORK_HELP:
        return _(text)  # i18n: marked with N_ in FRAMEWORK_HELP
    match = re.search(_EXTRAS, text)
    if not match or not any(_extra(p) != p or p == "required" for p in _split(match)):
        return text
    parts = clauses(_extra(p) for p in _split(match))
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
        start = len(self.buffer)
        super().write_dl([(term, bind(translate_help(text))) for term, text in rows], col_max, col_spacing)
        self.buffer[start:] = [unbind(part) for part in self.buffer[start:]]  # lines cut: plain spaces again

    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(bind(text))  # "par défaut : 20" is not cut before its colon
        self.buffer[start:] = [unbind(part) for part in self.buffer[start:]]


class TranslatedContext(Context):
    formatter_class = TranslatedHelpFormatter


class TranslatedGroup(TyperGroup):
    """A typer group built with its help, its commands' and their options' help in the
    interface language, and whose commands write click's words in it too.

    Use as `typer.Typer(cls=TranslatedGroup)` for the app and each sub-app."""

    context_class = TranslatedContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_command(self)


def translate_command(command: Command) -> None:
    """Translate the help of `command`, its parameters and subcommands (built from N_() msgids)."""
    if getattr(command, "_lillenews_translated", False):
        return
    command._lillenews_translated = True  # type: ignore[attr-defined]
    command.context_class = TranslatedContext
    for name in ("help", "short_help"):
        text = getattr(command, name, None)
        if text:
            setattr(command, name, _(text))  # i18n: marked with N_ where the command is declared
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = _(text)  # type: ignore[attr-defined]  # i18n: marked with N_ where declared
    for sub in getattr(command, "commands", {}).values():
        translate_command(sub)


# ------------------------------------------------------------------ usage errors
# Most specific first: a template matches the whole message, each placeholder at least one character.
TEMPLATES = (
    # the arguments of lillenews's commands, said in words
    N_("Missing argument 'WORDS...'."),
    N_("Missing argument 'N|URL'."),
    N_("No such option: {option} (Possible options: {options})"),
    N_("No such option: {option} Did you mean {suggestion}?"),
    N_("No such option: {option}"),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Invalid value for {name}: {problem}"),
    N_("Invalid value: {problem}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Got unexpected extra argument ({arguments})"),
    N_("Got unexpected extra arguments ({arguments})"),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Missing command."),
)
# What click says about a bad value (the {problem} above).
PROBLEMS = (
    N_("{value} is not a valid integer."),
    N_("{value} is not a valid int range."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid float range."),
    N_("{value} is not in the range {range}."),
    N_("{value} is not a valid boolean. Recognized values: {values}"),
    N_("{value} is not a valid {kind}."),
    N_("{value} is not one of {choices}."),
    N_("{value} is not {choice}."),
)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """'Missing argument {name}.' -> r'Missing\\ argument\\ (?P<name>.+?)\\.'"""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def _translate(message: str, templates: tuple[str, ...]) -> str | None:
    for template in templates:
        match = _pattern(template).fullmatch(message)
        if match:
            values = {name: _quoted(value) for name, value in match.groupdict().items()}
            if "problem" in match.groupdict():
                values["problem"] = _translate(match["problem"], PROBLEMS) or values["problem"]
            if "range" in values:
                values["range"] = range_words(match["range"])
            return _(template).format(**values)  # i18n: marked with N_ in TEMPLATES / PROBLEMS
    return None


def _quoted(value: str) -> str:
    """click's 'quotes' as French ones: « --limit » / « -n »."""
    return re.sub(r"'([^']*)'", "« \\1 »", value)


def translate_usage_error(message: str) -> str:
    """Click's English `message` in the interface language (unchanged in English or when unknown)."""
    if language() == DEFAULT_LANGUAGE:
        return message
    return _translate(message.strip(), TEMPLATES) or message


# ------------------------------------------------------------------ --language before click runs
def option_value(argv: Sequence[str], option: str) -> str | None:
    """The value of `option X` / `option=X` in `argv` (the last one, before `--`), if any."""
    found = None
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and n + 1 < len(argv):
            found = argv[n + 1]
        elif arg.startswith(option + "="):
            found = arg.split("=", 1)[1]
    return found


def language_option(argv: Sequence[str]) -> str | None:
    """`--language` from `argv` when it is valid, read before click parses anything so that
    click's own messages and the help are in the chosen language too. A bad value is left
    to the settings to report."""
    value = option_value(argv, "--language")
    if value is not None and value.strip().lower() in LANGUAGES:
        return value.strip().lower()
    return None


def choose_language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The interface language for this run, known before click parses `argv`: `--language`,
    then LILLENEWS_LANGUAGE, then `language` in config.toml, then the locale variables."""
    from lillenews.base.config import early_language

    return (
        language_option(argv)
        or early_language(option_value(argv, "--config-dir"), environ)
        or language_from_env(environ)
    )
