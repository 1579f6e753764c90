"""`lillenews events` / `event` / `open --event` end to end: the real CLI against the local
server serving tests/fixtures/make_events.py's agenda, with the real SQLite store in a
temp dir. Today is injected (the fixtures are the agenda of 14 June 2024)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import pathlib
import re

import pytest
import test_network_faults
import vobject
from conftest import run_in_process
from test_network_faults import FAULTS, Ctx, Fault, Resolver, assert_one_error, one_line, run, words

from lillenews.app.events import EventService

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]

PAGES = me.all_pages()
UPCOMING = [ev for ev in me.EVENTS if ev.end is None or dt.date.fromisoformat(ev.end) >= me.TODAY]
PAST = [ev for ev in me.EVENTS if ev not in UPCOMING]


def serve_agenda(srv) -> None:
    for path, html in PAGES.items():
        srv.route(path, html, last_modified=me.LAST_MODIFIED)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    return me.TODAY


@pytest.fixture
def agenda(cli, site, today):
    serve_agenda(site)
    return site


def ok(*args: str):
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    return result


def titles(result) -> list[str]:
    return [e["title"] for e in json.loads(result.stdout)]


# ---------------------------------------------------------------------------- listing
def test_events_json_lists_upcoming_numbered_with_each_date_form(agenda):
    data = json.loads(ok("events", "--all", "--json").stdout)
    assert [e["url"] for e in data] == [agenda.base_url + me.event_path(ev) for ev in UPCOMING]
    assert [e["number"] for e in data] == list(range(1, len(UPCOMING) + 1))
    assert not {e["title"] for e in data} & {ev.title for ev in PAST if ev.title not in {u.title for u in UPCOMING}}
    by_text = {e["date_text"]: e for e in data}
    assert (by_text["Le 01 août 2024"]["date"], by_text["Le 01 août 2024"]["date_end"]) == ("2024-08-01", None)
    assert by_text["Du 10 juillet au 7 août 2024"]["date"] == "2024-07-10"
    assert by_text["Du 10 juillet au 7 août 2024"]["date_end"] == "2024-08-07"
    assert (by_text["Du 1 juin au 26 octobre 2024"]["ongoing"], by_text["Du 1 juin au 26 octobre 2024"]["date"]) == (
        True, "2024-06-01",
    )  # fmt: skip
    until = by_text["Jusqu'au 04 août 2024"]
    assert (until["date"], until["date_end"], until["ongoing"]) == (None, "2024-08-04", True)
    assert by_text["Jusqu'au 30 juin"]["date_end"] == "2024-06-30"  # the year of the page's Last-Modified
    assert by_text["Du 28 décembre 2024 au 3 janvier 2025"]["date_end"] == "2025-01-03"
    undated = by_text[None]
    assert (undated["title"], undated["date"], undated["date_end"], undated["ongoing"]) == (
        "Conférence : l'histoire des beffrois", None, None, False,
    )  # fmt: skip
    assert by_text["Le 01 août 2024"]["truncated"] is False
    assert by_text["Le 14 juin 2024"]["truncated"] is True
    for path in ("/Evenements", "/Evenements/(offset)/10", "/Evenements/(offset)/20"):
        assert agenda.hits(path) == 1


def test_events_default_limit_and_pages(agenda):
    assert len(titles(ok("events", "--json"))) == 20
    assert agenda.hits("/Evenements/(offset)/20") == 1  # 3 past events: 20 upcoming need the third page
    five = ok("events", "--limit", "5", "--json", "--refresh")
    assert titles(five) == [ev.title for ev in UPCOMING[:5]]


def test_an_agenda_whose_page_two_links_back_to_page_one_is_read_once(cli, site, today):
    # page 2's "next" link points at page 1: the walk ends there, each page requested once
    two = me.listing_html(me.EVENTS[10:20], 2, 3, None, None)
    looped = two.replace('class="next" href="/Evenements/(offset)/20"', 'class="next" href="/Evenements"')
    assert looped != two
    site.route("/Evenements", me.listing_html(me.EVENTS[:10], 1, 3, None, None), last_modified=me.LAST_MODIFIED)
    site.route("/Evenements/(offset)/10", looped, last_modified=me.LAST_MODIFIED)
    site.clear_requests()
    result = ok("events", "--all", "--refresh", "--json")
    pages = [r.route_path for r in site.requests if r.route_path != "/robots.txt"]  # read once a day besides
    assert pages == ["/Evenements", "/Evenements/(offset)/10"]
    assert len(json.loads(result.stdout)) == len([ev for ev in me.EVENTS[:20] if ev in UPCOMING])
    assert result.stderr == ""


def test_a_thousand_event_agenda_is_listed_whole_with_all(cli, site, today):
    # the agenda held ~700 events in June 2024: 100 pages of 10 are read to the end
    pages = 100
    for n in range(pages):
        events = [
            me.Ev(f"Atelier {k}", f"Atelier-{k}", "Stage et atelier", "Le 20 juin 2024", "2024-06-20", "2024-06-20",
                  None, "Un atelier.", image=False)
            for k in range(n * me.PER_PAGE, (n + 1) * me.PER_PAGE)
        ]  # fmt: skip
        html = me.listing_html(events, n + 1, pages, None, None)
        site.route(me.listing_path(n * me.PER_PAGE), html, last_modified=me.LAST_MODIFIED)
    result = ok("events", "--all", "--json")
    data = json.loads(result.stdout)
    assert [e["number"] for e in data] == list(range(1, 1001))
    assert data[-1]["url"] == site.base_url + "/Evenements/Atelier-999"
    assert len([r for r in site.requests if r.route_path != "/robots.txt"]) == pages and result.stderr == ""


@pytest.mark.parametrize("when", list(me.PERIODS))
def test_period_filters_use_the_site_filter(agenda, when):
    result = ok("events", f"--{when}", "--json")
    expected = [ev for ev in me.selection(when, None) if ev in UPCOMING]
    assert [e["url"] for e in json.loads(result.stdout)] == [agenda.base_url + me.event_path(ev) for ev in expected]
    assert agenda.hits(f"/Evenements/(when)/{when}") == 1
    assert agenda.hits("/Evenements") == 0


def test_week_filter_follows_its_pagination(agenda):
    ok("events", "--week", "--json")
    assert agenda.hits("/Evenements/(offset)/10/(when)/week") == 1


def test_category_uses_the_type_filter_when_the_page_names_its_id(agenda):
    result = ok("events", "--category", "MARCHE", "--json")
    assert titles(result) == ["Marché de Noël", "Brocante du Vieux-Lille"]
    assert agenda.hits("/Evenements/(type)/539") == 1
    combined = ok("events", "--weekend", "--category", "braderie", "--json")
    assert titles(combined) == ["Brocante du Vieux-Lille"]
    assert agenda.hits("/Evenements/(when)/weekend/(type)/539") == 1


def test_category_without_an_id_filters_listed_events_by_name(agenda):
    # "Cinéma - projection" has no filter link on the page: a category known of the site,
    # matched by name over the listed events
    cats = json.loads(ok("events", "--categories", "--json").stdout)
    assert {"name": "Cinéma - projection", "id": None} in cats
    assert {"name": "Concert", "id": "535"} in cats
    result = ok("events", "--category", "cinéma", "--json")
    assert titles(result) == ["Cinéma en plein air à la Citadelle"]
    assert not any("(type)" in r.route_path for r in agenda.requests)


def test_unknown_and_ambiguous_categories_are_usage_errors(agenda):
    for wanted, message in (("opéra", "no category matches"), ("e", "matches several categories")):
        result = run_in_process("events", "--category", wanted)
        assert result.exit_code == 2 and message in one_line(result.stderr, "Error: ")


def test_categories_plain(agenda):
    out = ok("events", "--categories").stdout.splitlines()
    assert "Rencontre / conférence / débat" in out and "Fête / festival" in out
    assert out == sorted(out, key=lambda s: s.casefold().replace("é", "e").replace("ê", "e"))


def test_plain_listing_for_pipes(agenda):
    result = ok("events", "--limit", "4")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "Dates", "Category", "Title"]
    assert lines[1].split()[:3] == ["1", "14/06/2024", "Visite"]
    assert "01/06/2024 → 26/10/2024" in result.stdout and "ongoing" in result.stdout
    assert result.stderr == ""


def test_empty_filter_says_so_on_stderr(agenda):
    result = ok("events", "--today", "--category", "concert")
    assert result.stdout == "" and "No upcoming events." in result.stderr


def test_options_that_do_not_go_together(agenda):
    for args in (("--today", "--week"), ("--json", "--ics"), ("-o", "x.ics"), ("--refresh", "--offline")):
        result = run_in_process("events", *args)
        assert result.exit_code == 2, args
        assert one_line(result.stderr, "Error: ")


# ---------------------------------------------------------------------------- one event
def test_event_by_number_follows_the_last_listing(agenda):
    ok("events", "--weekend")
    weekend = [ev for ev in me.selection("weekend", None) if ev in UPCOMING]
    data = json.loads(ok("event", "1", "--json").stdout)
    assert (data["number"], data["title"]) == (1, weekend[0].title)
    assert data["url"] == agenda.base_url + me.event_path(weekend[0])
    ok("events")
    assert json.loads(ok("event", "1", "--json").stdout)["title"] == UPCOMING[0].title


def test_event_json_shape(agenda):
    ok("events", "--all")
    n = UPCOMING.index(next(ev for ev in UPCOMING if ev.slug == me.CREDIT_IN_TEXT)) + 1
    data = json.loads(ok("event", str(n), "--json").stdout)
    assert data["number"] == n
    assert (data["date"], data["date_end"], data["ongoing"]) == (None, "2024-08-04", True)
    assert data["hours"] == ["Du mardi au dimanche", "de 10h à 18h", "Fermé le lundi"]
    assert data["address"] == ["Hospice Comtesse", "32 rue de la Monnaie", "59800 Lille"]
    assert data["credit"] == "Thomas Lo Presti"
    assert not any("Crédit" in p for p in data["description"])
    assert data["lead"].endswith("photographies.")  # the page's whole text, not the cut summary
    assert data["links"][0]["text"] == "Voir sur OpenAgenda"


def test_event_plain_and_markdown(agenda):
    ok("events", "--all")
    text = ok("event", "1").stdout
    assert text.startswith("1. Visite guidée du Vieux-Lille\n")
    assert "Hours: Du mardi au dimanche" in text and "Place: Office de tourisme" in text
    md = ok("event", "1", "--markdown").stdout
    assert md.startswith("# Visite guidée du Vieux-Lille\n") and "- **Dates :** Le 14 juin 2024" in md


def test_event_shows_every_venue_paragraph_and_a_text_phone_as_the_listing_does(agenda):
    # The page puts the place, the street and the postcode in separate <p> of .adress and
    # the phone as plain text in its own <p>, with no tel: link.
    ev = next(e for e in UPCOMING if e.slug == me.SEPARATE_VENUE)
    assert ev.place is not None and ev.place.phone and 'href="tel:' not in PAGES[me.event_path(ev)]
    venue = [ev.place.name, *ev.place.lines]
    listed = json.loads(ok("events", "--all", "--json").stdout)
    item = next(e for e in listed if e["url"] == agenda.base_url + me.event_path(ev))
    n = str(item["number"])
    page = json.loads(ok("event", n, "--json").stdout)
    assert page["address"] == venue and page["phone"] == ev.place.phone
    assert ", ".join(page["address"]) == ", ".join([item["place"], item["address"]])
    assert page["phone"] == item["phone"]
    for args in ((), ("--markdown",)):
        out = ok("event", n, *args).stdout
        assert ", ".join(venue) in out and ev.place.phone in out, args


def test_event_by_url_with_a_dedup_digit(agenda):
    one = json.loads(ok("event", agenda.base_url + "/Evenements/Visite-guidee-du-Vieux-Lille", "--json").stdout)
    two = json.loads(ok("event", "/Evenements/Visite-guidee-du-Vieux-Lille2", "--json").stdout)
    assert (one["date"], two["date"]) == ("2024-06-14", "2024-06-15")
    assert one["number"] is None  # no events listing shown yet


def test_event_number_out_of_range_and_foreign_url(agenda):
    ok("events", "--limit", "3")
    result = run_in_process("event", "4")
    assert result.exit_code == 2 and "no event 4 (the last events listing has 1–3)" in result.stderr
    assert run_in_process("event", "-1").exit_code == 2
    assert run_in_process("event", "https://example.org/Evenements/X").exit_code == 2


def test_event_number_without_a_listing_fetches_the_default_one(agenda):
    assert json.loads(ok("event", "2", "--json").stdout)["title"] == UPCOMING[1].title


def test_open_event(agenda, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or False)
    ok("events")
    result = ok("open", "--event", "2")
    assert opened == [agenda.base_url + me.event_path(UPCOMING[1])]
    assert result.stdout == opened[0] + "\n"
    ok("open", agenda.base_url + me.event_path(UPCOMING[3]))
    assert opened[-1] == agenda.base_url + me.event_path(UPCOMING[3])


# ---------------------------------------------------------------------------- iCalendar
def test_ics_to_a_file_read_back_by_another_parser(agenda, tmp_path):
    target = tmp_path / "agenda.ics"
    result = ok("events", "--all", "--ics", "-o", str(target))
    assert result.stdout == ""
    assert "1 event without a date was left out of the calendar." in result.stderr
    data = target.read_bytes()
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = vobject.readOne(data.decode("utf-8"))
    vevents = cal.vevent_list
    dated = [ev for ev in UPCOMING if ev.end]
    assert [v.url.value for v in vevents] == [agenda.base_url + me.event_path(ev) for ev in dated]
    by_url = {v.url.value: v for v in vevents}
    expo = by_url[agenda.base_url + "/Evenements/Exposition-Lille-ville-d-eau"]
    assert (expo.dtstart.value, expo.dtend.value) == (me.TODAY, dt.date(2024, 8, 5))  # Jusqu'au: listed day to X+1
    assert expo.location.value == "Hospice Comtesse, 32 rue de la Monnaie, 59800 Lille"
    assert expo.categories.value == ["Exposition"]
    assert expo.summary.value == "Exposition « Lille, ville d'eau »"
    sentiers = by_url[agenda.base_url + "/Evenements/Les-Sentiers-de-la-biodiversite"]
    assert (sentiers.dtstart.value, sentiers.dtend.value) == (dt.date(2024, 6, 1), dt.date(2024, 10, 27))
    assert len({v.uid.value for v in vevents}) == len(vevents)
    again = tmp_path / "again.ics"
    ok("events", "--all", "--ics", "-o", str(again))
    assert [v.uid.value for v in vobject.readOne(again.read_text()).vevent_list] == [v.uid.value for v in vevents]


def test_ics_to_stdout_has_only_the_calendar(agenda):
    result = ok("events", "--weekend", "--ics")
    assert result.stdout.startswith("BEGIN:VCALENDAR\r\n") and result.stdout.endswith("END:VCALENDAR\r\n")
    assert len(vobject.readOne(result.stdout).vevent_list) == len([e for e in me.selection("weekend", None)])


# ---------------------------------------------------------------------------- cache and faults
def test_offline_uses_the_cache_and_never_the_network(agenda):
    good = ok("events", "--json").stdout
    ok("event", "1")
    hits = agenda.hits("/Evenements")
    assert ok("events", "--offline", "--json").stdout == good
    assert ok("event", "1", "--offline", "--json")
    assert agenda.hits("/Evenements") == hits
    result = run_in_process("events", "--month", "--offline")
    assert result.exit_code == 1 and "not cached" in one_line(result.stderr, "Error: ")
    # Event 2's page was never fetched: what the listing says of it, said so (exit 0).
    result = run_in_process("event", "2", "--offline")
    assert result.exit_code == 0 and "page was not synced" in result.stderr
    result = run_in_process("event", agenda.base_url + "/Evenements/Nowhere", "--offline")
    assert result.exit_code == 1 and "is not cached" in one_line(result.stderr, "Error: ")


def test_fresh_cache_is_used_and_refresh_asks_again(agenda):
    ok("events")
    ok("events")
    assert agenda.hits("/Evenements") == 1
    ok("events", "--refresh")
    assert agenda.hits("/Evenements") == 2


@pytest.fixture
def fault() -> Fault | None:
    return None  # overridden by @pytest.mark.parametrize("fault", ...)


@pytest.fixture
def events_ctx(fault, dirs, site, monkeypatch, fake_clock, today) -> Ctx:
    """test_network_faults' harness (same faults, same settings, the same injected clock) serving the agenda."""
    if fault is not None and fault.dns:
        base_url = site.base_url.replace("127.0.0.1", test_network_faults.TEST_HOST)
        c = Ctx(site, base_url, fake_clock, Resolver(monkeypatch), monkeypatch)
    else:
        c = Ctx(site, site.base_url, fake_clock, monkeypatch=monkeypatch)
    test_network_faults._env(monkeypatch, c.base_url)
    serve_agenda(site)
    return c


