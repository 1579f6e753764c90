"""The data that flows fetch -> parse -> store -> render: immutable, plain, JSON-able.

Records are typed NamedTuples rather than frozen dataclasses: they are as
immutable and typed, but create in a fraction of the time (this module is on the
start-up path of every command, and a parse makes thousands of Inline/Block)."""

import datetime
import enum
from typing import Any, Literal, NamedTuple, TypeGuard, get_args

from lillenews.base.text import lazy_pattern

LeadSource = Literal["page", "listing"]
# Every kind of article block. mypy checks each renderer's table against it (views/model.py,
# BlockTable); the tuple is the same list at run time, for the JSON of older caches.
BlockKind = Literal["heading", "paragraph", "list", "quote", "table", "image", "embed"]
BLOCK_KINDS: tuple[BlockKind, ...] = get_args(BlockKind)


def is_block_kind(kind: object) -> TypeGuard[BlockKind]:
    return kind in BLOCK_KINDS


class Layer(enum.Enum):
    """Which layer of the markup spec produced a parsed value (see site/markup.py)."""

    KNOWN = "known"  # lille.fr's own markup
    GENERIC = "generic"  # markup-independent fallback (semantic HTML, meta tags, JSON-LD)
    NONE = "none"  # nothing found


class DateRange(NamedTuple):
    """The one date representation of news and events: a day or a period. `end` is None
    for a single day, `start` None for "until"; JSON carries them as ISO `date`/`date_end`."""

    start: datetime.date | None
    end: datetime.date | None

    @classmethod
    def from_iso(cls, start: object, end: object) -> "DateRange":
        """From stored or JSON values: anything but an ISO day (YYYY-MM-DD) is no day."""
        return cls(_day(start), _day(end))

    @property
    def iso_start(self) -> str | None:
        return self.start.isoformat() if self.start is not None else None

    @property
    def iso_end(self) -> str | None:
        return self.end.isoformat() if self.end is not None else None


_iso_day = lazy_pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(value: object) -> datetime.date | None:
    if not isinstance(value, str) or not _iso_day().fullmatch(value):  # fromisoformat also reads "20210208"
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


NO_DATES = DateRange(None, None)


