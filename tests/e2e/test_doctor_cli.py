"""`lillenews doctor` end to end against the local fixture server: the report, the verdict and
exit code, the findings, `--json`, `--save` / `--from`, politeness and the untouched cache."""

from __future__ import annotations

import io
import json
import os

import pytest
from conftest import run_in_process
from doctor_pages import (
    ATOM_PATH,
    EVENT_PAGES,
    FEED_PATH,
    FIRST_EVENT,
    GENERIC_EVENTS,
    MENU_PATHS,
    generic_event_page,
    generic_events_listing,
    listing_bytes,
    serve_events,
    submenu_listing,
    with_feeds,
)
from server import ARTICLE_PATHS, GENERIC_LISTING_PATHS, FixtureServer, fixture_bytes, lille_site, make_fixtures

from lillenews.site.event_explain import EVENT_LISTING_FIELDS, EVENT_PAGE_FIELDS
from lillenews.site.news import ARTICLE_FIELDS, LISTING_FIELDS

FIRST_ARTICLE = make_fixtures.listing_items()[0]["href"]  # the first listed headline's path
FIRST_GENERIC = "/generic/Actualites/" + make_fixtures.slugify(make_fixtures.GENERIC_HEADLINES[0])
FIRST_GENERIC_EVENT = "/generic/Evenements/" + make_fixtures.slugify(GENERIC_EVENTS[0])
PAGES = ["listing", "listing_next", "article", "event_listing", "event"]
SAVED = sorted(f"{kind}.html" for kind in PAGES) + ["meta.json"]


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    import lillenews.net.fetch as fetch

    monkeypatch.setattr(fetch, "BACKOFF", (0.0, 0.0))


@pytest.fixture
def doctor_site(site):
    """The fixture site, with the first listed headline's article served (the securite page)."""
    site.route(FIRST_ARTICLE, fixture_bytes("article_securite.html"))
    site.route(FIRST_GENERIC, fixture_bytes("generic_article.html"))
    serve_events(site)
    return site


def doctor(*args: str):
    return run_in_process("doctor", *args)


def report_json(*args: str) -> dict:
    result = doctor("--json", *args)
    return json.loads(result.stdout) | {"_exit": result.exit_code}


def section(out: str, title: str) -> str:
    """The lines of one page's section of the plain report."""
    start = out.index(title + "\n")
    return out[start : out.find("\n\n", start)]


def fields_of(out: str, title: str) -> dict[str, tuple[str, ...]]:
    """{field: (layer, count[, "<-"])} of one page's section."""
    rows = [line.split() for line in section(out, title).splitlines()]
    start = next(i for i, r in enumerate(rows) if r[:1] == ["Field"])
    return {r[0]: tuple(r[1:]) for r in rows[start + 1 :]}


def codes(report: dict) -> list[str]:
    return [f["code"] for f in report["findings"]]


# ----------------------------------------------------------------------------- verdicts
def test_all_known_markup_is_ok_exit_0(cli, doctor_site):
    result = doctor()
    assert result.exit_code == 0, result
    out = result.stdout
    for title in ("News listing", "Listing, page 2", "Article"):
        assert title in out
    base = doctor_site.base_url
    assert f"URL       {base}/Actualites\n" in out
    assert f"{base}/Actualites/(offset)/10" in out
    assert f"{base}{FIRST_ARTICLE}" in out
    assert "Status    200" in out
    assert "Encoding  utf-8 (from the HTTP header)" in out
    assert f"Size      {len(listing_bytes(1)):,} bytes" in out
    listing = fields_of(out, "News listing")
    assert listing["items"] == listing["title"] == listing["link"] == ("known", "10")
    assert listing["date"] == ("known", "9") and listing["pagination"] == ("known", "1")
    assert fields_of(out, "Listing, page 2")["items"] == ("known", "10")
    article = fields_of(out, "Article")
    assert article["title"] == ("known", "1") and article["body"] == ("known", "13")
    assert article["related"] == ("known", "3")
    assert f"URL       {base}/Evenements\n" in out and f"URL       {base}{FIRST_EVENT}\n" in out
    events = fields_of(out, "Events listing")
    assert events["items"] == events["title"] == events["link"] == ("known", "10")
    assert events["dates"] == ("known", "9") and events["place"] == ("known", "10")
    event = fields_of(out, "Event")
    assert event["title"] == ("known", "1") and event["hours"] == ("known", "3")
    assert event["description"] == ("known", "2") and event["image"] == ("known", "1")
    assert "Warnings" not in out  # the agenda's summaries are cut by design: no "truncated" warning
    assert "generic" not in out.replace("known", "")  # no field from the generic layer
    assert out.rstrip().endswith("Verdict: OK, every required field came from the known lille.fr markup.")
    assert result.stderr == ""


