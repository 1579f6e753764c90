"""Rich renderables of the events commands (a terminal only; pipes get the plain text
of views/event_model.py). Site text goes into `Text` objects, so it is never read as Rich markup."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from lillenews.base.dates import is_ongoing
from lillenews.base.event_models import EventPage, NumberedEvent
from lillenews.base.i18n import _
from lillenews.views.event_model import date_label, safe, safe_link, where


def events_table(items: Iterable[NumberedEvent]) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column(_("Dates"), style="green", no_wrap=True)
    table.add_column(_("Category"), style="magenta", max_width=22, overflow="fold")
    table.add_column(_("Title"), ratio=1, overflow="fold")
    for item in items:
        event = item.event
        dates = Text(date_label(event.dates))
        if item.ongoing:
            dates.append("\n" + _("ongoing"), style="yellow")
        title: RenderableType = Text(safe(event.title), style="bold")
        place = where(event.place, None)
        if place:
            title = Group(title, Text(place, style="dim"))
        table.add_row(Text(str(item.number)), dates, Text(safe(event.category)), title)
    return table


def _link(label: str, url: str | None, hyperlinks: bool) -> Text:
    link = safe_link(url)
    text = Text(safe(label) or (link or ""))
    if link and hyperlinks:
        text.stylize(f"link {link}")
    elif link and text.plain != link:
        text.append(f" <{link}>", style="dim")
    return text


def event_renderable(page: EventPage, number: int | None, today: _dt.date, hyperlinks: bool) -> Group:
    parts: list[RenderableType] = []
    title = Text((f"{number}. " if number is not None else "") + safe(page.title), style="bold")
    parts.append(title)
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    label = date_label(page.dates)
    dates = Text(" · ".join(x for x in (safe(page.date_text), label if label != page.date_text else "") if x))
    if is_ongoing(page.dates, today):
        dates.append(" (" + _("ongoing") + ")", style="yellow")
    rows = [
        (_("Dates"), dates),
        (_("Category"), Text(safe(page.category), style="magenta")),
        (_("Place"), Text(", ".join(safe(x) for x in page.address))),
        (_("Phone"), Text(safe(page.phone))),
        (_("Hours"), Text("\n".join(safe(h) for h in page.hours))),
    ]
    for name, value in rows:
        if value.plain:
            facts.add_row(name, value)
    parts.append(Padding(facts, (1, 0, 0, 0)))
    if page.lead:
        parts.append(Padding(Text(safe(page.lead), style="italic"), (1, 0, 0, 2)))
    parts += [Padding(Text(safe(p)), (1, 0, 0, 0)) for p in page.description]
    if safe_link(page.image):
        picture = _link(_("Picture"), page.image, hyperlinks)
        if page.credit:
            picture.append(" — " + _("Credit: {who}").format(who=safe(page.credit)), style="dim")
        parts.append(Padding(picture, (1, 0, 0, 0)))
    links = [_link(x.text, x.url, hyperlinks) for x in page.links if safe_link(x.url)]
    if links:
        parts.append(Padding(Text(_("Links"), style="bold"), (1, 0, 0, 0)))
        parts += [Text("• ").append_text(x) for x in links]
    parts.append(Padding(_link(page.url, page.url, hyperlinks), (1, 0, 0, 0)))
    return Group(*parts)
