"""French typography at the terminal: the words a no-break space binds stay on
one line when text wraps, and what is printed holds plain spaces."""

from __future__ import annotations

import io

import pytest
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from lillenews.base.typography import NBSP, bind, unbind
from lillenews.views.rich_text import BoundText


@pytest.mark.parametrize(
    ("plain", "bound"),
    [
        ("Crédit : Ville de Lille", "Crédit\u00a0: Ville de Lille"),
        ("Vraiment ? Oui ! Non ; peut-être", "Vraiment\u00a0? Oui\u00a0! Non\u00a0; peut-être"),
        ("« Lire aussi »", "«\u00a0Lire aussi\u00a0»"),
        ("au 03 20 49 50 00 pour", "au 03\u00a020\u00a049\u00a050\u00a000 pour"),
        ("au +33 3 20 49 50 00.", "au +33\u00a03\u00a020\u00a049\u00a050\u00a000."),
        ("2 000 habitants et 1 250 000 €", "2\u00a0000 habitants et 1\u00a0250\u00a0000\u00a0€"),
        ("40 % des places", "40\u00a0% des places"),
        # nothing to bind: dates, years next to small numbers, URLs, English colons
        ("les 20 et 27 février 2021", "les 20 et 27 février 2021"),
        ("en 2021 20 personnes", "en 2021 20 personnes"),
        ("https://www.lille.fr/Actualites a:b", "https://www.lille.fr/Actualites a:b"),
        ("", ""),
    ],
)
def test_bind_puts_no_break_spaces_where_french_typography_wants_them(plain, bound):
    assert bind(plain) == bound
    assert unbind(bound) == plain


def test_unbind_turns_every_kind_of_no_break_space_into_a_space():
    assert unbind("a\u00a0b\u202fc\u2007d") == "a b c d"


def render(text: Text, width: int) -> list[str]:
    out = io.StringIO()
    # In a container, as the renderers print it (Console.print merges bare Text objects into one plain Text).
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(Group(text))
    return out.getvalue().rstrip("\n").split("\n")


SENTENCE = "Renseignements au 03 20 49 50 00 — Crédit : Ville de Lille"


@pytest.mark.parametrize("width", range(15, 60))  # the longest bound group fits
def test_bound_words_are_never_split_across_lines(width):
    lines = render(BoundText(bind(SENTENCE)), width)
    joined = "\n".join(lines)
    assert NBSP not in joined and "\ue000" not in joined  # plain spaces are printed
    assert " ".join(line.strip() for line in lines) == SENTENCE
    for line in lines:
        assert not line.rstrip().endswith((" 03", " 20", " 49", " 50", "Crédit")), (width, lines)
        assert not line.lstrip().startswith((":", "20 49", "49 50", "50 00", "00 ")), (width, lines)


def test_a_plain_text_would_split_them():
    """The test above can fail: Rich alone breaks at a no-break space."""
    split = [render(Text(bind(SENTENCE)), w) for w in range(15, 60)]
    assert any(line.lstrip().startswith(":") or line.rstrip().endswith(" 49") for lines in split for line in lines)


def test_styles_survive_and_text_without_bound_spaces_is_untouched():
    text = BoundText("Titre ")
    text.append(bind("Crédit : Ville"), style="bold")
    out = io.StringIO()
    Console(file=out, width=12, color_system="standard", force_terminal=True).print(Group(text))
    assert out.getvalue().split("\n")[1].startswith("\x1b[1mCrédit :")
    assert render(BoundText("un deux trois quatre"), 8) == render(Text("un deux trois quatre"), 8)


def test_a_table_column_is_as_wide_as_a_bound_group():
    table = Table.grid()
    table.add_column()
    table.add_row(BoundText(bind("Appelez le 03 20 49 50 00")))
    lines = render(table, 14)  # type: ignore[arg-type]
    assert any("03 20 49 50 00" in line for line in lines), lines


@pytest.mark.parametrize("width", range(15, 60))
def test_textwrap_keeps_bound_words_together_too(width):
    """The plain-text renderer relies on it: textwrap splits on ASCII whitespace only."""
    import textwrap

    lines = [unbind(line) for line in textwrap.wrap(bind(SENTENCE), width, break_on_hyphens=False)]
    assert " ".join(lines) == SENTENCE
    assert not any(line.startswith(":") or line.endswith((" 49", " 03", "Crédit")) for line in lines), lines


def test_bind_keeps_the_length_so_spans_stay_valid():
    text = "Titre  :  « Lire »  et 03 20 49 50 00 ?"
    assert len(bind(text)) == len(text)
    assert unbind(bind(text)) == text
