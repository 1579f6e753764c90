"""The view model: what every output shows, decided once, without Rich.

`HeadlineRow` (one line of a listing or of search results) and `ArticleView` (one
article) are built from the models here; each output format (Rich terminal in
views/rich_news.py, plain text in views/plain.py, JSON in views/jsonout.py, Markdown in
views/markdown.py, Atom HTML in views/atom.py) is a thin renderer of them, with one
`{kind: function}` table for the article's blocks: a `BlockTable`, which mypy checks
has one function for every `models.BlockKind`.

Site text is untrusted: the builders here sanitise every string once
(`strip_unsafe`) and keep only http(s) links (`safe_link`), so renderers receive
clean text; they still never interpret it as markup. Stdlib only: this module is
on the start-up path of every command."""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import Generic, NamedTuple, TypedDict, TypeVar

from lillenews.base.models import Article, Block, DateRange, Headline, Image, Inline, LeadSource, Numbered
from lillenews.base.text import is_cut, lazy_pattern, strip_unsafe
from lillenews.views.labels import LABELS

Span = tuple[int, int]  # [start, end) in the displayed text
R = TypeVar("R")
F = TypeVar("F")  # a format's block function


class BlockTable(TypedDict, Generic[F]):
    """A format's {kind: function} table. A TypedDict, so mypy checks that each renderer's
    table has every kind and no other, and (in `block_function`) that every
    models.BlockKind is a key here; tests/views/test_view_model.py checks both at run time."""

    heading: F
    paragraph: F
    list: F
    quote: F
    table: F
    image: F
    embed: F


FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SUMMARY_MIN_WIDTH = 100  # below this many columns, listing rows show titles only


_http_url = lazy_pattern(r"(?i)^https?://[^\s]+$")
# FTS5 snippet() wraps each match in these (see store/cache.py search_full).
SNIPPET_START, SNIPPET_END = "\x02", "\x03"


# --------------------------------------------------------------------- text helpers
def safe(text: str | None) -> str:
    return strip_unsafe(text) if text else ""


def safe_link(url: str | None) -> str | None:
    """The URL when it is a plain http(s) URL that sanitising leaves unchanged, else None."""
    if not url:
        return None
    url = url.strip()
    if not _http_url().match(url) or url != strip_unsafe(url):
        return None
    return url


def safe_multiline(text: str) -> str:
    return "\n".join(strip_unsafe(line) for line in text.split("\n"))


def long_date(day: datetime.date | None) -> str:
    """2021-03-01 -> '1er mars 2021'."""
    if day is None:
        return ""
    return f"{day.day}{'er' if day.day == 1 else ''} {FR_MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date | None) -> str:
    """2021-03-01 -> '01/03/2021'."""
    return "" if day is None else f"{day.day:02}/{day.month:02}/{day.year:04}"


# --------------------------------------------------------------------- headlines
class Mark(Enum):
    """How a headline stands for the reader: new (unread and just appeared), read, or neither."""

    NEW = "new"
    READ = "read"
    NONE = "none"

    @property
    def glyph(self) -> str:
        """The one mark every view draws (pipes, the terminal, the reader): `●` new, `✓` read."""
        return MARK_GLYPHS[self]


MARK_GLYPHS = {Mark.NEW: "●", Mark.READ: "✓", Mark.NONE: ""}


class HeadlineRow(NamedTuple):
    """One row of a listing or of search results; every text is sanitised.

    `summary` is what the row shows under its title: the FTS snippet for full-text
    results, else the listing's summary; the spans are its search highlights,
    carried by the row itself (never looked up by number, which may be None)."""

    number: int | None  # None: cached, no longer in the listing
    url: str
    title: str
    dates: DateRange  # as in the model
    category: str
    summary: str
    image: str | None = None
    read: bool = False
    new: bool = False
    snippet: str | None = None  # the full-text snippet (None outside `search --full`)
    listing_summary: str = ""  # the listing's own summary, whatever `summary` shows
    title_spans: tuple[Span, ...] = ()
    summary_spans: tuple[Span, ...] = ()
    summary_truncated: bool = False  # the listing's summary was cut by the site: never a lead
    quartiers: tuple[str, ...] = ()  # the quartiers it names (JSON; set where they were looked up)

    @property
    def mark(self) -> Mark:
        if self.read:
            return Mark.READ
        return Mark.NEW if self.new else Mark.NONE

    @property
    def short_date(self) -> str:
        return short_date(self.dates.start) or LABELS.no_date


