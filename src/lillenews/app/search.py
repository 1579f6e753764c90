"""Search: headlines and summaries of the listing, or the full text of the cached
articles (SQLite FTS5). Both read the words as store/query.py says (French words with - and '
as phrases, -word to exclude, "a phrase"; --full adds the FTS5 operators) and fold them
the same way (case, accents, œ→oe, ’→')."""

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from lillenews.app.context import SEARCH_MIN_HEADLINES, Context, unique_headlines
from lillenews.app.listing import NOT_CACHED, listing
from lillenews.base.errors import FetchError, NotCachedError, UsageError
from lillenews.base.i18n import _
from lillenews.base.models import DateRange, Headline, Numbered
from lillenews.store.cache import FullTextQueryError
from lillenews.store.query import (
    HeadlineQuery,
    Matcher,
    QueryError,
    parse_full,
    parse_headline,
    term_matcher,
    words_of,
)
from lillenews.views.snippets import Snippet, make_snippet

Spans = list[tuple[int, int]]
Q = TypeVar("Q")
SNIPPET_START, SNIPPET_END = "\x02", "\x03"  # match markers inside Numbered.snippet (views/model.py snippet_row)
# Words of a `search --full` query (operators included): a long sentence fits, and each
# word costs an index lookup and a highlight pass (2,000 a* took 8 s on 35 articles).
MAX_WORDS = 32


class HeadlineHit(NamedTuple):
    item: Numbered
    title_spans: Spans  # where the words occur in the title (for highlighting)
    summary_spans: Spans  # ... and in the summary


def _parse(parse: Callable[[list[str]], Q], words: list[str], what: str) -> Q:
    try:
        return parse(words)
    except QueryError as exc:
        if not " ".join(words).strip():
            raise
        raise QueryError(
            _("invalid {what} {query!r}: {why}").format(what=what, query=" ".join(words), why=exc)
        ) from None


def search(ctx: Context, words: list[str], *, limit: int | None = None, offline: bool = False) -> list[HeadlineHit]:
    """Headlines whose title or summary holds every word (and none of the -words), with
    the matching spans of the title and summary. The listing is refreshed first when it
    is stale or shorter than SEARCH_MIN_HEADLINES (unless offline)."""
    query = _parse(parse_headline, words, _("search"))
    pages = ctx.cache.pages()  # read once: a warm search needs nothing else from the cache
    cached = unique_headlines(h for page in pages for h in page.value.headlines)
    if not offline and (not pages or not ctx.is_fresh(pages[0]) or len(cached) < SEARCH_MIN_HEADLINES):
        try:
            ctx.expect_several()  # a refresh reads several pages
            listing(ctx, limit=SEARCH_MIN_HEADLINES)
            cached = ctx.cached_listing()
        except FetchError as exc:
            if not pages:
                raise
            ctx.warn(_("{error}; searching the cached headlines").format(error=exc))
    if not cached:
        raise NotCachedError(_(NOT_CACHED))  # i18n: marked with N_ in app/listing.py
    matcher = query.matcher
    hits: list[HeadlineHit] = []
    for item in ctx.numbered(cached):
        h = item.headline
        if not query.matches(f"{h.title}\n{h.summary or ''}"):
            continue
        hits.append(HeadlineHit(item, matcher.spans(h.title), matcher.spans(h.summary or "")))
        if limit is not None and len(hits) >= limit:
            break
    return hits


def search_full(ctx: Context, words: list[str], *, limit: int = 20, quartiers: Sequence[str] = ()) -> list[Numbered]:
    """Full-text search over the cached articles' title, lead, listing summary and body:
    bm25-ranked hits, then any cached article the headline search would find that the
    full-text query misses. Each result keeps its listing row (number, date, category,
    image as `list` shows them; None as number when no longer listed) and a snippet."""
    count = len(words_of(" ".join(words)))
    if count > MAX_WORDS:
        too_many = _("a full-text query holds at most {limit} words; this one has {n}: search for fewer")
        raise QueryError(too_many.format(limit=MAX_WORDS, n=count))
    full = _parse(parse_full, words, _("full-text query"))
    try:
        headline: HeadlineQuery | None = parse_headline(words)
    except QueryError:  # FTS5 operators: the headline search refuses the query, nothing to add
        headline = None
    if not ctx.cache.has_articles():
        raise NotCachedError(_("no articles are cached yet; run 'lillenews sync' (or read some) first"))
    try:
        hits = ctx.cache.search_full(full, limit, headline, quartiers=quartiers)  # keys: site/quartiers.py
    except FullTextQueryError as exc:
        raise _fts_usage(exc, " ".join(words)) from None
    listed = {h.url: (n, h) for n, h in enumerate(ctx.cached_listing(), 1)}
    read = ctx.state.read_urls()
    matcher = _OneOf(term_matcher(full.terms), headline.matcher if headline else None)
    out = []
    for hit in hits:
        number, row = listed.get(hit.url, (None, None))
        if row is None:  # cached but no longer listed: the article's own fields
            dates = DateRange.from_iso(hit.date, None)  # the start only, as the full-text index reads it
            row = Headline(hit.url, hit.title, dates, hit.category, hit.summary or hit.lead, hit.image)
        snippet = make_snippet([_clean(t) for t in (hit.lead, hit.summary, hit.body)], matcher)
        extra = {"title_spans": matcher.spans(row.title)}
        out.append(Numbered(number, row, read=hit.url in read, snippet=_marked(snippet), extra=extra))
    return out


class _OneOf:
    """The full-text terms' matches, else the headline words' (an article found by the
    headline guarantee holds the words inside other words)."""

    def __init__(self, first: Matcher, second: Matcher | None):
        self.first, self.second = first, second

    def test(self, text: str) -> bool:
        return self.first.test(text) or (self.second is not None and self.second.test(text))

    def locate(self, text: str) -> int | None:
        found = self.first.locate(text)
        return found if found is not None or self.second is None else self.second.locate(text)

    def spans(self, text: str) -> Spans:
        spans = self.first.spans(text)
        return spans if spans or self.second is None else self.second.spans(text)


def _clean(text: str | None) -> str | None:
    return text.replace(SNIPPET_START, "").replace(SNIPPET_END, "") if text else text


def _marked(snippet: Snippet) -> str:
    """The snippet with its matches wrapped in the markers the view turns into spans."""
    out, at = [], 0
    for start, end in snippet.spans:
        out += [snippet.text[at:start], SNIPPET_START, snippet.text[start:end], SNIPPET_END]
        at = end
    return "".join(out) + snippet.text[at:]


def _fts_usage(exc: Exception, query: str) -> UsageError:
    message = str(exc).replace("fts5: ", "")
    return UsageError(
        _('invalid full-text query {query!r} ({message}); write plain words, "a phrase", vél* or vélo OR tram').format(
            query=query, message=message
        )
    )
