"""Bulk sync: refresh the listing and fetch every article not cached yet,
re-checking cached ones with conditional requests.

Articles are fetched while the listing is still being read, by a pool of
`workers` threads sharing one HTTP client, whose connection pool (sized from the
same explicit count) also caps requests in flight at `workers` + the one listing
page. Results are written in batched transactions, so Ctrl-C keeps what was done."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lillenews.app.cached_fetch import Fetched, Outcome, article_parser, check_not_a_stand_in, conditional_get
from lillenews.app.context import Context
from lillenews.app.listing import ListingWalk
from lillenews.base.errors import FetchError, SiteDownError
from lillenews.base.i18n import Message, _, ngettext
from lillenews.base.models import Article, Headline
from lillenews.base.text import clean_cause
from lillenews.store.cache import Cache, Validators
from lillenews.store.database import Statement

MAX_WORKERS = 8
WRITE_BATCH = 25  # articles per transaction
POLL_S = 0.5  # the main thread wakes this often, so Ctrl-C is handled promptly
PAGE_READ: Future[Any] = Future()  # a marker in the queue of finished futures: a listing page was read

Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str | Message]] = field(default_factory=list)  # (url, cause: English in JSON)
    interrupted: bool = False
    headlines: int = 0
    not_tried: set[str] = field(default_factory=set)  # failed URLs skipped: the site had stopped answering

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            raise ValueError(f"a sync does not count {outcome}")

    def summary(self) -> str:
        text = _("{new} new, {updated} updated, {unchanged} unchanged, {failed} failed").format(
            new=self.new, updated=self.updated, unchanged=self.unchanged, failed=len(self.failed)
        )
        return text + (_(" (interrupted)") if self.interrupted else "")

    def warnings(self, shown: int = 10) -> list[str]:
        """What a person is told about the failed articles: the first `shown` causes, then a count."""
        # Articles skipped once the site stopped answering are one line, not one each.
        tried = [(url, cause) for url, cause in self.failed if url not in self.not_tried]
        lines = [_("could not fetch {url}: {cause}").format(url=url, cause=cause) for url, cause in tried[:shown]]
        if self.not_tried:
            lines.append(
                ngettext(
                    "the site stopped answering: {count} more article was not tried",
                    "the site stopped answering: {count} more articles were not tried",
                    len(self.not_tried),
                ).format(count=len(self.not_tried))
            )
        count, hidden = len(self.failed), len(tried) - shown
        failed = ngettext(
            "{count} article failed; it will be tried again at the next sync",
            "{count} articles failed; they will be tried again at the next sync",
            count,
        ).format(count=count)
        if hidden > 0:
            failed += " " + ngettext("({count} more not shown)", "({count} more not shown)", hidden).format(
                count=hidden
            )
        return [*lines, failed] if self.failed else []


class _Stopped(Exception):
    """Raised into the listing traversal when sync is interrupted."""


def sync(
    ctx: Context,
    *,
    pages: int | None = 5,
    articles: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Refresh `pages` listing pages (all when None) and, with `articles`, fetch every
    listed article with `workers` concurrent requests (1..8; default: the setting)."""
    count = max(1, min(MAX_WORKERS, workers or ctx.settings.workers))
    ctx.fetcher_for(count)  # the HTTP pool is sized for this sync: listing page + `count` articles
    return _SyncRun(ctx, pages=pages, articles=articles, workers=count, progress=progress).run()


