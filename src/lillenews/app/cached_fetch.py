"""The one cache-through-fetch rule, used by every fetch (listing pages, articles, sync):

1. a cached copy that is fresh enough is used as is (no request);
2. otherwise the page is asked for conditionally on the cached copy's validators:
   304 Not Modified keeps the cached copy (and records that it is current), 200 is
   parsed and saved;
3. a fetch that fails (network, HTTP error, nothing to extract, or a maintenance
   page standing in for a good cached article) never overwrites the cached copy:
   it is served instead, with one warning per command.

`conditional_get` is step 2 without the store (sync runs it in worker threads and
writes in batches); `cache_through` is the whole rule; `walked_page` is the rule for one
page of a paginated listing (news or agenda), as the walker (walker.py) asks for it."""

import datetime
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from lillenews.app.context import Context
from lillenews.app.walker import Next, Stop
from lillenews.base.errors import FetchError, LayoutError, NotCachedError
from lillenews.base.i18n import N_, Message
from lillenews.base.models import Article
from lillenews.store.pages import Copy, PageTable, Validators

__all__ = [
    "Copy",
    "Fetched",
    "Got",
    "Outcome",
    "Through",
    "cache_through",
    "conditional_fetch",
    "conditional_get",
    "parse_fetched",
    "table_through",
    "walked_page",
]

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Fetcher, Page

T = TypeVar("T")

STAND_IN = N_("only a short page unlike the cached article")


class Outcome(Enum):
    """What one cache-through fetch did."""

    CACHED = "cached"  # the cached copy was fresh enough: no request
    NEW = "new"  # fetched; nothing was cached
    UPDATED = "updated"  # fetched; it replaced the cached copy
    UNCHANGED = "unchanged"  # the server said 304 (or sent the same content)
    STALE = "stale"  # the fetch failed; the cached copy was served


class Fetched(NamedTuple, Generic[T]):
    """The answer to a conditional GET: `value` is None when not modified (304)."""

    value: T | None
    etag: str | None
    last_modified: str | None


class Got(NamedTuple, Generic[T]):
    """The value `cache_through` settled on."""

    value: T
    fetched_at: float
    outcome: Outcome

    @property
    def from_cache(self) -> bool:
        return self.outcome is not Outcome.NEW and self.outcome is not Outcome.UPDATED


def conditional_get(
    fetcher: "Fetcher", url: str, validators: Validators | None, parse: "Callable[[str, Page], T]"
) -> Fetched[T]:
    """GET `url`, conditional on `validators` (None: nothing cached), and parse a 200.
    Raises FetchError (LayoutError when the page holds nothing to extract)."""
    return parse_fetched(url, conditional_fetch(fetcher, url, validators), parse)


def conditional_fetch(fetcher: "Fetcher", url: str, validators: Validators | None) -> "Fetched[Page]":
    """`conditional_get`'s request alone: the page of a 200, None for a 304 (sync's
    workers only fetch, so that parsing never holds up their next request)."""
    etag, last_modified = validators or (None, None)
    page = fetcher.get(url, etag, last_modified)
    if page.status == 304 and validators is not None:
        return Fetched(None, page.etag or etag, page.last_modified or last_modified)
    return Fetched(page, page.etag, page.last_modified)


def parse_fetched(url: str, fetched: "Fetched[Page]", parse: "Callable[[str, Page], T]") -> Fetched[T]:
    """`conditional_get`'s parse alone. Raises FetchError (LayoutError when the page holds
    nothing to extract)."""
    page = fetched.value
    if page is None:
        return Fetched(None, fetched.etag, fetched.last_modified)
    try:
        value = parse(url, page)
    except FetchError:
        raise  # LayoutError: the parser's own word on a page with nothing to extract
    except Exception as exc:  # noqa: BLE001 - the boundary: a parser bug fails this URL only (sync goes on)
        # Chained: `--debug` shows the parser's own traceback, not only this line.
        raise FetchError(url, Message("the page could not be read ({kind})", kind=type(exc).__name__)) from exc
    return Fetched(value, page.etag, page.last_modified)


def looks_like_a_stand_in(old: Article, new: Article, new_text: str) -> bool:
    """A maintenance or error page served with 200 at an article's address must not
    replace the good cached article: a new title and a fraction of the text."""
    return new.title != old.title and len(new_text) < 0.25 * len(old.plain_text())


def check_not_a_stand_in(url: str, old: Article, new: Article, new_text: str) -> None:
    """Raise LayoutError when `new` looks like a maintenance page standing in for `old`."""
    if looks_like_a_stand_in(old, new, new_text):
        raise LayoutError(url, Message(STAND_IN))  # i18n: marked with N_ above


def _never(exc: FetchError) -> bool:
    return False


