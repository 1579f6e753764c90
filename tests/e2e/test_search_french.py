"""Search that understands French, end to end. The real CLI against a local
site whose articles hold the words readers type: Lille-Sud, vélo-cargo, l'achat,
aujourd'hui, c'est, « cœur », « d’hébergement », a lead-only word, a listing-only word,
a word inside another (« Eurométropole »)."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from conftest import run_in_process
from server import FixtureServer
from synth_site import FILLER, PAGE_PATHS, SynthArticle, article_html, listing_html, make_articles

cli = run_in_process

# listing numbers
PROPRETE_N, LILLE_SUD_N, BUDGET_N, COEUR_N, HEBERG_N, TRAVAUX_N, METROPOLE_N = 1, 2, 3, 4, 5, 6, 7
SPECIAL = {
    PROPRETE_N: (
        "/Actualites/Propreté-des-rues-signalez",
        "Propreté des rues : signalez les dépôts",
        "Aujourd'hui, c'est plus simple de signaler un dépôt sauvage.",
        ["Une application permet de signaler un dépôt en photo.", FILLER],
    ),
    LILLE_SUD_N: (
        "/Actualites/Lille-Sud-velo-cargo",
        "Lille-Sud : un vélo-cargo pour tous",
        "Le quartier de Lille-Sud prête des vélos-cargos.",
        ["Une aide à l’achat est proposée aux familles de Marx-Dormoy.", FILLER],
    ),
    BUDGET_N: (
        "/Actualites/Conseil-municipal",
        "Conseil municipal du 8 février",
        "Le budget primitif 2021 a été voté lundi soir.",
        [FILLER, FILLER],
    ),
    COEUR_N: (
        "/Actualites/Au-coeur-de-Wazemmes",
        "Au cœur de Wazemmes, la fête",
        "La fête de quartier revient.",
        ["Rendez-vous place de la Nouvelle-Aventure.", FILLER],
    ),
    HEBERG_N: (
        "/Actualites/Centre-d-hebergement",
        "Centre d’hébergement d’urgence",
        "Un nouveau lieu ouvre ses portes.",
        [FILLER],
    ),
    TRAVAUX_N: (
        "/Actualites/Velos-et-travaux",
        "Vélos : des travaux rue Solférino",
        "Les pistes sont refaites.",
        ["Pendant les travaux, les vélos passent par la rue Masséna.", FILLER],
    ),
    METROPOLE_N: (
        "/Actualites/Eurometropole",
        "Eurométropole : de nouvelles lignes de bus",
        "Le réseau s'étend.",
        [FILLER],
    ),
}
LISTING_ONLY = "Résumé : un gymnase réquisitionné."  # the listing summary of HEBERG_N, not in the article


def articles() -> list[SynthArticle]:
    arts = make_articles(12)
    for n, (path, title, lead, paragraphs) in SPECIAL.items():
        a = arts[n - 1]
        a.path, a.title, a.lead, a.paragraphs = path, title, lead, paragraphs
        a.summary = LISTING_ONLY if n == HEBERG_N else f"Résumé : {lead}"
        a.category = "Environnement" if n in (PROPRETE_N, TRAVAUX_N) else "Citoyenneté"
    return arts


@pytest.fixture
def synced(dirs, monkeypatch):
    with FixtureServer() as srv:
        arts = articles()
        srv.route(PAGE_PATHS[0], listing_html(arts, 0, 1))
        for a in arts:
            srv.route(a.path, article_html(a))
        monkeypatch.setenv("LILLENEWS_BASE_URL", srv.base_url)
        r = cli("sync")
        assert r.exit_code == 0, r.stderr
        yield arts


def full(*words: str) -> list[int]:
    r = cli("search", "--full", *words, "--json")
    assert r.exit_code == 0, r.stderr
    return [item["number"] for item in json.loads(r.stdout)]


def headline(*words: str) -> list[int]:
    r = cli("search", "--offline", *words, "--json")
    assert r.exit_code == 0, r.stderr
    return [item["number"] for item in json.loads(r.stdout)]


@pytest.mark.parametrize(
    ("words", "number"),
    [
        (["Lille-Sud"], LILLE_SUD_N),
        (["vélo-cargo"], LILLE_SUD_N),
        (["Marx-Dormoy"], LILLE_SUD_N),
        (["l'achat"], LILLE_SUD_N),
        (["l’achat"], LILLE_SUD_N),
        (["aujourd'hui"], PROPRETE_N),
        (["c'est"], PROPRETE_N),
        (["coeur"], COEUR_N),
        (["cœur"], COEUR_N),
        (["d'hébergement"], HEBERG_N),
        (["d’hébergement"], HEBERG_N),
    ],
)
def test_french_words_are_words_in_both_searches(synced, words, number):
    assert full(*words) == [number]
    if words[0] in ("Marx-Dormoy", "l'achat", "l’achat"):  # only in the article's body
        assert headline(*words) == []
    else:  # in the title or the listing summary
        assert headline(*words) == [number]


def test_fts_operators_still_work(synced):
    assert sorted(full("cœur OR primitif")) == [BUDGET_N, COEUR_N]
    assert full('"budget primitif"') == [BUDGET_N]
    assert full('"primitif budget"') == []
    assert full("NEAR(budget voté, 4)") == [BUDGET_N]
    assert full("NEAR(budget voté, 3)") == []  # four words between them
    assert LILLE_SUD_N in full("vél*") and TRAVAUX_N in full("vél*")
    assert full("vélo NOT travaux") == [LILLE_SUD_N]
    assert full("vélo", "-travaux") == [LILLE_SUD_N]


@pytest.mark.parametrize(
    ("query", "hint"),
    [("vélo OR", "vélo OR tram"), ("(vélo", "(vélo OR tram)"), ('"vélo', '"vélo cargo"'), ("v*lo", "vél*")],
)
def test_a_query_still_invalid_says_how_to_write_it(synced, query, hint):
    r = cli("search", "--full", query)
    assert r.exit_code == 2 and r.stdout == ""
    [line] = r.stderr.splitlines()
    assert line.startswith("Error:") and hint in line


def test_lead_and_listing_summary_are_indexed_title_weighs_most(synced):
    assert full("primitif") == [BUDGET_N]  # only in the lead
    assert full("gymnase") == [HEBERG_N]  # only in the listing summary
    assert full("vélos")[0] == TRAVAUX_N  # in the title beats in the lead


def test_full_search_finds_everything_the_headline_search_finds(synced):
    for words in (
        ["vélo"],
        ["metropole"],
        ["ille"],
        ["cœur"],
        ["sud"],
        ["d'hébergement"],
        ["quartier"],
        ["vélo", "-travaux"],
        ["résumé"],
    ):
        found = set(headline(*words))
        assert found, words
        assert found <= set(full(*words, "--limit", "50")), words
    assert full("metropole") == [METROPOLE_N]  # « Eurométropole »: no word starts with it


def test_headline_search_excludes_and_quotes(synced):
    assert headline("vélo") == [LILLE_SUD_N, TRAVAUX_N]
    assert headline("vélo", "-travaux") == [LILLE_SUD_N]
    assert headline('"un vélo-cargo"') == [LILLE_SUD_N]
    r = cli("search", "vélo", "OR", "tram")
    assert r.exit_code == 2 and "--full" in r.stderr


def test_a_dash_word_after_the_first_word_is_a_search_word(synced):
    r = cli("search", "velo", "-travaux")
    assert r.exit_code == 0, r.stderr
    r = cli("search", "--full", "velo", "-travaux", "--json", "-n", "5")
    assert r.exit_code == 0, r.stderr
    assert [i["number"] for i in json.loads(r.stdout)] == [LILLE_SUD_N]
    r = cli("search", "-travaux", "velo")
    assert r.exit_code == 2 and "--" in r.stderr.splitlines()[-1]
    r = cli("search", "--offline", "--json", "--", "-travaux", "velo")
    assert r.exit_code == 0 and [i["number"] for i in json.loads(r.stdout)] == [LILLE_SUD_N]


def test_snippets_are_one_line_cut_at_words_and_not_the_title(synced):
    r = cli("search", "--full", "vélos", "--json")
    hits = {i["number"]: i for i in json.loads(r.stdout)}
    for hit in hits.values():
        assert "\n" not in hit["snippet"] and "  " not in hit["snippet"]
    # the title of TRAVAUX_N matches: its snippet is the first matching sentence, not the title again
    assert hits[TRAVAUX_N]["snippet"] == "Pendant les travaux, les vélos passent par la rue Masséna."
    r = cli("search", "--full", "Solférino", "--json")
    [hit] = json.loads(r.stdout)
    assert hit["snippet"] == "Les pistes sont refaites."  # only in the title: the lead


def test_results_carry_the_listing_data(synced):
    listing = {i["number"]: i for i in json.loads(cli("list", "--json").stdout)}
    for word in ("vélo", "primitif", "ille"):
        for hit in json.loads(cli("search", "--full", word, "--json").stdout):
            row = {k: v for k, v in hit.items() if k != "snippet"}
            assert row == listing[hit["number"]]
            assert hit["category"] == listing[hit["number"]]["category"] != ""
    r = cli("search", "--full", "primitif")
    [row] = [line for line in r.stdout.splitlines() if line.lstrip().startswith(str(BUDGET_N))]
    assert "Citoyenneté" in row


def test_urls_are_percent_encoded_in_json(synced):
    [hit] = json.loads(cli("search", "--full", "dépôts", "--json").stdout)
    assert hit["url"].endswith("/Actualites/Propret%C3%A9-des-rues-signalez")
    listing = json.loads(cli("list", "--json").stdout)
    assert all(item["url"].isascii() for item in listing)


def test_highlights_fold_like_the_search(synced, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    for args, expected in ((["coeur"], "cœur"), (["--full", "coeur"], "cœur"), (["d'hébergement"], "d’hébergement")):
        r = cli("search", "--offline", *args) if "--full" not in args else cli("search", *args)
        marked = [t for codes, t in re.findall(r"\x1b\[([0-9;]+)m([^\x1b]*)", r.stdout) if "7" in codes.split(";")]
        assert marked and all(t.casefold() == expected for t in marked), (args, marked)


def test_an_old_cache_and_read_marks_are_migrated(synced, dirs):
    """A schema-2 cache (old index, raw IRIs) and read marks under the raw IRI: after the
    upgrade the search works and nothing read becomes unread."""
    assert cli("read", str(PROPRETE_N)).exit_code == 0
    raw = json.loads(cli("list", "--json").stdout)[PROPRETE_N - 1]["url"].replace("Propret%C3%A9", "Propreté")
    cache = sqlite3.connect(dirs["cache"] / "cache.db")
    cache.executescript(
        "DROP TABLE search_fts; DROP TABLE headline_tri; DROP TABLE search_text; DROP TABLE listed;"
        "DROP TRIGGER IF EXISTS articles_search_ai; DROP TRIGGER IF EXISTS articles_search_au;"
        "DROP TRIGGER IF EXISTS articles_search_ad;"
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id');"
        "PRAGMA user_version = 2;"
    )
    cache.execute("UPDATE articles SET url = replace(url, 'Propret%C3%A9', 'Propreté')")
    cache.execute("UPDATE pages SET headlines = replace(headlines, 'Propret%C3%A9', 'Propreté')")
    cache.commit()
    cache.close()
    state = sqlite3.connect(dirs["data"] / "state.db")
    state.execute("UPDATE marks SET url = ?", (raw,))
    state.execute("PRAGMA user_version = 2")
    state.commit()
    state.close()
    r = cli("search", "--full", "primitif", "--json")
    assert r.exit_code == 0 and [i["number"] for i in json.loads(r.stdout)] == [BUDGET_N]
    assert "updating the cache" in r.stderr and "once" in r.stderr  # said once, while it happens
    assert full("dépôts") == [PROPRETE_N]
    assert cli("search", "--full", "primitif").stderr == ""
    listing = json.loads(cli("list", "--offline", "--json").stdout)
    assert listing[PROPRETE_N - 1]["read"] is True
    assert listing[PROPRETE_N - 1]["url"].endswith("Propret%C3%A9-des-rues-signalez")
