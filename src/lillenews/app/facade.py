"""The façade the CLI calls: one object per command run, wiring the use cases.

Each concern lives in its own module: `context` (settings, stores, the lazily built
fetcher, clocks), `cached_fetch` (the one fresh / not-modified / stale rule),
`listing` (the listing walker), `search`, `sync`. Data flows one way: fetch ->
parse -> store -> (the caller renders). Network and parsing modules are imported
only when a command needs the network, so a warm-cache `list` or `read` touches
SQLite and nothing else."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from lillenews.app.cached_fetch import article_through, cache_through, cached_article
from lillenews.app.context import Context
from lillenews.app.numbers import Numbering, resolve
from lillenews.app.walker import DEFAULT_LIMIT
from lillenews.base.config import Settings
from lillenews.base.errors import CacheError, NotCachedError, UsageError
from lillenews.base.i18n import _
from lillenews.base.models import Article, Headline, Numbered

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.app.events import EventService
    from lillenews.app.listing import ListingResult  # by the news commands only, not `events`
    from lillenews.app.new import NewBatch
    from lillenews.app.quartiers import QuartierService
    from lillenews.app.search import HeadlineHit  # by `search` only: the query parser and snippets
    from lillenews.app.sync import Estimate, Progress, SyncReport  # by `sync` only: threads and pools cost start-up

__all__ = ["ArticleResult", "LilleNews"]


class ArticleResult(NamedTuple):
    article: Article
    number: int | None
    fetched_at: float
    from_cache: bool
    listed: Headline | None = None  # the article's headline in the cached listing (its category, date, summary)
    numbers: Mapping[str, int] = {}  # listing number of every listed URL (for « Lire aussi »)


class LilleNews:
    """The application: settings, stores and (lazily) the network, behind one method per use case.

    Built from a `Context`, which holds everything a test may inject (clocks, sleep,
    a fake fetcher); `LilleNews.for_settings` is the everyday way to make one."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @classmethod
    def for_settings(cls, settings: Settings, *, warn: Callable[[str], None] | None = None) -> "LilleNews":
        return cls(Context(settings) if warn is None else Context(settings, warn=warn))

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def now(self) -> Callable[[], float]:
        return self.ctx.now

    def close(self) -> None:
        if "events" in self.__dict__:
            self.events.close()
        self.ctx.close()

    @cached_property
    def events(self) -> "EventService":
        """The events agenda's use cases (app/events.py), sharing this context."""
        from lillenews.app.events import EventService

        return EventService(self.ctx)

    # ------------------------------------------------------------------ listing
    def cached_listing(self) -> list[Headline]:
        return self.ctx.cached_listing()

    def listing(
        self,
        limit: int | None = DEFAULT_LIMIT,
        *,
        refresh: bool = False,
        offline: bool = False,
        unread_only: bool = False,
    ) -> "ListingResult":
        """The first `limit` headlines (all when None), numbered; see listing.listing."""
        if limit is None or limit > DEFAULT_LIMIT:
            self.ctx.expect_several()  # more than the default listing: bulk for robots.txt
        from lillenews.app import listing as _listing

        return _listing.listing(self.ctx, limit, refresh=refresh, offline=offline, unread_only=unread_only)

    def mark_seen(self, items: Iterable[Numbered]) -> None:
        self.ctx.state.mark_seen([i.headline.url for i in items], self.ctx.now())

    # ------------------------------------------------------------------ articles
    def resolve(self, target: str, *, offline: bool = False) -> tuple[str, int | None]:
        """An article number of the listing, or a URL on the site -> (url, number)."""
        url, number, _ = self._resolve(target, offline=offline)
        return url, number

    def _resolve(self, target: str, *, offline: bool = False) -> tuple[str, int | None, Sequence[Headline]]:
        """(url, number, the cached listing it was resolved against)."""

        def more(number: int, listed: Sequence[Headline]) -> list[Headline]:
            # Up to that number (the default listing's first when nothing is cached yet).
            if listed or number > 20:
                self.ctx.expect_several()  # beyond what was listed: the listing's next pages
            fetched = [i.headline for i in self.listing(number if listed else max(number, 20)).items]
            # The cached order is the numbering; the fetched one serves if the cache is unwritable.
            return self.ctx.cached_listing() or fetched

        numbering = Numbering(
            self.ctx.cached_listing, more, _headline_url,
            none=_("there is no cached listing to number articles; run 'lillenews list' while online"),
            beyond=_("no article {number} (the listing has 1–{count}); run 'lillenews list --all' to see them"),
        )  # fmt: skip
        return resolve(target, numbering, self.site_url, offline=offline)

    def site_url(self, target: str) -> str:
        """Accept absolute URLs on the configured site and site-relative paths only."""
        settings = self.ctx.settings
        try:
            if target.startswith("/"):
                target = urljoin(settings.base_url + "/", target)
            parts = urlsplit(target)
        except ValueError:  # "http://x[/": an invalid address is bad usage, never `unexpected`
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            expected = _("expected an article number or a {host} URL, got {target!r}")
            raise UsageError(expected.format(host=settings.site_host, target=target))
        if parts.netloc.lower() != settings.site_host:
            raise UsageError(
                _("{host} is not {site}; lillenews only reads the City of Lille's news").format(
                    host=parts.netloc, site=settings.site_host
                )
            )
        from lillenews.base.urls import canonical_url

        return canonical_url(target, target) or target

    def article(self, target: str, *, refresh: bool = False, offline: bool = False) -> ArticleResult:
        """The article (a cached one as is unless `refresh`), marked read."""
        url, number, listing = self._resolve(target, offline=offline)
        cached = cached_article(self.ctx, url)
        if offline and cached is None:
            what = _("article {number}").format(number=number) if number else url
            raise NotCachedError(
                _("{what} is not cached; run 'lillenews read {target}' while online, or 'lillenews sync'").format(
                    what=what, target=target
                )
            )
        # A cached article is used as is (articles are re-checked by --refresh and sync).
        got = cache_through(self.ctx, url, cached, article_through(self.ctx), fresh=offline or not refresh)
        self.ctx.state.mark_read([url], self.ctx.now())
        numbers = {h.url: n for n, h in enumerate(listing, 1)}
        listed = listing[numbers[url] - 1] if url in numbers else None
        return ArticleResult(got.value, number, got.fetched_at, got.from_cache, listed, numbers)

    def mark(self, targets: list[str], *, all_listed: bool = False, unread: bool = False) -> int:
        """Mark articles (numbers or URLs, or the whole cached listing) read or unread."""
        if all_listed:
            urls = [h.url for h in self.ctx.cached_listing()]
            if not urls:
                raise NotCachedError(_("the news listing is not cached yet; run 'lillenews list' first"))
        else:
            if not targets:
                raise UsageError(_("give article numbers or URLs to mark, or --all"))
            urls = [self.resolve(t, offline=True)[0] for t in targets]
        if unread:
            self.ctx.state.mark_unread(urls)
        else:
            self.ctx.state.mark_read(urls, self.ctx.now())
        return len(urls)

    # ------------------------------------------------------------------ search, sync, feed
    def search(
        self,
        words: list[str],
        *,
        limit: int | None = None,
        offline: bool = False,
        quartiers: frozenset[str] = frozenset(),
    ) -> "list[HeadlineHit]":
        """Headlines matching `words` (and naming one of `quartiers`, when given)."""
        from lillenews.app import search as _search

        if not quartiers:
            return _search.search(self.ctx, words, limit=limit, offline=offline)
        from lillenews.app.quartiers import item_tags, naming

        hits = _search.search(self.ctx, words, limit=None, offline=offline)
        tags = item_tags(self.ctx, (hit.item for hit in hits))
        kept = [hit for hit in hits if naming(tags[hit.item.headline.url], quartiers)]
        return kept if limit is None else kept[:limit]

    def search_full(
        self, words: list[str], *, limit: int = 20, quartiers: frozenset[str] = frozenset()
    ) -> list[Numbered]:
        """Cached articles matching `words` (and naming one of `quartiers`: the same full-text query)."""
        from lillenews.app import search as _search

        keys: tuple[str, ...] = ()
        if quartiers:
            from lillenews.app.quartiers import keys_of

            keys = keys_of(quartiers)
        return _search.search_full(self.ctx, words, limit=limit, quartiers=keys)

    # ------------------------------------------------------------------ quartiers, new
    @cached_property
    def quartiers(self) -> "QuartierService":
        """The quartiers items name, and the `--quartier` filters (app/quartiers.py)."""
        from lillenews.app.quartiers import QuartierService

        return QuartierService(self.ctx, lambda: self.events)

    def new(
        self,
        *,
        events: bool = False,
        pages: int = 5,
        offline: bool = False,
        report_all: bool = False,
        quartiers: frozenset[str] = frozenset(),
    ) -> "NewBatch":
        """What `lillenews new` reports, claimed (see app/new.py)."""
        from lillenews.app.new import find_new

        return find_new(
            self.ctx,
            self.events if events else None,
            pages=pages,
            offline=offline,
            report_all=report_all,
            wanted=quartiers,
        )

    def sync(
        self,
        *,
        pages: int | None = 5,
        articles: bool = True,
        workers: int | None = None,
        progress: "Progress | None" = None,
        refresh: bool = False,
        events: bool = True,
        on_start: "Callable[[Estimate], None] | None" = None,
    ) -> "SyncReport":
        """See app.sync.sync: the listing, new articles (all listed with `refresh`), the agenda."""
        from lillenews.app.sync import sync

        return sync(self.ctx, pages=pages, articles=articles, workers=workers, progress=progress, refresh=refresh,
                    events=events, on_start=on_start)  # fmt: skip

    def feed_entries(
        self,
        *,
        limit: int = 50,
        offline: bool = True,
        category: str | None = None,
        quartiers: frozenset[str] = frozenset(),
    ) -> list[tuple[Numbered, Article | None]]:
        """Headlines of the listing (refreshed when stale unless offline), or of one
        `category` (case and accents ignored), or naming one of `quartiers`, with their
        cached article when there is one."""
        if offline:
            headlines = self.ctx.cached_listing()
            if not headlines:
                raise NotCachedError(
                    _("the news listing is not cached yet; run 'lillenews list' or 'lillenews sync' first")
                )
            items = self.ctx.numbered(headlines)
        else:
            items = self.listing(limit).items
            if category is not None or quartiers:  # the whole cached listing, not just the refreshed first page(s)
                items = self.ctx.numbered(self.ctx.cached_listing()) or items
        if category is not None:
            items = _in_category(items, category)
        if quartiers:
            from lillenews.app.quartiers import keep_naming

            items = keep_naming(self.ctx, items, quartiers)
        out = []
        for item in items[:limit]:
            cached = self.ctx.cache.article(item.headline.url)
            out.append((item, cached.article if cached else None))
        return out

    def first_seen(self, urls: Iterable[str]) -> dict[str, float]:
        """When lillenews first saw each URL: the stable time of an undated feed entry."""
        return self.ctx.cache.first_seen(urls)

    # ------------------------------------------------------------------ cache
    def cache_info(self) -> dict[str, Any]:
        """What `cache info --json` prints (keys documented in the README)."""
        cache = self.ctx.cache
        counts = cache.counts()
        size = 0
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(cache.path) + suffix)
            if path.exists():
                size += path.stat().st_size
        now = self.ctx.now()
        settings = self.ctx.settings
        return {
            "path": str(cache.path),
            "cache_dir": str(settings.cache_dir),
            "data_dir": str(settings.data_dir),
            "config_file": str(settings.config_file),
            "config_file_exists": settings.config_file.is_file(),
            "size_bytes": size,
            "listing_pages": counts.pages,
            "headlines": len(self.ctx.cached_listing()),
            "articles": counts.articles,
            "oldest_fetch_age_s": None if counts.oldest is None else round(now - counts.oldest),
            "newest_fetch_age_s": None if counts.newest is None else round(now - counts.newest),
        }

    def cache_clear(self) -> dict[str, Any]:
        """Empty the cache, the events' included, and compact its files (read marks are
        kept); returns what it held (`cache_info`'s keys, `events`, `event_listing_pages`)
        and the size of its files before and after (`size_before`, `size_after`)."""
        stores = (self.ctx.cache, self.events.store)
        before = sum(store.size() for store in stores)
        info = self.cache_info()
        events = self.events.store.counts()
        info.update(events=events.event_pages, event_listing_pages=events.listing_pages)
        if not self.ctx.cache.clear():
            raise CacheError(
                _("could not clear the cache at {path}; nothing was deleted").format(path=self.ctx.cache.path)
            )
        if not self.events.store.clear():
            raise CacheError(_("could not clear the events cache at {path}").format(path=self.events.store.path))
        info.update(size_before=before, size_after=sum(store.size() for store in stores))
        return info


def _headline_url(headline: Headline) -> str:
    return headline.url


def _in_category(items: list[Numbered], category: str) -> list[Numbered]:
    from lillenews.base.i18n import _
    from lillenews.base.text import fold, name_order

    wanted = fold(category).strip()
    kept = [i for i in items if fold(i.headline.category or "").strip() == wanted]
    if not kept:
        known = sorted({i.headline.category for i in items if i.headline.category}, key=name_order)
        raise UsageError(
            _("no cached headline has the category {category!r}; the categories are: {known}").format(
                category=category, known=", ".join(known) or "-"
            )
        )
    return kept
