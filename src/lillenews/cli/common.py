"""What every command module shares: the state main() hands the commands, the façade
session, mutually exclusive flags and JSON output. Kept apart from cli/app.py so the command
modules (events, cache, doctor, browse) never import cli/app.py back."""

# No `from __future__ import annotations`: see cli/app.py (typer reads annotations).
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from lillenews.base.errors import UsageError
from lillenews.base.i18n import _
from lillenews.cli.terminal import Terminal

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.app.facade import LilleNews


class State:
    """What `main()` hands every command (click's ctx.obj): the terminal and the global options."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.options: dict[str, Any] = {}


def state_of(ctx: typer.Context | None) -> State:
    obj = ctx.obj if ctx is not None else None
    if not isinstance(obj, State):  # the app run without main() (e.g. click's test runner)
        obj = State(Terminal())
        if ctx is not None:
            ctx.obj = obj
    return obj


@contextmanager
def session(ctx: typer.Context | None) -> Iterator[tuple["LilleNews", Terminal]]:
    """The façade over the resolved settings, closed at the end of the command."""
    from lillenews.base.startup import uncollected_imports

    with uncollected_imports("lillenews.app.facade"):  # the façade and the stores: most of a warm command's own imports
        from lillenews.app.facade import LilleNews
        from lillenews.base.config import load_settings

    state = state_of(ctx)
    term = state.terminal
    news = LilleNews.for_settings(load_settings(state.options, environ=term.environ), warn=term.warn)
    try:
        yield news, term
    finally:
        news.close()


def exclusive(**flags: bool) -> None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        together = _("{first} and {second} cannot be used together")
        raise UsageError(together.format(first=", ".join("--" + c for c in chosen[:-1]), second="--" + chosen[-1]))


def print_json(term: Terminal, data: Any) -> None:
    from lillenews.views.jsonout import to_json

    # A stdout that cannot show every character (LC_ALL=C) gets \u escapes: the same JSON.
    term.write(to_json(data, ascii_only=not term.unicode_stdout) + "\n")


class Commands:
    """Commands declared in their own module and added to the app by `register(app)`,
    so that module never imports cli/app.py (the app imports it)."""

    def __init__(self) -> None:
        self._declared: list[tuple[str, dict[str, Any], Callable[..., Any]]] = []

    def command(self, name: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def declare(function: Callable[..., Any]) -> Callable[..., Any]:
            self._declared.append((name, options, function))
            return function

        return declare

    def register(self, app: typer.Typer) -> None:
        for name, options, function in self._declared:
            app.command(name, **options)(function)
