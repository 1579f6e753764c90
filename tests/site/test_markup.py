"""The markup spec (site/markup.py) and the provenance the parser reports (site/news.py explain_*).

A redesign of lille.fr must be a change in site/markup.py only: the parser modules hold no
lille.fr class name, and the furniture vocabulary is written once."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from server import FIXTURES

from lillenews.base.models import Layer
from lillenews.site import markup as site
from lillenews.site.common import is_chrome, is_furniture
from lillenews.site.news import (
    ARTICLE_FIELDS,
    LISTING_FIELDS,
    ArticleReport,
    Found,
    ListingReport,
    explain_article,
    explain_listing,
    parse_article,
    parse_listing,
)

TODAY = datetime.date(2021, 3, 1)  # the fixtures' news are from February 2021

SITE = "https://www.lille.fr"
LISTING_URL = SITE + "/Actualites"
ARTICLE_URL = SITE + "/Actualites/Un-article"
SRC = Path(site.__file__).parent
PARSER_MODULES = ("news.py", "article_fields.py", "common.py", "blocks.py", "events.py", "nesting.py", "pagelinks.py")
K, G, N = Layer.KNOWN, Layer.GENERIC, Layer.NONE


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8", errors="replace")


def layers(report: ListingReport | ArticleReport) -> dict[str, tuple[Layer, int]]:
    return {name: (found.layer, found.count) for name, found in report.fields.items()}


# ----------------------------------------------------------------------------- provenance
def test_explain_listing_on_lille_markup():
    report = explain_listing(fixture("listing_p01.html"), LISTING_URL, today=TODAY)
    assert report.error is None and report.page == parse_listing(fixture("listing_p01.html"), LISTING_URL, today=TODAY)
    assert tuple(report.fields) == LISTING_FIELDS
    assert layers(report) == {
        "items": (K, 10),
        "title": (K, 10),
        "link": (K, 10),
        "date": (K, 9),
        "category": (K, 9),
        "summary": (K, 10),
        "image": (K, 9),
        "pagination": (K, 1),
    }


def test_explain_listing_on_generic_markup():
    report = explain_listing(fixture("generic_listing.html"), LISTING_URL, today=TODAY)
    assert report.page == parse_listing(fixture("generic_listing.html"), LISTING_URL, today=TODAY)
    assert layers(report) == {
        "items": (G, 6),
        "title": (G, 6),
        "link": (G, 6),
        "date": (G, 6),
        "category": (N, 0),
        "summary": (G, 6),
        "image": (G, 6),
        "pagination": (G, 1),
    }


def test_explain_listing_of_a_changed_layout_reports_nothing_and_does_not_raise():
    report = explain_listing(fixture("layout_changed.html"), LISTING_URL, today=TODAY)
    assert report.page is None and report.error == "no headlines"
    assert set(report.fields.values()) == {Found(N, 0)}


def test_explain_article_on_lille_markup():
    report = explain_article(fixture("article_securite.html"), ARTICLE_URL, today=TODAY)
    assert report.article == parse_article(fixture("article_securite.html"), ARTICLE_URL, today=TODAY)
    assert tuple(report.fields) == ARTICLE_FIELDS
    assert layers(report) == {
        "title": (K, 1),
        "date": (K, 1),
        "lead": (K, 1),
        "body": (K, 13),
        "images": (K, 1),
        "related": (K, 3),
        "category": (K, 1),
    }


def test_explain_article_on_generic_markup():
    report = explain_article(fixture("generic_article.html"), ARTICLE_URL, today=TODAY)
    assert report.article == parse_article(fixture("generic_article.html"), ARTICLE_URL, today=TODAY)
    assert layers(report) == {
        "title": (G, 1),
        "date": (G, 1),
        "lead": (G, 1),
        "body": (G, 5),
        "images": (N, 0),
        "related": (G, 2),
        "category": (N, 0),
    }


def test_explain_article_missing_fields_are_none():
    assert layers(explain_article(fixture("article_no_lead.html"), ARTICLE_URL, today=TODAY))["lead"] == (N, 0)
    assert layers(explain_article(fixture("article_no_date.html"), ARTICLE_URL, today=TODAY))["date"] == (N, 0)


@pytest.mark.parametrize(
    ("html", "field", "layer"),
    [
        ('<head><meta property="og:title" content="Par og"></head><body><main><p>Texte.</p></main>', "title", G),
        ("<head><title>Par title - Ville de Lille</title></head><body><main><p>Texte.</p></main>", "title", G),
        (
            '<head><meta property="article:published_time" content="2021-02-08"></head><body><h1>T</h1><main>'
            "<p>Texte.</p></main>",
            "date",
            G,
        ),
        (
            '<body><div class="content"><h1>T</h1><div class="dateInfo"><span>Le 8 février 2021</span></div>'
            '<div class="rte"><p>Texte.</p></div></div>',
            "date",
            K,
        ),
        ('<body><h1>T</h1><main><p>Texte.</p><img src="/i.png"></main>', "images", G),
        (
            '<head><meta property="article:section" content="Sport"></head><body><h1>T</h1><main><p>x</p></main>',
            "category",
            G,
        ),
    ],
)
def test_explain_article_names_the_layer_of_each_fallback(html, field, layer):
    report = explain_article(html, ARTICLE_URL, today=TODAY)
    assert report.article is not None, report.error
    assert report.fields[field] == Found(layer, 1)


def test_explain_article_without_text_reports_why():
    report = explain_article("<html><body><h1>Titre seul</h1></body></html>", ARTICLE_URL, today=TODAY)
    assert report.article is None and report.error == "no article text"
    assert report.fields["title"] == Found(G, 1) and report.fields["body"].layer is N


# ----------------------------------------------------------------------------- one file per site
def _class_names(selectors: list[str]) -> set[str]:
    return {m for sel in selectors for m in re.findall(r"[.#]([A-Za-z][\w-]*)", sel)}


def test_parser_modules_hold_no_lille_class_name():
    spec = site.LILLE
    selectors = [v for v in spec if isinstance(v, str)] + [s for v in spec if isinstance(v, tuple) for s in v]
    names = _class_names(selectors) | {"legende", "lireAussi", "rte", "content", "titre", "chapo", "actusMaster"}
    assert {"rte", "chapo", "lireAussi", "figureContain", "dateInfo", "voirActus"} <= names
    for module in PARSER_MODULES:
        for literal in _string_literals(SRC / module):
            for name in names:
                assert not re.search(rf"[.#]{re.escape(name)}\b", literal), f"{module}: {literal!r} names .{name}"


def _string_literals(path: Path) -> list[str]:
    """The string constants of a module's code (docstrings left out: they may cite the site)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_parser_modules_do_not_slice_the_selector_lists():
    for module in PARSER_MODULES:
        source = (SRC / module).read_text(encoding="utf-8")
        assert not re.search(r"\b(LILLE|GENERIC)\.\w+\[", source), module


