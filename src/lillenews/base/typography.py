"""French typography for terminal output: words a line must not be broken between.

The site writes non-breaking spaces where French typography wants them (before `:` `;`
`!` `?` `»`, after `«`, inside phone numbers and large numbers); the parser turns them
into plain spaces (the model and JSON hold plain spaces, as documented). `bind` puts them
back at those same places, so a renderer that wraps text (Rich, textwrap) keeps
`Crédit : Ville de Lille` and `03 20 49 50 00` on one line; `unbind` turns them into plain
spaces again once the lines are cut. Pure functions, stdlib only."""

from __future__ import annotations

import re

NBSP = "\u00a0"
NO_BREAK_SPACES = "\u00a0\u202f\u2007"  # no-break, narrow no-break, figure space
_UNBIND = str.maketrans(dict.fromkeys(NO_BREAK_SPACES, " "))

# Plain string replacements, no regular expression: this runs on every title of a listing
# and compiling patterns would cost more than the whole of it (start-up time matters).
_PUNCTUATION = ":;!?»%€"  # "Crédit : ", "vraiment ?", "40 %": the space before them binds
_DIGIT_RUN: re.Pattern[str] | None = None


def bind(text: str) -> str:
    """`text` with a no-break space wherever French typography forbids a line break:
    before `: ; ! ? » % €`, after `«`, inside phone numbers (03 20 49 50 00,
    +33 3 20 49 50 00) and grouped numbers (2 000, 1 250 000). Space for space: the
    text keeps its length, so highlight spans stay where they were."""
    if " " not in text:
        return text
    for mark in _PUNCTUATION:
        if mark in text:
            text = text.replace(" " + mark, NBSP + mark)
    if "«" in text:
        text = text.replace("« ", "«" + NBSP)
    if _digits_around_a_space(text):  # rare: the pattern is compiled only for such a text
        text = _digit_runs().sub(_bind_number, text)
    return text


def _digits_around_a_space(text: str) -> bool:
    at = text.find(" ", 1)
    while 0 < at < len(text) - 1:
        if text[at - 1].isdigit() and text[at + 1].isdigit():
            return True
        at = text.find(" ", at + 1)
    return False


def _digit_runs() -> re.Pattern[str]:
    global _DIGIT_RUN
    if _DIGIT_RUN is None:
        # Groups of digits apart by single spaces, with a decimal part ("1 250,50"); the run
        # may end a sentence or a clause ("03 20 49 50 00, du lundi", "… 00.", "… 00)").
        _DIGIT_RUN = re.compile(r"(?<![\d.,])\d+(?: \d+)+(?:,\d+)?(?!\d|[.,]\d)")
    return _DIGIT_RUN


def _bind_number(match: re.Match[str]) -> str:
    run = match.group(0)
    groups = run.partition(",")[0].split(" ")  # the decimal part is not a group
    international = match.start() > 0 and match.string[match.start() - 1] == "+"
    phone = [len(g) for g in groups] == ([2, 1, 2, 2, 2, 2] if international else [2, 2, 2, 2, 2])
    grouped = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    return run.replace(" ", NBSP) if phone or grouped else run


def unbind(text: str) -> str:
    """No-break spaces as plain spaces (for output once lines are cut, and for JSON)."""
    return text.translate(_UNBIND)


def wrap(
    text: str, width: int, *, indent: str = "", first: str | None = None, break_long_words: bool = False
) -> list[str]:
    """`text` cut into lines of at most `width` columns where French typography lets a line
    break (never at the places `bind` binds), with plain spaces. A word longer than the line
    (a URL, mostly) stays whole on a line of its own unless `break_long_words`: cut, it could
    not be clicked or copied, while the terminal's own soft wrap copies whole."""
    import textwrap  # stdlib, small; only the renderers that wrap need it

    lines = textwrap.wrap(
        bind(text),  # textwrap splits on ASCII spaces only: bound words stay together
        width=max(width, 1),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=break_long_words,
        break_on_hyphens=False,
    )
    return [unbind(line) for line in lines]
