"""What a French reader reads, end to end: numbers and units written the French way, click's
words (defaults, ranges, missing arguments) said in words, the doctor's report without English
field names and with agreeing genders, one quoting style (« … »), a French tool's hints, and
names sorted as a French reader expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_in_process

SAVED = Path(__file__).resolve().parents[1] / "fixtures" / "doctor_saves" / "local-generic"


@pytest.fixture
def french(monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")


def fr(*args: str):
    return run_in_process(*args)


# ------------------------------------------------------------------ numbers and units
def test_the_doctor_writes_numbers_and_units_the_french_way(dirs, french):
    out = fr("doctor", "--from", str(SAVED)).stdout
    assert re.search(r"Taille +3 808 octets\n", out), out
    assert re.search(r"Durée +0,00 s\n", out) and not re.search(r"\d\.\d\d s\b", out)
    assert "3,808" not in out


def test_numbers_stay_english_in_english(dirs):
    out = run_in_process("doctor", "--from", str(SAVED)).stdout
    assert re.search(r"Size +3,808 bytes\n", out) and re.search(r"Time +0\.00 s\n", out), out


def test_a_settings_range_is_written_the_french_way(dirs, french, monkeypatch):
    monkeypatch.setenv("LILLENEWS_TIMEOUT", "0")
    r = fr("list")
    assert r.exit_code == 2 and "un nombre de 0,1 à 300" in r.stderr, r.stderr


def test_the_number_rule_written_once():
    from lillenews.base import i18n

    i18n.set_language("fr")
    assert (i18n.number(14305), i18n.number(0.0123, 2), i18n.number(0.1), i18n.number(1234567.5)) == (
        "14 305", "0,01", "0,1", "1 234 567,5",
    )  # fmt: skip
    i18n.set_language("en")
    assert (i18n.number(14305), i18n.number(0.0123, 2), i18n.number(300.0)) == ("14,305", "0.01", "300")


# ------------------------------------------------------------------ click's words
def test_click_s_ranges_and_missing_arguments_in_words(dirs, french):
    help_text = " ".join(fr("sync", "--help").stdout.split())
    assert "[un nombre de 1 à 8]" in help_text and "1<=x<=8" not in help_text
    assert "[par défaut : 20 ; un nombre à partir de 1]" in " ".join(fr("list", "--help").stdout.split())
    missing = fr("search")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: il manque les mots à chercher (voir « lillenews search --help »)\n"
    assert "WORDS" not in missing.stderr and "'" not in missing.stderr
    assert fr("read").stderr.startswith("Error: il manque le numéro ou l'adresse (N|URL)")
    bad = fr("sync", "--workers", "9").stderr
    assert bad.startswith("Error: valeur invalide pour « --workers » / « -w » : 9 n'est pas un nombre de 1 à 8"), bad


def test_english_keeps_click_s_own_words(dirs):
    assert "[default: 20; x>=1]" in " ".join(run_in_process("list", "--help").stdout.split())
    assert "Missing argument 'WORDS...'" in run_in_process("search").stderr


# ------------------------------------------------------------------ doctor's report
def test_the_doctor_s_french_report_has_no_english_field_names_and_its_genders_agree(dirs, french):
    out = fr("doctor", "--from", str(SAVED)).stdout
    rows = [line.split() for line in out.splitlines() if re.match(r"  \S+\s+(connue|générique|aucune)\s+\d+", line)]
    assert rows, out
    names = {row[0] for row in rows}
    assert names >= {"éléments", "titre", "lien", "résumé", "catégorie", "chapô", "corps"}, names
    assert not names & {"items", "title", "link", "summary", "category", "lead", "body", "related"}, names
    assert {row[1] for row in rows} <= {"connue", "générique", "aucune"}  # la couche : connue, aucune
    warnings = [line for line in out.splitlines() if line.startswith("  - ")]
    assert warnings and all(re.match(r"  - [^:]*\S :", w) for w in warnings), warnings  # « Article : … »
    assert "champs facultatifs introuvables : catégorie" in out
    verdict = out.strip().splitlines()[-1]
    assert "liste des actualités : éléments, titre, lien ; liste, page 2 :" in verdict, verdict
    assert "items" not in verdict and "; " not in verdict.replace(" ; ", ""), verdict


# ------------------------------------------------------------------ quotes and hints
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("read", "xyz"), "reçu : « xyz »"),
        (("search", "--full", "vélo OR"), "requête plein texte invalide « vélo OR »"),
        (("search", "zzzqqq"), "Aucun titre ne correspond à « zzzqqq »."),
        (("feed", "--category", "zzzqqq"), "aucun titre en cache n'a la catégorie « zzzqqq »"),
    ],
)
def test_french_messages_quote_with_guillemets(cli, french, args, said):
    assert cli("list").exit_code == 0
    assert cli("read", "4").exit_code == 0
    r = fr(*args)
    assert said in r.stderr, r.stderr
    assert not re.search(r"'[^' ]+'", r.stderr.replace("l'", "").replace("d'", "")), r.stderr


def test_the_hint_after_a_listing_is_what_a_french_tool_says(cli, french):
    import io

    from lillenews.cli.app import main
    from lillenews.cli.terminal import Terminal

    term = Terminal(stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=True, width=100, height=60)
    assert main(["list"], terminal=term) == 0
    hint = term.stderr.getvalue()  # type: ignore[attr-defined]
    assert hint == "Pour en voir plus : --limit N ou --all ; pour en lire un : lillenews read N\n"


# ------------------------------------------------------------------ names in order
def test_names_sorted_as_a_french_reader_expects():
    from lillenews.base.text import name_order

    names = ["Sport", "Sécurité", "Urbanisme", "Santé", "Éducation", "Solidarité", "culture", "Environnement"]
    assert sorted(names, key=name_order) == [
        "culture", "Éducation", "Environnement", "Santé", "Sécurité", "Solidarité", "Sport", "Urbanisme",
    ]  # fmt: skip


def test_the_feed_s_unknown_category_lists_the_categories_in_french_order(cli):
    assert cli("list", "--all").exit_code == 0
    r = cli("feed", "--category", "zzz")
    assert r.exit_code == 2
    known = r.stderr.split("the categories are: ")[1].split(" (see")[0].strip().split(", ")
    assert known.index("Éducation") < known.index("Environnement") < known.index("Sécurité") < known.index("Solidarité")
    assert known.index("Santé") < known.index("Sécurité") if "Santé" in known else True
