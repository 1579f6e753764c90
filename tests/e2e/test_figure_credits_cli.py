"""Each figure's photo credit is shown with its figure, in every format: `read` (plain and
Rich), `--markdown`, `--json` and the Atom feed, for the figures above the text and the
pictures inside it, on the agenda-evidenced news pages (tests/fixtures/make_news_evidence.py)
whose figures write their credits in each form the site uses."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re

import pytest
from conftest import run_in_process
from server import FixtureServer
from test_terminal_rich import SGR, run

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_news_evidence_cli", FIXTURES / "make_news_evidence.py")
ne = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ne)  # type: ignore[union-attr]

# path -> [(image path, caption, credit)]: the figure above the text, then the body's pictures
FIGURES = {
    path: [(ne.IMAGES + "/x/2-2-fre-FR/x_page_banner_image_bannerview.png", caption, credit)]
    + ne.BODY_PICTURES.get(path, ("", []))[1]
    for path, (_html, caption, credit) in ne.CREDIT_FORMS.items()
}
SHOWN = ["/Actualites/Co-working-et-mediation-numerique", "/Actualites/La-Ville-soutient-les-associations"]


def flat(text: str) -> str:
    """Words separated by one space: line wraps and no-break spaces do not matter here."""
    return " ".join(text.split())


def said(caption: str | None, credit: str) -> str:
    return flat(" — ".join(x for x in (caption, f"Crédit : {credit}") if x))


@pytest.fixture
def evidence(dirs, monkeypatch):
    with FixtureServer() as srv:
        for path, html in ne.all_pages().items():
            srv.route(path, html)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        assert run_in_process("list", "--all").exit_code == 0
        yield srv


def ok(*args: str) -> str:
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_read_shows_every_credit_beside_its_figure(evidence):
    for path, figures in FIGURES.items():
        text = flat(ok("read", evidence.base_url + path))
        for _url, caption, credit in figures:
            assert said(caption, credit) in text, (path, credit)
        last = said(*figures[-1][1:])
        body = text[text.rindex(last) + len(last) :]  # the text after the last figure
        assert "Crédit" not in body and "©" not in body, path


def test_read_at_a_terminal_shows_the_credits(evidence):
    for path in SHOWN:
        code, out = run("read", evidence.base_url + path, "--no-pager")
        screen = flat(SGR.sub("", out))
        assert code == 0
        for _url, caption, credit in FIGURES[path]:
            assert said(caption, credit) in screen, (path, credit)


def test_markdown_puts_each_credit_under_its_picture(evidence):
    for path in SHOWN:
        md = ok("read", evidence.base_url + path, "--markdown")
        for url, caption, credit in FIGURES[path]:
            line = md[md.index(url) :].split("\n")[1]  # the line under the picture
            assert flat(line) == f"*{said(caption, credit)}*", (path, line)


def test_json_images_carry_every_credit_and_the_text_none(evidence):
    for path, figures in FIGURES.items():
        data = json.loads(ok("read", evidence.base_url + path, "--json"))
        images = {i["url"].removeprefix(evidence.base_url): (i["caption"], i["credit"]) for i in data["images"]}
        assert images == {url: (caption, credit) for url, caption, credit in figures}, path
        assert "Crédit" not in data["text"] and not re.search(r"Lo Presti|Dupont|Ville de Lille", data["text"])
        assert all(flat(said(caption, credit)) in flat(data["markdown"]) for _u, caption, credit in figures)


def test_the_feed_gives_each_figure_its_credit(evidence):
    for path in SHOWN:
        ok("read", evidence.base_url + path)
    feed = ok("feed")
    for path in SHOWN:
        for url, caption, credit in FIGURES[path]:
            entry = feed[feed.index(f"<id>{evidence.base_url}{path}</id>") :]
            figure = entry[entry.index(url) :]
            figcaption = figure[figure.index("&lt;figcaption&gt;") + 18 : figure.index("&lt;/figcaption&gt;")]
            assert flat(figcaption) == said(caption, credit), (path, figcaption)
