"""Search query rules: folding, the FTS5 MATCH builder, the headline query and
the highlight spans. Pure functions; the MATCH expressions are also run through a real
SQLite FTS5 table so "valid" means SQLite accepts it and finds what a reader expects."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lillenews.base.errors import UsageError
from lillenews.store.query import (
    QueryError,
    fold,
    fold_with_map,
    parse_full,
    parse_headline,
    term_matcher,
    words_of,
)


# ---------------------------------------------------------------------- folding
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Élections", "elections"),
        ("VÉLO", "velo"),
        ("Cœur", "coeur"),
        ("ŒUVRE", "oeuvre"),
        ("Lætitia", "laetitia"),
        ("d’hébergement", "d'hebergement"),
        ("d‘x ʼy", "d'x 'y"),
        ("ﬁnance", "finance"),
        ("Straße", "strasse"),
        ("Lille‑Sud", "lille-sud"),  # U+2011 non-breaking hyphen
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_fold_with_map_agrees_with_fold(text):
    folded, index = fold_with_map(text)
    assert folded == "".join(fold(c) for c in text)
    assert len(index) == len(folded)
    assert index == sorted(index) and all(0 <= i < len(text) for i in index)


def test_words_of_splits_like_the_index():
    assert words_of("Lille-Sud, l’achat d'un vélo-cargo !") == [
        "lille",
        "sud",
        "l",
        "achat",
        "d",
        "un",
        "velo",
        "cargo",
    ]


# ---------------------------------------------------------------------- FTS5 MATCH builder
@pytest.mark.parametrize(
    ("words", "match"),
    [
        (["vélo"], '"velo"*'),
        (["Lille-Sud"], '"lille sud"*'),
        (["vélo-cargo"], '"velo cargo"*'),
        (["Marx-Dormoy"], '"marx dormoy"*'),
        (["l'achat"], '"l achat"*'),
        (["l’achat"], '"l achat"*'),
        (["aujourd'hui"], '"aujourd hui"*'),
        (["c'est"], '"c est"*'),
        (["cœur"], '"coeur"*'),
        (["velo", "pistes"], '"velo"* AND "pistes"*'),
        (["velo OR tram"], '"velo"* OR "tram"*'),
        (["velo", "AND", "tram"], '"velo"* AND "tram"*'),
        (["velo", "NOT", "tram"], '"velo"* NOT "tram"*'),
        (['"vélo cargo"'], '"velo cargo"'),
        (['"vélo cargo"*'], '"velo cargo"*'),
        (["vél*"], '"vel"*'),
        (["NEAR(vélo piste, 5)"], 'NEAR("velo"* "piste"*, 5)'),
        (["NEAR(vélo", "piste)"], 'NEAR("velo"* "piste"*)'),
        (["(vélo OR tram) métropole"], '( "velo"* OR "tram"* ) AND "metropole"*'),
        (["velo", "-travaux"], '("velo"*) NOT "travaux"*'),
        (["-travaux", "velo", "-Lille-Sud"], '("velo"*) NOT "travaux"* NOT "lille sud"*'),
        (["or", "and", "not"], '"or"* AND "and"* AND "not"*'),  # lower case: the words themselves
        (["vélo,", "tram", "!"], '"velo"* AND "tram"*'),
        (["C++"], '"c"*'),
    ],
)
def test_the_match_expression_of_full_text_words(words, match):
    assert parse_full(words).match == match


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ('"unterminated', '"vélo cargo"'),
        ("AND", "vélo AND tram"),
        ("OR velo", "vélo OR tram"),
        ("velo OR", "vélo OR tram"),
        ("velo OR OR tram", "vélo OR tram"),
        ("velo OR -tram", "vélo OR tram"),
        ("velo:", "without it"),
        ("(velo", "(vélo OR tram)"),
        ("velo)", "(vélo OR tram)"),
        ("()", "(vélo OR tram)"),
        ("v*lo", "vél*"),
        ("*", "vél*"),
        ("-travaux", "vélo -travaux"),
        ("NEAR(velo)", "NEAR(vélo piste, 5)"),
        ("NEAR(velo piste", "NEAR(vélo piste, 5)"),
        ("NEAR(velo OR piste)", "NEAR(vélo piste, 5)"),
        ("velo, 5)", "NEAR(vélo piste, 5)"),
        ("! ?", "at least one word"),
    ],
)
def test_invalid_queries_say_how_to_write_them(query, hint):
    with pytest.raises(QueryError) as exc:
        parse_full([query])
    assert hint in str(exc.value)
    assert isinstance(exc.value, UsageError)  # exit code 2 at the CLI edge
    assert "\n" not in str(exc.value)


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    docs = {
        1: ("Lille-Sud : un vélo-cargo pour l'achat groupé", "Aujourd'hui, c'est la fête au cœur du quartier."),
        2: ("Les vélos de Lille", "Des pistes cyclables et des travaux."),
        3: ("Marx-Dormoy", "Le tram passe au sud de Lille."),
        4: ("Centre d’hébergement", "Lætitia présente le projet."),
    }
    for rowid, (title, body) in docs.items():
        conn.execute("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)", (rowid, fold(title), fold(body)))
    return conn


def _hits(conn, *words):
    return sorted(r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (parse_full(list(words)).match,)))


@pytest.mark.parametrize(
    ("words", "rowids"),
    [
        (["Lille-Sud"], [1]),  # the phrase, not "sud" and "lille" anywhere
        (["vélo-cargo"], [1]),
        (["Marx-Dormoy"], [3]),
        (["l'achat"], [1]),
        (["aujourd’hui"], [1]),
        (["c'est"], [1]),
        (["d'hébergement"], [4]),
        (["d’hébergement"], [4]),
        (["coeur"], [1]),
        (["cœur"], [1]),
        (["laetitia"], [4]),
        (["velo"], [1, 2]),  # a word finds the words it begins: vélos
        (["VÉLO"], [1, 2]),
        (["velo", "-travaux"], [1]),
        (["velo OR tram"], [1, 2, 3]),
        (['"au sud"'], [3]),
        (["NEAR(tram lille, 5)"], [3]),
        (["(velo OR tram) lille"], [1, 2, 3]),
    ],
)
def test_queries_run_in_sqlite(fts, words, rowids):
    assert _hits(fts, *words) == rowids


@given(st.lists(st.text(max_size=12), min_size=1, max_size=4))
@settings(max_examples=400, deadline=None)
def test_any_input_is_a_valid_match_or_a_query_error(words):
    """Whatever a reader types: SQLite accepts the expression, or a QueryError explains."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    try:
        match = parse_full(words).match
    except QueryError:
        return
    conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


