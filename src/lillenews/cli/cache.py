"""`lillenews cache info|clear|path`: the cache's housekeeping commands.
Added to the main typer app by `register(app)` (cli/app.py)."""

import typer

from lillenews.cli.common import print_json, session, state_of
from lillenews.cli.i18n import TranslatedGroup

cache_app = typer.Typer(help="Inspect or clear the local cache.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache", cls=TranslatedGroup)


@cache_app.command("info")
def cache_info_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Size, counts, age and location of the cache."""
    with session(ctx) as (news, term):
        info = news.cache_info()
        if as_json:
            print_json(term, info)
            return
        from lillenews.views.rich_news import key_value_grid
        from lillenews.views.status import cache_info_rows

        term.show(key_value_grid(cache_info_rows(info)))


@cache_app.command("clear")
def cache_clear_cmd(ctx: typer.Context) -> None:
    """Delete every cached page and article (read marks are kept)."""
    with session(ctx) as (news, term):
        from lillenews.views.status import cache_cleared

        term.info(cache_cleared(news.cache_clear()))


@cache_app.command("path")
def cache_path_cmd(ctx: typer.Context) -> None:
    """Print the cache directory."""
    from lillenews.base.config import load_settings

    state = state_of(ctx)
    state.terminal.write(str(load_settings(state.options, environ=state.terminal.environ).cache_dir) + "\n")
