"""The `search` command's argument rule (issue 11): after the first search word, an
argument starting with '-' is a search word (`lillenews search vélo -travaux`), not an
option; before it, an unknown option's error says how to search for such a word."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand

try:  # typer >= 0.26 vendors click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer with click installed
    import click.exceptions as click_exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]

from .i18n import _
from .query import WORD_MARK, protect_dash_words, unmark

WORDS_HELP = (
    'Every word must match (case, accents, œ/oe, ’/\' ignored); -word excludes one; "a phrase". '
    "--full also takes OR, NOT, NEAR(a b, 5), prefix* (see README)."
)


class SearchCommand(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        options: dict[str, bool] = {"--help": False}
        for param in self.get_params(ctx):
            if param.param_type_name == "option":  # typer's own Option class: no isinstance
                takes_value = not getattr(param, "is_flag", False) and not getattr(param, "count", False)
                for name in (*param.opts, *param.secondary_opts):
                    options[name] = takes_value
        try:
            rest = super().parse_args(ctx, protect_dash_words(args, options))
        except click_exceptions.NoSuchOption as exc:
            if exc.option_name.startswith("--"):
                raise
            word = next((a for a in args if a.startswith(exc.option_name)), exc.option_name)
            raise click_exceptions.UsageError(
                _(
                    "no such option: {option}; to search for {word!r}, write it after another word "
                    "(vélo {word}) or after -- (lillenews search -- {word} vélo)"
                ).format(option=exc.option_name, word=word),
                ctx,
            ) from None
        words = ctx.params.get("words")
        if isinstance(words, (list, tuple)) and any(str(w).startswith(WORD_MARK) for w in words):
            ctx.params["words"] = unmark([str(w) for w in words])
        return rest
