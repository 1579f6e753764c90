"""French date texts -> DateRange (src/lillenews/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from lillenews.base.dates import (
    NEWS_AHEAD,
    NO_DATES,
    DateRange,
    fold_date_text,
    http_date,
    is_ongoing,
    is_past,
    parse_day,
    parse_range,
)

D = dt.date
TODAY = D(2024, 6, 14)  # the scraper's snapshot of the agenda was taken in June 2024


def r(a: str | None, b: str | None) -> DateRange:
    return DateRange(D.fromisoformat(a) if a else None, D.fromisoformat(b) if b else None)


@pytest.mark.parametrize(
    "text, expected",
    [
        # the real date texts of the agenda (SITE.md)
        ("Le 01 août 2024", r("2024-08-01", None)),
        ("Du 1 au 02 juin 2024", r("2024-06-01", "2024-06-02")),
        ("Du 10 juillet au 7 août 2024", r("2024-07-10", "2024-08-07")),
        ("Du 1 juin au 26 octobre 2024", r("2024-06-01", "2024-10-26")),
        ("Jusqu'au 04 août 2024", r(None, "2024-08-04")),
        ("Jusqu’au 04 août 2024", r(None, "2024-08-04")),  # typographic apostrophe
        # across years, with and without the start's year
        ("Du 28 décembre 2024 au 3 janvier 2025", r("2024-12-28", "2025-01-03")),
        ("Du 28 décembre au 3 janvier 2025", r("2024-12-28", "2025-01-03")),
        # the other forms the news pages use
        ("8 février 2021", r("2021-02-08", None)),
        ("1er mars 2021", r("2021-03-01", None)),
        ("08/02/2021", r("2021-02-08", None)),
        ("8.2.2021", r("2021-02-08", None)),
        ("Publié le 08/02/2021", r("2021-02-08", None)),
        ("Publié le 1er février 2021", r("2021-02-01", None)),
        ("Le 12 février 2021", r("2021-02-12", None)),
        ("Le samedi 15 juin 2024", r("2024-06-15", None)),
        ("Du 3 au 28 mars 2021", r("2021-03-03", "2021-03-28")),
        ("Du 1er au 28 mars 2021", r("2021-03-01", "2021-03-28")),
        ("Du 01/06/2024 au 15/06/2024", r("2024-06-01", "2024-06-15")),
        ("Du 3 mars 2024 au 5 avril", r("2024-03-03", "2024-04-05")),
        ("Du 3 décembre 2024 au 5 janvier", r("2024-12-03", "2025-01-05")),
        ("À partir du 5 juin 2024", r("2024-06-05", None)),
        ("Dès le 5 juin 2024", r("2024-06-05", None)),
        ("2021-01-15T09:30:00+01:00", r("2021-01-15", None)),
        ("2021-01-15", r("2021-01-15", None)),
        # a period line under a 2026 article's title
        ("Janvier - février 2026", r("2026-01-01", "2026-02-28")),
        ("Décembre - janvier 2026", r("2025-12-01", "2026-01-31")),
        ("Février 2024", r("2024-02-01", "2024-02-29")),
        # the text between newlines, as in the agenda's <p>
        ("\n                Du 1 au 02 juin 2024\n            ", r("2024-06-01", "2024-06-02")),
        ("Le\u00a008\u00a0février\u00a02021", r("2021-02-08", None)),
        ("DU 10 JUILLET AU 7 AOÛT 2024", r("2024-07-10", "2024-08-07")),
    ],
)
def test_parse_range(text, expected):
    assert parse_range(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "\n\n",
        "pas de date",
        "Actualités",
        "Inscriptions scolaires (3-12 ans)",
        "de 10h à 18h",
        "31/02/2021",
        "2021-02-30",
        "30 février 2021",
        "32 janvier 2021",
        "Le 8 marsupilami 2021",
        "Jusqu'au bout",
    ],
)
def test_parse_range_nothing(text):
    assert parse_range(text, today=TODAY) == NO_DATES


# --- a range's start takes its year from the range, never from today -----------------
# text.parse_date found the first "day month" and, with no year next to it, guessed one
# from today: "Du 1 juin au 26 octobre 2024" read in 2026 gave 2026-06-01.
@pytest.mark.parametrize(
    "text, start",
    [
        ("Du 1 juin au 26 octobre 2024", "2024-06-01"),
        ("Du 10 juillet au 7 août 2024", "2024-07-10"),
        ("Du 28 décembre au 3 janvier 2025", "2024-12-28"),
    ],
)
def test_range_start_takes_the_year_of_the_end_not_of_today(text, start):
    for today in (D(2026, 11, 27), D(2019, 1, 1), TODAY):
        assert parse_range(text, today=today).start == D.fromisoformat(start)
        assert parse_day(text, today=today) == D.fromisoformat(start)


def test_yearless_day_takes_the_reference_year_before_today():
    # the page says Last-Modified June 2024; we read it in November 2026
    ref = D(2024, 6, 10)
    assert parse_range("Jusqu'au 04 août", reference=ref, today=D(2026, 11, 27)) == r(None, "2024-08-04")
    assert parse_range("Du 3 au 28 mars", reference=D(2021, 3, 10), today=D(2026, 1, 1)) == r(
        "2021-03-03", "2021-03-28"
    )


@pytest.mark.parametrize(
    "text, today, expected",
    [
        # nearest year to today (events look ahead as much as back)
        ("Jusqu'au 30 juin", D(2021, 2, 8), r(None, "2021-06-30")),
        ("Jusqu'au 5 janvier", D(2021, 12, 20), r(None, "2022-01-05")),
        ("Le 20 décembre", D(2022, 1, 5), r("2021-12-20", None)),
        ("Du 28 décembre au 3 janvier", D(2024, 12, 30), r("2024-12-28", "2025-01-03")),
        ("Du 28 décembre au 3 janvier", D(2025, 1, 2), r("2024-12-28", "2025-01-03")),
        ("29 février", D(2021, 2, 10), r("2020-02-29", None)),
    ],
)
def test_yearless_day_nearest_today(text, today, expected):
    assert parse_range(text, today=today) == expected


def test_ahead_bounds_how_far_in_the_future_a_yearless_day_may_be():
    # news dates are rarely in the future: with ahead=31, "30 juin" read in February is last June
    assert parse_day("Jusqu'au 30 juin", today=D(2021, 2, 8), ahead=31) == D(2020, 6, 30)
    assert parse_day("Jusqu'au 1er mars", today=D(2021, 2, 8), ahead=31) == D(2021, 3, 1)


def test_a_day_without_a_year_is_read_against_the_callers_today_never_the_clock():
    assert parse_day("Le 1er juillet", today=D(2030, 3, 1), ahead=NEWS_AHEAD) == D(2029, 7, 1)
    assert parse_day("Le 1er juillet", today=D(2030, 6, 15), ahead=NEWS_AHEAD) == D(2030, 7, 1)
    with pytest.raises(TypeError):
        parse_day("Le 1er juillet")  # no default day: nothing in base/dates.py reads the system clock


def test_parse_day_is_the_start_else_the_end():
    assert parse_day("Jusqu'au 04 août 2024", today=TODAY) == D(2024, 8, 4)
    assert parse_day("Du 1 au 02 juin 2024", today=TODAY) == D(2024, 6, 1)
    assert parse_day("", today=TODAY) is None


def test_a_long_text_is_read_only_up_to_a_bound():
    text = "Du " + "1 " * 50_000 + "au 3 juin 2024"
    assert parse_range(text, today=TODAY) == NO_DATES  # past the bound: nothing, quickly
    assert parse_range("Le 01 août 2024" + " x" * 10_000, today=TODAY) == r("2024-08-01", None)


def test_fold_date_text():
    assert fold_date_text("  Jusqu’au\u00a004 AOÛT 2024 ") == "jusqu'au 04 aout 2024"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Mon, 08 Feb 2021 09:00:00 GMT", D(2021, 2, 8)),
        ("Sun, 30 Jun 2024 23:59:59 GMT", D(2024, 6, 30)),
        ("", None),
        (None, None),
        ("garbage", None),
        ("Mon, 99 Feb 2021 09:00:00 GMT", None),
        ("x" * 500, None),
    ],
)
def test_http_date(value, expected):
    assert http_date(value) == expected


@pytest.mark.parametrize(
    "dates, past, ongoing",
    [
        (r("2024-06-01", "2024-06-02"), True, False),  # finished before today
        (r("2024-06-13", None), True, False),
        (r("2024-06-14", None), False, False),  # a single day today is not a period
        (r("2024-06-01", "2024-10-26"), False, True),  # begun, not ended
        (r("2024-06-14", "2024-06-20"), False, True),  # begins today
        (r("2024-06-15", "2024-06-20"), False, False),  # not begun
        (r("2024-06-01", "2024-06-14"), False, True),  # ends today
        (r(None, "2024-08-04"), False, True),  # "Jusqu'au": on now
        (r(None, "2024-06-13"), True, False),
        (r("2024-06-01", None), True, False),  # a single day ("À partir du" reads as one)
        (r("2024-06-20", None), False, False),
        (NO_DATES, False, False),  # undated: never called past (it is listed, with null dates)
    ],
)
def test_past_and_ongoing(dates, past, ongoing):
    assert is_past(dates, TODAY) is past
    assert is_ongoing(dates, TODAY) is ongoing
