"""Additive model changes: a typed date range, a period's end date, the lead's source.
Old cached JSON (without the new keys) must still load, and what older code wrote is unchanged."""

from __future__ import annotations

import datetime
import json

from lillenews.base.event_models import Event
from lillenews.base.models import NO_DATES, Article, Block, DateRange, Headline, Image, Inline, Layer, Related

URL = "https://www.lille.fr/Actualites/Un-article"


MARCH = DateRange(datetime.date(2021, 3, 3), datetime.date(2021, 3, 28))  # "Du 3 au 28 mars 2021"


def test_existing_fields_keep_their_order():
    assert Headline._fields[:6] == ("url", "title", "dates", "category", "summary", "image")
    assert Article._fields[:8] == ("url", "title", "dates", "category", "lead", "blocks", "images", "related")
    assert Headline(URL, "T").dates == Article(URL, "T").dates == NO_DATES == DateRange(None, None)
    assert Article(URL, "T").lead_source == "page"


def test_news_and_events_share_one_date_range():
    assert Headline(URL, "T", MARCH).dates is MARCH and Article(URL, "T", MARCH).dates is MARCH
    assert Event(URL, "T", MARCH).dates is MARCH
    assert Headline(URL, "T", MARCH).to_dict()["date"] == Event(URL, "T", MARCH).to_dict()["date"] == "2021-03-03"
    assert Headline(URL, "T", MARCH).to_dict()["date_end"] == Event(URL, "T", MARCH).to_dict()["date_end"]


def test_a_date_range_reads_and_writes_iso_days_only():
    assert DateRange.from_iso("2021-03-03", "2021-03-28") == MARCH
    assert (MARCH.iso_start, MARCH.iso_end) == ("2021-03-03", "2021-03-28")
    assert DateRange.from_iso(None, "2024-06-30") == DateRange(None, datetime.date(2024, 6, 30))
    for junk in ("not a date", "2021-02-30", "20210303", "2021-03-03T10:00", 20210303, "２０２１-03-03"):
        assert DateRange.from_iso(junk, junk) == NO_DATES, junk
    assert (NO_DATES.iso_start, NO_DATES.iso_end) == (None, None)


def test_old_cached_json_without_the_new_keys_still_loads():
    old_article = {
        "url": URL,
        "title": "T",
        "date": "2021-02-08",
        "category": None,
        "lead": "L",
        "blocks": [{"kind": "paragraph", "inlines": [{"text": "x", "href": None, "strong": False, "em": False}]}],
        "images": [{"url": URL + ".png", "alt": None, "caption": None}],
        "related": [{"title": "R", "url": URL + "2", "summary": None}],
    }
    art = Article.from_dict(old_article)
    assert art.dates == DateRange(datetime.date(2021, 2, 8), None)
    assert art.lead_source == "page" and art.blocks[0].text == "x"
    old_headline = {"url": URL, "title": "T", "date": None, "category": None, "summary": None, "image": None}
    assert Headline.from_dict(old_headline) == Headline(URL, "T")


def test_json_of_a_model_without_the_new_values_is_unchanged():
    art = Article(
        URL,
        "T",
        DateRange(datetime.date(2021, 2, 8), None),
        None,
        "L",
        (Block("paragraph", inlines=(Inline("x"),)),),
        (Image(URL + ".png"),),
        (Related("R", URL + "2"),),
    )
    assert list(art.to_dict()) == ["url", "title", "date", "category", "lead", "blocks", "images", "related"]
    assert list(Headline(URL, "T").to_dict()) == ["url", "title", "date", "category", "summary", "image"]
    period = Headline(URL, "T", MARCH, summary_truncated=True).to_dict()
    assert list(period) == ["url", "title", "date", "category", "summary", "image", "date_end", "summary_truncated"]


def test_new_values_round_trip_through_the_cache_json():
    art = Article(URL, "T", MARCH, lead="L", lead_source="listing")
    back = Article.from_dict(json.loads(json.dumps(art.to_dict())))
    assert back == art and back.lead_source == "listing" and back.dates.end == datetime.date(2021, 3, 28)
    h = Headline(URL, "T", MARCH)
    assert Headline.from_dict(json.loads(json.dumps(h.to_dict()))) == h


def test_an_unknown_lead_source_reads_as_page():
    assert Article.from_dict({"url": URL, "title": "T", "lead_source": "elsewhere"}).lead_source == "page"


def test_layer_names():
    assert [layer.value for layer in Layer] == ["known", "generic", "none"]


def test_a_block_keeps_its_credit_in_the_cache_and_a_credit_less_one_is_stored_as_before():
    credited = Block("image", url="https://www.lille.fr/a.jpg", caption="La place", credit="Jean Dupont")
    plain = Block("image", url="https://www.lille.fr/b.jpg")
    article = Article("https://www.lille.fr/Actualites/A", "A", blocks=(credited, plain))
    d = json.loads(json.dumps(article.to_dict()))
    assert d["blocks"][0]["credit"] == "Jean Dupont" and "credit" not in d["blocks"][1]
    assert Article.from_dict(d) == article
