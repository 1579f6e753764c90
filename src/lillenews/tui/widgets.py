"""Widgets shared by the reader's screens: the headlines table, the summary panel
and the key table of the help screen.

Site text only ever becomes a Rich `Text` (DataTable would parse a `str` cell as
markup, and so would Static): `[b]x[/b]` in a title stays those seven characters."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from lillenews.base.i18n import N_, _
from lillenews.base.typography import bind
from lillenews.views.labels import labels
from lillenews.views.model import HeadlineRow, Mark
from lillenews.views.rich_text import BoundText, LongWords

DATE_WIDTH = 10
CATEGORY_MAX = 16
FIRST_ROWS, BATCH_ROWS = 60, 200  # rows added before the first frame; then per refresh
HIGHLIGHT = "reverse"  # search matches: readable without colours (NO_COLOR)


def _mark(row: HeadlineRow) -> Text:
    """The view model's mark, as `list` draws it (`●` new, `✓` read)."""
    style = "bold blue" if row.mark is Mark.NEW else "dim"
    return Text(row.mark.glyph or " ", style=style)


def title_text(row: HeadlineRow) -> Text:
    text = Text(row.title, style="dim" if row.read else "bold", no_wrap=True, overflow="ellipsis")
    for start, end in row.title_spans:
        text.stylize(HIGHLIGHT, start, end)
    return text


def summary_text(row: HeadlineRow | None, empty: str = "") -> RenderableType:
    """The panel under the table: title, date · category, then the summary."""
    if row is None:
        return Text(empty, style="dim")
    text = BoundText()
    if row.number is not None:
        text.append(f"{row.number}. ", style="cyan")
    text.append_text(title_text(row))
    meta = " · ".join(x for x in (row.short_date, row.category) if x)
    if meta:
        text.append("\n" + meta, style="green")
    if row.summary:
        summary = Text(bind(row.summary))  # bind() keeps the length: the spans stay valid
        for start, end in row.summary_spans:
            summary.stylize(HIGHLIGHT, start, end)
        text.append("\n")
        text.append_text(summary)
    return panel(text)


def panel(text: BoundText) -> RenderableType:
    """Site text in a panel of the reader, wrapped where French typography lets it break
    (Rich draws it, through BoundText; a long word is cut once, with an ellipsis)."""
    return LongWords(text, "ellipsis")


def ellipsized(text: str, width: int) -> str:
    """`text` cut once, with an ellipsis, to `width` columns (a URL in a cell too narrow for it)."""
    return text if cell_len(text) <= width else text[: max(1, width - 1)] + "…"


class HeadlineTable(DataTable[Text]):
    """Number, mark, date, category, title: one row per headline, keyed by URL."""

    BINDINGS = [
        Binding("enter", "select_cursor", N_("Read"), show=True),
        Binding("j", "cursor_down", N_("Down"), show=False),
        Binding("k", "cursor_up", N_("Up"), show=False),
        # A list of rows: Home/End go to the first/last one (DataTable scrolls sideways).
        Binding("home,g", "scroll_top", N_("First"), show=False),
        Binding("end,G", "last", N_("Last"), show=False),
    ]

    class AtEnd(Message):
        """End/G reached the last headline shown: the screen may load older ones."""

    def action_last(self) -> None:
        if self.row_count < len(self.rows_shown):  # rows still being added in batches: all of them now
            self._add_rows(self._generation, self.row_count, len(self.rows_shown), bool(self._category))
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)
            self.post_message(self.AtEnd())

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, header_height=1)
        self.rows_shown: list[HeadlineRow] = []
        self.width_used = 0
        self._category = 0  # the Category column's width (0: no such column)
        self._generation = 0  # which show() the rows being added belong to

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self.width_used:  # the title column takes the width left
            current = self.current
            self.show(self.rows_shown, keep_url=current.url if current else None)

    def show(self, rows: list[HeadlineRow], keep_url: str | None = None) -> None:
        """Replace the rows (column widths follow the widget's width); the cursor
        stays on `keep_url` when it is still there."""
        self.rows_shown = list(rows)
        if not self.size.width:
            return  # not laid out yet: the first Resize builds the rows, once, at the right width
        self.clear(columns=True)
        number_width = max([len(str(r.number)) for r in rows if r.number is not None] + [1])
        category_width = min(CATEGORY_MAX, max([len(r.category) for r in rows] + [0]))
        if category_width:  # never narrower than its header (« Catégorie »)
            category_width = max(category_width, cell_len(labels().category))
        self._category = category_width
        fixed = number_width + 1 + DATE_WIDTH + category_width
        columns = 5 if category_width else 4
        # Two cells of padding per column, and room for the vertical scrollbar.
        self.width_used = self.size.width
        title_width = max(12, (self.size.width or 80) - fixed - 2 * columns - 2)
        self.add_column(Text(labels().number, justify="right"), width=number_width, key="number")
        self.add_column(Text(""), width=1, key="mark")
        self.add_column(Text(labels().date), width=DATE_WIDTH, key="date")
        if category_width:
            self.add_column(Text(labels().category), width=category_width, key="category")
        self.add_column(Text(labels().title), width=title_width, key="title")
        index = None if keep_url is None else next((i for i, r in enumerate(rows) if r.url == keep_url), None)
        # A screenful (and the row to keep) now, the rest a batch per refresh: a cache of
        # thousands of headlines must not delay the first frame (DataTable measures every cell).
        first = max(FIRST_ROWS, self.size.height * 2, (index or 0) + self.size.height)
        self._generation += 1
        self._add_rows(self._generation, 0, first, bool(category_width))
        if index is not None:
            self.move_cursor(row=index, animate=False)

    def _add_rows(self, generation: int, start: int, count: int, category: bool) -> None:
        if generation != self._generation:
            return  # shown anew since (a resize, a filter): that build goes on instead
        for row in self.rows_shown[start : start + count]:
            self.add_row(*self._cells(row, category), key=row.url)
        if start + count < len(self.rows_shown):
            self.call_after_refresh(self._add_rows, generation, start + count, BATCH_ROWS, category)

    def _cells(self, row: HeadlineRow, category: bool) -> list[Text]:
        number = Text("" if row.number is None else str(row.number), style="cyan", justify="right")
        cells = [number, _mark(row), Text(row.short_date or "—", style="green")]
        if category:
            cells.append(Text(row.category, style="magenta", no_wrap=True, overflow="ellipsis"))
        return [*cells, title_text(row)]

    def update_row(self, row: HeadlineRow) -> None:
        """A changed read mark: redraw that row's mark and title only."""
        for i, shown in enumerate(self.rows_shown):
            if shown.url == row.url:
                self.rows_shown[i] = row
                if i >= self.row_count:
                    continue  # not added yet: it will be, from rows_shown
                self.update_cell(row.url, "mark", _mark(row))
                self.update_cell(row.url, "title", title_text(row))

    @property
    def current(self) -> HeadlineRow | None:
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]