def test_full_query_terms_for_highlighting():
    q = parse_full(["vélo", "-travaux", '"au sud"', "OR", "Lille-Sud"])
    assert [(t.words, t.prefix) for t in q.terms] == [
        (("velo",), True),
        (("au", "sud"), False),
        (("lille", "sud"), True),
    ]


# ---------------------------------------------------------------------- headline query
def test_headline_query_words_phrases_and_exclusions():
    q = parse_headline(["vélo", "-travaux", '"piste cyclable"'])
    assert q.include == ("velo", "piste cyclable") and q.exclude == ("travaux",)
    assert q.matches("Une piste cyclable pour les vélos")
    assert q.matches("Piste-cyclable et VÉLO")  # - is a space for matching
    assert not q.matches("Une piste cyclable, des vélos et des travaux")
    assert not q.matches("Les vélos")


@pytest.mark.parametrize(
    ("words", "text"),
    [
        (["coeur"], "Au cœur de Lille"),
        (["cœur"], "Au coeur de Lille"),
        (["d'hébergement"], "Centre d’hébergement"),
        (["d’hébergement"], "Centre d'hébergement"),
        (["l'achat"], "Pour l’achat d’un vélo"),
        (["Lille-Sud"], "Lille Sud"),
        (["velo*"], "Les vélos"),  # vélo* must begin a word
        (["ville"], "Eurométropole et centre-ville"),
        (["velo", "AND", "lille"], "Vélo à Lille"),
    ],
)
def test_headline_query_matches_folded_text(words, text):
    assert parse_headline(words).matches(text)


def test_headline_prefix_must_begin_a_word():
    q = parse_headline(["vél*", "lille"])
    assert q.starts == ("vel",) and q.include == ("lille",)
    assert q.matches("Vélos à Lille") and q.matches("Lille : le vélo-cargo")
    assert not q.matches("Nouvelle de Lille")  # « nouVELle »: inside a word
    assert q.spans("Nouvelle vélo Lille") == [(9, 12), (14, 19)]


def test_headline_query_spans_use_the_same_folding():
    assert parse_headline(["coeur"]).spans("Au cœur de Lille") == [(3, 7)]
    assert parse_headline(["d'hébergement"]).spans("Centre d’hébergement") == [(7, 20)]
    assert parse_headline(["velo", "lille"]).spans("Vélo à Lille, vélos") == [(0, 4), (7, 12), (14, 18)]
    assert parse_headline(['"vélo cargo"']).spans("Un vélo-cargo") == [(3, 13)]


@pytest.mark.parametrize("op", ["OR", "NOT", "NEAR(a b)"])
def test_headline_query_says_operators_need_full(op):
    with pytest.raises(QueryError, match="--full"):
        parse_headline(["velo", op, "tram"])


