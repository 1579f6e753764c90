"""Rich renderables of the view model, for people at a terminal (plain text for pipes
is plain.py; JSON jsonout.py; Markdown markdown.py).

Site text only ever reaches Rich as `Text` (never parsed as markup), and only the
http(s) links the view model kept become OSC 8 hyperlinks. Rich is imported inside
the functions: importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .view import (
    LABELS,
    ArticleView,
    HeadlineRow,
    Mark,
    Span,
    article_view,
    block_table,
    has_categories,
    render_blocks,
    safe,
    shows_summary,
)

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from .models import Article, Block, Inline

HIGHLIGHT = "reverse yellow"


# --------------------------------------------------------------------- listing
CATEGORY_MAX = 18  # columns of the Category column at most (its text folds)
GAP = 2  # columns between two cells (one of padding each side), as plain.GAP


def listing_table(rows: Sequence[HeadlineRow], width: int, *, marks: bool = True, summaries: bool = True) -> Table:
    """Rows as a table; summaries (with their highlights) under the titles as
    view.shows_summary says; no Category column when no row has one.

    Every column width is computed here, as plain.listing_text does, so Rich measures
    no cell (measuring each cell twice is most of a table's render); titles fold at
    the title column's width."""
    from rich.cells import cell_len
    from rich.table import Table

    numbers = [("" if row.number is None else str(row.number)) for row in rows]
    dates = [row.short_date for row in rows]
    w_num = max(map(cell_len, [LABELS.number, *numbers]))
    w_date = max(map(cell_len, [LABELS.date, *dates]))
    w_cat = 0
    if has_categories(rows):
        w_cat = min(CATEGORY_MAX, max(map(cell_len, [LABELS.category, *(row.category for row in rows)])))
    fixed = w_num + w_date + (1 + GAP if marks else 0) + (w_cat + GAP if w_cat else 0) + 2 * GAP
    w_title = max(20, width - fixed)
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False, header_style="bold", padding=(0, 1))
    table.add_column(LABELS.number, justify="right", style="cyan", no_wrap=True, width=w_num)
    if marks:
        table.add_column("", width=1, no_wrap=True)
    table.add_column(LABELS.date, no_wrap=True, style="green", width=w_date)
    if w_cat:
        table.add_column(LABELS.category, style="magenta", overflow="fold", width=w_cat)
    table.add_column(LABELS.title, overflow="fold", width=w_title)
    for row, number, date in zip(rows, numbers, dates, strict=True):
        table.add_row(*_listing_cells(row, number, date, shows_summary(row, width, summaries), marks, w_cat))
    return table


def _listing_cells(
    row: HeadlineRow, number: str, date: str, summary: bool, marks: bool, categories: int
) -> list[RenderableType]:
    from rich.text import Text

    # Title and summary in one Text (a line break between): cheaper to lay out than a Group.
    cell = _highlighted(Text(), row.title, row.title_spans, "dim" if row.read else "bold")
    if summary:
        cell.append("\n")
        _highlighted(cell, row.summary, row.summary_spans, "dim")
    cells: list[RenderableType] = [Text(number)]
    if marks:
        cells.append(Text("●", style="bold blue") if row.mark is Mark.NEW else Text(" "))
    cells.append(Text(date))
    if categories:
        cells.append(Text(row.category))
    return [*cells, cell]


def _highlighted(out: Text, text: str, spans: Iterable[Span], style: str) -> Text:
    """`text` appended to `out` in `style`, its spans (search matches) highlighted."""
    start = len(out)
    out.append(text, style=style)
    for a, b in spans:
        out.stylize(HIGHLIGHT, start + a, start + b)
    return out


# --------------------------------------------------------------------- article
def inline_text(inlines: Iterable[Inline], hyperlinks: bool) -> Text:
    from rich.text import Text

    text = Text()
    for inl in inlines:
        style = ("bold " if inl.strong else "") + ("italic" if inl.em else "")
        if inl.href and hyperlinks:
            text.append(inl.text, style=f"{style} underline blue link {inl.href}".strip())
        else:
            text.append(inl.text, style=style.strip() or None)
            if inl.href and inl.text.strip() != inl.href:
                text.append(f" <{inl.href}>", style="dim")
    return text


def _link_text(label: str, link: str | None, hyperlinks: bool, style: str = "") -> Text:
    from rich.text import Text

    text = Text()
    if link and hyperlinks:
        text.append(label, style=f"{style} link {link}".strip())
    else:
        text.append(label, style=style or None)
        if link and label.strip() != link:
            text.append(f" <{link}>", style="dim")
    return text


def _pad(renderable: RenderableType, top: int = 0, left: int = 0) -> Padding:
    from rich.padding import Padding

    # expand=False: no trailing spaces up to the console width in piped output.
    return Padding(renderable, (top, 0, 0, left), expand=False)