class Through(NamedTuple, Generic[T]):
    """How one kind of page is parsed, checked and stored: what differs between
    listing pages and articles, around the one rule."""

    parse: "Callable[[str, Page], T]"  # (requested url, page)
    save: Callable[[str, Fetched[T], float], object]  # (url, fetched, now); may fail with a warning
    touch: Callable[[str, Fetched[T], float], object]  # the cached copy is current (304)
    check: Callable[[str, T, T], None] | None = None  # (url, cached, new): raise FetchError to refuse `new`


def cache_through(
    ctx: Context,
    url: str,
    cached: Copy[T] | None,
    through: Through[T],
    *,
    fresh: bool = False,
    no_fallback: Callable[[FetchError], bool] = _never,
) -> Got[T]:
    """The rule (see the module's docstring). `fresh`: the cached copy may be used
    without asking. `no_fallback(exc)`: errors for which the cached copy must not be
    served (they propagate). Raises FetchError when nothing is cached."""
    if cached is not None and fresh:
        return Got(cached.value, cached.fetched_at, Outcome.CACHED)
    try:
        fetched = conditional_get(ctx.fetcher, url, cached.validators if cached else None, through.parse)
        if cached is not None and fetched.value is not None and through.check is not None:
            through.check(url, cached.value, fetched.value)
    except FetchError as exc:
        if cached is None or no_fallback(exc):
            raise
        ctx.warn_stale(exc, cached.fetched_at)
        return Got(cached.value, cached.fetched_at, Outcome.STALE)
    now = ctx.now()
    if fetched.value is None:
        assert cached is not None  # a 304 only answers a conditional request
        through.touch(url, fetched, now)
        return Got(cached.value, now, Outcome.UNCHANGED)
    through.save(url, fetched, now)
    return Got(fetched.value, now, Outcome.NEW if cached is None else Outcome.UPDATED)


def walked_page(
    ctx: Context,
    step: Next,
    index: int,
    cached: Copy[T] | None,
    through: Through[T],
    *,
    refresh: bool,
    offline: bool,
    not_cached: str,
    so_far: str,
    strict: bool = False,
) -> T | Stop:
    """One page of a paginated listing through the rule: a cached page younger than
    `listing_max_age` is used as is. A built (`guessed`) address the site does not have
    ends the listing; another failure past the first page stops the walk with a warning
    (`so_far`, with {error}), on the first page it propagates. Offline, the cache only
    (`not_cached`: the error when the first page is not there). `strict` (`new`): any
    failure propagates, and a cached copy never stands in for the site."""
    if offline:
        if cached is None and index == 0:
            raise NotCachedError(not_cached)
        return cached.value if cached is not None else Stop.FAILED

    def past_the_end(exc: FetchError) -> bool:
        return step.guessed and (isinstance(exc, LayoutError) or exc.status == 404)

    def no_fallback(exc: FetchError) -> bool:
        return strict or past_the_end(exc)

    fresh = cached is not None and not refresh and ctx.is_fresh(cached)
    try:
        return cache_through(ctx, step.url, cached, through, fresh=fresh, no_fallback=no_fallback).value
    except FetchError as exc:
        if past_the_end(exc):
            return Stop.END
        if index == 0 or strict:
            raise
        ctx.warn(so_far.format(error=exc))
        return Stop.FAILED


def table_through(parse: "Callable[[str, Page], T]", table: PageTable[T]) -> Through[T]:
    """How pages kept in one of the store's page tables (store/pages.py) go around the rule."""

    def save(url: str, fetched: Fetched[T], now: float) -> object:
        assert fetched.value is not None
        return table.save(url, fetched.value, fetched.etag, fetched.last_modified, now)

    def touch(url: str, fetched: Fetched[T], now: float) -> object:
        return table.touch(url, now, fetched.etag, fetched.last_modified)

    return Through(parse, save, touch)


# ---------------------------------------------------------------------- articles
def article_parser(today: datetime.date) -> "Callable[[str, Page], Article]":
    """Parses an article page, reading dates without a year against `today`. The requested
    URL is the article's identity (a redirect does not rename it)."""

    def parse(url: str, page: "Page") -> Article:
        from lillenews.site.news import parse_article

        return parse_article(page.text, url, today=today)

    return parse


def article_through(ctx: Context) -> Through[Article]:
    """How articles are stored around the rule, with the maintenance-page guard."""

    def save(url: str, fetched: Fetched[Article], now: float) -> object:
        assert fetched.value is not None
        article = fetched.value
        return ctx.cache.save_article(url, article, article.plain_text(), fetched.etag, fetched.last_modified, now)

    def touch(url: str, fetched: Fetched[Article], now: float) -> object:
        return ctx.cache.touch_article(url, now)

    def check(url: str, old: Article, new: Article) -> None:
        check_not_a_stand_in(url, old, new, new.plain_text())

    return Through(article_parser(ctx.today()), save, touch, check)


def cached_article(ctx: Context, url: str) -> Copy[Article] | None:
    cached = ctx.cache.article(url)
    return Copy(cached.article, cached.fetched_at, cached.etag, cached.last_modified) if cached else None
