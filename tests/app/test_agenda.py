"""The events use case (src/lillenews/agenda.py) over the fixture pages, without a server."""

from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib

import pytest

from lillenews.app.agenda import (
    AgendaQuery,
    all_categories,
    choose_category,
    first_url,
    match_categories,
    upcoming,
    walk,
)
from lillenews.app.walker import MAX_PAGES, Next, Stop
from lillenews.base.dates import DateRange, http_date
from lillenews.base.errors import UsageError
from lillenews.base.event_models import Category, Event, EventListing
from lillenews.site.events import parse_event_listing

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]

SITE = "https://www.lille.fr"
PAGES = me.all_pages()
TODAY = me.TODAY


class Getter:
    """The fixture pages by URL, recording what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def __call__(self, step: Next, index: int) -> EventListing | Stop:
        self.asked.append((step.url, index))
        path = step.url.removeprefix(SITE)
        if path not in PAGES:
            return Stop.FAILED
        return parse_event_listing(PAGES[path], step.url, reference=http_date(me.LAST_MODIFIED), today=TODAY)


def categories() -> tuple[Category, ...]:
    return Getter()(Next(SITE + "/Evenements"), 0).categories  # type: ignore[union-attr]


def upcoming_of(ev) -> bool:
    end = ev.end
    return end is None or dt.date.fromisoformat(end) >= TODAY


def test_upcoming_hides_past_events_and_numbers_the_rest():
    get = Getter()
    result = upcoming(SITE, AgendaQuery(limit=None), get, today=TODAY)
    titles = [n.event.url for n in result.events]
    assert titles == [SITE + me.event_path(ev) for ev in me.EVENTS if upcoming_of(ev)]
    assert [n.number for n in result.events] == list(range(1, len(titles) + 1))
    past = [ev for ev in me.EVENTS if not upcoming_of(ev)]
    assert result.past_hidden == len(past) == 3  # two in June on page 1, one on page 3
    assert result.complete
    assert [i for _, i in get.asked] == [0, 1, 2]
    undated = next(n for n in result.events if n.event.date_text is None)
    assert undated.event.dates == (None, None)  # kept, never dropped
    ongoing = {n.event.title for n in result.events if n.ongoing}
    assert ongoing == {
        "Les Sentiers de la biodiversité", "Exposition « Lille, ville d'eau »", "Marionnettes au Jardin Vauban",
        "Lille vue du ciel",
    }  # fmt: skip


def test_limit_stops_fetching_pages():
    get = Getter()
    result = upcoming(SITE, AgendaQuery(limit=5), get, today=TODAY)
    assert len(result.events) == 5
    assert not result.complete
    assert [i for _, i in get.asked] == [0]


def test_limit_reached_on_the_last_page_exactly_is_complete():
    n = sum(upcoming_of(ev) for ev in me.EVENTS)
    result = upcoming(SITE, AgendaQuery(limit=n), Getter(), today=TODAY)
    assert len(result.events) == n and result.complete


@pytest.mark.parametrize("when", me.PERIODS)
def test_period_uses_the_site_filter(when):
    get = Getter()
    result = upcoming(SITE, AgendaQuery(when=when, limit=None), get, today=TODAY)
    assert get.asked[0] == (f"{SITE}/Evenements/(when)/{when}", 0)
    assert [n.event.url for n in result.events] == [SITE + me.event_path(ev) for ev in me.selection(when, None)]


def test_category_with_an_id_uses_the_type_filter():
    get = Getter()
    result = upcoming(SITE, AgendaQuery(category="MARCHE", limit=None), get, today=TODAY, categories=categories)
    assert result.category == Category("Marché / braderie", "539")
    assert get.asked[0] == (SITE + "/Evenements/(type)/539", 0)
    assert [n.event.title for n in result.events] == ["Marché de Noël", "Brocante du Vieux-Lille"]
    assert result.past_hidden == 2


def test_category_combined_with_a_period():
    get = Getter()
    result = upcoming(SITE, AgendaQuery(when="weekend", category="braderie"), get, today=TODAY, categories=categories)
    assert get.asked[0] == (SITE + "/Evenements/(when)/weekend/(type)/539", 0)
    assert [n.event.title for n in result.events] == ["Brocante du Vieux-Lille"]


def test_category_without_an_id_filters_by_name():
    get = Getter()
    seen = ("Cinéma - projection",)
    result = upcoming(
        SITE, AgendaQuery(category="cinema", limit=None), get, today=TODAY,
        categories=lambda: categories() + tuple(Category(n) for n in seen),
    )  # fmt: skip
    assert result.category == Category("Cinéma - projection", None)
    assert get.asked[0] == (SITE + "/Evenements", 0)
    assert [n.event.title for n in result.events] == ["Cinéma en plein air à la Citadelle"]
    assert [n.number for n in result.events] == [1]


def test_unknown_or_ambiguous_category_is_a_usage_error():
    with pytest.raises(UsageError, match="no category matches 'opera'"):
        choose_category("opera", categories())
    with pytest.raises(UsageError, match="several categories"):
        choose_category("e", categories())
    assert choose_category("Concert", categories()) == Category("Concert", "535")
    assert choose_category("cinema", categories(), seen=["Cinéma - projection"]) == Category("Cinéma - projection")


def test_first_url_rejects_an_unknown_period():
    with pytest.raises(UsageError, match="unknown period"):
        first_url(SITE, AgendaQuery(when="year"), None)


def test_empty_filter_is_an_empty_complete_result():
    result = upcoming(SITE, AgendaQuery(when="today", category="concert"), Getter(), today=TODAY, categories=categories)
    assert result.events == () and result.complete


def test_walk_builds_offsets_when_the_pagination_has_no_next_link():
    asked: list[Next] = []

    def spy(step: Next, index: int) -> EventListing | Stop:
        asked.append(step)
        events = (Event(f"{SITE}/Evenements/E{index}", f"E{index}"),)
        return EventListing(step.url, events, None, 3, ())

    events, complete, _ = walk(SITE + "/Evenements/(when)/week", spy, today=TODAY, limit=None)
    assert asked == [
        Next(SITE + "/Evenements/(when)/week"), Next(SITE + "/Evenements/(offset)/10/(when)/week", guessed=True),
        Next(SITE + "/Evenements/(offset)/20/(when)/week", guessed=True),
    ]  # fmt: skip
    assert len(events) == 3 and complete


def test_walk_stops_at_a_missing_page():
    events, complete, _ = walk(SITE + "/nowhere", lambda step, i: Stop.FAILED, today=TODAY, limit=None)
    assert (events, complete) == ([], False)
    events, complete, _ = walk(SITE + "/nowhere", lambda step, i: Stop.END, today=TODAY, limit=None)
    assert (events, complete) == ([], True)


def test_walk_asks_for_each_page_once_when_page_two_links_back_to_page_one():
    first, second = SITE + "/Evenements", SITE + "/Evenements/(offset)/10"
    pages = {
        first: EventListing(first, (Event(first + "/A", "A"),), second, 2, ()),
        second: EventListing(second, (Event(first + "/B", "B"),), first, 2, ()),  # "next" is page 1 again
    }
    asked: list[str] = []
    warnings: list[str] = []

    def get(step: Next, index: int) -> EventListing | Stop:
        asked.append(step.url)
        return pages[step.url]

    events, complete, _ = walk(first, get, today=TODAY, limit=None, warn=warnings.append)
    assert asked == [first, second]
    assert [e.title for e in events] == ["A", "B"] and complete and warnings == []


def agenda_of(count: int, per_page: int = 10):
    """A getter serving an agenda of `count` upcoming events, `per_page` a page, linked by next links."""
    pages = -(-count // per_page)
    asked: list[int] = []

    def get(step: Next, index: int) -> EventListing | Stop:
        asked.append(index)
        first = index * per_page
        events = tuple(
            Event(f"{SITE}/Evenements/E{n}", f"E{n}", DateRange(TODAY, None))
            for n in range(first, min(count, first + per_page))
        )
        nxt = f"{SITE}/Evenements/(offset)/{first + per_page}" if index + 1 < pages else None
        return EventListing(step.url, events, nxt, pages, ())

    return get, asked


def test_a_thousand_event_agenda_is_listed_whole():
    # ~700 events in June 2024: --all must read an agenda of 100 pages to its end
    get, asked = agenda_of(1000)
    warnings: list[str] = []
    result = upcoming(SITE, AgendaQuery(limit=None), get, today=TODAY, warn=warnings.append)
    assert len(result.events) == 1000 and result.complete
    assert [n.number for n in result.events] == list(range(1, 1001))
    assert len(asked) == 100 and warnings == []


def test_the_page_cap_stops_a_walk_with_a_warning():
    get, asked = agenda_of(10 * (MAX_PAGES + 5))
    warnings: list[str] = []
    events, complete, _ = walk(SITE + "/Evenements", get, today=TODAY, limit=None, warn=warnings.append)
    assert len(asked) == MAX_PAGES and len(events) == 10 * MAX_PAGES and not complete
    assert len(warnings) == 1 and f"stopped after {MAX_PAGES} pages" in warnings[0]
    assert f"(offset)/{10 * MAX_PAGES}" in warnings[0]  # the first page not read


def test_all_categories_merges_filter_links_and_listed_events():
    events = [Event("u1", "a", category="Cinéma - projection"), Event("u2", "b", category="Concert"), Event("u3", "c")]
    cats = all_categories(categories(), events)
    assert Category("Cinéma - projection", None) in cats
    assert Category("Concert", "535") in cats
    assert [c.name for c in cats][:3] == ["Cinéma - projection", "Concert", "Événement sportif"]
    assert len(cats) == 13


def test_categories_match_with_the_search_folding_of_ligatures():
    assert match_categories("coeur de ville", ["Cœur de ville", "Concert"]) == ["Cœur de ville"]
