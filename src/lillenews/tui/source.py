"""The reader's one seam to lillenews: view-model rows and articles, no Textual.

Everything here may block (SQLite, network): the interface calls it from worker
threads only, except `headlines()` once before the first frame. The quick cache
reads (preloading, search, marks) share one façade behind a lock; each network
call (refresh, an article not cached yet) gets a façade of its own, so it never
holds up the reads, and its "cached copy" warning is said again at every refresh
(the façade says it once per command). SQLite (WAL, busy timeout) keeps their
writes apart.

Rows are the view model's `HeadlineRow`s and articles its `ArticleView`, drawn by
the renderer of `lillenews read` (render.article_group): site text arrives
sanitised, as plain `str`, and the interface only ever wraps it in `Text`."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from lillenews.app.context import Context
from lillenews.app.facade import LilleNews
from lillenews.app.listing import ListingWalk
from lillenews.base.errors import LilleNewsError
from lillenews.base.i18n import _
from lillenews.base.models import Article, Headline
from lillenews.base.text import describe_age
from lillenews.views.model import (
    ArticleView,
    HeadlineRow,
    RelatedLink,
    article_view,
    headline_row,
    search_rows,
    snippet_row,
)
from lillenews.views.rich_news import article_group

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

    from lillenews.base.config import Settings
    from lillenews.base.event_models import NumberedEvent
    from lillenews.net.pacing import Pacer

DEFAULT_REFRESH = 20  # headlines a first refresh asks for, as `lillenews list` does
EVENTS_SHOWN = 50  # upcoming events the reader lists (pages of the agenda follow)


class ArticleDoc(NamedTuple):
    view: ArticleView
    body: "RenderableType"  # heading, meta line, lead, figures and blocks: `read`'s renderer

    @property
    def url(self) -> str:
        return self.view.url

    @property
    def related(self) -> tuple[RelatedLink, ...]:
        return self.view.related

    @property
    def source_url(self) -> str | None:
        return self.view.source_link


class EventDoc(NamedTuple):
    body: "RenderableType"  # `lillenews event N`'s renderer
    url: str
    warnings: list[str]  # the CLI's `Warning: ...` lines


class Outcome(NamedTuple):
    """What a refresh did: the rows to show and the CLI's one-line messages."""

    rows: list[HeadlineRow]
    messages: list[tuple[str, str]]  # (severity, "Warning: ..." / "Error: ...")


class _Guarded:
    """A façade, its lock and the warnings it gave during the current call. `pacer`: the
    session's Crawl-delay pacing, shared by every network call of the reader."""

    def __init__(self, settings: "Settings", pacer: "Pacer | None" = None) -> None:
        self.warnings: list[str] = []
        self.news = LilleNews(Context(settings, warn=self.warnings.append, pacer=pacer))
        self.lock = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[LilleNews]:
        with self.lock:
            self.warnings.clear()
            yield self.news


