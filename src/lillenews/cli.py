"""The command line: typer only, each command a few lines calling the core.

Domain errors become one `Error: ...` line and an exit code in `main()`, the one
place that maps exceptions to exit codes."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, List, Optional

import typer

from . import __version__
from .errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, LilleNewsError, UsageError

app = typer.Typer(
    name="lillenews",
    help="Read the news of the City of Lille (www.lille.fr) in your terminal, online or offline.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the local cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


class Terminal:
    """stdout/stderr consoles following NO_COLOR, TTY detection and widths."""

    def __init__(self) -> None:
        self.stdout = sys.stdout
        self.stderr = sys.stderr
        self._out = None
        self._err = None

    @property
    def out(self):
        if self._out is None:
            from rich.console import Console

            self._out = Console(file=self.stdout, highlight=False, emoji=False, markup=False,
                                no_color=bool(os.environ.get("NO_COLOR")) or None)
        return self._out

    @property
    def err(self):
        if self._err is None:
            from rich.console import Console

            self._err = Console(file=self.stderr, highlight=False, emoji=False, markup=False,
                                no_color=bool(os.environ.get("NO_COLOR")) or None)
        return self._err

    @property
    def width(self) -> int:
        """Columns for plain output: COLUMNS, else 80 (as Rich does for pipes)."""
        try:
            return max(20, int(os.environ.get("COLUMNS", "")))
        except ValueError:
            return 80

    @property
    def rich_stdout(self) -> bool:
        """Rich (colours, hyperlinks, pager) only for a terminal; pipes get plain text."""
        return self.stdout_is_tty or bool(os.environ.get("FORCE_COLOR"))

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    @property
    def stdout_is_tty(self) -> bool:
        try:
            return self.stdout.isatty()
        except (AttributeError, ValueError):
            return False

    def _stderr_is_tty(self) -> bool:
        try:
            return self.stderr.isatty()
        except (AttributeError, ValueError):
            return False

    def warn(self, message: str) -> None:
        if not self._stderr_is_tty():
            self.stderr.write(f"Warning: {message}\n")
            self.stderr.flush()
            return
        from rich.text import Text

        text = Text("Warning: ", style="bold yellow")
        text.append(message)
        self.err.print(text, soft_wrap=True)

    def info(self, message: str) -> None:
        if not self._stderr_is_tty():
            self.stderr.write(message + "\n")
            self.stderr.flush()
            return
        from rich.text import Text

        self.err.print(Text(message, style="dim"), soft_wrap=True)

    def show(self, renderable) -> None:
        """Print to stdout; piped output loses the padding Rich adds to line ends."""
        console = self.out
        if console.is_terminal:
            console.print(renderable)
            return
        with console.capture() as capture:
            console.print(renderable)
        lines = capture.get().split("\n")
        self.stdout.write("\n".join(line.rstrip() for line in lines))
        self.stdout.flush()

    def listing(self, items, highlights=None, snippets: bool = False) -> None:
        """A listing (or search results) as a Rich table at a terminal, plain text otherwise."""
        if self.rich_stdout:
            from .render import listing_table

            self.show(listing_table(items, self.out.width, highlights=highlights, snippets=snippets))
        else:
            from .plain import listing_text

            self.write(listing_text(items, self.width, snippets=snippets))

    def json(self, data) -> None:
        from .render import to_json

        self.stdout.write(to_json(data) + "\n")
        self.stdout.flush()


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lillenews {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Site to read [env LILLENEWS_BASE_URL; default https://www.lille.fr]."),
    timeout: Optional[str] = typer.Option(None, "--timeout", help="Seconds per request [env LILLENEWS_TIMEOUT; default 10]."),
    cache_dir: Optional[str] = typer.Option(None, "--cache-dir", help="Cache directory [env LILLENEWS_CACHE_DIR]."),
    data_dir: Optional[str] = typer.Option(None, "--data-dir", help="Directory for read marks [env LILLENEWS_DATA_DIR]."),
    config_dir: Optional[str] = typer.Option(None, "--config-dir", help="Directory holding config.toml [env LILLENEWS_CONFIG_DIR]."),
) -> None:
    ctx.obj = {"base_url": base_url, "timeout": timeout, "cache_dir": cache_dir, "data_dir": data_dir,
               "config_dir": config_dir}


@contextmanager
def session(ctx: typer.Context) -> Iterator[tuple["object", Terminal]]:
    from .config import load_settings
    from .core import LilleNews

    term = Terminal()
    settings = load_settings(ctx.obj or {})
    news = LilleNews(settings, warn=term.warn)
    try:
        yield news, term
    finally:
        news.close()


def _exclusive(**flags: bool) -> None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join('--' + c for c in chosen)} cannot be used together")


# ---------------------------------------------------------------------- commands
@app.command("list")
def list_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many headlines (follows the pagination)."),
    all_pages: bool = typer.Option(False, "--all", help="Every page of the listing."),
    unread: bool = typer.Option(False, "--unread", help="Only headlines you have not read."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch even if the cached listing is fresh."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README) instead of a table."),
) -> None:
    """List the latest headlines, numbered (1 = newest)."""
    _exclusive(refresh=refresh, offline=offline)
    with session(ctx) as (news, term):
        result = news.listing(None if all_pages else limit, refresh=refresh, offline=offline, unread_only=unread)
        items = result.items
        if as_json:
            from .render import headline_dict

            term.json([headline_dict(i) for i in items])
        elif not items:
            term.info("No unread headlines." if unread else "No headlines.")
        else:
            term.listing(items)
            if not result.complete and not all_pages and term.stdout_is_tty:
                term.info("More with --limit N or --all. Read one with: lillenews read N")
        news.mark_seen(items)


@app.command("read")
def read_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="N|URL", help="Article number from the listing, or its www.lille.fr URL."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch the article again even if cached."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the article as Markdown."),
    pager: Optional[bool] = typer.Option(None, "--pager/--no-pager", help="Page long articles [default: when stdout is a terminal]."),
) -> None:
    """Read an article in full."""
    _exclusive(json=as_json, markdown=markdown)
    _exclusive(refresh=refresh, offline=offline)
    with session(ctx) as (news, term):
        result = news.article(target, refresh=refresh, offline=offline)
        if as_json:
            from .render import article_dict

            term.json(article_dict(result.article, result.number))
            return
        if markdown:
            from .render import article_markdown

            term.stdout.write(article_markdown(result.article))
            return
        if not term.rich_stdout:
            from .plain import article_text

            term.write(article_text(result.article, result.number, term.width))
            return
        from .render import article_renderable, rendered_height

        console = term.out
        view = article_renderable(result.article, result.number, hyperlinks=console.is_terminal)
        use_pager = term.stdout_is_tty and pager is not False and (
            pager is True or rendered_height(view, console.width) > console.height)
        if use_pager:
            os.environ.setdefault("LESS", "-FRX")
            with console.pager(styles=True, links=True):
                console.print(view)
        else:
            term.show(view)


@app.command("search")
def search_cmd(
    ctx: typer.Context,
    words: List[str] = typer.Argument(..., metavar="WORDS...", help="Every word must match (accents and case ignored)."),
    full: bool = typer.Option(False, "--full", help="Search the full text of cached articles (FTS5; see 'sync')."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many results."),
    offline: bool = typer.Option(False, "--offline", help="Use the cache only; never touch the network."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (see README)."),
) -> None:
    """Search headlines and summaries (or, with --full, the articles' text)."""
    with session(ctx) as (news, term):
        from .render import headline_dict

        if full:
            items = [_snippet_highlight(i) for i in news.search_full(words, limit=limit or 20)]
            highlights = {i.number: ([], i.extra["spans"]) for i in items}
        else:
            found = news.search(words, limit=limit, offline=offline)
            items = [item for item, _, _ in found]
            highlights = {item.number: (t, s) for item, t, s in found}
        if as_json:
            term.json([headline_dict(i) for i in items])
        elif not items:
            term.info(f"No {'article' if full else 'headline'} matches {' '.join(words)!r}.")
        else:
            term.listing(items, highlights=highlights, snippets=full)


@app.command("sync")
def sync_cmd(
    ctx: typer.Context,
    pages: int = typer.Option(5, "--pages", "-p", min=1, help="How many listing pages to refresh."),
    all_pages: bool = typer.Option(False, "--all", help="Every listing page."),
    no_articles: bool = typer.Option(False, "--no-articles", help="Refresh the listing only."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, max=8,
                                          help="Concurrent requests (1-8) [env LILLENEWS_WORKERS; default 4]."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Fetch the listing and every new or changed article for offline reading."""
    with session(ctx) as (news, term):
        progress_cb, stop = _progress(term, "Syncing articles")
        try:
            report = news.sync(pages=None if all_pages else pages, articles=not no_articles,
                               workers=workers, progress=progress_cb)
        finally:
            stop()
        if as_json:
            term.json({"headlines": report.headlines, "new": report.new, "updated": report.updated,
                       "unchanged": report.unchanged, "interrupted": report.interrupted,
                       "failed": [{"url": u, "error": c} for u, c in report.failed]})
        else:
            term.stdout.write(report.summary() + "\n")
        if report.interrupted:
            raise typer.Exit(130)
        if report.failed:
            for url, cause in report.failed[:10]:
                term.warn(f"could not fetch {url}: {cause}")
            more = f" ({len(report.failed) - 10} more not shown)" if len(report.failed) > 10 else ""
            term.warn(f"{len(report.failed)} article(s) failed{more}; they will be tried again at the next sync")
            raise typer.Exit(EXIT_FAILURE)


def _progress(term: Terminal, label: str):
    """A Rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not term._stderr_is_tty():  # checked without Rich: piped runs never import it
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=term.err, transient=True)
    task = bar.add_task(label, total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar.stop


@app.command("mark")
def mark_cmd(
    ctx: typer.Context,
    targets: Optional[List[str]] = typer.Argument(None, metavar="[N|URL]...", help="Articles to mark."),
    all_listed: bool = typer.Option(False, "--all", help="Every headline of the cached listing."),
    unread: bool = typer.Option(False, "--unread", help="Mark as unread instead."),
) -> None:
    """Mark articles as read (or unread) without reading them."""
    with session(ctx) as (news, term):
        count = news.mark(targets or [], all_listed=all_listed, unread=unread)
        term.info(f"Marked {count} article{'s' if count != 1 else ''} as {'unread' if unread else 'read'}.")


@app.command("open")
def open_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="N|URL", help="Article number from the listing, or its URL."),
) -> None:
    """Open an article in the web browser (prints the URL when there is none)."""
    import webbrowser

    with session(ctx) as (news, term):
        url, _ = news.resolve(target)
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            term.stdout.write(url + "\n")
            term.info("No web browser found; the article's URL is above.")


@app.command("feed")
def feed_cmd(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="How many entries."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    refresh: bool = typer.Option(False, "--refresh", help="Refresh the listing first when it is stale."),
) -> None:
    """Print an Atom 1.0 feed of the cached news (full text when cached)."""
    from .feed import atom_feed

    with session(ctx) as (news, term):
        entries = news.feed_entries(limit=limit, offline=not refresh)
        xml = atom_feed(entries, news.settings.listing_url, news.now())
        if output:
            _write_atomic(output, xml)
            term.info(f"Wrote {len(entries)} entries to {output}.")
        else:
            term.stdout.write(xml)


def _write_atomic(path: str, text: str) -> None:
    import tempfile
    from pathlib import Path

    from .errors import LilleNewsError

    target = Path(path)
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent or ".", delete=False,
                                         prefix=f".{target.name}.") as tmp:
            tmp.write(text)
        os.replace(tmp.name, target)
    except OSError as exc:
        raise LilleNewsError(f"cannot write {path}: {exc.strerror or exc}") from None


