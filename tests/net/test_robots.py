"""robots.txt (net/robots.py), the Crawl-delay pacer (net/pacing.py) and the file robots.txt
is kept in (store/robots_file.py): what each answer means, the rules with their wildcards,
a stored copy reused for a day, and the pace asked for on injected clocks (never waited
out). The Fetcher with them, against the local fixture server."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from conftest import FakeClock
from server import FixtureServer

from lillenews import USER_AGENT
from lillenews.base.config import Settings
from lillenews.base.errors import DisallowedError, FetchError, RobotsUnavailableError, SiteDownError
from lillenews.net.fetch import Fetcher
from lillenews.net.pacing import Pacer
from lillenews.net.robots import MAX_AGE, UNAVAILABLE_FOR, RobotsGate, RobotsRecord, RobotsRules, grouped
from lillenews.store.robots_file import RobotsFile

SITE = "https://www.lille.fr"
# As a public crawler recorded lille.fr's file (2026-10-01): no User-agent line at all.
LILLE = "Disallow: /content/\nDisallow: /*.pdf$\nCrawl-delay: 10\n"
NOW = 1_800_000_000.0


def rules(text: str, status: int = 200) -> RobotsRules:
    return RobotsRules(RobotsRecord.of_status(NOW, status, text))


# ---------------------------------------------------------------------------- what it says
def test_the_lille_file_is_read_with_its_wildcards_and_its_delay():
    r = rules(LILLE)
    assert not r.allowed(SITE + "/content/view/full/4242")
    assert not r.allowed(SITE + "/Votre-Mairie/deliberation.pdf")
    assert r.allowed(SITE + "/Votre-Mairie/deliberation.pdf?x=1")  # `$`: the path ends there, not here
    assert r.allowed(SITE + "/Actualites/Comprendre-la-qualite-de-l-air-a-Lille")
    assert r.allowed(SITE + "/Actualites")
    assert r.delay == 10.0


def test_rules_before_any_user_agent_line_are_the_star_groups():
    assert grouped(LILLE).startswith("User-agent: *\n")
    with_group = "# comment\nUser-agent: *\nDisallow: /x\n"
    assert grouped(with_group) == with_group


def test_the_lillenews_group_wins_over_star_and_a_fractional_delay_is_kept():
    text = "User-agent: *\nDisallow: /\nCrawl-delay: 30\n\nUser-agent: lillenews\nDisallow: /prive/\nCrawl-delay: 0.2\n"
    r = rules(text)
    assert r.allowed(SITE + "/Actualites") and not r.allowed(SITE + "/prive/x")
    assert r.delay == 0.2
    other = rules("User-agent: otherbot\nDisallow: /\n")
    assert other.allowed(SITE + "/Actualites") and other.delay is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [(200, "rules"), (204, "rules"), (403, "none"), (404, "none"), (410, "none"), (429, "unavailable"),
     (500, "unavailable"), (503, "unavailable")],
)  # fmt: skip
def test_what_each_answer_means(status, kind):
    record = RobotsRecord.of_status(NOW, status, "Disallow: /\n")
    assert record.kind == kind
    r = RobotsRules(record)
    assert r.allowed(SITE + "/Actualites") is (kind == "none")  # "rules" here disallow everything
    assert r.unavailable is (kind == "unavailable")


def test_a_record_is_fresh_for_a_day_an_unavailable_one_for_an_hour():
    ok = RobotsRecord.of_status(NOW, 200, LILLE)
    assert ok.fresh(NOW + MAX_AGE - 1) and not ok.fresh(NOW + MAX_AGE)
    down = RobotsRecord.of_status(NOW, 503)
    assert down.fresh(NOW + UNAVAILABLE_FOR - 1) and not down.fresh(NOW + UNAVAILABLE_FOR)
    assert not ok.fresh(NOW - 60), "a record from the future (clock changed) is not trusted"


@pytest.mark.parametrize(
    "data",
    [None, [], {"fetched_at": "x", "kind": "rules", "status": 200, "text": "", "error": ""},
     {"fetched_at": NOW, "kind": "maybe", "status": 200, "text": "", "error": ""},
     {"fetched_at": NOW, "kind": "rules", "status": True, "text": "", "error": ""},
     {"fetched_at": NOW, "kind": "rules", "status": 200, "text": 5, "error": ""}],
)  # fmt: skip
def test_a_stored_record_of_the_wrong_shape_is_ignored(data):
    assert RobotsRecord.from_dict(data) is None


# ---------------------------------------------------------------------------- the gate
class Answers:
    """A robots.txt GET answering from a list, recording each call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, url):
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        from lillenews.net.fetch import Page

        return Page(url, 200, answer)


def gate(get, store=None, now=lambda: NOW, down=lambda: None) -> RobotsGate:
    return RobotsGate(SITE, get, down, store, now)


