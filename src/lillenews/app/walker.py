"""The one walker over paginated listings, for the news (listing.py) and the agenda
(agenda.py): each caller gives its page getter (the cache-through-fetch rule around its
parser) and its next-page rule; the walker keeps what both need.

- a page met again (a page linking back to an earlier one) ends the walk;
- a page past the first with nothing new on it ends the walk;
- the walk stops at MAX_PAGES whatever the site says, with a warning that the rest was
  not read (a smaller limit a caller asks for, such as `sync --pages`, says nothing).

Stdlib only, no I/O of its own: tested with plain functions as getters."""

from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import Generic, NamedTuple, Protocol, TypeVar

from lillenews.base.errors import LayoutError
from lillenews.base.i18n import Message, _
from lillenews.base.urls import same_site

# A runaway pagination must end somewhere. The agenda held ~700 events (70 pages of 10) in
# June 2024: room for nearly three times that.
MAX_PAGES = 200
# What `list` and `events` show by default: two pages of lille.fr's ten. A person's request,
# so not bulk work for robots.txt's Crawl-delay (net/pacing.py); more than this is.
DEFAULT_LIMIT = 20


class Linked(Protocol):
    """A listed item, known by its URL: a headline or an event."""

    @property
    def url(self) -> str: ...


P = TypeVar("P")  # a parsed listing page
I = TypeVar("I", bound=Linked)  # one of its items  # noqa: E741


class Stop(Enum):
    """What a page getter answers instead of a page."""

    END = "end"  # no such page: the listing ended before it (the walk is complete)
    FAILED = "failed"  # the page could not be had: the walk stops short (incomplete)


class Next(NamedTuple):
    """The address of the next page, and whether it was built (the eZ `(offset)/N` scheme)
    rather than read from the page: a built address that does not exist is the end."""

    url: str
    guessed: bool = False


class Walked(Generic[P, I]):
    """One page of the walk (a plain class: a dataclass costs ~1 ms at every start-up)."""

    __slots__ = ("index", "new", "page")

    def __init__(self, index: int, page: P, new: tuple[I, ...]) -> None:
        self.index = index  # 0 for the first page
        self.page = page
        self.new = new  # its items that no earlier page had, in order


def on_site(items: Iterable[I], site: str, page_url: str, nothing: Message) -> tuple[I, ...]:
    """A listing page's items without those on another host or port: they are never
    stored, shown or fetched. LayoutError (`nothing`) when there were items and none is left."""
    items = tuple(items)
    kept = tuple(item for item in items if same_site(item.url, site))
    if items and not kept:
        raise LayoutError(page_url, nothing)
    return kept


class Walk(Generic[P, I]):
    """Iterate over a listing's pages, first to last (at most `max_pages`, never more
    than MAX_PAGES). After the loop, `complete` says whether the walk reached the
    listing's end (rather than a page limit, a failure, or a consumer that stopped)."""

    def __init__(
        self,
        start: str,
        get_page: Callable[[Next, int], P | Stop],
        next_page: Callable[[P, int], Next | None],
        items: Callable[[P], Iterable[I]],
        *,
        warn: Callable[[str], None],
        max_pages: int | None = None,
    ) -> None:
        self.start = start
        self.get_page = get_page
        self.next_page = next_page
        self.items = items
        self.warn = warn
        self.max_pages = min(max_pages or MAX_PAGES, MAX_PAGES)
        self.complete = False

    def __iter__(self) -> Iterator[Walked[P, I]]:
        seen: set[str] = set()  # item URLs: an item listed again is not new
        visited: set[str] = set()  # page URLs: a page met again is a loop
        step: Next | None = Next(self.start)
        for index in range(self.max_pages):
            if step is None or step.url in visited:
                self.complete = True
                return
            visited.add(step.url)
            page = self.get_page(step, index)
            if isinstance(page, Stop):
                self.complete = page is Stop.END
                return
            new = []
            for item in self.items(page):
                if item.url not in seen:
                    seen.add(item.url)
                    new.append(item)
            if index > 0 and not new:
                self.complete = True  # a page with nothing new: past the end
                return
            yield Walked(index, page, tuple(new))
            step = self.next_page(page, index)
        if step is not None and step.url not in visited and self.max_pages == MAX_PAGES:
            self.warn(
                _("stopped after {count} pages, the most lillenews reads of one listing; {url} and later were not read")
                .format(count=MAX_PAGES, url=step.url)
            )  # fmt: skip
