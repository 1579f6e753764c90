"""French date texts -> a typed range of days. Pure functions, stdlib only.

The site writes dates as text: "Le 01 août 2024", "Du 1 au 02 juin 2024",
"Du 10 juillet au 7 août 2024", "Du 28 décembre 2024 au 3 janvier 2025",
"Jusqu'au 04 août 2024", "Publié le 08/02/2021", "Janvier - février 2026", or nothing.
Every form becomes a `models.DateRange(start, end)`: a period has both, a single day only
a start (end None), "Jusqu'au X" only an end; an empty or unreadable text neither.
"À partir du X" has no end either, so it reads as the single day X.

A day written without a year takes, in this order: the year of the same text's range end
("Du 10 juillet au 7 août 2024": both 2024, which a search for the first date alone got
wrong); else the year that puts it nearest an anchor day, the response's Last-Modified /
Date header when known, else today. Callers always say what day it is: nothing here (nor
in the parsers of site/) reads the system clock, so a parse is a function of its input.
"""

import datetime as _dt
import re
from functools import cache
from typing import NamedTuple

from lillenews.base.models import NO_DATES, DateRange
from lillenews.base.text import clean

__all__ = [
    "NEAREST",
    "MAX_YEAR",
    "MIN_YEAR",
    "NEWS_AHEAD",
    "NO_DATES",
    "DateRange",
    "http_date",
    "is_ongoing",
    "is_past",
    "parse_day",
    "parse_range",
]


MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
# Half a year ahead at most = the nearest year. News callers pass 31 (a news date is
# rarely in the future: "Jusqu'au 30 juin" read in February is last June).
NEAREST = 183
NEWS_AHEAD = 31
# The years a date may have. The site names the days of its own time (it went online in
# the late 1990s); 1900-2200 keeps every real date with a century of room on each side,
# and keeps all arithmetic on a parsed day (the day after, a year ahead) far from
# datetime's limits, where "9999-12-31" overflowed. A year outside is no date at all.
MIN_YEAR, MAX_YEAR = 1900, 2200
_HTTP_DATE_MAX = 64  # an HTTP date is ~29 characters; anything longer is not one

_FOLD = str.maketrans("éèêëûùüôöîïàâäçÉÈÊËÛÙÜÔÖÎÏÀÂÄÇ’‘ʼ`´", "eeeeuuuooiiaaacEEEEUUUOOIIAAAC'''''")
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
_YEAR = r"(?:1[89]|2\d)\d\d"


def _piece(g: str, month_optional: bool = False) -> str:
    """One day: "08/02/2021", or "[samedi] 1er août [2024]" (month optional for a range start)."""
    french = rf"{_WEEKDAY}(?P<{g}d>\d{{1,2}})(?:er)?(?:\s+(?P<{g}m>{_MONTH})(?:\s+(?P<{g}y>{_YEAR}))?)"
    numeric = rf"(?P<{g}nd>\d{{1,2}})[/.-](?P<{g}nm>\d{{1,2}})[/.-](?P<{g}ny>{_YEAR})"
    return rf"(?<!\d)(?:{numeric}|{french}{'?' if month_optional else ''})(?!\d)"


_TO = r"\s*(?:au|a|jusqu'?\s*au|-|–|—)\s*"


class _Patterns(NamedTuple):
    range: re.Pattern[str]
    until: re.Pattern[str]
    since: re.Pattern[str]
    single: re.Pattern[str]
    iso: re.Pattern[str]
    months_only: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    """Compiled on the first date parsed (sync, an event page), not at import: `events`
    from the cache only compares stored dates (~5 ms of compilation saved)."""
    return _Patterns(
        range=re.compile(rf"\b(?:du|de|depuis\s+le)\s+{_piece('a', True)}{_TO}{_piece('b')}"),
        until=re.compile(rf"\bjusqu'?\s*(?:au|a)\s+{_piece('b')}"),
        since=re.compile(rf"\b(?:a\s+partir\s+du|des\s+le|depuis\s+le)\s+{_piece('a')}"),
        single=re.compile(_piece("a")),
        iso=re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?![\d-])"),
        months_only=re.compile(
            rf"^(?:(?:de|du|en|mois\s+de|mois\s+d')\s*)?(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?"
            rf"(?:{_TO}(?P<m2>{_MONTH}))?\s+(?P<y2>{_YEAR})$"
        ),
    )


_Piece = tuple[int, int | None, int | None]  # day, month, year as written


