"""`lillenews new` end to end (README, "Cron and notifications"): the real CLI against the
local site of tests/quartier_site.py, which publishes headlines as the tests ask, with a
real store in temp dirs. The first run remembers; a published headline is reported once;
the site down is exit 3 and loses nothing; `--exec` gets each field as one argument and
site text never reaches a shell; concurrent runs never report an item twice nor lose one."""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shlex
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import run_in_process, run_subprocess
from quartier_site import QNews, build_quartier_site, page_path

from lillenews.app.events import EventService

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("new_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]

FRESH = QNews("Un parc rouvre à Fives", "Le parc Saint-Maurice rouvre ses grilles.", slug="Un-parc-rouvre-a-Fives")
# What a shell would run if it ever saw the title: quotes, a command substitution, a separator.
HOSTILE = 'Fête "quartier" l\'été $(touch {pwned}) ; echo `id` && {{url}} \\ fin'

# Records its arguments and stdin, one JSON line a run, and exits with the status its name says.
RECORDER = """
import json, sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps({"argv": sys.argv[2:], "stdin": sys.stdin.read()}) + "\\n")
sys.exit(int(sys.argv[2]) if sys.argv[2].isdigit() else 0)
"""


def new(*args: str):
    return run_in_process("new", *args)


@pytest.fixture
def news_site(cli, site, fake_clock):
    return build_quartier_site(site)


@pytest.fixture
def started(news_site):
    """`new` ran once: everything listed is remembered."""
    first = new()
    assert (first.exit_code, first.stdout) == (1, "")
    assert first.stderr == "First run: remembered 6 headlines; from now on, 'lillenews new' reports what appears.\n"
    return news_site


@pytest.fixture
def recorder(tmp_path):
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER, encoding="utf-8")
    log = tmp_path / "runs.jsonl"

    def command(*words: str) -> str:
        return " ".join([shlex.quote(sys.executable), shlex.quote(str(script)), shlex.quote(str(log)), *words])

    def runs() -> list[dict]:
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []

    command.runs = runs  # type: ignore[attr-defined]
    return command


# ---------------------------------------------------------------------------- what is new
def test_first_run_remembers_then_one_published_headline_is_reported_once(started, site):
    assert new().exit_code == 1
    started.publish(FRESH)
    site.clear_requests()
    r = new()
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["#", "Date"] and len(lines) == 3  # the header, the row, its summary
    assert lines[1].split()[:1] == ["1"] and "Un parc rouvre à Fives" in lines[1]
    # One conditional request: the second page is read only when every headline of the first is new.
    assert site.hits(page_path(0)) == 1 and site.hits(page_path(1)) == 0
    again = new()
    assert (again.exit_code, again.stdout, again.stderr) == (1, "", "")
    assert [r.headers.get("if-none-match") is not None for r in site.requests if r.route_path == "/Actualites"][-1]


def test_json_prints_the_new_items_with_their_quartiers(started):
    started.publish(FRESH)
    r = new("--json")
    assert r.exit_code == 0
    [item] = json.loads(r.stdout)
    assert item["kind"] == "news" and item["number"] == 1 and item["title"] == FRESH.title
    assert item["quartiers"] == ["Fives", "Saint-Maurice Pellevoisin"]
    assert item["url"] == started.url(FRESH)


def test_more_pages_only_while_every_headline_is_new(started, site):
    for n in range(7):  # more than a page of news since the last run
        started.publish(QNews(f"Nouvelle {n}", "Résumé."))
    site.clear_requests()
    r = new("--json")
    assert [d["title"] for d in json.loads(r.stdout)] == [f"Nouvelle {n}" for n in reversed(range(7))]
    assert site.hits(page_path(0)) == 1 and site.hits(page_path(1)) == 1 and site.hits(page_path(2)) == 0


def test_first_run_with_all_reports_everything_listed(news_site):
    r = new("--all", "--json", "--pages", "2")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 12
    assert new().exit_code == 1


def test_offline_compares_the_cache_only(started, site):
    started.publish(FRESH)
    assert run_in_process("list", "--refresh").exit_code == 0
    site.clear_requests()
    r = new("--offline", "--json")
    assert [d["title"] for d in json.loads(r.stdout)] == [FRESH.title]
    assert site.requests == []