def test_headline_query_needs_a_word():
    with pytest.raises(QueryError, match="vélo -travaux"):
        parse_headline(["-travaux"])
    with pytest.raises(QueryError, match="at least one word"):
        parse_headline([" ", "(", ","])


def test_full_text_highlights_match_as_the_index_does():
    terms = parse_full(["vélo", "cœur"]).terms
    text = "Les Vélos, le vélo-cargo et avélo au cœur"
    assert [text[s:e] for s, e in term_matcher(terms).spans(text)] == ["Vélos", "vélo", "cœur"]
    phrase = parse_full(['"au coeur"']).terms
    assert [text[s:e] for s, e in term_matcher(phrase).spans(text)] == ["au cœur"]
    assert term_matcher(parse_full(["d'hébergement"]).terms).spans("d’hébergement") == [(0, 13)]


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["securite"], "Sécurité : des sites retenus", ["Sécurité"]),  # accents
        (["ELECTIONS"], "Les Élections municipales", ["Élections"]),  # case
        (["strasse", "lille"], "Straße au cœur de Lille", ["Straße", "Lille"]),  # ß folds to two letters
        (["publique"], "Ville de Se\u0301curite\u0301 publique", ["publique"]),  # decomposed accents
        (["lille"], "Lille, lille et LILLE", ["Lille", "lille", "LILLE"]),  # every occurrence, in order
        (["CAMERAS", "moulins", "securite"], "Sécurité : des caméras à Moulins", ["Sécurité", "caméras", "Moulins"]),
    ],
)
def test_headline_highlights_map_back_to_the_original_text(words, text, found):
    spans = parse_headline(words).spans(text)
    assert [text[s:e] for s, e in spans] == found
    assert spans == sorted(spans)


# ---------------------------------------------------------------------- command line
OPTIONS = {"--full": False, "--limit": True, "-n": True, "--json": False, "--offline": False, "--help": False}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["velo", "-travaux"], ["velo", "\u2063-travaux"]),
        (["velo", "-travaux", "--json"], ["velo", "\u2063-travaux", "--json"]),
        (["--full", "velo", "-nuit", "-n", "5"], ["--full", "velo", "\u2063-nuit", "-n", "5"]),
        (["velo", "-n5"], ["velo", "-n5"]),  # a known short option with its value
        (["velo", "--limit=3", "-x"], ["velo", "--limit=3", "\u2063-x"]),
        (["-n", "5", "velo", "-2021"], ["-n", "5", "velo", "\u2063-2021"]),
        (["-travaux", "velo"], ["-travaux", "velo"]),  # before any word: the option parser decides
        (["velo", "--", "-x", "--json"], ["velo", "--", "-x", "--json"]),
        (["velo", "--jsno"], ["velo", "--jsno"]),  # a long option stays one: a typo is reported
        (["velo", "-"], ["velo", "-"]),
    ],
)
def test_protect_dash_words(args, expected):
    from lillenews.cli.search import protect_dash_words, unmark

    assert protect_dash_words(args, OPTIONS) == expected
    assert unmark(["\u2063-travaux", "velo"]) == ["-travaux", "velo"]


@given(st.text(alphabet=st.sampled_from("aeœ’'- éÉvlocrdh.\u0301"), max_size=30))
@settings(max_examples=300, deadline=None)
def test_matcher_test_agrees_with_spans(text):
    from lillenews.store.query import needle_matcher, term_matcher

    for matcher in (term_matcher(parse_full(["vélo", "cœur", "l'e"]).terms), needle_matcher(("oe", "e d", "l'e"))):
        assert matcher.test(text) == bool(matcher.spans(text))


@given(st.text(alphabet=st.sampled_from("aeœæ’'- éÉèvlocrdhﬁß.\u0301"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_locate_agrees_with_test(text):
    """locate (case-folded text, accent classes) finds a match exactly when test (full fold) does."""
    from lillenews.store.query import needle_matcher, term_matcher

    for matcher in (term_matcher(parse_full(["vélo", "cœur", "l'e"]).terms), needle_matcher(("oe", "e d"), ("ae",))):
        at = matcher.locate(text)
        assert (at is not None) == matcher.test(text)
        if at is not None:
            assert 0 <= at <= len(text)


def test_locate_in_unfolded_text():
    from lillenews.store.query import term_matcher

    m = term_matcher(parse_full(["coeur", "hebergement"]).terms)
    assert m.locate("Au CŒUR de Lille") == 3
    assert m.locate("Centre d’Hébergement") == 9
    assert m.locate("Au coe\u0301ur") == 3  # a decomposed accent: the exact fold (« coéur » folds to « coeur »)
    assert m.locate("Un ﬁlm au cœur") in (9, 10, 11)  # a compatibility form: the exact fold, position about right
