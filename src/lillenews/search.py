"""Search: headlines and summaries of the listing (accent- and case-insensitive,
every word must match), or the full text of the cached articles (SQLite FTS5)."""

from __future__ import annotations

from typing import NamedTuple

from .context import SEARCH_MIN_HEADLINES, Context, unique_headlines
from .errors import FetchError, NotCachedError, UsageError
from .listing import NOT_CACHED, listing
from .models import Headline, Numbered
from .store import FullTextQueryError
from .text import find_spans

Spans = list[tuple[int, int]]


class HeadlineHit(NamedTuple):
    item: Numbered
    title_spans: Spans  # where the words occur in the title (for highlighting)
    summary_spans: Spans  # ... and in the summary


def find_spans_any(text: str, words: list[str]) -> Spans:
    """Spans of every word that occurs in `text` (for highlighting)."""
    spans: Spans = []
    for word in words:
        found = find_spans(text, [word])
        if found:
            spans.extend(found)
    return sorted(spans)


def _words(words: list[str]) -> list[str]:
    words = [w for w in words if w.strip()]
    if not words:
        raise UsageError("give at least one word to search for")
    return words


def search(ctx: Context, words: list[str], *, limit: int | None = None, offline: bool = False) -> list[HeadlineHit]:
    """Headlines whose title or summary contains every word, with the matching spans
    of the title and summary. The listing is refreshed first when it is stale or
    shorter than SEARCH_MIN_HEADLINES (unless offline)."""
    words = _words(words)
    pages = ctx.cache.pages()  # read once: a warm search needs nothing else from the cache
    cached = unique_headlines(h for page in pages for h in page.headlines)
    if not offline and (not pages or not ctx.is_fresh(pages[0]) or len(cached) < SEARCH_MIN_HEADLINES):
        try:
            listing(ctx, limit=SEARCH_MIN_HEADLINES)
            cached = ctx.cached_listing()
        except FetchError as exc:
            if not pages:
                raise
            ctx.warn(f"{exc}; searching the cached headlines")
    if not cached:
        raise NotCachedError(NOT_CACHED)
    hits: list[HeadlineHit] = []
    for item in ctx.numbered(cached):
        h = item.headline
        if find_spans(f"{h.title}\n{h.summary or ''}", words) is None:
            continue
        hits.append(HeadlineHit(item, find_spans_any(h.title, words), find_spans_any(h.summary or "", words)))
        if limit is not None and len(hits) >= limit:
            break
    return hits


def search_full(ctx: Context, words: list[str], *, limit: int = 20) -> list[Numbered]:
    """Full-text search (FTS5, bm25) over the cached articles' title and text. Each
    result keeps its listing number (None when no longer listed) and its snippet."""
    query = " ".join(_words(words))
    if not ctx.cache.has_articles():
        raise NotCachedError("no articles are cached yet; run 'lillenews sync' (or read some) first")
    try:
        hits = ctx.cache.search_full(query, limit)
    except FullTextQueryError as exc:
        raise _fts_usage(exc, query) from None
    listed = ctx.cached_listing()
    numbers = {h.url: n for n, h in enumerate(listed, 1)}
    read = ctx.state.read_urls()
    out = []
    for hit in hits:
        number = numbers.get(hit.url)
        # The listing's date and category fill what the article page lacks (as `read` shows them).
        known = listed[number - 1] if number is not None else Headline(hit.url, hit.title)
        headline = Headline(
            url=hit.url,
            title=hit.title,
            date=hit.date or known.date,
            category=hit.category or known.category,
            summary=hit.lead or known.summary,
            image=hit.image or known.image,
        )
        out.append(Numbered(number, headline, read=hit.url in read, snippet=hit.snippet))
    return out


def _fts_usage(exc: Exception, query: str) -> UsageError:
    message = str(exc).replace("fts5: ", "")
    return UsageError(
        f'invalid full-text query {query!r} ({message}); use plain words, "a phrase", prefix* or AND/OR/NOT'
    )
