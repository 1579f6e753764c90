"""The agenda in the reader: upcoming events (`e`) and one event, as `lillenews
events` and `lillenews event N` show them. Loaded in workers (the agenda may be
fetched); site text reaches the screen as Rich `Text` only."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable
from textual.worker import get_current_worker

from lillenews.base.event_models import NumberedEvent
from lillenews.base.i18n import N_, _, ngettext
from lillenews.base.typography import bind
from lillenews.tui.common import error_line
from lillenews.tui.screens import BACK_KEYS, _Screen
from lillenews.tui.widgets import KeyFooter, Plain, panel
from lillenews.views.event_model import date_label, where
from lillenews.views.labels import labels
from lillenews.views.model import safe, safe_link
from lillenews.views.rich_text import BoundText

CATEGORY_WIDTH, DATES_WIDTH = 13, 23


class EventsScreen(_Screen):
    """The upcoming events, numbered as `lillenews events` numbers them."""

    BINDINGS = [
        Binding(BACK_KEYS, "back", N_("Back")),
        Binding("o", "open", N_("Open")),
        Binding("y", "copy", N_("Copy address")),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[NumberedEvent] = []

    def compose(self) -> ComposeResult:
        yield Plain(Text(_("Agenda") + "  ", style="bold") + Text(_("Loading…"), style="dim"), id="heading")
        yield DataTable(id="events", cursor_type="row")
        yield Plain(id="summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="events")
    def load(self) -> None:
        try:
            events, warnings = self.browse.source.events(offline=self.browse.offline)
        except Exception as exc:  # any failure is one line; the reader goes on
            self.app.call_from_thread(self.failed, error_line(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.loaded, events, warnings)

    def failed(self, message: str) -> None:
        self.query_one("#heading", Plain).update(Text(_("Agenda") + "  ", style="bold") + Text(message))
        self.notify(message, severity="error", markup=False, timeout=10)

    def loaded(self, events: list[NumberedEvent], warnings: list[str]) -> None:
        self.events = events
        count = ngettext("{n} upcoming event", "{n} upcoming events", len(events)).format(n=len(events))
        self.query_one("#heading", Plain).update(Text(_("Agenda") + "  ", style="bold") + Text(count, style="dim"))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title_width = max(12, (table.size.width or 80) - 4 - DATES_WIDTH - CATEGORY_WIDTH - 2 * 4 - 2)
        lab = labels()
        table.add_column(Text(lab.number, justify="right"), width=3)
        table.add_column(Text(lab.dates), width=DATES_WIDTH)
        table.add_column(Text(lab.category), width=CATEGORY_WIDTH)
        table.add_column(Text(lab.title), width=title_width)
        for item in events:
            event = item.event
            dates = Text(date_label(event.dates), style="green")
            table.add_row(
                Text(str(item.number), style="cyan", justify="right"),
                dates,
                Text(safe(event.category), style="magenta", no_wrap=True, overflow="ellipsis"),
                Text(safe(event.title), style="bold", no_wrap=True, overflow="ellipsis"),
            )
        self.show_summary()
        for warning in warnings:
            self.notify(warning, severity="warning", markup=False, timeout=10)

    @property
    def current(self) -> NumberedEvent | None:
        row = self.query_one(DataTable).cursor_row
        return self.events[row] if 0 <= row < len(self.events) else None

    def show_summary(self) -> None:
        item = self.current
        text = BoundText()
        if item is not None:
            event = item.event
            text.append(f"{item.number}. ", style="cyan")
            text.append(bind(safe(event.title)), style="bold")
            place = where(event.place, event.address)
            ongoing = labels().ongoing if item.ongoing else ""
            meta = " · ".join(x for x in (date_label(event.dates), ongoing, place) if x)
            if meta:
                text.append("\n" + bind(meta), style="green")
            if event.summary:
                text.append("\n" + bind(safe(event.summary)))
        self.query_one("#summary", Plain).update(panel(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_summary()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current
        if item is not None:
            self.app.push_screen(EventScreen(item))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_open(self) -> None:
        item = self.current
        if item is not None:
            self.browse.show_url(item.event.url)

    def action_copy(self) -> None:
        item = self.current
        if item is not None:
            self.browse.copy_url(item.event.url)


class EventScreen(_Screen):
    """One event in full, scrollable."""

    BINDINGS = [
        Binding(BACK_KEYS, "back", N_("Back")),
        Binding("o", "open", N_("Open")),
        Binding("y", "copy", N_("Copy address")),
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
    ]

    def __init__(self, item: NumberedEvent) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scroll"):
            loading = Text(safe(self.item.event.title) + "\n", style="bold") + Text(_("Loading…"), style="dim")
            yield Plain(loading, id="body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#scroll").focus()
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="event")
    def load(self) -> None:
        try:
            doc = self.browse.source.event(self.item.event.url, offline=self.browse.offline)
        except Exception as exc:  # any failure is one line on screen; the reader goes on
            message = error_line(exc)
            self.app.call_from_thread(self.show, Text(safe(self.item.event.title) + "\n", style="bold") + Text(message))
            self.app.call_from_thread(self.notify, message, severity="error", markup=False, timeout=10)
            return
        self.app.call_from_thread(self.show, doc.body)
        for warning in doc.warnings:
            self.app.call_from_thread(self.notify, warning, severity="warning", markup=False, timeout=10)

    def show(self, body: object) -> None:
        self.query_one("#body", Plain).update(body)  # type: ignore[arg-type]

    def action_scroll(self, step: int) -> None:
        self.query_one("#scroll", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_open(self) -> None:
        self.browse.show_url(safe_link(self.item.event.url))

    def action_copy(self) -> None:
        self.browse.copy_url(self.item.event.url)