def fold_date_text(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces (enough for the regexes)."""
    return clean(text).translate(_FOLD).casefold()


def parse_range(
    text: str | None,
    *,
    reference: _dt.date | None = None,
    today: _dt.date,
    ahead: int = NEAREST,
) -> DateRange:
    """The days `text` names; NO_DATES when it names none.

    `reference` is the page's own date (Last-Modified / Date header); `today` is the
    fallback anchor; a yearless day takes the latest year that does not put it more
    than `ahead` days after the anchor."""
    if not text:
        return NO_DATES
    folded = fold_date_text(text[:2000])  # a date text is short; bound the regex work
    anchor = reference or today
    pat = _patterns()
    m = pat.iso.search(folded)
    if m:
        return DateRange(_make(int(m[1]), int(m[2]), int(m[3])), None)
    m = pat.range.search(folded)
    if m:
        start, end = _range(_groups(m, "a"), _groups(m, "b"), anchor, ahead)
        return DateRange(start, None if end == start else end)
    m = pat.until.search(folded)
    if m:
        return DateRange(None, _alone(_groups(m, "b"), anchor, ahead))
    m = pat.since.search(folded)
    if m:
        return DateRange(_alone(_groups(m, "a"), anchor, ahead), None)
    m = pat.single.search(folded)
    if m and (m["am"] or m["and"]):
        return DateRange(_alone(_groups(m, "a"), anchor, ahead), None)
    m = pat.months_only.match(folded)
    if m:
        return _month_span(m)
    return NO_DATES


def parse_day(
    text: str | None,
    *,
    reference: _dt.date | None = None,
    today: _dt.date,
    ahead: int = NEAREST,
) -> _dt.date | None:
    """The first day `text` names: a range's start, else its end ("Jusqu'au X" -> X)."""
    start, end = parse_range(text, reference=reference, today=today, ahead=ahead)
    return start or end


def _groups(m: re.Match[str], g: str) -> _Piece:
    if m[f"{g}nd"]:
        return int(m[f"{g}nd"]), int(m[f"{g}nm"]), int(m[f"{g}ny"])
    month = m[f"{g}m"]
    year = m[f"{g}y"]
    return int(m[f"{g}d"]), MONTHS[month.rstrip(".")] if month else None, int(year) if year else None


def _range(a: _Piece, b: _Piece, anchor: _dt.date, ahead: int) -> DateRange:
    """Resolve "du A au B": A borrows B's month and year. A range crosses a new year only
    when A names a month after B's ("Du 28 décembre au 3 janvier 2025"); an impossible day
    or a range that ends before it starts is no date, never a guess."""
    a_day, a_month, a_year = a
    b_day, b_month, b_year = b
    crosses = a_month is not None and b_month is not None and a_month > b_month
    a_month = a_month or b_month
    if b_year is not None:
        end = _make(b_year, b_month, b_day)
        if a_year is None:
            a_year = b_year - 1 if crosses else b_year
        start = _make(a_year, a_month, a_day)
    elif a_year is not None:  # "Du 3 mars 2024 au 5 avril": the end follows the start
        start = _make(a_year, a_month, a_day)
        end = _make(a_year + 1 if crosses else a_year, b_month, b_day)
    else:
        end = _nearest(b_day, b_month, anchor, ahead)
        start = _make(end.year - 1 if crosses else end.year, a_month, a_day) if end is not None else None
    if start is None or end is None or end < start:
        return NO_DATES
    return DateRange(start, end)


def _alone(p: _Piece, anchor: _dt.date, ahead: int) -> _dt.date | None:
    day, month, year = p
    if year is not None:
        return _make(year, month, day)
    return _nearest(day, month, anchor, ahead)


def _nearest(day: int, month: int | None, anchor: _dt.date, ahead: int) -> _dt.date | None:
    """The latest year that puts day/month at most `ahead` days after `anchor`
    (29 February looks back to the last leap year)."""
    if not MIN_YEAR <= anchor.year <= MAX_YEAR:  # a clock or header far off: no year to guess
        return None
    limit = anchor + _dt.timedelta(days=ahead)
    for year in range(anchor.year + 1, anchor.year - 8, -1):
        candidate = _make(year, month, day)
        if candidate is not None and candidate <= limit:
            return candidate
    return None


def _month_span(m: re.Match[str]) -> DateRange:
    """ "Janvier - février 2026": first day of the first month to last day of the last."""
    import calendar  # rare: only period lines need month lengths

    first = MONTHS[m["m1"].rstrip(".")]
    last = MONTHS[m["m2"].rstrip(".")] if m["m2"] else first
    end_year = int(m["y2"])
    start_year = int(m["y1"]) if m["y1"] else (end_year - 1 if first > last else end_year)
    start = _make(start_year, first, 1)
    end = _make(end_year, last, calendar.monthrange(end_year, last)[1])
    if start is None or end is None or end < start:  # a year outside the window, or reversed
        return NO_DATES
    return DateRange(start, end)


def _make(year: int, month: int | None, day: int) -> _dt.date | None:
    if month is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def http_date(value: str | None) -> _dt.date | None:
    """The day of an HTTP date header ("Mon, 08 Feb 2021 09:00:00 GMT"), or None."""
    if not value or len(value) > _HTTP_DATE_MAX:
        return None
    import email.utils  # only after a fetch: keeps a warm command's start-up light

    try:
        day = email.utils.parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None  # a year 9999 anchor broke yearless days


def is_past(dates: DateRange, today: _dt.date) -> bool:
    """True when the last day (the end, else the single day) is before today."""
    last = dates.end or dates.start
    return last is not None and last < today


def is_ongoing(dates: DateRange, today: _dt.date) -> bool:
    """True for a period (not a single day) that has begun and not ended; "Jusqu'au X"
    (no start) is listed because it is on, so it counts as begun."""
    start, end = dates
    return end is not None and end >= today and (start is None or start <= today)
