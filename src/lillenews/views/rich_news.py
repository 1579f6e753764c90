"""Rich renderables of the view model, for people at a terminal (plain text for pipes
is views/plain.py; JSON views/jsonout.py; Markdown views/markdown.py).

Site text only ever reaches Rich as `Text` (never parsed as markup), and only the
http(s) links the view model kept become OSC 8 hyperlinks. Rich is imported inside
the functions: importing this module stays cheap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from lillenews.base.typography import bind
from lillenews.views.labels import figure_parts, labelled, labels
from lillenews.views.model import (
    ArticleView,
    BlockTable,
    HeadlineRow,
    Mark,
    Span,
    block_function,
    has_categories,
    safe,
    shows_summary,
)

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, ConsoleOptions, Group, OverflowMethod, RenderableType
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

    from lillenews.base.models import Block, Inline

HIGHLIGHT = "reverse yellow"


# --------------------------------------------------------------------- listing
CATEGORY_MAX = 18  # columns of the Category column at most (its text folds), as plain.CATEGORY_MAX
GAP = "  "  # between two columns, as plain.GAP


def listing_table(rows: Sequence[HeadlineRow], width: int, *, marks: bool = True, summaries: bool = True) -> Table:
    """Rows as a table; summaries (with their highlights) under the titles as
    model.shows_summary says; no Category column when no row has one.

    The columns of plain.listing_text, drawn by Rich as two cells a row: the short
    columns (number, mark, date, category) laid out here in one `Text`, their widths
    known, and the title folding in its own column. Rich lays out each cell through
    several layers, so fewer cells whose widths need no measuring are most of the
    table's speed (see README, Performance)."""
    from rich.cells import cell_len
    from rich.table import Table

    numbers = [("" if row.number is None else str(row.number)) for row in rows]
    w_num = max(map(cell_len, [labels().number, *numbers]))
    w_date = max(map(cell_len, [labels().date, *(row.short_date for row in rows)]))
    w_cat = 0
    if has_categories(rows):
        w_cat = min(CATEGORY_MAX, max(map(cell_len, [labels().category, *(row.category for row in rows)])))
    widths = (w_num, 1 if marks else 0, w_date, w_cat)
    w_left = w_num + len(GAP) + w_date + (1 + len(GAP) if marks else 0) + (w_cat + len(GAP) if w_cat else 0)
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False, padding=(0, 1))
    header = _left_cells(labels().number, "", labels().date, labels().category, widths, "bold", bold=True)
    table.add_column(header, no_wrap=True, width=w_left)
    table.add_column(_bold(labels().title), overflow="fold", width=max(20, width - w_left - len(GAP)))
    for row, number in zip(rows, numbers, strict=True):
        mark_style = "bold blue" if row.mark is Mark.NEW else "dim"
        left = _left_cells(number, row.mark.glyph, row.short_date, row.category, widths, mark_style)
        table.add_row(left, _title_cell(row, shows_summary(row, width, summaries)))
    return table


def _bold(text: str) -> Text:
    from rich.text import Text

    return Text(text, style="bold")


def _left_cells(
    number: str,
    mark: str,
    date: str,
    category: str,
    widths: tuple[int, int, int, int],
    mark_style: str,
    *,
    bold: bool = False,
) -> Text:
    """Number (right-aligned), mark, date and category (folded over lines if longer than
    its column) in their columns, as one `Text`."""
    from rich.cells import cell_len
    from rich.text import Text

    w_num, w_mark, w_date, w_cat = widths
    styles = ("bold",) * 3 if bold else ("cyan", "green", "magenta")
    text = Text(" " * (w_num - cell_len(number)))
    text.append(number, styles[0])
    if w_mark:
        text.append(GAP)
        text.append(mark or " ", mark_style if mark else None)  # no style on a blank: no codes
    text.append(GAP)
    text.append(date, styles[1])
    if not w_cat:
        return text
    lines = _fold(category, w_cat)
    text.append(" " * (w_date - cell_len(date)) + GAP)
    text.append(lines[0], styles[2])
    indent = " " * (w_num + (len(GAP) + w_mark if w_mark else 0) + len(GAP) + w_date + len(GAP))
    for line in lines[1:]:
        text.append("\n" + indent)
        text.append(line, styles[2])
    return text


