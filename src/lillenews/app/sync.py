"""Bulk sync, polite by default: the listing pages and the articles not cached yet
(cached ones are re-checked with conditional requests only with `refresh`), then the
agenda: its listing pages and the pages of the next week's events (sync_events.py).

The site's robots.txt is the rule (net/robots.py): a disallowed article or event is
never requested (it is counted); while robots.txt cannot be read nothing is fetched and
the cache stands; with a Crawl-delay, requests go one at a time at that pace, whatever
`workers` says. Without one, pages are fetched while the listing is still being read, by
a pool of `workers` threads sharing one HTTP client, whose connection pool (sized from
the same explicit count) also caps requests in flight at `workers` + the one listing
page. Results are written in batched transactions, so Ctrl-C keeps what was done."""

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NamedTuple

from lillenews.app import sync_events as agenda
from lillenews.app.cached_fetch import (
    Fetched,
    Outcome,
    article_parser,
    check_not_a_stand_in,
    conditional_fetch,
    parse_fetched,
)
from lillenews.app.context import Context, unique_headlines
from lillenews.app.events import EventService
from lillenews.app.listing import ListingWalk
from lillenews.app.sync_report import SyncReport
from lillenews.base.errors import FetchError, RobotsUnavailableError, SiteDownError
from lillenews.base.models import Article
from lillenews.base.text import clean_cause
from lillenews.store.cache import Cache
from lillenews.store.database import Statement

__all__ = ["MAX_WORKERS", "Estimate", "Progress", "SyncReport", "sync"]

MAX_WORKERS = 8
WRITE_BATCH = 25  # articles per transaction
POLL_S = 0.5  # the main thread wakes this often, so Ctrl-C is handled promptly
PAGE_READ: Future[Any] = Future()  # a marker in the queue of finished futures: a listing page was read
PER_PAGE_GUESS = 10  # headlines per listing page on lille.fr, for an estimate before any is cached

Progress = Callable[[int, int], None]


class Estimate(NamedTuple):
    """What a sync is expected to cost, told when it starts."""

    requests: int
    delay: float | None  # the Crawl-delay it runs at (None: no pause)

    @property
    def seconds(self) -> float:
        """At least this long at the site's pace (the first request goes at once)."""
        return max(0, self.requests - 1) * (self.delay or 0.0)


class _Stopped(Exception):
    """Raised into the listing traversal when sync is interrupted."""


def sync(
    ctx: Context,
    *,
    pages: int | None = 5,
    articles: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
    refresh: bool = False,
    events: bool = True,
    on_start: Callable[[Estimate], None] | None = None,
) -> SyncReport:
    """Refresh `pages` listing pages (all when None) and, with `articles`, fetch the listed
    articles not cached yet (every listed one with `refresh`), with `workers` concurrent
    requests (1..8; default: the setting) unless robots.txt sets a Crawl-delay; with
    `events`, the agenda too. `on_start` is told the estimate before the first request."""
    count = max(1, min(MAX_WORKERS, workers or ctx.settings.workers))
    ctx.expect_several()
    fetcher = ctx.fetcher_for(count)  # the HTTP pool is sized for this sync: listing page + `count` articles
    gate = fetcher.robots
    rules = gate.rules()
    report = SyncReport(delay=fetcher.pacer.delay)
    if gate.refuses_all():  # RFC 9309: nothing is fetched for an hour; the cache stands
        return _robots_unavailable(ctx, report, RobotsUnavailableError(ctx.settings.listing_url, gate.cause()))
    if fetcher.pacer.paced:
        count = 1  # robots.txt's Crawl-delay wins over --workers: one request at a time
    run = _SyncRun(ctx, pages=pages, articles=articles, workers=count, progress=progress, refresh=refresh)
    run.allowed = rules.allowed
    before = fetcher.pacer.requests
    try:
        if events:
            run.agenda = EventService(ctx)
        if on_start is not None:
            on_start(run.estimate())
        run.run()
    finally:
        if run.agenda is not None:
            run.agenda.close()
    report = run.report
    report.requests = fetcher.pacer.requests - before
    return report


def _robots_unavailable(ctx: Context, report: SyncReport, exc: RobotsUnavailableError) -> SyncReport:
    """Serve the cache with one warning; with nothing cached, the command's error."""
    if not ctx.cache.pages():
        raise exc
    ctx.warn(str(exc.cause))
    report.robots_unavailable = True
    return report


def _import_the_parser() -> None:
    """Import the HTML parser and the site's markup (~10 ms with their first use) while the
    walk's first listing request is on its way, so that it is parsed as soon as it arrives.
    The interpreter switches threads every 0.2 ms meanwhile (5 ms by default): the walk's
    own Python work (sending the request) is not held up by the import."""
    import sys

    from lillenews.base.startup import uncollected_imports

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        with uncollected_imports("lillenews.site.news"):
            import lillenews.site.news  # noqa: F401
    finally:
        sys.setswitchinterval(interval)