def _heading(block: Block, hyperlinks: bool) -> RenderableType:
    heading = inline_text(block.inlines, hyperlinks)
    heading.stylize("bold cyan")
    return _pad(heading, 1)


def _paragraph(block: Block, hyperlinks: bool) -> RenderableType:
    return _pad(inline_text(block.inlines, hyperlinks), 1)


def _quote(block: Block, hyperlinks: bool) -> RenderableType:
    body = inline_text(block.inlines, hyperlinks)
    body.stylize("italic")
    return _pad(_hanging("▌", "dim", [body]), 1)


def _list(block: Block, hyperlinks: bool) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    marker_width = len(f"{len(block.items)}.") if block.ordered else 1  # known: Rich need not measure it
    grid.add_column(justify="right", no_wrap=True, style="cyan", width=marker_width)
    grid.add_column(ratio=1)
    for n, item in enumerate(block.items, 1):
        grid.add_row(Text(f"{n}." if block.ordered else "•"), inline_text(item, hyperlinks))
    return _pad(grid, 1, left=2)


def _table(block: Block, hyperlinks: bool) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        show_header=block.header,
        header_style="bold",
        show_lines=False,
        title=Text(block.caption) if block.caption else None,
    )
    rows = list(block.rows)
    header = rows.pop(0) if block.header and rows else None
    for i in range(len(block.rows[0])):
        table.add_column(Text(header[i]) if header else "", overflow="fold")
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    return _pad(table, 1)


def _image(block: Block, hyperlinks: bool) -> RenderableType:
    from rich.text import Text

    text = Text(f"{LABELS.image}: ", style="dim")
    # The image URL is noise in plain text (it is in --json and --markdown).
    text.append_text(
        _link_text(block.alt or LABELS.no_description, block.url if hyperlinks else None, hyperlinks, "dim italic")
    )
    if block.caption:
        text.append(f" — {block.caption}", style="dim")
    return _pad(text, 1)


def _embed(block: Block, hyperlinks: bool) -> RenderableType:
    from rich.text import Text

    text = Text(f"{LABELS.embedded}: ", style="dim")
    text.append_text(_link_text(block.caption or block.url or "", block.url, hyperlinks, "dim"))
    return _pad(text, 1)


RICH_BLOCKS: Mapping[str, Callable[[Block, bool], RenderableType]] = block_table(globals())


def article_group(view: ArticleView, *, hyperlinks: bool, measure: int | None = None) -> Group:
    """The article, top to bottom, in the order ArticleView gives; at most `measure`
    columns wide when given (a readable line in a wide terminal)."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    heading = Text()
    if view.number is not None:
        heading.append(f"{view.number}. ", style="cyan")
    heading.append(view.title, style="bold")
    parts: list[RenderableType] = [heading]
    if view.meta:
        parts.append(Text(view.meta, style="green"))
    if view.lead:
        parts.append(_pad(_hanging("┃", "yellow", [Text(view.lead, style="bold")]), 1))
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        summary = Text(f"{LABELS.listing_summary}: ", style="dim bold")
        summary.append(view.listing_summary, style="dim")
        parts.append(_pad(summary, 1))
    table = {kind: _bind(fn, hyperlinks) for kind, fn in RICH_BLOCKS.items()}
    parts += render_blocks(table, view.content)
    if view.related:
        parts.append(Padding(Rule(Text(LABELS.related, style="bold"), align="left", style="dim"), (1, 0, 0, 0)))
        for rel in view.related:
            item = _link_text(rel.title, rel.link, hyperlinks, "bold")
            if rel.number is not None:  # its own line: the command is never split
                item.append(f"\n→ lillenews read {rel.number}", style="cyan")
            if rel.summary:
                item.append(f"\n{rel.summary}", style="dim")
            parts.append(_hanging("•", "cyan", [item]))
    parts.append(_pad(_link_text(safe(view.url), view.source_link, hyperlinks, "dim"), 1))
    if measure is None:
        return Group(*parts)
    from rich.constrain import Constrain

    return Group(Constrain(Group(*parts), measure))


def _hanging(marker: str, style: str, rows: Iterable[Text]) -> Table:
    """Each row's text after `marker`, its wrapped lines hanging under the text."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=style, no_wrap=True, width=len(marker))
    grid.add_column(ratio=1)
    for text in rows:
        grid.add_row(marker, text)
    return grid


def _bind(fn: Callable[[Block, bool], RenderableType], hyperlinks: bool) -> Callable[[Block], RenderableType]:
    return lambda block: fn(block, hyperlinks)


def article_renderable(article: Article, number: int | None, hyperlinks: bool) -> Group:
    """The model straight to Rich (the view model built on the way)."""
    return article_group(article_view(article, number), hyperlinks=hyperlinks)


def key_value_grid(rows: Iterable[tuple[str, str]]) -> Table:
    """Two columns, bold keys (`cache info`)."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(Text(key), Text(value))
    return table
