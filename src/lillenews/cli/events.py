"""The events agenda's commands: `lillenews events` (the numbered upcoming events, the
site's period and category filters, --categories, --ics) and `lillenews event N`.
Added to the main typer app by `register(app)` (cli/app.py)."""

import datetime as _dt
from typing import TYPE_CHECKING

import typer

from lillenews.base.errors import UsageError
from lillenews.base.i18n import N_, _, ngettext
from lillenews.cli.common import Commands, exclusive, print_json, session
from lillenews.cli.quartiers import QUARTIER_HELP, wanted_quartiers
from lillenews.cli.terminal import Terminal

_commands = Commands()
register = _commands.register

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.base.event_models import Category, EventPage, NumberedEvent


@_commands.command(
    "events",
    help=N_("List upcoming events of the City of Lille's agenda, numbered."),
    short_help=N_("Upcoming events of Lille's agenda, numbered."),
)
def events_cmd(
    ctx: typer.Context,
    today: bool = typer.Option(False, "--today", help=N_("Events of today (the site's own filter).")),
    week: bool = typer.Option(False, "--week", help=N_("Events of this week.")),
    weekend: bool = typer.Option(False, "--weekend", help=N_("Events of this weekend.")),
    month: bool = typer.Option(False, "--month", help=N_("Events of this month.")),
    category: str | None = typer.Option(
        None, "--category", "-c", metavar="NAME", help=N_("Only this category (accents and case ignored).")
    ),
    categories: bool = typer.Option(False, "--categories", help=N_("List the agenda's categories.")),
    limit: int = typer.Option(
        20, "--limit", "-n", min=1, metavar="N", help=N_("How many events (follows the pagination).")
    ),
    all_pages: bool = typer.Option(False, "--all", help=N_("Every page of the agenda.")),
    refresh: bool = typer.Option(False, "--refresh", help=N_("Fetch even if the cached pages are fresh.")),
    offline: bool = typer.Option(False, "--offline", help=N_("Use the cache only; never touch the network.")),
    as_json: bool = typer.Option(False, "--json", help=N_("Print JSON (see README) instead of a table.")),
    ics: bool = typer.Option(False, "--ics", help=N_("Print an iCalendar (.ics) file of the listed events.")),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help=N_("With --ics: write to FILE.")),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
) -> None:
    from lillenews.app.agenda import AgendaQuery

    exclusive(today=today, week=week, weekend=weekend, month=month)
    exclusive(refresh=refresh, offline=offline)
    exclusive(json=as_json, ics=ics)
    exclusive(ics=ics, categories=categories)
    if output is not None and not ics:
        raise UsageError(_("--output needs --ics"))
    when = next((name for name, on in (("today", today), ("week", week), ("weekend", weekend),
                                       ("month", month)) if on), None)  # fmt: skip
    with session(ctx) as (news, term):
        if categories:
            _show_categories(term, news.events.categories(refresh=refresh, offline=offline), as_json)
            return
        query = AgendaQuery(when=when, category=category, limit=None if all_pages else limit)
        wanted = wanted_quartiers(quartier, news.settings)
        keep = news.quartiers.event_filter(wanted) if wanted else None  # the vocabulary loads for a filter only
        result = news.events.upcoming(query, refresh=refresh, offline=offline, keep=keep)
        if ics:
            revised, pages = news.events.calendar([item.event for item in result.events])
            _write_ics(term, result.events, news.events.today, news.now(), output, revised, pages)
        elif as_json:
            from lillenews.views.event_model import event_row_dict

            tags = news.quartiers.of_events(item.event for item in result.events)
            print_json(term, [event_row_dict(item, tags[item.event.url]) for item in result.events])
        elif not result.events:
            term.info(_("No upcoming events."))
        else:
            _show_events(term, result.events)
            if term.stdout_isatty and (result.complete or all_pages):
                term.info(_("Read one with: lillenews event N"))
            elif term.stdout_isatty:
                term.info(_("More with --limit N or --all. Read one with: lillenews event N"))


