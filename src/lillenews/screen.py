"""What a listing and an article look like on stdout: plain text for pipes, the same
layout painted with SGR codes at a terminal (ansi.py), the pager for long articles.
Rich is not imported: its table and layout cost more than the rest of a warm `list`
or `read` (see README, Performance)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .terminal import Terminal
    from .view import ArticleView, HeadlineRow


def show_rows(term: Terminal, rows: Sequence[HeadlineRow]) -> None:
    """A listing or search results: the plain layout, coloured at a terminal (without
    Rich: its table costs more than the rest of a warm `list`).

    At a terminal, summaries show (from 100 columns) only when the whole list fits
    the window: a longer list takes the compact one-line layout, so that its header
    row stays on screen (see README, "Long lists")."""
    from .plain import listing_text

    if not term.rich_stdout:
        term.write(listing_text(rows, term.plain_width))
        return
    width, height = term.size
    paint = term.paint()
    text = listing_text(rows, width, paint=paint)
    if text.count("\n") + 2 > height:  # + the hint line and the prompt
        text = listing_text(rows, width, summaries=False, paint=paint)
    term.write(text)


def show_article(term: Terminal, view: ArticleView, pager: bool | None, hyperlinks: bool, measure: int) -> None:
    """At most `measure` columns wide (a readable line), paged when taller than the window.
    The plain layout painted with SGR codes: Rich would cost more than the rest of `read`."""
    from .plain import Ink, article_text

    width, height = term.size
    text = article_text(view, min(width, measure), Ink(term.paint(), hyperlinks))
    if term.stdout_isatty and pager is not False and (pager is True or text.count("\n") > height):
        term.page(text)
    else:
        term.write(text)
