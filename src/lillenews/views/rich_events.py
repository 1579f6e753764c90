"""Rich renderables of the events commands (a terminal only; pipes get event_view's
plain text). Site text goes into `Text` objects, so it is never read as Rich markup."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from rich.console import Group, OverflowMethod, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from lillenews.base.dates import is_ongoing
from lillenews.base.event_models import EventPage, NumberedEvent
from lillenews.base.i18n import _
from lillenews.base.typography import bind
from lillenews.views.event_model import category_cell, category_width, date_label, where
from lillenews.views.model import safe, safe_link
from lillenews.views.rich_news import Hanging, link_text
from lillenews.views.rich_text import BoundText, LongWords

COMPACT_CATEGORY = 14  # in the compact layout, a longer name is cut with an ellipsis


def events_table(items: Iterable[NumberedEvent], width: int, *, compact: bool = False) -> Table:
    """The numbered events; compact: one line an event (no place, no « ongoing » line, the
    category and the title cut with an ellipsis: `event N` shows it whole), so that a
    screenful keeps its header row, as `list` does (see cli/events.py)."""
    items = list(items)
    categories = [safe(i.event.category) for i in items]
    labels = [date_label(i.event.dates) for i in items] + ([] if compact else [_("ongoing")])
    w_num = max(len(str(i.number)) for i in items) if items else 1
    w_dates = max([len(_("Dates")), *map(len, labels)])
    if compact:
        w_cat = min(COMPACT_CATEGORY, max([len(_("Category")), *map(len, categories)]))
    else:
        w_cat = max(len(_("Category")), category_width(categories, width))
    w_title = max(20, width - w_num - w_dates - w_cat - 3 * 2)  # a gap of two between columns
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("#", justify="right", style="cyan", no_wrap=True, width=w_num)
    table.add_column(_("Dates"), style="green", no_wrap=True, width=w_dates)
    cut: OverflowMethod = "ellipsis" if compact else "fold"
    table.add_column(_("Category"), style="magenta", width=w_cat, overflow=cut, no_wrap=compact)
    table.add_column(_("Title"), width=w_title, overflow=cut, no_wrap=compact)
    for item, category in zip(items, categories, strict=True):
        event = item.event
        dates = Text(date_label(event.dates))
        if item.ongoing and not compact:
            dates.append("\n" + _("ongoing"), style="yellow")
        title = BoundText(bind(safe(event.title)), style="bold")
        place = where(event.place, None)
        if place and not compact:
            title.append("\n  " + bind(place), style="dim")  # indented, as in plain text
        table.add_row(Text(str(item.number)), dates, BoundText(category_cell(category)), title)
    return table


def _link(label: str, url: str | None, hyperlinks: bool) -> Text:
    link = safe_link(url)
    return link_text(safe(label) or (link or ""), link, hyperlinks)


def event_renderable(
    page: EventPage, number: int | None, today: _dt.date, hyperlinks: bool, long_words: OverflowMethod = "ignore"
) -> Group:
    """The event page, top to bottom. A URL longer than the line (the picture's, say) is kept
    whole on its own line ("ignore": print with crop=False) or cut once with an ellipsis
    ("ellipsis": the reader), never folded into pieces (see rich_text.LongWords)."""
    parts: list[RenderableType] = []
    title = BoundText(bind((f"{number}. " if number is not None else "") + safe(page.title)), style="bold")
    parts.append(title)
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    label = date_label(page.dates)
    when = " · ".join(x for x in (safe(page.date_text), label if label != page.date_text else "") if x)
    dates = BoundText(bind(when))
    if is_ongoing(page.dates, today):
        dates.append(" (" + _("ongoing") + ")", style="yellow")
    rows = [
        (_("Dates"), dates),
        (_("Category"), BoundText(bind(safe(page.category)), style="magenta")),
        (_("Place"), BoundText(bind(", ".join(safe(x) for x in page.address)))),
        (_("Phone"), BoundText(bind(safe(page.phone)))),
        (_("Hours"), BoundText(bind("\n".join(safe(h) for h in page.hours)))),
    ]
    for name, value in rows:
        if value.plain:
            facts.add_row(name, value)
    parts.append(Padding(facts, (1, 0, 0, 0)))
    # Below, blank lines rather than Paddings: a Padding crops its lines, a URL with them.
    if page.lead:
        parts += [Text(), Hanging([("┃", BoundText(bind(safe(page.lead)), style="italic"))], "yellow")]
    for paragraph in page.description:
        parts += [Text(), BoundText(bind(safe(paragraph)))]
    if safe_link(page.image):
        picture = _link(_("Picture"), page.image, hyperlinks)
        if page.credit:
            picture.append(" — " + bind(_("Credit: {who}").format(who=safe(page.credit))), style="dim")
        parts += [Text(), picture]
    links = [_link(x.text, x.url, hyperlinks) for x in page.links if safe_link(x.url)]
    if links:
        parts += [Text(), Text(_("Links"), style="bold")]
        parts += [Hanging([("•", x)], "") for x in links]
    parts += [Text(), _link(page.url, page.url, hyperlinks)]
    return Group(LongWords(Group(*parts), long_words))
