"""The command line: typer commands only. Each parses its options, calls the façade
(`app.facade.LilleNews`) and hands the result to a renderer through the `Terminal`.

Domain errors become one `Error: ...` line and an exit code in cli/exits.py, the one
place that maps exceptions to exit codes (base.errors.ExitCode); `main()` calls it."""

# No `from __future__ import annotations` here: typer reads every command's annotations
# at start-up, and string annotations cost it a compile() and eval() each (~3 ms in all).
import copy
import functools
import sys
from collections.abc import Mapping, Sequence
from typing import Annotated

import typer

from lillenews import __version__
from lillenews.base.errors import ExitCode, UsageError
from lillenews.base.i18n import _, ngettext, set_language
from lillenews.cli.common import State, exclusive, print_json, session, state_of
from lillenews.cli.exits import exit_code_of
from lillenews.cli.i18n import TranslatedGroup, choose_language
from lillenews.cli.quartiers import PAGES_HELP, QUARTIER_HELP, wanted_quartiers
from lillenews.cli.screen import show_article, show_rows
from lillenews.cli.search import WORDS_HELP, SearchCommand
from lillenews.cli.terminal import Terminal

app = typer.Typer(
    name="lillenews",
    help="Read the news of the City of Lille (www.lille.fr) in your terminal, online or offline.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=TranslatedGroup,  # help texts (extracted by tools/i18n.py) translated when the commands are built
)


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        state_of(ctx).terminal.write(f"lillenews {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    base_url: str | None = typer.Option(
        None, "--base-url", metavar="URL", help="Site to read [env LILLENEWS_BASE_URL; default https://www.lille.fr]."
    ),
    timeout: str | None = typer.Option(
        None, "--timeout", metavar="SECONDS", help="Seconds per request [env LILLENEWS_TIMEOUT; default 10]."
    ),
    cache_dir: str | None = typer.Option(
        None, "--cache-dir", metavar="DIR", help="Cache directory [env LILLENEWS_CACHE_DIR]."
    ),
    data_dir: str | None = typer.Option(
        None, "--data-dir", metavar="DIR", help="Directory for read marks [env LILLENEWS_DATA_DIR]."
    ),
    config_dir: str | None = typer.Option(
        None, "--config-dir", metavar="DIR", help="Directory holding config.toml [env LILLENEWS_CONFIG_DIR]."
    ),
    language: str | None = typer.Option(
        None, "--language", metavar="fr|en", help="Interface language [env LILLENEWS_LANGUAGE]."
    ),
) -> None:
    state_of(ctx).options = {
        "base_url": base_url,
        "timeout": timeout,
        "cache_dir": cache_dir,
        "data_dir": data_dir,
        "config_dir": config_dir,
        "language": language,  # applied by main() before click ran (cli/i18n.py choose_language)
    }


# ---------------------------------------------------------------------- commands
@app.command("list")
def list_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(
        20, "--limit", "-n", min=1, metavar="N", help="How many headlines (follows the pagination)."
    ),
    all_pages: bool = typer.Option(False, "--all", help="Every page of the listing."),
    unread: bool = typer.Option(False, "--unread", help="Only headlines you have not read."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch even if the cached listing is fresh."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README) instead of a table."),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
    pages: int | None = typer.Option(None, "--pages", "-p", min=1, metavar="N", help=PAGES_HELP),
) -> None:
    """List the latest headlines, numbered (1 = newest)."""
    from lillenews.views.model import headline_row

    exclusive(refresh=refresh, offline=offline)
    with session(ctx) as (news, term):
        wanted = wanted_quartiers(quartier, news.settings)
        if wanted:
            from lillenews.cli.quartiers import show_filtered_list

            show_filtered_list(
                news, term, wanted, limit=None if all_pages else limit, pages=None if all_pages else pages or 5,
                refresh=refresh, offline=offline, unread=unread, as_json=as_json,
            )  # fmt: skip
            return
        if pages is not None:
            raise UsageError(_("--pages limits a --quartier list; without one, use --limit N"))
        with term.waiting(_("Reading the listing…")):
            result = news.listing(
                limit=None if all_pages else limit, refresh=refresh, offline=offline, unread_only=unread
            )
        rows = [headline_row(item) for item in result.items]
        if as_json:
            from lillenews.views.jsonout import headline_dict

            tags = news.quartiers.of_headlines(item.headline for item in result.items)
            print_json(term, [headline_dict(row._replace(quartiers=tags[row.url])) for row in rows])
        elif not rows:
            term.info(_("No unread headlines.") if unread else _("No headlines."))
        else:
            show_rows(term, rows)
            if not result.complete and not all_pages and term.stdout_isatty:
                term.info(_("More with --limit N or --all. Read one with: lillenews read N"))
        news.mark_seen(result.items)


