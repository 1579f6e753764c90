"""Plain-text output of the view model, for pipes and files: the same layout as the
Rich terminal output, without colours and without importing Rich (it is most of a
warm command's start-up time). Used whenever stdout is not a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from .ansi import Paint, Run, no_paint, paint_lines
from .models import Block, Inline
from .typography import bind, unbind
from .view import (
    LABELS,
    ArticleView,
    BlockTable,
    HeadlineRow,
    Mark,
    block_table,
    has_categories,
    labelled,
    labels,
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
            bind(para),  # textwrap splits on ASCII spaces only: bound words stay on one line
            width=width,
            initial_indent=(first if first is not None and n == 0 else indent),
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
            replace_whitespace=False,
            drop_whitespace=True,
        )
        lines.extend(unbind(line) for line in wrapped or [indent.rstrip()])
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
            "●" if row.mark is Mark.NEW else "",
            row.short_date,
            row.category,
            row.title,
            row.summary if shows_summary(row, width, summaries) else "",
        )
        for row in rows
    ]


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
    cells = _listing_cells(rows, width, summaries)
    categories = has_categories(rows)
    lab = labels()
    header = (lab.number, "", lab.date, lab.category, lab.title)
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
        title_runs = [(a, b, HIGHLIGHT) for a, b in row.title_spans]
        title_lines = paint_lines(_wrap(title, w_title), title, "dim" if row.read else "bold", title_runs, paint)
        if summary:
            summary_runs = [(a, b, HIGHLIGHT) for a, b in row.summary_spans]
            title_lines += paint_lines(_wrap(summary, w_title), summary, "dim", summary_runs, paint)
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
class Ink(NamedTuple):
    """How an article is drawn: plain (pipes) or painted for a terminal (ansi.py), with
    OSC 8 hyperlinks where the terminal shows them (else URLs in <...>)."""

    paint: Paint = no_paint
    hyperlinks: bool = False


PLAIN = Ink()


def _runs(inlines: Iterable[Inline], ink: Ink) -> tuple[str, list[Run]]:
    """The text of `inlines` (each link followed by its URL in <...> unless it is a
    hyperlink) and the styled runs in it."""
    text, runs = "", []
    for inl in inlines:
        start = len(text)
        text += inl.text
        style = ("bold " if inl.strong else "") + ("italic" if inl.em else "")
        if inl.href and ink.hyperlinks:
            style += f" underline blue link={inl.href}"
        if style.strip():
            runs.append((start, len(text), style.strip()))
        if inl.href and not ink.hyperlinks and inl.text.strip() != inl.href:
            runs.append((len(text), len(text) + len(inl.href) + 3, "dim"))
            text += f" <{inl.href}>"
    cut = len(text) - len(text.lstrip())
    return text.strip(), [(a - cut, b - cut, style) for a, b, style in runs]


def _painted(
    text: str,
    width: int,
    ink: Ink,
    style: str = "",
    runs: Iterable[Run] = (),
    *,
    indent: str = "",
    first: str | None = None,
    prefix_style: str = "",
) -> list[str]:
    """`text` wrapped at `width` (see _wrap), painted in `style` with its runs."""
    lines = _wrap(text, width, indent=indent, first=first)
    if ink.paint is no_paint:
        return lines
    return paint_lines(lines, text, style, runs, ink.paint, (indent if first is None else first, indent, prefix_style))


def _link_runs(label: str, link: str | None, ink: Ink, style: str = "") -> tuple[str, list[Run]]:
    """A label and its (safe) link: a hyperlink, or the URL in <...> unless the label is the URL."""
    if link and ink.hyperlinks:
        return label, [(0, len(label), f"{style} link={link}".strip())]
    text = _link(label, link)
    return text, [(0, len(label), style)] if style else []


# Each takes the block, the width and the ink and returns its lines ([] leaves it out).
def _heading(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    text, runs = _runs(block.inlines, ink)
    return _painted(text, width, ink, "bold cyan", runs)


def _paragraph(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    text, runs = _runs(block.inlines, ink)
    return _painted(text, width, ink, "", runs)


def _quote(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    text, runs = _runs(block.inlines, ink)
    return _painted(text, width, ink, "italic", runs, indent="  ", first="▌ ", prefix_style="dim")


def _list(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    lines: list[str] = []
    marker_width = len(f"{len(block.items)}.") if block.ordered else 1
    for n, item in enumerate(block.items, 1):
        marker = (f"{n}." if block.ordered else "•").rjust(marker_width)
        pad = "  " + " " * (marker_width + 1)
        text, runs = _runs(item, ink)
        lines += _painted(text, width, ink, "", runs, indent=pad, first=f"  {marker} ", prefix_style="cyan")
    return lines


def _table(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    rows = [list(row) for row in block.rows]
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(columns)]
    available = width - 3 * (columns - 1)
    while sum(widths) > available and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1
    lines = []
    if block.caption:
        lines.append(ink.paint(block.caption, "italic"))
    for n, row in enumerate(rows):
        cells = [textwrap.wrap(c, widths[i], break_long_words=True) or [""] for i, c in enumerate(row)]
        style = "bold" if n == 0 and block.header else ""
        for k in range(max(len(c) for c in cells)):
            texts = [(c[k] if k < len(c) else "") for c in cells]
            padded = [ink.paint(t, style) + " " * (widths[i] - len(t)) for i, t in enumerate(texts)]
            lines.append(
                ink.paint(" │ ", "dim").join(padded).rstrip()
                if ink.paint is not no_paint
                else _plain_row(texts, widths)
            )
        if n == 0 and block.header:
            lines.append(ink.paint("─┼─".join("─" * w for w in widths), "dim"))
    return lines


def _plain_row(texts: list[str], widths: list[int]) -> str:
    return " │ ".join(t.ljust(widths[i]) for i, t in enumerate(texts)).rstrip()


def _image(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    head = labelled(labels().image)
    label, runs = _link_runs(block.alt or labels().no_description, block.url if ink.hyperlinks else None, ink, "italic")
    text = head + label + (f" — {block.caption}" if block.caption else "")
    return _painted(text, width, ink, "dim", [(a + len(head), b + len(head), s) for a, b, s in runs])


def _embed(block: Block, width: int, ink: Ink = PLAIN) -> list[str]:
    head = labelled(labels().embedded)
    label, runs = _link_runs(block.caption or block.url or "", block.url, ink)
    return _painted(head + label, width, ink, "dim", [(a + len(head), b + len(head), s) for a, b, s in runs])


PLAIN_BLOCKS: dict[str, Callable[[Block, int, Ink], list[str]]] = block_table(globals())


def article_text(view: ArticleView, width: int, ink: Ink = PLAIN) -> str:
    """The article, plain (pipes) or painted for a terminal: the layout of render.article_group."""
    number = f"{view.number}. " if view.number is not None else ""
    out = _painted(view.heading, width, ink, "", [(0, len(number), "cyan"), (len(number), len(view.heading), "bold")])
    if view.meta:
        out.append(ink.paint(view.meta, "green"))
    if view.lead:
        out += ["", *_painted(view.lead, width, ink, "bold", indent="  ", first="┃ ", prefix_style="yellow")]
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        label = labelled(labels().listing_summary)
        out += ["", *_painted(label + view.listing_summary, width, ink, "dim", [(0, len(label), "bold")])]
    table: BlockTable[list[str]] = {kind: _bound(fn, width, ink) for kind, fn in PLAIN_BLOCKS.items()}
    for lines in render_blocks(table, view.content):
        if lines:
            out += ["", *lines]
    if view.related:
        rule = (f"{LABELS.related} " + "─" * width)[:width]
        out += ["", ink.paint(LABELS.related, "bold") + ink.paint(rule[len(LABELS.related) :], "dim")]
        for rel in view.related:
            label, runs = _link_runs(rel.title, rel.link, ink, "bold")
            out += _painted(label, width, ink, "", runs, indent="  ", first="• ", prefix_style="cyan")
            if rel.number is not None:  # its own line: the command is never split
                out.append("  " + ink.paint(f"→ lillenews read {rel.number}", "cyan"))
            if rel.summary:
                out += _painted(rel.summary, width, ink, "dim", indent="  ", first="  ")
    source, runs = _link_runs(safe(view.url), view.source_link, ink)
    out += ["", *_painted(source, width, ink, "dim", runs)]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _bound(fn: Callable[[Block, int, Ink], list[str]], width: int, ink: Ink) -> Callable[[Block], list[str]]:
    return lambda block: fn(block, width, ink)
