"""Use cases: what each command does, independent of how it is shown.

Data flows one way: fetch -> parse -> store -> (the caller renders). Network and
parsing modules are imported only when a command actually needs the network, so a
warm-cache `list` or `read` touches SQLite and nothing else."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple
from pathlib import Path
from urllib.parse import urlsplit

from .config import Settings
from .errors import FetchError, LayoutError, NotCachedError, UsageError
from .models import Article, Headline, Numbered
from .store import Cache, CachedPage, UserState
from .text import find_spans

if TYPE_CHECKING:  # pragma: no cover
    from .fetch import Fetcher

MAX_PAGES = 200  # a runaway pagination must end somewhere
SEARCH_MIN_HEADLINES = 50  # search refreshes at least this much of the listing


def describe_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now"


class ListingResult(NamedTuple):
    items: list[Numbered]
    complete: bool  # the whole listing (every page) is in `items`


class ArticleResult(NamedTuple):
    article: Article
    number: int | None
    fetched_at: float
    from_cache: bool


@dataclass
class SyncReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, cause)
    interrupted: bool = False
    headlines: int = 0

    def summary(self) -> str:
        text = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.failed)} failed"
        return text + (" (interrupted)" if self.interrupted else "")


@dataclass
class LilleNews:
    """The application: settings, stores and (lazily) the network."""

    settings: Settings
    warn: Callable[[str], None] = lambda message: None
    now: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    _fetcher: "Fetcher | None" = field(default=None, init=False, repr=False)
    _warned_stale: bool = field(default=False, init=False, repr=False)

    @cached_property
    def cache(self) -> Cache:
        return Cache(self.settings.cache_dir / "cache.db", self.warn)

    @cached_property
    def state(self) -> UserState:
        return UserState(self.settings.data_dir / "state.db", self.warn)

    @property
    def fetcher(self) -> "Fetcher":
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher(self.settings, sleep=self.sleep)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        for name in ("cache", "state"):
            if name in self.__dict__:
                self.__dict__[name].close()

    # ------------------------------------------------------------------ listing
    def cached_listing(self) -> list[Headline]:
        """The listing as cached, in order, each headline once: numbers are positions."""
        return _dedup(h for page in self.cache.pages() for h in page.headlines)

    def is_fresh(self, page: CachedPage) -> bool:
        return self.now() - page.fetched_at < self.settings.listing_max_age * 60

    def listing(self, limit: int | None = 20, refresh: bool = False, offline: bool = False,
                max_pages: int | None = None, unread_only: bool = False,
                on_page: Callable[[list[Headline]], None] | None = None) -> ListingResult:
        """The first `limit` headlines (all when None) from at most `max_pages` pages,
        fetching the pages that are missing or stale. With `unread_only`, the first
        `limit` unread ones (reading further pages when needed)."""
        read = self.state.read_urls() if unread_only else set()

        def wanted(headlines: list[Headline]) -> list[Headline]:
            return [h for h in headlines if h.url not in read]

        collected: list[Headline] = []
        url: str | None = self.settings.listing_url
        guessed = False  # the URL was built from the (offset)/N scheme, not read from the page
        per_page = 0
        complete = False
        for index in range(min(max_pages or MAX_PAGES, MAX_PAGES)):
            if url is None:
                complete = True
                break
            page, ended = self._listing_page(index, url, refresh, offline, guessed)
            if page is None:
                complete = ended  # a guessed page that does not exist: the listing ended
                break
            before = len(collected)
            collected = _dedup(collected + list(page.headlines))
            if on_page is not None and len(collected) > before:
                on_page(collected[before:])
            if index > 0 and len(collected) == before:
                complete = True  # a page with nothing new: past the end
                break
            per_page = per_page or len(page.headlines)
            if limit is not None and len(wanted(collected)) >= limit:
                break
            url, guessed = self._next_url(page, index, per_page)
        numbered = [i for i in self._numbered(collected) if not (unread_only and i.read)]
        shown = numbered if limit is None else numbered[:limit]
        return ListingResult(shown, complete=complete)

    def _next_url(self, page: CachedPage, index: int, per_page: int) -> tuple[str | None, bool]:
        if page.next_url:
            return page.next_url, False
        if page.has_pagination:
            return None, False  # a pagination block without a next link: last page
        # No pagination seen at all: build eZ Publish view-parameter URLs.
        return f"{self.settings.listing_url}/(offset)/{(index + 1) * per_page}", True

    def _listing_page(self, index: int, url: str, refresh: bool, offline: bool, guessed: bool) -> tuple[CachedPage | None, bool]:
        cached = self.cache.page(url)
        if offline:
            if cached is None and index == 0:
                raise NotCachedError("the news listing is not cached yet; run 'lillenews list' while online")
            return cached, False
        if cached is not None and not refresh and self.is_fresh(cached):
            return cached, False
        try:
            return self._fetch_listing_page(index, url, cached), False
        except FetchError as exc:
            if guessed and (isinstance(exc, LayoutError) or exc.status == 404):
                return None, True
            if cached is not None:
                self._warn_stale(exc, cached.fetched_at)
                return cached, False
            if index == 0:
                raise
            self.warn(f"{exc}; showing the headlines fetched so far")
            return None, False

    def _warn_stale(self, exc: FetchError, fetched_at: float) -> None:
        # One warning per command: later pages of an unreachable site say nothing new.
        if not self._warned_stale:
            self._warned_stale = True
            self.warn(f"{exc}; showing the copy cached {describe_age(self.now() - fetched_at)}")

    def _fetch_listing_page(self, index: int, url: str, cached: CachedPage | None) -> CachedPage:
        from .parse import parse_listing

        response = self.fetcher.get(url, cached.etag if cached else None, cached.last_modified if cached else None)
        now = self.now()
        if response.status == 304 and cached is not None:
            self.cache.touch_page(url, now, response.etag, response.last_modified)
            return CachedPage(url, index, now, response.etag or cached.etag, response.last_modified or cached.last_modified,
                              cached.next_url, cached.has_pagination, cached.headlines)
        parsed = parse_listing(response.text, response.url)
        page = CachedPage(url, index, now, response.etag, response.last_modified, parsed.next_url,
                          parsed.has_pagination, parsed.headlines)
        self.cache.save_page(index, url, parsed.headlines, parsed.next_url, parsed.has_pagination,
                             response.etag, response.last_modified, now)
        return page

    def _numbered(self, headlines: list[Headline], start: int = 1) -> list[Numbered]:
        read = self.state.read_urls()
        seen = self.state.seen_urls()
        return [Numbered(n, h, read=h.url in read, new=h.url not in seen) for n, h in enumerate(headlines, start)]

    def mark_seen(self, items: Iterable[Numbered]) -> None:
        self.state.mark_seen([i.headline.url for i in items], self.now())

    # ------------------------------------------------------------------ articles
    def resolve(self, target: str, offline: bool = False) -> tuple[str, int | None]:
        """An article number of the listing, or a URL on the site -> (url, number)."""
        target = target.strip()
        if re.fullmatch(r"[+-]?\d+", target):
            number = int(target)
            listing = self.cached_listing()
            if not listing and not offline:
                listing = [i.headline for i in self.listing().items]
                # The cached order is the numbering; the fetched one serves if the cache is unwritable.
                listing = self.cached_listing() or listing
            if not listing:
                raise NotCachedError("there is no cached listing to number articles; run 'lillenews list' while online")
            if not 1 <= number <= len(listing):
                raise UsageError(f"no article {number} (the listing has 1–{len(listing)}); run 'lillenews list' to see them")
            return listing[number - 1].url, number
        url = self.site_url(target)
        number = next((n for n, h in enumerate(self.cached_listing(), 1) if h.url == url), None)
        return url, number

    def site_url(self, target: str) -> str:
        """Accept absolute URLs on the configured site and site-relative paths only."""
        from urllib.parse import urljoin

        if target.startswith("/"):
            target = urljoin(self.settings.base_url + "/", target)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(
                f"expected an article number or a {self.settings.site_host} URL, got {target!r}"
            )
        if parts.netloc.lower() != self.settings.site_host:
            raise UsageError(
                f"{parts.netloc} is not {self.settings.site_host}; lillenews only reads the City of Lille's news"
            )
        from .urls import canonical_url

        return canonical_url(target, target) or target

    def article(self, target: str, refresh: bool = False, offline: bool = False, mark_read: bool = True) -> ArticleResult:
        url, number = self.resolve(target, offline=offline)
        cached = self.cache.article(url)
        if cached is not None and not refresh:
            result = ArticleResult(cached.article, number, cached.fetched_at, True)
        elif offline:
            if cached is None:
                what = f"article {number}" if number else url
                raise NotCachedError(f"{what} is not cached; run 'lillenews read {target}' while online, or 'lillenews sync'")
            result = ArticleResult(cached.article, number, cached.fetched_at, True)
        else:
            try:
                result = self._fetch_article(url, number, cached)
            except FetchError as exc:
                if cached is None:
                    raise
                self._warn_stale(exc, cached.fetched_at)
                result = ArticleResult(cached.article, number, cached.fetched_at, True)
        if mark_read:
            self.state.mark_read([url], self.now())
        return result

    def _fetch_article(self, url: str, number: int | None, cached) -> ArticleResult:
        from .parse import parse_article

        response = self.fetcher.get(url, cached.etag if cached else None, cached.last_modified if cached else None)
        now = self.now()
        if response.status == 304 and cached is not None:
            self.cache.touch_article(url, now)
            return ArticleResult(cached.article, number, now, True)
        article = parse_article(response.text, url)
        text = article.plain_text()
        if cached is not None and _looks_like_a_stand_in(cached.article, article, text):
            raise LayoutError(url, "only a short page unlike the cached article")
        self.cache.save_article(url, article, text, response.etag, response.last_modified, now)
        return ArticleResult(article, number, now, False)

    # ------------------------------------------------------------------ search
    def search(self, words: list[str], limit: int | None = None, offline: bool = False) -> list[tuple[Numbered, list, list]]:
        """Headlines whose title or summary contains every word (case- and
        accent-insensitive), with the matching spans of the title and summary."""
        words = [w for w in words if w.strip()]
        if not words:
            raise UsageError("give at least one word to search for")
        pages = self.cache.pages()
        listing = _dedup(h for page in pages for h in page.headlines)
        if not offline and (not pages or not self.is_fresh(pages[0]) or len(listing) < SEARCH_MIN_HEADLINES):
            try:
                self.listing(limit=SEARCH_MIN_HEADLINES)
                listing = self.cached_listing()
            except FetchError as exc:
                if not pages:
                    raise
                self.warn(f"{exc}; searching the cached headlines")
        if not listing:
            raise NotCachedError("the news listing is not cached yet; run 'lillenews list' while online")
        results = []
        for item in self._numbered(listing):
            h = item.headline
            haystack = f"{h.title}\n{h.summary or ''}"
            if find_spans(haystack, words) is None:
                continue
            results.append((item, find_spans_any(h.title, words), find_spans_any(h.summary or "", words)))
            if limit is not None and len(results) >= limit:
                break
        return results

    def search_full(self, words: list[str], limit: int = 20) -> list[Numbered]:
        """Full-text search (FTS5, bm25) over the cached articles' title and text."""
        import sqlite3

        query = " ".join(w for w in words if w.strip())
        if not query:
            raise UsageError("give at least one word to search for")
        if not self.cache.has_articles():
            raise NotCachedError("no articles are cached yet; run 'lillenews sync' (or read some) first")
        try:
            rows = self.cache.search_full(query, limit)
        except sqlite3.OperationalError as exc:
            raise _fts_usage(exc, query) from None
        numbers = {h.url: n for n, h in enumerate(self.cached_listing(), 1)}
        read = self.state.read_urls()
        out = []
        for url, title, snippet, date, category, lead, image in rows:
            headline = Headline(url=url, title=title, date=date, category=category, summary=lead, image=image)
            out.append(Numbered(numbers.get(url), headline, read=url in read, snippet=snippet))
        return out

    def sync(self, pages: int | None = 5, articles: bool = True, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Refresh the listing (`pages` pages, all when None) and fetch every article
        not cached yet, re-checking cached ones with conditional requests.

        Articles are fetched while the listing is still being read, by a pool of
        `workers` threads sharing one HTTP client (whose connection pool also caps
        requests in flight at `workers` + the one listing page). Results are
        written in batched transactions, so Ctrl-C keeps what was done."""
        import queue
        import threading
        from concurrent.futures import Future, ThreadPoolExecutor

        workers = max(1, min(8, workers or self.settings.workers))
        if self._fetcher is None:
            self.settings = self.settings._replace(workers=workers)
        report = SyncReport()
        validators = self.cache.article_validators()
        finished: queue.SimpleQueue[Future] = queue.SimpleQueue()  # futures, as they complete
        running: dict[Future, str] = {}
        lock = threading.Lock()
        stop = threading.Event()
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lillenews-sync")

        def on_page(headlines: list[Headline]) -> None:
            if stop.is_set():
                raise _Stopped()
            report.headlines += len(headlines)
            if not articles:
                return
            for h in headlines:
                future = pool.submit(self._fetch_for_sync, h.url, validators.get(h.url))
                with lock:
                    running[future] = h.url
                future.add_done_callback(finished.put)

        listing_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lillenews-listing")
        listing = listing_pool.submit(self.listing, None, True, False, pages, False, on_page)
        listing.add_done_callback(finished.put)
        writes: list = []
        done = 0
        try:
            while True:
                with lock:
                    if listing.done() and not running:
                        break
                try:
                    future = finished.get(timeout=0.5)  # a timeout keeps Ctrl-C responsive
                except queue.Empty:
                    continue
                if future is listing:
                    future.result()  # a listing that cannot be fetched at all is the command's error
                    continue
                with lock:
                    url = running.pop(future)
                    total = len(running) + done + 1
                self._sync_outcome(url, future, report, writes)
                done += 1
                if progress:
                    progress(done, total if listing.done() else total + 1)
                if len(writes) >= 25:
                    self.cache.write(writes)
                    writes.clear()
        except KeyboardInterrupt:
            report.interrupted = True
            stop.set()
        finally:
            with lock:
                for future in running:
                    future.cancel()
            pool.shutdown(wait=not report.interrupted, cancel_futures=True)
            listing_pool.shutdown(wait=False, cancel_futures=True)
            if writes:
                self.cache.write(writes)
        return report

    def _sync_outcome(self, url: str, future, report: SyncReport, writes: list) -> None:
        try:
            outcome, payload = future.result()
        except FetchError as exc:
            report.failed.append((url, exc.cause))
            return
        if outcome == "unchanged":
            report.unchanged += 1
            writes.append(("UPDATE articles SET fetched_at = ? WHERE url = ?", (self.now(), url)))
            return
        article, etag, last_modified = payload
        text = article.plain_text()
        if outcome == "updated":
            if self.cache.article_data(url) == _article_json(article):
                outcome = "unchanged"
            else:
                cached = self.cache.article(url)
                if cached is not None and _looks_like_a_stand_in(cached.article, article, text):
                    report.failed.append((url, LayoutError(url, "only a short page unlike the cached article").cause))
                    return
        setattr(report, outcome, getattr(report, outcome) + 1)
        writes.append(self.cache.article_upsert(url, article, text, etag, last_modified, self.now()))

    def _fetch_for_sync(self, url: str, validators: tuple[str | None, str | None] | None):
        from .parse import parse_article

        etag, last_modified = validators or (None, None)
        response = self.fetcher.get(url, etag, last_modified)
        if response.status == 304:
            return "unchanged", None
        article = parse_article(response.text, url)
        return ("updated" if validators else "new"), (article, response.etag, response.last_modified)

    def mark(self, targets: list[str], all_listed: bool = False, unread: bool = False) -> int:
        """Mark articles (numbers or URLs, or the whole cached listing) read or unread."""
        if all_listed:
            urls = [h.url for h in self.cached_listing()]
            if not urls:
                raise NotCachedError("the news listing is not cached yet; run 'lillenews list' first")
        else:
            if not targets:
                raise UsageError("give article numbers or URLs to mark, or --all")
            urls = [self.resolve(t, offline=True)[0] for t in targets]
        if unread:
            self.state.mark_unread(urls)
        else:
            self.state.mark_read(urls, self.now())
        return len(urls)

    def feed_entries(self, limit: int = 50, offline: bool = True) -> list[tuple[Numbered, Article | None]]:
        """Headlines of the listing (refreshed when stale unless offline) with their
        cached article when there is one."""
        if offline:
            listing = self.cached_listing()
            if not listing:
                raise NotCachedError("the news listing is not cached yet; run 'lillenews list' or 'lillenews sync' first")
            items = self._numbered(listing[:limit])
        else:
            items = self.listing(limit=limit).items
        out = []
        for item in items:
            cached = self.cache.article(item.headline.url)
            out.append((item, cached.article if cached else None))
        return out

    def cache_info(self) -> dict:
        counts = self.cache.counts()
        size = 0
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(self.cache.path) + suffix)
            if path.exists():
                size += path.stat().st_size
        now = self.now()
        return {
            "path": str(self.cache.path),
            "cache_dir": str(self.settings.cache_dir),
            "data_dir": str(self.settings.data_dir),
            "config_file": str(self.settings.config_dir / "config.toml"),
            "size_bytes": size,
            "listing_pages": counts["pages"],
            "headlines": len(self.cached_listing()),
            "articles": counts["articles"],
            "oldest_fetch_age_s": None if counts["oldest"] is None else round(now - counts["oldest"]),
            "newest_fetch_age_s": None if counts["newest"] is None else round(now - counts["newest"]),
        }

    def cache_clear(self) -> dict:
        info = self.cache_info()
        self.cache.clear()
        return info



def _looks_like_a_stand_in(old: Article, new: Article, new_text: str) -> bool:
    """A maintenance or error page served with 200 at an article's address must not
    replace the good cached article: a new title and a fraction of the text."""
    old_text = old.plain_text()
    return new.title != old.title and len(new_text) < 0.25 * len(old_text)


class _Stopped(Exception):
    """Raised into the listing traversal when sync is interrupted."""


def _article_json(article: Article) -> str:
    import json

    return json.dumps(article.to_dict(), ensure_ascii=False)


def find_spans_any(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans of every word that occurs in `text` (for highlighting)."""
    spans: list[tuple[int, int]] = []
    for word in words:
        found = find_spans(text, [word])
        if found:
            spans.extend(found)
    return sorted(spans)


def _dedup(headlines: Iterable[Headline]) -> list[Headline]:
    seen: set[str] = set()
    out: list[Headline] = []
    for h in headlines:
        if h.url not in seen:
            seen.add(h.url)
            out.append(h)
    return out


# ---------------------------------------------------------------------- issue 4: offline reading at scale
def _fts_usage(exc: Exception, query: str) -> UsageError:
    message = str(exc).replace("fts5: ", "")
    return UsageError(
        f"invalid full-text query {query!r} ({message}); use plain words, \"a phrase\", prefix* or AND/OR/NOT"
    )