def _fold(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    from lillenews.base.typography import wrap

    return wrap(text, width, break_long_words=True) or [""]


def _title_cell(row: HeadlineRow, summary: bool) -> Text:
    """The title, and the summary under it when shown, in one `Text` (a line break
    between): cheaper to lay out than a Group of two."""
    from lillenews.views.rich_text import BoundText

    cell = _highlighted(BoundText(), row.title, row.title_spans, "dim" if row.read else "bold")
    if summary:
        cell.append("\n")
        _highlighted(cell, row.summary, row.summary_spans, "dim")
    return cell


def _highlighted(out: Text, text: str, spans: Iterable[Span], style: str) -> Text:
    """`text` appended to `out` in `style`, its spans (search matches) highlighted."""
    start = len(out)
    out.append(bind(text), style=style)  # bind() keeps the length: the spans stay valid
    for a, b in spans:
        out.stylize(HIGHLIGHT, start + a, start + b)
    return out


# --------------------------------------------------------------------- article
def inline_text(inlines: Iterable[Inline], hyperlinks: bool) -> Text:
    from lillenews.views.rich_text import BoundText

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


def link_text(label: str, link: str | None, hyperlinks: bool, style: str = "") -> Text:
    """`label` linked to the (already safe) `link`: a terminal hyperlink, or the link after it
    in <...> unless the label is the link. Articles' and events' links alike."""
    from lillenews.views.rich_text import BoundText

    text = BoundText()
    if link and hyperlinks:
        text.append(bind(label), style=f"{style} link {link}".strip())
    else:
        text.append(bind(label), style=style or None)
        if link and label.strip() != link:
            text.append(f" <{link}>", style="dim")
    return text


def _heading(block: Block, hyperlinks: bool) -> RenderableType:
    heading = inline_text(block.inlines, hyperlinks)
    heading.stylize("bold cyan")
    return heading


def _paragraph(block: Block, hyperlinks: bool) -> RenderableType:
    return inline_text(block.inlines, hyperlinks)


def _quote(block: Block, hyperlinks: bool) -> RenderableType:
    body = inline_text(block.inlines, hyperlinks)
    body.stylize("italic")
    return _hanging("▌", "dim", [body])


def _list(block: Block, hyperlinks: bool) -> RenderableType:
    rows = [(f"{n}." if block.ordered else "•", inline_text(item, hyperlinks)) for n, item in enumerate(block.items, 1)]
    return Hanging(rows, "cyan", indent=2)


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
    return table


def _image(block: Block, hyperlinks: bool) -> RenderableType:
    from lillenews.views.rich_text import BoundText

    label, description = figure_parts(block.alt, labels())
    text = BoundText(bind(label), style="dim")
    # The image URL is noise in plain text (it is in --json and --markdown).
    text.append_text(link_text(description, block.url if hyperlinks else None, hyperlinks, "dim italic"))
    if block.caption:
        text.append(bind(f" — {block.caption}"), style="dim")
    return text


def _embed(block: Block, hyperlinks: bool) -> RenderableType:
    from lillenews.views.rich_text import BoundText

    text = BoundText(bind(labelled(labels().embedded)), style="dim")
    text.append_text(link_text(block.caption or block.url or "", block.url, hyperlinks, "dim"))
    return text


RICH_BLOCKS: BlockTable[Callable[[Block, bool], RenderableType]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list,
    "quote": _quote,
    "table": _table,
    "image": _image,
    "embed": _embed,
}


def article_group(
    view: ArticleView,
    *,
    hyperlinks: bool,
    measure: int | None = None,
    long_words: OverflowMethod = "ignore",
    source: bool = True,
) -> Group:
    """The article, top to bottom, in the order ArticleView gives; at most `measure`
    columns wide when given (a readable line in a wide terminal). A word longer than the
    line (a URL) is kept whole on its own line ("ignore": print with crop=False) or cut
    once with an ellipsis ("ellipsis": the reader), never folded into pieces. Without
    `source`, the article's own address is left out (the reader shows it apart)."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    from lillenews.views.rich_text import BoundText, LongWords

    heading = BoundText()
    if view.number is not None:
        heading.append(f"{view.number}. ", style="cyan")
    heading.append(bind(view.title), style="bold")
    parts: list[RenderableType] = [heading]
    if view.meta:
        parts.append(BoundText(view.meta, style="green"))
    if view.lead:
        parts += [Text(), _hanging("┃", "yellow", [BoundText(bind(view.lead), style="bold")])]
    elif view.listing_summary:  # cut short by the site: labelled, never dressed as the lead
        summary = BoundText(bind(labelled(labels().listing_summary)), style="dim bold")
        summary.append(bind(view.listing_summary), style="dim")
        parts += [Text(), summary]
    for block in view.content:  # a blank line between blocks (cheaper for Rich than a Padding each)
        parts += [Text(), block_function(RICH_BLOCKS, block)(block, hyperlinks)]
    if view.related:
        parts += [Text(), Rule(Text(labels().related, style="bold"), align="left", style="dim")]
        for rel in view.related:
            item = link_text(rel.title, rel.link, hyperlinks, "bold")
            if rel.number is not None:  # its own line: the command is never split
                item.append(f"\n→ lillenews read {rel.number}", style="cyan")
            if rel.summary:
                item.append(bind(f"\n{rel.summary}"), style="dim")
            parts.append(_hanging("•", "cyan", [item]))
    if source:
        parts += [Text(), link_text(safe(view.url), view.source_link, hyperlinks, "dim")]
    if measure is None:
        return Group(LongWords(Group(*parts), long_words))
    from rich.constrain import Constrain

    return Group(LongWords(Constrain(Group(*parts), measure), long_words))


class Hanging:
    """Each (marker, text) row: the marker in `style` (right-aligned to the widest),
    then the text, its wrapped lines hanging under the text (a lead's bar, a list's
    numbers), `indent` columns in. What a two-column grid draws, without Rich
    measuring every text before laying it out."""

    def __init__(self, rows: Sequence[tuple[str, Text]], style: str, indent: int = 0) -> None:
        self.rows, self.style, self.indent = rows, style, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.cells import cell_len
        from rich.segment import Segment

        marker_width = max((cell_len(marker) for marker, _ in self.rows), default=0)
        pad = " " * (self.indent + marker_width + 1)
        width = max(1, options.max_width - len(pad))
        for marker, text in self.rows:
            for n, line in enumerate(text.wrap(console, width, overflow=options.overflow)):
                if n == 0:
                    yield Segment(" " * (self.indent + marker_width - cell_len(marker)))
                    yield Segment(marker, console.get_style(self.style))
                    yield Segment(" ")
                else:
                    yield Segment(pad)
                yield from line.render(console)
                yield Segment.line()


def _hanging(marker: str, style: str, rows: Iterable[Text]) -> Hanging:
    return Hanging([(marker, text) for text in rows], style)


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
