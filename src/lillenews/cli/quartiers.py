"""Quartiers at the command line (README, "Mon quartier"): the `--quartier NAME` option the
commands share (and the `quartier` setting behind it), `list --quartier`, and `lillenews
quartiers`. Added to the main typer app by `register(app)` (cli/app.py).

On every command's start-up path: typer and base only here; the vocabulary
(site/quartiers.py) is imported when a quartier is asked for."""

# No `from __future__ import annotations`: typer evals string annotations at every start (see app.py).
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from lillenews.base.errors import ConfigError, UsageError
from lillenews.base.i18n import N_, _, ngettext, number
from lillenews.cli.common import Commands, print_json, session

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.app.facade import LilleNews
    from lillenews.app.quartiers import FilteredListing
    from lillenews.base.config import Settings
    from lillenews.cli.terminal import Terminal

_commands = Commands()
register = _commands.register

# Translated when typer builds the commands (cli/i18n.py): marked here, given as help= there.
QUARTIER_HELP = N_(
    "Only what names this quartier (repeat for any of several; 'all': every one) [env LILLENEWS_QUARTIER]."
)
PAGES_HELP = N_("With --quartier: read at most N listing pages [default 5].")


def wanted_quartiers(values: Sequence[str] | None, settings: "Settings") -> frozenset[str]:
    """The quartier names `--quartier` asks for, else the `quartier` setting's; empty: no
    filter (`all`). A name that is no quartier is a usage error naming the nearest ones."""
    if values:
        return _resolve(values)
    if not settings.quartier:
        return frozenset()
    try:
        return _resolve(settings.quartier)
    except UsageError as exc:
        where = _("the quartier setting (LILLENEWS_QUARTIER or quartier in {path})").format(path=settings.config_file)
        raise ConfigError(_("{where}: {error}").format(where=where, error=exc)) from None


def _resolve(values: Sequence[str]) -> frozenset[str]:
    from lillenews.site import quartiers as vocabulary

    every = [v for v in values if vocabulary.is_all(v)]
    if every and len(every) < len(values):
        raise UsageError(_("--quartier all cannot be combined with quartier names"))
    return frozenset() if every else frozenset(vocabulary.resolve(v).name for v in values)


def show_filtered_list(
    news: "LilleNews",
    term: "Terminal",
    wanted: frozenset[str],
    *,
    limit: int | None,
    pages: int | None,
    refresh: bool,
    offline: bool,
    unread: bool,
    as_json: bool,
) -> None:
    """`list --quartier`: the matches, numbered as in the listing, and how far back it looked."""
    from lillenews.cli.screen import show_rows
    from lillenews.views.model import headline_row

    with term.waiting(_("Reading the listing…")):
        result = news.quartiers.listing(
            wanted, limit, pages=pages, refresh=refresh, offline=offline, unread_only=unread
        )
    rows = [headline_row(item, quartiers=result.tags[item.headline.url]) for item in result.items]
    if as_json:
        from lillenews.views.jsonout import headline_dict

        print_json(term, [headline_dict(row) for row in rows])
    elif not rows:
        names = ", ".join(sorted(wanted))
        term.info(_("No headline names {names}.").format(names=names))
    else:
        show_rows(term, rows)
    term.info(looked_through(result, limit))
    news.mark_seen(result.items)


def looked_through(result: "FilteredListing", limit: int | None) -> str:
    """How far back a filtered listing looked, and how to look further."""
    from lillenews.views.model import short_date

    pages = ngettext("{n} listing page", "{n} listing pages", result.pages).format(n=number(result.pages))
    headlines = ngettext("{n} headline", "{n} headlines", result.headlines).format(n=number(result.headlines))
    if result.oldest:
        headlines = _("{headlines}, back to {date}").format(headlines=headlines, date=short_date(result.oldest))
    if result.complete:
        return _("Looked through the whole listing: {pages} ({headlines}).").format(pages=pages, headlines=headlines)
    looked = _("Looked through {pages} ({headlines}).").format(pages=pages, headlines=headlines)
    if limit is None or len(result.items) < limit:
        looked += " " + _("More with --pages N or --all.")
    return looked


@_commands.command(
    "quartiers",
    help=N_("The quartiers of Lille, with how many cached headlines and upcoming events name each."),
    short_help=N_("The quartiers, with counts of cached news and events."),
)
def quartiers_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help=N_("Print JSON (see README) instead of a table.")),
) -> None:
    with session(ctx) as (news, term):
        counts = news.quartiers.counts()
        if as_json:
            print_json(
                term,
                [
                    {"name": c.name, "variants": list(c.variants), "headlines": c.headlines, "events": c.events}
                    for c in counts
                ],
            )
            return
        from lillenews.views.status import quartiers_text

        term.write(quartiers_text([(c.name, c.headlines, c.events) for c in counts]))
        if term.stdout_isatty:
            term.info(_("Counts of the cache: run 'lillenews sync' and 'lillenews events --all' to fill it."))
