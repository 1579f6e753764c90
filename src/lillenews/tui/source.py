"""The reader's one seam to lillenews: plain rows and articles, no Textual.

Everything here may block (SQLite, network): the interface calls it from worker
threads only, except `headlines()` once before the first frame. The quick cache
reads (preloading, search, marks) share one façade behind a lock; each network
call (refresh, an article not cached yet) gets a façade of its own, so it never
holds up the reads, and its "cached copy" warning is said again at every refresh
(the façade says it once per command). SQLite (WAL, busy timeout) keeps their
writes apart.

Site text leaves this module sanitised (control and bidi characters stripped) but
still as plain `str`: the interface must only ever wrap it in `Text`, never parse it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from ..core import LilleNews, describe_age
from ..errors import LilleNewsError
from ..i18n import _
from ..models import Article, Headline, Numbered
from ..render import article_renderable, safe, safe_link, short_date

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

    from ..config import Settings

Span = tuple[int, int]
DEFAULT_REFRESH = 20  # headlines a first refresh asks for, as `lillenews list` does


class Row(NamedTuple):
    """One line of the headlines (or search results) table."""

    url: str
    number: int | None  # position in the cached listing, as `lillenews read N` counts
    title: str
    date: str  # dd/mm/yyyy or ""
    category: str
    summary: str  # the listing's summary, or the full-text snippet
    read: bool = False
    new: bool = False
    title_spans: tuple[Span, ...] = ()
    summary_spans: tuple[Span, ...] = ()


class RelatedLink(NamedTuple):
    """A « Lire aussi » item; `url` is None when the link is not http(s)."""

    title: str
    url: str | None
    summary: str
    number: int | None


class ArticleDoc(NamedTuple):
    url: str
    number: int | None
    title: str
    body: RenderableType  # heading, meta line, lead, figures and blocks: the `read` renderer
    related: tuple[RelatedLink, ...]
    source_url: str | None


class Outcome(NamedTuple):
    """What a refresh did: the rows to show and the CLI's one-line messages."""

    rows: list[Row]
    messages: list[tuple[str, str]]  # (severity, "Warning: ..." / "Error: ...")


class _Guarded:
    """A façade, its lock and the warnings it gave during the current call."""

    def __init__(self, settings: Settings) -> None:
        self.warnings: list[str] = []
        self.news = LilleNews(settings, warn=self.warnings.append)
        self.lock = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[LilleNews]:
        with self.lock:
            self.warnings.clear()
            yield self.news


