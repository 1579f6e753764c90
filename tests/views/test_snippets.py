"""Search snippets: one line, no blank lines, cut at word boundaries around the
match; the lead or the first matching sentence when the match is only in the title."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lillenews.store.query import parse_full, parse_headline, term_matcher
from lillenews.views.snippets import make_snippet, one_line


def finder(*words):
    return term_matcher(parse_full(list(words)).terms)


BODY = (
    "Premier paragraphe, sans le mot cherché.\n\n"
    "Deuxième paragraphe. La Ville présente une nouvelle offre de vélo-cargo en location longue durée pour les "
    "familles lilloises, avec une aide à l'achat et des ateliers de réparation dans chaque quartier.\n\n\n"
    "Dernier paragraphe."
)


def test_one_line_has_no_blank_lines():
    assert one_line("a\n\n b\t\u00a0c \n") == "a b c"


def test_snippet_is_the_matching_sentence_cut_at_word_boundaries():
    snip = make_snippet(["Un chapô sans rapport.", BODY], finder("vélo"), width=80)
    assert "\n" not in snip.text
    assert len(snip.text) <= 82  # width + the two ellipses
    assert snip.text.startswith("…") and snip.text.endswith("…")
    words = set(re.findall(r"\w+", BODY))
    assert all(w in words for w in re.findall(r"\w+", snip.text)), snip.text  # no word cut in two
    [(s, e)] = snip.spans
    assert snip.text[s:e] == "vélo"


def test_short_sentence_is_shown_whole():
    snip = make_snippet([None, "Rien ici. Le vélo est là ! Fin."], finder("velo"))
    assert snip.text == "Le vélo est là !"
    assert [snip.text[s:e] for s, e in snip.spans] == ["vélo"]


def test_match_only_in_the_title_shows_the_lead_not_the_title():
    lead = "Le budget primitif 2021 a été voté lundi soir."
    snip = make_snippet([lead, BODY], finder("trottinette"))
    assert snip.text == lead and snip.spans == []
    snip = make_snippet([None, "", BODY], finder("trottinette"), width=60)
    assert snip.text.startswith("Premier paragraphe") and len(snip.text) <= 61 and "\n" not in snip.text


def test_lead_match_comes_before_body_match():
    snip = make_snippet(["Un vélo pour tous.", BODY], finder("vélo"))
    assert snip.text == "Un vélo pour tous."


def test_headline_finder_spans_folded():
    q = parse_headline(["coeur"])
    snip = make_snippet(["Au cœur du quartier, la fête."], q.matcher)
    assert [snip.text[s:e] for s, e in snip.spans] == ["cœur"]


def test_nothing_at_all():
    assert make_snippet([None, ""], finder("x")).text == ""


@given(st.text(alphabet=st.sampled_from("ab vélo\n."), max_size=400), st.integers(20, 120))
@settings(max_examples=300, deadline=None)
def test_snippet_properties(body, width):
    snip = make_snippet([body], finder("vélo"), width=width)
    assert "\n" not in snip.text and "  " not in snip.text
    assert len(snip.text) <= width + 2
    for s, e in snip.spans:
        assert snip.text[s:e].casefold().startswith("vélo") or snip.text[s:e].casefold().startswith("velo")


def test_folding_that_lengthens_the_text_still_finds_the_sentence():
    body = "Cœur, œuvre, sœur, vœu, nœud, bœuf, œil, Straße, ﬁn. " * 6 + "Le vélo est là. Fin."
    snip = make_snippet([body], finder("vélo"))
    assert snip.text == "Le vélo est là." and [snip.text[s:e] for s, e in snip.spans] == ["vélo"]
    snip = make_snippet(["Cœur " * 40 + "du vélo. Fin."], finder("coeur"), width=40)
    assert snip.spans and snip.text[snip.spans[0][0] : snip.spans[0][1]] == "Cœur"