@cache_app.command("info")
def cache_info_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Size, counts, age and location of the cache."""
    with session(ctx.parent) as (news, term):
        info = news.cache_info()
        if as_json:
            term.json(info)
            return
        from rich.table import Table
        from rich.text import Text

        from .core import describe_age

        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        rows = [
            ("Cache file", info["path"]),
            ("Size", f"{info['size_bytes'] / 1024:.0f} KiB"),
            ("Headlines", f"{info['headlines']} on {info['listing_pages']} listing page(s)"),
            ("Articles", str(info["articles"])),
            ("Last fetch", "never" if info["newest_fetch_age_s"] is None else describe_age(info["newest_fetch_age_s"])),
            ("Oldest fetch", "never" if info["oldest_fetch_age_s"] is None else describe_age(info["oldest_fetch_age_s"])),
            ("Read marks", info["data_dir"]),
            ("Config file", info["config_file"]),
        ]
        for key, value in rows:
            table.add_row(Text(key), Text(value))
        term.show(table)


@cache_app.command("clear")
def cache_clear_cmd(ctx: typer.Context) -> None:
    """Delete every cached page and article (read marks are kept)."""
    with session(ctx.parent) as (news, term):
        info = news.cache_clear()
        term.info(f"Cleared {info['articles']} articles and {info['listing_pages']} listing pages from {info['path']}.")


@cache_app.command("path")
def cache_path_cmd(ctx: typer.Context) -> None:
    """Print the cache directory."""
    from .config import load_settings

    sys.stdout.write(str(load_settings((ctx.parent.obj if ctx.parent else None) or {}).cache_dir) + "\n")


def _snippet_highlight(item):
    """Turn the \\x02..\\x03 markers of an FTS snippet into highlight spans."""
    raw = item.snippet or ""
    spans, out, start = [], [], None
    for ch in raw:
        if ch == "\x02":
            start = len("".join(out))
        elif ch == "\x03" and start is not None:
            spans.append((start, len("".join(out))))
            start = None
        else:
            out.append(ch)
    return item._replace(snippet="".join(out), extra={"spans": spans})


# ---------------------------------------------------------------------- entry point
def main(argv: Optional[List[str]] = None) -> int:
    """Run the CLI; return the exit code. Every error ends as one line on stderr."""
    try:  # typer >= 0.26 vendors click
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover - older typer with click installed
        import click.exceptions as click  # type: ignore[no-redef]

    args = _numbers_are_arguments(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in args or bool(os.environ.get("LILLENEWS_DEBUG"))
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of raising it.
        code = app(args=args, prog_name="lillenews", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except LilleNewsError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        _error(str(exc))
        return exc.exit_code
    except (typer.Exit, getattr(click, "Exit", typer.Exit)) as exc:
        return exc.exit_code
    except (typer.Abort, getattr(click, "Abort", typer.Abort)):
        _error("interrupted")
        return 130
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return EXIT_OK
        hint = f" (see 'lillenews {exc.ctx.command_path.split(' ', 1)[1] + ' ' if exc.ctx and ' ' in exc.ctx.command_path else ''}--help')"
        _error(exc.format_message().rstrip(".") + hint)
        return EXIT_USAGE
    except click.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `lillenews list | head`): not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a traceback without --debug
        if debug:
            raise
        _error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details, and please report it)")
        return EXIT_FAILURE


def _numbers_are_arguments(args: List[str]) -> List[str]:
    """`read -1` is a (bad) article number, not an unknown option: let the command
    say which numbers exist."""
    for i in range(1, len(args)):
        if args[i - 1] in ("read", "open", "mark") and args[i].startswith("-") and args[i][1:].isdigit():
            return args[:i] + ["--"] + args[i:]
    return args


def _error(message: str) -> None:
    message = " ".join(message.split())
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
