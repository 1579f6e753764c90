"""The `search` command's argument rule: after the first search word, an
argument starting with '-' is a search word (`lillenews search vélo -travaux`), not an
option; before it, an unknown option's error says how to search for such a word."""

from __future__ import annotations

from typing import Any

from typer._click import exceptions as click_exceptions  # typer >= 0.26 vendors click (pyproject pins it)
from typer.core import TyperCommand

from lillenews.base.i18n import N_, _

WORD_MARK = "\u2063"  # INVISIBLE SEPARATOR: marks a -word for the option parser to leave alone


def protect_dash_words(args: list[str], options: dict[str, bool]) -> list[str]:
    """`search vélo -travaux`: after the first search word, an argument starting with '-'
    that is not one of the short `options` (name -> takes a value; "-n5" is "-n 5") is a
    search word, not an option.
    It is returned prefixed with WORD_MARK (strip it with `unmark`); '--' ends options."""
    out: list[str] = []
    seen_word = False
    expect_value = False
    for n, arg in enumerate(args):
        if arg == "--":
            return out + args[n:]
        if expect_value:
            expect_value = False
        elif arg.startswith("--"):
            expect_value = options.get(arg, False)  # long options stay options (a typo is an error)
        elif arg.startswith("-") and len(arg) > 1:
            name, attached = arg[:2], arg[2:]
            known = name in options and (not attached or (options[name] and (not seen_word or attached.isdigit())))
            if known:
                expect_value = options[name] and not attached
            elif seen_word:
                arg = WORD_MARK + arg
        else:
            seen_word = True
        out.append(arg)
    return out


def unmark(words: list[str]) -> list[str]:
    return [w.removeprefix(WORD_MARK) for w in words]


WORDS_HELP = N_(  # translated when typer builds the command (cli/i18n.py TranslatedGroup)
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
