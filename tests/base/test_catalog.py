"""The interface catalog (README, Language): how the language is chosen, that every
marked string has a French entry, and that the shipped .mo is the compiled .po."""

from __future__ import annotations

import gettext
import importlib.util
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from lillenews.base import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "lillenews"


def _load_tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(autouse=True)
def _follow_the_environment_again():
    yield
    i18n.set_language(None)


# ------------------------------------------------------------------ choosing the language
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_BE"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "fr_FR@euro"}, "fr"),
        ({"LANG": "fr-CA"}, "fr"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        # gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG; the first non-empty one wins
        ({"LANGUAGE": "fr", "LC_ALL": "C", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANGUAGE": "", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        # LANGUAGE is a list of preferences: a language without a catalog is skipped, C ends the walk
        ({"LANGUAGE": "de:fr:en"}, "fr"),
        ({"LANGUAGE": "en:fr"}, "en"),
        ({"LANGUAGE": "C:fr"}, "en"),
        ({"LANGUAGE": "de", "LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_language_from_the_environment_as_gettext_reads_it(env, expected):
    assert i18n.language_from_env(env) == expected


def test_the_process_environment_is_read_when_no_setting_is_given(monkeypatch):
    for var in i18n.ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    i18n.set_language(None)
    assert i18n.language() == "fr"
    assert i18n._("Category") == "Catégorie"
    monkeypatch.setenv("LC_ALL", "C")
    i18n.set_language(None)  # resolved again after a reset
    assert i18n.language() == "en"
    assert i18n._("Category") == "Category"


def test_the_setting_overrides_the_environment(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr")
    i18n.set_language("en")
    assert (i18n.language(), i18n._("Category")) == ("en", "Category")
    monkeypatch.setenv("LANGUAGE", "C")
    i18n.set_language(" FR ")
    assert (i18n.language(), i18n._("Category")) == ("fr", "Catégorie")
    i18n.set_language(None)
    assert i18n.language() == "en"


@pytest.mark.parametrize("bad", ["de", "", "french", "fr_FR"])
def test_a_bad_setting_is_refused(bad):
    with pytest.raises(ValueError, match="expected fr or en"):
        i18n.set_language(bad)
    with pytest.raises(ValueError):
        i18n.parse_language(bad)


def test_french_plurals_treat_zero_and_one_as_singular():
    forms = ("{count} day ago", "{count} days ago")
    i18n.set_language("fr")
    assert [i18n.ngettext(*forms, n).format(count=n) for n in (0, 1, 2, 10)] == [
        "il y a 0 jour",
        "il y a 1 jour",
        "il y a 2 jours",
        "il y a 10 jours",
    ]
    i18n.set_language("en")
    assert [i18n.ngettext(*forms, n).format(count=n) for n in (0, 1, 2)] == ["0 days ago", "1 day ago", "2 days ago"]


def test_unknown_and_empty_messages_pass_through():
    i18n.set_language("fr")
    assert i18n._("not in the catalog") == "not in the catalog"
    assert i18n._("") == ""  # not the catalog's header
    assert i18n.N_("Category") == "Category"  # marked, translated later when shown


def test_english_never_opens_the_catalog_and_french_opens_it_once(monkeypatch):
    opened: list[str] = []
    real = i18n._load
    monkeypatch.setattr(i18n, "_load", lambda lang: opened.append(lang) or real(lang))
    i18n.set_language("en")
    assert i18n._("Category") == "Category"
    assert i18n.ngettext("{count} day ago", "{count} days ago", 2) == "{count} days ago"
    assert opened == []
    i18n.set_language("fr")
    assert opened == []  # choosing a language reads nothing
    i18n._("Category"), i18n._("Title"), i18n.ngettext("{count} day ago", "{count} days ago", 2)
    assert opened == ["fr"]


def test_a_missing_catalog_falls_back_to_english(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    i18n.set_language("fr")
    assert i18n._("Category") == "Category"
    assert i18n.ngettext("{count} day ago", "{count} days ago", 1) == "{count} day ago"


def test_importing_the_module_reads_no_catalog_and_imports_no_gettext():
    code = "import sys, lillenews.base.i18n as m; print('gettext' in sys.modules, m._catalog is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


# ------------------------------------------------------------------ the catalog
def test_every_marked_string_has_a_french_translation():
    """Fails when a string marked with _()/N_()/ngettext() in src/ has no French entry,
    an empty or fuzzy one, different placeholders, or an Error:/Warning: prefix."""
    found, unextractable = tool.extract(PACKAGE)
    header, entries = tool.load("fr")
    assert unextractable == []
    assert tool.problems(found, entries) == []
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header


def test_the_checker_catches_what_it_should():
    found = [
        tool.Found("Missing {x}", None, "a.py", 1),
        tool.Found("Empty", None, "a.py", 2),
        tool.Found("Fuzzy", None, "a.py", 3),
        tool.Found("Error: boom", None, "a.py", 4),
        tool.Found("{count} file", "{count} files", "a.py", 5),
    ]
    entries = [
        tool.Entry("Empty", None, [""]),
        tool.Entry("Fuzzy", None, ["Flou"], fuzzy=True),
        tool.Entry("Error: boom", None, ["boum"]),
        tool.Entry("{count} file", "{count} files", ["{count} fichier", "{n} fichiers"]),
        tool.Entry("Hello {name}", None, ["Warning: Bonjour {name}"]),
    ]
    issues = "\n".join(tool.problems(found, entries))
    assert "no entry for 'Missing {x}'" in issues
    assert "'Empty' is not translated" in issues
    assert "'Fuzzy' is fuzzy" in issues
    assert "'Error: boom' holds an Error:/Warning: prefix" in issues
    assert "placeholders ['n'] in msgstr[1]" in issues
    assert "'Hello {name}': the translation starts with an Error:/Warning: prefix" in issues


def test_extraction_finds_markers_and_refuses_what_it_cannot_read(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(
        "from .i18n import _, N_, ngettext\n"
        "from . import i18n\n"
        "A = _('plain ' 'joined')\n"
        "B = ngettext('{count} cat', '{count} cats', 2)\n"
        "C = N_('later')\n"
        "D = i18n._('qualified')\n"
        "E = _(f'no {A}')\n"
        "F = _(A)\n"
        "G = _(A)  # i18n: marked with N_ above\n",
        encoding="utf-8",
    )
    found, bad = tool.extract(package)
    assert [(f.msgid, f.msgid_plural, f.line) for f in found] == [
        ("plain joined", None, 3),
        ("{count} cat", "{count} cats", 4),
        ("later", None, 5),
        ("qualified", None, 6),
    ]
    assert [b.split(": ", 1)[0] for b in bad] == ["pkg/m.py:7", "pkg/m.py:8"]


def test_msgids_and_translations_keep_the_same_placeholders():
    _, entries = tool.load("fr")
    for entry in entries:
        if entry.obsolete:
            continue
        wanted = tool.placeholders(entry.msgid) | tool.placeholders(entry.msgid_plural or "")
        for text in entry.msgstr:
            assert tool.placeholders(text) == wanted, entry.msgid


def test_translations_end_like_their_msgid():
    """A sentence stays a sentence: a msgstr cut short (seen: a help text translated as
    "L") loses the msgid's final full stop, question or exclamation mark."""
    _, entries = tool.load("fr")
    for entry in entries:
        if entry.obsolete or not entry.msgid or entry.msgid[-1] not in ".?!":
            continue
        for text in entry.msgstr:
            assert text.endswith(entry.msgid[-1]), (entry.msgid, text)


def test_no_prefix_is_ever_translated():
    _, entries = tool.load("fr")
    for entry in entries:
        for text in (entry.msgid, entry.msgid_plural or "", *entry.msgstr):
            assert "Error:" not in text and "Warning:" not in text, entry.msgid


def test_the_checked_in_mo_is_the_compiled_po():
    header, entries = tool.load("fr")
    assert tool.mo_path("fr").read_bytes() == tool.compile_mo(entries, header), "run: python tools/i18n.py compile"


def test_the_po_is_in_the_tools_canonical_form():
    """So that `extract` on an unchanged source rewrites the file identically."""
    text = tool.po_path("fr").read_text(encoding="utf-8")
    header, entries = tool.read_po(text)
    assert tool.write_po(header, entries) == text


def test_the_compiled_catalog_is_read_back_by_gettext_entry_by_entry():
    header, entries = tool.load("fr")
    catalog = gettext.GNUTranslations(io.BytesIO(tool.compile_mo(entries, header)))
    translated = [e for e in entries if e.translated and not e.obsolete]
    assert len(translated) > 100
    for entry in translated:
        if entry.msgid_plural is None:
            assert catalog.gettext(entry.msgid) == entry.msgstr[0]
        else:
            assert catalog.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert catalog.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr[1]
    assert catalog.info()["language"] == "fr"


def test_po_reading_and_writing_round_trip():
    entries = [
        tool.Entry('say "hi"\tthen\\go', None, ["dis « salut »\tpuis\\pars"], comments=["a note"], references=["x.py"]),
        tool.Entry("two\nlines\n", None, ["deux\nlignes\n"], fuzzy=True),
        tool.Entry("{count} cat", "{count} cats", ["{count} chat", "{count} chats"]),
        tool.Entry("gone", None, ["parti"], obsolete=True),
    ]
    header, back = tool.read_po(tool.write_po(tool.HEADERS["fr"], entries))
    assert header == tool.HEADERS["fr"]
    assert back == entries


def test_merge_keeps_translations_adds_new_msgids_and_retires_old_ones():
    old = [tool.Entry("kept", None, ["gardé"], comments=["why"]), tool.Entry("gone", None, ["parti"])]
    found = [
        tool.Found("new", None, "b.py", 1),
        tool.Found("kept", None, "a.py", 9),
        tool.Found("kept", None, "b.py", 2),
    ]
    merged = tool.merge(found, old)
    assert [(e.msgid, e.msgstr, e.references, e.obsolete) for e in merged] == [
        ("new", [""], ["b.py"], False),
        ("kept", ["gardé"], ["a.py", "b.py"], False),
        ("gone", ["parti"], [], True),
    ]
    assert merged[1].comments == ["why"]
    assert [e.msgid for e in tool.merge(found, old, prune=True)] == ["new", "kept"]


def test_a_non_editable_install_ships_the_compiled_catalog():
    """pyproject.toml's package-data must match every .mo (a `pip install .` copies only those)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lillenews"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern)}
    catalogs = set(PACKAGE.glob("locale/**/*.mo"))
    assert catalogs and catalogs <= shipped
    assert {p.relative_to(PACKAGE).as_posix() for p in catalogs} >= {"locale/fr/LC_MESSAGES/lillenews.mo"}


def test_a_message_is_translated_when_shown_and_keeps_its_english_for_json():
    cause = i18n.Message("the connection to {host} was refused", host="example.org")
    error = i18n.Message("could not fetch {url}: {cause}", url="https://x/1", cause=cause)
    i18n.set_language("fr")
    assert str(error) == "impossible de télécharger https://x/1 : la connexion à example.org a été refusée"
    assert f"{error}" == str(error)
    assert error.english() == "could not fetch https://x/1: the connection to example.org was refused"
    assert i18n.english(error) == error.english() and i18n.english("plain") == "plain"
    i18n.set_language("en")  # made once, shown in the language of the moment
    assert str(error) == error.english()
    assert str(Exception(error)) == error.english()
    assert "the connection to" in repr(cause)


def test_the_unmarked_review_aid_lists_sentences_left_unmarked(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(
        '"""A docstring is not output."""\n'
        "from .i18n import _\n"
        "A = _('marked and fine')\n"
        "B = 'left unmarked by mistake'\n"
        "C = f'also {B} unmarked'\n"
        "D = 'Lire aussi le site'  # i18n: not translated (the site's words)\n"
        "E = 'SELECT url FROM pages WHERE id = ?'\n"
        "F = 'single'\n",
        encoding="utf-8",
    )
    hits = tool.unmarked(package)
    assert [h.split(": ", 1)[0] for h in hits] == ["pkg/m.py:4", "pkg/m.py:5"]


def test_a_message_equals_its_english_text_in_every_language():
    cause = i18n.Message("the connection to {host} was refused", host="example.org")
    i18n.set_language("fr")
    assert cause == "the connection to example.org was refused"
    assert cause == i18n.Message("the connection to {host} was refused", host="example.org")
    assert cause != "la connexion à example.org a été refusée" and cause != 3
    assert len({cause, i18n.Message("the connection to {host} was refused", host="example.org")}) == 1


def test_as_a_string_a_message_is_its_english_text():
    import json
    import re

    cause = i18n.Message("the server answered {code}", code=503)
    i18n.set_language("fr")
    assert "answered 503" in cause and re.search(r"answered \d+", cause)
    assert json.dumps({"error": cause}) == '{"error": "the server answered 503"}'
    assert str(cause) == "le serveur a répondu 503" and f"{cause}" == str(cause) and f"{cause:>30}".endswith("503")
    assert i18n.Message("no values {kept}") == "no values {kept}"


def test_choosing_the_language_in_use_again_keeps_the_loaded_catalog():
    i18n.set_language("fr")
    i18n._("Category")
    loaded = i18n.translations()
    i18n.set_language("fr")
    assert i18n.translations() is loaded
    i18n.set_language("en")
    assert i18n._("Category") == "Category"


def test_a_sanitised_cause_stays_translatable():
    from lillenews.base.text import clean_cause

    cause = i18n.Message("could not connect to {host} ({error})", host="example.org", error="bad\x1b[31m  news")
    cleaned = clean_cause(cause)
    assert isinstance(cleaned, i18n.Message)
    assert cleaned == "could not connect to example.org (bad news)"
    i18n.set_language("fr")
    assert str(cleaned) == "connexion impossible à example.org (bad news)"
    assert clean_cause("plain\x07  text") == "plain text"


def test_entries_written_ahead_for_a_branch_stay_active_until_their_msgid_arrives():
    pending = tool.Entry("later", None, ["plus tard"], comments=["pending: for a branch not merged yet"])
    gone = tool.Entry("gone", None, ["parti"])
    merged = tool.merge([tool.Found("kept", None, "a.py", 1)], [pending, gone])
    assert [(e.msgid, e.obsolete) for e in merged] == [("kept", False), ("later", False), ("gone", True)]
    arrived = tool.merge([tool.Found("later", None, "b.py", 3)], [pending])
    assert (arrived[0].obsolete, arrived[0].comments, arrived[0].references) == (False, [], ["b.py"])
    assert [e.msgid for e in tool.merge([], [pending, gone], prune=True)] == []


def test_typer_help_texts_are_extracted_where_typer_takes_them(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "c.py").write_text(
        "import typer\n"
        "app = typer.Typer(help='The app.')\n"
        "@app.command('x', short_help='Short.')\n"
        "def x(n: int = typer.Option(1, help='How many.'), w: str = typer.Argument(..., help='Which.')) -> None:\n"
        "    '''Do x.\n\n    In full.'''\n"
        "def helper() -> None:\n"
        "    '''Not a command: not extracted.'''\n"
        "print('help', dict(help='not typer'))\n",
        encoding="utf-8",
    )
    found, _ = tool.extract(package)
    assert [f.msgid for f in found] == ["The app.", "Short.", "How many.", "Which.", "Do x.\n\nIn full."]
