"""`lillenews search --full`: SQLite FTS5 over the synced articles of
the synthetic site (tests/synth_site.py): accents, case, prefixes, bm25 ranking,
listing numbers, --json shape and snippets, rejected queries, empty cache, and the
highlights at a terminal (each row its own, also for cached articles no longer listed)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_in_process
from server import FixtureServer
from synth_site import (
    ELECTIONS_N,
    N_ARTICLES,
    PAGE_PATHS,
    SECURITE_N,
    VELO_ONCE_N,
    VELO_TITLE_N,
    VELOS_N,
    build_site,
    listing_html,
)

cli = run_in_process
REVERSE = re.compile(r"\x1b\[([0-9;]+)m([^\x1b]*)")


@pytest.fixture
def site(dirs, monkeypatch):
    with FixtureServer() as srv:
        s = build_site(srv, failing=False)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield s


@pytest.fixture
def synced(site):
    r = cli("sync")
    assert r.stdout == f"{N_ARTICLES} new, 0 updated, 0 unchanged, 0 failed\n", r.stderr
    return site


def full(*args: str) -> list[dict]:
    r = cli("search", "--full", *args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def numbers(*args: str) -> list[int]:
    return [item["number"] for item in full(*args)]


# ---------------------------------------------------------------------- matching
# A plain word also finds the words it begins ("velo" -> « vélos »), as the
# headline search does; between double quotes it is that word only.
VELO_ALL = sorted([VELO_TITLE_N, VELO_ONCE_N, VELOS_N])


def test_accent_insensitive(synced):
    assert sorted(numbers("velo")) == VELO_ALL
    assert sorted(numbers('"velo"')) == [VELO_TITLE_N, VELO_ONCE_N]
    assert numbers("securite") == [SECURITE_N]
    assert numbers("elections") == [ELECTIONS_N]


def test_case_insensitive(synced):
    assert sorted(numbers("VÉLO")) == VELO_ALL
    assert sorted(numbers("Vélo")) == VELO_ALL
    assert sorted(numbers('"VÉLO"')) == [VELO_TITLE_N, VELO_ONCE_N]
    assert numbers("SÉCURITÉ") == [SECURITE_N]
    assert numbers("sécurité") == [SECURITE_N]
    assert numbers("ÉLECTIONS") == [ELECTIONS_N]


def test_prefix_search_finds_the_plural(synced):
    # "vélos" is another word: found by "velo" (a word finds the words it begins), not by the quoted word.
    assert VELOS_N in numbers("velo")
    assert VELOS_N not in numbers('"velo"')
    assert sorted(numbers("vél*")) == sorted([VELO_TITLE_N, VELO_ONCE_N, VELOS_N])
    assert sorted(numbers("velo*")) == sorted([VELO_TITLE_N, VELO_ONCE_N, VELOS_N])
    assert numbers("vélos") == [VELOS_N]


def test_every_word_must_match(synced):
    assert numbers("velo", "pistes") == [VELO_TITLE_N]
    assert numbers("velo", "elections") == []


def test_no_match_is_not_an_error(synced):
    r = cli("search", "--full", "trottinette")
    assert r.exit_code == 0 and r.stdout == ""
    assert "trottinette" in r.stderr
    assert full("trottinette") == []


# ---------------------------------------------------------------------- ranking, numbers, JSON
def test_ranking_title_and_body_before_a_single_mention(synced):
    assert numbers('"velo"') == [VELO_TITLE_N, VELO_ONCE_N]
    assert numbers("velo")[0] == VELO_TITLE_N
    assert numbers("vélo*")[0] == VELO_TITLE_N


def test_hits_keep_their_listing_number_title_and_url(synced):
    listing = {item["number"]: item for item in json.loads(cli("list", "--all", "--json").stdout)}
    assert len(listing) == N_ARTICLES
    for word, n in (("securite", SECURITE_N), ("elections", ELECTIONS_N), ("vélos", VELOS_N)):
        [hit] = full(word)
        assert hit["number"] == n
        assert hit["title"] == listing[n]["title"] == synced.article(n).title
        assert hit["url"] == listing[n]["url"] == synced.url(n)
        assert hit["date"] == listing[n]["date"]


def test_json_items_are_list_items_plus_snippet(synced):
    list_keys = set(json.loads(cli("list", "-n", "3", "--json").stdout)[0])
    assert "read" in list_keys
    hits = full("velo")
    assert hits
    for hit in hits:
        assert set(hit) == list_keys | {"snippet"}
        assert "vélo" in hit["snippet"].casefold()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", hit["snippet"]), hit["snippet"]
        assert hit["read"] is False
    cli("read", str(VELO_ONCE_N), "--offline")
    by_number = {h["number"]: h for h in full("velo")}
    assert by_number[VELO_ONCE_N]["read"] is True and by_number[VELO_TITLE_N]["read"] is False


def test_limit(synced):
    hits = numbers("vél*", "--limit", "2")
    assert len(hits) == 2 and hits[0] == VELO_TITLE_N


def test_more_results_than_shown_are_said_at_a_terminal_as_list_says_them(synced):
    """20 shown of more: a hint says how to see them (stderr, at a terminal); none when all are shown."""
    import io

    from lillenews.cli.app import main
    from lillenews.cli.terminal import Terminal

    def at_a_terminal(*args: str) -> tuple[int, str, str]:
        term = Terminal(stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=True, width=100, height=200)
        code = main(["search", "--full", *args], terminal=term)
        return code, term.stdout.getvalue(), term.stderr.getvalue()  # type: ignore[attr-defined]

    assert len(full("la")) == 20 and len(full("la", "--limit", "100")) > 20
    code, out, err = at_a_terminal("la")
    assert code == 0 and "More with --limit N. Read one with: lillenews read N" in err, err
    assert at_a_terminal("la", "--limit", "100")[2] == ""  # every result shown: nothing to add
    assert cli("search", "--full", "la").stderr == ""  # piped, as `list`: no hint


def test_text_output_has_number_title_and_highlighted_snippet(synced, monkeypatch):
    r = cli("search", "--full", '"velo"')
    assert r.exit_code == 0
    rows = [line for line in r.stdout.splitlines() if re.match(r"^\s*\d+\s", line)]
    assert [int(line.split()[0]) for line in rows] == [VELO_TITLE_N, VELO_ONCE_N]
    assert synced.article(VELO_TITLE_N).title in r.stdout
    # the snippet: the first sentence holding the word (whole sentences, one line)
    assert "Vingt kilomètres de pistes pour circuler à vélo en toute tranquillité." in r.stdout
    # With colours forced, the matches in the snippet are highlighted.
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    r = cli("search", "--full", '"velo"')
    assert r.exit_code == 0
    highlighted = re.findall(r"\x1b\[([0-9;]+)m([^\x1b]*)", r.stdout)
    marked = [text for codes, text in highlighted if "7" in codes.split(";")]
    assert marked and all(text.casefold() == "vélo" for text in marked), highlighted


# ---------------------------------------------------------------------- the index follows the cache
def test_index_follows_updated_articles(synced):
    synced.set_article(SECURITE_N, extra="Une trottinette électrique en libre-service.")
    r = cli("sync", "--refresh")  # re-checks the cached articles
    assert r.stdout == f"0 new, 1 updated, {N_ARTICLES - 1} unchanged, 0 failed\n"
    assert numbers("trottinette") == [SECURITE_N]
    assert numbers("securite") == [SECURITE_N]  # still there once, not twice


def test_cache_clear_empties_the_index(synced):
    assert cli("cache", "clear").exit_code == 0
    r = cli("search", "--full", "velo")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error:") and "sync" in r.stderr


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("query", ['"unterminated', "AND", "velo:", "OR velo", "(velo"])
def test_malformed_query_is_a_usage_error(site, query):
    assert cli("read", str(VELO_TITLE_N)).exit_code == 0  # one article cached is enough
    r = cli("search", "--full", query)
    assert r.exit_code == 2, r
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), r.stderr
    assert "Traceback" not in r.stderr and "unexpected" not in r.stderr
    r = cli("search", "--full", query, "--json")
    assert r.exit_code == 2 and r.stdout == ""


def test_empty_query_is_a_usage_error(synced):
    r = cli("search", "--full", " ")
    assert r.exit_code == 2 and r.stderr.startswith("Error:")


def test_no_articles_cached(site):
    r = cli("search", "--full", "velo")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.startswith("Error:") and len(r.stderr.splitlines()) == 1
    assert "no articles are cached" in r.stderr and "sync" in r.stderr
    # The listing alone is not enough.
    cli("sync", "--no-articles")
    r = cli("search", "--full", "velo", "--json")
    assert r.exit_code == 1 and r.stdout == ""
    assert "no articles are cached" in r.stderr
    assert site.article_hits() == 0


# ---------------------------------------------------------------------- highlights at a terminal
def test_unlisted_rows_keep_their_own_highlights(site, monkeypatch):
    assert cli("sync").exit_code == 0
    # The first listing page now shows one other headline: both "vélo" articles
    # stay cached but are no longer listed, so they have no number.
    site.srv.route(PAGE_PATHS[0], listing_html([site.article(1)], 0, 2))
    assert cli("list", "--refresh", "--limit", "1").exit_code == 0
    # '"velo"': that word only ("velo" alone also finds « vélos »)
    rows = cli("search", "--full", '"velo"', "--json")
    numbers = {row["url"].rsplit("/", 1)[1]: row["number"] for row in json.loads(rows.stdout)}
    assert sorted(numbers) == sorted(site.article(n).path.rsplit("/", 1)[1] for n in (VELO_TITLE_N, VELO_ONCE_N))
    assert set(numbers.values()) == {None}

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    r = cli("search", "--full", '"velo"')
    assert r.exit_code == 0, r.stderr
    marked = [text for codes, text in REVERSE.findall(r.stdout) if "7" in codes.split(";")]
    # One highlight per "vélo" of the two snippets, each exactly the word.
    assert len(marked) >= 2 and all(text.casefold() == "vélo" for text in marked), marked