class Headline(NamedTuple):
    url: str  # absolute, without tracking parameters: a headline's identity
    title: str
    dates: DateRange = NO_DATES  # a day, or a period ("Du 3 au 28 mars")
    category: str | None = None
    summary: str | None = None
    image: str | None = None
    summary_truncated: bool = False  # the site cut the summary ("..."): never a lead

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"url": self.url, "title": self.title, "date": self.dates.iso_start}
        d.update(category=self.category, summary=self.summary, image=self.image)
        # Keys in the order they always had; the stored JSON of a plain headline is unchanged.
        if self.dates.end is not None:
            d["date_end"] = self.dates.iso_end
        if self.summary_truncated:
            d["summary_truncated"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Headline":
        return cls(
            url=d["url"],
            title=d["title"],
            dates=DateRange.from_iso(d.get("date"), d.get("date_end")),
            category=d.get("category"),
            summary=d.get("summary"),
            image=d.get("image"),
            summary_truncated=bool(d.get("summary_truncated")),
        )


class ListingPage(NamedTuple):
    url: str
    headlines: tuple[Headline, ...]
    next_url: str | None  # from the page's own pagination, when it has one
    has_pagination: bool = False  # a pagination block was seen (so no next link = last page)


class Inline(NamedTuple):
    """A run of text inside a block; `href` only ever holds an http(s) URL."""

    text: str
    href: str | None = None
    strong: bool = False
    em: bool = False


class Block(NamedTuple):
    """One structural element of an article body.

    kind: "heading" (level 2..6), "paragraph", "list" (ordered or not; `items`),
    "quote", "table" (`rows`, the first is the header when `header` is true),
    "image" (`url`, `alt`, `caption`, `credit`), "embed" (an iframe: `url`, `caption`).
    """

    kind: BlockKind
    inlines: tuple[Inline, ...] = ()
    level: int = 0
    ordered: bool = False
    items: tuple[tuple[Inline, ...], ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    url: str | None = None
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None  # an image's photo credit: its figure's, never body text

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines).strip()


class Image(NamedTuple):
    url: str
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None  # "Crédit : X" beside the picture: X (never body text)


class Related(NamedTuple):
    title: str
    url: str
    summary: str | None = None


class Article(NamedTuple):
    url: str
    title: str
    dates: DateRange = NO_DATES  # a day, or a period
    category: str | None = None
    lead: str | None = None
    blocks: tuple[Block, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    lead_source: LeadSource = "page"  # "listing": the page had no lead, the listing's summary stands in

    def to_dict(self) -> dict[str, Any]:
        def inlines(seq: tuple[Inline, ...]) -> list[dict[str, Any]]:
            return [i._asdict() for i in seq]

        d: dict[str, Any] = {
            "url": self.url,
            "title": self.title,
            "date": self.dates.iso_start,
            "category": self.category,
            "lead": self.lead,
            "blocks": [
                {
                    **{k: v for k, v in b._asdict().items() if k != "credit" or v},  # stored as it always was
                    "inlines": inlines(b.inlines),
                    "items": [inlines(it) for it in b.items],
                    "rows": [list(r) for r in b.rows],
                }
                for b in self.blocks
            ],
            # a credit-less image is stored as it always was
            "images": [{k: v for k, v in i._asdict().items() if k != "credit" or v} for i in self.images],
            "related": [r._asdict() for r in self.related],
        }
        # New keys only when they say something: cached JSON of older articles stays byte-identical.
        if self.dates.end is not None:
            d["date_end"] = self.dates.iso_end
        if self.lead_source != "page":
            d["lead_source"] = self.lead_source
        return d

    def plain_text(self) -> str:
        """Headings, paragraphs, list items ("- item", "1. item"), quotes and table
        rows in page order, separated by blank lines; no lead, images or related."""
        parts: list[str] = []
        for block in self.blocks:
            if block.kind in ("heading", "paragraph", "quote"):
                if block.text:
                    parts.append(block.text)
            elif block.kind == "list":
                for n, item in enumerate(block.items, 1):
                    text = "".join(i.text for i in item).strip()
                    parts.append(f"{n}. {text}" if block.ordered else f"- {text}")
            elif block.kind == "table":
                parts.append("\n".join(" | ".join(row) for row in block.rows))
        return "\n\n".join(parts)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        def inl(seq: list[dict[str, Any]]) -> tuple[Inline, ...]:
            return tuple(Inline(**i) for i in seq)

        blocks = tuple(
            Block(
                kind=b["kind"],
                inlines=inl(b.get("inlines", ())),
                level=b.get("level", 0),
                ordered=b.get("ordered", False),
                items=tuple(inl(it) for it in b.get("items", ())),
                rows=tuple(tuple(r) for r in b.get("rows", ())),
                header=b.get("header", False),
                url=b.get("url"),
                alt=b.get("alt"),
                caption=b.get("caption"),
                credit=b.get("credit"),
            )
            for b in d.get("blocks", ())
            if is_block_kind(b.get("kind"))  # a kind this version does not know (a newer cache's): skipped
        )
        return cls(
            url=d["url"],
            title=d["title"],
            dates=DateRange.from_iso(d.get("date"), d.get("date_end")),
            category=d.get("category"),
            lead=d.get("lead"),
            blocks=blocks,
            images=tuple(Image(**i) for i in d.get("images", ())),
            related=tuple(Related(**r) for r in d.get("related", ())),
            lead_source="listing" if d.get("lead_source") == "listing" else "page",
        )


class Numbered(NamedTuple):
    """A headline with its number in the current listing (1 = newest; None when
    the article is cached but no longer in the listing)."""

    number: int | None
    headline: Headline
    read: bool = False
    new: bool = False
    snippet: str | None = None
    extra: dict[str, Any] | None = None  # e.g. highlight spans of a snippet
