"""The events commands' use cases, wired to the shared context: every page goes through
the one cache-through-fetch rule (app/cached_fetch.py) with the news' fault handling, into
the events cache (store/events.py). The façade (app/facade.py LilleNews.events) builds one."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app.agenda import AgendaQuery, AgendaResult, all_categories, listing_url, upcoming
from lillenews.app.cached_fetch import Copy, Fetched, Through, cache_through
from lillenews.app.context import Context
from lillenews.base.dates import http_date
from lillenews.base.errors import FetchError, LayoutError, NotCachedError, UsageError
from lillenews.base.event_models import Category, EventListing, EventPage
from lillenews.base.i18n import Message, _
from lillenews.base.urls import same_site
from lillenews.site.markup import EVENT_MARKUP
from lillenews.store.events import FILE_NAME, EventCache

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Page


class EventResult(NamedTuple):
    page: EventPage
    number: int | None  # in the last events listing shown
    fetched_at: float
    from_cache: bool


class EventService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @cached_property
    def store(self) -> EventCache:
        return EventCache(self.ctx.settings.cache_dir / FILE_NAME, self.ctx.warn)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    @property
    def today(self) -> _dt.date:
        return self.ctx.today()

    # ------------------------------------------------------------------ listing
    def upcoming(self, query: AgendaQuery, *, refresh: bool = False, offline: bool = False) -> AgendaResult:
        """Upcoming events for `query`, numbered; the numbers are saved for `event N`."""

        def get(url: str, index: int) -> EventListing | None:
            return self.listing_page(url, index, refresh=refresh, offline=offline)

        def known() -> tuple[Category, ...]:
            return tuple(self.categories(refresh=refresh, offline=offline))

        result = upcoming(self.ctx.settings.base_url, query, get, today=self.today, categories=known)
        self.store.save_numbers([item.event.url for item in result.events])
        return result

    def categories(self, *, refresh: bool = False, offline: bool = False) -> list[Category]:
        """The categories of the agenda's first page (its filter links, with their IDs, and
        its events') and those known of the site (site.EVENT_MARKUP.categories)."""
        first = self.listing_page(listing_url(self.ctx.settings.base_url), 0, refresh=refresh, offline=offline)
        known, events = (first.categories, first.events) if first is not None else ((), ())
        return all_categories(known, events, EVENT_MARKUP.categories)

    def listing_page(self, url: str, index: int, *, refresh: bool, offline: bool) -> EventListing | None:
        """One listing page through the cache; None ends the walk (a later page missing)."""
        cached = self.store.listing(url)
        if offline:
            if cached is None and index == 0:
                raise NotCachedError(
                    _(
                        "the events listing {url} is not cached yet; run the same 'lillenews events' while online"
                    ).format(url=url)
                )
            return cached.listing if cached is not None else None
        copy = Copy(cached.listing, cached.fetched_at, cached.etag, cached.last_modified) if cached else None
        fresh = cached is not None and not refresh and self._is_fresh(cached.fetched_at)
        try:
            return cache_through(self.ctx, url, copy, self._listing_through(), fresh=fresh).value
        except FetchError as exc:
            if index == 0:
                raise
            if exc.status != 404 and not isinstance(exc, LayoutError):
                self.ctx.warn(_("{error}; showing the events fetched so far").format(error=exc))
            return None

    def _is_fresh(self, fetched_at: float) -> bool:
        return self.ctx.now() - fetched_at < self.ctx.settings.listing_max_age * 60

    def _listing_through(self) -> Through[EventListing]:
        today = self.today

        def parse(url: str, page: Page) -> EventListing:
            from lillenews.site.events import parse_event_listing

            listing = parse_event_listing(page.text, url, reference=http_date(page.last_modified), today=today)
            # As for news: another site's events are never listed, so never fetched or stored.
            kept = tuple(ev for ev in listing.events if same_site(ev.url, self.ctx.settings.base_url))
            if listing.events and not kept:
                raise LayoutError(url, Message("no events of this site"))
            return listing._replace(events=kept)

        def save(url: str, fetched: Fetched[EventListing], now: float) -> object:
            assert fetched.value is not None
            return self.store.save_listing(url, fetched.value, fetched.etag, fetched.last_modified, now)

        def touch(url: str, fetched: Fetched[EventListing], now: float) -> object:
            return self.store.touch_listing(url, now, fetched.etag, fetched.last_modified)

        return Through(parse, save, touch)

    # ------------------------------------------------------------------ one event
    def resolve(self, target: str, site_url: Callable[[str], str], *, offline: bool = False) -> tuple[str, int | None]:
        """An event number of the last events listing shown, or an event's URL -> (url, number)."""
        target = target.strip()
        numbered = self.store.numbered_urls()
        if re.fullmatch(r"[+-]?\d+", target):
            number = int(target)
            if not numbered and not offline:
                self.upcoming(AgendaQuery())
                numbered = self.store.numbered_urls()
            if not numbered:
                raise NotCachedError(_("there is no events listing to number events; run 'lillenews events' first"))
            if not 1 <= number <= len(numbered):
                raise UsageError(
                    _("no event {number} (the last events listing has 1–{count}); run 'lillenews events'").format(
                        number=number, count=len(numbered)
                    )
                )
            return numbered[number - 1], number
        url = site_url(target)
        return url, next((n for n, u in enumerate(numbered, 1) if u == url), None)

    def event(
        self, target: str, site_url: Callable[[str], str], *, refresh: bool = False, offline: bool = False
    ) -> EventResult:
        """One event page (a cached one as is unless `refresh`)."""
        url, number = self.resolve(target, site_url, offline=offline)
        cached = self.store.page(url)
        if offline and cached is None:
            what = _("event {number}").format(number=number) if number else url
            raise NotCachedError(_("{what} is not cached; run 'lillenews event {target}' while online").format(
                what=what, target=target))  # fmt: skip
        copy = Copy(cached.page, cached.fetched_at, cached.etag, cached.last_modified) if cached else None
        got = cache_through(self.ctx, url, copy, self._page_through(), fresh=offline or not refresh)
        return EventResult(got.value, number, got.fetched_at, got.from_cache)

    def _page_through(self) -> Through[EventPage]:
        today = self.today

        def parse(url: str, page: Page) -> EventPage:
            from lillenews.site.events import parse_event_page

            return parse_event_page(page.text, url, reference=http_date(page.last_modified), today=today)

        def save(url: str, fetched: Fetched[EventPage], now: float) -> object:
            assert fetched.value is not None
            return self.store.save_page(url, fetched.value, fetched.etag, fetched.last_modified, now)

        def touch(url: str, fetched: Fetched[EventPage], now: float) -> object:
            return self.store.touch_page(url, now)

        return Through(parse, save, touch)