@app.command("read")
def read_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(
        ..., metavar="N|URL", help="Article number from the listing, or its www.lille.fr URL."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch the article again even if cached."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the article as Markdown."),
    pager: bool | None = typer.Option(
        None, "--pager/--no-pager", help="Page long articles [default: when stdout is a terminal]."
    ),
    hyperlinks: str | None = typer.Option(
        None,
        "--hyperlinks",
        metavar="WHEN",
        help="Clickable links: auto, always or never [env LILLENEWS_HYPERLINKS; default auto].",
    ),
) -> None:
    """Read an article in full."""
    from lillenews.views.model import article_view

    exclusive(json=as_json, markdown=markdown)
    exclusive(refresh=refresh, offline=offline)
    state_of(ctx).options["hyperlinks"] = hyperlinks
    with session(ctx) as (news, term):
        with term.waiting(_("Fetching the article…")):
            result = news.article(target, refresh=refresh, offline=offline)
        view = article_view(result.article, result.number, listed=result.listed, numbers=result.numbers)
        measure = news.settings.measure
        if as_json:
            from lillenews.views.jsonout import article_dict

            tags = news.quartiers.of_article(result.article, result.listed)
            print_json(term, article_dict(view._replace(quartiers=tags)))
        elif markdown:
            from lillenews.views.markdown import article_markdown

            term.write(article_markdown(view))
        elif not term.rich_stdout:
            from lillenews.views.plain import article_text

            term.write(article_text(view, min(term.plain_width, measure)))
        else:
            show_article(term, view, pager, term.hyperlinks(news.settings.hyperlinks), measure)


@app.command("search", cls=SearchCommand, short_help="Search headlines, or articles' text with --full.")
def search_cmd(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help=WORDS_HELP)],
    full: bool = typer.Option(False, "--full", help="Search the full text of cached articles (FTS5; see 'sync')."),
    limit: int | None = typer.Option(None, "--limit", "-n", min=1, metavar="N", help="At most this many results."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README)."),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
) -> None:
    """Search headlines and summaries (or, with --full, the articles' text)."""
    from lillenews.views.model import search_rows, snippet_row

    shown = limit or 20 if full else limit  # the headline search shows every match by default
    with session(ctx) as (news, term):
        wanted = wanted_quartiers(quartier, news.settings)
        with term.waiting(_("Searching…")):
            ask = None if shown is None else shown + 1  # one more: are there more than shown?
            if full:
                found = news.search_full(words, limit=ask or 21, quartiers=wanted)
                rows = [snippet_row(item) for item in found]
            else:
                hits = news.search(words, limit=ask, offline=offline, quartiers=wanted)
                found = [hit.item for hit in hits]
                rows = search_rows(hits)
        more = shown is not None and len(rows) > shown
        rows, found = rows[:shown], found[:shown]
        if as_json:
            from lillenews.views.jsonout import headline_dict

            tags = news.quartiers.of_headlines(item.headline for item in found)
            print_json(term, [headline_dict(row._replace(quartiers=tags[row.url])) for row in rows])
        elif not rows:
            nothing = _("No article matches {words!r}.") if full else _("No headline matches {words!r}.")
            term.info(nothing.format(words=" ".join(words)))
        else:
            show_rows(term, rows)
            if more and term.stdout_isatty:
                term.info(_("More with --limit N. Read one with: lillenews read N"))