class _SyncRun:
    def __init__(
        self, ctx: Context, *, pages: int | None, articles: bool, workers: int, progress: Progress | None, refresh: bool
    ) -> None:
        self.ctx = ctx
        self.pages = pages
        self.articles = articles
        self.refresh = refresh
        self.progress = progress
        self.report = SyncReport(delay=ctx.fetcher.pacer.delay)
        self.validators = ctx.cache.article_validators()
        self.allowed: Callable[[str], bool] = lambda _url: True
        self.agenda: EventService | None = None
        # Futures as they complete, and PAGE_READ each time a listing page adds work.
        self.finished: queue.SimpleQueue[Future[Any]] = queue.SimpleQueue()
        self.running: dict[Future[Any], tuple[str, str]] = {}  # future -> (kind, url)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lillenews-sync")
        self.writes: list[Statement] = []
        self.parse = article_parser(ctx.today())

    def estimate(self) -> Estimate:
        """Requests this sync will make, judged from the cache (see the README's figures)."""
        cached = [copy.value for copy in self.ctx.cache.pages()]  # first page first
        pages = self.pages or max(1, len(cached))
        if cached and cached[-1].has_pagination and not cached[-1].next_url:
            pages = min(pages, len(cached))  # the cached listing shows where it ends
        cached = cached[:pages]
        if not self.articles:
            articles = 0
        elif cached:
            listed = unique_headlines(h for p in cached for h in p.headlines)
            articles = sum(1 for h in listed if (self.refresh or h.url not in self.validators) and self.allowed(h.url))
        else:
            articles = pages * PER_PAGE_GUESS
        events = agenda.estimate(self.agenda, pages, self.refresh) if self.agenda is not None else 0
        return Estimate(pages + articles + events, self.ctx.fetcher.pacer.delay)

    def run(self) -> SyncReport:
        listing_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lillenews-listing")
        listing = listing_pool.submit(self._walk)
        listing.add_done_callback(self.finished.put)
        try:
            _import_the_parser()
            self._collect(listing)
        except KeyboardInterrupt:
            self.report.interrupted = True
            self.stop.set()
        finally:
            with self.lock:
                for future in self.running:
                    future.cancel()
            listing_pool.shutdown(wait=False, cancel_futures=True)  # first: the wait below may be interrupted
            try:
                self.pool.shutdown(wait=not self.report.interrupted, cancel_futures=True)
            finally:
                self._flush()  # what was fetched is kept, even when Ctrl-C ends that wait
        return self.report

    def _check_stop(self) -> None:
        if self.stop.is_set():
            raise _Stopped()

    def _walk(self) -> None:
        """Read the listing (in its own thread), handing each new headline to the pool;
        then the agenda's pages, handing the next week's events to it."""
        for page in ListingWalk(self.ctx, refresh=True, max_pages=self.pages):
            self._check_stop()
            self.report.headlines += len(page.new)
            if self.articles:
                self._submit("article", [h.url for h in page.new])
        if self.agenda is not None:
            self._walk_agenda(self.agenda)

    def _walk_agenda(self, service: EventService) -> None:
        report = self.report.events = agenda.AgendaReport()

        def on_page() -> None:
            self._check_stop()
            report.pages += 1

        try:
            events = agenda.walk_agenda(service, self.pages, on_page=on_page)
        except FetchError as exc:
            if agenda.no_agenda(exc):
                self.report.events = None  # the site has no agenda there: nothing to sync
            else:
                self._failed(exc.url, exc, "event")
            return
        report.listed = len(events)
        if self.articles:
            todo, report.cached = agenda.wanted(service, events, self.refresh)
            self._submit("event", [e.url for e in todo])

    def _submit(self, kind: str, urls: list[str]) -> None:
        futures = []
        for url in urls:
            counts = self.report.counts(kind)
            if kind == "article" and url in self.validators and not self.refresh:
                counts.cached += 1  # polite sync: a cached article is not asked for again
                continue
            if not self.allowed(url):
                counts.disallowed += 1  # robots.txt asks not to: never requested
                continue
            future = self.pool.submit(self._fetch, kind, url)
            with self.lock:
                self.running[future] = (kind, url)
            futures.append(future)
        # The page's marker goes first, so the collector reports the new total before any of
        # these pages (a callback added to a finished future runs at once, after it).
        self.finished.put(PAGE_READ)
        for future in futures:
            future.add_done_callback(self.finished.put)

    def _fetch(self, kind: str, url: str) -> Fetched[Any]:
        """One article or event page, in a worker thread: fetched and parsed, not stored."""
        if kind == "event":
            assert self.agenda is not None
            return agenda.fetch_page(self.agenda, url, agenda.validators(self.agenda, url))
        return conditional_fetch(self.ctx.fetcher, url, self.validators.get(url))

    def _collect(self, listing: Future[None]) -> None:
        """Take in the pages as they arrive, until the listing and every page are done."""
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
            if future is PAGE_READ:  # the total is known before any page arrives
                self._report(done, listing)
                continue
            with self.lock:
                kind, url = self.running.pop(future)
            self._take(kind, url, future)
            done += 1
            self._report(done, listing)
            if len(self.writes) >= WRITE_BATCH:
                self._flush()

    def _report(self, done: int, listing: Future[None]) -> None:
        """Progress: pages done, of those known (one more while the listings are still read)."""
        if self.progress:
            with self.lock:
                total = len(self.running) + done
            self.progress(done, total if listing.done() else total + 1)

    def _take(self, kind: str, url: str, future: Future[Fetched[Any]]) -> None:
        """Count one page's outcome and store it (articles: queue its write)."""
        try:
            fetched = future.result()
            if kind == "event":
                assert self.agenda is not None
                self.report.count_event(agenda.save_page(self.agenda, url, fetched))
                return
            fetched = parse_fetched(url, fetched, self.parse)
            outcome = self._outcome(url, fetched)
        except FetchError as exc:
            self._failed(url, exc, kind)
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

    def _failed(self, url: str, exc: FetchError, kind: str) -> None:
        self.report.failed.append((url, clean_cause(exc.cause)))  # printed and in --json: sanitised
        if isinstance(exc, SiteDownError):
            self.report.not_tried.add(url)
        if kind == "event":
            self.report.event_failures.add(url)

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
