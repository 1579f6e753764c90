"""Unit tests of the listing walker (lillenews.app.listing): next links, (offset)
guessing, the end of the listing, page limits, freshness on an injected clock,
laziness, stale pages. An in-memory fetcher serves synthetic listing pages."""

from __future__ import annotations

import pytest
from fakes import BASE, Answer, Clock, FakeFetcher, settings
from synth_site import _page, listing_item_html, make_articles

from lillenews.app.context import Context
from lillenews.app.listing import ListingWalk, listing
from lillenews.base.errors import FetchError, NotCachedError

LISTING = BASE + "/Actualites"
ARTICLES = make_articles(30)
PER_PAGE = 10


def offset_url(n: int) -> str:
    return f"{LISTING}/(offset)/{n}"


def listing_page(items, *, next_path: str | None = None, pagination: bool = True) -> str:
    body = "\n".join(listing_item_html(a) for a in items)
    nav = ""
    if pagination:
        nav = '<div class="pagination"><span class="current">1</span>'
        if next_path:
            nav += f' <a class="next" href="{next_path}">Suivant</a>'
        nav += "</div>"
    return _page("Actualités", f'<h1>Actualités</h1><div class="actusMaster">{body}{nav}</div>')


def paginated_site() -> dict:
    """Three pages linked by rel-next style links at /Actualites?page=N."""
    routes = {}
    for p in range(3):
        url = LISTING if p == 0 else f"{LISTING}?page={p + 1}"
        nxt = f"/Actualites?page={p + 2}" if p < 2 else None
        items = ARTICLES[p * PER_PAGE : (p + 1) * PER_PAGE]
        routes[url] = Answer(text=listing_page(items, next_path=nxt), etag=f'"p{p}"')
    return routes


def offset_site() -> dict:
    """Three pages without any pagination block: the walker must guess (offset)/N."""
    routes = {}
    for p in range(3):
        url = LISTING if p == 0 else offset_url(p * PER_PAGE)
        items = ARTICLES[p * PER_PAGE : (p + 1) * PER_PAGE]
        routes[url] = Answer(text=listing_page(items, pagination=False), etag=f'"o{p}"')
    return routes


@pytest.fixture
def clock():
    return Clock()


def make_ctx(tmp_path, fetcher, clock, warnings=None) -> Context:
    return Context(
        settings(tmp_path), warn=(warnings if warnings is not None else []).append, now=clock, fetcher=fetcher
    )


def titles(pages) -> list[str]:
    return [h.title for page in pages for h in page.new]


def test_the_walker_follows_next_links_to_the_end(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock))
    pages = list(walk)
    assert [p.index for p in pages] == [0, 1, 2]
    assert titles(pages) == [a.title for a in ARTICLES]
    assert fetcher.urls() == [LISTING, f"{LISTING}?page=2", f"{LISTING}?page=3"]
    assert walk.complete


def test_without_pagination_the_walker_guesses_offsets_until_a_404(tmp_path, clock):
    fetcher = FakeFetcher(offset_site())
    warnings: list[str] = []
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock, warnings))
    pages = list(walk)
    assert titles(pages) == [a.title for a in ARTICLES]
    assert fetcher.urls() == [LISTING, offset_url(10), offset_url(20), offset_url(30)]
    assert walk.complete, "a guessed page that does not exist is the end of the listing"
    assert warnings == []


def test_a_guessed_page_with_nothing_new_ends_the_listing(tmp_path, clock):
    routes = offset_site()
    routes[offset_url(30)] = routes[offset_url(20)]  # the site repeats its last page
    fetcher = FakeFetcher(routes)
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock))
    assert len(list(walk)) == 3
    assert walk.complete
    assert fetcher.urls()[-1] == offset_url(30)


def test_max_pages_stops_the_walk_short_of_the_end(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    warnings: list[str] = []
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock, warnings), max_pages=2)
    assert len(list(walk)) == 2
    assert not walk.complete
    assert len(fetcher.requests) == 2
    assert warnings == []  # a limit the caller asked for (sync --pages) is no surprise


def test_the_page_cap_stops_the_news_walk_with_a_warning(tmp_path, clock, monkeypatch):
    from lillenews.app import walker

    monkeypatch.setattr(walker, "MAX_PAGES", 2)
    fetcher = FakeFetcher(paginated_site())
    warnings: list[str] = []
    result = listing(make_ctx(tmp_path, fetcher, clock, warnings), None)
    assert len(result.items) == 2 * PER_PAGE and not result.complete
    assert fetcher.urls() == [LISTING, f"{LISTING}?page=2"]
    assert len(warnings) == 1 and "stopped after 2 pages" in warnings[0] and "?page=3" in warnings[0]


