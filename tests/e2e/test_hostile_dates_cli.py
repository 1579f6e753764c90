"""Hostile dates through the real CLI: an agenda whose events or headers carry dates no
calendar holds. One such event is undated (and the ICS export says it left it out); it
never ends a command, nor makes the other events' dates unreadable."""

from __future__ import annotations

import json

import pytest
import vobject
from conftest import run_in_process
from test_events_cli import me
from test_network_faults import one_line

GOOD = me.Ev(
    "Concert",
    "Concert-au-Siecle",
    "Concert",
    "Le 01 août 2024",
    "2024-08-01",
    None,
    me.SIECLE,
    "Un concert.",
    image=False,
)


def hostile(slug: str, date_text: str) -> me.Ev:
    return me.Ev(
        f"Piège {slug}", f"Piege-{slug}", "Concert", date_text, None, None, me.SIECLE, "Un piège.", image=False
    )


def serve(site, events: list[me.Ev], last_modified: str = me.LAST_MODIFIED) -> None:
    site.route(me.BASE, me.listing_html(events, 1, 1, None, None), last_modified=last_modified)


def ok(*args: str):
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    assert "unexpected" not in result.stderr
    return result


@pytest.fixture
def agenda(cli, site, monkeypatch):
    from lillenews.app.events import EventService

    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    return site


def test_ics_export_leaves_out_an_event_dated_9999_and_writes_the_others(agenda):
    serve(agenda, [hostile("an-9999", "Le 9999-12-31"), GOOD])
    result = ok("events", "--all", "--ics")
    cal = vobject.readOne(result.stdout)
    assert [v.summary.value for v in cal.vevent_list] == ["Concert"]
    assert "1 event without a date was left out of the calendar." in one_line(result.stderr, "1 event")
    listed = {e["title"]: e for e in json.loads(ok("events", "--all", "--json").stdout)}
    assert (listed["Piège an-9999"]["date"], listed["Piège an-9999"]["date_text"]) == (None, "Le 9999-12-31")


def test_a_far_future_last_modified_leaves_the_agenda_readable(agenda):
    """A Last-Modified of year 9999 is no anchor: the yearless day takes its year from
    today, and the dated events keep their dates."""
    yearless = hostile("sans-annee", "Jusqu'au 30 juin")
    serve(agenda, [yearless, GOOD], last_modified="Fri, 31 Dec 9999 23:59:59 GMT")
    listed = {e["title"]: e for e in json.loads(ok("events", "--all", "--json").stdout)}
    assert listed["Concert"]["date"] == "2024-08-01"
    assert listed["Piège sans-annee"]["date_end"] == "2024-06-30"
    ok("events", "--all", "--ics")


@pytest.mark.parametrize(
    "date_text",
    ["Du 31 février au 5 mars 2027", "Du 5 au 3 mars 2027", "Du 5 mars 2030 au 3 mars 2027"],
)
def test_an_impossible_range_is_an_undated_event_never_a_guess(agenda, date_text):
    serve(agenda, [hostile("impossible", date_text), GOOD])
    listed = {e["title"]: e for e in json.loads(ok("events", "--all", "--json").stdout)}
    event = listed["Piège impossible"]
    assert (event["date"], event["date_end"], event["ongoing"], event["date_text"]) == (None, None, False, date_text)
    plain = ok("events", "--all").stdout
    assert "05/03/2027" not in plain and "03/03/2027" not in plain and "2030" not in plain
    result = ok("events", "--all", "--ics")
    assert [v.summary.value for v in vobject.readOne(result.stdout).vevent_list] == ["Concert"]
    assert "1 event without a date was left out" in result.stderr
