"""News pages in the agenda-evidenced markup (tests/fixtures/make_news_evidence.py):
date ranges (start and end, the right year), photo credits out of the body, truncated
summaries marked and never a lead, slugs with a de-duplication digit, news of other sections."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import pathlib

import pytest
from conftest import run_in_process
from server import FixtureServer

from lillenews.base.dates import NEWS_AHEAD, parse_day
from lillenews.site.news import parse_article, parse_listing

TODAY = dt.date(2026, 11, 27)  # the day the evidence pages were captured (their Last-Modified)

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_news_evidence", FIXTURES / "make_news_evidence.py")
ne = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ne)  # type: ignore[union-attr]

SITE = "https://www.lille.fr"
PAGES = ne.all_pages()


def test_fixture_files_are_up_to_date():
    for path, name in ne.ROUTES:
        assert (FIXTURES / "news_evidence" / name).read_text(encoding="utf-8") == PAGES[path], name


@pytest.fixture(scope="module")
def headlines():
    first = parse_listing(PAGES["/Actualites"], SITE + "/Actualites", today=TODAY)
    assert first.next_url == SITE + "/Actualites/(offset)/10"
    second = parse_listing(PAGES["/Actualites/(offset)/10"], SITE + "/Actualites/(offset)/10", today=TODAY)
    return {h.url.removeprefix(SITE): h for h in first.headlines + second.headlines}


def test_every_item_of_the_evidenced_markup_is_listed(headlines):
    assert list(headlines) == [path for path, *_ in ne.ITEMS]
    for path, title, category, _date, summary in ne.ITEMS:
        h = headlines[path]
        assert (h.title, h.category, h.summary) == (title, category, summary)  # strong inside p.event-type


@pytest.mark.parametrize(
    "path, date, date_end",
    [
        # the wrong-year bug: the start of a period takes the year of its end, not today's
        ("/Actualites/Lille-se-metamorphose-avec-vous", "2024-07-10", "2024-08-07"),
        ("/Braderie-de-Lille/Actualites/Braderie-achetez-l-affiche-officielle", "2024-06-01", "2024-10-26"),
        ("/Actualites/Fetes-de-fin-d-annee", "2024-12-28", "2025-01-03"),
        ("/Actualites/Lille-Sud", "2024-08-01", None),
        ("/Actualites/Budget-2026", "2026-01-01", "2026-02-28"),  # a period line "Janvier - février 2026"
        ("/Mairie-de-Lille/Actualites/Comprendre-la-qualite-de-l-air-a-Lille", None, None),  # empty date text
    ],
)
def test_listing_dates_are_ranges(headlines, path, date, date_end):
    h = headlines[path]
    assert (h.dates.iso_start, h.dates.iso_end) == (date, date_end)
    assert h.dates == (
        dt.date.fromisoformat(date) if date else None,
        dt.date.fromisoformat(date_end) if date_end else None,
    )


@pytest.mark.parametrize("today", [dt.date(2026, 11, 27), dt.date(2024, 6, 14), dt.date(2030, 1, 1)])
def test_parse_date_wrong_year_bug(today):
    def first_day(text: str) -> str:
        return parse_day(text, today=today, ahead=NEWS_AHEAD).isoformat()

    assert first_day("Du 1 juin au 26 octobre 2024") == "2024-06-01"
    assert first_day("Du 10 juillet au 7 août 2024") == "2024-07-10"
    assert first_day("Du 28 décembre au 3 janvier 2025") == "2024-12-28"


def test_truncated_summaries_are_marked(headlines):
    marked = {path for path, h in headlines.items() if h.summary_truncated}
    assert marked == {ne.SECURITE_PATH, "/Actualites/Fetes-de-fin-d-annee"}  # "..." and "…"
    assert headlines[ne.SECURITE_PATH].to_dict()["summary_truncated"] is True
    assert "summary_truncated" not in headlines["/Actualites/Lille-Sud"].to_dict()  # stored as it always was


def test_dedup_digit_slugs_are_two_articles(headlines):
    one, two = headlines["/Actualites/Lille-Sud"], headlines["/Actualites/Lille-Sud2"]
    assert one.title == two.title and one.url != two.url and one.dates.iso_start != two.dates.iso_start
    a1 = parse_article(PAGES["/Actualites/Lille-Sud"], SITE + "/Actualites/Lille-Sud", today=TODAY)
    a2 = parse_article(PAGES["/Actualites/Lille-Sud2"], SITE + "/Actualites/Lille-Sud2", today=TODAY)
    assert "Le parc de la Mitterie ouvre ses portes." in a2.plain_text()
    assert "Mitterie" not in a1.plain_text()


def test_photo_credits_go_to_the_figure_never_the_body():
    article = parse_article(PAGES[ne.SECURITE_PATH], SITE + ne.SECURITE_PATH, today=TODAY)
    assert [(i.caption, i.credit) for i in article.images] == [(None, "Thomas Lo Presti")]
    text = article.plain_text()
    assert "Crédit" not in text and "Thomas Lo Presti" not in text and "Ville de Lille" not in text
    assert text.startswith("La Ville a décidé d’étendre son système de vidéoprotection")
    assert article.lead == ne.SECURITE_LEAD  # the page's chapô, never the listing's cut summary
    assert (article.dates.iso_start, article.dates.iso_end) == ("2021-02-05", None)


def test_body_credit_goes_to_the_image_before_it():
    html = """<html><body><div class="content"><h1>Titre</h1><div class="rte">
      <p>Premier paragraphe assez long pour être du texte.</p><p><img src="/a.jpg" alt="A"></p>
      <p>Crédit : Jean Dupont</p><p>Suite du texte de l'article.</p></div></div></body></html>"""
    article = parse_article(html, SITE + "/Actualites/Titre", today=TODAY)
    assert [(i.url, i.credit) for i in article.images] == [(SITE + "/a.jpg", "Jean Dupont")]
    assert "Jean Dupont" not in article.plain_text()


