"""What the events commands show, in every format but Rich: labels, JSON, plain text,
Markdown. Site text is sanitised here (control and bidi characters) and never read as
markup; links are shown only when they are http(s). The helpers are the articles' ones:
`safe`/`safe_link` (model.py), `wrap` (plain.py), `md_escape`/`md_link`/`md_url`
(markdown.py), `to_json` (jsonout.py); only the events' own fields are laid out here."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from lillenews.base import typography
from lillenews.base.dates import DateRange, is_ongoing
from lillenews.base.event_models import Category, EventPage, NumberedEvent
from lillenews.base.typography import NBSP, bind
from lillenews.views.labels import Labels, document_labels, figure_parts, labels
from lillenews.views.model import safe, safe_link
from lillenews.views.plain import GAP, wrap

CATEGORY_MAX = 22  # the Category column folds longer names, unless the line has room to spare
TITLE_ROOM = 40  # columns the Title keeps before the Category column grows past CATEGORY_MAX
FIXED = 2 + 23 + 3 * len(GAP)  # the number and dates columns (a period: 23) and the gaps


def day(d: _dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d is not None else ""


def date_label(dates: DateRange, lab: Labels | None = None) -> str:
    """A single day "15/06/2024", a period "01/06/2024 → 26/10/2024", "until 04/08/2024", or ""."""
    start, end = dates
    if start is None:
        return (lab or labels()).until.format(day=day(end)) if end is not None else ""
    return day(start) if end is None or end == start else f"{day(start)} → {day(end)}"


def category_width(categories: Iterable[str], width: int) -> int:
    """The Category column: as wide as the longest name (« Rencontre / conférence / débat »
    never folds at 120 columns), capped at CATEGORY_MAX when the title would be left
    fewer than TITLE_ROOM columns."""
    longest = max((len(c) for c in categories), default=0)
    return max(1, min(longest, max(CATEGORY_MAX, width - FIXED - TITLE_ROOM)))


def category_cell(name: str) -> str:
    """A category name for a column: it breaks after a slash, never before one."""
    return bind(name).replace(" / ", NBSP + "/ ")


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
    lab = labels()
    rows = [
        (str(i.number), date_label(i.event.dates, lab), safe(i.event.category), safe(i.event.title),
         where(i.event.place, None), lab.ongoing if i.ongoing else "")
        for i in items
    ]  # fmt: skip
    header = (lab.number, lab.dates, lab.category, lab.title)
    w_num = max([len(header[0])] + [len(r[0]) for r in rows])
    w_date = max([len(header[1])] + [max(len(r[1]), len(r[5])) for r in rows])
    w_cat = max(len(header[2]), category_width((r[2] for r in rows), width))
    w_title = max(20, width - w_num - w_date - w_cat - 3 * len(GAP))

    def line(num: str, date: str, cat: str, title: str) -> str:
        return GAP.join([num.rjust(w_num), date.ljust(w_date), cat.ljust(w_cat), title]).rstrip()

    out = [line(*header)]
    for num, date, cat, title, place, ongoing in rows:
        titles = wrap(title, w_title) + (wrap(place, w_title, indent="  ") if place else [])
        cats = typography.wrap(category_cell(cat), w_cat, break_long_words=True) or [""]
        dates = [date, ongoing] if ongoing else [date]
        for k in range(max(len(titles), len(cats), len(dates))):
            out.append(line(
                num if k == 0 else "", dates[k] if k < len(dates) else "", cats[k] if k < len(cats) else "",
                titles[k] if k < len(titles) else "",
            ))  # fmt: skip
    return "\n".join(out) + "\n"


def categories_text(categories: Iterable[Category]) -> str:
    return "".join(f"{safe(c.name)}\n" for c in categories)


def event_facts(page: EventPage, today: _dt.date, lab: Labels) -> list[tuple[str, str]]:
    """(label, value) of what every view of an event states before its text, the empty ones
    left out: dates (« en cours » when it is on), category, place, phone, hours (a line each)."""
    label = date_label(page.dates, lab)
    dates = " · ".join(x for x in (safe(page.date_text), label if label != page.date_text else "") if x)
    if dates and is_ongoing(page.dates, today):
        dates += f" ({lab.ongoing})"
    facts = [
        (lab.dates, dates),
        (lab.category, safe(page.category)),
        (lab.place, ", ".join(safe(x) for x in page.address)),
        (lab.phone, safe(page.phone)),
        (lab.hours, "\n".join(safe(h) for h in page.hours)),
    ]
    return [(name, value) for name, value in facts if value]


def picture_parts(page: EventPage, lab: Labels) -> tuple[str, str, str | None, str]:
    """The event's picture as every view says it: (label, description, URL, credit): « Image : »
    (unless the description says it already), the alt text, the safe URL (None: no picture
    to show), « — Crédit : X »."""
    label, description = figure_parts(safe(page.image_alt), lab)
    credit = f" — {lab.credit.format(who=safe(page.credit))}" if page.credit else ""
    return label, description if page.image_alt else "", safe_link(page.image), credit


def event_text(page: EventPage, number: int | None, width: int, today: _dt.date) -> str:
    lab = labels()
    out = wrap((f"{number}. " if number is not None else "") + safe(page.title), width)
    out.append("")
    for name, value in event_facts(page, today, lab):
        head = lab.labelled(name)
        out += wrap(value, width, indent=" " * len(head), first=head)  # the next lines under the value
    if page.lead:
        out += [""] + wrap(safe(page.lead), width, indent="  ", first="┃ ")
    for paragraph in page.description:
        out += [""] + wrap(safe(paragraph), width)
    label, description, image, credit = picture_parts(page, lab)
    if image:  # the URL is never cut: whole on its own line when it is longer than the line
        said = " ".join(x for x in (f"{label}{description}".rstrip(), f"<{image}>") if x)
        out += ["", *wrap(said + credit, width)]
    links = [(safe(link.text), safe_link(link.url)) for link in page.links]
    if any(url for _t, url in links):
        out += ["", lab.labelled(lab.links).rstrip()]
        for text, url in links:
            if url:
                out += wrap(f"{text} <{url}>" if text != url else f"<{url}>", width, indent="    ", first="  • ")
    out += ["", f"<{safe_link(page.url) or safe(page.url)}>"]
    return "\n".join(line.rstrip() for line in out) + "\n"


# --------------------------------------------------------------------- Markdown
def _md(text: str | None) -> str:
    """Site text, sanitised then escaped (the events have no view model doing the first)."""
    from lillenews.views.markdown import md_escape

    return md_escape(safe(text))


def event_markdown(page: EventPage, today: _dt.date) -> str:
    """The event as a Markdown document: French content, so French labels in every language
    (as an article's Markdown)."""
    from lillenews.views.markdown import md_escape, md_link, md_url  # only `event --markdown` needs them

    doc = document_labels()
    out = [f"# {_md(page.title)}", ""]
    for name, value in event_facts(page, today, doc):
        out.append(f"- **{doc.labelled(name).rstrip()}** {md_escape(value).replace(chr(10), ' ; ')}")
    if page.lead:
        out += ["", f"> {_md(page.lead)}"]
    out += [x for p in page.description for x in ("", _md(p))]
    _label, description, image, credit = picture_parts(page, doc)
    if image:
        out += ["", f"![{md_escape(description)}]({md_url(image)})"]
        if credit:
            out.append(f"*{md_escape(credit.removeprefix(' — '))}*")
    if page.links:
        out += ["", f"## {doc.links}", ""] + [
            f"- {md_link(safe(x.text), x.url)}" for x in page.links if safe_link(x.url)
        ]
    out += ["", md_link(page.url, page.url)]
    return "\n".join(out) + "\n"
