"""Text hygiene shared by every stage: sanitising untrusted site text, folding for
search, French dates. Pure functions, stdlib only (cheap to import)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from functools import cache
from typing import TypeVar

from lillenews.base.i18n import Message, _, ngettext

T = TypeVar("T")


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """`pattern`, compiled at its first use rather than at import: a regex costs 0.05-0.3 ms
    to compile at every start, and a warm command uses few of the ones it imports."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled


# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding /
# override / isolate characters (a "Trojan Source" title must not reorder the line).
_unsafe = lazy_pattern("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# A whole escape sequence (CSI ... final byte, or OSC ... BEL/ST) goes, not just its ESC,
# so "\x1b[31mROUGE" becomes "ROUGE" and not "[31mROUGE".
_escape_seq = lazy_pattern(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")
# Combining marks left by NFKD (diacritics): one C-level regex, far cheaper than testing
# unicodedata.combining() per character on a 3 KB article body.
combining_marks = lazy_pattern("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'", "\u2010": "-", "\u2011": "-"})
_to_translate = lazy_pattern("[œæ’‘ʼ\u2010\u2011]")
_spaces = lazy_pattern(r"[ \t\r\n\f\v\u00a0\u202f\u2007\u2009\u200a\u2002-\u2006\u3000]+")


def strip_unsafe(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi controls."""
    if not text or text.isprintable():  # what it removes is never printable
        return text
    text = _escape_seq().sub("", text)
    return _unsafe().sub("", text)


def clean(text: str | None) -> str:
    """Sanitise then collapse all whitespace (non-breaking spaces included) to one space."""
    if not text:
        return ""
    if not text.isprintable():  # printable text has no control, bidi or odd spaces
        text = _spaces().sub(" ", strip_unsafe(text))
    return " ".join(text.split())


def clean_cause(cause: str) -> str:
    """`clean` for a cause that may be an i18n.Message: its values are cleaned and it stays
    translatable (shown in the interface language, English in JSON)."""
    if isinstance(cause, Message):
        values = {k: clean_cause(v) if isinstance(v, str) else v for k, v in cause.values.items()}
        return Message(cause.msgid, **values)  # i18n: marked where the cause was made
    return clean(cause)


def clean_or_none(text: str | None) -> str | None:
    cleaned = clean(text)
    return cleaned or None


def fold(text: str) -> str:
    """The one folded form for matching, everywhere (the search index, queries, highlights,
    categories, labels): case, accents, ligatures (œ→oe, æ→ae, ﬁ→fi), and every apostrophe
    is ' (’ ‘ ʼ), so `coeur` finds « cœur » and `d'hébergement` finds « d’hébergement »."""
    if text.isascii():
        return text.lower()
    folded = combining_marks().sub("", unicodedata.normalize("NFKD", text.casefold()))
    # str.translate walks a long text slowly: only when there is something to translate.
    return folded.translate(_LIGATURES) if _to_translate().search(folded) else folded


def name_order(name: str) -> tuple[str, str]:
    """The sort key of a name as a French reader orders a list: accents and case ignored
    (Santé, Sécurité, Solidarité, Sport; Éducation among the E), whatever the machine's
    locale; the name itself breaks ties."""
    return fold(name), name


_credit = lazy_pattern(r"^\s*(?:cr[ée]dits?(?:\s+photos?)?\s*:|©)\s*(?P<who>.+?)\s*\.?\s*$", re.IGNORECASE)


# What ends a summary the site cut short ("Les habitants de ... vident leurs..."): such a
# summary is never an article's or event's lead. The one set, for news and events.
CUT_MARKERS = ("...", "…", "[...]", "[…]")


def is_cut(summary: str | None) -> bool:
    """A summary the site cut short (it ends with an ellipsis)."""
    return summary is not None and summary.rstrip().endswith(CUT_MARKERS)


def credit_of(text: str) -> str | None:
    """ "Crédit : Thomas Lo Presti." -> "Thomas Lo Presti" (a photo credit); None for other text."""
    m = _credit().match(text)
    return (clean(m["who"]) or None) if m else None


def title_from_slug(url: str) -> str | None:
    """'/Actualites/Un-droit-de-petition-locale-a-Lille' -> 'Un droit de petition locale a Lille'."""
    path = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    slug = path.rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_+]+", slug) if w]
    if not words or re.fullmatch(r"[\d()]+", slug):
        return None
    title = " ".join(words)
    return title[:1].upper() + title[1:]


def dedup(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """`items` in order, each `key` once (the first one wins)."""
    seen: set[Hashable] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def describe_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= 86400:
        return ngettext("{count} day ago", "{count} days ago", seconds // 86400).format(count=seconds // 86400)
    if seconds >= 3600:
        return ngettext("{count} hour ago", "{count} hours ago", seconds // 3600).format(count=seconds // 3600)
    if seconds >= 60:
        return ngettext("{count} minute ago", "{count} minutes ago", seconds // 60).format(count=seconds // 60)
    return _("just now")


MAX_NUMBER_DIGITS = 6  # no listing holds a million items; int() itself fails past 4,300 digits


def too_many_digits(number: str) -> bool:
    """Whether `number` ("42", "+0042", "-1") has more significant digits than any listing
    number: refused at once, before int() (a usage error, never `unexpected ValueError`)."""
    return len(number.lstrip("+-").lstrip("0")) > MAX_NUMBER_DIGITS


def shortened(text: str, most: int = 20) -> str:
    """`text` cut to `most` characters (an ellipsis says so): what a message quotes of a user's argument."""
    return text if len(text) <= most else text[: most - 1] + "…"
