"""The reader's application and its top screen, the headlines.

The interface thread never touches SQLite or the network: the first rows are read
before the app starts, and everything else (preloading the highlighted article,
marks, search, refresh) runs in thread workers that hand their result back with
`call_from_thread`."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, ProgressBar
from textual.worker import Worker, WorkerState

from lillenews.base.i18n import N_, _, ngettext
from lillenews.tui.common import TableScreen, error_line, open_in_browser
from lillenews.tui.source import ArticleDoc, Source
from lillenews.tui.widgets import HeadlineTable, KeyFooter, Plain, ellipsized, summary_text
from lillenews.views.model import HeadlineRow, safe_link


class HeadlinesScreen(TableScreen):
    BINDINGS = [
        Binding("slash", "search", N_("Search")),
        Binding("e", "events", N_("Agenda")),
        Binding("o", "open", N_("Open")),
        Binding("m", "mark", N_("Mark")),
        Binding("u", "unread", N_("Unread")),
        Binding("r", "refresh", N_("Refresh")),
        Binding("y", "copy", N_("Copy address")),
        Binding("q", "app.quit", N_("Quit")),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(id="heading")
        yield HeadlineTable(id="table")
        yield Plain(id="summary")
        with Horizontal(id="busy"):
            yield Plain(id="busy-label")  # its progress bar is mounted at the first refresh
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_rows()
        if not self.browse.rows and not self.browse.offline:
            self.browse.refresh_news()  # nothing cached: a first fetch, the interface already up

    def show_rows(self) -> None:
        app = self.browse
        current = self.table.current
        rows = [r for r in app.rows if not (app.unread_only and r.read)]
        self.table.show(rows, keep_url=current.url if current else None)
        self.show_heading()
        self.show_summary()

    def show_heading(self) -> None:
        app = self.browse
        shown = len(self.table.rows_shown)
        text = Text(" · ".join(["lillenews · Actualités", *sorted(app.source.quartiers)]), style="bold")
        count = ngettext("{n} headline", "{n} headlines", shown).format(n=shown)
        if app.unread_only:
            count += " (" + _("unread only") + ")"
        age = app.source.age()
        if age:
            count += " · " + _("updated {age}").format(age=age)
        text.append("  " + count, style="dim")
        self.query_one("#heading", Plain).update(text)

    def show_summary(self) -> None:
        empty = _("No headlines cached yet: press r to fetch them.")
        if self.browse.unread_only and self.browse.rows:
            empty = _("No unread headlines: press u to show them all.")
        self.query_one("#summary", Plain).update(summary_text(self.table.current, empty))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_summary()
        row = self.table.current
        if row is not None and self.browse.painted:
            self.browse.preload(row.url)

    def on_headline_table_at_end(self, event: HeadlineTable.AtEnd) -> None:
        """End/G at the last headline: the listing's next page, as `read 25` reads it."""
        self.browse.more_news()

    def action_search(self) -> None:
        from lillenews.tui.screens import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_events(self) -> None:
        from lillenews.tui.event_screens import EventsScreen

        self.app.push_screen(EventsScreen())

    def action_unread(self) -> None:
        self.browse.unread_only = not self.browse.unread_only
        self.show_rows()

    def action_refresh(self) -> None:
        self.browse.refresh_news()

    def busy(self, label: str | None) -> None:
        """Show (or hide, with None) the refresh progress line."""
        line = self.query_one("#busy")
        line.display = label is not None
        if label is not None:
            self.query_one("#busy-label", Plain).update(Text(label))
            if not self.query("#progress"):  # composed only when needed: it costs start-up time
                line.mount(ProgressBar(total=None, show_eta=False, show_percentage=False, id="progress"))


