"""`lillenews sync`: everything for offline reading, at the pace the site's robots.txt
asks. Added to the main typer app by `register(app)` (cli/app.py)."""

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from lillenews.base.errors import ExitCode
from lillenews.base.i18n import N_, _, ngettext
from lillenews.cli.common import Commands, print_json, session
from lillenews.cli.terminal import Terminal

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.app.sync import Estimate

_commands = Commands()
register = _commands.register


@_commands.command(
    "sync",
    help=N_(
        "Fetch the listing, the articles not cached yet and the agenda (its pages and the next "
        "week's events) for offline reading. The site's robots.txt wins over the settings: its "
        "Crawl-delay makes requests go one at a time at its pace, whatever --workers says, and "
        "the paths it disallows are never fetched."
    ),
    short_help=N_("Fetch new articles and the agenda for offline reading."),
)
def sync_cmd(
    ctx: typer.Context,
    pages: int = typer.Option(5, "--pages", "-p", min=1, metavar="N", help=N_("How many listing pages to refresh.")),
    all_pages: bool = typer.Option(False, "--all", help=N_("Every listing page.")),
    no_articles: bool = typer.Option(
        False, "--no-articles", help=N_("Refresh the listings only (no article or event page).")
    ),
    refresh: bool = typer.Option(
        False, "--refresh", help=N_("Also re-check the cached articles (conditional requests).")
    ),
    no_events: bool = typer.Option(False, "--no-events", help=N_("Leave the agenda out.")),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        max=8,
        metavar="N",
        help=N_("Concurrent requests (1-8) when robots.txt sets no Crawl-delay [env LILLENEWS_WORKERS; default 4]."),
    ),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the summary as JSON.")),
) -> None:
    with session(ctx) as (news, term):
        bar = SyncBar(term)
        try:
            report = news.sync(
                pages=None if all_pages else pages,
                articles=not no_articles,
                workers=workers,
                progress=bar.update,
                refresh=refresh,
                events=not no_events,
                on_start=bar.start,
            )
        finally:
            bar.stop()
        if as_json:
            print_json(term, report.to_dict())
        else:
            term.write(report.summary() + "\n")
        if report.interrupted:
            raise typer.Exit(ExitCode.INTERRUPTED)
        if report.failed:
            for warning in report.warnings():
                term.warn(warning)
            raise typer.Exit(ExitCode.FAILURE)


class SyncBar:
    """The estimate line (when the site asks for a Crawl-delay) and the progress bar on
    stderr when it is a terminal, with the pace and the time left at that pace."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        self._update: Callable[[int, int], None] | None = None
        self._stop: Callable[[], None] = lambda: None

    def start(self, estimate: "Estimate") -> None:
        delay = estimate.delay
        if not delay:
            self._update, self._stop = self.term.progress(_("Syncing articles"))
            return
        self.term.info(estimate_line(estimate))
        label = _("Syncing, one request every {delay} s").format(delay=f"{delay:g}")
        self._update, self._stop = self.term.progress(label, lambda: paced_columns(label, delay))

    def update(self, done: int, total: int) -> None:
        if self._update is not None:
            self._update(done, total)

    def stop(self) -> None:
        self._stop()


def duration(seconds: float) -> str:
    """About how long, in words a person reads at a glance: "40 s", "11 min", "2 h 05"."""
    if seconds < 60:
        return _("{n} s").format(n=math.ceil(seconds))
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return _("{n} min").format(n=minutes)
    return _("{h} h {m:02d}").format(h=minutes // 60, m=minutes % 60)


def estimate_line(estimate: "Estimate") -> str:
    return ngettext(
        "robots.txt asks for {delay} s between requests: about {count} request, ≈ {time}.",
        "robots.txt asks for {delay} s between requests: about {count} requests, ≈ {time}.",
        estimate.requests,
    ).format(delay=f"{estimate.delay:g}", count=estimate.requests, time=duration(estimate.seconds))


def paced_columns(label: str, delay: float) -> tuple[Any, ...]:
    """The sync bar at the site's pace: the time left is what the pages still to fetch take
    at one every `delay` seconds (Rich's own estimate knows nothing of the pace at first)."""
    from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn, Task, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class PacedRemaining(ProgressColumn):
        def render(self, task: Task) -> Text:
            if task.total is None:
                return Text("≈ …")
            return Text("≈ " + duration(max(0.0, task.total - task.completed) * delay))

    return TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), PacedRemaining()
