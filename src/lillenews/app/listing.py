"""The news listing as an iterator of pages, through the one walker (walker.py) and the
one rule for a listing page (cached_fetch.walked_page): fresh copies used as is, the
site's pagination followed or, where the page shows none, eZ Publish's `(offset)/N`
addresses. `list`, `search`, `sync` and the reader all read it."""

import datetime
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app import walker
from lillenews.app.cached_fetch import Fetched, Through, walked_page
from lillenews.app.context import Context
from lillenews.app.walker import DEFAULT_LIMIT, Next, Stop, Walk, Walked
from lillenews.base.i18n import N_, Message, _
from lillenews.base.models import Headline, ListingPage, Numbered
from lillenews.base.urls import same_site

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Page

NOT_CACHED = N_("the news listing is not cached yet; run 'lillenews list' while online")


class ListingResult(NamedTuple):
    items: list[Numbered]
    complete: bool  # the whole listing (every page) is in `items`


class ListingWalk:
    """The news listing's pages, first to last, through the one walker (walker.py): the
    site's next links, else the `(offset)/N` addresses. `complete` as `Walk.complete`."""

    def __init__(
        self,
        ctx: Context,
        *,
        refresh: bool = False,
        offline: bool = False,
        max_pages: int | None = None,
        strict: bool = False,
    ) -> None:
        self.ctx = ctx
        self.refresh = refresh
        self.offline = offline
        self.strict = strict  # a failed fetch raises, never serves a cached copy (`new`: nothing stale is new)
        self.per_page = 0  # headlines on the first page: the step of guessed offsets
        self.walk: Walk[ListingPage, Headline] = Walk(
            ctx.settings.listing_url, self._page, self._next, _headlines, warn=ctx.warn, max_pages=max_pages
        )

    @property
    def complete(self) -> bool:
        return self.walk.complete

    def __iter__(self) -> Iterator[Walked[ListingPage, Headline]]:
        return iter(self.walk)

    def _next(self, page: ListingPage, index: int) -> Next | None:
        self.per_page = self.per_page or len(page.headlines)
        if page.next_url:
            # Another host's "next page" is never followed (a page cached before this rule may hold one).
            return Next(page.next_url) if same_site(page.next_url, self.ctx.settings.base_url) else None
        if page.has_pagination:
            return None  # a pagination block without a next link: last page
        # No pagination seen at all: build eZ Publish view-parameter URLs.
        return Next(f"{self.ctx.settings.listing_url}/(offset)/{(index + 1) * self.per_page}", guessed=True)

    def _page(self, step: Next, index: int) -> ListingPage | Stop:
        return walked_page(
            self.ctx, step, index, self.ctx.cache.page(step.url), self._through(index),
            refresh=self.refresh, offline=self.offline,
            not_cached=_(NOT_CACHED),  # i18n: marked with N_ above
            so_far=_("{error}; showing the headlines fetched so far"), strict=self.strict,
        )  # fmt: skip

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


def _headlines(page: ListingPage) -> tuple[Headline, ...]:
    return page.headlines


def _listing_parser(site: str, today: datetime.date) -> "Callable[[str, Page], ListingPage]":
    def parse(url: str, page: "Page") -> ListingPage:
        from lillenews.site.news import parse_listing

        # The final URL: the page's links resolve against it.
        return on_site(parse_listing(page.text, page.url, today=today), site)

    return parse


def on_site(page: ListingPage, site: str) -> ListingPage:
    """`page` without the headlines and next link that point to another host or port
    (walker.on_site)."""
    headlines = walker.on_site(page.headlines, site, page.url, Message("no headlines on the configured site"))
    next_url = page.next_url if page.next_url and same_site(page.next_url, site) else None
    return page._replace(headlines=headlines, next_url=next_url)


def listing(
    ctx: Context,
    limit: int | None = DEFAULT_LIMIT,
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
