"""`lillenews doctor`: the drift self-check's command (the check: doctor/check.py; report:
doctor/report.py; saved pages: doctor/save.py). Hooked into cli/app.py by `register(app)`."""

from pathlib import Path

import typer

from lillenews.base.i18n import N_, _


def register(app: typer.Typer) -> None:
    help_text = N_(  # translated when typer builds the command (cli/i18n.py TranslatedGroup)
        "Check how well lillenews understands the site: fetch the news listing, its second page, "
        "one article, the events listing and one event, and say which markup layer gave every "
        "field. Exit 1 when a required field was not read from the known lille.fr markup, or a "
        "page could not be fetched. Nothing is sent anywhere, and the cache is neither read nor written."
    )
    short = N_("Check how well lillenews understands the site.")
    app.command("doctor", help=help_text, short_help=short)(doctor_cmd)


def doctor_cmd(
    ctx: typer.Context,
    save: Path | None = typer.Option(
        None,
        "--save",
        metavar="DIR",
        help=N_("Also write the fetched pages and meta.json into DIR (for a bug report)."),
    ),
    from_dir: Path | None = typer.Option(
        None, "--from", metavar="DIR", help=N_("Report on pages saved by --save instead of fetching (offline).")
    ),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the report as JSON (see README).")),
) -> None:
    """The drift self-check (help text: see register)."""
    from lillenews.app.agenda import listing_url as events_listing_url
    from lillenews.cli.common import exclusive, print_json, session
    from lillenews.doctor.check import run
    from lillenews.doctor.network import network_fetch
    from lillenews.doctor.report import exit_code, report_dict, report_rich, report_text, report_view
    from lillenews.doctor.save import replay
    from lillenews.doctor.save import save as save_pages

    exclusive(save=save is not None, **{"from": from_dir is not None})
    with session(ctx) as (news, term):
        if from_dir is not None:
            report = replay(from_dir, today=news.ctx.today())
        else:
            ctx_ = news.ctx  # the fetcher and clock only: doctor never opens the cache
            ctx_.keep_robots = False  # robots.txt: fetched once for this run, kept nowhere
            ctx_.expect_several()
            fetch = network_fetch(ctx_.fetcher, ctx_.clock)
            events_url = events_listing_url(news.settings.base_url)
            report = run(fetch, news.settings.listing_url, events_url=events_url, today=ctx_.today())
            gate = ctx_.fetcher.robots  # read for the first request (fetched now if none was made)
            report = report._replace(robots=gate.rules().summary(gate.url))
        if save is not None:
            files = save_pages(report, save, site=news.settings.base_url, now=news.now())
            term.info(_("Saved {n} files in {dir}.").format(n=len(files), dir=save))
        if as_json:
            print_json(term, report_dict(report))
        elif term.rich_stdout:
            term.show(report_rich(report_view(report)))
        else:
            term.write(report_text(report_view(report)))
        code = exit_code(report)
        if code:
            raise typer.Exit(code)