def test_a_news_page_linking_back_to_the_first_is_asked_for_once(tmp_path, clock):
    routes = paginated_site()
    routes[f"{LISTING}?page=2"] = Answer(text=listing_page(ARTICLES[10:20], next_path="/Actualites"), etag='"p1"')
    fetcher = FakeFetcher(routes)
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock), refresh=True)
    assert [p.index for p in walk] == [0, 1] and walk.complete
    assert fetcher.urls() == [LISTING, f"{LISTING}?page=2"]


def test_the_walk_is_lazy_a_consumer_that_stops_fetches_no_more(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    walk = ListingWalk(make_ctx(tmp_path, fetcher, clock))
    first = next(iter(walk))
    assert first.index == 0 and len(first.new) == PER_PAGE
    assert fetcher.urls() == [LISTING]
    assert not walk.complete


def test_listing_numbers_and_limits_across_pages(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    result = listing(make_ctx(tmp_path, fetcher, clock), 15)
    assert [i.number for i in result.items] == list(range(1, 16))
    assert [i.headline.title for i in result.items] == [a.title for a in ARTICLES[:15]]
    assert not result.complete
    assert len(fetcher.requests) == 2  # the third page was not needed


def test_fresh_pages_are_reused_until_they_age_then_revalidated(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    ctx = make_ctx(tmp_path, fetcher, clock)
    list(ListingWalk(ctx))
    fetcher.requests.clear()

    clock.advance(14 * 60)  # listing_max_age is 15 minutes
    assert titles(ListingWalk(ctx)) == [a.title for a in ARTICLES]
    assert fetcher.requests == [], "a fresh cached listing was fetched again"

    clock.advance(2 * 60)
    assert titles(ListingWalk(ctx)) == [a.title for a in ARTICLES]
    # Stale: asked again, conditionally; the server's 304 keeps the cached pages ...
    assert [etag for _, etag, _ in fetcher.requests] == ['"p0"', '"p1"', '"p2"']
    fetcher.requests.clear()
    # ... and makes them fresh again.
    assert len(list(ListingWalk(ctx))) == 3 and fetcher.requests == []


def test_refresh_asks_even_when_fresh(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    ctx = make_ctx(tmp_path, fetcher, clock)
    list(ListingWalk(ctx))
    fetcher.requests.clear()
    list(ListingWalk(ctx, refresh=True))
    assert len(fetcher.requests) == 3


def test_an_unreachable_site_serves_the_cached_pages_with_one_warning(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    warnings: list[str] = []
    ctx = make_ctx(tmp_path, fetcher, clock, warnings)
    list(ListingWalk(ctx))
    clock.advance(3600)
    fetcher.routes = {url: FetchError(url, "the site did not answer") for url in fetcher.routes}
    walk = ListingWalk(ctx)
    assert titles(walk) == [a.title for a in ARTICLES]
    assert walk.complete
    assert len(warnings) == 1 and "showing the copy cached 1 hour ago" in warnings[0]


def test_a_later_page_that_fails_with_nothing_cached_ends_the_walk_with_a_warning(tmp_path, clock):
    routes = paginated_site()
    routes[f"{LISTING}?page=2"] = FetchError(f"{LISTING}?page=2", "the server answered 500", status=500)
    warnings: list[str] = []
    walk = ListingWalk(make_ctx(tmp_path, FakeFetcher(routes), clock, warnings))
    assert titles(walk) == [a.title for a in ARTICLES[:PER_PAGE]]
    assert not walk.complete
    assert len(warnings) == 1 and warnings[0].endswith("showing the headlines fetched so far")


def test_the_first_page_failing_with_nothing_cached_is_an_error(tmp_path, clock):
    routes = {LISTING: FetchError(LISTING, "the server answered 503", status=503)}
    with pytest.raises(FetchError):
        list(ListingWalk(make_ctx(tmp_path, FakeFetcher(routes), clock)))


def test_offline_reads_only_the_cache(tmp_path, clock):
    fetcher = FakeFetcher(paginated_site())
    ctx = make_ctx(tmp_path, fetcher, clock)
    with pytest.raises(NotCachedError):
        list(ListingWalk(ctx, offline=True))
    assert fetcher.requests == []
    list(ListingWalk(ctx, max_pages=2))
    fetcher.requests.clear()
    clock.advance(86400)  # however old
    walk = ListingWalk(ctx, offline=True)
    assert titles(walk) == [a.title for a in ARTICLES[:20]]
    assert fetcher.requests == [] and not walk.complete
