"""Plain-text output of the view model, for pipes and files: the same layout as the
Rich terminal output, without colours and without importing Rich (it is most of a
warm command's start-up time). Used whenever stdout is not a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence

from .models import Block, Inline
from .view import (
    LABELS,
    SUMMARY_MIN_WIDTH,
    ArticleView,
    BlockTable,
    HeadlineRow,
    Mark,
    block_table,
    render_blocks,
    safe,
)

GAP = "  "  # between columns, as in the Rich table (one cell of padding each side)


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
def listing_text(rows: Sequence[HeadlineRow], width: int, *, marks: bool = True) -> str:
    """Rows in aligned columns; summaries under titles from SUMMARY_MIN_WIDTH columns,
    and always for full-text snippets."""
    cells = [
        (
            "" if row.number is None else str(row.number),
            "●" if row.mark is Mark.NEW else "",
            row.short_date,
            row.category,
            row.title,
            row.summary if width >= SUMMARY_MIN_WIDTH or row.snippet is not None else "",
        )
        for row in rows
    ]
    header = (LABELS.number, "", LABELS.date, LABELS.category, LABELS.title)
    w_num = max(len(header[0]), *(len(r[0]) for r in cells)) if cells else 1
    w_date = max(len(header[2]), *(len(r[2]) for r in cells)) if cells else 4
    w_cat = min(18, max(len(header[3]), *(len(r[3]) for r in cells))) if cells else 8
    fixed = w_num + len(GAP) + (1 + len(GAP) if marks else 0) + w_date + len(GAP) + w_cat + len(GAP)
    w_title = max(20, width - fixed)

    def line(num: str, mark: str, date: str, cat: str, title: str) -> str:
        parts = [num.rjust(w_num)]
        if marks:
            parts.append(mark.ljust(1))
        parts += [date.ljust(w_date), cat.ljust(w_cat), title]
        return GAP.join(parts).rstrip()

    out = [line(*header)]
    for num, mark, date, cat, title, summary in cells:
        title_lines = _wrap(title, w_title) + (_wrap(summary, w_title) if summary else [])
        cat_lines = textwrap.wrap(cat, w_cat, break_long_words=True) or [""]
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


_heading = _prose
_paragraph = _prose

PLAIN_BLOCKS: dict[str, Callable[[Block, int], list[str]]] = block_table(globals())


def article_text(view: ArticleView, width: int) -> str:
    out = _wrap(view.heading, width)
    if view.meta:
        out.append(view.meta)
    if view.lead:
        out += [""] + _wrap(view.lead, width, indent="  ", first="┃ ")
    table: BlockTable[list[str]] = {kind: _at_width(fn, width) for kind, fn in PLAIN_BLOCKS.items()}
    for lines in render_blocks(table, view.content):
        if lines:
            out += ["", *lines]
    if view.related:
        out += ["", (f"{LABELS.related} " + "─" * width)[:width]]
        for rel in view.related:
            out += _wrap(_link(rel.title, rel.link), width, indent="  ", first="• ")
            if rel.summary:
                out += _wrap(rel.summary, width, indent="  ")
    out += ["", *_wrap(_link(safe(view.url), view.source_link), width)]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _at_width(fn: Callable[[Block, int], list[str]], width: int) -> Callable[[Block], list[str]]:
    return lambda block: fn(block, width)
