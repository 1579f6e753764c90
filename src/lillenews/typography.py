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

# A plain space that French typography makes unbreakable.
_BEFORE_PUNCTUATION = re.compile(r" +(?=[:;!?»%€])")  # "Crédit : ", "vraiment ?", "40 %"
_AFTER_GUILLEMET = re.compile(r"(?<=«) +")  # "« Lire aussi »"
# Phone numbers (03 20 49 50 00, +33 3 20 49 50 00) and grouped numbers (2 000, 1 250 000).
_NUMBER_GROUPS = re.compile(
    r"(?<![\w.,])(?:\+\d{2} \d|\d{2})(?: \d{2}){4}(?!\w)|(?<![\w.,])\d{1,3}(?: \d{3})+(?![\w,])"
)


def bind(text: str) -> str:
    """`text` with a no-break space wherever French typography forbids a line break."""
    if " " not in text:
        return text
    # Space for space: the text keeps its length, so highlight spans stay where they were.
    text = _BEFORE_PUNCTUATION.sub(_nbsps, text)
    text = _AFTER_GUILLEMET.sub(_nbsps, text)
    return _NUMBER_GROUPS.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def _nbsps(match: re.Match[str]) -> str:
    return NBSP * len(match.group(0))


def unbind(text: str) -> str:
    """No-break spaces as plain spaces (for output once lines are cut, and for JSON)."""
    return text.translate(_UNBIND)
