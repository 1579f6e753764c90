"""Plain-text output of the view model, for pipes and files: the same layout as the
Rich terminal output, without colours and without importing Rich (it is most of a
warm command's start-up time). Used whenever stdout is not a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence

from .ansi import Paint, no_paint, paint_lines
from .models import Block, Inline
from .view import (
    LABELS,
    ArticleView,
    BlockTable,
    HeadlineRow,
    Mark,
    has_categories,
    render_blocks,
    safe,
    shows_summary,
)

GAP = "  "  # between columns, as in the Rich table (one cell of padding each side)
HIGHLIGHT = "reverse yellow"  # search matches, as render.HIGHLIGHT


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    width = max(width, 10)
    lines: list[str] = []
    for n, para in enumerate(text.split("\n")):
        wrapped = textwrap.wrap(
            para,
            width=width,
            initial_indent=(first if first is not None and n == 0 else indent),
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
            replace_whitespace=False,
            drop_whitespace=True,
        )
        lines.extend(wrapped or [indent.rstrip()])
    return lines


def _inlines(inlines: Iterable[Inline]) -> str:
    """Text with each http(s) link followed by its URL in <...>."""
    out = []
    for inl in inlines:
        out.append(inl.text)
        if inl.href and inl.text.strip() != inl.href:
            out.append(f" <{inl.href}>")
    return "".join(out).strip()


def _link(label: str, link: str | None) -> str:
    """The label, then the (already safe) link in <...> unless the label is the link."""
    return f"{label} <{link}>" if link and label.strip() != link else label


# --------------------------------------------------------------------- listing
def listing_text(
    rows: Sequence[HeadlineRow],
    width: int,
    *,
    marks: bool = True,
    summaries: bool = True,
    paint: Paint = no_paint,
) -> str:
    """Rows in aligned columns; summaries under titles as view.shows_summary says; no
    Category column when no row has one. `paint` colours it for a terminal (ansi.py)."""
    cells = [
        (
            "" if row.number is None else str(row.number),
            "●" if row.mark is Mark.NEW else "",
            row.short_date,
            row.category,
            row.title,
            row.summary if shows_summary(row, width, summaries) else "",
        )
        for row in rows
    ]
    categories = has_categories(rows)
    header = (LABELS.number, "", LABELS.date, LABELS.category, LABELS.title)
    w_num = max(len(header[0]), *(len(r[0]) for r in cells)) if cells else 1
    w_date = max(len(header[2]), *(len(r[2]) for r in cells)) if cells else 4
    w_cat = min(18, max(len(header[3]), *(len(r[3]) for r in cells))) if cells and categories else 0
    fixed = w_num + len(GAP) + (1 + len(GAP) if marks else 0) + w_date + len(GAP) + (w_cat + len(GAP) if w_cat else 0)
    w_title = max(20, width - fixed)

    def line(num: str, mark: str, date: str, cat: str, title: str, styles: tuple[str, ...]) -> str:
        """One screen line; `title` comes painted (its highlights inside), the other cells are painted here."""
        parts = [" " * (w_num - len(num)) + paint(num, styles[0])]
        if marks:
            parts.append(paint(mark, "bold blue") + " " * (1 - len(mark)))
        parts.append(paint(date, styles[1]) + " " * (w_date - len(date)))
        if w_cat:
            parts.append(paint(cat, styles[2]) + " " * (w_cat - len(cat)))
        parts.append(title)
        return GAP.join(parts).rstrip()

    head_style = ("bold",) * 3
    out = [line(header[0], "", header[2], header[3], paint(header[4], "bold"), head_style)]
    for row, (num, mark, date, cat, title, summary) in zip(rows, cells, strict=True):
        title_lines = paint_lines(
            _wrap(title, w_title), title, "dim" if row.read else "bold", row.title_spans, HIGHLIGHT, paint
        )
        if summary:
            title_lines += paint_lines(_wrap(summary, w_title), summary, "dim", row.summary_spans, HIGHLIGHT, paint)
        cat_lines = (textwrap.wrap(cat, w_cat, break_long_words=True) if w_cat else []) or [""]
        for i in range(max(len(title_lines), len(cat_lines))):
            first = i == 0
            out.append(
                line(
                    num if first else "",
                    mark if first else "",
                    date if first else "",
                    cat_lines[i] if i < len(cat_lines) else "",
                    title_lines[i] if i < len(title_lines) else "",
                    ("cyan", "green", "magenta"),
                )
            )
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------- article
# Each takes the block and the width and returns its lines ([] leaves it out).
def _prose(block: Block, width: int) -> list[str]:
    return _wrap(_inlines(block.inlines), width)


def _quote(block: Block, width: int) -> list[str]:
    return _wrap(_inlines(block.inlines), width, indent="  ", first="▌ ")


def _list(block: Block, width: int) -> list[str]:
    lines: list[str] = []
    marker_width = len(f"{len(block.items)}.") if block.ordered else 1
    for n, item in enumerate(block.items, 1):
        marker = (f"{n}." if block.ordered else "•").rjust(marker_width)
        pad = "  " + " " * (marker_width + 1)
        lines += _wrap(_inlines(item), width, indent=pad, first=f"  {marker} ")
    return lines


def _table(block: Block, width: int) -> list[str]:
    rows = [list(row) for row in block.rows]
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(columns)]
    available = width - 3 * (columns - 1)
    while sum(widths) > available and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1
    lines = []
    if block.caption:
        lines.append(block.caption)
    for n, row in enumerate(rows):
        cells = [textwrap.wrap(c, widths[i], break_long_words=True) or [""] for i, c in enumerate(row)]
        for k in range(max(len(c) for c in cells)):
            lines.append(
                " │ ".join((c[k] if k < len(c) else "").ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
            )
        if n == 0 and block.header:
            lines.append("─┼─".join("─" * w for w in widths))
    return lines


def _image(block: Block, width: int) -> list[str]:
    text = f"{LABELS.image}: {block.alt or LABELS.no_description}"
    if block.caption:
        text += f" — {block.caption}"
    return _wrap(text, width)


def _embed(block: Block, width: int) -> list[str]:
    return _wrap(f"{LABELS.embedded}: " + _link(block.caption or block.url or "", block.url), width)


PLAIN_BLOCKS: dict[str, Callable[[Block, int], list[str]]] = {
    "heading": _prose,
    "paragraph": _prose,
    "quote": _quote,
    "list": _list,
    "table": _table,
    "image": _image,
    "embed": _embed,
}


def article_text(view: ArticleView, width: int) -> str:
    out = _wrap(view.heading, width)
    if view.meta:
        out.append(view.meta)
    if view.lead:
        out += [""] + _wrap(view.lead, width, indent="  ", first="┃ ")
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        out += ["", *_wrap(f"{LABELS.listing_summary}: {view.listing_summary}", width)]
    table: BlockTable[list[str]] = {kind: _at_width(fn, width) for kind, fn in PLAIN_BLOCKS.items()}
    for lines in render_blocks(table, view.content):
        if lines:
            out += ["", *lines]
    if view.related:
        out += ["", (f"{LABELS.related} " + "─" * width)[:width]]
        for rel in view.related:
            out += _wrap(_link(rel.title, rel.link), width, indent="  ", first="• ")
            if rel.number is not None:  # its own line: the command is never split
                out.append(f"  → lillenews read {rel.number}")
            if rel.summary:
                out += _wrap(rel.summary, width, indent="  ")
    out += ["", *_wrap(_link(safe(view.url), view.source_link), width)]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _at_width(fn: Callable[[Block, int], list[str]], width: int) -> Callable[[Block], list[str]]:
    return lambda block: fn(block, width)
