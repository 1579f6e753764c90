"""Quartiers in the use cases (README, "Mon quartier"): which quartiers each headline,
article and event names, the `--quartier` filters, the filtered listing walk, and the
counts of `lillenews quartiers`. The vocabulary and the matching are site/quartiers.py's.

What an item names:
- a headline: its title and summary, and, once its article is cached (read, sync), the
  article's title, lead and body (what the full-text index recorded when it was saved);
- an article: its title, lead, body and listing summary (the headline's title too, when listed);
- an event: its title, summary, venue and address, and, once its page is cached, the
  page's lead, description and address lines.

Imported only where quartiers are asked for (a filter, `--json`, `quartiers`, `new`)."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app.context import Context
from lillenews.app.listing import ListingWalk
from lillenews.base.models import Article, Headline, Numbered
from lillenews.site import quartiers as vocabulary

if TYPE_CHECKING:  # pragma: no cover  # the events' modules: imported by the events' commands only
    import datetime as _dt

    from lillenews.app.events import EventService
    from lillenews.base.event_models import Event, EventPage
    from lillenews.store.events import EventCache

Tags = tuple[str, ...]  # quartier names, in the vocabulary's order
Wanted = frozenset[str]  # what a filter keeps: items naming any of these names (empty: no filter)
DEFAULT_PAGES = 5  # listing pages a filtered `list` reads at most, unless --pages or --all
# Pages a default `list` or `events` reads (walker.DEFAULT_LIMIT, lille.fr's ten a page): a
# person's request; a filtered walk reading further is bulk work for robots.txt (pacing.py).
PERSON_PAGES = 2


def keys_of(wanted: Iterable[str]) -> tuple[str, ...]:
    """The full-text index's keys of quartier names."""
    names = set(wanted)
    return tuple(q.key for q in vocabulary.QUARTIERS if q.name in names)


def names_in(*texts: str | None) -> Tags:
    return vocabulary.names_in(*texts)


def headline_tags(ctx: Context, headlines: Iterable[Headline]) -> dict[str, Tags]:
    """url -> the quartiers a headline names (with its cached article's)."""
    headlines = list(headlines)
    indexed = ctx.cache.article_quartiers(h.url for h in headlines)
    out: dict[str, Tags] = {}
    for h in headlines:
        names = vocabulary.names_in(h.title, h.summary) + vocabulary.names_of_keys(indexed.get(h.url, ()))
        out[h.url] = vocabulary.in_order(names)
    return out


def item_tags(ctx: Context, items: Iterable[Numbered]) -> dict[str, Tags]:
    return headline_tags(ctx, (i.headline for i in items))


def article_tags(article: Article, listed: Headline | None) -> Tags:
    """What an article names: as the index records it, and its listing title and summary."""
    summary = listed.summary if listed is not None else None
    names = vocabulary.names_in(article.title, article.lead, summary, article.plain_text())
    if listed is not None:
        names += vocabulary.names_in(listed.title)
    return vocabulary.in_order(names)


def event_page_tags(page: "EventPage") -> Tags:
    return vocabulary.names_in(page.title, page.lead, *page.description, *page.address)


def event_tags(store: "EventCache", events: "Iterable[Event]") -> dict[str, Tags]:
    """url -> the quartiers an event names (its listing's fields, and its cached page's)."""
    out: dict[str, Tags] = {}
    for event in events:
        names = vocabulary.names_in(event.title, event.summary, event.place, event.address)
        cached = store.pages.get(event.url)
        if cached is not None:
            names += event_page_tags(cached.value)
        out[event.url] = vocabulary.in_order(names)
    return out


def naming(tags: Tags, wanted: Wanted) -> bool:
    return not wanted or not wanted.isdisjoint(tags)


def event_filter(store: "EventCache", wanted: Wanted) -> "Callable[[Event], bool]":
    """Whether an event names one of `wanted` (an empty `wanted` keeps every event)."""

    def keep(event: "Event") -> bool:
        return naming(event_tags(store, [event])[event.url], wanted)

    return keep


def keep_naming(ctx: Context, items: Sequence[Numbered], wanted: Wanted) -> list[Numbered]:
    """`items` naming one of `wanted`, in order."""
    if not wanted:
        return list(items)
    tags = item_tags(ctx, items)
    return [i for i in items if naming(tags[i.headline.url], wanted)]


