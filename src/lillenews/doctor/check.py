"""`lillenews doctor`: how well is the real site understood? A drift self-check.

It fetches a fixed plan of pages, one at a time and unconditionally (a 304 leaves nothing
to analyse or save): the news listing, its second page, the first listed article, the events
listing and its first event. Each page is parsed by the parsers' provenance reports
(`site/news.py`'s `explain_listing` / `explain_article`, `site/event_explain.py`): per field, which layer of the
markup spec gave it (known lille.fr markup, generic fallback, nothing) and how many values.
Findings a maintainer acts on are `Finding`s with a stable code; the verdict is OK only when
every required field came from the known layer and every page could be fetched.

The analysis is a pure function of what was fetched (`run(fetch, ...)`): the same code
reports on the network (doctor/network.py) and on pages saved by `--save` (doctor/save.py), so
a saved bug report replays to the same report. Doctor never reads nor writes the cache.

A page of the plan is a `PageKind`, read as its `family` (page 2 as a listing), a `Family`
(its explain function and required fields); the plan is the `Step`s of `PLAN`."""

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from lillenews.base.errors import FetchError
from lillenews.base.models import Layer
from lillenews.base.text import is_cut
from lillenews.net.decoding import charset_of, decode_html
from lillenews.site import event_explain as events
from lillenews.site.news import ARTICLE_FIELDS, LISTING_FIELDS, Found, Provenance, explain_article, explain_listing
from lillenews.site.pagelinks import MENU_LINK_SHARE, advertised_feeds, most_in_one_list

__all__ = [
    "FAMILIES",
    "PLAN",
    "Code",
    "DoctorReport",
    "Family",
    "Fetched",
    "Finding",
    "PageCheck",
    "PageKind",
    "Step",
    "Verdict",
    "Visit",
    "run",
]

Headers = tuple[tuple[str, str], ...]


class PageKind(enum.StrEnum):
    """A page of the plan. Its value is what the JSON report and a saved meta.json say."""

    LISTING = "listing"
    LISTING_NEXT = "listing_next"  # the listing's second page
    ARTICLE = "article"
    EVENT_LISTING = "event_listing"
    EVENT = "event"

    @property
    def family(self) -> "PageKind":
        """The kind of page it is read as (the key of FAMILIES)."""
        return PageKind.LISTING if self is PageKind.LISTING_NEXT else self


class Fetched(NamedTuple):
    """One page as it came back: from the network, or from a saved copy."""

    kind: PageKind
    url: str  # as requested
    final_url: str | None  # after redirects (None when the fetch failed)
    status: int | None
    body: bytes
    headers: Headers
    elapsed: float  # seconds
    error: str | None = None  # why the fetch failed


class Explain(Protocol):
    def __call__(self, html: str, url: str, *, today: _dt.date) -> tuple[Provenance, str | None, Any]: ...


class Family(NamedTuple):
    """A family of pages: how to explain one, and which fields must come from known markup."""

    explain: Explain  # -> fields, error, model
    fields: tuple[str, ...]
    required: tuple[str, ...]


def _explain_listing(html: str, url: str, *, today: _dt.date) -> tuple[Provenance, str | None, Any]:
    report = explain_listing(html, url, today=today)
    return report.fields, report.error, report.page


def _explain_article(html: str, url: str, *, today: _dt.date) -> tuple[Provenance, str | None, Any]:
    report = explain_article(html, url, today=today)
    return report.fields, report.error, report.article


FAMILIES: dict[PageKind, Family] = {
    PageKind.LISTING: Family(_explain_listing, LISTING_FIELDS, ("items", "title", "link")),
    PageKind.ARTICLE: Family(_explain_article, ARTICLE_FIELDS, ("title", "body")),
    PageKind.EVENT_LISTING: Family(
        events.explain_event_listing, events.EVENT_LISTING_FIELDS, ("items", "title", "link")
    ),
    PageKind.EVENT: Family(events.explain_event_page, events.EVENT_PAGE_FIELDS, ("title",)),
}
# per listing family: the date field, said by its own finding (with pagination)
_LISTING_DATES = {PageKind.LISTING: "date", PageKind.EVENT_LISTING: "dates"}