def test_a_quartier_filter_reports_its_news_and_remembers_the_rest(started):
    started.publish(QNews("Travaux rue de Paris", "Une rue refaite."))
    started.publish(FRESH)
    r = new("--quartier", "Fives", "--json")
    assert [d["title"] for d in json.loads(r.stdout)] == [FRESH.title]
    assert new().exit_code == 1  # the other was looked at: not new any more


# ---------------------------------------------------------------------------- failures
@pytest.mark.parametrize("down", ["500", "dropped"])
def test_with_the_site_down_it_exits_3_and_the_next_run_still_reports(started, site, down):
    started.publish(FRESH)
    if down == "500":
        site.route("/Actualites", "<html><body><h1>Erreur</h1></body></html>", status=500)
    else:
        site.handler("/Actualites", lambda h: h.connection.close())
    r = new()
    assert r.exit_code == 3 and r.stdout == ""
    assert r.stderr.startswith("Error: could not fetch ") and r.stderr.count("\n") == 1
    started.serve()
    again = new("--json")
    assert again.exit_code == 0 and [d["title"] for d in json.loads(again.stdout)] == [FRESH.title]


def test_offline_with_nothing_cached_is_a_failure_not_nothing_new(dirs, cli):
    r = new("--offline")
    assert r.exit_code == 3 and r.stderr.startswith("Error: the news listing is not cached yet")


def test_bad_usage_is_2(started):
    assert new("--json", "--exec", "true").exit_code == 2
    assert new("--exec", "'unclosed").exit_code == 2
    assert new("--exec", "").exit_code == 2
    assert new("--pages", "0").exit_code == 2


# ---------------------------------------------------------------------------- --exec
def test_exec_gets_each_field_as_one_argument_and_no_shell_sees_the_title(started, recorder, tmp_path):
    pwned = tmp_path / "pwned"
    title = HOSTILE.format(pwned=pwned)
    started.publish(QNews(title, "À Moulins.", slug="Hostile"))
    template = recorder(
        "ok", "{title}", "'{title} — {url}'", "{url}", "{date}", "{category}", "{number}", "{quartiers}"
    )
    r = new("--exec", template)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    [run] = recorder.runs()
    url = started.url(started.news[0])
    assert run["argv"] == ["ok", title, f"{title} — {url}", url, "2021-03-01", "Citoyenneté", "1", "Lille-Moulins"]
    assert not pwned.exists()
    stdin = json.loads(run["stdin"])
    assert stdin["kind"] == "news" and stdin["title"] == title and stdin["quartiers"] == ["Lille-Moulins"]
    assert new().exit_code == 1  # its command exited 0: seen


def test_a_failing_command_leaves_the_item_new_and_exits_3(started, recorder):
    started.publish(FRESH)
    r = new("--exec", recorder("3", "{url}"))
    assert r.exit_code == 3 and r.stdout == ""
    assert r.stderr == f"Warning: the command exited with status 3 for {started.url(FRESH)}; it stays new\n"
    r = new("--exec", recorder("0", "{url}"))
    assert r.exit_code == 0
    assert [run["argv"] for run in recorder.runs()] == [["3", started.url(FRESH)], ["0", started.url(FRESH)]]
    assert new().exit_code == 1


def test_a_command_that_cannot_run_leaves_everything_new(started):
    started.publish(FRESH)
    r = new("--exec", "/nonexistent/notify-send {title}")
    assert r.exit_code == 3 and r.stderr.startswith("Warning: could not run '/nonexistent/notify-send'")
    assert json.loads(new("--json").stdout)[0]["title"] == FRESH.title


# ---------------------------------------------------------------------------- events
def test_events_newly_listed(started, site, monkeypatch):
    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    for path, page in me.all_pages().items():
        site.route(path, page, last_modified=me.LAST_MODIFIED)
    first = new("--events")
    assert first.exit_code == 1 and "remembered" in first.stderr and "events" in first.stderr
    ev = me.Ev("Atelier vélo", "Atelier-velo", "Stage et atelier", "Le 20 juin 2024", "2024-06-20", "2024-06-20",
               me.Place("Maison de quartier", ("12 rue Pierre Legrand, Fives", "59800 Lille")), "Réparer son vélo.",
               image=False)  # fmt: skip
    events = [ev, *me.EVENTS[:9]]
    site.route("/Evenements", me.listing_html(events, 1, 3, None, None), last_modified="Sat, 15 Jun 2024 06:00:00 GMT")
    started.publish(FRESH)
    r = new("--events", "--json")
    items = json.loads(r.stdout)
    assert [(i["kind"], i["title"]) for i in items] == [("news", FRESH.title), ("event", "Atelier vélo")]
    assert items[1]["number"] is None and items[1]["quartiers"] == ["Fives"] and items[1]["date"] == "2024-06-20"
    assert new("--events").exit_code == 1