def shows_summary(row: HeadlineRow, width: int, summaries: bool = True) -> bool:
    """Whether a listing row shows its summary under the title: full-text snippets and
    rows that matched a search in their summary only (the reason they are there)
    always do; others from SUMMARY_MIN_WIDTH columns, unless the layout is compact."""
    if not row.summary:
        return False
    if row.snippet is not None or (row.summary_spans and not row.title_spans):
        return True
    return summaries and width >= SUMMARY_MIN_WIDTH


def has_categories(rows: Iterable[HeadlineRow]) -> bool:
    """A Category column only when some row has one (no empty columns)."""
    return any(row.category for row in rows)


def headline_row(
    item: Numbered,
    *,
    title_spans: Iterable[Span] = (),
    summary_spans: Iterable[Span] = (),
    quartiers: tuple[str, ...] = (),
) -> HeadlineRow:
    """A listing row; the spans index the title and the listing summary."""
    h = item.headline
    summary = safe(h.summary)
    return HeadlineRow(
        number=item.number,
        url=h.url,
        title=safe(h.title),
        dates=h.dates,
        category=safe(h.category),
        summary=summary,
        image=h.image,
        read=item.read,
        new=item.new,
        snippet=None if item.snippet is None else safe(item.snippet),
        listing_summary=summary,
        title_spans=tuple(title_spans),
        summary_spans=tuple(summary_spans),
        summary_truncated=h.summary_truncated,
        quartiers=quartiers,
    )


def snippet_row(item: Numbered) -> HeadlineRow:
    """A full-text result: the snippet, its \\x02..\\x03 match markers turned into spans
    (and the title's matches, in `item.extra["title_spans"]`)."""
    text, spans = _snippet_spans(item.snippet or "")
    row = headline_row(item, title_spans=(item.extra or {}).get("title_spans", ()))
    return row._replace(snippet=text, summary=text or row.summary, summary_spans=tuple(spans) if text else ())


def _snippet_spans(raw: str) -> tuple[str, list[Span]]:
    text, spans = safe(raw.split(SNIPPET_START, 1)[0]), []
    for piece in raw.split(SNIPPET_START)[1:]:
        match, closed, rest = piece.partition(SNIPPET_END)
        if not closed:  # an unclosed marker highlights nothing
            match, rest = "", piece
        match = safe(match)
        if match:
            spans.append((len(text), len(text) + len(match)))
        text += match + safe(rest)
    return text, spans


def search_rows(found: Iterable[tuple[Numbered, Sequence[Span], Sequence[Span]]]) -> list[HeadlineRow]:
    """Headline-search results (item, title spans, summary spans) as rows."""
    return [headline_row(item, title_spans=t, summary_spans=s) for item, t, s in found]


# --------------------------------------------------------------------- articles
class RelatedLink(NamedTuple):
    title: str
    url: str  # as the site gave it (JSON, identity)
    link: str | None  # the same when it is a safe http(s) URL, else None: only this becomes a link
    summary: str
    number: int | None = None  # its number in the listing, when listed (`lillenews read N`)


class ArticleView(NamedTuple):
    """One article as every format shows it, in this order: heading (number,
    title), meta line (long date · category), lead, figures (the article's images
    that the body does not show), body blocks, related links, source link."""

    number: int | None
    title: str
    url: str
    dates: DateRange  # as in the model
    category: str
    meta: str
    lead: str
    figures: tuple[Block, ...]  # image blocks
    blocks: tuple[Block, ...]
    related: tuple[RelatedLink, ...]
    images: tuple[Image, ...]  # every image of the article (JSON)
    text: str  # the body as plain text (JSON)
    lead_source: LeadSource = "page"  # "listing": the page had no lead, the listing's (whole) summary stands in
    listing_summary: str = ""  # a truncated listing summary (the page had no lead): shown labelled as such
    quartiers: tuple[str, ...] = ()  # the quartiers it names (JSON; set where they were looked up)

    @property
    def heading(self) -> str:
        return (f"{self.number}. " if self.number is not None else "") + self.title

    @property
    def source_link(self) -> str | None:
        return safe_link(self.url)

    @property
    def content(self) -> tuple[Block, ...]:
        """Figures then body: what the block renderers walk."""
        return self.figures + self.blocks


