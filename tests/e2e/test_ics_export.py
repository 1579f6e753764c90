"""`events --ics` end to end, on tests/fixtures/make_events.py's agenda with the clock of the
cache injected: the file is the same byte for byte while the agenda is (DTSTAMP is when an
event's information last changed, never the time of the run), an empty selection writes no
calendar, and DESCRIPTION is the event page's lead and text once the page is cached."""

from __future__ import annotations

import re

import pytest
import vobject
from conftest import run_in_process
from test_events_cli import PAGES, me, serve_agenda, today  # noqa: F401 - today is a fixture

from lillenews.app.context import Context

T0 = 1_718_352_000.0  # 2024-06-14 08:00:00 UTC, the agenda's day
LATER = "Sat, 15 Jun 2024 06:00:00 GMT"


@pytest.fixture
def clock(monkeypatch):
    """The wall clock of every command's Context (what the cache records), set by the test."""
    now = [T0]
    monkeypatch.setitem(Context.__init__.__kwdefaults__, "now", lambda: now[0])
    return now


@pytest.fixture
def agenda(cli, site, today, clock):  # noqa: F811 - the fixture imported above
    serve_agenda(site)
    return site


def ics(*args: str) -> bytes:
    result = run_in_process("events", "--all", "--ics", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.encode("utf-8")


def stamps(data: bytes) -> dict[str, str]:
    """URL -> DTSTAMP line of each VEVENT."""
    cal = vobject.readOne(data.decode("utf-8"))
    return {v.url.value: v.dtstamp.value.strftime("%Y%m%dT%H%M%SZ") for v in cal.vevent_list}


def test_two_runs_a_minute_apart_give_the_same_bytes(agenda, clock, tmp_path):
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    ics("-o", str(first))
    clock[0] += 60
    ics("-o", str(second))
    assert second.read_bytes() == first.read_bytes()
    assert set(stamps(first.read_bytes()).values()) == {"20240614T080000Z"}  # when the agenda was fetched


def test_an_agenda_fetched_again_unchanged_keeps_its_stamps(agenda, clock):
    """A day later the listing pages are fetched again: answered 304, then 200 with the same
    text (a server without validators): nothing changed, the same bytes."""
    first = ics()
    clock[0] += 86_400
    assert ics() == first
    for path, html in PAGES.items():
        agenda.route(path, html)  # no Last-Modified: a whole 200 answer every time
    clock[0] += 86_400
    hits = agenda.hits("/Evenements")
    assert ics() == first
    assert agenda.hits("/Evenements") == hits + 1  # it was fetched again


def test_a_changed_event_alone_gets_a_new_stamp(agenda, clock):
    before = stamps(ics())
    changed = next(ev for ev in me.EVENTS if ev.title == "Lille Plage")
    path = next(
        p for p in ("/Evenements", "/Evenements/(offset)/10", "/Evenements/(offset)/20") if ">Lille Plage<" in PAGES[p]
    )
    agenda.route(path, PAGES[path].replace(">Lille Plage<", ">Lille Plage 2024<", 1), last_modified=LATER)
    clock[0] += 86_400
    after = stamps(ics())
    url = agenda.base_url + me.event_path(changed)
    assert after[url] == "20240615T080000Z"
    assert {u: s for u, s in after.items() if u != url} == {u: s for u, s in before.items() if u != url}


def test_the_description_is_the_event_pages_text_once_cached(agenda):
    data = ics()
    one = vobject.readOne(data.decode("utf-8")).vevent_list[0]
    event = next(ev for ev in me.EVENTS if agenda.base_url + me.event_path(ev) == one.url.value)
    assert one.description.value.endswith("...")  # the listing's cut summary
    result = run_in_process("event", one.url.value)
    assert result.exit_code == 0, result.stderr
    again = vobject.readOne(ics().decode("utf-8")).vevent_list[0]
    where = f"Rendez-vous : {event.place.name}." if event.place else "Lieu communiqué ultérieurement."
    assert again.description.value.startswith(event.description + "\n\n" + where)  # the lead, then the text
    assert "..." not in again.description.value


def test_an_empty_selection_writes_no_calendar(agenda, tmp_path):
    target = tmp_path / "nothing.ics"
    for args in ((), ("-o", str(target))):
        result = run_in_process("events", "--today", "--category", "Concert", "--ics", *args)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert re.fullmatch(r"Nothing to export: .*, so no calendar was written\.\n", result.stderr)
    assert not target.exists()


def test_an_empty_selection_is_said_in_french(agenda, monkeypatch):
    monkeypatch.setenv("LILLENEWS_LANGUAGE", "fr")
    result = run_in_process("events", "--today", "--category", "Concert", "--ics")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith("Rien à exporter")