def test_generic_only_markup_exit_1_with_the_warning(cli, doctor_site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", doctor_site.base_url + "/generic")
    result = doctor()
    assert result.exit_code == 1
    assert (
        "News listing: items found by the generic layer only (6 items; the known listing markup matched nothing)"
        in (result.stdout)
    )
    assert "Listing, page 2: items found by the generic layer only (4 items" in result.stdout
    assert fields_of(result.stdout, "News listing")["items"] == ("generic", "6", "<-")
    assert fields_of(result.stdout, "News listing")["date"] == ("generic", "6")
    verdict = result.stdout.rstrip().splitlines()[-1]
    assert verdict.startswith("Verdict: PROBLEM, required fields not from the known markup: ")
    assert "news listing: items, title, link" in verdict and "article: title, body" in verdict
    assert "events listing: items, title, link" in verdict and "; event: title" in verdict
    assert (
        "Events listing: items found by the generic layer only (3 items; the known listing markup matched nothing)"
        in result.stdout
    )
    assert fields_of(result.stdout, "Events listing")["items"] == ("generic", "3", "<-")
    assert fields_of(result.stdout, "Event")["title"] == ("generic", "1", "<-")

    report = report_json()
    assert report["_exit"] == 1 and report["verdict"] == "drift"
    assert [p["url"] for p in report["pages"]] == [
        doctor_site.url(GENERIC_LISTING_PATHS[0]),
        doctor_site.url(GENERIC_LISTING_PATHS[1]),
        doctor_site.url(FIRST_GENERIC),
        doctor_site.url("/generic/Evenements"),
        doctor_site.url(FIRST_GENERIC_EVENT),
    ]
    assert report["events_url"] == doctor_site.url("/generic/Evenements")
    assert report["pages"][3]["drifted"] == ["items", "title", "link"] and report["pages"][4]["drifted"] == ["title"]
    events = [f for f in report["findings"] if f["page"] == "event_listing"]
    assert {"code": "generic_items", "page": "event_listing", "count": 3}.items() <= events[0].items()
    assert {"code": "generic_items", "page": "listing"}.items() <= report["findings"][0].items()
    assert report["pages"][0]["drifted"] == ["items", "title", "link"]


def test_listing_items_from_the_sub_menu_get_the_menu_warning(dirs, monkeypatch):
    with FixtureServer() as srv:
        lille_site(srv)
        srv.route("/Actualites", submenu_listing())
        srv.route(MENU_PATHS[0], fixture_bytes("article_securite.html"))
        serve_events(srv)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        result = doctor()
        report = report_json()
    assert result.exit_code == 1
    assert (
        "News listing: listing items look like a menu (same links as the sub-menu: 8 of 8 on the news listing)"
        in result.stdout
    )
    assert "News listing: items found by the generic layer only (8 items" in result.stdout
    # no pagination: the walker's (offset) guess is tried, and its 404 means one page, not a failure
    assert f"next-page link not found, using (offset) URLs ({srv.base_url}/Actualites/(offset)/8)" in result.stdout
    assert "no second page at" in result.stdout
    page2 = section(result.stdout, "Listing, page 2")
    assert "Status    404" in page2 and "Error     the server answered 404 Not Found" in page2
    assert "Field" not in page2  # nothing was there to parse
    assert "could not be fetched" not in result.stdout
    assert {"menu_items", "generic_items", "guessed_next", "no_next_page"} <= set(codes(report))
    menu = next(f for f in report["findings"] if f["code"] == "menu_items")
    assert (menu["count"], menu["total"], menu["detail"]) == (8, 8, "listing")


def test_known_listing_is_not_a_menu(cli, doctor_site):
    """The fixture pages carry a header menu and a left sub-menu of news links too."""
    assert "menu_items" not in codes(report_json())


def test_an_advertised_feed_is_reported_and_only_warns(cli, doctor_site):
    doctor_site.route("/Actualites", with_feeds(listing_bytes(1)))
    doctor_site.route(FIRST_ARTICLE, with_feeds(fixture_bytes("article_securite.html")))
    result = doctor()
    assert result.exit_code == 0
    rss, atom = doctor_site.url(FEED_PATH), doctor_site.url(ATOM_PATH)
    assert f"  - an RSS/Atom feed is advertised at {rss}\n" in result.stdout
    assert f"an RSS/Atom feed is advertised at {atom}" in result.stdout
    assert result.stdout.count(rss) == 1  # advertised on two pages, said once
    report = report_json()
    assert report["feeds"] == [rss, atom]
    assert doctor_site.hits(FEED_PATH) == 0  # reported, never fetched


def test_a_failing_article_exits_1_with_the_rest_of_the_report(cli, doctor_site):
    doctor_site.route(FIRST_ARTICLE, "<h1>Erreur</h1>", status=500)
    result = doctor()
    assert result.exit_code == 1
    out = result.stdout
    assert fields_of(out, "News listing")["items"] == ("known", "10")
    assert "Listing, page 2" in out
    article = out[out.index("Article\n") :]
    assert "Status    500" in article
    assert "Error     the server answered 500 Internal Server Error" in article
    assert out.rstrip().splitlines()[-1].startswith("Verdict: PROBLEM, 1 page could not be fetched.")
    report = report_json()
    assert report["verdict"] == "failed" and report["exit_code"] == 1
    assert report["pages"][2]["fetch_failed"] is True and report["pages"][2]["status"] == 500


def test_an_events_listing_with_only_generic_markup_exit_1_with_the_warning(cli, doctor_site):
    doctor_site.route("/Evenements", generic_events_listing(""))
    doctor_site.route("/Evenements/" + make_fixtures.slugify(GENERIC_EVENTS[0]), generic_event_page())
    result = doctor()
    assert result.exit_code == 1
    out = result.stdout
    assert (
        "Events listing: items found by the generic layer only (3 items; the known listing markup matched nothing)"
        in out
    )
    assert "Events listing: dates missing on all items (3 items)" in out
    assert fields_of(out, "Events listing")["items"] == ("generic", "3", "<-")
    assert fields_of(out, "News listing")["items"] == ("known", "10")  # the news are still understood
    verdict = out.rstrip().splitlines()[-1]
    assert verdict.startswith("Verdict: PROBLEM, required fields not from the known markup: events listing: ")
    assert "news listing" not in verdict and "; event: title" in verdict
    report = report_json()
    assert report["verdict"] == "drift" and report["exit_code"] == 1
    assert report["pages"][3]["drifted"] == ["items", "title", "link"]
    assert {"generic_items", "no_dates"} <= {f["code"] for f in report["findings"] if f["page"] == "event_listing"}


def test_a_failing_event_page_exits_1_with_the_rest_of_the_report(cli, doctor_site):
    doctor_site.route(FIRST_EVENT, "<h1>Erreur</h1>", status=500)
    result = doctor()
    assert result.exit_code == 1
    out = result.stdout
    assert fields_of(out, "News listing")["items"] == ("known", "10")
    assert fields_of(out, "Article")["body"] == ("known", "13")
    assert fields_of(out, "Events listing")["items"] == ("known", "10")
    event = out[out.index("Event\n") :]
    assert "Status    500" in event and "Error     the server answered 500 Internal Server Error" in event
    assert "Field" not in event  # nothing to parse
    assert out.rstrip().splitlines()[-1].startswith("Verdict: PROBLEM, 1 page could not be fetched.")
    report = report_json()
    assert report["verdict"] == "failed" and report["pages"][4]["fetch_failed"] is True
    assert [p["fetch_failed"] for p in report["pages"][:4]] == [False] * 4


def test_an_events_listing_without_events_is_a_drift_and_no_event_is_fetched(cli, doctor_site):
    doctor_site.route("/Evenements", fixture_bytes("layout_changed.html"))
    doctor_site.clear_requests()
    result = doctor()
    assert result.exit_code == 1
    assert "  - Event: no event checked: the events listing gave no event\n" in result.stdout
    assert "events listing: items, title, link" in result.stdout.rstrip().splitlines()[-1]
    assert [r.route_path for r in doctor_site.requests][-1] == "/Evenements"


def test_a_listing_without_headlines_is_a_drift_and_no_article_is_fetched(cli, doctor_site):
    doctor_site.route("/Actualites", fixture_bytes("layout_changed.html"))
    doctor_site.clear_requests()
    result = doctor()
    assert result.exit_code == 1
    assert "Not understood  no headlines" in result.stdout
    assert "no article checked: the listing gave no headline" in result.stdout
    assert [r.route_path for r in doctor_site.requests] == ["/robots.txt", "/Actualites", "/Evenements", FIRST_EVENT]


# ----------------------------------------------------------------------------- politeness, cache
def test_exactly_those_requests_unconditional_and_the_cache_untouched(cli, doctor_site, dirs):
    assert cli("list").exit_code == 0  # a cache holding validators for the listing
    db = dirs["cache"] / "cache.db"
    before = db.read_bytes()
    doctor_site.clear_requests()
    assert doctor().exit_code == 0
    requests = doctor_site.requests
    assert [(r.method, r.route_path) for r in requests] == [
        ("GET", "/robots.txt"),  # read once for the run, kept nowhere (the cache is untouched)
        ("GET", "/Actualites"),
        ("GET", "/Actualites/(offset)/10"),
        ("GET", FIRST_ARTICLE),
        ("GET", "/Evenements"),
        ("GET", FIRST_EVENT),
    ]
    for r in requests:
        assert "if-none-match" not in r.headers and "if-modified-since" not in r.headers
        assert r.headers["user-agent"].startswith("lillenews/")
    assert db.read_bytes() == before


def test_doctor_creates_no_cache(cli, doctor_site, dirs):
    assert doctor().exit_code == 0
    assert not dirs["cache"].exists() or not any(dirs["cache"].iterdir())
    assert not dirs["data"].exists() or not any(dirs["data"].iterdir())


# ----------------------------------------------------------------------------- --json
def test_json_shape(cli, doctor_site):
    result = doctor("--json")
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    assert set(report) == {
        "format", "lillenews", "listing_url", "events_url", "verdict", "exit_code", "pages", "findings", "feeds",
        "robots",
    }  # fmt: skip
    assert report["format"] == 1 and report["verdict"] == "ok" and report["exit_code"] == 0
    assert report["listing_url"] == doctor_site.url("/Actualites")
    assert report["events_url"] == doctor_site.url("/Evenements")
    assert [p["kind"] for p in report["pages"]] == PAGES
    keys = {
        "kind",
        "url",
        "final_url",
        "status",
        "bytes",
        "elapsed",
        "encoding",
        "encoding_source",
        "error",
        "fetch_failed",
        "required",
        "drifted",
        "fields",
    }
    for page in report["pages"]:
        assert set(page) == keys
        assert page["status"] == 200 and page["bytes"] > 1000 and page["error"] is None
        assert (page["encoding"], page["encoding_source"]) == ("utf-8", "header")
        assert isinstance(page["elapsed"], float) and page["drifted"] == []
        for found in page["fields"].values():
            assert set(found) == {"layer", "count"} and found["layer"] in ("known", "generic", "none")
    assert list(report["pages"][0]["fields"]) == list(LISTING_FIELDS)
    assert list(report["pages"][2]["fields"]) == list(ARTICLE_FIELDS)
    assert report["pages"][0]["required"] == ["items", "title", "link"]
    assert report["pages"][2]["required"] == ["title", "body"]
    assert report["pages"][2]["fields"]["related"] == {"layer": "known", "count": 3}
    assert list(report["pages"][3]["fields"]) == list(EVENT_LISTING_FIELDS)
    assert list(report["pages"][4]["fields"]) == list(EVENT_PAGE_FIELDS)
    assert report["pages"][3]["required"] == ["items", "title", "link"] and report["pages"][4]["required"] == ["title"]
    assert report["pages"][3]["fields"]["items"] == {"layer": "known", "count": 10}
    assert report["pages"][4]["url"] == doctor_site.url(FIRST_EVENT)
    assert report["pages"][4]["fields"]["description"] == {"layer": "known", "count": 2}
    assert report["findings"] == [] and report["feeds"] == []


def test_json_keys_do_not_change_with_findings(cli, doctor_site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", doctor_site.base_url + "/generic")
    report = report_json()
    for f in report["findings"]:
        assert set(f) == {"code", "page", "count", "total", "detail"}


# ----------------------------------------------------------------------------- --save, --from
def test_save_writes_pages_as_served_and_meta(cli, doctor_site, tmp_path):
    out = tmp_path / "report"
    result = doctor("--save", str(out), "--json")
    assert result.exit_code == 0
    assert "Saved 6 files in" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == SAVED
    assert (out / "listing.html").read_bytes() == listing_bytes(1)
    assert (out / "listing_next.html").read_bytes() == listing_bytes(2)
    assert (out / "article.html").read_bytes() == fixture_bytes("article_securite.html")
    assert (out / "event_listing.html").read_bytes() == EVENT_PAGES["/Evenements"].encode()
    assert (out / "event.html").read_bytes() == EVENT_PAGES[FIRST_EVENT].encode()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert set(meta) == {"format", "lillenews", "saved_at", "site", "listing_url", "events_url", "robots", "pages"}
    assert meta["events_url"] == doctor_site.url("/Evenements")
    assert meta["robots"]["url"] == doctor_site.url("/robots.txt") and meta["robots"]["meaning"] == "none"
    assert meta["lillenews"] == "1.0.0" and meta["site"] == doctor_site.base_url
    assert meta["saved_at"].endswith("+00:00")
    page = meta["pages"][0]
    assert (
        page["kind"] == "listing" and page["file"] == "listing.html" and page["url"] == doctor_site.url("/Actualites")
    )
    assert page["status"] == 200 and page["bytes"] == len(listing_bytes(1))
    assert page["headers"]["content-type"] == "text/html; charset=utf-8"
    assert page["headers"]["last-modified"] == "Mon, 08 Feb 2021 09:00:00 GMT"
    assert "set-cookie" not in page["headers"]
    assert [p["kind"] for p in meta["pages"]] == PAGES


def test_saving_again_leaves_no_page_of_the_earlier_save(cli, doctor_site, tmp_path):
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    (out / "notes.txt").write_text("mine")
    doctor_site.route(FIRST_ARTICLE, "<h1>Erreur</h1>", status=500)
    assert doctor("--save", str(out)).exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [*[n for n in SAVED if n != "article.html"], "notes.txt"]
    doctor_site.route(FIRST_EVENT, "<h1>Erreur</h1>", status=500)
    assert doctor("--save", str(out)).exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "event_listing.html", "listing.html", "listing_next.html", "meta.json", "notes.txt",
    ]  # fmt: skip


def test_save_writes_a_compressed_page_inflated(cli, doctor_site, tmp_path):
    import gzip

    doctor_site.route("/Actualites", gzip.compress(listing_bytes(1)), headers={"Content-Encoding": "gzip"})
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    assert (out / "listing.html").read_bytes() == listing_bytes(1)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["pages"][0]["headers"]["content-encoding"] == "gzip"
    assert meta["pages"][0]["bytes"] == len(listing_bytes(1))


def test_saved_pages_replay_to_the_same_report_offline(dirs, monkeypatch, tmp_path):
    """--save then --from, with the server gone: the same report, byte for byte."""
    out = tmp_path / "saved"
    with FixtureServer() as srv:
        lille_site(srv)
        srv.route("/Actualites", with_feeds(submenu_listing().encode()))
        srv.route(MENU_PATHS[0], fixture_bytes("article_securite.html"))
        srv.route(ARTICLE_PATHS["latin1"], fixture_bytes("article_latin1.html"), content_type="text/html")
        serve_events(srv)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        live = doctor("--save", str(out), "--json")
        live_text = doctor()
    assert live.exit_code == 1
    replayed = doctor("--from", str(out), "--json")
    assert replayed.exit_code == 1
    assert json.loads(replayed.stdout) == json.loads(live.stdout)
    text = doctor("--from", str(out)).stdout
    strip = [line for line in text.splitlines() if not line.startswith("  Time")]
    assert strip == [line for line in live_text.stdout.splitlines() if not line.startswith("  Time")]


def test_save_and_from_together_is_a_usage_error(cli, tmp_path):
    result = doctor("--save", str(tmp_path), "--from", str(tmp_path))
    assert result.exit_code == 2
    assert "--save and --from cannot be used together" in result.stderr


def test_from_a_directory_without_meta_is_a_clear_error(cli, tmp_path):
    result = doctor("--from", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "holds no pages saved by 'lillenews doctor --save'" in result.stderr


def test_from_refuses_a_file_name_outside_the_directory(cli, doctor_site, tmp_path):
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    meta = json.loads((out / "meta.json").read_text())
    meta["pages"][0]["file"] = "../../etc/passwd"
    (out / "meta.json").write_text(json.dumps(meta))
    result = doctor("--from", str(out))
    assert result.exit_code == 2 and "bad file name in meta.json" in result.stderr


def test_save_into_an_unwritable_place_fails_clearly(cli, doctor_site, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = doctor("--save", str(blocker / "sub"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write to ")


# ----------------------------------------------------------------------------- terminal output
def test_json_alone_on_stdout_of_a_real_process(cli, doctor_site, tmp_path):
    from conftest import run_subprocess

    result = run_subprocess("doctor", "--json", "--save", str(tmp_path / "s"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "ok"
    assert "Saved 6 files in" in result.stderr


def test_rich_report_on_a_terminal(cli, doctor_site):
    from lillenews.cli.app import main
    from lillenews.cli.terminal import Terminal

    out = io.StringIO()
    env = dict(os.environ, NO_COLOR="1")
    term = Terminal(stdout=out, stderr=io.StringIO(), stdout_isatty=True, width=100, environ=env)
    assert main(["doctor"], terminal=term) == 0
    text = out.getvalue()
    assert "News listing" in text and "Field" in text and "Layer" in text and "known" in text
    assert "Verdict: OK" in text


def test_encoding_is_reported_with_its_source(cli, doctor_site):
    doctor_site.route(FIRST_ARTICLE, fixture_bytes("article_latin1.html"), content_type="text/html")
    report = report_json()
    article = report["pages"][2]
    assert (article["encoding"], article["encoding_source"]) == ("cp1252", "meta")
    assert article["fields"]["title"]["layer"] == "known"


def test_from_takes_odd_meta_values_as_absent(cli, doctor_site, tmp_path):
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    meta = json.loads((out / "meta.json").read_text())
    meta["pages"][2].update(status="200", final_url=12, error=["x"], elapsed="fast", headers="none")
    (out / "meta.json").write_text(json.dumps(meta))
    report = json.loads(doctor("--from", str(out), "--json").stdout)
    article = report["pages"][2]
    assert article["status"] is None and article["final_url"] is None and article["elapsed"] == 0.0
    assert article["fields"]["title"]["layer"] == "known"  # still read, as utf-8 by default


def test_pages_saved_before_the_events_were_checked_replay_without_them(cli, doctor_site, tmp_path):
    out = tmp_path / "saved"
    assert doctor("--save", str(out)).exit_code == 0
    meta = json.loads((out / "meta.json").read_text())
    del meta["events_url"]
    meta["pages"] = meta["pages"][:3]
    (out / "meta.json").write_text(json.dumps(meta))
    report = report_json("--from", str(out))
    assert report["_exit"] == 0 and report["verdict"] == "ok" and report["events_url"] is None
    assert [p["kind"] for p in report["pages"]] == PAGES[:3]
