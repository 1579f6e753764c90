"""The interface language end to end (README, Language): the real CLI against the local
site, in French when the locale is French, in English otherwise or when asked; JSON,
exit codes and the literal Error:/Warning: prefixes the same in both."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import run_in_process, run_subprocess

FRENCH = {"LANG": "fr_FR.UTF-8"}


@pytest.fixture
def env(monkeypatch):
    """Set locale variables for one run (conftest leaves LANG=C.UTF-8 and clears the rest)."""

    def setenv(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return setenv


def header(stdout: str) -> list[str]:
    return stdout.splitlines()[0].split()


def test_a_french_locale_gives_french_headers(cli, env):
    env(LANG="fr_FR.UTF-8")
    r = cli("list")
    assert r.exit_code == 0, r.stderr
    assert header(r.stdout) == ["#", "Date", "Catégorie", "Titre"]


@pytest.mark.parametrize(
    ("variables", "args"),
    [
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "en"}, ()),
        ({"LANG": "fr_FR.UTF-8"}, ("--language", "en")),
        ({"LANG": "fr_FR.UTF-8", "LILLENEWS_LANGUAGE": "en"}, ()),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, ()),
        ({}, ()),
    ],
)
def test_english_when_asked_or_when_the_locale_is_not_french(cli, env, variables, args):
    env(**variables)
    r = cli(*args, "list")
    assert r.exit_code == 0, r.stderr
    assert header(r.stdout) == ["#", "Date", "Category", "Title"]


@pytest.mark.parametrize(
    ("variables", "args"),
    [
        ({"LANG": "C.UTF-8"}, ("--language", "fr")),
        ({"LILLENEWS_LANGUAGE": "fr"}, ()),
        ({"LANGUAGE": "fr_BE:en"}, ()),
    ],
)
def test_french_when_asked(cli, env, variables, args):
    env(**variables)
    r = cli(*args, "list")
    assert header(r.stdout) == ["#", "Date", "Catégorie", "Titre"]


def test_the_config_file_language_applies_to_help_and_output(cli, env, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text('language = "fr"\n', encoding="utf-8")
    assert header(cli("list").stdout)[2:] == ["Catégorie", "Titre"]
    assert "Lister les derniers titres" in " ".join(cli("--help").stdout.split())
    env(LILLENEWS_LANGUAGE="en")  # the environment variable beats the file
    assert header(cli("list").stdout)[2:] == ["Category", "Title"]


def test_json_is_the_same_in_every_language(cli, env):
    english = cli("list", "--json").stdout
    env(LANG="fr_FR.UTF-8")
    french = cli("list", "--json")
    assert french.exit_code == 0 and french.stdout == english
    assert json.loads(english)[0]["number"] == 1


def test_cache_info_in_french(cli, env):
    cli("list")
    env(LANG="fr_FR.UTF-8")
    r = cli("cache", "info")
    assert r.exit_code == 0, r.stderr
    for label in (
        "Fichier du cache",
        "Taille",
        "Titres",
        "Articles",
        "Dernier téléchargement",
        "Marques de lecture",
        "Fichier de configuration",
    ):
        assert label in r.stdout, r.stdout
    assert re.search(r"\d+ Kio\n", r.stdout) and re.search(r"Titres +20 sur 2 pages de la liste\n", r.stdout), r.stdout
    for english in ("Cache file", "Headlines", "Last fetch", "listing page"):
        assert english not in r.stdout


def test_an_error_in_french_after_the_literal_prefix(cli, env):
    cli("list")
    english = cli("read", "999")
    env(LANG="fr_FR.UTF-8")
    french = cli("read", "999")
    assert french.exit_code == english.exit_code == 2
    assert re.match(
        r"Error: pas d'article 999 \(la liste va de 1 à \d+\) ; lancez « lillenews list --all »", french.stderr
    )
    assert english.stderr.startswith("Error: no article 999"), english.stderr


def test_a_usage_error_from_click_in_french(cli, env):
    env(LANG="fr_FR.UTF-8")
    r = cli("list", "--nope")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: option inconnue : --nope"), r.stderr
    assert "lillenews list --help" in r.stderr
    r = cli("list", "--limit", "0")
    assert r.exit_code == 2 and "« --limit » / « -n » : 0 n'est pas un nombre à partir de 1" in r.stderr, r.stderr


def test_a_bad_language_is_a_usage_error(cli, env):
    for args, variables in ((("--language", "de"), {}), ((), {"LILLENEWS_LANGUAGE": "klingon"})):
        env(**variables)
        r = cli(*args, "list")
        assert r.exit_code == 2, r
        assert r.stderr.startswith("Error: invalid ") and "expected fr or en" in r.stderr, r.stderr


def test_french_help_in_a_real_process(dirs):
    r = run_subprocess("--help", env=FRENCH)
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert text.startswith("Utilisation : lillenews [OPTIONS] COMMAND [ARGS]...")
    assert "Lire les actualités de la Ville de Lille" in text
    assert "Lister les derniers titres, numérotés (1 = le plus récent)." in text
    assert "Langue de l'interface [env LILLENEWS_LANGUAGE]." in text
    assert "Afficher ce message et quitter." in text
    assert "Commandes :" in text and "Options :" in text
    for english in ("Usage:", "Show this message", "Commands:", "List the latest"):
        assert english not in text
    r = run_subprocess("list", "--help", env=FRENCH)
    assert "[par défaut : 20 ; un nombre à partir de 1]" in " ".join(r.stdout.split())


# ---------------------------------------------------------------- French typography
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("rich", [False, True], ids=["plain", "rich"])
def test_no_break_where_french_typography_binds_words(cli, site, monkeypatch, rich):
    """`Où en sont les projets ?`, `concertation : « Lille`, `40 %`: whatever the width,
    a line never starts with the punctuation nor ends on «, and plain spaces are printed."""
    from server import ARTICLE_PATHS

    if rich:
        monkeypatch.setenv("FORCE_COLOR", "1")  # the Rich renderer, though stdout is not a terminal
    url = site.base_url + ARTICLE_PATHS["entities"]
    assert cli("read", url).exit_code == 0
    for width in range(24, 90, 3):
        monkeypatch.setenv("COLUMNS", str(width))
        out = ANSI.sub("", cli("read", url, "--no-pager").stdout)
        assert "\u00a0" not in out and "\ue000" not in out
        lines = [line.strip() for line in out.splitlines() if line.strip() and "://" not in line]
        for line in lines:
            assert not line.startswith((":", ";", "!", "?", "»", "%")), (width, line, out)
            assert not line.endswith("«"), (width, line, out)
        assert "40 % des Lillois" in " ".join(out.split())


# ---------------------------------------------------------------- sync: French messages, English JSON
def test_sync_speaks_french_but_its_json_stays_english(dirs, monkeypatch):
    from server import FixtureServer
    from synth_site import FAILING_N, N_ARTICLES, build_site

    with FixtureServer() as srv:
        site = build_site(srv)  # article FAILING_N answers 500
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        english = run_in_process("sync", "--json")
        run_in_process("cache", "clear")
        monkeypatch.setenv("LANG", "fr_FR.UTF-8")
        french = run_in_process("sync", "--json")
        assert french.exit_code == english.exit_code == 1
        assert json.loads(french.stdout) == json.loads(english.stdout)
        assert json.loads(french.stdout)["failed"] == [
            {"url": srv.base_url + site.path(FAILING_N), "error": "the server answered 500 Internal Server Error"}
        ]
        lines = french.stderr.splitlines()
        assert (
            lines[0] == f"Warning: impossible de télécharger {srv.base_url + site.path(FAILING_N)} : "
            "le serveur a répondu 500 Internal Server Error"
        ), french.stderr
        assert lines[1] == "Warning: 1 article en échec ; il sera retenté à la prochaine synchronisation"
        r = run_in_process("sync")
        cached = N_ARTICLES - 1  # a polite sync does not ask for the cached articles again
        assert r.stdout == f"nouveaux : 0, mis à jour : 0, inchangés : 0, en échec : 1 ; {cached} déjà en cache\n"


def test_every_json_output_is_the_same_in_both_languages(cli, site, env):
    from server import ARTICLE_PATHS

    cli("list")
    url = site.base_url + ARTICLE_PATHS["entities"]
    commands = (("read", url, "--json"), ("search", "Lille", "--json"), ("search", "--full", "Lille", "--json"))
    outputs = {}
    for lang in ("C.UTF-8", "fr_FR.UTF-8"):
        env(LANG=lang)
        outputs[lang] = [cli(*args).stdout for args in commands]
    assert outputs["C.UTF-8"] == outputs["fr_FR.UTF-8"]
    assert json.loads(outputs["C.UTF-8"][0])["title"] == "Lille se métamorphose avec vous !"
    assert json.loads(outputs["C.UTF-8"][1]) and json.loads(outputs["C.UTF-8"][2])


def test_no_arguments_shows_the_help_in_french(cli, env):
    env(LANG="fr_FR.UTF-8")
    r = cli()
    assert r.exit_code == 0
    assert r.stdout.startswith("Utilisation : lillenews") and "Commandes :" in r.stdout


def test_every_help_follows_language_even_when_the_cli_was_imported_in_french(dirs):
    """Help strings are translated when the commands are built, not when modules are
    imported: a module marking its help with _() instead of N_() fails here."""
    code = (
        "import contextlib, io\n"
        "import typer.main\n"
        "from lillenews.cli.app import main, whole_app\n"
        "commands = sorted(typer.main.get_command(whole_app()).commands)\n"
        "for lang in ('en', 'fr'):\n"
        "    for cmd in [[]] + [[c] for c in commands]:\n"
        "        out = io.StringIO()\n"
        "        with contextlib.redirect_stdout(out):\n"
        "            main(['--language', lang, *cmd, '--help'])\n"
        "        print('=====', lang, *cmd)\n"
        "        print(out.getvalue())\n"
    )
    outputs = []
    for locale in ("fr_FR.UTF-8", "C.UTF-8"):  # the language of the process when the modules are imported
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "LANG": locale}
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    blocks = outputs[0].split("===== ")[1:]
    assert len(blocks) >= 2 * 12, len(blocks)
    for block in blocks:
        header, _, text = block.partition("\n")
        if header.startswith("en"):
            assert text.startswith("Usage: lillenews") and not set("éèàêç«»") & set(text), (header, text)
        else:
            assert text.startswith("Utilisation : lillenews") and "Afficher ce message et quitter." in text, header
