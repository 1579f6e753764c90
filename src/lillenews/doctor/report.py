"""The doctor report as a view (words in the interface language, site text sanitised) and its
three thin renderers: plain text (pipes), Rich (a terminal) and JSON (`--json`: stable keys,
the same in every language, documented in the README)."""

from typing import TYPE_CHECKING, Any, NamedTuple

from lillenews import __version__
from lillenews.base.errors import ExitCode
from lillenews.base.i18n import N_, _, clauses, ngettext, number
from lillenews.base.models import Layer
from lillenews.doctor.check import Code, DoctorReport, Finding, PageCheck, PageKind, Verdict
from lillenews.views.model import safe

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import RenderableType

__all__ = ["JSON_FORMAT", "ReportView", "exit_code", "report_dict", "report_rich", "report_text", "report_view"]

JSON_FORMAT = 1  # bumped only when a key changes meaning or goes away


def exit_code(report: DoctorReport) -> ExitCode:
    return ExitCode.OK if report.verdict is Verdict.OK else ExitCode.FAILURE


# ----------------------------------------------------------------------------- the view
class FieldRow(NamedTuple):
    name: str
    layer: str
    values: int
    drifted: bool  # a required field not from the known layer


class PageView(NamedTuple):
    title: str
    facts: list[tuple[str, str]]
    fields: list[FieldRow]


class ReportView(NamedTuple):
    pages: list[PageView]
    warnings: list[str]
    verdict: str
    ok: bool


def _page_name(kind: str) -> str:
    """A page kind's name in the interface language (a PageKind, or its value in a finding's detail)."""
    names: dict[str, str] = {  # a StrEnum member is found by its value too
        PageKind.LISTING: _("News listing"),
        PageKind.LISTING_NEXT: _("Listing, page 2"),
        PageKind.ARTICLE: _("Article"),
        PageKind.EVENT_LISTING: _("Events listing"),
        PageKind.EVENT: _("Event"),
    }
    return names.get(kind, kind)


# The parser's field names, as the report shows them (JSON keeps the English keys).
FIELD_NAMES = {
    "items": N_("items"),
    "title": N_("title"),
    "link": N_("link"),
    "date": N_("date"),
    "dates": N_("dates"),
    "category": N_("category"),
    "summary": N_("summary"),
    "image": N_("image"),
    "images": N_("images"),
    "pagination": N_("pagination"),
    "lead": N_("lead"),
    "body": N_("body"),
    "related": N_("related"),
    "place": N_("place"),
    "hours": N_("hours"),
    "description": N_("description"),
    "address": N_("address"),
    "phone": N_("phone"),
}


def _field(name: str) -> str:
    return _(FIELD_NAMES[name]) if name in FIELD_NAMES else name  # i18n: marked with N_ in FIELD_NAMES


def _fields(names: str) -> str:
    """'summary, image' (a finding's detail) in the interface language."""
    return ", ".join(_field(name.strip()) for name in names.split(","))


def _layer_name(layer: Layer) -> str:
    return {Layer.KNOWN: _("known"), Layer.GENERIC: _("generic"), Layer.NONE: _("none")}[layer]


def _encoding(page: PageCheck) -> str:
    sources = {
        "header": _("from the HTTP header"),
        "bom": _("from a byte order mark"),
        "meta": _("from the page's <meta>"),
        "default": _("by default"),
    }
    if page.encoding is None:
        return "-"
    return f"{page.encoding} ({sources.get(page.encoding_source or '', '')})"


def _page_view(page: PageCheck) -> PageView:
    facts = [(_("URL"), safe(page.url))]
    if page.final_url and page.final_url != page.url:
        facts.append((_("Redirected to"), safe(page.final_url)))
    facts += [
        (_("Status"), str(page.status) if page.status is not None else "-"),
        (_("Size"), ngettext("{n} byte", "{n} bytes", page.size).format(n=number(page.size))),
        (_("Time"), _("{seconds} s").format(seconds=number(page.elapsed, 2))),
        (_("Encoding"), _encoding(page)),
    ]
    read = page.size > 0 and not page.fetch_failed  # a page was there to parse
    if page.error:
        facts.append((_("Not understood") if read else _("Error"), safe(page.error)))
    drifted = set(page.drifted)
    fields = [FieldRow(_field(name), _layer_name(f.layer), f.count, name in drifted) for name, f in page.fields.items()]
    return PageView(_page_name(page.kind), facts, fields if read else [])


