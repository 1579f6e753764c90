"""Click's usage errors ("No such option: --x", "Missing argument 'N|URL'.") in the interface
language, through the same catalog as lillenews's own strings.

typer vendors click with these messages hard-coded in English (no gettext), so they cannot
be translated at the source. Each template below is click's exact English wording, marked
for the catalog: the English text is matched against it, and its translation is filled
with the captured values. An unknown message is shown as click wrote it."""

from __future__ import annotations

import re
from functools import cache

from .i18n import DEFAULT_LANGUAGE, N_, _, language

# Most specific first: a template matches the whole message, each placeholder at least one character.
TEMPLATES = (
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
            values = match.groupdict()
            if "problem" in values:
                values["problem"] = _translate(values["problem"], PROBLEMS) or values["problem"]
            return _(template).format(**values)  # i18n: marked with N_ in TEMPLATES / PROBLEMS
    return None


def translate_usage_error(message: str) -> str:
    """Click's English `message` in the interface language (unchanged in English or when unknown)."""
    if language() == DEFAULT_LANGUAGE:
        return message
    return _translate(message.strip(), TEMPLATES) or message
