"""The full-text index knows the quartiers (schema 4): each article's quartiers are
recorded as it is written (title, lead, listing summary, body), a quartier search is one
query, the user's words never match the quartier keys, a changed listing summary re-tags
the article, and a cache of schema 3 has its articles tagged once, nothing lost and its
full-text index untouched."""

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
        SITE + "a": ("lillemoulins",),
        SITE + "b": ("fives", "vieuxlille"),
        SITE + "c": (),
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
    for summary, keys in (("Un résumé à Wazemmes.", ("wazemmes",)), ("Un résumé à Lomme.", ("lomme",))):
        page = ListingPage(SITE, (Headline(SITE + "a", "Un titre", summary=summary),), None)
        cache.save_page(SITE, 0, page, etag=None, last_modified=None, fetched_at=1.0)
        assert cache.article_quartiers([SITE + "a"]) == {SITE + "a": keys}


def test_a_store_without_a_tagger_records_no_quartier(tmp_path):
    cache = Cache(tmp_path / "cache.db", lambda message: None)
    _save(cache, "a", "Fives", "Fives.")
    assert cache.article_quartiers([SITE + "a"]) == {SITE + "a": ()}
    assert _urls(cache, ["fives"]) == [SITE + "a"]


def _as_schema_3(path) -> None:
    """Make a cache of schema 4 the cache lillenews wrote at schema 3: without the quartiers'
    table and triggers (schema 4 only added them)."""
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%quartiers%'"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE article_quartiers")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def test_a_cache_of_schema_3_has_its_articles_tagged_once(tmp_path):
    untagged = Cache(tmp_path / "cache.db", lambda message: None)
    _save(untagged, "a", "Fête à Moulins", "Un bal.")
    _save(untagged, "b", "Fête", "Un bal.")
    untagged.close()
    _as_schema_3(tmp_path / "cache.db")
    fts = sqlite3.connect(tmp_path / "cache.db").execute("SELECT count(*) FROM search_fts").fetchone()
    warnings: list[str] = []
    cache = _cache(tmp_path, warnings)
    assert _urls(cache, ["bal"], ("lillemoulins",)) == [SITE + "a"]  # nothing lost, and tagged
    assert set(_urls(cache, ["bal"])) == {SITE + "a", SITE + "b"}
    assert warnings == ["updating the cache for this version of lillenews (indexing 2 articles, once)"]
    assert cache.read("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 4
    assert cache.read("SELECT count(*) FROM search_fts")[0] == fts
    cache.close()
    warnings.clear()
    again = _cache(tmp_path, warnings)
    _save(again, "c", "Fête à Fives", "Un bal.")  # the triggers are in place
    assert _urls(again, ["bal"], ("fives",)) == [SITE + "c"] and warnings == []


def test_a_cache_cleared_has_no_quartier_left(tmp_path):
    cache = _cache(tmp_path)
    _save(cache, "a", "Fête à Moulins", "Un bal.")
    cache.clear()
    assert cache.read("SELECT count(*) FROM article_quartiers") == [(0,)]


def test_a_quartier_costs_a_filter_not_a_query_per_article(tmp_path):
    """Counted in SQLite's own steps (not time): the quartier's articles filter the one MATCH;
    the MATCH is never run again for each of them."""
    cache = _cache(tmp_path)
    for n in range(300):
        _save(cache, f"a{n}", f"Fête {n} au centre-ville", "La fête de la ville.")
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    def work(keys: tuple[str, ...]) -> int:
        steps[0] = 0
        cache.conn.set_progress_handler(count, 100)
        try:
            assert len(_urls(cache, ["ville"], keys)) == 20
        finally:
            cache.conn.set_progress_handler(None, 100)
        return steps[0]

    assert work(("centre",)) < 3 * work(())
