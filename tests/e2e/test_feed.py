"""`lillenews feed` end to end: a feed other programs can trust. Validated by the RFC 4287
RELAX NG schema (tests/feedcheck.py) and feedparser; stable across runs; ASCII URIs;
figures and « Lire aussi » in the content; rel="self"; --category."""

from __future__ import annotations

import re
import time

import pytest
from conftest import run_in_process
from feedcheck import check_feed
from server import FixtureServer
from synth_site import PAGE_PATHS, article_html, listing_html, listing_item_html, make_articles

cli = run_in_process

UNDATED_N, ACCENT_N, FIGURE_N = 2, 3, 4
ACCENT_PATH = "/Actualites/Propreté-des-rues-signalez"


def _undated(html: str) -> str:
    return re.sub(r'\s*<div class="dateInfo">.*?</div>', "", html, flags=re.S)


@pytest.fixture
def synced(dirs, monkeypatch):
    with FixtureServer() as srv:
        arts = make_articles(6)
        arts[ACCENT_N - 1].path = ACCENT_PATH
        arts[ACCENT_N - 1].title = "Propreté des rues : signalez les dépôts"
        arts[FIGURE_N - 1].category = "Culture"
        items = [listing_item_html(a) for a in arts]
        items[UNDATED_N - 1] = _undated(items[UNDATED_N - 1])
        listing = listing_html(arts, 0, 1)
        for a, item in zip(arts, items, strict=True):
            listing = listing.replace(listing_item_html(a), item)
        srv.route(PAGE_PATHS[0], listing)
        for a in arts:
            html = article_html(a)
            if a.number == UNDATED_N:
                html = _undated(html)
            if a.number == FIGURE_N:
                html = html.replace(
                    '<div class="rte">',
                    '<div class="rte"><figure><img src="/images/velo.jpg" alt="Un vélo rouge">'
                    "<figcaption>Le vélo de l’année © Ville de Lille</figcaption></figure>",
                ).replace(
                    "    </div>\n",
                    '    </div>\n    <div class="lireAussi"><h2>Lire aussi</h2><ul><li>'
                    '<a href="/Actualites/Nouvelle-synthetique-01">La première nouvelle</a>'
                    "<p>Un résumé de la première.</p></li></ul></div>\n",
                    1,
                )
            srv.route(a.path, html)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        r = cli("sync")
        assert r.exit_code == 0, r.stderr
        yield srv, arts


def feed(*args: str) -> str:
    r = cli("feed", *args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_feed_is_valid_for_the_rfc_schema_and_feedparser(synced):
    parsed = check_feed(feed())
    assert len(parsed.entries) == 6


def test_two_runs_over_the_same_cache_are_byte_identical(synced, monkeypatch):
    first = feed()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    assert feed() == first


def test_an_undated_article_keeps_its_first_seen_time_and_the_feed_updated_is_the_newest_entry(synced):
    parsed = check_feed(feed())
    undated = parsed.entries[UNDATED_N - 1]
    assert "published" not in undated
    stamps = [e.updated for e in parsed.entries]
    assert parsed.feed.updated == max(stamps)


def test_ids_and_links_are_ascii_uris(synced):
    srv, _ = synced
    parsed = check_feed(feed())
    entry = parsed.entries[ACCENT_N - 1]
    assert entry.id == srv.base_url + "/Actualites/Propret%C3%A9-des-rues-signalez" == entry.link


def test_figures_and_related_summaries_are_in_the_content(synced):
    parsed = check_feed(feed())
    html = parsed.entries[FIGURE_N - 1].content[0].value
    assert 'alt="Un vélo rouge"' in html and "/images/velo.jpg" in html
    assert "<figcaption>Le vélo de l’année — Crédit : Ville de Lille</figcaption>" in html  # the credit, said once
    assert "La première nouvelle" in html and "Un résumé de la première." in html


def test_self_link(synced, tmp_path):
    xml = feed("--self-url", "https://exemple.fr/lille.atom")
    parsed = check_feed(xml)
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == ["https://exemple.fr/lille.atom"]
    assert 'rel="self"' not in feed()


def test_category(synced):
    parsed = check_feed(feed("--category", "culture"))
    assert [e.title for e in parsed.entries] == [synced[1][FIGURE_N - 1].title]
    r = cli("feed", "--category", "Astronomie")
    assert r.exit_code == 2 and "Culture" in r.stderr