def _warning(f: Finding) -> str:
    page = _page_name(f.page)
    if f.code is Code.GENERIC_ITEMS:
        text = ngettext(
            "items found by the generic layer only ({count} item; the known listing markup matched nothing)",
            "items found by the generic layer only ({count} items; the known listing markup matched nothing)",
            f.hits,
        )
    elif f.code is Code.NO_DATES:
        text = ngettext(
            "dates missing on all items ({total} item)", "dates missing on all items ({total} items)", f.total
        )
    elif f.code is Code.TRUNCATED_SUMMARY:
        text = _("summary looks truncated ({count} of {total} summaries end with an ellipsis)")
    elif f.code is Code.MENU_ITEMS:
        text = _("listing items look like a menu (same links as the sub-menu: {count} of {total} on the {where})")
    elif f.code is Code.GUESSED_NEXT:
        text = _("next-page link not found, using (offset) URLs ({detail})")
    elif f.code is Code.NO_NEXT_PAGE:
        text = (
            _("no second page at {detail} (404): the listing has one page")
            if f.detail
            else _("the pagination shows no next page: the listing has one page")
        )
    elif f.code is Code.FEED:
        return _("an RSS/Atom feed is advertised at {detail}").format(detail=safe(f.detail))
    elif f.code is Code.OPTIONAL_GENERIC:
        text = _("optional fields from the generic layer only: {fields}")
    elif f.code is Code.OPTIONAL_MISSING:
        text = _("optional fields not found: {fields}")
    elif f.code is Code.VENUE_FEWER:
        text = _(
            "the page gives fewer venue fields than the events listing ({count} of {total}; missing: {fields}): "
            "'lillenews event N' shows less than 'lillenews events'"
        )
    elif f.page is PageKind.EVENT:  # Code.NOT_FETCHED
        text = _("no event checked: the events listing gave no event")
    else:  # Code.NOT_FETCHED
        text = _("no article checked: the listing gave no headline")
    where = _page_name(f.detail).lower()  # MENU_ITEMS: the page holding the menu
    fields = _fields(f.detail) if f.code in (Code.OPTIONAL_GENERIC, Code.OPTIONAL_MISSING, Code.VENUE_FEWER) else ""
    body = text.format(count=f.hits, total=f.total, detail=safe(f.detail), where=where, fields=fields)
    return _("{page}: {warning}").format(page=page, warning=body)


def _verdict(report: DoctorReport) -> str:
    failed = sum(1 for p in report.pages if p.fetch_failed)
    drift = clauses(
        _("{page}: {fields}").format(page=_page_name(p.kind).lower(), fields=", ".join(map(_field, p.drifted)))
        for p in report.pages
        if p.drifted
    )
    if report.verdict is Verdict.OK:
        return _("Verdict: OK, every required field came from the known lille.fr markup.")
    parts = []
    if failed:
        parts.append(
            ngettext("{n} page could not be fetched", "{n} pages could not be fetched", failed).format(n=failed)
        )
    if drift:
        parts.append(_("required fields not from the known markup: {fields}").format(fields=drift))
    advice = _("Save the pages with 'lillenews doctor --save DIR' and report them (see the README).")
    return _("Verdict: PROBLEM, {what}. {advice}").format(what=clauses(parts), advice=advice)


def report_view(report: DoctorReport) -> ReportView:
    feeds_said: set[str] = set()
    warnings = []
    for f in report.findings:
        if f.code is Code.FEED:
            if f.detail in feeds_said:
                continue  # the same feed advertised on every page is said once
            feeds_said.add(f.detail)
        warnings.append(_warning(f))
    pages = [_page_view(p) for p in report.pages]
    if report.robots is not None:
        pages.insert(0, _robots_view(report.robots))
    return ReportView(pages, warnings, _verdict(report), report.verdict is Verdict.OK)


def _robots_view(robots: dict[str, Any]) -> PageView:
    """robots.txt as this run read it: the answer and what lillenews makes of it."""
    delay = robots["crawl_delay"]
    meaning = {
        "rules": _("its rules apply; Crawl-delay: {delay}").format(
            delay=_("{seconds} s").format(seconds=number(delay)) if delay else "-"
        ),
        "none": _("no rules: every page may be fetched"),
        "unavailable": _("could not be read: nothing is fetched for an hour (RFC 9309)"),
    }.get(robots["meaning"], "-")
    status = robots["status"]
    facts = [(_("URL"), safe(robots["url"])), (_("Status"), str(status) if status is not None else "-")]
    facts.append((_("Meaning"), meaning))
    facts += [(_("Rule"), safe(line)) for line in robots["lines"] if not line.lower().startswith("user-agent")]
    if robots["error"]:
        facts.append((_("Error"), safe(robots["error"])))
    return PageView("robots.txt", facts, [])