def test_a_disallowed_url_is_refused_before_any_request():
    g = gate(Answers(LILLE))
    with pytest.raises(DisallowedError, match=r"asks automated clients not to fetch this page \(robots.txt\)"):
        g.check(SITE + "/content/x")
    g.check(SITE + "/Actualites")  # allowed: no error
    g.check("https://elsewhere.example/content/x")  # another site: not ours to judge (the fetcher refuses it)


def test_robots_txt_is_read_once_per_gate_and_kept_for_a_day(tmp_path):
    store = RobotsFile(tmp_path / "robots.json")
    get = Answers(LILLE, LILLE)
    gate(get, store).check(SITE + "/Actualites")
    gate(get, store, now=lambda: NOW + MAX_AGE - 60).check(SITE + "/Actualites")
    assert get.calls == 1, "a copy younger than a day is used as is"
    gate(get, store, now=lambda: NOW + MAX_AGE + 60).check(SITE + "/Actualites")
    assert get.calls == 2, "an older one is fetched again"


def test_unavailable_robots_lets_one_request_of_a_single_request_command_through():
    unavailable = FetchError(SITE + "/robots.txt", "the server answered 503", status=503)
    g = gate(Answers(unavailable))
    g.check(SITE + "/Actualites")  # the one request goes as it would without robots.txt
    with pytest.raises(RobotsUnavailableError, match=r"robots.txt could not be read .*503.* for an hour"):
        g.check(SITE + "/Actualites/(offset)/10")
    several = gate(Answers(unavailable))
    several.several = True
    assert several.refuses_all()
    with pytest.raises(RobotsUnavailableError):
        several.check(SITE + "/Actualites")


def test_a_site_that_did_not_answer_robots_txt_fails_as_it_would_without_it():
    refused = FetchError(SITE + "/robots.txt", "the connection to www.lille.fr was refused")
    g = gate(Answers(refused), down=lambda: "the connection to www.lille.fr was refused")
    g.several = True
    assert not g.refuses_all()  # the pages fail with the real cause, not with robots.txt's
    with pytest.raises(FetchError, match="was refused") as first:
        g.check(SITE + "/Actualites")
    assert not isinstance(first.value, RobotsUnavailableError)
    with pytest.raises(SiteDownError, match="skipped: the site did not answer"):  # as without robots.txt
        g.check(SITE + "/Actualites/(offset)/10")
    assert g.rules().record.kind == "unavailable" and "refused" in g.rules().record.error


# ---------------------------------------------------------------------------- the pacer
class StillClock(FakeClock):
    """Time that moves only by the waits asked, with no real time underneath: the figures
    are exact, however long the machine takes between two lines of the test."""

    def __call__(self) -> float:
        return sum(self.slept)


def test_the_first_request_goes_at_once_the_next_ones_a_delay_after_the_previous_ended():
    clock = StillClock()
    pacer = Pacer(clock, clock.sleep, bulk=True)
    pacer.delay = 0.2
    with pacer.turn("u1"):
        clock.slept.append(0.05)  # the request took 50 ms
    with pacer.turn("u2"):
        pass
    assert clock.slept[1] == pytest.approx(0.2, abs=0.01), clock.slept
    assert pacer.waited == pytest.approx(0.2, abs=0.01) and pacer.requests == 2
    assert pacer.remaining(5) == pytest.approx(1.0)


def test_a_persons_requests_are_not_paced_until_the_command_declares_bulk_work():
    clock = StillClock()
    pacer = Pacer(clock, clock.sleep)
    pacer.delay = 0.2
    for url in ("u1", "u2"):  # the default `list`: two listing pages, at once
        with pacer.turn(url):
            pass
    assert clock.slept == [] and pacer.requests == 2 and not pacer.paced
    pacer.bulk = True  # e.g. `read 25` walks further: from now on, the delay
    with pacer.turn("u3"):
        pass
    with pacer.turn("u4"):
        pass
    assert clock.slept == [pytest.approx(0.2, abs=0.01)]


