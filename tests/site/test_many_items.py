"""Listing pages of many tiny items, under the 5 MB cap: each parses in well under 2 s.

Before: an agenda page of 80,000 `.evenement` items (4 MB) took 3.4 s of CPU to parse
(11 s on a loaded machine, `events -n 1` in all), about 19 lexbor selector calls per item;
a news page of 60,000 items 2.3 s. Now every selector is asked once per page (item_query.py)
and a page is read up to MAX_ITEMS items (lille.fr lists 10 a page). CPU time is measured,
never wall time; the selector calls are counted."""

from __future__ import annotations

import datetime
import time

import pytest
from selectolax.lexbor import LexborHTMLParser

import lillenews.site.events as events_parser
import lillenews.site.news as news_parser
from lillenews.net.decoding import MAX_BYTES
from lillenews.site.common import first
from lillenews.site.events import parse_event_listing
from lillenews.site.item_query import MAX_ITEMS, Items
from lillenews.site.markup import EVENT_MARKUP, LILLE
from lillenews.site.news import parse_listing

EVENTS_URL = "https://www.lille.fr/Evenements"
NEWS_URL = "https://www.lille.fr/Actualites"
TODAY = datetime.date(2026, 1, 15)  # any day: dates without a year are read against it


def cpu(func, *args):
    start = time.process_time()
    result = func(*args, today=TODAY)
    return result, time.process_time() - start


def page(head: str, item: str, tail: str, n: int | None = None) -> tuple[str, int]:
    """`item` (with {i}) repeated n times, or as often as fits under the size cap."""
    parts, size, i = [head], len(head) + len(tail), 0
    while n is None or i < n:
        text = item.format(i=i)
        if n is None and size + len(text) > MAX_BYTES:
            break
        parts.append(text)
        size += len(text)
        i += 1
    return "".join(parts) + tail, i


AGENDA = ("<html><body><main><div class='actusMaster'>", "</div></main></body></html>")
PLAIN = ("<html><body><main>", "</main></body></html>")


@pytest.mark.parametrize(
    "parse, url, head_tail, item",
    [
        (parse_event_listing, EVENTS_URL, AGENDA, "<div class=evenement><a href=/E/{i}>x</a></div>"),
        (parse_event_listing, EVENTS_URL, PLAIN, "<a href=/Evenements/E{i}>x</a>"),  # no known markup
        (parse_listing, NEWS_URL, AGENDA, "<article><a href=/A/{i}>x</a></article>"),
        (parse_listing, NEWS_URL, PLAIN, "<a href=/Actualites/A{i}>x</a>"),  # no known markup
    ],
    ids=["agenda", "agenda, no known markup", "news", "news, no known markup"],
)
def test_a_page_of_tiny_items_up_to_the_size_cap_parses_in_under_2_s(parse, url, head_tail, item):
    """The smallest items that still count, as many as 5 MB holds: 107,000 agenda items
    (the hostile page first reported had 80,000), 127,000 news items (that report's: 60,000),
    162,000 links."""
    html, n = page(head_tail[0], item, head_tail[1])
    assert n > 100_000
    result, elapsed = cpu(parse, html, url)
    # The requirement, in CPU seconds (~0.8 s at rest; a loaded 2-core machine has measured 1.6 s)
    assert elapsed < 2.0, f"{elapsed:.2f} CPU s for {n} items"
    assert len(getattr(result, "events", None) or result.headlines) == MAX_ITEMS


@pytest.mark.parametrize("module", [events_parser, news_parser])
def test_selector_calls_per_page_do_not_grow_with_its_items(module, monkeypatch):
    made: list[Items] = []

    class Counted(Items):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(module, "Items", Counted)
    parse, url, item = (
        (parse_event_listing, EVENTS_URL, '<div class="evenement"><a href="/E/{i}">x</a></div>')
        if module is events_parser
        else (parse_listing, NEWS_URL, '<div class="actualite"><a href="/A/{i}">Titre</a></div>')
    )
    counts = []
    for n in (3, 3_000):
        made.clear()
        parse(page(AGENDA[0], item, AGENDA[1], n)[0], url, today=TODAY)
        counts.append(sum(items.queries for items in made))
    assert counts[0] == counts[1] <= 25


def test_page_wide_lookups_answer_what_per_item_lookups_do():
    """Self-matches, selectors reaching above the item, nested items, fallbacks in order."""
    html = """<html><body><div class="actusMaster">
      <div class="evenement"><div class="right"><span class="actuTitle"><a href="/a">A</a></span>
        <p class="innerContent">Résumé A</p></div><a class="voirActus" href="/a">Voir</a></div>
      <div class="evenement event-type"><h2><a href="/b">B</a></h2><time>1er juin</time>
        <div class="evenement"><a href="/c">C</a><img src="/c.jpg"></div></div>
      <div class="evenement"><p>rien</p></div>
    </div></body></html>"""
    tree = LexborHTMLParser(html)
    nodes = tree.css(".evenement")
    items = Items(tree, nodes)
    m = EVENT_MARKUP
    for selectors in (m.title_link, m.more_link, m.summary, m.date, m.category, m.image, (".actusMaster a",)):
        expected = [first(node, selectors) for node in nodes]
        got = items.first(selectors)
        assert [n.mem_id if n else None for n in got] == [n.mem_id if n else None for n in expected], selectors
    every = items.match(("a[href]",), every=True)
    assert [[a.attributes["href"] for a in found.nodes] if found else [] for found in every] == [
        [a.attributes["href"] for a in node.css("a[href]")] for node in nodes
    ]
    assert Items(tree, tree.css(LILLE.listing_items)).first(LILLE.item_title_link)[0].text() == "A"
