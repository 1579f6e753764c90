"""The one number resolver (lillenews.app.numbers), for articles and events alike."""

from __future__ import annotations

import pytest

from lillenews.app.numbers import Numbering, resolve
from lillenews.base.errors import NotCachedError, UsageError

SITE = "https://www.lille.fr"


def numbering(listed: list[str], fetched: list[str], asked: list[tuple[int, list[str]]]) -> Numbering[str]:
    def more(number, items):
        asked.append((number, list(items)))
        return fetched

    return Numbering(lambda: listed, more, str, none="nothing to number", beyond="no item {number} (1–{count})")


def site_url(target: str) -> str:
    return SITE + target if target.startswith("/") else target


def test_a_number_is_the_item_of_the_last_listing_and_a_url_finds_its_number():
    asked: list = []
    n = numbering([SITE + "/a", SITE + "/b"], [], asked)
    assert resolve(" 2 ", n, site_url, offline=False)[:2] == (SITE + "/b", 2)
    assert resolve("/a", n, site_url, offline=False)[:2] == (SITE + "/a", 1)
    assert resolve("/z", n, site_url, offline=False)[:2] == (SITE + "/z", None)
    assert asked == []  # all in the cached listing: nothing fetched


def test_online_a_number_beyond_the_listing_asks_for_more():
    asked: list = []
    n = numbering([SITE + "/a"], [SITE + "/a", SITE + "/b", SITE + "/c"], asked)
    url, number, items = resolve("3", n, site_url, offline=False)
    assert (url, number, len(items)) == (SITE + "/c", 3, 3) and asked == [(3, [SITE + "/a"])]


def test_offline_nothing_is_fetched_and_the_errors_say_why():
    asked: list = []
    with pytest.raises(UsageError, match=r"no item 3 \(1–1\)"):
        resolve("3", numbering([SITE + "/a"], [], asked), site_url, offline=True)
    with pytest.raises(UsageError, match="no item -1"):
        resolve("-1", numbering([SITE + "/a"], [], asked), site_url, offline=True)
    with pytest.raises(NotCachedError, match="nothing to number"):
        resolve("1", numbering([], [SITE + "/a"], asked), site_url, offline=True)
    assert asked == []
    with pytest.raises(NotCachedError, match="nothing to number"):
        resolve("1", numbering([], [], asked), site_url, offline=False)  # fetched, still nothing
    assert asked == [(1, [])]
