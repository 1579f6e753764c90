"""Rich renderables of the events commands (a terminal only; pipes get the plain text
of views/event_model.py). Site text goes into `Text` objects, so it is never read as Rich markup."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from rich.console import Group, OverflowMethod, RenderableType
from rich.table import Table
from rich.text import Text

from lillenews.base.event_models import EventPage, NumberedEvent
from lillenews.base.typography import bind
from lillenews.views.event_model import category_cell, category_width, date_label, event_facts, picture_parts, where
from lillenews.views.labels import labels
from lillenews.views.model import safe, safe_link
from lillenews.views.rich_news import Hanging, link_text
from lillenews.views.rich_text import BoundText, LongWords

COMPACT_CATEGORY = 14  # in the compact layout, a longer name is cut with an ellipsis


def events_table(items: Iterable[NumberedEvent], width: int, *, compact: bool = False) -> Table:
    """The numbered events; compact: one line an event (no place, no « ongoing » line, the
    category and the title cut with an ellipsis: `event N` shows it whole), so that a
    screenful keeps its header row, as `list` does (see cli/events.py)."""
    items = list(items)
    lab = labels()
    categories = [safe(i.event.category) for i in items]
    dates = [date_label(i.event.dates, lab) for i in items] + ([] if compact else [lab.ongoing])
    w_num = max(len(str(i.number)) for i in items) if items else 1
    w_dates = max([len(lab.dates), *map(len, dates)])
    if compact:
        w_cat = min(COMPACT_CATEGORY, max([len(lab.category), *map(len, categories)]))
    else:
        w_cat = max(len(lab.category), category_width(categories, width))
    w_title = max(20, width - w_num - w_dates - w_cat - 3 * 2)  # a gap of two between columns
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column(lab.number, justify="right", style="cyan", no_wrap=True, width=w_num)
    table.add_column(lab.dates, style="green", no_wrap=True, width=w_dates)
    cut: OverflowMethod = "ellipsis" if compact else "fold"
    table.add_column(lab.category, style="magenta", width=w_cat, overflow=cut, no_wrap=compact)
    table.add_column(lab.title, width=w_title, overflow=cut, no_wrap=compact)
    for item, category in zip(items, categories, strict=True):
        event = item.event
        when = Text(date_label(event.dates, lab))
        if item.ongoing and not compact:
            when.append("\n" + lab.ongoing, style="yellow")
        title = BoundText(bind(safe(event.title)), style="bold")
        place = where(event.place, None)
        if place and not compact:
            title.append("\n  " + bind(place), style="dim")  # indented, as in plain text
        table.add_row(Text(str(item.number)), when, BoundText(category_cell(category)), title)
    return table


def _link(label: str, url: str | None, hyperlinks: bool) -> Text:
    link = safe_link(url)
    return link_text(safe(label) or (link or ""), link, hyperlinks)


def event_renderable(
    page: EventPage, number: int | None, today: _dt.date, hyperlinks: bool, long_words: OverflowMethod = "ignore"
) -> Group:
    """The event page, top to bottom, in the words and order of the plain text (event_model):
    « Catégorie : Visite », the next lines of a value under it. A URL longer than the line (the
    picture's, say) is kept whole on its own line ("ignore": print with crop=False) or cut once
    with an ellipsis ("ellipsis": the reader), never folded into pieces (rich_text.LongWords)."""
    lab = labels()
    parts: list[RenderableType] = []
    title = BoundText(bind((f"{number}. " if number is not None else "") + safe(page.title)), style="bold")
    parts += [title, Text()]
    for name, value in event_facts(page, today, lab):
        parts.append(Hanging([(lab.labelled(name).rstrip(), BoundText(bind(value)))], "bold"))
    # Blank lines rather than Paddings: a Padding crops its lines, a URL with them.
    if page.lead:
        parts += [Text(), Hanging([("┃", BoundText(bind(safe(page.lead)), style="italic"))], "yellow")]
    for paragraph in page.description:
        parts += [Text(), BoundText(bind(safe(paragraph)))]
    label, description, image, credit = picture_parts(page, lab)
    if image:
        picture = BoundText(bind(label), style="dim")
        picture.append_text(link_text(description or image, image, hyperlinks, "dim italic"))
        picture.append(bind(credit), style="dim")
        parts += [Text(), picture]
    links = [_link(x.text, x.url, hyperlinks) for x in page.links if safe_link(x.url)]
    if links:
        parts += [Text(), Text(lab.labelled(lab.links).rstrip(), style="bold")]
        parts += [Hanging([("•", x)], "cyan", indent=2) for x in links]
    parts += [Text(), _link(page.url, page.url, hyperlinks)]
    return Group(LongWords(Group(*parts), long_words))
