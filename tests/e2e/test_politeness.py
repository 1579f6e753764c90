"""The site's robots.txt is the rule, end to end: the real CLI (in-process) against a tiny
local site serving a robots.txt with a Disallow and a fractional Crawl-delay
(tests/polite_site.py). Request start times are read on the server's clock. Also: the
polite sync (only what changed) and the agenda read offline after a sync."""

from __future__ import annotations

import json

import pytest
from conftest import run_in_process
from polite_site import DELAY, DISALLOWED, LISTING, ROBOTS, TinySite, disallowed_requests, events, gaps
from server import FixtureServer

from lillenews.app.events import EventService

cli = run_in_process
AGENDA_PAGES = ["/Evenements", "/Evenements/(offset)/10", "/Evenements/(offset)/20"]


@pytest.fixture
def tiny(dirs, monkeypatch):
    """Three articles on one listing page (the third at a disallowed path); robots.txt 404."""
    with FixtureServer() as srv:
        site = TinySite(srv)
        site.dirs = dirs
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield site


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(EventService, "today", property(lambda self: events.TODAY))
    return events.TODAY


def ok(*args: str):
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def forget_robots(site) -> None:
    """As if a day had passed: the next command reads robots.txt again."""
    (site.dirs["cache"] / "robots.json").unlink(missing_ok=True)


def paced(starts: list[float], slept: list[float]) -> bool:
    """One wait before each request but the first, none longer than the delay, and each one,
    with the real time between the two requests, makes the delay: the pacer's clock is the real
    one plus the waits asked (fake_clock), so the load of the machine shortens a wait, never the pace."""
    waits = len(slept) == len(starts) - 1 and all(0 < s <= DELAY for s in slept)
    return waits and all(gap + s >= DELAY for gap, s in zip(gaps(starts), slept, strict=True))


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Warning:")]


# ---------------------------------------------------------------------------- Disallow
def test_no_command_ever_requests_a_disallowed_path(tiny, today, fake_clock):
    robots = ROBOTS.replace(f"Crawl-delay: {DELAY}", "Disallow: /Evenements/Concert-*")  # pace tested below
    tiny.robots(robots)
    tiny.agenda()
    for args in (("list",), ("list", "--all"), ("read", "1"), ("search", "municipale"), ("events", "--all"),
                 ("sync", "--json"), ("list", "--refresh"), ("feed", "--refresh"), ("doctor",)):  # fmt: skip
        assert cli(*args).exit_code in (0, 1), args
    concert = next(e for e in json.loads(ok("events", "--all", "--json").stdout) if e["title"].startswith("Concert"))
    result = cli("event", str(concert["number"]))  # its page is disallowed: what the listing says
    assert result.exit_code == 0 and "asks automated clients not to fetch" in result.stderr
    result = cli("read", "3")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "the site asks automated clients not to fetch this page" in result.stderr
    assert tiny.paths().count("/robots.txt") == 2  # kept for the commands; doctor reads it for its run
    assert disallowed_requests(tiny.paths(), robots) == []
    assert DISALLOWED not in tiny.paths() and not any(p.startswith("/Evenements/Concert") for p in tiny.paths())


def test_sync_skips_a_disallowed_article_and_counts_it(tiny, fake_clock):
    tiny.robots(ROBOTS.replace(f"Crawl-delay: {DELAY}\n", ""))
    data = json.loads(ok("sync", "--no-events", "--json").stdout)
    assert (data["new"], data["disallowed"], data["failed"]) == (2, 1, [])
    assert (
        ok("sync", "--no-events").stdout
        == "0 new, 0 updated, 0 unchanged, 0 failed; 2 already cached; 1 not fetched (robots.txt)\n"
    )


def test_read_of_a_disallowed_article_says_so_in_one_line_and_shows_the_cached_copy(tiny):
    ok("read", "3")  # robots.txt 404: no rules, the article is cached
    tiny.robots()
    forget_robots(tiny)
    tiny.srv.clear_requests()
    result = ok("read", "3", "--refresh")
    assert tiny.articles[2].title in result.stdout
    assert warning_lines(result.stderr) == [result.stderr.strip()]
    assert "the site asks automated clients not to fetch this page (robots.txt)" in result.stderr
    assert "showing the copy cached" in result.stderr
    assert tiny.pages() == []