LISTING = "/Evenements"
EVENT = me.event_path(me.EVENTS[5])
each_fault = pytest.mark.parametrize("fault", [pytest.param(f, id=name) for name, f in FAULTS.items()])
some_faults = pytest.mark.parametrize(
    "fault", [pytest.param(FAULTS[n], id=n) for n in ("404", "500", "connection refused", "layout changed")]
)


@each_fault
def test_events_fault_without_cache(events_ctx, fault: Fault):
    fault.inject(events_ctx, LISTING)
    assert_one_error(*run("events"), events_ctx.base_url + LISTING, fault)
    test_network_faults.assert_waits(events_ctx, fault)  # the same retries and waits as news


@each_fault
def test_events_fault_with_stale_cache(events_ctx, fault: Fault, monkeypatch):
    first, _ = run("events", "--json")
    assert first.exit_code == 0, first.stderr
    good = json.loads(first.stdout)
    fault.inject(events_ctx, LISTING)
    monkeypatch.setenv("LILLENEWS_LISTING_MAX_AGE", "0")
    result, elapsed = run("events")
    assert result.exit_code == 0, result.stderr
    line = one_line(result.stderr, "Warning: ")
    assert "ago" in line or "just now" in line
    assert re.search(fault.cause, line), line
    for event in good[:20]:
        assert words(event["title"])[:20] in words(result.stdout)
    assert elapsed < fault.max_s, f"took {elapsed:.1f} s"
    test_network_faults.assert_waits(events_ctx, fault)
    monkeypatch.delenv("LILLENEWS_LISTING_MAX_AGE")
    after, _ = run("events", "--offline", "--json")
    assert json.loads(after.stdout) == good, "the good cached listing was replaced"


