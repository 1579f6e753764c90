"""The command line in the interface language: `--help` (byte for byte what typer writes in
English, no English framework word left in French), click's usage errors, `--language`."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer

from lillenews.base import i18n
from lillenews.base.i18n import N_
from lillenews.cli.i18n import (
    TranslatedGroup,
    language_option,
    option_value,
    translate_help,
    translate_usage_error,
)

try:  # typer >= 0.26 vendors click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer with click installed
    from click.exceptions import UsageError  # type: ignore[no-redef]


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    i18n.set_language(None)


def _app(translated: bool) -> typer.Typer:
    extra = {"cls": TranslatedGroup} if translated else {}
    app = typer.Typer(name="demo", help="A demo.", rich_markup_mode=None, add_completion=True, **extra)
    sub = typer.Typer(help="Sub commands.", rich_markup_mode=None, **extra)
    app.add_typer(sub, name="cache")

    @app.command("list")
    def list_cmd(
        limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many."),
        debug: bool = typer.Option(False, "--debug", help=N_("Show tracebacks on errors.")),
        where: str = typer.Option(..., "--where", help="Where."),
        token: str = typer.Option("x", "--token", envvar="DEMO_TOKEN", show_envvar=True, help="Token."),
    ) -> None:
        """List things."""

    @app.command("read", help=N_("Read an article in full."))
    def read_cmd(target: str = typer.Argument(..., metavar="N", help="Which.")) -> None:
        pass

    @sub.command("info")
    def info_cmd(as_json: bool = typer.Option(False, "--json", help="JSON.")) -> None:
        """Info."""

    return app


def help_of(app: typer.Typer, *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        app([*args, "--help"], prog_name="demo")
    return out.getvalue()


@pytest.mark.parametrize("args", [(), ("list",), ("read",), ("cache",), ("cache", "info")])
def test_english_help_is_exactly_what_typer_writes(args):
    i18n.set_language("en")
    assert help_of(_app(True), *args) == help_of(_app(False), *args)


@pytest.mark.parametrize("args", [(), ("list",), ("read",), ("cache",), ("cache", "info")])
def test_french_help_has_no_english_framework_words(args):
    i18n.set_language("fr")
    text = help_of(_app(True), *args)
    assert text.startswith("Utilisation : demo")
    assert "Afficher ce message et quitter." in text
    for english in (
        "Usage:",
        "Options:",
        "Commands:",
        "Arguments:",
        "Show this message",
        "default:",
        "required",
        "env var",
        "Install completion",
    ):
        assert english not in text, (english, text)


def test_french_help_of_a_command():
    i18n.set_language("fr")
    text = help_of(_app(True), "list")
    assert "Options :" in text
    assert "[par défaut : 20 ; un nombre à partir de 1]" in " ".join(text.split())
    assert "[obligatoire]" in text
    assert "variable d'environnement : DEMO_TOKEN" in text
    root = help_of(_app(True))
    assert "Commandes :" in root and "Installer la complétion pour le shell courant." in root
    assert "Arguments :" in help_of(_app(True), "read")


def test_only_typer_extras_are_touched():
    i18n.set_language("fr")
    assert translate_help("Seconds [env X; default 10].") == "Seconds [env X; default 10]."
    assert translate_help("Pick one  [x>=1]") == "Pick one  [un nombre à partir de 1]"  # click's range, in words
    assert translate_help("How many.  [default: 5; x>=1]") == "How many.  [par défaut : 5 ; un nombre à partir de 1]"
    assert translate_help("At most.  [x<=8]") == "At most.  [un nombre jusqu'à 8]"
    assert translate_help("Odd.  [0<x<1]") == "Odd.  [0<x<1]"  # a form not known: as click wrote it


def test_lillenews_help_strings_are_translated_each_time_the_app_is_built():
    app = _app(True)
    i18n.set_language("fr")
    french = " ".join(help_of(app, "list").split())  # unwrapped
    assert "Afficher la trace complète (traceback) en cas d'erreur." in french
    assert "Lire un article en entier." in help_of(app)  # the command list
    assert "Lire un article en entier." in help_of(app, "read")
    i18n.set_language("en")  # the same app object, built again by the next call
    english = " ".join(help_of(app, "list").split())
    assert "Show tracebacks on errors." in english and "traceback)" not in english
    assert "Read an article in full." in help_of(app, "read")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--language", "fr", "list"], "fr"),
        (["--language=EN", "list"], "en"),
        (["list", "--language", "fr"], "fr"),
        (["list"], None),
        (["--language", "de", "list"], None),  # left to the settings to refuse
        (["--language"], None),
        (["search", "--", "--language", "fr"], None),
        (["--language", "fr", "--language", "en"], "en"),  # the last one wins, as in click
    ],
)
def test_language_option_is_read_before_click(argv, expected):
    assert language_option(argv) == expected


def test_option_value_reads_both_spellings():
    assert option_value(["--config-dir", "/a", "list"], "--config-dir") == "/a"
    assert option_value(["--config-dir=/b"], "--config-dir") == "/b"
    assert option_value(["--config-directory=/b"], "--config-dir") is None
    assert option_value(["--config-dir"], "--config-dir") is None


def _usage_app() -> typer.Typer:
    app = typer.Typer()

    @app.command("list")
    def list_cmd(
        limit: int = typer.Option(20, "--limit", "-n", min=1),
        timeout: float = typer.Option(1.0, "--timeout"),
        json: bool = typer.Option(False, "--json"),
    ) -> None:
        pass

    @app.command("read")
    def read_cmd(target: str = typer.Argument(..., metavar="N|URL")) -> None:
        pass

    return app


def click_says(*args: str) -> str:
    """The message the installed click gives for these arguments."""
    with pytest.raises(UsageError) as caught:
        _usage_app()(args=list(args), prog_name="lillenews", standalone_mode=False)
    return caught.value.format_message()


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (("list", "--limt", "3"), "option inconnue : --limt (options possibles : --limit, --timeout)"),
        (("list", "--nope"), "option inconnue : --nope"),
        (("read",), "il manque le numéro ou l'adresse (N|URL)."),
        (
            ("list", "-n", "abc"),
            "valeur invalide pour « --limit » / « -n » : « abc » n'est pas un nombre entier valide.",
        ),
        (("list", "-n", "0"), "valeur invalide pour « --limit » / « -n » : 0 n'est pas un nombre à partir de 1."),
        (("list", "--timeout", "soon"), "valeur invalide pour « --timeout » : « soon » n'est pas un nombre valide."),
        (("list", "-n"), "l'option « -n » attend une valeur."),
        (("list", "--json=3"), "l'option « --json » n'accepte pas de valeur."),
        (("lst",), "commande inconnue « lst » ; vouliez-vous dire « list » ?"),
        (("nothing",), "commande inconnue « nothing »."),
        ((), "commande manquante."),
    ],
)
def test_click_usage_errors_in_french(args, french):
    english = click_says(*args)
    i18n.set_language("fr")
    assert translate_usage_error(english) == french
    i18n.set_language("en")
    assert translate_usage_error(english) == english


def test_extra_arguments_in_french():
    english = click_says("read", "1", "2")
    i18n.set_language("fr")
    assert translate_usage_error(english).startswith("argument")
    assert "en trop (2)" in translate_usage_error(english)


def test_an_unknown_message_is_left_as_click_wrote_it():
    i18n.set_language("fr")
    assert translate_usage_error("Something click never said before.") == "Something click never said before."
    # a known frame with an unknown problem: the frame is translated, the problem kept
    assert (
        translate_usage_error("Invalid value for '--x': it is purple.")
        == "valeur invalide pour « --x » : it is purple."
    )


@pytest.mark.parametrize("width", range(40, 100, 2))
def test_french_help_is_not_cut_before_a_colon(monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    i18n.set_language("fr")
    text = help_of(_app(True), "list")
    assert "\u00a0" not in text
    for line in text.splitlines():
        assert not line.strip().startswith((":", "?", "!", ";")), (width, text)
