"""Unit tests of lillenews.base.text: sanitising, folding/search spans, French dates, slugs."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lillenews.base import text as text_module
from lillenews.base.dates import NEWS_AHEAD, parse_day
from lillenews.base.text import clean, clean_or_none, fold, is_cut, lazy_pattern, strip_unsafe, title_from_slug


def parse_date(text, today=dt.date(2021, 6, 15)):
    """A date text as the news parser reads it (its first day, at most a month ahead of `today`), ISO."""
    day = parse_day(text, today=today, ahead=NEWS_AHEAD)
    return day.isoformat() if day else None


# Every character the sanitiser must remove: C0 except \t and \n, DEL, C1, bidi controls.
UNSAFE_CHARS = (
    [chr(c) for c in range(0x00, 0x20) if c not in (0x09, 0x0A)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ---------------------------------------------------------------------------
# strip_unsafe
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("ch", UNSAFE_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_strip_unsafe_removes_each_unsafe_char(ch):
    # (followed by a non-ASCII letter, so that U+009B, the C1 CSI, starts no sequence)
    assert strip_unsafe(f"ab{ch}été") == "abété"


@pytest.mark.parametrize("ch", UNSAFE_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_clean_removes_each_unsafe_char(ch):
    assert clean(f"Le {ch}été") == "Le été"


def test_strip_unsafe_removes_only_characters_that_are_not_printable():
    # strip_unsafe returns printable text untouched without running its regexes
    removed = [chr(c) for c in range(0x110000) if text_module._unsafe().fullmatch(chr(c))]
    assert len(removed) > 60
    assert not any(ch.isprintable() for ch in removed + ["\x1b", "\x9b"])  # every escape starts unprintable


def test_a_lazy_pattern_is_compiled_once_at_its_first_use(monkeypatch):
    compiled = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: compiled.append(a) or real(*a))
    pattern = lazy_pattern(r"[0-9]+", re.ASCII)
    assert compiled == []  # not at definition (an import)
    assert pattern().fullmatch("2026") and pattern() is pattern()
    assert compiled == [(r"[0-9]+", re.ASCII)]


def test_strip_unsafe_keeps_tab_newline_and_ordinary_text():
    text = "Sécurité\t: «\u00a0caméras\u00a0»\nÉlections – 2021 ’ … €"
    assert strip_unsafe(text) == text


@pytest.mark.parametrize("value", ["", None])
def test_strip_unsafe_empty(value):
    assert strip_unsafe(value) == value


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("\x1b[31mROUGE\x1b[0m", "ROUGE"),
        ("\x1b[1;31;40mgras\x1b[m", "gras"),
        ("\x1b[2J\x1b[Hécran", "écran"),
        ("avant \x1b[38;5;196mrouge\x1b[0m après", "avant rouge après"),
        ("\x1b[?25lcurseur\x1b[?25h", "curseur"),
        # OSC 8 hyperlinks terminated by BEL and by ST (ESC \)
        ("\x1b]8;;https://evil.example\x07cliquez\x1b]8;;\x07 ici", "cliquez ici"),
        ("\x1b]8;;https://evil.example\x1b\\cliquez\x1b]8;;\x1b\\ ici", "cliquez ici"),
        # OSC 0 (window title)
        ("\x1b]0;pwned\x07Titre", "Titre"),
        ("son\x07nerie", "sonnerie"),
    ],
)
def test_strip_unsafe_removes_whole_escape_sequences(raw, expected):
    assert strip_unsafe(raw) == expected


def test_strip_unsafe_c1_csi_leaves_no_control():
    out = strip_unsafe("[\u009b31m] et [\u0085]")
    assert not UNSAFE_RE.search(out)
    assert out.startswith("[") and out.endswith("et []")


def test_strip_unsafe_bidi_trojan_source():
    out = strip_unsafe(
        "bidi : \u202eesrever\u202c et \u2066isolé\u2069 \u2067rtl\u2069 \u2068first\u2069 \u202a\u202b\u202d"
    )
    assert out == "bidi : esrever et isolé rtl first "


def test_strip_unsafe_does_not_touch_rich_markup_text():
    s = "Le conseil [bold]municipal[/bold] a [link=https://evil.example]délibéré[/link]"
    assert strip_unsafe(s) == s
    assert clean(s) == s


# ---------------------------------------------------------------------------
# clean
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Sécurité\u00a0: des sites", "Sécurité : des sites"),
        ("40\u202f%", "40 %"),
        ("avec vous\u00a0!", "avec vous !"),
        ("«\u00a0mobile\u00a0»", "« mobile »"),
        ("  a   b\t\tc \n\n d  ", "a b c d"),
        ("a\u00a0\u00a0\u202f b", "a b"),
        ("\n\t  \u00a0 ", ""),
        ("\x1b[31mROUGE\x1b[0m\u00a0!", "ROUGE !"),
    ],
)
def test_clean_collapses_whitespace(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_clean_empty(value):
    assert clean(value) == ""
    assert clean_or_none(value) is None


def test_clean_or_none():
    assert clean_or_none(" \u00a0\x07 ") is None
    assert clean_or_none(" Lille\u00a0! ") == "Lille !"


def test_clean_output_never_has_nbsp_or_unsafe():
    raw = "".join(UNSAFE_CHARS) + "x\u00a0y\u202fz" + "".join(UNSAFE_CHARS)
    out = clean(raw)
    assert out == "x y z"


# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Sécurité", "securite"),
        ("Élections", "elections"),
        ("ÉLECTIONS", "elections"),
        ("Cœur", "coeur"),  # ligatures fold as the search folds them
        ("Ex æquo", "ex aequo"),
        ("d’hébergement", "d'hebergement"),
        ("Deûle", "deule"),
        ("ça", "ca"),
        ("Ÿ", "y"),
    ],
)
def test_fold(raw, expected):
    assert fold(raw) == expected


def test_fold_accent_and_case_insensitive_equality():
    assert fold("securite") == fold("Sécurité") == fold("SÉCURITÉ")
    assert fold("ELECTIONS") == fold("Élections")


# ---------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("8 février 2021", "2021-02-08"),
        ("8 fevrier 2021", "2021-02-08"),
        ("8 FÉVRIER 2021", "2021-02-08"),
        ("1er mars 2021", "2021-03-01"),
        ("08/02/2021", "2021-02-08"),
        ("8/2/2021", "2021-02-08"),
        ("Publié le 8 février 2021", "2021-02-08"),
        ("Publié le 08/02/2021", "2021-02-08"),
        ("Publié le 1er février 2021", "2021-02-01"),
        ("Le 12 février 2021", "2021-02-12"),
        ("Le 25 décembre 2020", "2020-12-25"),
        ("Le 15 août 2020", "2020-08-15"),
        ("Le\u00a08\u00a0février\u00a02021", "2021-02-08"),
        ("Du 3 au 28 mars 2021", "2021-03-03"),
        ("Du 1er au 28 mars 2021", "2021-03-01"),
        ("2021-01-15T09:30:00+01:00", "2021-01-15"),
        ("2021-01-15", "2021-01-15"),
        (None, None),
        ("", None),
        ("pas de date", None),
        ("Actualités", None),
        ("31/02/2021", None),
        ("2021-02-30", None),
        ("30 février 2021", None),
        ("32 janvier 2021", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "month, num",
    [
        ("janvier", 1),
        ("février", 2),
        ("mars", 3),
        ("avril", 4),
        ("mai", 5),
        ("juin", 6),
        ("juillet", 7),
        ("août", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("novembre", 11),
        ("décembre", 12),
    ],
)
def test_parse_date_every_month(month, num):
    assert parse_date(f"Le 2 {month} 2020") == f"2020-{num:02d}-02"


@pytest.mark.parametrize(
    "text, today, expected",
    [
        # a past date of the current year
        ("Le 12 février", dt.date(2021, 3, 1), "2021-02-12"),
        # the same day
        ("8 février", dt.date(2021, 2, 8), "2021-02-08"),
        # less than a month ahead: still this year
        ("Jusqu'au 1er mars", dt.date(2021, 2, 8), "2021-03-01"),
        # far in the future this year: it was last year
        ("Jusqu'au 30 juin", dt.date(2021, 2, 8), "2020-06-30"),
        ("Jusqu'au 30 juin", dt.date(2021, 6, 15), "2021-06-30"),
        ("Du 3 au 28 mars", dt.date(2021, 3, 10), "2021-03-03"),
        ("25 décembre", dt.date(2021, 2, 8), "2020-12-25"),
    ],
)
def test_parse_date_without_year_relative_to_today(text, today, expected):
    assert parse_date(text, today=today) == expected


def test_parse_date_without_year_early_january_seen_in_december():
    # "the latest year that does not put it more than a month after today": on
    # 20 December 2021, "5 janvier" (16 days ahead) is 5 January 2022.
    assert parse_date("Jusqu'au 5 janvier", today=dt.date(2021, 12, 20)) == "2022-01-05"


def test_parse_date_without_year_29_february():
    # 2021-02-29 does not exist; the latest year not more than a month after
    # today in which 29 February exists is 2020.
    assert parse_date("29 février", today=dt.date(2021, 2, 10)) == "2020-02-29"


# ---------------------------------------------------------------------------
# title_from_slug
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, expected",
    [
        ("/Actualites/Un-droit-de-petition-locale-a-Lille", "Un droit de petition locale a Lille"),
        ("https://www.lille.fr/Actualites/La-police-municipale-se-renforce", "La police municipale se renforce"),
        ("https://www.lille.fr/Votre-Mairie/Securite-et-tranquillite/Police-municipale", "Police municipale"),
        ("/Actualites/Plus-de-moyens-pour-la-securite?utm_source=x#haut", "Plus de moyens pour la securite"),
        ("/Actualites/Verdissez-votre-quartier/", "Verdissez votre quartier"),
        ("/Actualites/lille_aux--marches", "Lille aux marches"),
    ],
)
def test_title_from_slug(url, expected):
    assert title_from_slug(url) == expected


@pytest.mark.parametrize("url", ["/Actualites/(offset)/10", "/Actualites/10", "/", ""])
def test_title_from_slug_none(url):
    assert title_from_slug(url) is None


@pytest.mark.parametrize(
    "summary, cut",
    [
        ("Les habitants vident leurs...", True),
        ("Les habitants vident leurs…  ", True),
        ("Les habitants vident leurs [...]", True),
        ("Les habitants vident leurs […]", True),
        ("Un week-end de braderie.", False),
        ("", False),
        (None, False),
    ],
)
def test_is_cut_knows_every_ellipsis_a_cut_summary_ends_with(summary, cut):
    assert is_cut(summary) is cut
