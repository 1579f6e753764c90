"""What every screen of the reader shares: the app they belong to, the table screen's
keys, the one error line, opening a browser. Apart from tui/app.py, which imports the
screens: the screens import this module, never the app."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import DataTable

from lillenews.tui.widgets import HeadlineTable
from lillenews.views.model import HeadlineRow

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.tui.app import BrowseApp


def open_in_browser(url: str) -> bool:
    """Open `url` in a graphical browser; False when there is none to hand it to.

    Without a display, `webbrowser` would start a text browser inside this very
    terminal, over the reader: show the address instead."""
    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if not graphical:
        return False
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def error_line(exc: BaseException) -> str:
    """The CLI's one line for an error; `Error:` is never translated (scripts grep it)."""
    return "Error: " + (" ".join(str(exc).split()) or type(exc).__name__)


class AppScreen(Screen[None]):
    """Every screen of the reader: `browse` is the app with its data and workers."""

    @property
    def browse(self) -> BrowseApp:
        return cast("BrowseApp", self.app)


class TableScreen(AppScreen):
    """A screen around one HeadlineTable (headlines, search results): Enter reads the
    highlighted row, the cursor follows n/p from the article, m marks, o opens."""

    @property
    def table(self) -> HeadlineTable:
        return self.query_one(HeadlineTable)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.browse.read(self.table.rows_shown, self.table.cursor_row, on_move=self.follow)

    def follow(self, row: HeadlineRow) -> None:
        """The article screen moved to another headline (n/p): the cursor follows."""
        index = next((i for i, r in enumerate(self.table.rows_shown) if r.url == row.url), None)
        if index is not None:
            self.table.move_cursor(row=index, animate=False)

    def action_mark(self) -> None:
        row = self.table.current
        if row is not None:
            self.browse.set_read(row, not row.read)

    def action_open(self) -> None:
        row = self.table.current
        if row is not None:
            self.browse.show_url(row.url)

    def action_copy(self) -> None:
        row = self.table.current
        if row is not None:
            self.browse.copy_url(row.url)