# ---------------------------------------------------------------------- `list --quartier`
class FilteredListing(NamedTuple):
    items: list[Numbered]  # the matches, numbered by their place in the whole listing
    tags: dict[str, Tags]  # url -> quartiers, for every headline read
    complete: bool  # the walk reached the listing's end
    pages: int  # listing pages read
    headlines: int  # headlines read
    oldest: datetime.date | None  # the date of the last dated headline read: how far back it looked


def filtered_listing(
    ctx: Context,
    wanted: Wanted,
    limit: int | None,
    *,
    pages: int | None = DEFAULT_PAGES,
    refresh: bool = False,
    offline: bool = False,
    unread_only: bool = False,
) -> FilteredListing:
    """The first `limit` headlines (all when None) naming one of `wanted`, reading the
    listing page after page until there are enough, at most `pages` pages (None: all).
    Pages come through the listing walker: the cache, conditional requests, the
    fetcher's pacing."""
    read = ctx.state.read_urls() if unread_only else set()
    walk = ListingWalk(ctx, refresh=refresh, offline=offline, max_pages=pages)
    collected: list[Headline] = []
    tags: dict[str, Tags] = {}
    found = read_pages = 0
    for page in walk:
        read_pages += 1
        if read_pages == PERSON_PAGES:
            ctx.expect_several()  # past what a default `list` reads: bulk work, paced by Crawl-delay
        collected.extend(page.new)
        tags.update(headline_tags(ctx, page.new))
        found += sum(1 for h in page.new if naming(tags[h.url], wanted) and h.url not in read)
        if limit is not None and found >= limit:
            break
    numbered = [
        i for i in ctx.numbered(collected) if naming(tags[i.headline.url], wanted) and not (unread_only and i.read)
    ]
    oldest = next((h.dates.start for h in reversed(collected) if h.dates.start), None)
    return FilteredListing(
        numbered if limit is None else numbered[:limit], tags, walk.complete, read_pages, len(collected), oldest
    )


# ---------------------------------------------------------------------- `lillenews quartiers`
class Count(NamedTuple):
    name: str
    variants: tuple[str, ...]
    headlines: int  # cached headlines naming it
    events: int  # upcoming events of the cached agenda naming it


def counts(ctx: Context, store: "EventCache", today: "_dt.date") -> list[Count]:
    """The twelve quartiers with how many cached headlines and upcoming events name each
    (the cache only: never the network)."""
    from lillenews.base.dates import is_past

    headlines = ctx.cached_listing()
    by_headline = headline_tags(ctx, headlines).values()
    events = [e for e in store.listed_events() if not is_past(e.dates, today)]
    by_event = event_tags(store, events).values()
    return [
        Count(
            q.name,
            (*q.variants, *q.capitalised),
            sum(1 for tags in by_headline if q.name in tags),
            sum(1 for tags in by_event if q.name in tags),
        )
        for q in vocabulary.QUARTIERS
    ]


# ---------------------------------------------------------------------- the façade's part
class QuartierService:
    """What the commands ask of quartiers (`LilleNews.quartiers`), over one command's context.
    `events` gives the façade's events service when an event is asked about (a headline's
    quartiers need none of the agenda's modules)."""

    def __init__(self, ctx: Context, events: "Callable[[], EventService]") -> None:
        self.ctx = ctx
        self._events = events

    @property
    def events(self) -> "EventService":
        return self._events()

    def of_headlines(self, headlines: Iterable[Headline]) -> dict[str, Tags]:
        return headline_tags(self.ctx, headlines)

    def of_article(self, article: Article, listed: Headline | None) -> Tags:
        return article_tags(article, listed)

    def of_events(self, events: "Iterable[Event]") -> dict[str, Tags]:
        return event_tags(self.events.store, events)

    def of_event_page(self, page: "EventPage") -> Tags:
        return event_page_tags(page)

    def event_filter(self, wanted: Wanted) -> "Callable[[Event], bool] | None":
        """What keeps the events naming one of `wanted` (None: no filter)."""
        return event_filter(self.events.store, wanted) if wanted else None

    def listing(
        self,
        wanted: Wanted,
        limit: int | None,
        *,
        pages: int | None = DEFAULT_PAGES,
        refresh: bool = False,
        offline: bool = False,
        unread_only: bool = False,
    ) -> FilteredListing:
        return filtered_listing(
            self.ctx, wanted, limit, pages=pages, refresh=refresh, offline=offline, unread_only=unread_only
        )

    def counts(self) -> list[Count]:
        return counts(self.ctx, self.events.store, self.events.today)
