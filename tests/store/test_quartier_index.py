"""The full-text index knows the quartiers (schema 4): each article's quartiers are
recorded as it is written (title, lead, listing summary, body), a quartier search is one
MATCH, the user's words never match the quartier keys, a changed listing summary re-tags
the article, and a cache of schema 3 is reindexed once, nothing lost."""

from __future__ import annotations

import sqlite3

from lillenews.app.context import _index_quartiers
from lillenews.base.models import Article, Block, Headline, Inline, ListingPage
from lillenews.store.cache import SCHEMA_VERSION, Cache
from lillenews.store.query import QueryError, parse_full, parse_headline

SITE = "https://www.lille.fr/Actualites/"


def _cache(tmp_path, warnings=None):
    return Cache(tmp_path / "cache.db", ([] if warnings is None else warnings).append, quartiers=_index_quartiers)


def _save(cache: Cache, slug: str, title: str, text: str, lead: str | None = None) -> None:
    art = Article(url=SITE + slug, title=title, lead=lead, blocks=(Block("paragraph", inlines=(Inline(text),)),))
    cache.save_article(SITE + slug, art, art.plain_text(), None, None, 100.0)


def _urls(cache: Cache, words: list[str], keys: tuple[str, ...] = ()) -> list[str]:
    try:
        headline = parse_headline(words)
    except QueryError:  # FTS5 operators: the full-text query alone
        headline = None
    return [h.url for h in cache.search_full(parse_full(words), 20, headline, quartiers=keys)]


def test_an_article_is_tagged_from_its_title_lead_and_body(tmp_path):
    cache = _cache(tmp_path)
    _save(cache, "a", "La fête à Moulins", "Un bal.")
    _save(cache, "b", "La fête", "Un bal à Fives.", lead="Au Vieux-Lille aussi.")
    _save(cache, "c", "La fête des moulins à eau", "Un bal.")
    assert cache.article_quartiers([SITE + "a", SITE + "b", SITE + "c", SITE + "none"]) == {
        SITE + "a": "lillemoulins",
        SITE + "b": "fives vieuxlille",
        SITE + "c": "",
    }
    assert _urls(cache, ["fete"], ("lillemoulins",)) == [SITE + "a"]
    assert set(_urls(cache, ["fete"], ("lillemoulins", "fives"))) == {SITE + "a", SITE + "b"}
    assert set(_urls(cache, ["fete"])) == {SITE + "a", SITE + "b", SITE + "c"}
    assert _urls(cache, ["absent"], ("fives",)) == []


def test_every_operator_is_kept_to_the_text_and_filtered_by_quartier(tmp_path):
    cache = _cache(tmp_path)
    _save(cache, "a", "Vélo et tram", "Le parc de Pellevoisin.")
    _save(cache, "b", "Vélo", "Une piste cyclable à Saint-Maurice, dans le parc.")
    _save(cache, "c", "Saint-Valentin", "Le parc de Wazemmes.")
    key = ("saintmauricepellevoisin",)
    # `saint*` is a word of the text only: the key "saintmauricepellevoisin" never matches it
    assert set(_urls(cache, ["saint*"])) == {SITE + "b", SITE + "c"}
    assert _urls(cache, ["saint*"], key) == [SITE + "b"]
    assert set(_urls(cache, ["velo OR valentin"], key)) == {SITE + "a", SITE + "b"}
    assert _urls(cache, ["velo NOT tram"], key) == [SITE + "b"]
    assert _urls(cache, ["NEAR(piste parc, 9)"], key) == [SITE + "b"]
    assert _urls(cache, ['"piste cyclable"'], key) == [SITE + "b"]
    assert _urls(cache, ["velo", "-tram"], key) == [SITE + "b"]