class Source:
    def __init__(self, settings: "Settings", *, quartiers: frozenset[str] = frozenset()) -> None:
        self._settings = settings
        self.quartiers = quartiers  # `browse --quartier`: headlines, events and search results naming one
        self._disk = _Guarded(settings)  # cache and marks only: every call is quick
        self._pacer: Pacer | None = None  # one pace for the whole session (robots.txt's Crawl-delay)
        self._numbers: dict[str, int] = {}
        self._listed: dict[str, Headline] = {}  # its listing headline: `read` shows its category, date
        self.updated: float | None = None  # when the cached listing was last fetched (epoch seconds)

    def close(self) -> None:
        if self._pacer is not None:
            self._pacer.close()
        with self._disk.lock:
            self._disk.news.close()

    @contextmanager
    def _online(self, *, several: bool = False) -> Iterator[_Guarded]:
        """A façade for one network call (its own HTTP client and connections, the session's
        pace). `several`: the call needs more than one request (robots.txt: net/robots.py)."""
        if self._pacer is None:
            from lillenews.net.pacing import Pacer

            self._pacer = Pacer()
        guarded = _Guarded(self._settings, self._pacer)
        if several:
            guarded.news.ctx.expect_several()
        try:
            yield guarded
        finally:
            guarded.news.close()

    # ------------------------------------------------------------------ headlines
    def headlines(self) -> list[HeadlineRow]:
        """The cached listing, numbered as the CLI numbers it; never the network."""
        with self._disk.use() as news:
            pages = news.ctx.cache.pages()
            items = news.ctx.numbered(news.ctx.cached_listing())
            self.updated = max((p.fetched_at for p in pages), default=None)
            if self.quartiers:
                from lillenews.app.quartiers import keep_naming

                items = keep_naming(news.ctx, items, self.quartiers)
        self._numbers = {i.headline.url: i.number for i in items if i.number is not None}
        self._listed = {i.headline.url: i.headline for i in items}
        return [headline_row(i) for i in items]

    def age(self) -> str:
        """How old the cached listing is, in words ("" when nothing is cached)."""
        if self.updated is None:
            return ""
        return describe_age(self._disk.news.now() - self.updated)

    def mark_seen(self, rows: list[HeadlineRow]) -> None:
        """Shown once: the « new » mark goes away next time, as after `lillenews list`."""
        with self._disk.use() as news:
            news.ctx.state.mark_seen([r.url for r in rows], news.now())

    def set_read(self, url: str, read: bool) -> None:
        with self._disk.use() as news:
            if read:
                news.ctx.state.mark_read([url], news.now())
            else:
                news.ctx.state.mark_unread([url])

    def refresh(self, limit: int, on_page: Callable[[int], None] | None = None) -> Outcome:
        """`lillenews list --refresh` for at least the headlines shown, page by page;
        the cache stays when the site fails, and the CLI's warning or error says so."""
        messages: list[tuple[str, str]] = []
        with self._online(several=True) as online:
            try:
                count = 0
                for page in ListingWalk(online.news.ctx, refresh=True):
                    count += len(page.new)
                    if on_page is not None:
                        on_page(count)
                    if count >= max(limit, DEFAULT_REFRESH):
                        break
            except LilleNewsError as exc:
                messages.append(("error", "Error: " + _one_line(str(exc))))
            # The CLI's lines: `Warning:` and `Error:` stay English in every language (scripts grep them).
            warnings = [("warning", "Warning: " + _one_line(w)) for w in online.warnings]
        return Outcome(self.headlines(), warnings + messages)

    def more(self, have: int) -> tuple[Outcome, bool]:
        """The listing's next page after the `have` headlines shown, as `lillenews read N`
        reads past what was listed (pages cached, fresh ones used as they are); whether the
        listing has no more pages."""
        messages: list[tuple[str, str]] = []
        complete = False
        with self._online() as online:
            try:
                complete = online.news.listing(have + 1).complete
            except LilleNewsError as exc:
                messages.append(("error", "Error: " + _one_line(str(exc))))
            warnings = [("warning", "Warning: " + _one_line(w)) for w in online.warnings]
        return Outcome(self.headlines(), warnings + messages), complete

    # ------------------------------------------------------------------ articles
    def cached_article(self, url: str) -> ArticleDoc | None:
        """The article from the cache only (preloading), or None."""
        with self._disk.use() as news:
            cached = news.ctx.cache.article(url)
        return None if cached is None else self._doc(cached.article)

    def article(self, url: str, *, offline: bool = False) -> ArticleDoc:
        """The article, fetched when not cached. Raises LilleNewsError with the CLI's message."""
        with self._disk.use() as news:
            url = news.site_url(url)  # only the configured site, like `lillenews read URL`
            cached = news.ctx.cache.article(url)
        if cached is not None:
            return self._doc(cached.article)
        with self._online() as online:
            result = online.news.article(url, offline=offline)
        return self._doc(result.article)

    def _doc(self, article: Article) -> ArticleDoc:
        url = article.url
        view = article_view(article, self._numbers.get(url), listed=self._listed.get(url), numbers=self._numbers)
        # The reader shows the source link after « Lire aussi », and draws its own cells: a
        # URL longer than the screen is cut once, with an ellipsis.
        body = article_group(view._replace(related=()), hyperlinks=False, long_words="ellipsis", source=False)
        return ArticleDoc(view, body)

    # ------------------------------------------------------------------ events
    def events(self, *, offline: bool = False) -> "tuple[list[NumberedEvent], list[str]]":
        """The upcoming events (`lillenews events --limit 50`) and the CLI's warnings
        (a cached copy standing in, say). Raises LilleNewsError as `events` would."""
        from lillenews.app.agenda import AgendaQuery

        with self._online(several=True) as online:
            keep = online.news.quartiers.event_filter(self.quartiers)
            result = online.news.events.upcoming(AgendaQuery(limit=EVENTS_SHOWN), offline=offline, keep=keep)
            return list(result.events), ["Warning: " + _one_line(w) for w in online.warnings]

    def event(self, url: str, *, offline: bool = False) -> EventDoc:
        """One event as `lillenews event N` draws it (events' own Rich renderer)."""
        from lillenews.views.rich_events import event_renderable

        with self._online() as online:
            news = online.news
            result = news.events.event(url, news.site_url, offline=offline)
            today = news.events.today
            body = event_renderable(result.page, result.number, today, hyperlinks=False, long_words="ellipsis")
            warnings = ["Warning: " + _one_line(w) for w in online.warnings]
            if result.from_listing:  # the page was never fetched: the listing's fields, said so
                warnings.append(
                    "Warning: " + _("the event's page was not synced: showing what the agenda's listing says")
                )
            return EventDoc(body, result.page.url, warnings)

    # ------------------------------------------------------------------ search
    def search(self, words: list[str], *, full: bool) -> list[HeadlineRow]:
        """Cached headlines (or, with `full`, cached articles' text) matching every word."""
        with self._disk.use() as news:
            if full:
                found = news.search_full(_fts_words(words), limit=100, quartiers=self.quartiers)
                return [snippet_row(i) for i in found]
            return search_rows(news.search(words, offline=True, quartiers=self.quartiers))


def _fts_words(words: list[str]) -> list[str]:
    """Words typed in the reader as FTS5 strings: punctuation is searched for, not
    parsed as query syntax, and the last word may be the start of a word (the
    results follow the typing)."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return [*quoted[:-1], quoted[-1] + "*"] if quoted else []


def _one_line(message: str) -> str:
    return " ".join(message.split())