class Code(enum.Enum):
    """What a finding is about (stable: the JSON report carries these values)."""

    GENERIC_ITEMS = "generic_items"  # listing items found by the generic layer only
    NO_DATES = "no_dates"  # no listing item has a date
    TRUNCATED_SUMMARY = "truncated_summary"  # summaries end with an ellipsis
    MENU_ITEMS = "menu_items"  # the items are the links of a menu (the sub-menu)
    GUESSED_NEXT = "guessed_next"  # no next-page link: (offset) URLs are built
    NO_NEXT_PAGE = "no_next_page"  # the listing has one page (or the guessed page 2 does not exist)
    FEED = "feed"  # an RSS/Atom feed is advertised (detail: its URL)
    OPTIONAL_GENERIC = "optional_generic"  # optional fields from the generic layer (detail: names)
    OPTIONAL_MISSING = "optional_missing"  # optional fields not found (detail: names)
    NOT_FETCHED = "not_fetched"  # a page of the plan could not be chosen (detail: why)
    VENUE_FEWER = "venue_fewer"  # the event page gives fewer venue fields than its listing item (detail: names)


class Finding(NamedTuple):
    code: Code
    page: PageKind  # the page it is about
    hits: int = 0  # how many values it is about (items, summaries...)
    total: int = 0  # out of how many
    detail: str = ""


class PageCheck(NamedTuple):
    """The report on one page."""

    kind: PageKind
    url: str
    final_url: str | None
    status: int | None
    size: int  # bytes of the body as served
    elapsed: float
    encoding: str | None  # the codec the page was read with
    encoding_source: str | None  # "header", "bom", "meta", "default"
    fields: Provenance
    required: tuple[str, ...]
    error: str | None  # the fetch failed, or the page was not understood (`fetch_failed` says which)
    fetch_failed: bool = False

    @property
    def drifted(self) -> tuple[str, ...]:
        """Required fields that did not come from the known layer (none for a page that could
        not be fetched: that is said by `fetch_failed`)."""
        if self.fetch_failed:
            return ()
        return tuple(name for name in self.required if self.fields[name].layer is not Layer.KNOWN)


class Verdict(enum.Enum):
    OK = "ok"  # every page fetched, every required field from the known layer
    DRIFT = "drift"  # a required field came from the generic layer or was not found
    FAILED = "failed"  # a page could not be fetched


class DoctorReport(NamedTuple):
    listing_url: str
    pages: tuple[PageCheck, ...]
    findings: tuple[Finding, ...]
    fetched: tuple[Fetched, ...]  # what `--save` writes
    events_url: str | None = None  # the events listing's address (None: events not checked)
    robots: dict[str, Any] | None = None  # robots.txt as read for this run (RobotsRules.summary; None: replayed)

    @property
    def verdict(self) -> Verdict:
        if any(p.fetch_failed for p in self.pages):
            return Verdict.FAILED
        if any(p.drifted for p in self.pages):
            return Verdict.DRIFT
        return Verdict.OK

    @property
    def feeds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.detail for f in self.findings if f.code is Code.FEED))


class _Seen(NamedTuple):
    check: PageCheck
    text: str
    model: Any  # ListingPage / Article / None


# ----------------------------------------------------------------------------- the plan
class Visit:
    """What the plan has seen so far: each step chooses its URL from it."""

    def __init__(self, listing_url: str, events_url: str | None = None) -> None:
        self.listing_url = listing_url
        self.events_url = events_url
        self.seen: dict[PageKind, _Seen] = {}
        self.findings: list[Finding] = []
        self.guessed: set[PageKind] = set()  # pages whose URL was built, not read from a page