@app.command("mark")
def mark_cmd(
    ctx: typer.Context,
    targets: Annotated[list[str] | None, typer.Argument(metavar="[N|URL]...", help="Articles to mark.")] = None,
    all_listed: bool = typer.Option(False, "--all", help="Every headline of the cached listing."),
    unread: bool = typer.Option(False, "--unread", help="Mark as unread instead."),
) -> None:
    """Mark articles as read (or unread) without reading them."""
    with session(ctx) as (news, term):
        count = news.mark(targets or [], all_listed=all_listed, unread=unread)
        from lillenews.views.status import marked

        term.info(marked(count, unread=unread))


@app.command("open", short_help="Open an article in the web browser.")
def open_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="N|URL", help="Article number from the listing, or its URL."),
    event: bool = typer.Option(False, "--event", help="N is an event number (from 'lillenews events')."),
) -> None:
    """Open an article (or an event) in the web browser (prints the URL when there is none)."""
    import webbrowser

    with session(ctx) as (news, term):
        url, _number = news.events.resolve(target, news.site_url) if event else news.resolve(target)
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            term.write(url + "\n")
            term.info(_("No web browser found; the address is above."))


@app.command("feed", short_help="Print an Atom feed of the cached news.")
def feed_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", min=1, metavar="N", help="How many entries."),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to this file instead of stdout."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Refresh the listing first when it is stale."),
    self_url: str | None = typer.Option(None, "--self-url", metavar="URL", help="The feed's own address (rel=self)."),
    category: str | None = typer.Option(
        None, "--category", metavar="NAME", help="Only this category (case and accents ignored)."
    ),
    quartier: list[str] | None = typer.Option(None, "--quartier", metavar="NAME", help=QUARTIER_HELP),
) -> None:
    """Print an Atom 1.0 feed of the cached news (full text when cached); same cache, same bytes."""
    from lillenews.base.urls import absolute_http_url
    from lillenews.cli.output import write_output
    from lillenews.views.atom import atom_feed
    from lillenews.views.model import feed_views

    if self_url is not None and not absolute_http_url(self_url):  # it goes into <link rel="self">
        raise UsageError(
            _("--self-url expects an absolute http:// or https:// address, got {url!r}").format(url=self_url)
        )
    with session(ctx) as (news, term):
        wanted = wanted_quartiers(quartier, news.settings)
        entries = feed_views(news.feed_entries(limit=limit, offline=not refresh, category=category, quartiers=wanted))
        first_seen = news.first_seen(row.url for row, _ in entries)
        xml = atom_feed(entries, news.settings.listing_url, first_seen, self_url=self_url).encode("utf-8")
        if output and write_output(term, output, xml):  # a UTF-8 document whatever the locale
            wrote = ngettext("Wrote {count} entry to {path}.", "Wrote {count} entries to {path}.", len(entries))
            term.info(wrote.format(count=len(entries), path=output))
        elif not output:
            term.write_bytes(xml)


# ---------------------------------------------------------------------- entry point
def main(argv: Sequence[str] | None = None, *, terminal: Terminal | None = None) -> int:
    """Run the CLI; return the exit code. Every error ends as one line on stderr.

    `terminal` is where the commands print (a test passes one built on StringIO);
    by default the process's own stdout/stderr and environment."""
    term = terminal or Terminal()
    args = _numbers_are_arguments(list(sys.argv[1:] if argv is None else argv))
    args = _browse_if_no_args(args, term)
    debug = "--debug" in args or bool(term.environ.get("LILLENEWS_DEBUG"))
    set_language(choose_language(args, term.environ))  # before click runs: its help and errors follow it too
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of raising it.
        code = _tree_for(args, term.environ)(args=args, prog_name="lillenews", standalone_mode=False, obj=State(term))
        return code if isinstance(code, int) else ExitCode.OK
    except BaseException as exc:  # noqa: BLE001 - the one top-level handler
        if isinstance(exc, SystemExit):
            raise
        return exit_code_of(exc, term, debug=debug)