# ---------------------------------------------------------------------------- Crawl-delay
def test_sync_starts_requests_the_delay_apart_one_at_a_time_whatever_workers_say(tiny):
    tiny.robots()
    result = ok("sync", "--workers", "8", "--no-events", "--json")
    data = json.loads(result.stdout)
    assert (data["crawl_delay"], data["new"], data["disallowed"], data["requests"]) == (DELAY, 2, 1, 3)
    assert tiny.pages() == [LISTING, tiny.articles[0].path, tiny.articles[1].path]
    assert all(gap >= DELAY for gap in gaps(tiny.starts())), gaps(tiny.starts())
    # The estimate is told when the sync starts (nothing cached yet: a guess by the page).
    assert "robots.txt asks for 0.2 s between requests: about " in result.stderr
    # The next sync knows the listing: its one page, nothing new.
    result = ok("sync", "--workers", "8", "--no-events")
    assert "about 1 request, ≈ 0 s." in result.stderr


def test_a_command_reading_several_pages_is_paced_and_a_single_page_is_not_delayed(tiny, today, fake_clock):
    """The waits are those the CLI asked for (fake_clock), never waited out."""
    tiny.robots()
    tiny.agenda()
    ok("list", "--refresh")  # one page: at once
    ok("read", "1")  # one article: at once
    assert fake_clock.slept == []
    tiny.srv.clear_requests()
    ok("events", "--all", "--json", "--refresh")  # three agenda pages: two waits
    assert tiny.pages() == AGENDA_PAGES
    assert len(fake_clock.slept) == 2 and paced(tiny.starts(), fake_clock.slept), (tiny.starts(), fake_clock.slept)
    fake_clock.slept.clear()
    ok("event", "1")  # an event of the listing just shown: one request, never delayed
    assert fake_clock.slept == [] and tiny.pages()[-1].startswith("/Evenements/")


def test_the_default_list_of_two_pages_is_a_persons_request_and_is_not_delayed(tiny, fake_clock):
    """lille.fr lists ten headlines a page: the default 20 need two requests, sent at once;
    asking for more than the default (here every page) is bulk work and is paced."""
    tiny.two_pages()
    tiny.robots()
    result = ok("list", "--refresh", "--json")
    assert len(json.loads(result.stdout)) == 20 and len(tiny.pages()) == 2
    assert fake_clock.slept == []
    tiny.srv.clear_requests()
    ok("list", "--all", "--refresh")
    assert len(tiny.pages()) == 2
    assert len(fake_clock.slept) == 1 and paced(tiny.starts(), fake_clock.slept), (tiny.starts(), fake_clock.slept)


def test_doctor_reports_robots_txt_and_keeps_the_pace(tiny):
    tiny.robots()
    result = cli("doctor", "--json")
    report = json.loads(result.stdout)
    assert report["robots"]["crawl_delay"] == DELAY and report["robots"]["meaning"] == "rules"
    assert "Disallow: /content/" in report["robots"]["lines"]
    assert len(tiny.starts()) >= 3 and all(gap >= DELAY for gap in gaps(tiny.starts()))
    assert not (tiny.dirs["cache"] / "robots.json").exists(), "doctor never touches the cache"
    text = cli("doctor").stdout
    assert "robots.txt" in text and "Crawl-delay: 0.2 s" in text


# ---------------------------------------------------------------------------- robots.txt itself
def test_robots_txt_is_fetched_once_a_day_across_commands(tiny, fake_clock):
    for args in (("list",), ("read", "1"), ("sync", "--no-events"), ("list", "--refresh"), ("search", "x")):
        cli(*args)
    assert tiny.srv.hits("/robots.txt") == 1
    path = tiny.dirs["cache"] / "robots.json"
    kept = json.loads(path.read_text(encoding="utf-8"))
    for record in kept.values():
        record["fetched_at"] -= 25 * 3600  # a day and an hour ago
    path.write_text(json.dumps(kept), encoding="utf-8")
    ok("list", "--refresh")
    assert tiny.srv.hits("/robots.txt") == 2