def test_paced_requests_go_one_at_a_time_whatever_the_threads():
    pacer = Pacer(time.monotonic, lambda s: time.sleep(min(s, 0.001)), bulk=True)  # the pace asked for, barely waited
    pacer.delay = 0.01
    busy, most = [0], [0]
    lock = threading.Lock()

    def request(n: int) -> None:
        with pacer.turn(f"u{n}"):
            with lock:
                busy[0] += 1
                most[0] = max(most[0], busy[0])
            time.sleep(0.002)
            with lock:
                busy[0] -= 1

    threads = [threading.Thread(target=request, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1 and pacer.requests == 8


def test_without_a_delay_requests_run_together_and_nothing_waits():
    pacer = Pacer(FakeClock(), lambda s: pytest.fail("no delay: no wait"), bulk=True)
    inside = threading.Barrier(3, timeout=5)  # three turns at once, or it breaks

    def request(n: int) -> None:
        with pacer.turn(f"u{n}"):
            inside.wait()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not inside.broken and pacer.requests == 3


def test_a_closed_pacer_wakes_the_thread_waiting_for_its_turn():
    pacer = Pacer(time.monotonic, bulk=True)  # waits on its event: close() ends the wait
    pacer.delay = 60.0
    with pacer.turn("u1"):
        pass
    errors: list[BaseException] = []

    def waiting() -> None:
        try:
            with pacer.turn("u2"):
                pass
        except SiteDownError as exc:
            errors.append(exc)

    thread = threading.Thread(target=waiting)
    thread.start()
    time.sleep(0.05)
    pacer.close()
    thread.join(timeout=5)
    assert not thread.is_alive() and errors and "the command is ending" in str(errors[0])


# ---------------------------------------------------------------------------- where it is kept
def test_the_robots_file_keeps_each_site_and_ignores_what_is_not_its_own(tmp_path):
    store = RobotsFile(tmp_path / "cache" / "robots.json")
    assert store.load(SITE) is None
    record = RobotsRecord.of_status(NOW, 200, LILLE).to_dict()
    assert store.save(SITE, record) and store.save("http://127.0.0.1:8000", {"kind": "none"})
    assert store.load(SITE) == record and store.load("http://127.0.0.1:8000") == {"kind": "none"}
    assert [p.name for p in store.path.parent.iterdir()] == ["robots.json"]  # no temporary file left
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load(SITE) is None
    store.path.write_text(json.dumps([1, 2]), encoding="utf-8")
    assert store.load(SITE) is None


def test_a_fifo_in_place_of_the_robots_file_is_ignored_never_read(tmp_path):
    path = tmp_path / "robots.json"
    os.mkfifo(path)
    assert RobotsFile(path).load(SITE) is None  # would block forever if it were opened


def test_an_unwritable_cache_dir_keeps_nothing_and_says_nothing(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert RobotsFile(blocked / "robots.json").save(SITE, {"kind": "none"}) is False


# ---------------------------------------------------------------------------- the fetcher with them
def settings(base_url: str) -> Settings:
    nowhere = Path("/nonexistent")
    return Settings(base_url, nowhere, nowhere, nowhere, timeout=2.0, listing_max_age=10, workers=2, max_retry_wait=1)


@pytest.fixture
def srv():
    with FixtureServer() as server:
        server.route("/Actualites", "<html><body>ok</body></html>")
        server.route("/content/x", "<html><body>system</body></html>")
        yield server


def test_the_fetcher_never_requests_a_disallowed_path_and_asks_robots_txt_as_lillenews(srv):
    srv.route("/robots.txt", "User-agent: *\nDisallow: /content/\n", content_type="text/plain")
    fetcher = Fetcher(settings(srv.base_url), sleep=FakeClock().sleep)
    try:
        assert fetcher.get(srv.url("/Actualites")).status == 200
        with pytest.raises(DisallowedError):
            fetcher.get(srv.url("/content/x"))
    finally:
        fetcher.close()
    assert [r.route_path for r in srv.requests] == ["/robots.txt", "/Actualites"]
    assert srv.requests[0].headers["user-agent"] == USER_AGENT and "lillenews" in USER_AGENT


def test_the_fetcher_paces_by_the_crawl_delay_on_its_clock(srv):
    srv.route("/robots.txt", "User-agent: *\nCrawl-delay: 0.5\n", content_type="text/plain")
    clock = FakeClock()
    fetcher = Fetcher(settings(srv.base_url), sleep=clock.sleep, clock=clock)
    fetcher.pacer.bulk = True  # bulk work (sync, --all): a person's single request is never paced
    try:
        for _ in range(3):
            fetcher.get(srv.url("/Actualites"))
    finally:
        fetcher.close()
    assert fetcher.pacer.delay == 0.5 and len(clock.slept) == 2
    assert all(0.45 <= s <= 0.5 for s in clock.slept), clock.slept  # robots.txt itself is not paced


def test_an_empty_or_html_robots_txt_has_no_rules(srv):
    for body, ctype in ((b"", "text/plain"), (b"<html><body>Accueil</body></html>", "text/html")):
        srv.route("/robots.txt", body, content_type=ctype)
        fetcher = Fetcher(settings(srv.base_url), sleep=FakeClock().sleep)
        try:
            assert fetcher.get(srv.url("/content/x")).status == 200
            assert fetcher.pacer.delay is None
        finally:
            fetcher.close()


def test_once_the_site_stopped_answering_no_request_waits_for_its_turn():
    clock = FakeClock()
    pacer = Pacer(clock, clock.sleep, bulk=True)
    down: list[str] = []
    g = RobotsGate(SITE, Answers("Crawl-delay: 10\n"), lambda: down[0] if down else None, None, lambda: NOW, pacer)
    g.check(SITE + "/Actualites")
    assert pacer.delay == 10.0
    down.append("timed out after 10 s")
    with pytest.raises(SiteDownError, match=r"skipped: the site did not answer a moment ago \(timed out"):
        g.check(SITE + "/Actualites/(offset)/10")
    assert clock.slept == []
