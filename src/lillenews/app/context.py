"""What every use case shares: settings, the two stores, the (lazily created) HTTP
client, the clocks, and the rules about freshness and stale copies.

Nothing here imports the network stack: the fetcher is built on first use, so a
warm-cache command touches SQLite and nothing else."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from lillenews.base.config import Settings
from lillenews.base.errors import FetchError
from lillenews.base.i18n import _
from lillenews.base.models import Headline, Numbered
from lillenews.base.text import dedup, describe_age
from lillenews.store.cache import Cache, CachedPage, UserState

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Fetcher

MAX_PAGES = 200  # a runaway pagination must end somewhere
SEARCH_MIN_HEADLINES = 50  # search refreshes at least this much of the listing


def unique_headlines(headlines: Iterable[Headline]) -> list[Headline]:
    """Each headline once (by URL), in order: a headline's position is its number."""
    return dedup(headlines, key=lambda h: h.url)


def _ignore(message: str) -> None:
    pass


class Context:
    """Settings, stores, network and clocks for one command.

    `now` is wall-clock time (what the cache records and freshness is judged by);
    `clock` and `sleep` are handed to the fetcher for its deadlines and retry waits.
    Tests inject all three, and may inject the fetcher itself."""

    def __init__(
        self,
        settings: Settings,
        *,
        warn: Callable[[str], None] = _ignore,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.settings = settings
        self.warn = warn
        self.now = now
        self.sleep = sleep
        self.clock = clock
        self._fetcher = fetcher  # given (tests): used as is, whatever pool size is asked for
        self._given = fetcher is not None
        self._pool: int | None = None
        self._warned_stale = False

    @cached_property
    def cache(self) -> Cache:
        return Cache(self.settings.cache_dir / "cache.db", self.warn)

    @cached_property
    def state(self) -> UserState:
        return UserState(self.settings.data_dir / "state.db", self.warn)

    @property
    def fetcher(self) -> Fetcher:
        """The HTTP client, created on first use (with the pool of the last `fetcher_for`)."""
        return self._fetcher if self._fetcher is not None else self.fetcher_for(None)

    def fetcher_for(self, workers: int | None) -> Fetcher:
        """The HTTP client with room for `workers` concurrent requests (None: the
        `workers` setting). The count is passed to the fetcher; settings never change."""
        wanted = workers or self.settings.workers
        if self._given and self._fetcher is not None:
            return self._fetcher
        if self._fetcher is not None and self._pool != wanted:
            self._fetcher.close()
            self._fetcher = None
        if self._fetcher is None:
            from lillenews.net.fetch import Fetcher

            self._fetcher = Fetcher(self.settings, sleep=self.sleep, clock=self.clock, workers=wanted)
            self._pool = wanted
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None
        for name in ("cache", "state"):
            if name in self.__dict__:
                self.__dict__[name].close()

    # -- shared rules ------------------------------------------------------------
    def today(self) -> _dt.date:
        """The local day of `now`: what the parsers read a date without its year against."""
        return _dt.date.fromtimestamp(self.now())

    def is_fresh(self, page: CachedPage) -> bool:
        """A cached listing page younger than `listing_max_age` minutes is used as is."""
        return self.now() - page.fetched_at < self.settings.listing_max_age * 60

    def warn_stale(self, exc: FetchError, fetched_at: float) -> None:
        """Say once per command that a cached copy stands in for what could not be fetched:
        later pages of an unreachable site say nothing new."""
        if not self._warned_stale:
            self._warned_stale = True
            showing = _("{error}; showing the copy cached {age}")
            self.warn(showing.format(error=exc.explained(), age=describe_age(self.now() - fetched_at)))

    def cached_listing(self) -> list[Headline]:
        """The listing as cached, in order, each headline once: numbers are positions."""
        return unique_headlines(h for page in self.cache.pages() for h in page.headlines)

    def numbered(self, headlines: Iterable[Headline]) -> list[Numbered]:
        """Headlines numbered from 1 (their position), with their read and new marks."""
        read = self.state.read_urls()
        seen = self.state.seen_urls()
        return [Numbered(n, h, read=h.url in read, new=h.url not in seen) for n, h in enumerate(headlines, 1)]