def keys_text() -> Table:
    """The key table of the help screen (and of the README): the descriptions that wrap
    go on under their own column, never back under the keys."""
    rows = [
        ("↑ ↓  j k", _("move (scroll in an article)")),
        ("Home End  g G", _("first / last headline (again on the last one: older headlines)")),
        (_("Enter"), _("read the headline; open a « Lire aussi » item")),
        (_("Esc  q  Backspace"), _("back")),
        ("Tab", _("to an article's « Lire aussi » items and back")),
        ("/", _("search headlines (Tab: full text of cached articles)")),
        ("n  p", _("next / previous article, from an article")),
        ("o", _("open in the web browser (or show the address)")),
        ("y", _("copy the address of the article or event")),
        ("m", _("mark read / unread")),
        ("u", _("unread headlines only / all")),
        ("e", _("the agenda: upcoming events (Enter: one in full)")),
        ("r", _("refresh from the site")),
        ("?", _("this help")),
        ("q", _("quit, from the headlines")),
    ]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, description in rows:
        table.add_row(key, Text(description))
    return table


# The keys the footer shows first, whatever the screen: how to leave, how to get help,
# then how to read; the others follow in the order the screen declares them.
ESSENTIAL = ("app.quit", "back", "dismiss", "help", "select_cursor", "related", "to_text", "full_text", "headlines")


class KeyFooter(Footer):
    """Textual's footer with the essential keys first (ESSENTIAL) and only the keys that
    fit its width (the help screen lists them all), the descriptions in the interface
    language of the moment (the bindings hold the English msgids)."""

    def compose(self) -> ComposeResult:
        from textual.widgets._footer import FooterKey  # Textual's own key widget (pinned below 9)

        if not self._bindings_ready:
            return
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        ranked = sorted(shown.values(), key=lambda b: ESSENTIAL.index(b[0].action) if b[0].action in ESSENTIAL else 99)
        room = self.composed_width = self.size.width or self.app.size.width
        for binding, enabled, tooltip in ranked:
            key = self.app.get_key_display(binding)
            description = _(binding.description)  # i18n: marked with N_ where bound
            room -= cell_len(key) + cell_len(description) + 3  # FooterKey's padding
            if room < -1:  # the last key's right padding may fall off the edge
                break
            yield FooterKey(
                binding.key, key, description, binding.action, disabled=not enabled, tooltip=tooltip or description
            ).data_bind(compact=Footer.compact)

    composed_width = 0  # the width the keys were chosen for

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self.composed_width:
            self.call_after_refresh(self.recompose)


class Plain(Static):
    """A Static that never parses its content as markup."""

    def __init__(
        self,
        content: RenderableType = "",
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(content, markup=False, id=id, classes=classes)
