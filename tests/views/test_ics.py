"""iCalendar export (src/lillenews/ics.py), read back with vobject: a parser other than the writer."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import vobject

from lillenews.base.dates import NO_DATES, DateRange
from lillenews.base.event_models import Event
from lillenews.views.ics import PRODID, all_day_span, event_uid, to_ics

D = dt.date
LISTED = D(2024, 6, 14)
NOW = dt.datetime(2024, 6, 14, 17, 0, tzinfo=dt.UTC)
SITE = "https://www.lille.fr/Evenements/"


def ev(slug: str, dates: DateRange, **kw) -> Event:
    return Event(url=SITE + slug, title=kw.pop("title", slug.replace("-", " ")), dates=dates, **kw)


EVENTS = [
    ev("Sentiers", DateRange(D(2024, 6, 1), D(2024, 10, 26)), category="Nature / environnement",
       place="Jardin des plantes", address="306 rue du Jardin des Plantes, 59000 Lille",
       summary="Un parcours libre et gratuit à travers les serres...", truncated=True),
    ev("Expo", DateRange(None, D(2024, 8, 4)), title="Exposition « Lille, ville d'eau »", category="Exposition"),
    ev("Concert", DateRange(D(2024, 6, 15), None), category="Concert"),
    ev("Conference", NO_DATES, category="Rencontre / conférence / débat"),
    ev("Lumieres", DateRange(D(2024, 12, 28), D(2025, 1, 3))),
    ev("A-partir", DateRange(D(2024, 6, 20), None)),
]  # fmt: skip


def read_back(data: bytes):
    return vobject.readOne(data.decode("utf-8"))


def test_one_vevent_per_dated_event_and_the_undated_counted():
    result = to_ics(EVENTS, listed_on=LISTED, now=NOW)
    assert (result.written, result.undated) == (5, 1)
    cal = read_back(result.data)
    assert cal.prodid.value == PRODID
    assert cal.version.value == "2.0"
    vevents = cal.vevent_list
    assert [v.url.value for v in vevents] == [e.url for e in EVENTS if e.dates != NO_DATES]
    assert [v.uid.value for v in vevents] == [event_uid(v.url.value) for v in vevents]


def test_all_day_dates_end_exclusive():
    cal = read_back(to_ics(EVENTS, listed_on=LISTED, now=NOW).data)
    spans = {v.url.value.rsplit("/", 1)[1]: (v.dtstart.value, v.dtend.value) for v in cal.vevent_list}
    assert spans == {
        "Sentiers": (D(2024, 6, 1), D(2024, 10, 27)),
        "Expo": (LISTED, D(2024, 8, 5)),  # Jusqu'au X: from the day it was listed to X + 1
        "Concert": (D(2024, 6, 15), D(2024, 6, 16)),
        "Lumieres": (D(2024, 12, 28), D(2025, 1, 4)),
        "A-partir": (D(2024, 6, 20), D(2024, 6, 21)),
    }
    for v in cal.vevent_list:  # dates, not date-times
        assert type(v.dtstart.value) is dt.date and type(v.dtend.value) is dt.date
        assert v.dtstart.params.get("VALUE") == ["DATE"]
    assert b"DTSTART;VALUE=DATE:20240601\r\n" in to_ics(EVENTS, listed_on=LISTED, now=NOW).data


def test_text_fields_read_back_exactly():
    cal = read_back(to_ics(EVENTS[:2], listed_on=LISTED, now=NOW).data)
    first, second = cal.vevent_list
    assert first.summary.value == "Sentiers"
    assert first.location.value == "Jardin des plantes, 306 rue du Jardin des Plantes, 59000 Lille"
    assert first.description.value == "Un parcours libre et gratuit à travers les serres..."
    assert first.categories.value == ["Nature / environnement"]
    assert second.summary.value == "Exposition « Lille, ville d'eau »"
    assert not hasattr(second, "location") and not hasattr(second, "description")
    assert first.dtstamp.value == NOW


def test_escaping_folding_and_crlf():
    nasty = ev(
        "Nasty",
        DateRange(D(2024, 7, 1), D(2024, 7, 2)),
        title="Fête ; bal, « guinguette » \\ très " + "é" * 80,
        summary="ligne 1\nligne 2\r\nEND:VEVENT\r\nBEGIN:VEVENT",
        category="Salon, foire",
        place="Gare Saint Sauveur",
    )
    data = to_ics([nasty], listed_on=LISTED, now=NOW).data
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert max(len(line) for line in physical) <= 75  # octets
    for line in physical:
        line.decode("utf-8")  # folding never splits a UTF-8 sequence
    assert [line for line in physical if line.startswith((b"BEGIN:", b"END:"))] == [
        b"BEGIN:VCALENDAR", b"BEGIN:VEVENT", b"END:VEVENT", b"END:VCALENDAR",
    ]  # fmt: skip  # text cannot open or close a component
    assert b"SUMMARY:F\xc3\xaate \\; bal\\, " in data
    cal = read_back(data)
    (v,) = cal.vevent_list
    assert v.summary.value == nasty.title
    assert v.description.value == "ligne 1\nligne 2\nEND:VEVENT\nBEGIN:VEVENT"
    assert v.categories.value == ["Salon, foire"]


def test_uid_is_stable_and_distinct():
    assert event_uid(SITE + "Lille-Sud") == event_uid(SITE + "Lille-Sud")
    assert event_uid(SITE + "Lille-Sud") != event_uid(SITE + "Lille-Sud2")
    first = to_ics(EVENTS, listed_on=LISTED, now=NOW).data
    later = to_ics(EVENTS, listed_on=LISTED, now=NOW + dt.timedelta(days=1)).data
    uids = [line for line in first.split(b"\r\n") if line.startswith(b"UID:")]
    assert uids == [line for line in later.split(b"\r\n") if line.startswith(b"UID:")]


@pytest.mark.parametrize(
    "dates, span",
    [
        (DateRange(D(2024, 6, 1), D(2024, 6, 2)), (D(2024, 6, 1), D(2024, 6, 3))),
        (DateRange(None, D(2024, 8, 4)), (LISTED, D(2024, 8, 5))),
        (DateRange(None, D(2024, 6, 10)), (D(2024, 6, 10), D(2024, 6, 11))),  # listed after its end: one day
        (DateRange(D(2024, 6, 20), None), (D(2024, 6, 20), D(2024, 6, 21))),  # a single day
        (DateRange(D(2024, 6, 20), D(2024, 6, 20)), (D(2024, 6, 20), D(2024, 6, 21))),
        (DateRange(D(2024, 6, 20), D(2024, 6, 1)), None),  # ends before it starts: unreadable
        (NO_DATES, None),
    ],
)
def test_all_day_span(dates, span):
    assert all_day_span(dates, LISTED) == span


def test_naive_now_is_taken_as_utc():
    data = to_ics(EVENTS[:1], listed_on=LISTED, now=dt.datetime(2024, 6, 14, 17, 0)).data
    assert b"DTSTAMP:20240614T170000Z\r\n" in data


def test_icalendar_is_imported_only_when_writing():
    code = "import sys, lillenews.views.ics, lillenews.site.events; assert 'icalendar' not in sys.modules; print('ok')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "ok", proc.stderr


@pytest.mark.parametrize(
    "dates",
    [DateRange(D.max, None), DateRange(None, D.max), DateRange(D(9999, 12, 1), D.max), DateRange(D.min, D.max)],
)
def test_a_day_with_no_day_after_is_left_out_not_a_crash(dates):
    """DTEND is the day after the last: 9999-12-31 has none. That one event is left out
    (counted as undated); the others are written."""
    assert all_day_span(dates, LISTED) is None
    result = to_ics([ev("Hostile", dates), *EVENTS[:2]], listed_on=LISTED, now=NOW)
    assert (result.written, result.undated) == (2, 1)
    assert [v.url.value for v in read_back(result.data).vevent_list] == [e.url for e in EVENTS[:2]]


def test_dtstamp_is_when_each_event_was_last_revised_never_the_run():
    revised = {EVENTS[0].url: dt.datetime(2024, 6, 10, 8, 30, 15, 999_999, tzinfo=dt.UTC)}
    data = to_ics(EVENTS[:2], listed_on=LISTED, now=NOW, revised=revised).data
    stamps = [line for line in data.split(b"\r\n") if line.startswith(b"DTSTAMP")]
    assert stamps == [b"DTSTAMP:20240610T083015Z", b"DTSTAMP:20240614T170000Z"]  # the second: no time known
    assert (
        to_ics(EVENTS[:1], listed_on=LISTED, now=NOW + dt.timedelta(days=1), revised=revised).data
        == to_ics(EVENTS[:1], listed_on=LISTED, now=NOW, revised=revised).data
    )


def test_description_is_the_cached_pages_lead_and_text_else_the_listings_summary():
    from lillenews.base.event_models import EventPage

    sentiers = EVENTS[0]
    page = EventPage(sentiers.url, "Sentiers", lead="Un parcours libre.", description=("Au jardin.", "Gratuit."))
    cal = read_back(to_ics(EVENTS[:1], listed_on=LISTED, now=NOW, pages={sentiers.url: page}).data)
    assert cal.vevent_list[0].description.value == "Un parcours libre.\n\nAu jardin.\n\nGratuit."
    bare = EventPage(sentiers.url, "Sentiers")  # a page with no text: the listing's summary still says something
    cal = read_back(to_ics(EVENTS[:1], listed_on=LISTED, now=NOW, pages={sentiers.url: bare}).data)
    assert cal.vevent_list[0].description.value == sentiers.summary
