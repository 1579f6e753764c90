"""`search --full` on a terminal: highlights belong to their own row, also for
cached articles no longer in the listing (number None)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_in_process
from server import FixtureServer
from synth_site import PAGE_PATHS, VELO_ONCE_N, VELO_TITLE_N, build_site, listing_html

cli = run_in_process
REVERSE = re.compile(r"\x1b\[([0-9;]+)m([^\x1b]*)")


@pytest.fixture
def site(dirs, monkeypatch):
    with FixtureServer() as srv:
        s = build_site(srv, failing=False)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield s


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
