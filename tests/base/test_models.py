"""Additive model changes (issue 8): a typed date range, a period's end date, the lead's source.
Old cached JSON (without the new keys) must still load, and what older code wrote is unchanged."""

from __future__ import annotations

import datetime
import json

from lillenews.base.models import Article, Block, DateRange, Headline, Image, Inline, Layer, Related

URL = "https://www.lille.fr/Actualites/Un-article"


def test_existing_fields_keep_their_order():
    assert Headline._fields[:6] == ("url", "title", "date", "category", "summary", "image")
    assert Article._fields[:8] == ("url", "title", "date", "category", "lead", "blocks", "images", "related")
    assert Headline(URL, "T").date_end is None
    assert Article(URL, "T").date_end is None and Article(URL, "T").lead_source == "page"


def test_dates_are_a_typed_range():
    h = Headline(URL, "T", date="2021-03-03", date_end="2021-03-28")
    assert h.dates == DateRange(datetime.date(2021, 3, 3), datetime.date(2021, 3, 28))
    assert h.dates.start == datetime.date(2021, 3, 3) and h.dates.end == datetime.date(2021, 3, 28)
    assert Headline(URL, "T", date="2021-03-03").dates == DateRange(datetime.date(2021, 3, 3), None)
    assert Headline(URL, "T").dates == DateRange(None, None)
    assert Article(URL, "T", date_end="2024-06-30").dates == DateRange(None, datetime.date(2024, 6, 30))
    assert Article(URL, "T", date="not a date").dates == DateRange(None, None)


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
    assert art.date_end is None and art.lead_source == "page" and art.blocks[0].text == "x"
    old_headline = {"url": URL, "title": "T", "date": None, "category": None, "summary": None, "image": None}
    assert Headline.from_dict(old_headline) == Headline(URL, "T")


def test_json_of_a_model_without_the_new_values_is_unchanged():
    art = Article(
        URL,
        "T",
        "2021-02-08",
        None,
        "L",
        (Block("paragraph", inlines=(Inline("x"),)),),
        (Image(URL + ".png"),),
        (Related("R", URL + "2"),),
    )
    assert list(art.to_dict()) == ["url", "title", "date", "category", "lead", "blocks", "images", "related"]
    assert list(Headline(URL, "T").to_dict()) == ["url", "title", "date", "category", "summary", "image"]


def test_new_values_round_trip_through_the_cache_json():
    art = Article(URL, "T", date="2021-03-03", date_end="2021-03-28", lead="L", lead_source="listing")
    back = Article.from_dict(json.loads(json.dumps(art.to_dict())))
    assert back == art and back.lead_source == "listing" and back.date_end == "2021-03-28"
    h = Headline(URL, "T", date="2021-03-03", date_end="2021-03-28")
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