def test_known_and_generic_specs_have_the_same_fields():
    assert type(site.LILLE) is type(site.GENERIC) is site.MarkupSpec
    assert dict(site.LAYERS) == {Layer.KNOWN: site.LILLE, Layer.GENERIC: site.GENERIC}


def test_furniture_css_and_regex_come_from_one_vocabulary():
    css, regex = site.FURNITURE.css(), site.FURNITURE.regex().pattern
    for word in site.FURNITURE.words + site.FURNITURE.tokens:
        assert f"[class*={word} i]" in css + site.FURNITURE.maybe_css()
        assert f"[id*={word} i]" in css + site.FURNITURE.maybe_css()
        assert word in regex
    for tag in site.FURNITURE.tags:
        assert tag in css.split(", ")
    assert css == site.FURNITURE_CSS


@pytest.mark.parametrize(
    ("attrs", "chrome"),
    [
        ('class="sousMenu"', True),
        ('class="fil-ariane"', True),
        ('id="cookie-banner"', True),
        ('class="main-nav"', True),
        ('class="nav"', True),
        ('role="navigation"', True),
        ('role="banner"', True),
        ('class="navette"', False),
        ('class="article"', False),
        ('class="headerless-note"', False),
    ],
)
def test_furniture_test_and_css_agree(attrs, chrome):
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(f"<body><div {attrs}><p>x</p></div></body>")
    node = tree.css_first("div")
    assert is_chrome(node) is chrome
    # The CSS preselects (in C) a superset; the same rule then confirms each match.
    assert is_furniture(node) is chrome
    sure, maybe = tree.css(site.FURNITURE_CSS), tree.css(site.FURNITURE_MAYBE_CSS)
    assert node in sure or node in maybe or not chrome
    assert node not in sure or chrome


def _article_page(head: str = "", content: str = "", outside: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{outside}<div class='content'><h1>Titre</h1>{content}"
        "<div class='rte'><p>Texte.</p></div></div></body></html>"
    )


META = '<meta property="article:published_time" content="2021-01-03">'
DATE_INFO = '<div class="dateInfo"><span>Le 1 janvier 2021</span></div>'


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # 1. lille.fr's date line wins over everything, even outside the content area
        (_article_page(META, "<time datetime='2021-01-02'>x</time>", DATE_INFO), ("2021-01-01", K)),
        # 2. a <time> of the content area before the meta tags
        (_article_page(META, "<time datetime='2021-01-02'>x</time>"), ("2021-01-02", G)),
        # 3. the meta tags before a <time> elsewhere in the page
        (_article_page(META, "", "<time datetime='2021-01-04'>x</time>"), ("2021-01-03", G)),
        # 5. a <time> elsewhere, last of the markup layers
        (_article_page("", "", "<time datetime='2021-01-04'>x</time>"), ("2021-01-04", G)),
        # 6. "Publié le" in the text
        (_article_page("", "<p>Publié le 5 janvier 2021.</p>"), ("2021-01-05", G)),
        (_article_page(), (None, N)),
    ],
)
def test_date_layers_are_tried_in_their_numbered_order(page, expected):
    report = explain_article(page, ARTICLE_URL, today=TODAY)
    assert report.article is not None
    assert (report.article.dates.iso_start, report.fields["date"].layer) == expected