def _show_events(term: Terminal, items: "tuple[NumberedEvent, ...]") -> None:
    """A Rich table at a terminal, plain text otherwise. At a terminal, the events take the
    compact one-line layout when the full one (places, « ongoing ») is taller than the
    window, so that the header row stays on screen, as `list` does (README, "Long lists")."""
    from lillenews.views.event_model import events_text

    if not term.rich_stdout:
        term.write(events_text(items, term.plain_width))
        return
    from lillenews.views.rich_events import events_table

    width, height = term.size
    # The plain layout has the table's rows: its height is the table's, at a fraction of the cost.
    compact = events_text(items, width).count("\n") > height - 2  # the hint line and the prompt
    term.show(events_table(items, width, compact=compact))


def _show_categories(term: Terminal, categories: "list[Category]", as_json: bool) -> None:
    from lillenews.views.event_model import categories_text, category_dicts

    if as_json:
        print_json(term, category_dicts(categories))
    elif not categories:
        term.info(_("No categories."))
    else:
        term.write(categories_text(categories))


def _write_ics(
    term: Terminal,
    items: "tuple[NumberedEvent, ...]",
    today: _dt.date,
    now: float,
    output: str | None,
    revised: dict[str, float],
    pages: "dict[str, EventPage]",
) -> None:
    """The calendar to stdout or `output`; none at all when no event has a date (RFC 5545: a
    calendar holds at least one component), said on stderr, exit 0."""
    from lillenews.cli.output import write_output
    from lillenews.views.ics import to_ics

    def moment(seconds: float) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(seconds, _dt.UTC)

    stamps = {url: moment(seconds) for url, seconds in revised.items()}
    result = to_ics((item.event for item in items), listed_on=today, now=moment(now), revised=stamps, pages=pages)
    if not result.written:
        term.info(_("Nothing to export: no upcoming event with a date matches, so no calendar was written."))
    elif output and write_output(term, output, result.data):  # UTF-8 bytes whatever the locale
        term.info(ngettext("Wrote {n} event to {file}.", "Wrote {n} events to {file}.", result.written).format(
            n=result.written, file=output))  # fmt: skip
    elif not output:
        term.write_bytes(result.data)
    if result.undated:
        term.info(ngettext(
            "{n} event without a date was left out of the calendar.",
            "{n} events without a date were left out of the calendar.", result.undated,
        ).format(n=result.undated))  # fmt: skip


@_commands.command(
    "event",
    help=N_("Show one event in full: dates, hours, place, description, links."),
    short_help=N_("Show one event in full."),
)
def event_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(
        ..., metavar="N|URL", help=N_("Event number from the last 'lillenews events', or its www.lille.fr URL.")
    ),
    refresh: bool = typer.Option(False, "--refresh", help=N_("Fetch the event again even if cached.")),
    offline: bool = typer.Option(False, "--offline", help=N_("Use the cache only; never touch the network.")),
    as_json: bool = typer.Option(False, "--json", help=N_("Print JSON (see README).")),
    markdown: bool = typer.Option(False, "--markdown", help=N_("Print the event as Markdown.")),
    pager: bool | None = typer.Option(
        None, "--pager/--no-pager", help=N_("Page long pages [default: when stdout is a terminal].")
    ),
) -> None:
    exclusive(json=as_json, markdown=markdown)
    exclusive(refresh=refresh, offline=offline)
    with session(ctx) as (news, term):
        result = news.events.event(target, news.site_url, refresh=refresh, offline=offline)
        today = news.events.today
        if result.from_listing:  # one line: the page was never fetched, here is what the listing says
            if result.why is not None:
                term.warn(_("{error}; the event's page was not synced: showing what the agenda's listing says").format(
                    error=result.why.explained()))  # fmt: skip
            else:
                term.info(_("The event's page was not synced: showing what the agenda's listing says."))
        if as_json:
            from lillenews.views.event_model import event_page_dict

            source = "listing" if result.from_listing else "page"
            tags = news.quartiers.of_event_page(result.page)
            print_json(term, event_page_dict(result.page, result.number, today, source=source, quartiers=tags))
        elif markdown:
            from lillenews.views.event_model import event_markdown

            term.write(event_markdown(result.page, today))
        elif not term.rich_stdout:
            from lillenews.views.event_model import event_text

            term.write(event_text(result.page, result.number, term.plain_width, today))
        else:
            from lillenews.cli.screen import show_paged
            from lillenews.views.rich_events import event_renderable

            links = term.hyperlinks(news.settings.hyperlinks)  # OSC 8 only where the terminal shows them
            show_paged(term, event_renderable(result.page, result.number, today, hyperlinks=links), pager)