def with_listing(article: Article, listed: Headline | None) -> tuple[Article, str]:
    """The one place where the listing's data joins the article page's: the page wins,
    the listing fills what the page lacks (date, category, and the lead from a whole
    summary, `lead_source="listing"`). A truncated summary is never a lead: it is
    returned apart, to be shown labelled as the listing's."""
    if listed is None:
        return article, ""
    start, end = article.dates.start or listed.dates.start, article.dates.end
    if end is None and start == listed.dates.start:  # the listing's period of the same day
        end = listed.dates.end
    article = article._replace(dates=DateRange(start, end), category=article.category or listed.category)
    summary = (listed.summary or "").strip()
    if article.lead or not summary:
        return article, ""
    if is_cut(summary):
        return article, summary
    return article._replace(lead=summary, lead_source="listing"), ""


def article_view(
    article: Article,
    number: int | None = None,
    *,
    listed: Headline | None = None,
    numbers: Mapping[str, int] | None = None,
) -> ArticleView:
    """The view of an article; `listed` is its headline in the listing (see with_listing),
    `numbers` the listing number of each listed URL (related links show theirs)."""
    article, truncated = with_listing(article, listed)
    numbers = numbers or {}
    credits = {i.url: i.credit for i in article.images if i.credit}  # a body picture's, in older caches
    blocks = tuple(clean_block(_credited(b, credits)) for b in article.blocks)
    in_body = {b.url for b in article.blocks if b.kind == "image"}
    figures = tuple(
        clean_block(Block("image", url=i.url, alt=i.alt, caption=_with_credit(i.caption, i.credit)))
        for i in article.images
        if i.url not in in_body
    )
    dates, category = article.dates, safe(article.category)
    when = " – ".join(x for x in (long_date(dates.start), long_date(dates.end)) if x)
    return ArticleView(
        number=number,
        title=safe(article.title),
        url=article.url,
        dates=dates,
        category=category,
        meta=" · ".join(x for x in (when, category) if x),
        lead=safe(article.lead),
        figures=figures,
        blocks=blocks,
        related=tuple(
            RelatedLink(safe(r.title), r.url, safe_link(r.url), safe(r.summary), numbers.get(r.url))
            for r in article.related
        ),
        images=tuple(
            Image(i.url, safe(i.alt) or None, safe(i.caption) or None, safe(i.credit) or None) for i in article.images
        ),
        text=safe_multiline(article.plain_text()),
        lead_source=article.lead_source if article.lead else "page",
        listing_summary=safe(truncated),
    )


def _with_credit(caption: str | None, credit: str | None) -> str | None:
    """A figure's caption with its photo credit, which is never body text (in the site's own
    words, the same in every view and language: JSON's Markdown never changes with it)."""
    return " — ".join(x for x in (caption, LABELS.credit.format(who=credit) if credit else None) if x) or None


def _credited(block: Block, credits: Mapping[str, str]) -> Block:
    """A picture of the body shown with its credit, as the figures are."""
    if block.kind != "image":
        return block
    credit = block.credit or credits.get(block.url or "")
    return block._replace(caption=_with_credit(block.caption, credit), credit=credit)


def _clean_inlines(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    return tuple(Inline(safe(i.text), safe_link(i.href), i.strong, i.em) for i in inlines)


def clean_block(block: Block) -> Block:
    """The block with sanitised text and only safe http(s) links (others become None)."""
    return block._replace(
        inlines=_clean_inlines(block.inlines),
        items=tuple(_clean_inlines(item) for item in block.items),
        rows=tuple(tuple(safe(c) for c in row) for row in block.rows),
        url=safe_link(block.url),
        alt=safe(block.alt) or None,
        caption=safe(block.caption) or None,
        credit=safe(block.credit) or None,
    )


def block_function(table: BlockTable[F], block: Block) -> F:
    """The format's function for `block` (every kind has one: mypy checks the key)."""
    return table[block.kind]


def render_blocks(table: BlockTable[Callable[[Block], R]], blocks: Iterable[Block]) -> list[R]:
    """Each block through its format's function (a kind unknown to this version never
    gets this far: models.Article.from_dict leaves it out)."""
    return [block_function(table, block)(block) for block in blocks]


def feed_views(entries: Sequence[tuple[Numbered, Article | None]]) -> list[tuple[HeadlineRow, ArticleView | None]]:
    """Feed entries (each headline with its cached article, if any) as rows and views."""
    return [
        (headline_row(item), None if article is None else article_view(article, item.number, listed=item.headline))
        for item, article in entries
    ]
