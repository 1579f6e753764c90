"""Photo credits belong to their figure, in every form a page writes them (site/figures.py):
a `<p>`, a bare text line, only a name under the picture, a `<span class="copyright">`, after
the caption on its line or inside it; pictures inside the body too. Never body text."""

from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib
import sys

import pytest
from selectolax.lexbor import LexborHTMLParser

from lillenews.site.events import parse_event_page
from lillenews.site.figures import figure_text, looks_like_a_name
from lillenews.site.news import parse_article

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("ne_credits", FIXTURES / "make_news_evidence.py")
ne = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ne)  # type: ignore[union-attr]
sys.path.insert(0, str(FIXTURES))
import make_events as me  # noqa: E402

SITE = "https://www.lille.fr"
TODAY = dt.date(2026, 11, 27)  # the day the news evidence pages were captured
PAGES = ne.all_pages()
EVENT_PAGES = me.all_pages()


@pytest.mark.parametrize("path", list(ne.CREDIT_FORMS))
def test_the_figures_credit_is_read_in_every_form_and_leaves_the_text(path):
    _html, caption, credit = ne.CREDIT_FORMS[path]
    article = parse_article(PAGES[path], SITE + path, today=TODAY)
    assert (article.images[0].caption, article.images[0].credit) == (caption, credit)
    text = article.plain_text() + (article.lead or "")
    assert "Crédit" not in text and "©" not in text
    assert all(name not in text for name in credit.split(" / "))


@pytest.mark.parametrize("path", list(ne.BODY_PICTURES))
def test_a_picture_in_the_body_carries_its_credit(path):
    article = parse_article(PAGES[path], SITE + path, today=TODAY)
    for url, caption, credit in ne.BODY_PICTURES[path][1]:
        block = next(b for b in article.blocks if b.kind == "image" and b.url == SITE + url)
        assert (block.caption, block.credit) == (caption, credit)
        image = next(i for i in article.images if i.url == SITE + url)
        assert (image.caption, image.credit) == (caption, credit)  # --json's images[] too
        assert credit not in article.plain_text() and "Crédit" not in article.plain_text()


@pytest.mark.parametrize("slug", list(me.CREDIT_FORMS))
def test_an_event_figures_credit_is_read_in_every_form(slug):
    path = f"{me.BASE}/{slug}"
    page = parse_event_page(EVENT_PAGES[path], SITE + path, today=me.TODAY)
    assert page.credit == "Thomas Lo Presti"
    assert not any("Lo Presti" in line or "Crédit" in line for line in page.description)


def _figure(inner: str) -> tuple[str | None, str | None]:
    node = LexborHTMLParser(f'<div class="figureContain"><img src="/a.jpg" alt="">{inner}</div>').css_first("div")
    return tuple(figure_text(node))  # type: ignore[return-value]


@pytest.mark.parametrize(
    "inner, expected",
    [
        ("<p>Vue aérienne du parc de la Citadelle</p>", ("Vue aérienne du parc de la Citadelle", None)),
        ("<p>Le Beffroi</p>", ("Le Beffroi", None)),  # a caption beginning with an article
        ("Inauguration du parc en 2021", ("Inauguration du parc en 2021", None)),
        ("<p>Le crédit d'impôt : explications</p>", ("Le crédit d'impôt : explications", None)),
        ("<p>La Grand-Place.</p><p>Jean Dupont</p>", ("La Grand-Place.", "Jean Dupont")),
        ("<p>La Grand-Place © Jean Dupont</p>", ("La Grand-Place", "Jean Dupont")),
        ('<p class="legende">Le parc <span class="copyright">Jean Dupont</span></p>', ("Le parc", "Jean Dupont")),
        ('<p class="credit">Crédits photos : Jean Dupont</p>', (None, "Jean Dupont")),
        ("<script>var x = 'Jean Dupont';</script>", (None, None)),  # never shown, never read
    ],
)
def test_captions_and_credits_are_told_apart(inner, expected):
    assert _figure(inner) == expected


def test_a_figcaption_holding_only_a_name_stays_a_caption():
    """A portrait's caption names who is in the picture: only a name outside any caption
    element is read as the credit."""
    html = '<figure><img src="/maire.jpg" alt=""><figcaption>Martine Aubry</figcaption></figure>'
    node = LexborHTMLParser(html).css_first("figure")
    assert tuple(figure_text(node)) == ("Martine Aubry", None)


def test_a_generic_figure_in_the_body_gives_caption_and_credit():
    html = """<html><body><main><h1>Titre</h1><article><p>Un premier paragraphe de texte.</p>
      <figure><img src="/b.jpg" alt="B"><figcaption>La place <small class="photo-credit">© MEL</small>
      </figcaption></figure><p>La suite du texte.</p></article></main></body></html>"""
    article = parse_article(html, SITE + "/Actualites/Titre", today=TODAY)
    block = next(b for b in article.blocks if b.kind == "image")
    assert (block.caption, block.credit) == ("La place", "MEL")
    assert "MEL" not in article.plain_text()


@pytest.mark.parametrize(
    "text, name",
    [
        ("Thomas Lo Presti", True),
        ("Thomas Lo Presti.", True),
        ("Ville de Lille", True),
        ("J. Dupont / MEL", True),
        ("Lille-Sud", False),  # one word: a place as well as a name
        ("Vue du beffroi", False),
        ("Le Beffroi", False),
        ("La Ville ouvre deux nouveaux espaces de travail partagé.", False),
        ("Concert du 21 juin", False),
    ],
)
def test_looks_like_a_name(text, name):
    assert looks_like_a_name(text) is name
