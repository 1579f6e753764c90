"""The one walker over paginated listings (lillenews.app.walker), with plain functions as
page getters: loops, the end of a listing, failures, the page cap and its warning."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from lillenews.app import walker
from lillenews.app.walker import MAX_PAGES, Next, Stop, Walk


class Item(NamedTuple):
    url: str


Page = tuple[str, tuple[str, ...], str | None]  # (url, item URLs, next url)


def walk_of(pages: dict[str, Page], start: str = "p1", *, max_pages: int | None = None):
    asked: list[Next] = []
    warnings: list[str] = []

    def get(step: Next, index: int) -> Page | Stop:
        asked.append(step)
        return pages.get(step.url, Stop.END)

    def next_page(page: Page, index: int) -> Next | None:
        return Next(page[2]) if page[2] else None

    w = Walk(start, get, next_page, lambda p: [Item(u) for u in p[1]], warn=warnings.append, max_pages=max_pages)
    return w, asked, warnings


def urls(items) -> list[str]:
    return [item.url for item in items]


def test_a_page_linking_back_to_an_earlier_one_ends_the_walk_each_page_asked_once():
    w, asked, warnings = walk_of({"p1": ("p1", ("a", "b"), "p2"), "p2": ("p2", ("c",), "p1")})
    assert [(p.index, urls(p.new)) for p in w] == [(0, ["a", "b"]), (1, ["c"])]
    assert [s.url for s in asked] == ["p1", "p2"] and w.complete and warnings == []


def test_items_seen_on_earlier_pages_are_not_new_and_a_page_of_nothing_new_ends_the_walk():
    w, asked, _ = walk_of({"p1": ("p1", ("a", "b"), "p2"), "p2": ("p2", ("b", "c"), "p3"), "p3": ("p3", ("c",), "p4")})
    assert [urls(p.new) for p in w] == [["a", "b"], ["c"]]
    assert [s.url for s in asked] == ["p1", "p2", "p3"] and w.complete


@pytest.mark.parametrize("stop, complete", [(Stop.END, True), (Stop.FAILED, False)])
def test_a_getter_that_answers_stop_ends_the_walk(stop, complete):
    w = Walk("p1", lambda step, i: stop, lambda p, i: None, lambda p: (), warn=print)
    assert list(w) == [] and w.complete is complete


def test_the_page_cap_stops_a_runaway_pagination_with_one_warning(monkeypatch):
    monkeypatch.setattr(walker, "MAX_PAGES", 3)
    pages = {f"p{n}": (f"p{n}", (f"item{n}",), f"p{n + 1}") for n in range(1, 10)}
    w, asked, warnings = walk_of(pages)
    assert len(list(w)) == 3 and not w.complete
    assert len(asked) == 3
    assert warnings == ["stopped after 3 pages, the most lillenews reads of one listing; p4 and later were not read"]


def test_a_smaller_limit_the_caller_asks_for_says_nothing():
    pages = {f"p{n}": (f"p{n}", (f"item{n}",), f"p{n + 1}") for n in range(1, 10)}
    w, asked, warnings = walk_of(pages, max_pages=2)
    assert len(list(w)) == 2 and not w.complete and warnings == []


def test_a_walk_that_ends_on_its_last_allowed_page_does_not_warn(monkeypatch):
    monkeypatch.setattr(walker, "MAX_PAGES", 2)
    w, _, warnings = walk_of({"p1": ("p1", ("a",), "p2"), "p2": ("p2", ("b",), None)})
    assert len(list(w)) == 2 and warnings == []
    assert MAX_PAGES == 200  # room for the agenda's ~70 pages (June 2024) three times over


def test_the_cap_warning_speaks_the_interface_language(monkeypatch):
    from lillenews.base import i18n

    monkeypatch.setattr(walker, "MAX_PAGES", 1)
    i18n.set_language("fr")
    try:
        w, _, warnings = walk_of({"p1": ("p1", ("a",), "p2"), "p2": ("p2", ("b",), None)})
        list(w)
    finally:
        i18n.set_language(None)
    assert warnings == [
        "arrêt après 1 pages, le plus que lillenews lit d'une liste ; p2 et les suivantes n'ont pas été lues"
    ]
