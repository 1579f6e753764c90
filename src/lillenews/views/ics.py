"""Events -> an iCalendar file (RFC 5545), written by the `icalendar` library.

The library folds lines at 75 octets, ends them with CRLF and escapes text (`,` `;` `\\`
and newlines), which are the parts a hand-written writer gets wrong. It is imported
inside `to_ics` so only `events --ics` pays for it."""

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from uuid import NAMESPACE_URL, uuid5

from lillenews.base.dates import DateRange
from lillenews.base.event_models import Event, EventPage

PRODID = "-//lillenews//Agenda de la Ville de Lille//FR"
CALENDAR_NAME = "Agenda de la Ville de Lille"


class IcsResult(NamedTuple):
    data: bytes  # the whole file, CRLF line ends
    written: int  # VEVENTs in the file
    undated: int  # events left out: no date to put in DTSTART


def event_uid(url: str) -> str:
    """The same event URL gives the same UID on every export, so calendars update it."""
    return f"{uuid5(NAMESPACE_URL, url)}@lillenews"


def all_day_span(dates: DateRange, listed_on: _dt.date) -> tuple[_dt.date, _dt.date] | None:
    """(DTSTART, DTEND) as all-day dates, DTEND exclusive (RFC 5545 3.6.1), or None.

    A single day (no end) is that day. "Jusqu'au X" (no start) is on now: it starts the
    day it was listed. A range that ends before it starts is unreadable: None, and so is
    a last day with no day after (9999-12-31): one hostile event must not end the export."""
    start, end = dates
    if start is None:
        if end is None:
            return None
        start = min(listed_on, end)
    last = end if end is not None else start
    if last < start or last == _dt.date.max:
        return None
    return start, last + _dt.timedelta(days=1)


def utc(moment: _dt.datetime) -> _dt.datetime:
    """`moment` in UTC to the second (a naive one is taken as UTC): DTSTAMP's form."""
    moment = moment.astimezone(_dt.UTC) if moment.tzinfo else moment.replace(tzinfo=_dt.UTC)
    return moment.replace(microsecond=0)


def description(event: Event, page: EventPage | None) -> str | None:
    """The event page's lead and text when its page is cached, else the listing's summary
    (which the site cuts at about 150 characters)."""
    if page is not None:
        text = "\n\n".join(x for x in (page.lead, *page.description) if x)
        if text:
            return text
    return event.summary


def to_ics(
    events: Iterable[Event],
    *,
    listed_on: _dt.date,
    now: _dt.datetime,
    revised: Mapping[str, _dt.datetime] | None = None,
    pages: Mapping[str, EventPage] | None = None,
    name: str = CALENDAR_NAME,
) -> IcsResult:
    """One VEVENT per dated event; `listed_on` is the listing's day. DTSTAMP is when the
    event's information was last revised (`revised`, by URL; RFC 5545 3.8.7.2 for a calendar
    without METHOD), so an unchanged agenda exports the same bytes; `now` only for an event
    with no such time. `pages`: the cached event pages, by URL (their text is DESCRIPTION)."""
    import icalendar  # only --ics needs it

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    revised, pages = revised or {}, pages or {}
    written = undated = 0
    for event in events:
        span = all_day_span(event.dates, listed_on)
        if span is None:
            undated += 1
            continue
        vevent = icalendar.Event()
        vevent.add("uid", event_uid(event.url))
        vevent.add("dtstamp", utc(revised.get(event.url, now)))
        vevent.add("dtstart", span[0])
        vevent.add("dtend", span[1])
        vevent.add("summary", event.title)
        location = ", ".join(x for x in (event.place, event.address) if x)
        if location:
            vevent.add("location", location)
        text = description(event, pages.get(event.url))
        if text:
            vevent.add("description", text)
        vevent.add("url", event.url)
        if event.category:
            vevent.add("categories", [event.category])
        cal.add_component(vevent)
        written += 1
    return IcsResult(cal.to_ical(), written, undated)
