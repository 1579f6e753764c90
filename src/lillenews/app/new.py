"""`lillenews new`: the headlines (and with `--events` the events) whose address `new` has
never reported, newest first. Listings carry no reliable publication time, so "new" means
"never reported by `new`" (the ledger: store/new_items.py, in the reading state).

A run is cheap and polite: the listing's first page is always revalidated (one
conditional request, a 304 when nothing changed); a next page is read only while every
headline of the page before was new, within `pages`. Pages come through the listing walker
and the fetcher (the cache, its pacing), strictly: a failed fetch fails the run, so a
stale copy never passes for the site and nothing is claimed. The first run of a kind
reports nothing and remembers what is listed (unless `report_all`).

`find_new` returns a `NewBatch` of claimed items; the caller reports them, confirms each
reported one, and closes the batch, which releases the rest (they stay new)."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app import quartiers as _quartiers
from lillenews.app.agenda import listing_url, walk
from lillenews.app.context import Context
from lillenews.app.listing import ListingWalk
from lillenews.app.walker import Next, Stop
from lillenews.base.event_models import Event, EventListing
from lillenews.base.models import Headline, Numbered
from lillenews.store.new_items import Item, Ledger

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.app.events import EventService

NEWS, EVENT = "news", "event"


class NewItem(NamedTuple):
    kind: str  # NEWS or EVENT
    url: str
    headline: Numbered | None  # a headline, numbered by its place in the listing
    event: Event | None  # an event (it has no number: `event N` keeps the last `events` listing's)
    quartiers: tuple[str, ...]

    @property
    def key(self) -> Item:
        return Item(self.kind, self.url)


class NewBatch:
    """The items a run claimed. `confirm` those reported; `close` releases the others."""

    def __init__(self, ledger: Ledger, items: list[NewItem], remembered: dict[str, int]) -> None:
        self.ledger = ledger
        self.items = items
        self.remembered = remembered  # kind -> items a first run remembered (nothing of it reported)
        self._open = {i.key for i in items}

    def confirm(self, items: Iterable[NewItem]) -> None:
        keys = [i.key for i in items if i.key in self._open]
        self.ledger.confirm(keys)
        self._open.difference_update(keys)

    def close(self) -> None:
        if self._open:
            open_items = [i.key for i in self.items if i.key in self._open]
            self._open.clear()
            self.ledger.release(open_items)


def find_new(
    ctx: Context,
    events: "EventService | None",
    *,
    pages: int = 5,
    offline: bool = False,
    report_all: bool = False,
    wanted: _quartiers.Wanted = frozenset(),
) -> NewBatch:
    """Read the listing (and the agenda), then claim what is new: items naming none of
    `wanted` are marked seen without being reported."""
    ledger = Ledger(ctx.state, now=ctx.now)
    kinds = [NEWS] + ([EVENT] if events is not None else [])
    first = {kind: not ledger.started(kind) and not report_all for kind in kinds}
    headlines = _new_headlines(ctx, ledger, pages=pages, offline=offline, first=first[NEWS])
    listed = _new_events(events, ledger, pages=pages, offline=offline, first=first[EVENT]) if events else []
    # Every page is read before anything is claimed: a failure claims nothing.
    remembered: dict[str, int] = {}
    if first[NEWS]:
        known = _unique([*headlines, *ctx.cached_listing()])
        ledger.remember([Item(NEWS, h.url) for h in known], [NEWS])
        remembered[NEWS], headlines = len(known), []
    if events is not None and first[EVENT]:
        ledger.remember([Item(EVENT, e.url) for e in listed], [EVENT])
        remembered[EVENT], listed = len(listed), []
    ledger.remember([], [k for k in kinds if k not in remembered])  # a first run with report_all starts too
    candidates = _news_items(ctx, headlines) + (_event_items(events, listed) if events else [])
    kept = [i for i in candidates if _quartiers.naming(i.quartiers, wanted)]
    skipped = [i.key for i in candidates if not _quartiers.naming(i.quartiers, wanted)]
    claimed = set(ledger.claim([i.key for i in kept], skipped))
    return NewBatch(ledger, [i for i in kept if i.key in claimed], remembered)


def _new_headlines(ctx: Context, ledger: Ledger, *, pages: int, offline: bool, first: bool) -> list[Headline]:
    """The headlines of the first page, and of the next ones while every headline of a
    page is new (only the first page on a first run)."""
    collected: list[Headline] = []
    for page in ListingWalk(ctx, refresh=not offline, offline=offline, max_pages=pages, strict=True):
        collected.extend(page.new)
        if first or ledger.taken(NEWS, [h.url for h in page.page.headlines]):
            break
        ctx.expect_several()  # a next page: bulk work for robots.txt (its Crawl-delay paces it)
    return collected


def _new_events(events: "EventService", ledger: Ledger, *, pages: int, offline: bool, first: bool) -> list[Event]:
    """The agenda's upcoming events, page after page on the same rule as the headlines."""
    going = [True]

    def get(step: Next, index: int) -> EventListing | Stop:
        if index >= pages or not going[0]:
            return Stop.END
        if index > 0:
            events.ctx.expect_several()  # a next page: bulk work for robots.txt (its Crawl-delay paces it)
        page = events.listing_page(step, index, refresh=not offline, offline=offline, strict=True)
        if not isinstance(page, Stop) and (first or ledger.taken(EVENT, [e.url for e in page.events])):
            going[0] = False
        return page

    start = listing_url(events.ctx.settings.base_url)
    listed, _complete, _past = walk(start, get, today=events.today, limit=None, warn=events.ctx.warn)
    return listed


def _news_items(ctx: Context, headlines: list[Headline]) -> list[NewItem]:
    if not headlines:
        return []
    tags = _quartiers.headline_tags(ctx, headlines)
    return [NewItem(NEWS, i.headline.url, i, None, tags[i.headline.url]) for i in ctx.numbered(headlines)]


def _event_items(events: "EventService", listed: list[Event]) -> list[NewItem]:
    tags = _quartiers.event_tags(events.store, listed)
    return [NewItem(EVENT, e.url, None, e, tags[e.url]) for e in listed]


def _unique(headlines: Iterable[Headline]) -> list[Headline]:
    return list({h.url: h for h in headlines}.values())