@some_faults
def test_event_page_fault(events_ctx, fault: Fault):
    good, _ = run("event", EVENT, "--json")
    assert good.exit_code == 0, good.stderr
    other = me.event_path(me.EVENTS[6])
    fault.inject(events_ctx, EVENT)
    fault.inject(events_ctx, other)
    result, _ = run("event", EVENT, "--refresh", "--no-pager")  # cached: served with one warning
    assert result.exit_code == 0 and one_line(result.stderr, "Warning: ")
    assert "Exposition « Lille, ville d'eau »" in result.stdout
    after, _ = run("event", EVENT, "--offline", "--json")
    assert after.stdout == good.stdout, "the good cached event was replaced"
    assert_one_error(*run("event", other, "--no-pager"), events_ctx.base_url + other, fault)


def test_warm_events_imports_no_network_no_parser_no_rich(agenda):
    from test_startup_imports import NETWORK_AND_PARSER, imported_modules, top_level

    ok("events")  # a fresh cached listing: the next run needs no request
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    modules = top_level(imported_modules("events", env=env))
    assert not modules & set(NETWORK_AND_PARSER), modules & set(NETWORK_AND_PARSER)
    assert not modules & {"rich", "icalendar"}


def test_cache_clear_clears_the_events_too_says_so_and_compacts_the_files(agenda, dirs):
    ok("list", "--all")
    ok("events", "--all")
    for n in (1, 2, 3):
        ok("event", str(n))
    files = [dirs["cache"] / name for name in ("cache.db", "events.db")]
    before = sum(f.stat().st_size for f in files)
    said = ok("cache", "clear").stderr
    assert re.search(r"Cleared 0 articles, 10 listing pages, 3 events and \d+ agenda pages? from ", said), said
    sizes = re.search(r"its files were compacted: (\d+) KiB → (\d+) KiB\.$", said.strip())
    assert sizes and int(sizes[2]) < int(sizes[1]), said
    assert sum(f.stat().st_size for f in files) < before  # VACUUM gave the room back
    result = run_in_process("events", "--offline")
    assert result.exit_code == 1 and "not cached" in one_line(result.stderr, "Error: ")


# ---------------------------------------------------------------------------- other hosts
def test_events_of_another_site_are_never_listed(cli, site, today):
    """An agenda item linking to another host or port is dropped, like a news item."""
    other = "http://127.0.0.2:9"  # never contacted: the item is dropped at parse time
    first = me.event_path(UPCOMING[0])
    for path, html in PAGES.items():
        site.route(path, html.replace(f'href="{first}"', f'href="{other}{first}"'), last_modified=me.LAST_MODIFIED)
    urls = [e["url"] for e in json.loads(ok("events", "--all", "--json").stdout)]
    assert urls and not any(u.startswith(other) for u in urls)
    assert site.base_url + first not in urls and len(urls) == len(UPCOMING) - 1