def test_a_5xx_robots_txt_makes_sync_serve_the_cache_with_one_warning(tiny):
    ok("sync", "--no-events")  # robots.txt 404: the cache is filled
    tiny.robots("oops", status=500)
    forget_robots(tiny)
    tiny.srv.clear_requests()
    result = ok("sync")
    assert tiny.paths() == ["/robots.txt"], "nothing else is fetched for an hour"
    assert warning_lines(result.stderr) == [result.stderr.strip()]
    assert "robots.txt could not be read (the server answered 500" in result.stderr
    # A command that needs several pages serves the cache, with one warning naming robots.txt ...
    result = ok("list", "--all", "--refresh")
    assert len(warning_lines(result.stderr)) == 1 and "robots.txt" in result.stderr
    assert tiny.articles[0].title in result.stdout
    assert tiny.paths() == ["/robots.txt"], "robots.txt is not asked again within the hour"
    # ... a command making a single request behaves as without robots.txt.
    ok("list", "--refresh")
    assert tiny.pages() == [LISTING]


def test_a_5xx_robots_txt_with_nothing_cached_is_one_error(tiny):
    tiny.robots("oops", status=500)
    result = cli("sync")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "robots.txt could not be read" in result.stderr and tiny.pages() == []


# ---------------------------------------------------------------------------- a polite sync
def test_a_second_sync_asks_for_the_listing_pages_only_and_a_new_headline_adds_one_request(tiny, today):
    tiny.agenda()
    first = json.loads(ok("sync", "--json").stdout)  # robots.txt 404: no rules, every article is fetched
    assert first["new"] == 3 and first["events"]["pages"] == 3 and first["events"]["new"] > 0
    tiny.srv.clear_requests()
    data = json.loads(ok("sync", "--json").stdout)
    assert tiny.pages() == [LISTING, *AGENDA_PAGES]
    assert (data["new"], data["cached"], data["requests"]) == (0, 3, 4)
    assert data["events"]["new"] == 0 and data["events"]["cached"] == first["events"]["new"]
    new = tiny.add_headline()
    tiny.srv.clear_requests()
    data = json.loads(ok("sync", "--json").stdout)
    # The new article is fetched by the pool while the walker reads the agenda: either order.
    pages = tiny.pages()
    assert sorted(pages) == sorted([LISTING, new.path, *AGENDA_PAGES]) and data["new"] == 1
    assert pages[0] == LISTING and [p for p in pages if p in AGENDA_PAGES] == AGENDA_PAGES


# ---------------------------------------------------------------------------- the agenda offline
def test_after_sync_the_agenda_reads_offline(tiny, today, fake_clock):
    tiny.agenda()
    report = json.loads(ok("sync", "--json").stdout)
    # The events of 14-20 June 2024 (ongoing ones included) have their page; the later ones do not.
    assert report["events"]["new"] == 12 and report["events"]["pages"] == 3
    tiny.srv.stop()
    listed = json.loads(ok("events", "--all", "--json").stdout)
    by_title = {e["title"]: e["number"] for e in listed}
    synced = ok("event", str(by_title["Stage de sculpture pour les 8-12 ans"]), "--json")  # 17-21 June
    assert json.loads(synced.stdout)["source"] == "page" and synced.stderr == ""
    later = cli("event", str(by_title["Salon des associations"]), "--json")  # in September: its page not synced
    assert later.exit_code == 0
    data = json.loads(later.stdout)
    assert data["source"] == "listing" and data["address"] and data["date"] == "2024-09-07"
    assert "the event's page was not synced" in later.stderr and len(warning_lines(later.stderr)) == 1
    offline = ok("event", str(by_title["Salon des associations"]), "--offline")
    assert "page was not synced" in offline.stderr and "Salon des associations" in offline.stdout
    ics = ok("events", "--ics")
    assert ics.stdout.startswith("BEGIN:VCALENDAR") and "Salon des associations" in ics.stdout
    assert ok("search", "municipale").stdout
