"""The cache's side of search, through the real `Cache` class: the listing records first-
seen times and summaries, articles are indexed as they are written, `first_seen` dates
undated entries, `clear` empties the index but keeps first-seen times, and the full-text
hits carry what a result line shows."""

from __future__ import annotations

from lillenews.base.models import Article, Block, Headline, Image, Inline, ListingPage
from lillenews.store.cache import Cache
from lillenews.store.query import parse_full, parse_headline

SITE = "https://www.lille.fr/Actualites/"


def _cache(tmp_path):
    return Cache(tmp_path / "cache.db", warn=lambda message: None)


def _article(slug: str, title: str, text: str, **kw) -> Article:
    return Article(url=SITE + slug, title=title, blocks=(Block("paragraph", inlines=(Inline(text),)),), **kw)


def test_listing_and_articles_feed_the_index(tmp_path):
    cache = _cache(tmp_path)
    page = ListingPage(
        SITE, (Headline(SITE + "a", "Le vélo", summary="Une trottinette."), Headline(SITE + "b", "B")), None
    )
    cache.save_page(SITE, 0, page, etag=None, last_modified=None, fetched_at=100.0)
    art = _article(
        "a",
        "Le vélo",
        "Des pistes.",
        lead="Au cœur du quartier.",
        images=(Image("https://x/i.jpg", "Une girafe", "Le beffroi"),),
    )
    cache.save_article(SITE + "a", art, art.plain_text(), None, None, 200.0)
    for words, found in (
        (["trottinette"], True),
        (["coeur"], True),
        (["girafe"], True),
        (["beffroi"], True),
        (["pistes"], True),
        (["absent"], False),
    ):
        hits = cache.search_full(parse_full(words), 20, parse_headline(words))
        assert [h.url for h in hits] == ([SITE + "a"] if found else []), words
    [hit] = cache.search_full("velo", 20)
    assert (hit.title, hit.lead, hit.summary, hit.body) == (
        "Le vélo",
        "Au cœur du quartier.",
        "Une trottinette.",
        "Des pistes.",
    )
    # first seen: the listing's time for both headlines, kept when the page is saved again
    cache.save_page(
        SITE, 0, page._replace(headlines=page.headlines[:1]), etag=None, last_modified=None, fetched_at=300.0
    )
    assert cache.first_seen([SITE + "a", SITE + "b", SITE + "c"]) == {SITE + "a": 100.0, SITE + "b": 100.0}
    cache.clear()
    assert cache.search_full("velo", 20) == []
    assert cache.first_seen([SITE + "a"]) == {SITE + "a": 100.0}  # an undated entry keeps its time
    cache.close()


def test_an_article_read_before_its_listing_gets_its_own_first_seen(tmp_path):
    cache = _cache(tmp_path)
    art = _article("solo", "Solo", "Texte.")
    cache.save_article(SITE + "solo", art, art.plain_text(), None, None, 42.0)
    cache.save_article(SITE + "solo", art, art.plain_text(), None, None, 99.0)  # refetched: first seen stays
    assert cache.first_seen([SITE + "solo"]) == {SITE + "solo": 42.0}
    cache.close()


def test_the_index_vocabulary_is_made_for_a_full_text_search_only(tmp_path):
    # a warm list or read opens the cache without it (~0.7 ms at every start); --full makes it
    cache = _cache(tmp_path)
    cache.save_article(SITE + "a", _article("a", "Le vélo", "Des pistes."), "Des pistes.", None, None, 1.0)

    def vocabulary() -> bool:
        return bool(cache.read("SELECT 1 FROM sqlite_temp_master WHERE name = 'search_vocab'"))

    assert cache.article(SITE + "a") is not None and not vocabulary()
    assert cache.search_full(parse_full(["pistes"]), 20, parse_headline(["pistes"]))
    assert vocabulary()