class Source:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._disk = _Guarded(settings)  # cache and marks only: every call is quick
        self._numbers: dict[str, int] = {}
        self.updated: float | None = None  # when the cached listing was last fetched (epoch seconds)

    def close(self) -> None:
        with self._disk.lock:
            self._disk.news.close()

    @contextmanager
    def _online(self) -> Iterator[_Guarded]:
        """A façade for one network call (its own HTTP client and connections)."""
        guarded = _Guarded(self._settings)
        try:
            yield guarded
        finally:
            guarded.news.close()

    # ------------------------------------------------------------------ headlines
    def headlines(self) -> list[Row]:
        """The cached listing, numbered as the CLI numbers it; never the network."""
        with self._disk.use() as news:
            pages = news.cache.pages()
            listing = news.cached_listing()
            read, seen = news.state.read_urls(), news.state.seen_urls()
            self.updated = max((p.fetched_at for p in pages), default=None)
        self._numbers = {h.url: n for n, h in enumerate(listing, 1)}
        return [_row(h, n, read=h.url in read, new=h.url not in seen) for n, h in enumerate(listing, 1)]

    def age(self) -> str:
        """How old the cached listing is, in words ("" when nothing is cached)."""
        if self.updated is None:
            return ""
        return describe_age(self._disk.news.now() - self.updated)

    def mark_seen(self, rows: list[Row]) -> None:
        """Shown once: the « new » mark goes away next time, as after `lillenews list`."""
        with self._disk.use() as news:
            news.state.mark_seen([r.url for r in rows], news.now())

    def set_read(self, url: str, read: bool) -> None:
        with self._disk.use() as news:
            if read:
                news.state.mark_read([url], news.now())
            else:
                news.state.mark_unread([url])

    def refresh(self, limit: int, on_page: Callable[[int], None] | None = None) -> Outcome:
        """`lillenews list --refresh` for at least the headlines shown; the cache stays
        when the site fails, and the CLI's warning or error says so."""
        count = 0

        def page_done(headlines: list[Headline]) -> None:
            nonlocal count
            count += len(headlines)
            if on_page is not None:
                on_page(count)

        messages: list[tuple[str, str]] = []
        with self._online() as online:
            try:
                online.news.listing(max(limit, DEFAULT_REFRESH), refresh=True, on_page=page_done)
            except LilleNewsError as exc:
                messages.append(("error", _("Error: {message}").format(message=_one_line(str(exc)))))
            warnings = [("warning", _("Warning: {message}").format(message=_one_line(w))) for w in online.warnings]
        return Outcome(self.headlines(), warnings + messages)

    # ------------------------------------------------------------------ articles
    def cached_article(self, url: str) -> ArticleDoc | None:
        """The article from the cache only (preloading), or None."""
        with self._disk.use() as news:
            cached = news.cache.article(url)
        return None if cached is None else self._doc(cached.article)

    def article(self, url: str, *, offline: bool = False) -> ArticleDoc:
        """The article, fetched when not cached. Raises LilleNewsError with the CLI's message."""
        with self._disk.use() as news:
            url = news.site_url(url)  # only the configured site, like `lillenews read URL`
            cached = news.cache.article(url)
        if cached is not None:
            return self._doc(cached.article)
        with self._online() as online:
            result = online.news.article(url, offline=offline, mark_read=False)
        return self._doc(result.article)

    def _doc(self, article: Article) -> ArticleDoc:
        number = self._numbers.get(article.url)
        body = article_renderable(article._replace(related=()), number, hyperlinks=False)
        # The renderer ends with the source link; the reader shows it after « Lire aussi ».
        body.renderables.pop()
        related = tuple(
            RelatedLink(safe(r.title), safe_link(r.url), safe(r.summary), self._numbers.get(r.url))
            for r in article.related
        )
        return ArticleDoc(article.url, number, safe(article.title), body, related, safe_link(article.url))

    # ------------------------------------------------------------------ search
    def search(self, words: list[str], *, full: bool) -> list[Row]:
        """Cached headlines (or, with `full`, cached articles' text) matching every word."""
        from ..cli import _snippet_highlight

        with self._disk.use() as news:
            if full:
                found = [_snippet_highlight(i) for i in news.search_full(_fts_words(words), limit=100)]
                return [_row_of(i, (), tuple((i.extra or {}).get("spans", ()))) for i in found]
            return [_row_of(i, tuple(t), tuple(s)) for i, t, s in news.search(words, offline=True)]


def _row(h: Headline, number: int | None, *, read: bool, new: bool) -> Row:
    return Row(h.url, number, safe(h.title), short_date(h.date), safe(h.category), safe(h.summary), read, new)


def _row_of(item: Numbered, title_spans: tuple[Span, ...], summary_spans: tuple[Span, ...]) -> Row:
    row = _row(item.headline, item.number, read=item.read, new=item.new)
    summary = safe(item.snippet) if item.snippet is not None else row.summary
    return row._replace(summary=summary, title_spans=title_spans, summary_spans=summary_spans)


def _fts_words(words: list[str]) -> list[str]:
    """Words typed in the reader as FTS5 strings: punctuation is searched for, not
    parsed as query syntax, and the last word may be the start of a word (the
    results follow the typing)."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return [*quoted[:-1], quoted[-1] + "*"] if quoted else []


def _one_line(message: str) -> str:
    return " ".join(message.split())