class BrowseApp(App[int]):
    TITLE = "lillenews"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #heading { height: 1; padding: 0 1; background: $panel; }
    #table { height: 1fr; }
    #summary { height: 5; padding: 0 1; border-top: solid $primary; }
    #busy { height: 1; display: none; }
    #busy-label { width: auto; padding: 0 1; }
    #progress { width: 1fr; }
    ArticleScreen #body { padding: 0 1; }
    ArticleScreen #related { height: auto; max-height: 100%; border: none; padding: 0 1; }
    ArticleScreen .label { padding: 1 1 0 1; }
    EventsScreen #heading { height: 1; padding: 0 1; background: $panel; }
    EventsScreen #events { height: 1fr; }
    EventsScreen #summary { height: 5; padding: 0 1; border-top: solid $primary; }
    EventScreen #body { padding: 0 1; }
    SearchScreen #query { height: 1; border: none; padding: 0 1; }
    SearchScreen #mode { height: 1; padding: 0 1; }
    SearchScreen #results { height: 1fr; }
    HelpScreen { align: center middle; }
    HelpScreen #keys { width: auto; max-width: 100%; height: auto; padding: 1 2; border: round $primary;
                       background: $surface; }
    """
    BINDINGS = [
        Binding("question_mark", "help", N_("Help")),
        # A terminal reader quits on Ctrl+C (Textual would only say how to quit).
        Binding("ctrl+c", "quit", show=False, priority=True),
    ]

    def __init__(
        self,
        source: Source,
        *,
        rows: list[HeadlineRow] | None = None,
        unread_only: bool = False,
        offline: bool = False,
        opener: Callable[[str], bool] = open_in_browser,
    ) -> None:
        super().__init__()
        self.source = source
        self.rows: list[HeadlineRow] = rows if rows is not None else source.headlines()
        self.unread_only = unread_only
        self.offline = offline
        self.opener = opener
        self.docs: dict[str, ArticleDoc] = {}  # preloaded articles, by URL
        self.refreshing = False
        self.loading_more = False
        self.marks: dict[str, bool] = {}  # read marks changed here, by URL, as last set
        self.marks_lock = threading.Lock()
        self.painted = False  # the first frame is out (background work may start)

    def get_default_screen(self) -> Screen[None]:
        # The headlines are the bottom screen itself: no empty screen drawn first.
        return HeadlinesScreen()

    def on_mount(self) -> None:
        # Background work starts once the first frame is out: its threads would
        # otherwise compete with the first paint for the interpreter.
        self.call_after_refresh(self.after_first_frame)

    def after_first_frame(self) -> None:
        self.painted = True
        self.seen(self.rows)
        row = self.headlines.table.current
        if row is not None:
            self.preload(row.url)

    @property
    def headlines(self) -> HeadlinesScreen:
        return next(s for s in self.screen_stack if isinstance(s, HeadlinesScreen))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (the store unusable, say) is one `Error:` line, as
        in the CLI; the reader goes on with what it shows."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(error_line(event.worker.error), severity="error", markup=False, timeout=10)

    def action_help(self) -> None:
        from lillenews.tui.screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -------------------------------------------------------------- workers
    @work(thread=True, exit_on_error=False, group="marks")
    def seen(self, rows: list[HeadlineRow]) -> None:
        self.source.mark_seen(rows)

    @work(thread=True, exit_on_error=False, exclusive=True, group="preload")
    def preload(self, url: str) -> None:
        if url not in self.docs:
            doc = self.source.cached_article(url)
            if doc is not None:
                self.call_from_thread(self.docs.__setitem__, url, doc)

    def read(self, rows: list[HeadlineRow], index: int, on_move: Callable[[HeadlineRow], None] | None = None) -> None:
        from lillenews.tui.screens import ArticleScreen

        if 0 <= index < len(rows):
            self.push_screen(ArticleScreen(list(rows), index, on_move=on_move))

    def set_read(self, row: HeadlineRow, read: bool) -> None:
        """Change a read mark everywhere it shows, then in the store (a worker)."""
        self.rows = [r._replace(read=read) if r.url == row.url else r for r in self.rows]
        for screen in self.screen_stack:
            for table in screen.query(HeadlineTable):
                table.update_row(row._replace(read=read))
        self.marks[row.url] = read
        self.store_read(row.url)

    @work(thread=True, exit_on_error=False, group="marks")
    def store_read(self, url: str) -> None:
        # The mark as it is when the write runs: two quick toggles run in two threads
        # in either order, and the last one written must be the one on screen.
        with self.marks_lock:
            self.source.set_read(url, self.marks[url])

    def show_url(self, url: str | None) -> None:
        url = safe_link(url)  # only http(s) addresses leave the reader
        if not url:
            self.notify(_("This link is not a web address."), severity="warning", markup=False)
        elif self.opener(url):
            self.notify(_("Opened in the web browser:") + "\n" + self.in_a_toast(url), markup=False)
        else:
            said = _("No web browser found; copy the address with y:") + "\n" + self.in_a_toast(url)
            self.notify(said, markup=False, timeout=15)

    def copy_url(self, url: str | None) -> None:
        """`y`: the address to the clipboard (OSC 52, which the terminal passes on)."""
        url = safe_link(url)
        if not url:
            self.notify(_("This link is not a web address."), severity="warning", markup=False)
            return
        self.copy_to_clipboard(url)
        self.notify(_("Address copied:") + "\n" + self.in_a_toast(url), markup=False)

    def in_a_toast(self, url: str) -> str:
        """A URL on its own line of a notification: whole, or cut once with an ellipsis
        (a toast is at most 60 columns, half the screen, less its padding and border)."""
        return ellipsized(url, min(60, self.size.width // 2) - 4)

    def more_news(self) -> None:
        if self.offline:
            self.notify(_("Offline: no older headlines are fetched."), severity="warning", markup=False)
        elif not (self.loading_more or self.refreshing):
            self.loading_more = True
            self.headlines.busy(_("Fetching older headlines…"))
            self._more(len(self.rows))

    @work(thread=True, exit_on_error=False, exclusive=True, group="more")
    def _more(self, count: int) -> None:
        try:
            outcome, complete = self.source.more(count)
        except Exception as exc:  # a worker's failure must not end the reader
            self.call_from_thread(self._got_more, count, None, [("error", error_line(exc))], False)
            return
        self.call_from_thread(self._got_more, count, outcome.rows, outcome.messages, complete)

    def _got_more(
        self, count: int, rows: list[HeadlineRow] | None, messages: list[tuple[str, str]], complete: bool
    ) -> None:
        self.loading_more = False
        self.headlines.busy(None)
        if rows is not None and len(rows) > count:
            self.rows = rows
            self.headlines.show_rows()  # the cursor stays on the headline it was on
            self.seen(rows[count:])
            added = len(rows) - count
            self.notify(ngettext("{n} older headline", "{n} older headlines", added).format(n=added), markup=False)
        elif rows is not None and complete:
            self.notify(_("No older headlines: this is the end of the listing."), markup=False)
        for severity, message in messages:
            self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]

    def refresh_news(self) -> None:
        if self.offline:
            self.notify(_("Offline: the news is not refreshed."), severity="warning", markup=False)
        elif not self.refreshing:
            self.refreshing = True
            self.headlines.busy(_("Refreshing from the site…"))
            self._refresh(len(self.rows))

    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def _refresh(self, count: int) -> None:
        def progress(n: int) -> None:
            label = ngettext("Refreshing: {n} headline", "Refreshing: {n} headlines", n).format(n=n)
            self.call_from_thread(self.headlines.busy, label)

        try:
            outcome = self.source.refresh(count, on_page=progress)
        except Exception as exc:  # a worker's failure must not end the reader
            self.call_from_thread(self._refreshed, None, [("error", error_line(exc))])
            return
        self.call_from_thread(self._refreshed, outcome.rows, outcome.messages)

    def _refreshed(self, rows: list[HeadlineRow] | None, messages: list[tuple[str, str]]) -> None:
        self.refreshing = False
        self.headlines.busy(None)
        if rows is not None:
            self.rows = rows
            self.docs.clear()  # a refreshed listing may point at newer articles
            self.headlines.show_rows()
            self.seen(rows)
        for severity, message in messages:
            self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
        if not messages and rows is not None:
            self.notify(ngettext("{n} headline", "{n} headlines", len(rows)).format(n=len(rows)), markup=False)