def test_headline_matches_found_inside_words_are_filtered_too(tmp_path):
    """`search --full` adds the headline search's matches inside words (`ille` in « Lille »)
    after the ranked ones: with a quartier, only those of the quartier."""
    cache = _cache(tmp_path)
    page = ListingPage(SITE, (Headline(SITE + "a", "Lille à Fives"), Headline(SITE + "b", "Lille ailleurs")), None)
    cache.save_page(SITE, 0, page, etag=None, last_modified=None, fetched_at=1.0)
    _save(cache, "a", "Lille à Fives", "Texte.")
    _save(cache, "b", "Lille ailleurs", "Texte.")
    assert set(_urls(cache, ["ille"])) == {SITE + "a", SITE + "b"}
    assert _urls(cache, ["ille"], ("fives",)) == [SITE + "a"]


def test_a_changed_listing_summary_tags_the_article_again(tmp_path):
    cache = _cache(tmp_path)
    _save(cache, "a", "Un titre", "Un texte.")
    for summary, keys in (("Un résumé à Wazemmes.", "wazemmes"), ("Un résumé à Lomme.", "lomme")):
        page = ListingPage(SITE, (Headline(SITE + "a", "Un titre", summary=summary),), None)
        cache.save_page(SITE, 0, page, etag=None, last_modified=None, fetched_at=1.0)
        assert cache.article_quartiers([SITE + "a"]) == {SITE + "a": keys}


def test_a_store_without_a_tagger_records_no_quartier(tmp_path):
    cache = Cache(tmp_path / "cache.db", lambda message: None)
    _save(cache, "a", "Fives", "Fives.")
    assert cache.article_quartiers([SITE + "a"]) == {SITE + "a": ""}
    assert _urls(cache, ["fives"]) == [SITE + "a"]


# The cache of schema 3, as lillenews 3 wrote it: its index had no quartiers column.
_V3 = """
CREATE TABLE pages (url TEXT PRIMARY KEY, page_index INTEGER NOT NULL, fetched_at REAL NOT NULL, etag TEXT,
    last_modified TEXT, next_url TEXT, has_pagination INTEGER NOT NULL DEFAULT 0, headlines TEXT NOT NULL);
CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, fetched_at REAL NOT NULL, etag TEXT,
    last_modified TEXT, title TEXT NOT NULL, body TEXT NOT NULL, data TEXT NOT NULL, first_seen REAL);
CREATE TABLE listed (url TEXT PRIMARY KEY, first_seen REAL NOT NULL, summary TEXT);
CREATE TABLE search_text (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL UNIQUE,
    title TEXT, lead TEXT, summary TEXT, body TEXT);
CREATE VIRTUAL TABLE search_fts USING fts5(title, lead, summary, body, content='search_text', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE headline_tri USING fts5(head, mid, tokenize='trigram');
CREATE TRIGGER articles_search_ad AFTER DELETE ON articles BEGIN DELETE FROM search_text WHERE article_id = old.id; END;
"""


def test_a_cache_of_schema_3_is_reindexed_once_with_the_quartiers(tmp_path):
    import json

    path = tmp_path / "cache.db"
    old = sqlite3.connect(path)
    old.executescript(_V3)
    art = Article(url=SITE + "a", title="Fête à Moulins", blocks=(Block("paragraph", inlines=(Inline("Un bal."),)),))
    old.execute(
        "INSERT INTO articles (url, fetched_at, title, body, data, first_seen) VALUES (?, 1, ?, ?, ?, 1)",
        (art.url, art.title, art.plain_text(), json.dumps(art.to_dict())),
    )
    old.execute("INSERT INTO search_text VALUES (1, 1, 'fete a moulins', NULL, NULL, 'un bal')")
    old.execute("PRAGMA user_version = 3")
    old.commit()
    old.close()
    warnings: list[str] = []
    cache = _cache(tmp_path, warnings)
    assert cache.article(SITE + "a").article == art  # nothing lost
    assert _urls(cache, ["bal"], ("lillemoulins",)) == [SITE + "a"]
    assert warnings == ["updating the cache for this version of lillenews (indexing 1 articles, once)"]
    assert cache.read("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
    cache.close()
    warnings.clear()
    again = _cache(tmp_path, warnings)
    assert _urls(again, ["bal"], ("lillemoulins",)) == [SITE + "a"] and warnings == []