# ----------------------------------------------------------------------------- renderers
def report_text(view: ReportView) -> str:
    """Plain text, for pipes and files."""
    lines: list[str] = []
    for page in view.pages:
        lines.append(page.title)
        width = max(len(k) for k, _v in page.facts)
        lines += [f"  {k.ljust(width)}  {v}" for k, v in page.facts]
        if page.fields:
            name_w = max(len(r.name) for r in page.fields + [FieldRow(_("Field"), "", 0, False)])
            layer_w = max(len(r.layer) for r in page.fields + [FieldRow("", _("Layer"), 0, False)])
            count_w = max(len(_("Count")), 4)
            lines.append(f"  {_('Field').ljust(name_w)}  {_('Layer').ljust(layer_w)}  {_('Count'):>{count_w}}")
            for r in page.fields:
                mark = "  <-" if r.drifted else ""
                lines.append(f"  {r.name.ljust(name_w)}  {r.layer.ljust(layer_w)}  {r.values:>{count_w}}{mark}")
        lines.append("")
    if view.warnings:
        lines.append(_("Warnings"))
        lines += [f"  - {w}" for w in view.warnings]
        lines.append("")
    if any(r.drifted for page in view.pages for r in page.fields):
        lines.append(_("(<-: a required field that did not come from the known lille.fr markup)"))
    lines.append(view.verdict)
    return "\n".join(lines) + "\n"


def report_rich(view: ReportView) -> "RenderableType":
    """One table per page, the warnings, the verdict: site text always as plain Text."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from lillenews.base.typography import bind
    from lillenews.views.rich_news import Hanging
    from lillenews.views.rich_text import BoundText

    parts: list[RenderableType] = []
    for page in view.pages:
        parts.append(Text(page.title, style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for key, value in page.facts:
            grid.add_row(Text(key), Text(value))
        parts.append(grid)
        if page.fields:
            table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2))
            table.add_column(_("Field"))
            table.add_column(_("Layer"))
            table.add_column(_("Count"), justify="right")
            colours = {_("known"): "green", _("generic"): "yellow", _("none"): "dim"}
            for r in page.fields:
                style = "bold red" if r.drifted else colours.get(r.layer, "")
                table.add_row(Text(r.name), Text(r.layer, style=style), Text(str(r.values)))
            parts.append(table)
        parts.append(Text(""))
    if view.warnings:
        parts.append(Text(_("Warnings"), style="bold yellow"))
        parts += [Hanging([("-", BoundText(bind(w)))], "", indent=2) for w in view.warnings]
        parts.append(Text(""))
    # French no-break rules: « liste, page 2 : éléments » never breaks before its colon
    parts.append(BoundText(bind(view.verdict), style="bold green" if view.ok else "bold red"))
    return Group(*parts)


def report_dict(report: DoctorReport) -> dict[str, Any]:
    """The `--json` report: see the README for every key. Site text is sanitised."""
    return {
        "format": JSON_FORMAT,
        "lillenews": __version__,
        "listing_url": report.listing_url,
        "events_url": report.events_url,
        "verdict": report.verdict.value,
        "exit_code": int(exit_code(report)),
        "pages": [_page_dict(p) for p in report.pages],
        "findings": [
            {
                "code": f.code.value,
                "page": f.page.value,
                "count": f.hits,
                "total": f.total,
                "detail": safe(f.detail) or None,
            }
            for f in report.findings
        ],
        "feeds": [safe(u) for u in report.feeds],
        "robots": report.robots,
    }


def _page_dict(page: PageCheck) -> dict[str, Any]:
    return {
        "kind": page.kind.value,
        "url": safe(page.url),
        "final_url": safe(page.final_url) or None,
        "status": page.status,
        "bytes": page.size,
        "elapsed": round(page.elapsed, 3),
        "encoding": page.encoding,
        "encoding_source": page.encoding_source,
        "error": safe(page.error) or None,
        "fetch_failed": page.fetch_failed,
        "required": list(page.required),
        "drifted": list(page.drifted),
        "fields": {name: {"layer": f.layer.value, "count": f.count} for name, f in page.fields.items()},
    }