# The main callback's options that take a value: their value is never the command's name.
_VALUED = frozenset(("--base-url", "--timeout", "--cache-dir", "--data-dir", "--config-dir", "--language"))


def _tree_for(args: Sequence[str], environ: Mapping[str, str]) -> typer.Typer:
    """The app with only the invoked command registered, when `args` name one (typer builds
    the click command of every registered command at each start: ~3 ms for all of them,
    ~0.5 ms for `list` alone). The whole tree for everything else: group help, --version,
    an unknown or misspelt command (its "did you mean"), and shell completion."""
    if any(key.startswith("_LILLENEWS_COMPLETE") for key in environ):
        return whole_app()
    i = 0
    while i < len(args) and args[i].startswith("-"):
        if args[i] == "--":
            return whole_app()
        i += 2 if args[i] in _VALUED else 1
    name = args[i] if i < len(args) else None
    return _lean(name) if name in _OWN or name in ELSEWHERE else whole_app()


# The commands kept in their own modules (cli/<module>.py, each added by its register(app)),
# by name. A module is imported and registers its commands only when one of them runs, or
# for the whole app; cli/quartiers.py alone is imported by every command (the --quartier
# option's help and resolution, above), and registers `quartiers` only then too.
ELSEWHERE = {
    "events": "events",
    "event": "events",
    "sync": "sync",
    "cache": "cache",
    "doctor": "doctor",
    "browse": "browse",
    "quartiers": "quartiers",
    "new": "new",
}
_OWN = frozenset(c.name for c in app.registered_commands)  # list, read, search, mark, open, feed


def _register(lean: typer.Typer, module: str) -> None:
    # __import__, not importlib.import_module: the same import as a statement's, which
    # `python -X importtime` reports (the start-up guard in the tests reads it).
    getattr(__import__("lillenews.cli", fromlist=[module]), module).register(lean)


@functools.cache  # registered once: the same object at every call of main() in a process
def whole_app() -> typer.Typer:
    """The app with every command, in the order of `lillenews --help`."""
    for module in dict.fromkeys(ELSEWHERE.values()):
        _register(app, module)
    return app


@functools.cache  # one copy per command: the same object at every call of main() in a process
def _lean(name: str) -> typer.Typer:
    lean = copy.copy(app)  # same callback, settings and group class; one command
    lean.registered_commands, lean.registered_groups = [], []
    source = app
    if name in ELSEWHERE:  # its module registers its commands on the copy itself
        _register(lean, ELSEWHERE[name])
        source = lean
    lean.registered_commands = [c for c in source.registered_commands if c.name == name]
    lean.registered_groups = [g for g in source.registered_groups if g.name == name]
    return lean


def _browse_if_no_args(args: list[str], term: Terminal) -> list[str]:
    if args or not term.stdout_isatty:  # the common case decided without importing cli/browse.py
        return args
    from lillenews.cli.browse import browse_if_no_args

    return browse_if_no_args(args, term.stdout_isatty)


def _numbers_are_arguments(args: list[str]) -> list[str]:
    """`read -1` is a (bad) article number, not an unknown option: let the command
    say which numbers exist."""
    for i in range(1, len(args)):
        if args[i - 1] in ("read", "open", "mark", "event") and args[i].startswith("-") and args[i][1:].isdigit():
            return args[:i] + ["--"] + args[i:]
    return args
