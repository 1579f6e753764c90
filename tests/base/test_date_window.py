"""Hostile date texts: a year outside the window, an impossible day, a range that ends
before it starts. Each is "no date" (the event or article is undated), never a guess,
and never an exception (src/lillenews/base/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from lillenews.base.dates import (
    MAX_YEAR,
    MIN_YEAR,
    NEWS_AHEAD,
    NO_DATES,
    DateRange,
    http_date,
    parse_day,
    parse_range,
)

D = dt.date
TODAY = D(2026, 1, 15)


def parse_date(text: str, today: dt.date) -> str | None:
    """A date text as the news parser reads it (its first day, a month ahead at most), ISO."""
    day = parse_day(text, today=today, ahead=NEWS_AHEAD)
    return day.isoformat() if day else None


def r(a: str | None, b: str | None) -> DateRange:
    return DateRange(D.fromisoformat(a) if a else None, D.fromisoformat(b) if b else None)


def test_the_window_is_1900_to_2200():
    assert (MIN_YEAR, MAX_YEAR) == (1900, 2200)


# ----------------------------------------------------------------- the year window
@pytest.mark.parametrize(
    "template",
    [
        "{y}-06-01",  # ISO (a <time datetime>)
        "Le {y}-06-01",
        "01/06/{y}",
        "Publié le 01/06/{y}",
        "Le 1er juin {y}",
        "Jusqu'au 1er juin {y}",
        "À partir du 1er juin {y}",
    ],
)
@pytest.mark.parametrize("year, inside", [(1899, False), (1900, True), (2200, True), (2201, False)])
def test_a_single_day_is_read_only_inside_the_year_window(template, year, inside):
    text = template.format(y=year)
    got = parse_range(text, today=TODAY)
    day = D(year, 6, 1) if inside else None
    assert (got.start or got.end) == day, text
    assert parse_date(text, today=TODAY) == (day.isoformat() if day else None)  # the news path


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Du 1 au 2 juin 1900", r("1900-06-01", "1900-06-02")),
        ("Du 1 au 2 juin 1899", NO_DATES),
        ("Du 1 au 2 juin 2200", r("2200-06-01", "2200-06-02")),
        ("Du 1 au 2 juin 2201", NO_DATES),
        ("Du 1 juin 2200 au 2 juin 2201", NO_DATES),  # one end outside: no range, not half of one
        ("Du 31 décembre 1899 au 2 janvier 1900", NO_DATES),
        ("Du 28 décembre au 3 janvier 1900", NO_DATES),  # its start would be in 1899
        ("Du 28 décembre 2200 au 3 janvier", NO_DATES),  # its end would be in 2201
        ("Janvier - février 1900", r("1900-01-01", "1900-02-28")),
        ("Décembre - janvier 1900", NO_DATES),
        ("Janvier - février 2200", r("2200-01-01", "2200-02-28")),
        ("Janvier - février 2201", NO_DATES),
        ("Le 9999-12-31", NO_DATES),
        ("0001-01-01", NO_DATES),
        ("Le 31/12/2999", NO_DATES),
    ],
)
def test_ranges_are_read_only_inside_the_year_window(text, expected):
    assert parse_range(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Mon, 01 Jan 1900 00:00:00 GMT", D(1900, 1, 1)),
        ("Sun, 31 Dec 1899 23:59:59 GMT", None),
        ("Sat, 31 Dec 2200 23:59:59 GMT", D(2200, 12, 31)),
        ("Sun, 01 Jan 2201 00:00:00 GMT", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", None),
        ("Mon, 01 Jan 0001 00:00:00 GMT", D(2001, 1, 1)),  # RFC 5322's two-digit years: "01" is 2001
    ],
)
def test_http_dates_are_read_only_inside_the_year_window(value, expected):
    assert http_date(value) == expected


@pytest.mark.parametrize("anchor", [D.max, D.min, D(MAX_YEAR, 12, 31), D(MIN_YEAR, 1, 1), D(9999, 7, 1)])
@pytest.mark.parametrize("text", ["Jusqu'au 30 juin", "Le 5 janvier", "Du 28 décembre au 3 janvier", "29 février"])
def test_a_yearless_day_never_raises_whatever_the_anchor(anchor, text):
    for ahead in (NEWS_AHEAD, 183):
        got = parse_range(text, reference=anchor, today=anchor, ahead=ahead)
        for day in got:
            assert day is None or MIN_YEAR <= day.year <= MAX_YEAR


def test_a_yearless_day_at_the_window_edge_takes_a_year_inside_it_or_none():
    assert parse_range("Jusqu'au 5 janvier", today=D(2200, 12, 31)) == r(None, "2200-01-05")  # not 2201
    assert parse_range("Le 20 janvier", today=D(1900, 1, 5)) == r("1900-01-20", None)
    assert parse_range("Le 20 décembre", today=D(1900, 1, 5)) == NO_DATES  # its year would be 1899


# ------------------------------------------------------- impossible days and reversed ranges
@pytest.mark.parametrize(
    "text",
    [
        "Du 31 février au 5 mars 2027",  # was "until 05/03/2027", starting today in the ICS
        "Du 30 février 2027 au 5 mars 2027",
        "Du 31/02/2027 au 05/03/2027",
        "Du 1er mars au 31 avril 2027",
        "Du 3 mars 2027 au 31 avril",
        "Du 5 au 3 mars 2027",  # was a one-year block (5 March 2026 to 3 March 2027)
        "Du 5 mars au 3 mars 2027",
        "Du 5 mars 2030 au 3 mars 2027",  # was kept reversed
        "Du 05/03/2030 au 03/03/2027",
        "Du 5 mars 2027 au 3 mars",
        "Du 5 au 3 mars",
        "Février 2027 - janvier 2027",
        "Mars 2028 - février 2027",
    ],
)
def test_an_impossible_day_or_a_reversed_range_is_no_date(text):
    assert parse_range(text, today=TODAY) == NO_DATES
    assert parse_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # across a new year, the start's month after the end's: still read (the real forms)
        ("Du 28 décembre au 3 janvier 2025", r("2024-12-28", "2025-01-03")),
        ("Du 3 décembre 2024 au 5 janvier", r("2024-12-03", "2025-01-05")),
        ("Du 15 mars au 3 février 2025", r("2024-03-15", "2025-02-03")),
        ("Du 3 au 3 mars 2027", r("2027-03-03", None)),  # one day written as a range
        ("Du 29 février au 3 mars 2024", r("2024-02-29", "2024-03-03")),
    ],
)
def test_real_ranges_still_read(text, expected):
    assert parse_range(text, today=TODAY) == expected
