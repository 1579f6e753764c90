"""What the events commands show, in every format but Rich: labels, JSON, plain text,
Markdown. Site text is sanitised here (control and bidi characters) and never read as
markup; links are shown only when they are http(s). The helpers are the articles' ones:
`safe`/`safe_link` (model.py), `wrap` (plain.py), `md_escape`/`md_link`/`md_url`
(markdown.py), `to_json` (jsonout.py); only the events' own fields are laid out here."""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections.abc import Iterable
from typing import Any

from lillenews.base.dates import DateRange, is_ongoing
from lillenews.base.event_models import Category, EventPage, NumberedEvent
from lillenews.base.i18n import _
from lillenews.views.markdown import md_escape, md_link, md_url
from lillenews.views.model import safe, safe_link
from lillenews.views.plain import GAP, wrap


def day(d: _dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d is not None else ""


def date_label(dates: DateRange) -> str:
    """A single day "15/06/2024", a period "01/06/2024 → 26/10/2024", "until 04/08/2024", or ""."""
    start, end = dates
    if start is None:
        return _("until {day}").format(day=day(end)) if end is not None else ""
    return day(start) if end is None or end == start else f"{day(start)} → {day(end)}"


def where(place: str | None, address: str | None) -> str:
    return ", ".join(safe(x) for x in (place, address) if x)


# ------------------------------------------------------------------------- JSON
def event_row_dict(item: NumberedEvent, quartiers: tuple[str, ...] = ()) -> dict[str, Any]:
    """One listed event: `date` is the start (ISO) or null, `date_end` the last day."""
    return {"number": item.number, **item.event.to_dict(), "ongoing": item.ongoing, "quartiers": list(quartiers)}


def event_page_dict(
    page: EventPage, number: int | None, today: _dt.date, source: str = "page", quartiers: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`event --json`; `source`: "page" (the event's page) or "listing" (never fetched: the listing's fields)."""
    return {"number": number, **page.to_dict(today=today), "source": source, "quartiers": list(quartiers)}


def category_dicts(categories: Iterable[Category]) -> list[dict[str, Any]]:
    return [{"name": c.name, "id": c.id} for c in categories]


# ------------------------------------------------------------------- plain text


def events_text(items: Iterable[NumberedEvent], width: int) -> str:
    """The numbered listing as aligned columns: #, dates, category, title (place below)."""
    rows = [
        (str(i.number), date_label(i.event.dates), safe(i.event.category), safe(i.event.title),
         where(i.event.place, None), _("ongoing") if i.ongoing else "")
        for i in items
    ]  # fmt: skip
    header = ("#", _("Dates"), _("Category"), _("Title"))
    w_num = max([len(header[0])] + [len(r[0]) for r in rows])
    w_date = max([len(header[1])] + [max(len(r[1]), len(r[5])) for r in rows])
    w_cat = min(22, max([len(header[2])] + [len(r[2]) for r in rows]))
    w_title = max(20, width - w_num - w_date - w_cat - 3 * len(GAP))

    def line(num: str, date: str, cat: str, title: str) -> str:
        return GAP.join([num.rjust(w_num), date.ljust(w_date), cat.ljust(w_cat), title]).rstrip()

    out = [line(*header)]
    for num, date, cat, title, place, ongoing in rows:
        titles = wrap(title, w_title) + (wrap(place, w_title, indent="  ") if place else [])
        cats = textwrap.wrap(cat, w_cat, break_long_words=True) or [""]
        dates = [date, ongoing] if ongoing else [date]
        for k in range(max(len(titles), len(cats), len(dates))):
            out.append(line(
                num if k == 0 else "", dates[k] if k < len(dates) else "", cats[k] if k < len(cats) else "",
                titles[k] if k < len(titles) else "",
            ))  # fmt: skip
    return "\n".join(out) + "\n"


def categories_text(categories: Iterable[Category]) -> str:
    return "".join(f"{safe(c.name)}\n" for c in categories)


def event_text(page: EventPage, number: int | None, width: int, today: _dt.date) -> str:
    out = wrap((f"{number}. " if number is not None else "") + safe(page.title), width)
    label = date_label(page.dates)
    facts = [
        (_("Dates"), " · ".join(x for x in (safe(page.date_text), label if label != page.date_text else "") if x)),
        (_("Category"), safe(page.category)),
        (_("Place"), ", ".join(safe(x) for x in page.address)),
        (_("Phone"), safe(page.phone)),
    ]
    if is_ongoing(page.dates, today):
        facts[0] = (facts[0][0], facts[0][1] + " (" + _("ongoing") + ")")
    out.append("")
    for name, value in facts:
        if value:
            out += wrap(value, width, indent="  " + " " * len(name), first=f"{name}: ")
    if page.hours:
        out.append(_("Hours") + ":")
        out += [f"  {safe(h)}" for h in page.hours]
    if page.lead:
        out += [""] + wrap(safe(page.lead), width, indent="  ", first="┃ ")
    for paragraph in page.description:
        out += [""] + wrap(safe(paragraph), width)
    image = safe_link(page.image)
    if image:
        out += ["", _("Picture") + f": <{image}>"]  # a URL is never wrapped: it must stay copyable
        if page.credit:
            out += wrap(_("Credit: {who}").format(who=safe(page.credit)), width)
    links = [(safe(link.text), safe_link(link.url)) for link in page.links]
    if any(url for _t, url in links):
        out += ["", _("Links") + ":"]
        out += [f"  • {text} <{url}>" if text != url else f"  • <{url}>" for text, url in links if url]
    out += ["", f"<{safe_link(page.url) or safe(page.url)}>"]
    return "\n".join(line.rstrip() for line in out) + "\n"


# --------------------------------------------------------------------- Markdown
def _md(text: str | None) -> str:
    """Site text, sanitised then escaped (the events have no view model doing the first)."""
    return md_escape(safe(text))


def event_markdown(page: EventPage, today: _dt.date) -> str:
    out = [f"# {_md(page.title)}", ""]
    label = date_label(page.dates)
    facts = [
        (_("Dates"), " · ".join(_md(x) for x in (page.date_text, label if label != page.date_text else "") if x)),
        (_("Category"), _md(page.category)),
        (_("Place"), ", ".join(_md(x) for x in page.address)),
        (_("Phone"), _md(page.phone)),
        (_("Hours"), "; ".join(_md(h) for h in page.hours)),
    ]
    if facts[0][1] and is_ongoing(page.dates, today):
        facts[0] = (facts[0][0], facts[0][1] + " (" + _("ongoing") + ")")
    out += [f"- **{name}:** {value}" for name, value in facts if value]
    if page.lead:
        out += ["", f"> {_md(page.lead)}"]
    out += [x for p in page.description for x in ("", _md(p))]
    image = safe_link(page.image)
    if image:
        out += ["", f"![{_md(page.image_alt)}]({md_url(image)})"]
        if page.credit:
            out.append(f"*{_md(_('Credit: {who}').format(who=page.credit))}*")
    if page.links:
        out += ["", f"## {_('Links')}", ""] + [
            f"- {md_link(safe(x.text), x.url)}" for x in page.links if safe_link(x.url)
        ]
    out += ["", md_link(page.url, page.url)]
    return "\n".join(out) + "\n"
