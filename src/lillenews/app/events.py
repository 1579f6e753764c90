"""The events commands' use cases, wired to the shared context: every page goes through
the one cache-through-fetch rule (app/cached_fetch.py) with the news' fault handling, into
the events cache (store/events.py). The façade (app/facade.py LilleNews.events) builds one."""

import datetime as _dt
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app.agenda import AgendaQuery, AgendaResult, all_categories, listing_url, upcoming
from lillenews.app.cached_fetch import Through, cache_through, table_through, walked_page
from lillenews.app.context import Context
from lillenews.app.numbers import Numbering, resolve
from lillenews.app.walker import DEFAULT_LIMIT, Next, Stop, on_site
from lillenews.base.dates import http_date
from lillenews.base.errors import FetchError, NotCachedError
from lillenews.base.event_models import Category, Event, EventListing, EventPage
from lillenews.base.i18n import Message, _
from lillenews.site.event_markup import EVENT_MARKUP
from lillenews.store.events import FILE_NAME, EventCache

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Page


class EventResult(NamedTuple):
    page: EventPage
    number: int | None  # in the last events listing shown
    fetched_at: float
    from_cache: bool
    from_listing: bool = False  # the page was never fetched: what the agenda's listing says of it
    why: FetchError | None = None  # ... because fetching it failed (None: offline)


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
    def upcoming(
        self,
        query: AgendaQuery,
        *,
        refresh: bool = False,
        offline: bool = False,
        keep: Callable[[Event], bool] | None = None,
    ) -> AgendaResult:
        """Upcoming events for `query`, numbered; the numbers are saved for `event N`.
        `keep` (a quartier filter) leaves the other events out; the walk goes on past them."""
        if query.limit is None or query.limit > DEFAULT_LIMIT:
            self.ctx.expect_several()  # more than the default agenda (events --all): bulk

        def get(step: Next, index: int) -> EventListing | Stop:
            if keep is not None and index == 2:  # a filter reading past the default agenda's two pages: bulk
                self.ctx.expect_several()
            return self.listing_page(step, index, refresh=refresh, offline=offline)

        def known() -> tuple[Category, ...]:
            return tuple(self.categories(refresh=refresh, offline=offline))

        base_url = self.ctx.settings.base_url
        result = upcoming(base_url, query, get, today=self.today, categories=known, warn=self.ctx.warn, keep=keep)
        self.store.save_numbers([item.event.url for item in result.events])
        return result

    def categories(self, *, refresh: bool = False, offline: bool = False) -> list[Category]:
        """The categories of the agenda's first page (its filter links, with their IDs, and
        its events') and those known of the site (site.EVENT_MARKUP.categories)."""
        first = self.listing_page(Next(listing_url(self.ctx.settings.base_url)), 0, refresh=refresh, offline=offline)
        known, events = (first.categories, first.events) if not isinstance(first, Stop) else ((), ())
        return all_categories(known, events, EVENT_MARKUP.categories)

    def listing_page(
        self, step: Next, index: int, *, refresh: bool, offline: bool, strict: bool = False
    ) -> EventListing | Stop:
        """One listing page through the cache, as the walker asks for it (walked_page);
        `strict` (for `new`): a failed fetch raises, never serves the cached copy."""
        return walked_page(
            self.ctx, step, index, self.store.listings.get(step.url), self._listing_through(),
            refresh=refresh, offline=offline,
            not_cached=_(
                "the events listing {url} is not cached yet; run the same 'lillenews events' while online"
            ).format(url=step.url),
            so_far=_("{error}; showing the events fetched so far"), strict=strict,
        )  # fmt: skip

    def _listing_through(self) -> Through[EventListing]:
        today = self.today

        def parse(url: str, page: "Page") -> EventListing:
            from lillenews.site.events import parse_event_listing

            listing = parse_event_listing(page.text, url, reference=http_date(page.last_modified), today=today)
            # As for news: another site's events are never listed, so never fetched or stored.
            site = self.ctx.settings.base_url
            return listing._replace(events=on_site(listing.events, site, url, Message("no events of this site")))

        return table_through(parse, self.store.listings)

    def calendar(self, events: Sequence[Event]) -> tuple[dict[str, float], dict[str, EventPage]]:
        """What `events --ics` takes from the cache beyond the listing: when each event's
        information last changed (its DTSTAMP) and each cached event page (its DESCRIPTION)."""
        urls = [event.url for event in events]
        pages = {url: copy.value for url in urls if (copy := self.store.pages.get(url)) is not None}
        return self.store.changed_at(urls), pages

    # ------------------------------------------------------------------ one event
    def resolve(self, target: str, site_url: Callable[[str], str], *, offline: bool = False) -> tuple[str, int | None]:
        """An event number of the last events listing shown, or an event's URL -> (url, number)."""

        def more(number: int, listed: Sequence[str]) -> Sequence[str]:
            if listed:  # numbers are those of the listing shown: never another one's
                return listed
            self.upcoming(AgendaQuery())
            return self.store.numbered_urls()

        numbering = Numbering(
            self.store.numbered_urls, more, str,
            none=_("there is no events listing to number events; run 'lillenews events' first"),
            beyond=_("no event {number} (the last events listing has 1–{count}); run 'lillenews events'"),
        )  # fmt: skip
        url, number, _listed = resolve(target, numbering, site_url, offline=offline)
        return url, number

    def event(
        self, target: str, site_url: Callable[[str], str], *, refresh: bool = False, offline: bool = False
    ) -> EventResult:
        """One event page (a cached one as is unless `refresh`). An event whose page was never
        fetched, offline or when fetching it fails: what the cached listing says of it."""
        url, number = self.resolve(target, site_url, offline=offline)
        cached = self.store.pages.get(url)
        if offline and cached is None:
            listed = self._listed(url, number)
            if listed is not None:
                return listed
            what = _("event {number}").format(number=number) if number else url
            raise NotCachedError(_("{what} is not cached; run 'lillenews event {target}' while online").format(
                what=what, target=target))  # fmt: skip
        try:
            got = cache_through(self.ctx, url, cached, self.page_through(), fresh=offline or not refresh)
        except FetchError as exc:
            listed = self._listed(url, number, exc)
            if listed is None:
                raise
            return listed
        return EventResult(got.value, number, got.fetched_at, got.from_cache)

    def _listed(self, url: str, number: int | None, why: FetchError | None = None) -> EventResult | None:
        found = self.store.listed_event(url)
        if found is None:
            return None
        event, fetched_at = found
        page = EventPage(
            url=event.url, title=event.title, dates=event.dates, date_text=event.date_text, category=event.category,
            lead=event.summary, address=tuple(x for x in (event.place, event.address) if x), phone=event.phone,
            image=event.image,
        )  # fmt: skip
        return EventResult(page, number, fetched_at, True, from_listing=True, why=why)

    def page_through(self) -> Through[EventPage]:
        today = self.today

        def parse(url: str, page: "Page") -> EventPage:
            from lillenews.site.events import parse_event_page

            return parse_event_page(page.text, url, reference=http_date(page.last_modified), today=today)

        return table_through(parse, self.store.pages)
