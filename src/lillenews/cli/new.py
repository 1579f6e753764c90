"""`lillenews new`: what is new since `new` last looked, for scripts and cron (README,
"Cron and notifications"). Added to the main typer app by `register(app)` (cli/app.py).

Its exit status is grep's: 0 when it reported at least one item, 1 when nothing is new
(not a failure), 2 for bad usage, 3 for any run-time failure (the site unreachable
included: then nothing is marked seen), 130 when interrupted.

`--exec 'CMD ARG…'` runs CMD once per item without a shell: the template is split into
words as a POSIX shell would (shlex), then `{title}`, `{url}`, … are replaced inside each
word, in one pass (a title holding `{url}` stays as it is); the item's JSON goes to
stdin. Site text is only ever an argument: it never reaches a shell."""

# No `from __future__ import annotations`: typer evals string annotations at every start (see app.py).
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import typer

from lillenews.base.errors import ExitCode, FetchError, LilleNewsError, UsageError
from lillenews.base.i18n import N_, _, ngettext, number
from lillenews.cli.common import Commands, exclusive, print_json, session
from lillenews.cli.quartiers import QUARTIER_HELP, wanted_quartiers

if TYPE_CHECKING:  # pragma: no cover
    import datetime as _dt

    from lillenews.app.new import NewBatch, NewItem
    from lillenews.cli.terminal import Terminal
    from lillenews.views.model import HeadlineRow

_commands = Commands()
register = _commands.register

NOTHING_NEW = 1  # like grep: no match is not a failure
NEW_FAILED = 3  # any run-time failure of `new` (its 1 means "nothing new")
FIELDS = ("title", "url", "date", "category", "number", "quartiers")
FIELD = r"\{(" + "|".join(FIELDS) + r")\}"  # compiled when used: this module is on every start-up path


class NewFailed(LilleNewsError):
    """A run-time failure of `new`: exit 3, since its 1 means "nothing new"."""

    exit_code = NEW_FAILED  # type: ignore[assignment]


