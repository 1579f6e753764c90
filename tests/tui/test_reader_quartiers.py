"""`lillenews browse --quartier`: the reader shows the headlines, search results and events
naming the quartier, exactly those `list`, `search` and `events` give with the same
filter, and says which quartier in its heading."""

from __future__ import annotations

import json

import pytest
from conftest import run_in_process
from quartier_site import build_quartier_site

pytest.importorskip("textual")

from test_reader import drive, screen_text, settle  # noqa: E402

from lillenews.app.events import EventService  # noqa: E402
from lillenews.base.config import load_settings  # noqa: E402
from lillenews.tui.app import BrowseApp  # noqa: E402
from lillenews.tui.source import Source  # noqa: E402


@pytest.fixture
def quartier_source(cli, site, monkeypatch):
    build_quartier_site(site)
    assert cli("sync", "--all").exit_code == 0
    sources: list[Source] = []

    def make(*names: str) -> Source:
        source = Source(load_settings({}), quartiers=frozenset(names))
        sources.append(source)
        return source

    yield make
    for source in sources:
        source.close()


def _listed(*args: str) -> list[str]:
    return [d["url"] for d in json.loads(run_in_process(*args, "--json").stdout)]


def test_the_reader_keeps_what_names_the_quartier(quartier_source):
    source = quartier_source("Vauban-Esquermes", "Lille-Sud")
    shown = [row.url for row in source.headlines()]
    assert shown == _listed("list", "--all", "--quartier", "Vauban-Esquermes", "--quartier", "Lille-Sud")
    assert len(shown) == 5
    assert [r.url for r in source.search(["la"], full=False)] == _listed(
        "search", "la", "--offline", "--quartier", "Vauban-Esquermes", "--quartier", "Lille-Sud"
    )
    assert [r.url for r in source.search(["mairie"], full=True)] == _listed(
        "search", "--full", "mairie", "--quartier", "Vauban-Esquermes", "--quartier", "Lille-Sud"
    )
    assert all(quartier_source().headlines())  # no filter: everything
    assert len(quartier_source().headlines()) > len(shown)


def test_the_heading_names_the_quartier(quartier_source):
    app = BrowseApp(source := quartier_source("Wazemmes"), rows=source.headlines())
    app.animation_level = "none"

    async def script(pilot):
        await settle(pilot)
        text = screen_text(app)
        assert "lillenews · Actualités · Wazemmes  1 headline" in text
        assert "Médiathèque : horaires d'été" in text and "Fête de quartier" not in text

    drive(app, script, size=(100, 30))


def test_the_agenda_of_the_quartier(quartier_source, site, monkeypatch):
    import importlib.util
    import pathlib

    fixtures = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
    spec = importlib.util.spec_from_file_location("reader_make_events", fixtures / "make_events.py")
    me = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(me)  # type: ignore[union-attr]
    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    for path, page in me.all_pages().items():
        site.route(path, page, last_modified=me.LAST_MODIFIED)
    events, warnings = quartier_source("Vieux-Lille").events()
    assert warnings == []
    assert [e.event.url for e in events] == _listed("events", "--limit", "50", "--quartier", "Vieux-Lille")
    assert {e.event.title for e in events} >= {"Visite guidée du Vieux-Lille", "Brocante du Vieux-Lille"}
