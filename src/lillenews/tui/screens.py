"""The reader's other screens: an article, search results and the key help."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from lillenews.base.errors import LilleNewsError
from lillenews.base.i18n import N_, _, ngettext
from lillenews.base.models import NO_DATES
from lillenews.base.typography import bind
from lillenews.tui.common import AppScreen, TableScreen, error_line
from lillenews.tui.source import ArticleDoc
from lillenews.tui.widgets import HeadlineTable, KeyFooter, Plain, keys_text, summary_text
from lillenews.views.labels import LABELS
from lillenews.views.model import HeadlineRow, RelatedLink
from lillenews.views.rich_text import BoundText, LongWords

BACK_KEYS = "escape,q,backspace"


class _Screen(AppScreen):
    def action_back(self) -> None:
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: a failed worker of this screen is said as the app's are.
        self.browse.on_worker_state_changed(event)


def _related_option(index: int, link: RelatedLink) -> Option:
    title = BoundText("• ", style="cyan")
    title.append(bind(link.title), style="bold")
    if link.number is not None:  # in the listing: its number, as `read N` knows it
        title.append(f"  → {link.number}", style="cyan")
    if not link.summary:
        return Option(LongWords(title, "ellipsis"), id=str(index))
    summary = Padding(BoundText(bind(link.summary), style="dim"), (0, 0, 0, 2))
    return Option(LongWords(Group(title, summary), "ellipsis"), id=str(index))


class ArticleScreen(_Screen):
    """One article, scrollable; `n`/`p` walk the list it was opened from."""

    BINDINGS = [
        Binding(BACK_KEYS, "back", N_("Back")),
        # Tab goes to « Lire aussi » and back: the footer says where the next Tab goes.
        Binding("tab", "related", LABELS.related),
        Binding("tab", "to_text", N_("Text")),
        Binding("n", "move(1)", N_("Next")),
        Binding("p", "move(-1)", N_("Previous")),
        Binding("o", "open", N_("Open")),
        Binding("m", "mark", N_("Mark")),
        Binding("y", "copy", N_("Copy address")),
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
    ]

    def __init__(
        self, rows: list[HeadlineRow], index: int, on_move: Callable[[HeadlineRow], None] | None = None
    ) -> None:
        super().__init__()
        self.rows = rows
        self.index = index
        self.on_move = on_move
        self.doc: ArticleDoc | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scroll"):
            yield Plain(id="body")
            yield Plain(Text(LABELS.related, style="bold"), id="related-label", classes="label")
            yield OptionList(id="related")
            yield Plain(id="source", classes="label")
        yield KeyFooter()

    @property
    def row(self) -> HeadlineRow:
        return self.rows[self.index]

    def on_mount(self) -> None:
        self.query_one("#scroll").focus()
        self.show_row()

    def show_row(self) -> None:
        row = self.row
        doc = self.browse.docs.get(row.url)
        if doc is not None:
            self.show_doc(doc)
            return
        self.doc = None
        loading = Text(row.title + "\n", style="bold")
        loading.append(_("Loading…"), style="dim")
        self.show_parts(loading, None, None)
        self.load(row.url)

    @work(thread=True, exit_on_error=False, exclusive=True, group="article")
    def load(self, url: str) -> None:
        try:
            doc = self.browse.source.article(url, offline=self.browse.offline)
        except Exception as exc:  # any failure is one line on screen; the reader goes on
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.failed, url, error_line(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.loaded, url, doc)

    def loaded(self, url: str, doc: ArticleDoc) -> None:
        self.browse.docs[url] = doc
        if url == self.row.url:
            self.show_doc(doc)

    def failed(self, url: str, message: str) -> None:
        if url == self.row.url:
            self.show_parts(Text(self.row.title + "\n", style="bold") + Text(message), None, self.row.url)
        self.notify(message, severity="error", markup=False, timeout=10)

    def show_doc(self, doc: ArticleDoc) -> None:
        self.doc = doc
        self.show_parts(doc.body, doc, doc.source_url)
        if not self.row.read:
            self.rows[self.index] = self.row._replace(read=True)
            self.browse.set_read(self.row, True)  # read, as `lillenews read` marks it

    def show_parts(self, body: object, doc: ArticleDoc | None, source: str | None) -> None:
        related = () if doc is None else doc.related
        self.query_one("#body", Plain).update(body)  # type: ignore[arg-type]
        self.query_one("#related-label").display = bool(related)
        options = self.query_one("#related", OptionList)
        options.clear_options()
        options.add_options([_related_option(i, link) for i, link in enumerate(related)])
        options.display = bool(related)
        options.highlighted = 0 if related else None  # Tab then Enter opens the first one
        # The address whole, or cut once with an ellipsis: never folded into pieces.
        self.query_one("#source", Plain).update(LongWords(BoundText(source or "", style="dim"), "ellipsis"))
        self.query_one("#scroll", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()  # Tab is offered only when there is a « Lire aussi »

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("related", "to_text"):
            on_related = any(options.has_focus for options in self.query("#related"))
            return self.doc is not None and bool(self.doc.related) and on_related == (action == "to_text")
        return True

    def action_related(self) -> None:
        """Tab: from the text to the « Lire aussi » items."""
        options = self.query_one("#related", OptionList)
        options.focus()
        options.scroll_visible(animate=False)
        self.refresh_bindings()

    def action_to_text(self) -> None:
        """Tab again: back to the text."""
        self.query_one("#scroll").focus()
        self.refresh_bindings()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.doc is None or event.option_id is None:
            return
        index = int(event.option_id)
        link = self.doc.related[index]
        if link.link is None:  # not an http(s) address: nothing to open
            self.notify(_("This link is not a web address."), severity="warning", markup=False)
            return
        row = HeadlineRow(
            number=link.number, url=link.link, title=link.title, dates=NO_DATES, category="", summary=link.summary
        )
        self.app.push_screen(ArticleScreen([row], 0))

    def action_move(self, step: int) -> None:
        index = self.index + step
        if not 0 <= index < len(self.rows):
            self.notify(_("No next article.") if step > 0 else _("No previous article."), markup=False, timeout=2)
            return
        self.index = index
        self.show_row()
        if self.on_move is not None:
            self.on_move(self.row)

    def action_scroll(self, step: int) -> None:
        scroll = self.query_one("#scroll", VerticalScroll)
        scroll.scroll_relative(y=step, animate=False)

    def action_mark(self) -> None:
        read = not self.row.read
        self.rows[self.index] = self.row._replace(read=read)
        self.browse.set_read(self.row, read)
        self.notify(_("Marked as read.") if read else _("Marked as unread."), markup=False, timeout=2)

    def action_open(self) -> None:
        self.browse.show_url(self.doc.source_url if self.doc else self.row.url)

    def action_copy(self) -> None:
        self.browse.copy_url(self.doc.source_url if self.doc else self.row.url)


class SearchScreen(TableScreen, _Screen):
    """Type words: matching headlines (Tab: the full text of cached articles)."""

    BINDINGS = [
        Binding(BACK_KEYS, "back", N_("Back")),
        # Tab switches the search: the footer says to what.
        Binding("tab", "full_text", N_("Full text"), priority=True),
        Binding("tab", "headlines", N_("Headlines"), priority=True),
        Binding("down", "results", show=False),
        Binding("o", "open", N_("Open")),
        Binding("m", "mark", N_("Mark")),
        Binding("y", "copy", N_("Copy address")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.full = False
        self.pending = False  # a search of what was typed is running
        self.open_when_found = False  # Enter came before its results: open the first one then

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("Words to search for (accents and case ignored)"), id="query")
        yield Plain(id="mode")
        yield HeadlineTable(id="results")
        yield Plain(id="summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.show_mode()

    def show_mode(self, status: str = "") -> None:
        text = Text(_("Full text of cached articles") if self.full else _("Headlines"), style="bold")
        text.append("  " + (_("Tab: headlines") if self.full else _("Tab: full text")), style="dim")
        if status:
            text.append("  · " + status)
        self.query_one("#mode", Plain).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("full_text", "headlines"):
            return self.full == (action == "headlines")
        return True

    def action_full_text(self) -> None:
        self.toggle_full()

    def action_headlines(self) -> None:
        self.toggle_full()

    def toggle_full(self) -> None:
        self.full = not self.full
        self.show_mode()
        self.refresh_bindings()
        self.pending = True
        self.search(self.query_one(Input).value, self.full)

    def action_results(self) -> None:
        if self.table.rows_shown:
            self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.pending = True
        self.search(event.value, self.full)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter after typing reads the first result (once the search of what was typed is in)."""
        if self.pending:
            self.open_when_found = True
        elif self.table.rows_shown:
            self.table.focus()
            self.browse.read(self.table.rows_shown, self.table.cursor_row, on_move=self.follow)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def search(self, query: str, full: bool) -> None:
        words = query.split()
        if not words:
            self.app.call_from_thread(self.found, [], "")
            return
        try:
            rows = self.browse.source.search(words, full=full)
        except LilleNewsError as exc:
            rows, status = [], error_line(exc)
        else:
            status = ngettext("{n} result", "{n} results", len(rows)).format(n=len(rows))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.found, rows, status)

    def found(self, rows: list[HeadlineRow], status: str) -> None:
        self.pending = False
        self.table.show(rows)
        self.show_mode(status)
        self.query_one("#summary", Plain).update(summary_text(self.table.current))
        if self.open_when_found:
            self.open_when_found = False
            if rows:
                self.table.focus()
                self.browse.read(self.table.rows_shown, 0, on_move=self.follow)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#summary", Plain).update(summary_text(self.table.current))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,backspace", "dismiss", N_("Close"))]

    def compose(self) -> ComposeResult:
        title = Text(_("lillenews — keys") + "\n", style="bold")
        yield Plain(Group(title, keys_text()), id="keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
