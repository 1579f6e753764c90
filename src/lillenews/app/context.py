"""What every use case shares: settings, the two stores, the (lazily created) HTTP
client, the clocks, and the rules about freshness and stale copies.

Nothing here imports the network stack: the fetcher is built on first use, so a
warm-cache command touches SQLite and nothing else."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lillenews.base.config import Settings
from lillenews.base.errors import FetchError
from lillenews.base.i18n import _
from lillenews.base.models import Headline, Numbered
from lillenews.base.text import dedup, describe_age
from lillenews.store.cache import Cache, UserState
from lillenews.store.pages import Copy

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Fetcher
    from lillenews.net.pacing import Pacer

SEARCH_MIN_HEADLINES = 50  # search refreshes at least this much of the listing


def unique_headlines(headlines: Iterable[Headline]) -> list[Headline]:
    """Each headline once (by URL), in order: a headline's position is its number."""
    return dedup(headlines, key=lambda h: h.url)


def _ignore(message: str) -> None:
    pass


def _index_quartiers(title: str | None, lead: str | None, summary: str | None, body: str | None) -> str:
    """The keys of the quartiers an article names, as the JSON array the index's triggers read
    (the store cannot import the site layer): the vocabulary is loaded when an article is
    first written, never by a read."""
    import json

    from lillenews.site.quartiers import keys_in

    return json.dumps(keys_in(title, lead, summary, body))


class Context:
    """Settings, stores, network and clocks for one command.

    `now` is wall-clock time (what the cache records and freshness is judged by);
    `clock` and `sleep` are handed to the fetcher for its deadlines, retry waits and
    Crawl-delay pacing. Tests inject all three, and may inject the fetcher itself.
    `pacer`: the pacing shared with other contexts of one run (browse); by default the
    context's own: every fetcher it builds takes turns with the same one."""

    def __init__(
        self,
        settings: Settings,
        *,
        warn: Callable[[str], None] = _ignore,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        fetcher: Fetcher | None = None,
        pacer: Pacer | None = None,
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
        self._pacer = pacer
        self._own_pacer = pacer is None
        self.several = False  # this command needs more than one request (robots.txt: net/robots.py)
        self.keep_robots = True  # robots.txt is kept in the cache dir (doctor: read once, kept nowhere)

    @cached_property
    def cache(self) -> Cache:
        return Cache(self.settings.cache_dir / "cache.db", self.warn, quartiers=_index_quartiers)

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
            from lillenews.base.startup import uncollected_imports

            with uncollected_imports("lillenews.net.fetch"):  # httpx and its stack: ~40 ms of imports
                from lillenews.net.fetch import Fetcher
            from lillenews.store.robots_file import FILE_NAME, RobotsFile

            robots = RobotsFile(self.settings.cache_dir / FILE_NAME) if self.keep_robots else None
            self._fetcher = Fetcher(
                self.settings, sleep=self.sleep, clock=self.clock, workers=wanted, now=self.now, robots=robots,
                pacer=self._pacer,
            )  # fmt: skip
            self._pacer = self._fetcher.pacer  # the first fetcher's, kept by the next ones (one pace per run)
            self._fetcher.robots.several = self.several
            self._pacer.bulk = self._pacer.bulk or self.several
            self._pool = wanted
        return self._fetcher

    def expect_several(self) -> None:
        """This command does bulk work (more than the pages a person asks for by default):
        while robots.txt cannot be read it fetches nothing (a single-request command sends
        its one request), and robots.txt's Crawl-delay paces its requests (net/pacing.py)."""
        self.several = True
        robots = getattr(self._fetcher, "robots", None)  # a test's stand-in may have none
        if robots is not None:
            robots.several = True
        if self._pacer is not None:
            self._pacer.bulk = True

    def close(self) -> None:
        if self._pacer is not None and self._own_pacer:
            self._pacer.close()  # a thread waiting for its turn ends now (Ctrl-C during sync)
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

    def is_fresh(self, page: Copy[Any]) -> bool:
        """A cached listing page (news or agenda) younger than `listing_max_age` minutes is used as is."""
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
        return unique_headlines(h for page in self.cache.pages() for h in page.value.headlines)

    def numbered(self, headlines: Iterable[Headline]) -> list[Numbered]:
        """Headlines numbered from 1 (their position), with their read and new marks."""
        read = self.state.read_urls()
        seen = self.state.seen_urls()
        return [Numbered(n, h, read=h.url in read, new=h.url not in seen) for n, h in enumerate(headlines, 1)]