class _SyncRun:
    def __init__(
        self, ctx: Context, *, pages: int | None, articles: bool, workers: int, progress: Progress | None
    ) -> None:
        self.ctx = ctx
        self.pages = pages
        self.articles = articles
        self.progress = progress
        self.report = SyncReport()
        self.validators = ctx.cache.article_validators()
        # Futures as they complete, and PAGE_READ each time a listing page adds articles.
        self.finished: queue.SimpleQueue[Future[Any]] = queue.SimpleQueue()
        self.running: dict[Future[Any], str] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lillenews-sync")
        self.writes: list[Statement] = []

    def run(self) -> SyncReport:
        listing_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lillenews-listing")
        listing = listing_pool.submit(self._walk)
        listing.add_done_callback(self.finished.put)
        try:
            self._collect(listing)
        except KeyboardInterrupt:
            self.report.interrupted = True
            self.stop.set()
        finally:
            with self.lock:
                for future in self.running:
                    future.cancel()
            self.pool.shutdown(wait=not self.report.interrupted, cancel_futures=True)
            listing_pool.shutdown(wait=False, cancel_futures=True)
            self._flush()
        return self.report

    def _walk(self) -> None:
        """Read the listing (in its own thread), handing each new headline to the pool."""
        for page in ListingWalk(self.ctx, refresh=True, max_pages=self.pages):
            if self.stop.is_set():
                raise _Stopped()
            self.report.headlines += len(page.new)
            if self.articles:
                self._submit(page.new)

    def _submit(self, headlines: tuple[Headline, ...]) -> None:
        futures = []
        for h in headlines:
            future = self.pool.submit(_fetch_article, self.ctx, h.url, self.validators.get(h.url))
            with self.lock:
                self.running[future] = h.url
            futures.append(future)
        # The page's marker goes first, so the collector reports the new total before any of
        # these articles (a callback added to a finished future runs at once, after it).
        self.finished.put(PAGE_READ)
        for future in futures:
            future.add_done_callback(self.finished.put)

    def _collect(self, listing: Future[None]) -> None:
        """Take in the articles as they arrive, until the listing and every article are done."""
        done = 0
        while True:
            with self.lock:
                if listing.done() and not self.running:
                    return
            try:
                future = self.finished.get(timeout=POLL_S)
            except queue.Empty:
                if listing.done() or self.running:
                    self._report(done, listing)
                continue
            if future is listing:
                future.result()  # a listing that cannot be fetched at all is the command's error
                continue
            if future is PAGE_READ:  # the total is known before any article arrives
                self._report(done, listing)
                continue
            with self.lock:
                url = self.running.pop(future)
            self._take(url, future)
            done += 1
            self._report(done, listing)
            if len(self.writes) >= WRITE_BATCH:
                self._flush()

    def _report(self, done: int, listing: Future[None]) -> None:
        """Progress: articles done, of those known (one more while the listing is still read)."""
        if self.progress:
            with self.lock:
                total = len(self.running) + done
            self.progress(done, total if listing.done() else total + 1)

    def _take(self, url: str, future: Future[Fetched[Article]]) -> None:
        """Count one article's outcome and queue its write."""
        try:
            fetched: Fetched[Article] = future.result()
            outcome = self._outcome(url, fetched)
        except FetchError as exc:
            self.report.failed.append((url, clean_cause(exc.cause)))  # printed and in --json: sanitised
            if isinstance(exc, SiteDownError):
                self.report.not_tried.add(url)
            return
        self.report.count(outcome)
        now = self.ctx.now()
        if fetched.value is None:
            self.writes.append(Cache.article_touch(url, now))
            return
        article = fetched.value
        self.writes.append(
            Cache.article_upsert(url, article, article.plain_text(), fetched.etag, fetched.last_modified, now)
        )

    def _outcome(self, url: str, fetched: Fetched[Article]) -> Outcome:
        """NEW, UPDATED or UNCHANGED; LayoutError for a page standing in for the cached article."""
        if fetched.value is None:
            return Outcome.UNCHANGED
        if url not in self.validators:
            return Outcome.NEW
        cache = self.ctx.cache
        if cache.holds_article(url, fetched.value):
            return Outcome.UNCHANGED  # fetched again (no validators honoured), same content
        cached = cache.article(url)
        if cached is not None:
            check_not_a_stand_in(url, cached.article, fetched.value, fetched.value.plain_text())
        return Outcome.UPDATED

    def _flush(self) -> None:
        if self.writes:
            self.ctx.cache.write(self.writes)
            self.writes.clear()


def _fetch_article(ctx: Context, url: str, validators: Validators | None) -> Fetched[Article]:
    """One article, in a worker thread: fetched and parsed, not stored."""
    return conditional_get(ctx.fetcher, url, validators, article_parser(ctx.today()))
