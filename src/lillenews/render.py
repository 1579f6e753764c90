"""Rich renderables of the view model, for people at a terminal (plain text for pipes
is plain.py; JSON jsonout.py; Markdown markdown.py).

Site text only ever reaches Rich as `Text` (never parsed as markup), and only the
http(s) links the view model kept become OSC 8 hyperlinks. Rich is imported inside
the functions: importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .typography import bind
from .view import (
    LABELS,
    ArticleView,
    HeadlineRow,
    Mark,
    Span,
    article_view,
    block_table,
    has_categories,
    labelled,
    labels,
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
def listing_table(rows: Sequence[HeadlineRow], width: int, *, marks: bool = True, summaries: bool = True) -> Table:
    """Rows as a table; summaries (with their highlights) under the titles as
    view.shows_summary says; no Category column when no row has one."""
    from rich.table import Table

    categories = has_categories(rows)
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False, header_style="bold", padding=(0, 1))
    lab = labels()
    table.add_column(lab.number, justify="right", style="cyan", no_wrap=True)
    if marks:
        table.add_column("", width=1, no_wrap=True)
    table.add_column(lab.date, no_wrap=True, style="green")
    if categories:
        table.add_column(lab.category, style="magenta", max_width=18, overflow="fold")
    table.add_column(lab.title, ratio=1, overflow="fold")
    for row in rows:
        table.add_row(*_listing_cells(row, shows_summary(row, width, summaries), marks, categories))
    return table


def _listing_cells(row: HeadlineRow, summary: bool, marks: bool, categories: bool) -> list[RenderableType]:
    from rich.console import Group
    from rich.text import Text

    title = _highlighted(row.title, row.title_spans, "dim" if row.read else "bold")
    cell: RenderableType = title
    if summary:
        cell = Group(title, _highlighted(row.summary, row.summary_spans, "dim"))
    cells: list[RenderableType] = [Text("" if row.number is None else str(row.number))]
    if marks:
        cells.append(Text("●", style="bold blue") if row.mark is Mark.NEW else Text(" "))
    cells.append(Text(row.short_date))
    if categories:
        cells.append(Text(row.category))
    return [*cells, cell]


def _highlighted(text: str, spans: Iterable[Span], style: str) -> Text:
    from .bound_text import BoundText

    out = BoundText(bind(text), style=style)  # bind() keeps the length: the spans stay valid
    for start, end in spans:
        out.stylize(HIGHLIGHT, start, end)
    return out


# --------------------------------------------------------------------- article
def inline_text(inlines: Iterable[Inline], hyperlinks: bool) -> Text:
    from .bound_text import BoundText

    text = BoundText()
    for inl in inlines:
        style = ("bold " if inl.strong else "") + ("italic" if inl.em else "")
        if inl.href and hyperlinks:
            text.append(bind(inl.text), style=f"{style} underline blue link {inl.href}".strip())
        else:
            text.append(bind(inl.text), style=style.strip() or None)
            if inl.href and inl.text.strip() != inl.href:
                text.append(f" <{inl.href}>", style="dim")
    return text


def _link_text(label: str, link: str | None, hyperlinks: bool, style: str = "") -> Text:
    from .bound_text import BoundText

    text = BoundText()
    if link and hyperlinks:
        text.append(bind(label), style=f"{style} link {link}".strip())
    else:
        text.append(bind(label), style=style or None)
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
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    body = inline_text(block.inlines, hyperlinks)
    body.stylize("italic")
    grid.add_row(Text("▌"), body)
    return _pad(grid, 1)


def _list(block: Block, hyperlinks: bool) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, style="cyan")
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
    from .bound_text import BoundText

    text = BoundText(bind(labelled(labels().image)), style="dim")
    # The image URL is noise in plain text (it is in --json and --markdown).
    text.append_text(
        _link_text(block.alt or labels().no_description, block.url if hyperlinks else None, hyperlinks, "dim italic")
    )
    if block.caption:
        text.append(bind(f" — {block.caption}"), style="dim")
    return _pad(text, 1)


def _embed(block: Block, hyperlinks: bool) -> RenderableType:
    from .bound_text import BoundText

    text = BoundText(bind(labelled(labels().embedded)), style="dim")
    text.append_text(_link_text(block.caption or block.url or "", block.url, hyperlinks, "dim"))
    return _pad(text, 1)


RICH_BLOCKS: Mapping[str, Callable[[Block, bool], RenderableType]] = block_table(globals())


def article_group(view: ArticleView, *, hyperlinks: bool) -> Group:
    """The article, top to bottom, in the order ArticleView gives."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from .bound_text import BoundText

    heading = BoundText()
    if view.number is not None:
        heading.append(f"{view.number}. ", style="cyan")
    heading.append(bind(view.title), style="bold")
    parts: list[RenderableType] = [heading]
    if view.meta:
        parts.append(Text(view.meta, style="green"))
    if view.lead:
        lead = Table.grid(padding=(0, 1))
        lead.add_column(style="yellow", no_wrap=True)
        lead.add_column(ratio=1)
        lead.add_row(Text("┃"), BoundText(bind(view.lead), style="bold"))
        parts.append(_pad(lead, 1))
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        summary = BoundText(bind(labelled(labels().listing_summary)), style="dim bold")
        summary.append(bind(view.listing_summary), style="dim")
        parts.append(_pad(summary, 1))
    table = {kind: _bind(fn, hyperlinks) for kind, fn in RICH_BLOCKS.items()}
    parts += render_blocks(table, view.content)
    if view.related:
        parts.append(Padding(Rule(Text(LABELS.related, style="bold"), align="left", style="dim"), (1, 0, 0, 0)))
        for rel in view.related:
            line = BoundText("• ", style="cyan")
            line.append_text(_link_text(rel.title, rel.link, hyperlinks, "bold"))
            parts.append(line)
            if rel.number is not None:  # its own line: the command is never split
                parts.append(_pad(Text(f"→ lillenews read {rel.number}", style="cyan"), left=2))
            if rel.summary:
                parts.append(_pad(BoundText(bind(rel.summary), style="dim"), left=2))
    parts.append(_pad(_link_text(safe(view.url), view.source_link, hyperlinks, "dim"), 1))
    return Group(*parts)


def _bind(fn: Callable[[Block, bool], RenderableType], hyperlinks: bool) -> Callable[[Block], RenderableType]:
    return lambda block: fn(block, hyperlinks)


def article_renderable(article: Article, number: int | None, hyperlinks: bool) -> Group:
    """The model straight to Rich (the view model built on the way)."""
    return article_group(article_view(article, number), hyperlinks=hyperlinks)


def rendered_height(renderable: RenderableType, width: int) -> int:
    from io import StringIO

    from rich.console import Console

    probe = Console(file=StringIO(), width=width, color_system=None, legacy_windows=False)
    return len(probe.render_lines(renderable, probe.options.update(width=width), pad=False))


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
