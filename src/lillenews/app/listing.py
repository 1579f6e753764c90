"""The listing walker: the news listing as an iterator of pages, each page fetched
through the cache (fresh copies used as is), following the site's pagination or,
where the page shows none, eZ Publish's `(offset)/N` addresses. `list`, `search`
and `sync` all read it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app.cached_fetch import Copy, Fetched, Through, cache_through
from lillenews.app.context import MAX_PAGES, Context
from lillenews.base.errors import FetchError, LayoutError, NotCachedError
from lillenews.base.i18n import N_, Message, _
from lillenews.base.models import Headline, ListingPage, Numbered
from lillenews.base.urls import same_site
from lillenews.store.cache import CachedPage

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Page

NOT_CACHED = N_("the news listing is not cached yet; run 'lillenews list' while online")


class ListingResult(NamedTuple):
    items: list[Numbered]
    complete: bool  # the whole listing (every page) is in `items`


class WalkedPage:
    """One page of the walk (a plain class: a dataclass costs ~1 ms at every start-up)."""

    __slots__ = ("index", "new", "page")

    def __init__(self, index: int, page: ListingPage, new: tuple[Headline, ...]) -> None:
        self.index = index  # 0 for the first page
        self.page = page
        self.new = new  # its headlines that no earlier page had, in order


class ListingWalk:
    """Iterate over the listing's pages, first to last (at most `max_pages`).

    After the loop, `complete` says whether the walk reached the listing's end
    (rather than a page limit, a failure, or a consumer that stopped early)."""

    def __init__(
        self, ctx: Context, *, refresh: bool = False, offline: bool = False, max_pages: int | None = None
    ) -> None:
        self.ctx = ctx
        self.refresh = refresh
        self.offline = offline
        self.max_pages = min(max_pages or MAX_PAGES, MAX_PAGES)
        self.complete = False

    def __iter__(self) -> Iterator[WalkedPage]:
        seen: set[str] = set()
        visited: set[str] = set()  # page URLs of this walk: a page met again is a loop, never re-saved elsewhere
        url: str | None = self.ctx.settings.listing_url
        guessed = False  # the URL was built from the (offset)/N scheme, not read from the page
        per_page = 0
        for index in range(self.max_pages):
            if url is None or url in visited:
                self.complete = True
                return
            visited.add(url)
            page, ended = self._page(index, url, guessed=guessed)
            if page is None:
                self.complete = ended  # a guessed page that does not exist: the listing ended
                return
            new = []
            for h in page.headlines:
                if h.url not in seen:
                    seen.add(h.url)
                    new.append(h)
            if index > 0 and not new:
                self.complete = True  # a page with nothing new: past the end
                return
            yield WalkedPage(index, page, tuple(new))
            per_page = per_page or len(page.headlines)
            url, guessed = self._next_url(page, index, per_page)

    def _next_url(self, page: ListingPage, index: int, per_page: int) -> tuple[str | None, bool]:
        if page.next_url:
            # Another host's "next page" is never followed (a page cached before this rule may hold one).
            return (page.next_url if same_site(page.next_url, self.ctx.settings.base_url) else None), False
        if page.has_pagination:
            return None, False  # a pagination block without a next link: last page
        # No pagination seen at all: build eZ Publish view-parameter URLs.
        return f"{self.ctx.settings.listing_url}/(offset)/{(index + 1) * per_page}", True

    def _page(self, index: int, url: str, *, guessed: bool) -> tuple[ListingPage | None, bool]:
        """The page at `url` (None when there is none) and whether that means the listing ended."""
        cached = self.ctx.cache.page(url)
        if self.offline:
            if cached is None and index == 0:
                raise NotCachedError(_(NOT_CACHED))  # i18n: marked with N_ above
            return (_as_listing(cached) if cached else None), False

        def past_the_end(exc: FetchError) -> bool:
            return guessed and (isinstance(exc, LayoutError) or exc.status == 404)

        copy = Copy(_as_listing(cached), cached.fetched_at, cached.etag, cached.last_modified) if cached else None
        fresh = cached is not None and not self.refresh and self.ctx.is_fresh(cached)
        try:
            got = cache_through(self.ctx, url, copy, self._through(index), fresh=fresh, no_fallback=past_the_end)
        except FetchError as exc:
            if past_the_end(exc):
                return None, True
            if index == 0:
                raise
            self.ctx.warn(_("{error}; showing the headlines fetched so far").format(error=exc))
            return None, False
        return got.value, False

    def _through(self, index: int) -> Through[ListingPage]:
        cache = self.ctx.cache

        def save(url: str, fetched: Fetched[ListingPage], now: float) -> object:
            page = fetched.value
            assert page is not None
            return cache.save_page(
                url, index, page, etag=fetched.etag, last_modified=fetched.last_modified, fetched_at=now
            )

        def touch(url: str, fetched: Fetched[ListingPage], now: float) -> object:
            return cache.touch_page(url, now, fetched.etag, fetched.last_modified)

        return Through(_listing_parser(self.ctx.settings.base_url, self.ctx.today()), save, touch)


def _listing_parser(site: str, today: datetime.date) -> Callable[[str, Page], ListingPage]:
    def parse(url: str, page: Page) -> ListingPage:
        from lillenews.site.news import parse_listing

        # The final URL: the page's links resolve against it.
        return on_site(parse_listing(page.text, page.url, today=today), site)

    return parse


def on_site(page: ListingPage, site: str) -> ListingPage:
    """`page` without the headlines and next link that point to another host or port:
    they are skipped, never stored, shown or fetched. LayoutError when nothing is left."""
    headlines = tuple(h for h in page.headlines if same_site(h.url, site))
    if page.headlines and not headlines:
        raise LayoutError(page.url, Message("no headlines on the configured site"))
    next_url = page.next_url if page.next_url and same_site(page.next_url, site) else None
    return page._replace(headlines=headlines, next_url=next_url)


def _as_listing(cached: CachedPage) -> ListingPage:
    return ListingPage(cached.url, cached.headlines, cached.next_url, cached.has_pagination)


def listing(
    ctx: Context,
    limit: int | None = 20,
    *,
    refresh: bool = False,
    offline: bool = False,
    unread_only: bool = False,
) -> ListingResult:
    """The first `limit` headlines (all when None), numbered, fetching the pages that
    are missing or stale. With `unread_only`, the first `limit` unread ones (reading
    further pages when needed)."""
    read = ctx.state.read_urls() if unread_only else set()
    walk = ListingWalk(ctx, refresh=refresh, offline=offline)
    collected: list[Headline] = []
    wanted = 0
    last: ListingPage | None = None
    for page in walk:
        collected.extend(page.new)
        last = page.page
        wanted += sum(1 for h in page.new if h.url not in read)
        if limit is not None and wanted >= limit:
            break
    numbered = [i for i in ctx.numbered(collected) if not (unread_only and i.read)]
    shown = numbered if limit is None else numbered[:limit]
    # Stopped at the limit on a page whose pagination shows no next page: nothing more exists.
    at_the_end = last is not None and last.has_pagination and not last.next_url and len(shown) == len(numbered)
    return ListingResult(shown, complete=walk.complete or at_the_end)
