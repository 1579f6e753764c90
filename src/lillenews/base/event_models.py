"""The events agenda's records: immutable, plain, JSON-able (`to_dict`/`from_dict` for
the cache and `--json`). JSON keeps `date` (the start, ISO) and adds `date_end`; `ongoing`
is added when the caller says what day it is."""

from datetime import date
from typing import Any, NamedTuple

from lillenews.base.dates import NO_DATES, DateRange, is_ongoing


class Event(NamedTuple):
    url: str
    title: str
    dates: DateRange = NO_DATES
    date_text: str | None = None  # as the site wrote it
    category: str | None = None
    place: str | None = None
    address: str | None = None
    phone: str | None = None
    summary: str | None = None
    truncated: bool = False  # the summary was cut by the site ("..."): never a lead
    image: str | None = None

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        return _with_dates(self._asdict(), today)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        fields = _without_dates(cls._fields, d)
        fields["truncated"] = bool(fields["truncated"])
        return cls(**fields, dates=_dates_of(d))


class Category(NamedTuple):
    name: str
    id: str | None = None  # the site's (type)/ID, when its filter links show it


class Link(NamedTuple):
    text: str
    url: str


class EventListing(NamedTuple):
    url: str
    events: tuple[Event, ...]
    next_url: str | None
    last_page: int | None  # from the pagination's last .page
    categories: tuple[Category, ...]  # from the page's own filter links

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "events": [e.to_dict() for e in self.events], "next_url": self.next_url,
            "last_page": self.last_page, "categories": [c._asdict() for c in self.categories],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EventListing":
        return cls(
            url=str(d["url"]),
            events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
            next_url=d.get("next_url"),
            last_page=d.get("last_page"),
            categories=tuple(Category(str(c["name"]), c.get("id")) for c in d.get("categories") or ()),
        )


class EventPage(NamedTuple):
    url: str
    title: str
    dates: DateRange = NO_DATES
    date_text: str | None = None
    category: str | None = None
    lead: str | None = None
    description: tuple[str, ...] = ()
    hours: tuple[str, ...] = ()  # the <br>-separated lines
    address: tuple[str, ...] = ()  # place first, then the address lines
    phone: str | None = None
    image: str | None = None
    image_alt: str | None = None
    credit: str | None = None  # "Crédit : X" beside the picture: X, never body text
    links: tuple[Link, ...] = ()

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        d = _with_dates(self._asdict(), today)
        d.update(links=[x._asdict() for x in self.links])
        d.update({k: list(d[k]) for k in ("description", "hours", "address")})
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EventPage":
        fields = _without_dates(cls._fields, d)
        fields.update({k: tuple(str(x) for x in d.get(k) or ()) for k in ("description", "hours", "address")})
        fields["links"] = tuple(Link(str(x["text"]), str(x["url"])) for x in d.get("links") or ())
        return cls(**fields, dates=_dates_of(d))


def _with_dates(d: dict[str, Any], today: date | None) -> dict[str, Any]:
    """A record's dict with its DateRange as ISO `date`/`date_end` (and `ongoing` given today)."""
    dates: DateRange = d.pop("dates")
    d.update(date=dates.iso_start, date_end=dates.iso_end)
    if today is not None:
        d["ongoing"] = is_ongoing(dates, today)
    return d


def _without_dates(names: tuple[str, ...], d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in names if k != "dates"}


def _dates_of(d: dict[str, Any]) -> DateRange:
    return DateRange.from_iso(d.get("date"), d.get("date_end"))


class NumberedEvent(NamedTuple):
    """An event as the agenda lists it: its number for `event N`, and whether it is under way."""

    number: int
    event: Event
    ongoing: bool
