"""Click's usage errors in the interface language (typer vendors click with English
messages hard-coded): the real messages of the installed typer are translated."""

from __future__ import annotations

import pytest
import typer

from lillenews import i18n
from lillenews.usage_errors import translate_usage_error

try:  # typer >= 0.26 vendors click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer with click installed
    from click.exceptions import UsageError  # type: ignore[no-redef]


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    i18n.set_language(None)


def _app() -> typer.Typer:
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
        _app()(args=list(args), prog_name="lillenews", standalone_mode=False)
    return caught.value.format_message()


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (("list", "--limt", "3"), "option inconnue : --limt (options possibles : --limit, --timeout)"),
        (("list", "--nope"), "option inconnue : --nope"),
        (("read",), "argument manquant : 'N|URL'."),
        (("list", "-n", "abc"), "valeur invalide pour '--limit' / '-n' : 'abc' n'est pas un nombre entier valide."),
        (("list", "-n", "0"), "valeur invalide pour '--limit' / '-n' : 0 n'est pas dans l'intervalle x>=1."),
        (("list", "--timeout", "soon"), "valeur invalide pour '--timeout' : 'soon' n'est pas un nombre valide."),
        (("list", "-n"), "l'option '-n' attend une valeur."),
        (("list", "--json=3"), "l'option '--json' n'accepte pas de valeur."),
        (("lst",), "commande inconnue 'lst' ; vouliez-vous dire 'list' ?"),
        (("nothing",), "commande inconnue 'nothing'."),
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
        translate_usage_error("Invalid value for '--x': it is purple.") == "valeur invalide pour '--x' : it is purple."
    )
