"""Crawl-delay pacing: with a delay, requests go one at a time, each starting at least
`delay` seconds after the previous one *ended* (so the server sees their starts at least
that far apart, however long the network took). The first request of a run goes at once.

Without a delay (robots.txt sets none, or answered 404) the pacer only counts: requests
run as concurrently as the caller's pool allows, with no pause (today's speed).

Only bulk work is paced (`bulk`: the command declared it needs more than the pages a
person asks for by default — sync, --all, a walk past the default listing, doctor,
browse's refresh). A default `list` or `events` (20 items: two pages of lille.fr's ten)
and `read N`/`event N` of a listed item are a person's request, never delayed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lillenews.base.errors import SiteDownError
from lillenews.base.i18n import Message


class Pacer:
    """Shared by every request of one run (one command, or one `browse` session).

    `clock` is monotonic. `sleep`: None waits on an event that `close()` sets, so a
    thread waiting for its turn ends at once when the command ends (Ctrl-C); tests
    inject a sleep that only records what was asked."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        *,
        bulk: bool = False,
    ) -> None:
        self.delay: float | None = None  # seconds between requests; set from robots.txt
        self.bulk = bulk  # the command does bulk work: only then is the delay kept
        self._clock = clock
        self._sleep = sleep
        self._turn = threading.Lock()  # held for a whole request while paced: one at a time
        self._count = threading.Lock()
        self._ready_at: float | None = None  # when the next paced request may start
        self._closed = threading.Event()
        self._local = threading.local()
        self.requests = 0  # requests started through this pacer (paced or not)

    @property
    def paced(self) -> bool:
        return bool(self.delay) and self.bulk

    @property
    def waited(self) -> float:
        """Seconds the calling thread's last turn waited (doctor times requests without it)."""
        return float(getattr(self._local, "waited", 0.0))

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """One request's turn: waits for it when paced, and counts it."""
        self._local.waited = 0.0
        if not self.paced:
            self._check_open(url)
            with self._count:
                self.requests += 1
            yield
            return
        with self._turn:
            self._wait(url)
            with self._count:
                self.requests += 1
            try:
                yield
            finally:
                self._ready_at = self._clock() + (self.delay or 0.0)

    def _wait(self, url: str) -> None:
        self._check_open(url)
        if self._ready_at is None:
            return  # the first request of the run goes at once
        wait = self._ready_at - self._clock()
        if wait <= 0:
            return
        self._local.waited = wait
        if self._sleep is not None:
            self._sleep(wait)
        else:
            self._closed.wait(wait)
        self._check_open(url)

    def _check_open(self, url: str) -> None:
        if self._closed.is_set():
            raise SiteDownError(url, Message("not fetched: the command is ending"))

    def close(self) -> None:
        """Wake every thread waiting for its turn; later turns fail at once."""
        self._closed.set()

    def remaining(self, requests: int) -> float:
        """Seconds `requests` more requests take at least, at this pace (0 when not paced)."""
        return max(0, requests) * (self.delay or 0.0)
