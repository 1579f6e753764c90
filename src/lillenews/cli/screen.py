"""What a listing and an article look like on stdout: Rich at a terminal (views/rich_news.py),
plain text for pipes (views/plain.py); the pager for what is taller than the window."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

    from lillenews.cli.terminal import Terminal
    from lillenews.views.model import ArticleView, HeadlineRow


def show_rows(term: Terminal, rows: Sequence[HeadlineRow]) -> None:
    """A listing or search results: a Rich table at a terminal, plain text otherwise.

    At a terminal, summaries show (from 100 columns) only when the whole list fits
    the window: a longer list takes the compact one-line layout, so that its header
    row stays on screen (see README, "Long lists")."""
    if not term.rich_stdout:
        from lillenews.views.plain import listing_text

        term.write(listing_text(rows, term.plain_width))
        return
    from lillenews.views.model import shows_summary
    from lillenews.views.rich_news import listing_table

    width, height = term.size
    room = height - 2  # the hint line and the prompt
    summaries = sum(1 + shows_summary(row, width) for row in rows) < room  # + the header: a lower bound
    if summaries and any(shows_summary(row, width) for row in rows):
        # The plain layout has the same column widths: its height is the table's, at a fraction of the cost.
        from lillenews.views.plain import listing_text

        summaries = listing_text(rows, width).count("\n") <= room
    term.show(listing_table(rows, width, summaries=summaries))


def show_article(term: Terminal, view: ArticleView, pager: bool | None, hyperlinks: bool, measure: int) -> None:
    """At most `measure` columns wide (a readable line), paged when taller than the window."""
    from lillenews.views.rich_news import article_group

    show_paged(term, article_group(view, hyperlinks=hyperlinks, measure=measure), pager)


def show_paged(term: Terminal, renderable: RenderableType, pager: bool | None) -> None:
    """Rendered once; through the pager when stdout is a terminal and it is taller than
    the window (or `--pager`), else printed."""
    text = term.render(renderable)
    if term.stdout_isatty and pager is not False and (pager is True or text.count("\n") > term.out.height):
        term.page(text)
    else:
        term.write(text)
