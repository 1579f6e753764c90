"""Unit tests of lillenews.app.search on an in-memory fetcher and an injected clock:
headline search (spans, refresh rules, offline) and full-text search (numbers of
listed and unlisted articles, query errors)."""

from __future__ import annotations

import pytest
from fakes import BASE, Answer, Clock, FakeFetcher, settings
from synth_site import VELO_TITLE_N, _page, article_html, listing_item_html, make_articles

from lillenews.app.context import SEARCH_MIN_HEADLINES, Context
from lillenews.app.search import HeadlineHit, search, search_full
from lillenews.base.errors import FetchError, NotCachedError, UsageError

LISTING = BASE + "/Actualites"
ARTICLES = make_articles(SEARCH_MIN_HEADLINES)


def routes() -> dict:
    items = "\n".join(listing_item_html(a) for a in ARTICLES)
    html = _page(
        "Actualités",
        f'<h1>Actualités</h1><div class="actusMaster">{items}'
        '<div class="pagination"><span class="current">1</span></div></div>',
    )
    out: dict = {LISTING: Answer(text=html, etag='"l"')}
    for a in ARTICLES:
        out[BASE + a.path] = Answer(text=article_html(a), etag=f'"{a.path}"')
    return out


@pytest.fixture
def clock():
    return Clock()


def test_search_refreshes_a_missing_listing_once_then_reads_the_cache(tmp_path, clock):
    fetcher = FakeFetcher(routes())
    ctx = Context(settings(tmp_path), now=clock, fetcher=fetcher)
    hits = search(ctx, ["vélo"])
    assert fetcher.urls() == [LISTING]
    assert hits and all(isinstance(h, HeadlineHit) for h in hits)
    velo = next(h for h in hits if h.item.number == VELO_TITLE_N)
    assert velo.item.headline.title == ARTICLES[VELO_TITLE_N - 1].title
    assert velo.title_spans, "the title's match is highlighted"
    fetcher.requests.clear()
    assert search(ctx, ["vélo"]) == hits
    assert fetcher.requests == [], "a fresh listing of 50 headlines is searched as cached"
    ctx.close()


def test_search_on_an_unreachable_site_searches_the_cache_with_a_warning(tmp_path, clock):
    fetcher = FakeFetcher(routes())
    warnings: list[str] = []
    ctx = Context(settings(tmp_path), warn=warnings.append, now=clock, fetcher=fetcher)
    expected = search(ctx, ["vélo"])
    clock.advance(3600)
    fetcher.routes = {LISTING: FetchError(LISTING, "the site did not answer")}
    assert search(ctx, ["vélo"]) == expected
    assert len(warnings) == 1 and "the site did not answer" in warnings[0]
    ctx.close()


def test_search_errors(tmp_path, clock):
    ctx = Context(settings(tmp_path), now=clock, fetcher=FakeFetcher(routes()))
    with pytest.raises(UsageError):
        search(ctx, ["  ", ""])
    with pytest.raises(NotCachedError):
        search(ctx, ["vélo"], offline=True)
    with pytest.raises(NotCachedError):
        search_full(ctx, ["vélo"])  # no article cached yet
    ctx.close()


def test_full_text_hits_keep_their_number_or_none_when_no_longer_listed(tmp_path, clock):
    fetcher = FakeFetcher(routes())
    ctx = Context(settings(tmp_path), now=clock, fetcher=fetcher)
    search(ctx, ["vélo"])  # caches the listing
    listed = ARTICLES[VELO_TITLE_N - 1]
    from lillenews.app.cached_fetch import article_through, cache_through

    cache_through(ctx, BASE + listed.path, None, article_through(ctx))
    unlisted_url = BASE + "/Actualites/Une-ancienne-actualite-velo"
    fetcher.routes[unlisted_url] = Answer(text=article_html(listed).replace(listed.title, "Ancienne actualité vélo"))
    cache_through(ctx, unlisted_url, None, article_through(ctx))

    found = {i.headline.url: i for i in search_full(ctx, ["vélo"])}
    assert found[BASE + listed.path].number == VELO_TITLE_N
    assert found[unlisted_url].number is None
    assert all("\x02" in (i.snippet or "") for i in found.values()), "matches are marked in the snippet"
    with pytest.raises(UsageError) as err:
        search_full(ctx, ['"vélo'])
    assert "invalid full-text query" in str(err.value)
    ctx.close()