class Step(NamedTuple):
    """One page of the plan: its kind and how to find its URL (None: skipped)."""

    kind: PageKind
    url: Callable[[Visit], str | None]


def _listing_url(visit: Visit) -> str | None:
    return visit.listing_url


def _second_page(visit: Visit) -> str | None:
    """The listing's own next link; a pagination block without one: the listing has one page;
    no pagination at all: the eZ Publish `(offset)/N` address the listing walker would build."""
    first = visit.seen[PageKind.LISTING].model
    if first is None:
        return None
    if first.next_url:
        return str(first.next_url)
    if first.has_pagination:
        visit.findings.append(Finding(Code.NO_NEXT_PAGE, PageKind.LISTING))
        return None
    guessed = f"{visit.listing_url}/(offset)/{len(first.headlines)}"
    visit.findings.append(Finding(Code.GUESSED_NEXT, PageKind.LISTING, detail=guessed))
    visit.guessed.add(PageKind.LISTING_NEXT)
    return guessed


def _first_article(visit: Visit) -> str | None:
    first = visit.seen[PageKind.LISTING].model
    if first is None or not first.headlines:
        visit.findings.append(Finding(Code.NOT_FETCHED, PageKind.ARTICLE, detail=PageKind.LISTING))
        return None
    return str(first.headlines[0].url)


def _events_listing(visit: Visit) -> str | None:
    return visit.events_url


def _first_event(visit: Visit) -> str | None:
    listing = visit.seen.get(PageKind.EVENT_LISTING)
    if listing is None:  # events not checked
        return None
    if listing.model is None or not listing.model.events:
        visit.findings.append(Finding(Code.NOT_FETCHED, PageKind.EVENT, detail=PageKind.EVENT_LISTING))
        return None
    return str(listing.model.events[0].url)


PLAN: tuple[Step, ...] = (
    Step(PageKind.LISTING, _listing_url),
    Step(PageKind.LISTING_NEXT, _second_page),
    Step(PageKind.ARTICLE, _first_article),
    Step(PageKind.EVENT_LISTING, _events_listing),
    Step(PageKind.EVENT, _first_event),
)


def run(
    fetch: Callable[[PageKind, str], Fetched],
    listing_url: str,
    plan: tuple[Step, ...] = PLAN,
    events_url: str | None = None,
    *,
    today: _dt.date,
) -> DoctorReport:
    """Fetch the plan's pages through `fetch(kind, url)`, one after the other, and report
    (the events pages only with an `events_url`; `today` anchors dates without a year)."""
    visit = Visit(listing_url, events_url)
    fetched: list[Fetched] = []
    for step in plan:
        url = step.url(visit)
        if url is None:
            continue
        got = fetch(step.kind, url)
        fetched.append(got)
        seen = _check(got, today)
        if step.kind in visit.guessed and got.status == 404:
            # A built address that does not exist: past the end, not a failure.
            seen = seen._replace(check=seen.check._replace(fetch_failed=False, required=()))
            visit.findings.append(Finding(Code.NO_NEXT_PAGE, step.kind, detail=url))
        visit.seen[step.kind] = seen
    findings = visit.findings
    for kind, page in visit.seen.items():
        findings.extend(_findings(kind, page))
    findings.extend(_menu_findings(visit.seen))
    listed, event = (s.model if (s := visit.seen.get(k)) else None for k in (PageKind.EVENT_LISTING, PageKind.EVENT))
    if gaps := events.venue_gaps(listed, event):  # the page gives less than its listing item: `event N` shows less
        findings.append(Finding(Code.VENUE_FEWER, PageKind.EVENT, *gaps))
    order = [step.kind for step in plan]
    findings.sort(key=lambda f: order.index(f.page) if f.page in order else len(order))  # stable: page by page
    pages = tuple(page.check for page in visit.seen.values())
    return DoctorReport(listing_url, pages, tuple(findings), tuple(fetched), events_url)


