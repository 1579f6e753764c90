"""A listing page of 80,000 tiny agenda items or 60,000 news items, through the real CLI:
`events -n 1` and `list -n 1` answer (they took 11 s and 5 s), and what is read and cached
is the page's first MAX_ITEMS items (site/item_query.py; lille.fr lists 10 a page)."""

from __future__ import annotations

import datetime as dt
import json
import time

from conftest import run_in_process

from lillenews.app.events import EventService
from lillenews.site.item_query import MAX_ITEMS


def ok(*args: str):
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_an_agenda_page_of_80000_items(cli, site, monkeypatch):
    monkeypatch.setattr(EventService, "today", property(lambda self: dt.date(2024, 6, 14)))
    items = "".join(f'<div class="evenement"><a href="/E/{i}">É{i}</a></div>' for i in range(80_000))
    site.route("/Evenements", f"<html><body><main><div class='actusMaster'>{items}</div></main></body></html>")
    start = time.process_time()
    first = json.loads(ok("events", "-n", "1", "--json").stdout)
    assert time.process_time() - start < 5.0  # CPU, server thread included (11.4 s of wall time before)
    assert [e["title"] for e in first] == ["É0"]
    listed = json.loads(ok("events", "--all", "--json", "--offline").stdout)
    assert len(listed) == MAX_ITEMS and listed[-1]["title"] == f"É{MAX_ITEMS - 1}"


def test_a_news_page_of_60000_items(cli, site):
    items = "".join(f'<div class="actualite"><a href="/Actualites/A{i}">Article {i}</a></div>' for i in range(60_000))
    site.route("/Actualites", f"<html><body><main><div class='actusMaster'>{items}</div></main></body></html>")
    start = time.process_time()
    first = json.loads(ok("list", "-n", "1", "--json").stdout)
    assert time.process_time() - start < 5.0  # CPU, server thread included (5.2 s of wall time before)
    assert [h["title"] for h in first] == ["Article 0"]
    assert len(json.loads(ok("list", "--all", "--json", "--offline").stdout)) == MAX_ITEMS
