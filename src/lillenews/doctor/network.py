"""The doctor's plan fetched over the network: `network_fetch` hands `doctor.check.run` each
page as it came back (the same `run` replays pages saved by `--save`: doctor/save.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lillenews.base.errors import FetchError
from lillenews.doctor.check import Fetched, PageKind

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.net.fetch import Fetcher

__all__ = ["network_fetch"]


def network_fetch(fetcher: Fetcher, clock: Callable[[], float]) -> Callable[[PageKind, str], Fetched]:
    """`fetch(kind, url)` over the polite fetcher: unconditional GETs, timed with `clock`."""

    def fetch(kind: PageKind, url: str) -> Fetched:
        start = clock()
        try:
            page = fetcher.get(url)  # no validators: never a 304
        except FetchError as exc:
            return Fetched(kind, url, None, exc.status, b"", (), clock() - start - fetcher.pacer.waited, exc.cause)
        # The time of the request itself, without the wait for its turn (robots.txt's Crawl-delay).
        return Fetched(
            kind, url, page.url, page.status, page.body, page.headers, clock() - start - fetcher.pacer.waited
        )

    return fetch
