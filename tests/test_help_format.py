"""`--help` with click's and typer's own words in the interface language: byte for byte
what typer writes in English, and no English framework word left in French."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer

from lillenews import i18n
from lillenews.help_format import TranslatedGroup, translate_help


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
        where: str = typer.Option(..., "--where", help="Where."),
        token: str = typer.Option("x", "--token", envvar="DEMO_TOKEN", show_envvar=True, help="Token."),
    ) -> None:
        """List things."""

    @app.command("read")
    def read_cmd(target: str = typer.Argument(..., metavar="N", help="Which.")) -> None:
        """Read one."""

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
    assert "[par défaut : 20; x>=1]" in text
    assert "[obligatoire]" in text
    assert "variable d'environnement : DEMO_TOKEN" in text
    root = help_of(_app(True))
    assert "Commandes :" in root and "Installer la complétion pour le shell courant." in root
    assert "Arguments :" in help_of(_app(True), "read")


def test_only_typer_extras_are_touched():
    i18n.set_language("fr")
    assert translate_help("Seconds [env X; default 10].") == "Seconds [env X; default 10]."
    assert translate_help("Pick one  [x>=1]") == "Pick one  [x>=1]"
    assert translate_help("How many.  [default: 5; x>=1]") == "How many.  [par défaut : 5; x>=1]"
