"""Read marks (`read`, `mark`, `list --unread`, "read" in JSON, the new
marker), `open`, the Atom feed (checked with feedparser and xml.etree), and
`cache info|clear|path`."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET

import feedparser
from conftest import run_in_process, run_subprocess
from server import ARTICLE_PATHS, FixtureServer, fixture_bytes
from synth_site import (
    FAILING_N,
    N_ARTICLES,
    SynthArticle,
    build_site,
    listing_html,
)

cli = run_in_process  # the `cli` fixture of conftest points LILLENEWS_BASE_URL at the lille_site copy

ATOM = "{http://www.w3.org/2005/Atom}"
SECURITE_N = 4  # listing numbers in the lille_site copy (tests/fixtures/listing_p01/p02.html)
NO_DATE_N = 6
HOSTILE_N = 13
# XML 1.0 forbids most C0 controls; terminal escapes, C1 controls and bidi overrides must go too.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def listing_json(*args: str) -> list[dict]:
    r = cli("list", *args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def read_flags(*args: str) -> dict[int, bool]:
    return {item["number"]: item["read"] for item in listing_json(*args)}


def marker_rows(stdout: str) -> dict[int, bool]:
    """Listing number -> whether its row carries the "new" marker."""
    rows = {}
    for line in stdout.splitlines():
        m = re.match(r"^\s*(\d+)\s", line)
        if m:
            rows[int(m[1])] = "●" in line[:12]
    return rows


# ====================================================================== marks
def test_read_marks_the_article_read(cli):
    assert not any(read_flags("-n", "10").values())
    r = cli("read", str(SECURITE_N))
    assert r.exit_code == 0, r.stderr
    flags = read_flags("-n", "10")
    assert flags[SECURITE_N] is True
    assert [n for n, read in flags.items() if read] == [SECURITE_N]
    # --json and --offline reads mark too.
    cli("read", str(NO_DATE_N), "--json")
    assert read_flags("-n", "10")[NO_DATE_N] is True


def test_list_unread_hides_read_articles_and_keeps_numbers(cli):
    cli("list", "-n", "10")
    cli("read", str(SECURITE_N))
    # --unread fills its limit with unread headlines, each under its listing number.
    expected = [n for n in range(1, 12) if n != SECURITE_N]
    unread = listing_json("--unread", "-n", "10")
    assert [i["number"] for i in unread] == expected
    assert all(i["read"] is False for i in unread)
    urls = {i["number"]: i["url"] for i in listing_json("-n", "11")}
    assert all(i["url"] == urls[i["number"]] for i in unread)
    r = cli("list", "--unread", "-n", "10")
    assert r.exit_code == 0
    assert sorted(marker_rows(r.stdout)) == expected


def test_mark_numbers_unread_and_all(cli):
    cli("list", "-n", "20")
    r = cli("mark", "1", "2")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert "2 articles" in r.stderr
    flags = read_flags("-n", "20")
    assert [n for n, read in flags.items() if read] == [1, 2]

    r = cli("mark", "--unread", "1")
    assert r.exit_code == 0, r.stderr
    flags = read_flags("-n", "20")
    assert [n for n, read in flags.items() if read] == [2]

    url3 = listing_json("-n", "3")[2]["url"]
    assert cli("mark", url3).exit_code == 0
    assert read_flags("-n", "20")[3] is True

    r = cli("mark", "--all")
    assert r.exit_code == 0, r.stderr
    assert all(read_flags("-n", "20").values())
    r = cli("list", "--unread", "--offline")  # every cached headline is read
    assert r.exit_code == 0 and r.stdout == ""
    assert "No unread headlines" in r.stderr
    assert listing_json("--unread", "--offline") == []

    r = cli("mark", "--all", "--unread")
    assert r.exit_code == 0
    assert not any(read_flags("-n", "20").values())


def test_mark_errors(cli):
    r = cli("mark")
    assert r.exit_code == 2 and r.stderr.startswith("Error:")
    cli("list", "-n", "10")
    r = cli("mark", "999")
    assert r.exit_code == 2 and r.stderr.startswith("Error:") and "999" in r.stderr
    assert not any(read_flags("-n", "10").values())


def test_mark_all_without_a_cached_listing(dirs):
    r = cli("mark", "--all")
    assert r.exit_code == 1 and r.stderr.startswith("Error:")


def test_marks_live_in_the_data_dir_and_survive_cache_clear(cli, dirs):
    cli("list", "-n", "10")
    cli("read", str(SECURITE_N))
    cli("mark", "1")
    assert (dirs["data"] / "state.db").is_file()
    assert not (dirs["cache"] / "state.db").exists()
    r = cli("cache", "clear")
    assert r.exit_code == 0, r.stderr
    assert cli("list", "--offline").exit_code == 1  # the cache is really empty
    flags = read_flags("-n", "10")  # fetched again
    assert [n for n, read in flags.items() if read] == [1, SECURITE_N]


def test_new_marker_shows_headlines_not_seen_before(cli, site):
    r = cli("list", "-n", "5")
    assert r.exit_code == 0
    assert marker_rows(r.stdout) == {n: True for n in range(1, 6)}
    # Seen now: no marker on the next run.
    r = cli("list", "-n", "5")
    assert marker_rows(r.stdout) == {n: False for n in range(1, 6)}
    # Showing more: only the ones never shown are new.
    r = cli("list", "-n", "8")
    assert marker_rows(r.stdout) == {n: n > 5 for n in range(1, 9)}
    r = cli("list", "-n", "8")
    assert not any(marker_rows(r.stdout).values())


def test_new_marker_for_a_headline_that_appears_on_the_site(dirs, monkeypatch):
    arts = [
        SynthArticle(
            n,
            f"/Actualites/Marque-{n}",
            f"Titre numéro {n}",
            f"Résumé {n}",
            f"Chapô {n}",
            [f"Texte {n}."],
            f"2021-03-{10 + n:02d}",
            "Culture",
        )
        for n in range(1, 5)
    ]
    with FixtureServer() as srv:
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        srv.route("/Actualites", listing_html(arts[1:], 0, 1))
        r = cli("list")
        assert marker_rows(r.stdout) == {1: True, 2: True, 3: True}
        r = cli("list")
        assert marker_rows(r.stdout) == {1: False, 2: False, 3: False}
        srv.route("/Actualites", listing_html(arts, 0, 1))  # a new headline on top
        r = cli("list", "--refresh")
        assert "Titre numéro 1" in r.stdout
        assert marker_rows(r.stdout) == {1: True, 2: False, 3: False, 4: False}


def test_read_articles_carry_no_new_marker(cli):
    r = cli("read", str(SECURITE_N))  # fetches the listing without showing it
    assert r.exit_code == 0, r.stderr
    rows = marker_rows(cli("list", "-n", "5").stdout)
    assert rows == {n: n != SECURITE_N for n in range(1, 6)}


# ====================================================================== open
def _browser_script(tmp_path) -> tuple[str, str]:
    log = tmp_path / "browser.log"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script), str(log)


def test_open_calls_the_browser_with_the_article_url(cli, tmp_path):
    url = listing_json("-n", "5")[SECURITE_N - 1]["url"]
    script, log = _browser_script(tmp_path)
    r = run_subprocess("open", str(SECURITE_N), env={"BROWSER": script})
    assert r.exit_code == 0, r.stderr
    with open(log, encoding="utf-8") as f:
        assert f.read().splitlines() == [url]
    assert url not in r.stdout  # a browser was found: nothing to print
    # A URL is accepted too.
    r = run_subprocess("open", url, env={"BROWSER": script})
    assert r.exit_code == 0, r.stderr
    with open(log, encoding="utf-8") as f:
        assert f.read().splitlines() == [url, url]


def test_open_prints_the_url_when_there_is_no_browser(cli, tmp_path):
    url = listing_json("-n", "5")[SECURITE_N - 1]["url"]
    empty = tmp_path / "empty-path"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(BROWSER=str(tmp_path / "no-such-browser"), PATH=str(empty))  # and no other browser
    proc = subprocess.run(
        [sys.executable, "-m", "lillenews", "open", str(SECURITE_N)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == url + "\n"


def test_open_errors(cli):
    cli("list", "-n", "5")
    r = cli("open", "999")
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.startswith("Error:")
    r = cli("open", "https://evil.example/Actualites/x")
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.startswith("Error:")


# ====================================================================== feed
def parse_feed(xml: str):
    ET.fromstring(xml.encode("utf-8"))  # well-formed XML, or this raises
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_feed_entries_match_the_listing(cli):
    items = listing_json("-n", "15")
    cli("read", str(SECURITE_N))
    r = cli("feed", "--limit", "15")
    assert r.exit_code == 0, r.stderr
    feed = parse_feed(r.stdout)
    assert feed.feed.title == "Actualités de la Ville de Lille"
    assert feed.feed.get("updated_parsed") is not None
    assert len(feed.entries) == 15
    for item, entry in zip(items, feed.entries, strict=True):
        assert entry.id == item["url"]
        assert entry.link == item["url"]
        assert entry.title == item["title"]
        assert entry.get("updated_parsed") is not None
        if item["date"]:
            assert entry.updated.startswith(item["date"])
        if item["summary"] and item["number"] != SECURITE_N:
            assert entry.summary == item["summary"]
        if item["number"] != SECURITE_N:
            assert "content" not in entry, f"entry {item['number']} has content but is not cached"
    r = cli("feed", "--limit", "3")
    assert len(parse_feed(r.stdout).entries) == 3


def test_feed_has_the_full_text_of_cached_articles(cli):
    cli("list", "-n", "15")
    article = json.loads(cli("read", str(SECURITE_N), "--json").stdout)
    feed = parse_feed(cli("feed", "-n", "15").stdout)
    entry = feed.entries[SECURITE_N - 1]
    assert entry.id == article["url"]
    [content] = entry.content
    assert content.type == "text/html"
    last_paragraph = article["text"].split("\n\n")[-1]
    assert last_paragraph and last_paragraph in content.value
    assert article["lead"] in content.value


def test_feed_with_the_hostile_article_is_well_formed_and_literal(cli):
    cli("list", "-n", "15")
    assert cli("read", str(HOSTILE_N)).exit_code == 0
    r = cli("feed", "-n", "15")
    assert r.exit_code == 0
    assert not UNSAFE.search(r.stdout), repr(UNSAFE.search(r.stdout))
    root = ET.fromstring(r.stdout.encode("utf-8"))
    entry = root.findall(f"{ATOM}entry")[HOSTILE_N - 1]
    assert entry.findtext(f"{ATOM}id").endswith(ARTICLE_PATHS["hostile"])
    content = entry.findtext(f"{ATOM}content")
    assert "[bold]gras[/bold]" in content and "[red]not markup[/red]" in content
    assert "ROUGE" in content and "\x1b" not in content
    assert "javascript:" not in content and "data:text" not in content
    feed = parse_feed(r.stdout)
    assert "[bold]gras[/bold]" in feed.entries[HOSTILE_N - 1].content[0].value


def test_feed_hostile_headline_title_in_listing(dirs, monkeypatch):
    """Rich markup and escapes in a listing's title and summary reach the feed as
    literal, sanitised text."""
    hostile = SynthArticle(
        1,
        ARTICLE_PATHS["hostile"],
        "Le conseil [bold]municipal[/bold] a délibéré",
        "Retour sur la séance\x1b[2J du conseil \u202emunicipal.",
        "",
        [],
        "2021-01-29",
        "Citoyenneté",
    )
    with FixtureServer() as srv:
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        srv.route("/Actualites", listing_html([hostile], 0, 1))
        srv.route(ARTICLE_PATHS["hostile"], fixture_bytes("article_hostile.html"))
        assert cli("sync").stdout == "1 new, 0 updated, 0 unchanged, 0 failed\n"
        r = cli("feed")
    assert r.exit_code == 0
    assert not UNSAFE.search(r.stdout), repr(UNSAFE.search(r.stdout))
    feed = parse_feed(r.stdout)
    [entry] = feed.entries
    assert entry.title == "Le conseil [bold]municipal[/bold] a délibéré"
    assert entry.summary == "Retour sur la séance du conseil municipal."


def test_feed_after_sync_has_content_for_every_synced_article(dirs, monkeypatch):
    with FixtureServer() as srv:
        site = build_site(srv)  # FAILING_N answers 500
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        cli("sync")
        r = cli("feed", "--limit", str(N_ARTICLES))
    feed = parse_feed(r.stdout)
    assert len(feed.entries) == N_ARTICLES
    for n, entry in enumerate(feed.entries, 1):
        art = site.article(n)
        assert entry.id == site.url(n) and entry.title == art.title
        assert entry.updated.startswith(art.date)
        if n == FAILING_N:
            assert "content" not in entry
        else:
            text = html.unescape(entry.content[0].value)
            assert art.paragraphs[0] in text and art.lead in text


def test_feed_default_limit_is_50(cli):
    assert len(listing_json("--all")) > 50
    feed = parse_feed(cli("feed").stdout)
    assert len(feed.entries) == 50


def test_feed_output_file_is_the_same_document(cli, tmp_path):
    cli("list", "-n", "12")
    cli("read", str(SECURITE_N))
    expected = cli("feed", "-n", "12").stdout
    target = tmp_path / "lille.atom"
    r = cli("feed", "-n", "12", "-o", str(target))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert target.read_text(encoding="utf-8") == expected
    assert len(parse_feed(target.read_text(encoding="utf-8")).entries) == 12
    r = cli("feed", "--output", str(tmp_path / "no-such-dir" / "x.atom"))
    assert r.exit_code == 1 and r.stderr.startswith("Error:")


def test_feed_without_a_cached_listing(cli, site):
    r = cli("feed")
    assert r.exit_code == 1 and r.stdout == "" and r.stderr.startswith("Error:")
    assert site.requests == []  # the feed is offline unless --refresh
    r = cli("feed", "--refresh", "-n", "4")
    assert r.exit_code == 0, r.stderr
    assert len(parse_feed(r.stdout).entries) == 4


# ====================================================================== cache info | clear | path
def test_cache_info_and_clear(dirs, monkeypatch):
    with FixtureServer() as srv:
        build_site(srv)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        empty = json.loads(cli("cache", "info", "--json").stdout)
        assert (empty["listing_pages"], empty["headlines"], empty["articles"]) == (0, 0, 0)
        cli("sync")
        r = cli("cache", "info", "--json")
        assert r.exit_code == 0
        info = json.loads(r.stdout)
        assert {"path", "size_bytes", "listing_pages", "headlines", "articles"} <= set(info)
        assert info["path"] == str(dirs["cache"] / "cache.db")
        assert (info["listing_pages"], info["headlines"], info["articles"]) == (2, N_ARTICLES, N_ARTICLES - 1)
        assert info["size_bytes"] > 0
        assert info["size_bytes"] >= os.path.getsize(dirs["cache"] / "cache.db")
        for key in ("newest_fetch_age_s", "oldest_fetch_age_s"):
            if key in info:
                assert 0 <= info[key] < 60

        text = cli("cache", "info")
        assert text.exit_code == 0
        assert str(dirs["cache"] / "cache.db") in text.stdout

        r = cli("cache", "clear")
        assert r.exit_code == 0, r.stderr
        after = json.loads(cli("cache", "info", "--json").stdout)
        assert (after["listing_pages"], after["headlines"], after["articles"]) == (0, 0, 0)
        assert after["path"] == info["path"]
        for key in ("newest_fetch_age_s", "oldest_fetch_age_s"):
            if key in after:
                assert after[key] is None
        r = cli("read", "1", "--offline")
        assert r.exit_code == 1


def test_cache_path(dirs, tmp_path):
    r = cli("cache", "path")
    assert r.exit_code == 0
    assert r.stdout == f"{dirs['cache']}\n"
    other = tmp_path / "elsewhere"
    r = cli("--cache-dir", str(other), "cache", "path")
    assert r.stdout == f"{other}\n"
    r = run_subprocess("cache", "path")
    assert r.exit_code == 0 and r.stdout == f"{dirs['cache']}\n"