def _check(got: Fetched, today: _dt.date) -> _Seen:
    family = FAMILIES[got.kind.family]
    nothing = {name: Found(Layer.NONE, 0) for name in family.fields}
    size, elapsed = len(got.body), got.elapsed
    base = PageCheck(
        got.kind, got.url, got.final_url, got.status, size, elapsed, None, None, nothing, family.required, None
    )
    if got.error is not None:
        return _Seen(base._replace(error=got.error, fetch_failed=True), "", None)
    content_type = dict(got.headers).get("content-type", "")
    codec, source = charset_of(got.body, content_type)
    base = base._replace(encoding=codec, encoding_source=source)
    page_url = got.final_url or got.url  # links resolve against the final URL, as in `list`
    try:
        text = decode_html(got.body, content_type, page_url)
    except FetchError as exc:
        return _Seen(base._replace(error=exc.cause, fetch_failed=True), "", None)
    fields, error, model = family.explain(text, page_url, today=today)
    return _Seen(base._replace(fields=fields, error=error), text, model)


# ----------------------------------------------------------------------------- findings
def _findings(kind: PageKind, seen: _Seen) -> list[Finding]:
    check = seen.check
    out: list[Finding] = []
    if seen.text:
        page_url = check.final_url or check.url
        out += [Finding(Code.FEED, kind, detail=feed) for feed in advertised_feeds(seen.text, page_url)]
    if check.error is not None and check.fetch_failed:
        return out
    family = kind.family
    fields = check.fields
    if family in _LISTING_DATES and seen.model is not None:
        out += _listing_findings(kind, fields, seen.model)
    skip = {_LISTING_DATES[family], "pagination"} if family in _LISTING_DATES else set()  # said by their own findings
    optional = [n for n in fields if n not in check.required and n not in skip]
    generic = [n for n in optional if fields[n].layer is Layer.GENERIC]
    missing = [n for n in optional if fields[n].layer is Layer.NONE]
    if generic:
        out.append(Finding(Code.OPTIONAL_GENERIC, kind, len(generic), detail=", ".join(generic)))
    if missing and seen.model is not None:
        out.append(Finding(Code.OPTIONAL_MISSING, kind, len(missing), detail=", ".join(missing)))
    return out


def _listing_findings(kind: PageKind, fields: Provenance, listing: Any) -> list[Finding]:
    items = fields["items"]
    out: list[Finding] = []
    if not items.count:
        return out
    if items.layer is Layer.GENERIC:
        out.append(Finding(Code.GENERIC_ITEMS, kind, items.count, items.count))
    if fields[_LISTING_DATES[kind.family]].count == 0:
        out.append(Finding(Code.NO_DATES, kind, 0, items.count))
    if kind.family is PageKind.EVENT_LISTING:  # the agenda cuts its summaries by design (site/events.py marks them)
        return out
    summaries = [h.summary for h in listing.headlines if h.summary]
    cut = sum(1 for s in summaries if is_cut(s))
    if cut:
        out.append(Finding(Code.TRUNCATED_SUMMARY, kind, cut, len(summaries)))
    return out


def _menu_findings(seen: dict[PageKind, _Seen]) -> list[Finding]:
    """Listing items that carry no summary and are (mostly) the links of one list, on the
    listing page or on another page of the plan: a sub-menu taken for the listing."""
    out: list[Finding] = []
    pages = [s for s in seen.values() if s.text]
    for kind in (PageKind.LISTING, PageKind.LISTING_NEXT):
        page = seen.get(kind)
        if page is None or page.model is None or page.check.fields["summary"].count:
            continue
        urls = {h.url for h in page.model.headlines}
        for other in pages:
            best = most_in_one_list(other.text, other.check.final_url or other.check.url, urls)
            if urls and best >= MENU_LINK_SHARE * len(urls):
                out.append(Finding(Code.MENU_ITEMS, kind, best, len(urls), detail=other.check.kind))
                break
    return out
