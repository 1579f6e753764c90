"""`lillenews cache info|clear|path`: the cache's housekeeping commands.
Registered on the main typer app by one import at the end of cli.py."""

import typer

from .cli import _json, _state, app, session
from .cli_i18n import TranslatedGroup

cache_app = typer.Typer(help="Inspect or clear the local cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache", cls=TranslatedGroup)


@cache_app.command("info")
def cache_info_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Size, counts, age and location of the cache."""
    with session(ctx) as (news, term):
        info = news.cache_info()
        if as_json:
            _json(term, info)
            return
        from .render import key_value_grid
        from .view_status import cache_info_rows

        term.show(key_value_grid(cache_info_rows(info)))


@cache_app.command("clear")
def cache_clear_cmd(ctx: typer.Context) -> None:
    """Delete every cached page and article (read marks are kept)."""
    with session(ctx) as (news, term):
        from .view_status import cache_cleared

        term.info(cache_cleared(news.cache_clear()))


@cache_app.command("path")
def cache_path_cmd(ctx: typer.Context) -> None:
    """Print the cache directory."""
    from .config import load_settings

    state = _state(ctx)
    state.terminal.write(str(load_settings(state.options, environ=state.terminal.environ).cache_dir) + "\n")