# ---------------------------------------------------------------------------- concurrent runs
def test_concurrent_runs_never_report_an_item_twice_nor_lose_one(started):
    published = [started.publish(QNews(f"Concurrence {n}", "Résumé.")) for n in range(3)]
    results: list = [None] * 3

    def run(i: int) -> None:
        results[i] = run_subprocess("new", "--json")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reported = [d["url"] for r in results if r.exit_code == 0 for d in json.loads(r.stdout)]
    assert sorted(reported) == sorted(started.srv.base_url + a.path for a in published)
    assert all(r.exit_code in (0, 1) for r in results), [r.stderr for r in results]


def test_an_item_in_flight_is_neither_reported_by_another_run_nor_lost(started, tmp_path):
    """Run A's command is still running for the item: run B does not report it; A's command
    then fails, and run C reports it."""
    gate = tmp_path / "gate"
    script = tmp_path / "slow.py"
    script.write_text(
        "import pathlib, sys, time\n"
        f"gate = pathlib.Path({str(gate)!r})\n"
        "pathlib.Path(str(gate) + '.started').touch()\n"
        "while not gate.exists(): time.sleep(0.02)\n"
        "sys.exit(1)\n",
        encoding="utf-8",
    )
    started.publish(FRESH)
    a = _background("new", "--exec", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {{url}}")
    try:
        _wait_for(pathlib.Path(str(gate) + ".started"))
        b = run_subprocess("new", "--json")
        assert (b.exit_code, b.stdout) == (1, ""), b.stderr
    finally:
        gate.touch()
        out, err = a.communicate(timeout=60)
    assert a.returncode == 3 and "status 1" in err
    c = run_subprocess("new", "--json")
    assert c.exit_code == 0 and [d["title"] for d in json.loads(c.stdout)] == [FRESH.title]


def test_interrupted_is_130_and_the_item_stays_new(started, tmp_path):
    script = tmp_path / "hang.py"
    script.write_text(
        f"import pathlib, time\npathlib.Path({str(tmp_path / 'hanging')!r}).touch()\ntime.sleep(60)\n", encoding="utf-8"
    )
    started.publish(FRESH)
    a = _background("new", "--exec", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    _wait_for(tmp_path / "hanging")
    a.send_signal(signal.SIGINT)
    _out, err = a.communicate(timeout=60)
    assert a.returncode == 130, err
    r = run_subprocess("new", "--json")
    assert r.exit_code == 0 and [d["title"] for d in json.loads(r.stdout)] == [FRESH.title]


def _background(*args: str) -> subprocess.Popen:
    """`python -m lillenews ARGS` running in the background, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "lillenews", *args],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: pathlib.Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_new_waits_for_another_writer_of_the_reading_state(started, dirs):
    """`browse` (or `mark`) writing read marks holds the reading state's write lock for a
    moment: `new` waits for it (the store's busy timeout) instead of failing or losing."""
    import sqlite3

    started.publish(FRESH)
    holder = sqlite3.connect(dirs["data"] / "state.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT OR REPLACE INTO marks (url, read_at) VALUES ('https://www.lille.fr/x', 1)")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        r = new("--json")
    finally:
        release.join()
        holder.close()
    assert r.exit_code == 0 and [d["title"] for d in json.loads(r.stdout)] == [FRESH.title]
    assert new().exit_code == 1


def test_a_run_reading_past_its_first_page_is_paced_by_crawl_delay(started, site, fake_clock, dirs):
    site.route("/robots.txt", "User-agent: *\nCrawl-delay: 0.2\n", content_type="text/plain")
    (dirs["cache"] / "robots.json").unlink()  # read again (the first run read a 404 and kept it a day)
    started.publish(FRESH)
    assert new().exit_code == 0 and fake_clock.slept == []  # one conditional request: never delayed
    for n in range(13):  # more than two pages of news: past its first page, bulk work
        started.publish(QNews(f"Nouvelle {n}", "Résumé."))
    site.clear_requests()
    assert len(json.loads(new("--json").stdout)) == 13
    assert site.hits(page_path(2)) == 1 and site.hits(page_path(3)) == 0
    assert len(fake_clock.slept) == 1 and fake_clock.slept[0] == pytest.approx(0.2, abs=0.05)
