"""Plain-text output of the view model, for pipes and files: the layout of the Rich
terminal output (views/rich_news.py), without colours and without importing Rich (it is most
of a warm command's start-up time). Used whenever stdout is not a terminal. `wrap` is the
line wrapping of every plain-text output, the events' too."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from lillenews.base import typography
from lillenews.base.models import Block, Inline
from lillenews.views.labels import figure_parts, labelled, labels
from lillenews.views.model import (
    ArticleView,
    BlockTable,
    HeadlineRow,
    block_function,
    has_categories,
    safe,
    shows_summary,
)

GAP = "  "  # between columns, as in the Rich table (one cell of padding each side)
CATEGORY_MAX = 18  # as rich_news.CATEGORY_MAX


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Each paragraph of `text` wrapped: French no-break rules kept, a URL never cut
    (typography.wrap)."""
    lines: list[str] = []
    for n, para in enumerate(text.split("\n")):
        head = first if first is not None and n == 0 else indent
        lines.extend(typography.wrap(para, max(width, 10), indent=indent, first=head) or [indent.rstrip()])
    return lines


def _link(label: str, link: str | None) -> str:
    """The label, then the (already safe) link in <...> unless the label is the link."""
    return f"{label} <{link}>" if link and label.strip() != link else label


# --------------------------------------------------------------------- listing
def _listing_cells(rows: Sequence[HeadlineRow], width: int, summaries: bool) -> list[tuple[str, ...]]:
    """(number, mark, date, category, title, summary shown) of each row."""
    return [
        (
            "" if row.number is None else str(row.number),
            row.mark.glyph,
            row.short_date,
            row.category,
            row.title,
            row.summary if shows_summary(row, width, summaries) else "",
        )
        for row in rows
    ]


def listing_text(rows: Sequence[HeadlineRow], width: int, *, marks: bool = True, summaries: bool = True) -> str:
    """Rows in aligned columns; summaries under titles as model.shows_summary says; no
    Category column when no row has one (the column widths of rich_news.listing_table)."""
    cells = _listing_cells(rows, width, summaries)
    categories = has_categories(rows)
    lab = labels()
    header = (lab.number, "", lab.date, lab.category, lab.title)
    w_num = max(len(header[0]), *(len(r[0]) for r in cells)) if cells else 1
    w_date = max(len(header[2]), *(len(r[2]) for r in cells)) if cells else 4
    w_cat = min(CATEGORY_MAX, max(len(header[3]), *(len(r[3]) for r in cells))) if cells and categories else 0
    fixed = w_num + len(GAP) + (1 + len(GAP) if marks else 0) + w_date + len(GAP) + (w_cat + len(GAP) if w_cat else 0)
    w_title = max(20, width - fixed)

    def line(num: str, mark: str, date: str, cat: str, title: str) -> str:
        parts = [num.rjust(w_num)]
        if marks:
            parts.append(mark.ljust(1))
        parts.append(date.ljust(w_date))
        if w_cat:
            parts.append(cat.ljust(w_cat))
        parts.append(title)
        return GAP.join(parts).rstrip()

    out = [line(*header)]
    for num, mark, date, cat, title, summary in cells:
        title_lines = wrap(title, w_title) + (wrap(summary, w_title) if summary else [])
        cat_lines = (typography.wrap(cat, w_cat, break_long_words=True) if w_cat else []) or [""]
        for i in range(max(len(title_lines), len(cat_lines))):
            first = i == 0
            out.append(
                line(
                    num if first else "",
                    mark if first else "",
                    date if first else "",
                    cat_lines[i] if i < len(cat_lines) else "",
                    title_lines[i] if i < len(title_lines) else "",
                )
            )
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------- article
def _text(inlines: Iterable[Inline]) -> str:
    """The text of `inlines`, each link followed by its URL in <...> (unless it is the URL)."""
    return "".join(_link(inl.text, inl.href) for inl in inlines).strip()


# Each takes the block and the width and returns its lines ([] leaves it out).
def _heading(block: Block, width: int) -> list[str]:
    return wrap(_text(block.inlines), width)


def _paragraph(block: Block, width: int) -> list[str]:
    return wrap(_text(block.inlines), width)


def _quote(block: Block, width: int) -> list[str]:
    return wrap(_text(block.inlines), width, indent="  ", first="▌ ")


def _list(block: Block, width: int) -> list[str]:
    lines: list[str] = []
    marker_width = len(f"{len(block.items)}.") if block.ordered else 1
    for n, item in enumerate(block.items, 1):
        marker = (f"{n}." if block.ordered else "•").rjust(marker_width)
        pad = "  " + " " * (marker_width + 1)
        lines += wrap(_text(item), width, indent=pad, first=f"  {marker} ")
    return lines


def _table(block: Block, width: int) -> list[str]:
    rows = [list(row) for row in block.rows]
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(columns)]
    available = width - 3 * (columns - 1)
    while sum(widths) > available and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1
    lines = [block.caption] if block.caption else []
    for n, row in enumerate(rows):
        cells = [typography.wrap(c, widths[i], break_long_words=True) or [""] for i, c in enumerate(row)]
        for k in range(max(len(c) for c in cells)):
            texts = [(c[k] if k < len(c) else "").ljust(widths[i]) for i, c in enumerate(cells)]
            lines.append(" │ ".join(texts).rstrip())
        if n == 0 and block.header:
            lines.append("─┼─".join("─" * w for w in widths))
    return lines


def _image(block: Block, width: int) -> list[str]:
    # The image URL is noise in plain text (it is in --json and --markdown).
    text = "".join(figure_parts(block.alt, labels())) + (f" — {block.caption}" if block.caption else "")
    return wrap(text, width)


def _embed(block: Block, width: int) -> list[str]:
    return wrap(labelled(labels().embedded) + _link(block.caption or block.url or "", block.url), width)


PLAIN_BLOCKS: BlockTable[Callable[[Block, int], list[str]]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list,
    "quote": _quote,
    "table": _table,
    "image": _image,
    "embed": _embed,
}


def article_text(view: ArticleView, width: int) -> str:
    """The article as plain text: the layout of rich_news.article_group."""
    out = wrap(view.heading, width)
    if view.meta:
        out.append(view.meta)
    if view.lead:
        out += ["", *wrap(view.lead, width, indent="  ", first="┃ ")]
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        out += ["", *wrap(labelled(labels().listing_summary) + view.listing_summary, width)]
    for block in view.content:
        lines = block_function(PLAIN_BLOCKS, block)(block, width)
        if lines:
            out += ["", *lines]
    if view.related:
        out += ["", (f"{labels().related} " + "─" * width)[:width]]
        for rel in view.related:
            out += wrap(_link(rel.title, rel.link), width, indent="  ", first="• ")
            if rel.number is not None:  # its own line: the command is never split
                out.append(f"  → lillenews read {rel.number}")
            if rel.summary:
                out += wrap(rel.summary, width, indent="  ", first="  ")
    out += ["", *wrap(_link(safe(view.url), view.source_link), width)]
    return "\n".join(line.rstrip() for line in out) + "\n"
