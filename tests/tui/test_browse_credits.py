"""`lillenews browse` shows each figure's photo credit with its figure, as `read` does: the
figure above the text and the pictures inside it (the agenda-evidenced news pages of
tests/fixtures/make_news_evidence.py, credits in each form the site writes them)."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest
from conftest import run_in_process
from server import FixtureServer

pytest.importorskip("textual")

from test_reader import drive, screen_text, settle  # noqa: E402

from lillenews.base.config import load_settings  # noqa: E402
from lillenews.tui.app import BrowseApp  # noqa: E402
from lillenews.tui.screens import ArticleScreen  # noqa: E402
from lillenews.tui.source import Source  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_news_evidence_tui", FIXTURES / "make_news_evidence.py")
ne = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ne)  # type: ignore[union-attr]

COWORKING = "/Actualites/Co-working-et-mediation-numerique"


def test_the_article_screen_shows_the_figures_and_the_body_pictures_credits(dirs, monkeypatch):
    with FixtureServer() as srv:
        for path, html in ne.all_pages().items():
            srv.route(path, html)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        assert run_in_process("list", "--all").exit_code == 0
        source = Source(load_settings({}))
        app = BrowseApp(source, opener=lambda url: False)
        app.animation_level = "none"
        number = [path for path, *_ in ne.ITEMS].index(COWORKING) + 1

        async def script(pilot):
            await pilot.press(*["down"] * (number - 1), "enter")
            await settle(pilot)
            assert isinstance(app.screen, ArticleScreen)
            text = " ".join(screen_text(app).split())
            assert "L’espace de la rue Saint-Sauveur. — Crédit : Thomas Lo Presti" in text  # the figure's
            assert "Un des postes de travail partagés. — Crédit : Ville de Lille" in text  # the body picture's

        try:
            drive(app, script, size=(120, 50))
        finally:
            source.close()