@_commands.command(
    "new",
    help=N_(
        "Headlines (and, with --events, events) that 'new' never reported before, newest first. "
        "Exit 0: something new; 1: nothing new; 3: a failure."
    ),
    short_help=N_("What is new since the last run (for scripts and cron)."),
)
def new_cmd(
    ctx: typer.Context,
    events: bool = typer.Option(False, "--events", help=N_("Newly listed events too.")),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
    pages: int = typer.Option(
        5,
        "--pages",
        "-p",
        min=1,
        metavar="N",
        help=N_("Read at most N listing pages (the next only while all is new)."),
    ),
    report_all: bool = typer.Option(
        False, "--all", help=N_("On the first run, report everything listed (else it is only remembered).")
    ),
    offline: bool = typer.Option(False, "--offline", help=N_("Compare the cache only; never touch the network.")),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the new items as JSON (see README).")),
    command: str | None = typer.Option(
        None,
        "--exec",
        metavar="'CMD ARG…'",
        help=N_(
            "Run CMD for each new item, without a shell; {title} {url} {date} {category} {number} {quartiers} "
            "in ARGs are replaced, the item's JSON goes to stdin."
        ),
    ),
) -> None:
    exclusive(json=as_json, exec=command is not None)
    words = command_words(command) if command is not None else None  # bad usage fails before any request
    try:
        with session(ctx) as (news, term):
            wanted = wanted_quartiers(quartier, news.settings)
            with term.waiting(_("Looking for news…")):
                batch = news.new(events=events, pages=pages, offline=offline, report_all=report_all, quartiers=wanted)
            try:
                code = _report(term, batch, news.events.today, as_json=as_json, words=words)
            finally:
                batch.close()  # what was not reported stays new
    except (UsageError, NewFailed):
        raise
    except FetchError as exc:
        raise NewFailed(exc.explained()) from exc
    except LilleNewsError as exc:
        raise NewFailed(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - exit 3, never 1 ("nothing new"), whatever went wrong
        unexpected = _("unexpected {kind}: {error} (run with --debug for details, and please report it)")
        raise NewFailed(unexpected.format(kind=type(exc).__name__, error=exc)) from exc
    raise typer.Exit(code)


def _report(term: "Terminal", batch: "NewBatch", today: "_dt.date", *, as_json: bool, words: list[str] | None) -> int:
    """Print (or hand to the command) the claimed items; the exit code."""
    if batch.remembered:
        term.info(_first_run(batch.remembered))
    if not batch.items:
        if term.stdout_isatty and not batch.remembered:
            term.info(_("Nothing new."))
        return NOTHING_NEW
    if words is not None:
        return run_each(term, batch, words, today)
    if as_json:
        print_json(term, [item_dict(item, today) for item in batch.items])
    else:
        from lillenews.cli.screen import show_rows

        show_rows(term, [item_row(item) for item in batch.items])
    batch.confirm(batch.items)
    return ExitCode.OK


def _first_run(remembered: Mapping[str, int]) -> str:
    parts = []
    if "news" in remembered:
        parts.append(ngettext("{n} headline", "{n} headlines", remembered["news"]).format(n=number(remembered["news"])))
    if "event" in remembered:
        parts.append(ngettext("{n} event", "{n} events", remembered["event"]).format(n=number(remembered["event"])))
    return _("First run: remembered {what}; from now on, 'lillenews new' reports what appears.").format(
        what=_(" and ").join(parts)
    )


# ---------------------------------------------------------------------- what an item shows
def item_row(item: "NewItem") -> "HeadlineRow":
    """A row of `list`'s table; an event shows its dates, category and place, without number."""
    from lillenews.base.models import DateRange
    from lillenews.views.event_model import where
    from lillenews.views.model import HeadlineRow, headline_row, safe

    if item.headline is not None:
        return headline_row(item.headline, quartiers=item.quartiers)
    assert item.event is not None
    e = item.event
    return HeadlineRow(
        number=None, url=e.url, title=safe(e.title),
        dates=DateRange(e.dates.start or e.dates.end, e.dates.end if e.dates.start else None),  # "until X": X
        category=safe(e.category), summary=where(e.place, e.address), quartiers=item.quartiers,
    )  # fmt: skip


def item_dict(item: "NewItem", today: "_dt.date") -> dict[str, Any]:
    """`new --json`'s item (and an --exec command's stdin): `list --json`'s or `events --json`'s, with `kind`."""
    if item.headline is not None:
        from lillenews.views.jsonout import headline_dict

        return {"kind": "news", **headline_dict(item_row(item))}
    from lillenews.base.dates import is_ongoing

    assert item.event is not None
    event = item.event
    return {
        "kind": "event",
        "number": None,
        **event.to_dict(),
        "ongoing": is_ongoing(event.dates, today),
        "quartiers": list(item.quartiers),
    }


# ---------------------------------------------------------------------- --exec
def command_words(template: str) -> list[str]:
    """The --exec template split as a POSIX shell splits words (no shell runs it)."""
    import shlex

    try:
        words = shlex.split(template)
    except ValueError as exc:
        unreadable = _("cannot read the --exec command {command!r}: {error}")
        raise UsageError(unreadable.format(command=template, error=exc)) from None
    if not words:
        raise UsageError(_("--exec needs a command, e.g. --exec 'notify-send {title} {url}'"))
    return words


def fields(item: "NewItem") -> dict[str, str]:
    """What replaces each {field}: sanitised text on one line, "" when the item has none."""
    from lillenews.base.text import clean

    row = item_row(item)
    values = {
        "title": row.title,
        "url": row.url,
        "date": row.dates.iso_start or "",
        "category": row.category,
        "number": "" if row.number is None else str(row.number),
        "quartiers": ", ".join(item.quartiers),
    }
    return {name: clean(value) for name, value in values.items()}


def command_line(words: list[str], values: Mapping[str, str]) -> list[str]:
    """Each word with its {field}s replaced, in one pass: a value is never read again."""
    replace: Callable[[re.Match[str]], str] = lambda m: values[m.group(1)]  # noqa: E731
    return [re.sub(FIELD, replace, word) for word in words]


def run_each(term: "Terminal", batch: "NewBatch", words: list[str], today: "_dt.date") -> int:
    """Run the command once per item; an item is seen once its command exited 0."""
    import subprocess

    from lillenews.views.jsonout import to_json

    failed = 0
    for item in batch.items:
        argv = command_line(words, fields(item))
        stdin = (to_json(item_dict(item, today)) + "\n").encode("utf-8")
        try:
            done = subprocess.run(argv, input=stdin, check=False)  # noqa: S603 - no shell: argv as given
        except OSError as exc:
            cannot = _("could not run {command!r}: {error}; the new items stay new")
            term.warn(cannot.format(command=words[0], error=exc.strerror or exc))
            return NEW_FAILED
        if done.returncode == 0:
            batch.confirm([item])
            continue
        failed += 1
        if done.returncode < 0:
            killed = _("the command was killed by signal {signal} for {url}; it stays new")
            term.warn(killed.format(signal=-done.returncode, url=item.url))
        else:
            status = _("the command exited with status {status} for {url}; it stays new")
            term.warn(status.format(status=done.returncode, url=item.url))
    return NEW_FAILED if failed else ExitCode.OK