def test_article_period_line():
    article = parse_article(PAGES["/Actualites/Budget-2026"], SITE + "/Actualites/Budget-2026", today=TODAY)
    assert (article.dates.iso_start, article.dates.iso_end) == ("2026-01-01", "2026-02-28")


# ---------------------------------------------------------------------------- end to end
@pytest.fixture
def evidence_cli(dirs, monkeypatch):
    with FixtureServer() as srv:
        for path, html in PAGES.items():
            srv.route(path, html)
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        yield srv


def ok(*args: str):
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_list_and_read_other_sections_and_dedup_slugs(evidence_cli):
    listed = json.loads(ok("list", "--all", "--json").stdout)
    base = evidence_cli.base_url
    assert [h["url"] for h in listed] == [base + path for path, *_ in ne.ITEMS]
    by_path = {h["url"].removeprefix(base): h for h in listed}
    metamorphose = by_path["/Actualites/Lille-se-metamorphose-avec-vous"]
    assert (metamorphose["date"], metamorphose["date_end"]) == ("2024-07-10", "2024-08-07")
    assert by_path[ne.SECURITE_PATH]["summary_truncated"] is True
    mairie = ne.ITEMS.index(next(i for i in ne.ITEMS if i[0].startswith("/Mairie-de-Lille/")))
    read = json.loads(ok("read", str(mairie + 1), "--json").stdout)
    assert read["title"] == "Comprendre la qualité de l'air à Lille"
    by_url = json.loads(ok("read", base + "/Braderie-de-Lille/Actualites/Braderie-achetez-l-affiche-officielle",
                           "--json").stdout)  # fmt: skip
    assert by_url["number"] == 5
    two = json.loads(ok("read", "3", "--json").stdout)
    assert two["url"] == base + "/Actualites/Lille-Sud2" and "Mitterie" in two["text"]
    securite = json.loads(ok("read", base + ne.SECURITE_PATH, "--json").stdout)
    assert securite["images"][0]["credit"] == "Thomas Lo Presti"
    assert "Crédit" not in securite["text"]


def test_feed_uses_the_lead_not_a_truncated_summary(evidence_cli):
    ok("list", "--all")
    ok("read", evidence_cli.base_url + ne.SECURITE_PATH)
    feed = ok("feed").stdout
    entry = feed[feed.index(f"<id>{evidence_cli.base_url}{ne.SECURITE_PATH}</id>") :]
    summary = entry[entry.index("<summary>") : entry.index("</summary>")]
    assert "..." not in summary and "dévoilés." in summary


def test_a_stray_comment_end_before_deep_nesting_does_not_crash():
    # found by test_random_html's random pages: "-->" outside a comment gave an empty tag name
    from lillenews.site.nesting import cap_nesting

    html = "-->" + "<div>" * 2000 + "x"
    assert cap_nesting(html).endswith("x")


def test_a_summary_cut_with_a_bracketed_ellipsis_is_marked_for_news_and_events():
    from test_event_parser import PAGES as EVENT_PAGES

    from lillenews.site.events import parse_event_listing

    news = PAGES["/Actualites"].replace("...</p>", " […]</p>")
    assert "[…]" in news
    bracketed = [
        h for h in parse_listing(news, SITE + "/Actualites", today=TODAY).headlines if h.summary.endswith("[…]")
    ]
    assert bracketed and all(h.summary_truncated for h in bracketed)
    agenda = EVENT_PAGES["/Evenements"].replace("...</p>", " [...]</p>")
    bracketed = [
        e for e in parse_event_listing(agenda, SITE + "/Evenements", today=TODAY).events if e.summary.endswith("[...]")
    ]
    assert bracketed and all(e.truncated for e in bracketed)
