"""End-to-end tests: the real CLI against the local copy of www.lille.fr.

Most tests run the CLI in-process (`cli` fixture); a handful run a real
`python -m lillenews` (`run_subprocess`) where a real process matters: the
version, the entry point, help, a traceback-free failure and escape-free output.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import time
import unicodedata

import pytest
from conftest import run_in_process, run_subprocess
from server import (
    ARTICLE_PATHS,
    CHROME_LINK_TITLES,
    CHROME_MARKERS,
    FIXTURES,
    GENERIC_LISTING_PATHS,
    LISTING_PATHS,
    SEED_HEADLINES,
    fixture_bytes,
    make_fixtures,
)

import lillenews
from lillenews import __version__

HEADLINE_KEYS = [
    "number", "title", "url", "date", "date_end", "category", "summary", "summary_truncated", "image", "read",
    "quartiers",
]  # fmt: skip
ARTICLE_KEYS = [
    "number", "title", "url", "date", "date_end", "category", "lead", "lead_source", "listing_summary", "text",
    "markdown", "images", "related", "quartiers",
]  # fmt: skip
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NBSPS = ("\u00a0", "\u202f")
# ESC, BEL and the other C0 controls except \t \n, DEL, C1 controls, bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

SECURITE_TITLE = make_fixtures.SEED_ARTICLE_TITLE
SECURITE_LEAD = make_fixtures.SEED_ARTICLE_LEAD
EXPECTED_LISTING = json.loads((FIXTURES / "listing_expected.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- helpers
def flat(text: str) -> str:
    """Collapse all whitespace (Rich wraps long lines) for containment checks."""
    return " ".join(text.split())


def plain(text: str | None) -> str | None:
    """Expected JSON form of a fixture text: non-breaking spaces become plain spaces."""
    if text is None:
        return None
    for nb in NBSPS:
        text = text.replace(nb, " ")
    return " ".join(text.split())


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def as_json(result):
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def error_line(result) -> str:
    """The single `Error: ...` line a failure must print, and nothing else on stderr."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def strings_in(data) -> list[str]:
    """Every string value (and key) of decoded JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [k, *strings_in(v)]]
    if isinstance(data, list):
        return [s for v in data for s in strings_in(v)]
    return []


_HELD: list[socket.socket] = []  # ports kept bound (never listening) until the session ends


def closed_port_url() -> str:
    """A port that refuses connections: bound, never listening, and kept so, so that no
    server of a test running alongside can take it meanwhile."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    _HELD.append(sock)
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def age_cache(dirs, seconds: float) -> None:
    """Make every cached listing page and article `seconds` older."""
    conn = sqlite3.connect(dirs["cache"] / "cache.db")
    with conn:
        conn.execute("UPDATE pages SET fetched_at = fetched_at - ?", (seconds,))
        conn.execute("UPDATE articles SET fetched_at = fetched_at - ?", (seconds,))
    conn.close()


def listing_rows(stdout: str) -> list[tuple[int, str]]:
    """(number, rest of line) for every numbered row of a listing table."""
    return [(int(m[1]), m[2]) for m in re.finditer(r"^ *(\d+) (.*)$", stdout, re.M)]


def etag_of(fixture: str) -> str:
    return '"' + hashlib.sha1(fixture_bytes(fixture)).hexdigest()[:20] + '"'


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    """Connection-refused retries back off 0.5 + 1 s; not needed to prove behaviour here."""
    import lillenews.net.fetch

    monkeypatch.setattr(lillenews.net.fetch, "BACKOFF", (0.0, 0.0))


# ---------------------------------------------------------------- list
def test_list_shows_20_rows_numbered_newest_first(cli, site):
    r = cli("list")
    assert r.exit_code == 0
    assert r.stderr == ""
    rows = listing_rows(r.stdout)
    assert [n for n, _ in rows] == list(range(1, 21))
    for n, rest in rows:
        assert SEED_HEADLINES[n - 1] in rest
    # Two pages of ten are enough for 20 headlines.
    assert site.hits(LISTING_PATHS[0]) == 1
    assert site.hits(LISTING_PATHS[1]) == 1
    assert site.hits(LISTING_PATHS[2]) == 0
    # Summaries are shown under the titles at 120 columns (dates as dd/mm/yyyy).
    assert "Cinquante caméras supplémentaires seront installées d’ici la fin de l’année." in r.stdout
    assert re.search(r"^ *4 .*08/02/2021 +Sécurité +Sécurité : des sites retenus", r.stdout, re.M)


def test_list_limit_50_follows_pagination(cli, site):
    items = as_json(cli("list", "--limit", "50", "--json"))
    assert [i["number"] for i in items] == list(range(1, 51))
    assert [i["title"] for i in items] == [plain(t) for t in SEED_HEADLINES[:50]]
    assert [site.hits(p) for p in LISTING_PATHS] == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]


def test_list_limit_reuses_fresh_cached_pages(cli, site):
    assert cli("list").exit_code == 0
    items = as_json(cli("list", "-n", "35", "--json"))
    assert [i["title"] for i in items] == [plain(t) for t in SEED_HEADLINES[:35]]
    assert [site.hits(p) for p in LISTING_PATHS] == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert len(as_json(cli("list", "-n", "5", "--json"))) == 5


def test_base_url_option(dirs, site):
    r = run_in_process("--base-url", site.base_url, "list", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)[0]["url"].startswith(site.base_url + "/Actualites/")


def test_list_all_gives_every_headline(cli, site):
    items = as_json(cli("list", "--all", "--json"))
    assert len(items) == 95
    assert [i["number"] for i in items] == list(range(1, 96))
    assert [i["title"] for i in items] == [plain(t) for t in SEED_HEADLINES]
    assert [site.hits(p) for p in LISTING_PATHS] == [1] * 10


def test_list_json_shape_and_values(cli, site):
    r = cli("list", "--all", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    items = json.loads(r.stdout)  # stdout is pure JSON
    assert r.stdout.endswith("]\n")
    base = site.base_url
    for item, exp in zip(items, EXPECTED_LISTING, strict=True):
        assert list(item) == HEADLINE_KEYS
        assert item["number"] == exp["index"] + 1
        assert item["title"] == plain(exp["title"])
        assert not any(nb in item["title"] for nb in NBSPS)
        # Absolute URL, tracking parameters dropped.
        assert item["url"] == base + exp["href"].split("?")[0]
        assert item["category"] == exp["category"]
        assert item["summary"] == plain(exp["summary"])
        assert item["image"] == (base + exp["image"] if exp["image"] else None)
        assert item["read"] is False
        if exp["date"] is None:
            assert item["date"] is None
        else:
            assert ISO_DATE.match(item["date"]), item
            if not exp["date_text"].startswith("Du "):  # a date range: either end is defensible
                assert item["date"] == exp["date"]
    by_number = {i["number"]: i for i in items}
    assert by_number[6]["date"] is None and by_number[6]["category"] is None  # no date, no category
    assert by_number[14]["summary"] is None
    assert by_number[10]["image"] is None
    assert by_number[8]["url"] == base + "/Actualites/Quelles-priorites-pour-le-budget-primitif-2021"
    assert by_number[12]["date"] == "2021-02-01"  # "Publié le 1er février 2021"
    assert by_number[5]["date"] == "2021-02-08"  # "08/02/2021"


def test_second_list_within_15_minutes_uses_the_cache(cli, site):
    first = cli("list", "--json")
    assert first.exit_code == 0
    site.clear_requests()
    second = cli("list", "--json")
    assert second.exit_code == 0
    assert site.requests == []
    assert second.stdout == first.stdout


def test_stale_listing_is_fetched_again(cli, site, dirs):
    assert cli("list").exit_code == 0
    age_cache(dirs, 14 * 60)
    site.clear_requests()
    assert cli("list").exit_code == 0
    assert site.requests == []  # 14 minutes old: still fresh
    age_cache(dirs, 2 * 60)
    site.clear_requests()
    r = cli("list", "--json")
    assert r.exit_code == 0
    assert site.hits(LISTING_PATHS[0]) == 1
    assert [i["title"] for i in json.loads(r.stdout)] == [plain(t) for t in SEED_HEADLINES[:20]]


def test_refresh_sends_conditional_requests_and_304_keeps_data(cli, site):
    first = as_json(cli("list", "--json"))
    site.clear_requests()
    r = cli("list", "--refresh", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    reqs = {q.route_path: q for q in site.requests}
    assert reqs[LISTING_PATHS[0]].headers.get("if-none-match") == etag_of("listing_p01.html")
    assert reqs[LISTING_PATHS[1]].headers.get("if-none-match") == etag_of("listing_p02.html")
    assert json.loads(r.stdout) == first
    # The 304 refreshed the cache's age: the next plain list stays off the network.
    site.clear_requests()
    assert cli("list").exit_code == 0
    assert site.requests == []


def test_offline_after_server_stopped_uses_cache(cli, site):
    first = as_json(cli("list", "--json"))
    site.stop()
    r = cli("list", "--offline", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    assert json.loads(r.stdout) == first


def test_offline_with_empty_cache_fails_clearly(cli, site):
    r = cli("list", "--offline")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "not cached" in error_line(r)
    assert site.requests == []


def test_redirected_listing_links_resolve_against_final_url(cli, site):
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>A</title></head><body><div class='content'>"
        "<h1>Actualités</h1><div class='actusMaster'>"
        "<div class='actualite'><div class='right'><span><a href='Article-A?utm_source=x&amp;utm_medium=y'>"
        "Titre&nbsp;A</a></span></div></div>"
        "<div class='actualite'><div class='right'><span><a href='../Autre/Article-B#haut'>Titre B</a></span>"
        "</div></div></div></div></body></html>"
    )
    site.route("/Actualites", "", status=301, headers={"Location": "/nouveau/Actualites/"})
    site.route("/nouveau/Actualites/", page)
    items = as_json(cli("list", "--json"))
    assert [(i["title"], i["url"]) for i in items] == [
        ("Titre A", site.base_url + "/nouveau/Actualites/Article-A"),
        ("Titre B", site.base_url + "/nouveau/Autre/Article-B"),
    ]


def test_user_agent_header(cli, site):
    assert cli("list").exit_code == 0
    assert site.requests
    expected = f"lillenews/{__version__} (+{lillenews.PROJECT_URL})"
    assert re.fullmatch(r"lillenews/\d+\.\d+\.\d+\S* \(\+https?://\S+\)", expected)
    assert {q.headers.get("user-agent") for q in site.requests} == {expected}


def test_refresh_and_offline_together_is_a_usage_error(cli):
    r = cli("list", "--refresh", "--offline")
    assert r.exit_code == 2
    error_line(r)


# ---------------------------------------------------------------- read
def test_read_seed_article_by_number(cli, site):
    assert cli("list").exit_code == 0
    r = cli("read", "4")
    assert r.exit_code == 0, r
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0] == f"4. {SECURITE_TITLE}"
    assert lines[1] == "8 février 2021 · Sécurité"
    out = flat(r.stdout)
    assert SECURITE_LEAD in out
    assert "Un centre de supervision urbain fin 2021" in lines
    assert "Recrutement de 50 policiers municipaux" in lines
    for _kind, text in make_fixtures.SEED_ARTICLE_BODY:
        assert flat(text) in out
    assert any(line.startswith("Lire aussi ") for line in lines)
    assert "• Plus de moyens pour la sécurité" in out
    for summary, _, _ in make_fixtures.SEED_RELATED:
        assert flat(summary) in out
    assert not any(re.match(r"^\s*•\s*Voir\b", line) for line in lines)
    for chrome in CHROME_MARKERS + CHROME_LINK_TITLES + ["Partager", "Plan du site", "Faux"]:
        assert chrome not in r.stdout
    # Piped output: links shown as <url>, no trailing padding.
    assert f"<{site.base_url}/Actualites/Plus-de-moyens-pour-la-securite>" in out
    assert all(line == line.rstrip() for line in lines)
    assert site.hits(ARTICLE_PATHS["securite"]) == 1


def test_read_by_url(cli, site):
    url = site.base_url + ARTICLE_PATHS["no_lead"]
    r = cli("read", url)
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert lines[0] == "Un droit de pétition locale à Lille"
    assert lines[1] == "5 février 2021 · Citoyenneté"
    assert "Comment ça marche ?" in lines
    assert flat(make_fixtures.NO_LEAD_BODY[3][1]) in flat(r.stdout)
    assert "┃" not in r.stdout  # no lead
    # Once the listing is known the URL gets its number.
    assert cli("list").exit_code == 0
    r2 = cli("read", url, "--json")
    assert json.loads(r2.stdout)["number"] == 7


def test_read_number_without_cached_listing_fetches_it(cli, site):
    r = cli("read", "4", "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["number"] == 4
    assert d["title"] == plain(SECURITE_TITLE)
    assert site.hits(LISTING_PATHS[0]) == 1


@pytest.mark.parametrize("pager", ["--pager", "--no-pager"])
def test_read_pager_options_when_piped(cli, pager):
    assert cli("list").exit_code == 0
    plain_out = cli("read", "4").stdout
    r = cli("read", "4", pager)
    assert r.exit_code == 0
    assert r.stdout == plain_out


@pytest.mark.parametrize("target", ["4", "URL"])
def test_read_offline_never_touches_the_network(cli, site, target):
    target = site.base_url + ARTICLE_PATHS["securite"] if target == "URL" else target
    r = cli("read", target, "--offline")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "not cached" in error_line(r) or "no cached listing" in error_line(r)
    assert site.requests == []


def test_read_json_shape(cli, site):
    assert cli("list").exit_code == 0
    r = cli("read", "4", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    d = json.loads(r.stdout)
    base = site.base_url
    assert list(d) == ARTICLE_KEYS
    assert d["number"] == 4
    assert d["title"] == plain(SECURITE_TITLE)
    assert d["url"] == base + ARTICLE_PATHS["securite"]
    assert d["date"] == "2021-02-08"
    assert d["category"] == "Sécurité"
    assert d["lead"] == plain(SECURITE_LEAD)
    paragraphs = d["text"].split("\n\n")
    assert paragraphs[0] == plain(make_fixtures.SEED_ARTICLE_BODY[0][1])
    assert paragraphs[-1] == plain(make_fixtures.SEED_ARTICLE_BODY[-1][1])
    assert "Un centre de supervision urbain fin 2021" in paragraphs
    assert "Recrutement de 50 policiers municipaux" in paragraphs
    assert "Lire aussi" not in d["text"]
    assert "Améliorer la tranquillité publique" not in d["text"]
    for chrome in CHROME_MARKERS:
        assert chrome not in d["text"]
    assert d["markdown"].startswith(f"# {plain(SECURITE_TITLE)}\n")
    assert d["images"] == [
        {
            "url": base + make_fixtures.ARTICLE_IMAGES["securite"],
            "alt": "Caméra de vidéoprotection",
            "caption": "Une caméra de vidéoprotection dans le centre-ville de Lille",
            "credit": None,
        }
    ]
    assert [list(x) for x in d["related"]] == [["title", "url", "summary"]] * 3
    assert [x["url"] for x in d["related"]] == [base + href for _, href, _ in make_fixtures.SEED_RELATED]
    assert [x["summary"] for x in d["related"]] == [plain(s) for s, _, _ in make_fixtures.SEED_RELATED]
    assert d["related"][0]["title"] == "Plus de moyens pour la sécurité"  # from the title attribute
    for rel in d["related"]:
        assert rel["title"] and rel["title"].strip().lower() != "voir"


def test_read_json_lists_images_and_absent_values(cli, site):
    d = as_json(cli("read", site.base_url + ARTICLE_PATHS["no_date"], "--json"))
    assert d["date"] is None
    assert d["number"] is None  # no listing cached: a URL has no number
    d2 = as_json(cli("read", site.base_url + ARTICLE_PATHS["no_lead"], "--json"))
    assert d2["lead"] is None
    d3 = as_json(cli("read", site.base_url + ARTICLE_PATHS["tables_lists"], "--json"))
    assert [list(i) for i in d3["images"]] == [["url", "alt", "caption", "credit"]] * len(d3["images"])
    assert {
        "url": site.base_url + make_fixtures.ARTICLE_IMAGES["tables_lists_body"],
        "alt": "Enfants en classe",
        "caption": "Une classe lilloise",
        "credit": None,
    } in d3["images"]
    assert "- le carnet de santé de l’enfant (vaccinations à jour)." in d3["text"].split("\n\n")


def test_read_markdown(cli, site):
    r = cli("read", site.base_url + ARTICLE_PATHS["tables_lists"], "--markdown")
    assert r.exit_code == 0
    assert r.stderr == ""
    md = r.stdout
    lines = md.splitlines()
    assert lines[0] == "# Inscriptions scolaires (3-12 ans)"
    assert "## Les pièces à fournir" in lines
    assert "### Calendrier" in lines
    assert "- le carnet de santé de l’enfant (vaccinations à jour)." in lines
    assert "1. Remplir le formulaire en ligne ou en mairie de quartier." in lines
    assert "3. Prendre rendez-vous avec la directrice ou le directeur de l’école." in lines
    assert "| Âge | Classe | Date limite |" in lines
    assert "| 11 ans | 6e (collège) | 30 avril 2021 |" in lines
    assert any(re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|){3}", line) for line in lines)
    assert "[liste des justificatifs acceptés](<https://www.service-public.fr/particuliers/vosdroits/F2359>)" in md
    assert "> « L’école est le premier lieu de l’égalité des chances. »" in [plain(x) for x in lines]
    assert "javascript:" not in md
    assert (
        f"- [Co-working et médiation numérique](<{site.base_url}/Actualites/Co-working-et-mediation-numerique>)" in md
    )
    assert "## Lire aussi" in lines
    assert md.endswith("\n")


def test_read_999_after_list(cli):
    assert cli("list").exit_code == 0
    r = cli("read", "999")
    assert r.exit_code == 2
    assert r.stdout == ""
    # The listing is read to its end before the number is refused.
    assert r.stderr == "Error: no article 999 (the listing has 1–95); run 'lillenews list --all' to see them\n"


@pytest.mark.parametrize("target", ["abc", "https://example.com/x", "ftp://127.0.0.1/Actualites/x"])
def test_read_bad_target_is_a_usage_error(cli, site, target):
    assert cli("list").exit_code == 0
    site.clear_requests()
    r = cli("read", target)
    assert r.exit_code == 2
    assert r.stdout == ""
    error_line(r)
    assert site.requests == []


def test_read_other_site_names_it(cli):
    r = cli("read", "https://example.com/x")
    assert r.exit_code == 2
    assert "example.com" in error_line(r)


@pytest.mark.parametrize(
    "args", [("list", "--bogus"), ("read", "4", "--bogus"), ("search", "x", "--bogus"), ("--bogus",), ("frobnicate",)]
)
def test_unknown_option_or_command_is_a_usage_error(cli, args):
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    line = error_line(r)
    assert args[-1] in line


def test_read_offline_after_server_stops(cli, site):
    assert cli("list").exit_code == 0
    first = cli("read", "4")
    assert first.exit_code == 0
    site.stop()
    r = cli("read", "4", "--offline")
    assert r.exit_code == 0
    assert r.stderr == ""
    assert r.stdout == first.stdout
    # Without --offline too: a cached article is kept until refreshed.
    r2 = cli("read", "4")
    assert r2.exit_code == 0
    assert r2.stdout == first.stdout
    # An article never read is not cached: a clear failure.
    r3 = cli("read", "7", "--offline")
    assert r3.exit_code == 1
    assert r3.stdout == ""
    assert "not cached" in error_line(r3)


def test_read_refresh_is_conditional_and_failure_keeps_cached_article(cli, site, dirs):
    assert cli("list").exit_code == 0
    first = cli("read", "4")
    site.clear_requests()
    r = cli("read", "4", "--refresh")
    assert r.exit_code == 0
    assert r.stdout == first.stdout
    req = [q for q in site.requests if q.route_path == ARTICLE_PATHS["securite"]]
    assert len(req) == 1
    assert req[0].headers.get("if-none-match") == etag_of("article_securite.html")
    # The site now fails: the cached article is shown with a warning.
    site.route(ARTICLE_PATHS["securite"], "<html><body><h1>Erreur</h1></body></html>", status=500)
    age_cache(dirs, 3 * 3600)
    r2 = cli("read", "4", "--refresh")
    assert r2.exit_code == 0
    assert r2.stdout == first.stdout
    assert r2.stderr.startswith("Warning: ")
    assert "500" in r2.stderr and "3 hours ago" in r2.stderr


def test_hostile_article_is_printed_literally_and_safely(cli, site):
    url = site.base_url + ARTICLE_PATHS["hostile"]
    outputs = {}
    for fmt in ((), ("--json",), ("--markdown",)):
        r = cli("read", url, *fmt)
        assert r.exit_code == 0, r
        outputs[fmt] = r.stdout + r.stderr
        assert not UNSAFE.search(r.stdout + r.stderr), (fmt, [c for c in r.stdout if UNSAFE.match(c)])
        assert "javascript:" not in r.stdout
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    rich_out = outputs[()]
    assert rich_out.splitlines()[0] == make_fixtures.HOSTILE_TITLE
    assert "[bold]" in rich_out and "[/bold]" in rich_out
    assert "[red]not markup[/red]" in rich_out
    assert "Liens [italic]douteux[/italic]" in rich_out
    assert "ROUGE" in rich_out
    d = json.loads(outputs[("--json",)])
    # JSON would escape a control character as \\u001b: check the decoded values too.
    assert not any(UNSAFE.search(v) for v in strings_in(d))
    assert d["title"] == make_fixtures.HOSTILE_TITLE
    assert d["lead"] == "Retour sur la séance du conseil municipal."
    # Site text that looks like markup stays text; no link points at the hostile targets.
    assert "(<https://evil.example" not in d["markdown"]
    assert r"\[link=https://evil.example\]" in d["markdown"]


# ---------------------------------------------------------------- search
def expected_search(words: list[str], count: int = 95) -> list[int]:
    hits = []
    for exp in EXPECTED_LISTING[:count]:
        hay = fold(plain(exp["title"]) + "\n" + (plain(exp["summary"]) or ""))
        if all(fold(w) in hay for w in words):
            hits.append(exp["index"] + 1)
    return hits


def test_search_keeps_listing_numbers(cli):
    assert cli("list", "--all").exit_code == 0
    r = cli("search", "securite", "--json")
    assert r.exit_code == 0
    assert r.stderr == ""
    items = json.loads(r.stdout)
    assert [i["number"] for i in items] == expected_search(["securite"]) == [2, 4, 44]
    four = next(i for i in items if i["number"] == 4)
    assert four["title"] == plain(SECURITE_TITLE)
    assert all(list(i) == HEADLINE_KEYS for i in items)
    # The rich table shows the same numbers; `read 4` then reads that article.
    table = cli("search", "securite")
    assert [n for n, _ in listing_rows(table.stdout)] == [2, 4, 44]
    assert cli("read", "4", "--json").stdout.count(f'"title": "{plain(SECURITE_TITLE)}"') == 1


@pytest.mark.parametrize(
    "words, expected",
    [
        (["ECONOMIES"], [20]),
        (["EGLISE"], [34, 39]),
        (["SÉCURITÉ", "CAMÉRAS"], [4]),
        (["vidéoprotection"], [4]),
        (["securite", "zzz"], []),
    ],
)
def test_search_case_accents_and_all_words(cli, words, expected):
    assert cli("list", "--all").exit_code == 0
    items = as_json(cli("search", *words, "--json"))
    assert [i["number"] for i in items] == expected == expected_search(words)


def test_search_limit(cli):
    assert cli("list", "--all").exit_code == 0
    items = as_json(cli("search", "securite", "--limit", "1", "--json"))
    assert [i["number"] for i in items] == [2]


def test_search_no_match(cli):
    assert cli("list").exit_code == 0
    r = cli("search", "zzzzzz", "--json")
    assert r.exit_code == 0
    assert r.stdout == "[]\n"
    r2 = cli("search", "zzzzzz")
    assert r2.exit_code == 0
    assert r2.stdout == ""


def test_search_without_cached_listing_fetches_it(cli, site):
    r = cli("search", "securite", "--json")
    assert r.exit_code == 0
    assert site.hits(LISTING_PATHS[0]) == 1
    numbers = [i["number"] for i in json.loads(r.stdout)]
    assert 4 in numbers
    assert numbers == sorted(numbers)


def test_search_refreshes_a_stale_listing(cli, site, dirs):
    assert cli("list", "-n", "50").exit_code == 0
    age_cache(dirs, 20 * 60)
    site.clear_requests()
    assert [i["number"] for i in as_json(cli("search", "securite", "--json"))] == expected_search(["securite"], 50)
    assert site.hits(LISTING_PATHS[0]) == 1
    site.clear_requests()
    assert cli("search", "securite", "--json").exit_code == 0
    assert site.requests == []  # now fresh


def test_search_offline_without_cache_fails(cli, site):
    r = cli("search", "securite", "--offline")
    assert r.exit_code == 1
    assert "not cached" in error_line(r)
    assert site.requests == []


# ---------------------------------------------------------------- version, help
def test_version_in_process(cli):
    r = cli("--version")
    assert r.exit_code == 0
    assert r.stdout == f"lillenews {__version__}\n"


def test_version_python_m(dirs):
    r = run_subprocess("--version")
    assert r.exit_code == 0
    assert r.stdout == f"lillenews {__version__}\n"
    assert r.stderr == ""


def test_python_m_without_arguments_shows_help(dirs):
    r = run_subprocess()
    assert r.exit_code == 0
    assert "Usage:" in r.stdout
    for command in ("list", "read", "search"):
        assert re.search(rf"^\s+{command}\s", r.stdout, re.M)
    assert r.stderr == ""


@pytest.mark.parametrize(
    "command, options",
    [
        ("list", ["--limit", "--all", "--refresh", "--offline", "--json"]),
        ("read", ["--refresh", "--offline", "--json", "--markdown", "--pager", "--no-pager"]),
        ("search", ["--limit", "--json"]),
    ],
)
def test_help_of_each_command(cli, command, options):
    r = cli(command, "--help")
    assert r.exit_code == 0
    assert r.stdout.startswith(f"Usage: lillenews {command} ")
    for option in options:
        assert option in r.stdout
    assert r.stderr == ""


def test_help_subprocess(dirs):
    r = run_subprocess("read", "--help")
    assert r.exit_code == 0
    assert r.stdout.startswith("Usage: lillenews read ")
    assert "--markdown" in r.stdout


# ---------------------------------------------------------------- failures
def test_network_failure_without_cache(dirs):
    base = closed_port_url()
    start = time.monotonic()
    # A budget (3 x 0.1 s) under the first backoff (0.5 s): the real process fails at
    # once instead of sleeping 1.5 s; the retries are test_network_faults' (on an injected clock).
    env = {"LILLENEWS_BASE_URL": base, "LILLENEWS_TIMEOUT": "0.1", "LILLENEWS_MAX_RETRY_WAIT": "0"}
    r = run_subprocess("list", env=env)
    assert time.monotonic() - start < 20
    assert r.exit_code == 1
    assert r.stdout == ""
    line = error_line(r)
    assert f"{base}/Actualites" in line
    assert "refused" in line


def test_network_failure_with_good_cache_shows_it_with_a_warning(cli, site, dirs):
    first = as_json(cli("list", "--json"))
    age_cache(dirs, 2 * 3600)
    site.stop()
    r = cli("list", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == first
    warnings = [line for line in r.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings
    assert "2 hours ago" in warnings[0]
    assert "Error" not in r.stderr


def test_http_500_on_refresh_keeps_cached_data(cli, site):
    first = as_json(cli("list", "--json"))
    site.route(LISTING_PATHS[0], "<html><body><h1>Erreur interne</h1></body></html>", status=500)
    r = cli("list", "--refresh", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == first
    assert r.stderr.startswith("Warning: ") and "500" in r.stderr
    site.stop()
    assert as_json(cli("list", "--offline", "--json")) == first


def test_layout_change_on_refresh_keeps_cached_data(cli, site):
    first = as_json(cli("list", "--json"))
    site.route(LISTING_PATHS[0], fixture_bytes("layout_changed.html"))
    r = cli("list", "--refresh", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == first
    assert "layout may have changed" in r.stderr
    assert as_json(cli("list", "--offline", "--json")) == first


def test_article_without_text_is_an_error_and_keeps_cache(cli, site):
    empty = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title></head>"
        "<body><div class='content'><h1>Titre seul</h1></div></body></html>"
    )
    url = site.base_url + ARTICLE_PATHS["no_lead"]
    site.route(ARTICLE_PATHS["no_lead"], empty)
    r = cli("read", url)
    assert r.exit_code == 1
    assert r.stdout == ""
    line = error_line(r)
    assert "layout may have changed" in line and url in line
    # A good cached copy survives a refresh that yields no text.
    assert cli("list").exit_code == 0
    first = cli("read", "4")
    site.route(ARTICLE_PATHS["securite"], empty)
    r2 = cli("read", "4", "--refresh")
    assert r2.exit_code == 0
    assert r2.stdout == first.stdout
    assert r2.stderr.startswith("Warning: ") and "layout may have changed" in r2.stderr
    assert cli("read", "4", "--offline").stdout == first.stdout


@pytest.mark.parametrize(
    "status, body, ctype, cause",
    [
        (404, "<html><body><h1>Page introuvable</h1></body></html>", "text/html; charset=utf-8", "404"),
        (200, b"\x89PNG\r\n", "image/png", "not an HTML page"),
    ],
)
def test_http_error_and_non_html_article(cli, site, status, body, ctype, cause):
    path = "/Actualites/Un-article-casse"
    site.route(path, body, status=status, content_type=ctype)
    r = cli("read", site.base_url + path)
    assert r.exit_code == 1
    assert r.stdout == ""
    line = error_line(r)
    assert site.base_url + path in line and cause in line


def test_layout_changed_page_is_an_error(cli, site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url + "/maintenance")
    r = run_in_process("list")
    assert r.exit_code == 1
    assert r.stdout == ""
    line = error_line(r)
    assert "layout may have changed" in line
    assert site.base_url + "/maintenance/Actualites" in line


def test_generic_markup_site(cli, site, monkeypatch):
    monkeypatch.setenv("LILLENEWS_BASE_URL", site.base_url + "/generic")
    items = as_json(run_in_process("list", "--json"))
    assert [i["title"] for i in items] == [plain(t) for t in SEED_HEADLINES[19:29]]
    assert [i["number"] for i in items] == list(range(1, 11))
    assert all(i["url"].startswith(site.base_url + "/generic/Actualites/") for i in items)
    assert all(ISO_DATE.match(i["date"]) for i in items)
    assert [site.hits(p) for p in GENERIC_LISTING_PATHS] == [1, 1]
    for menu in ("Toute l'actu", "Agenda des quartiers", "Les plus lus", "Newsletter", "Archives"):
        assert menu not in [i["title"] for i in items]
    d = as_json(run_in_process("read", site.base_url + ARTICLE_PATHS["generic"], "--json"))
    assert d["title"] == make_fixtures.GENERIC_TITLE
    assert d["date"] == "2021-01-15"
    assert d["lead"] == make_fixtures.GENERIC_INTRO
    assert d["text"].split("\n\n") == [plain(t) for _, t in make_fixtures.GENERIC_BODY]
    assert [(r["title"], r["url"]) for r in d["related"]] == [
        (title, site.base_url + href) for href, title in make_fixtures.GENERIC_RELATED
    ]
    for chrome in ("Ce site utilise des cookies", "Hôtel de Ville", "Plan du site"):
        assert chrome not in d["text"] and chrome not in d["markdown"]


@pytest.mark.parametrize("key", ["latin1", "latin1_no_header"])
def test_latin1_article(cli, site, key):
    d = as_json(cli("read", site.base_url + ARTICLE_PATHS[key], "--json"))
    assert d["title"] == "Économies d'énergie : les solutions lilloises"
    assert d["lead"] == make_fixtures.LATIN1_LEAD
    assert d["text"].split("\n\n") == [plain(t) for _, t in make_fixtures.LATIN1_BODY]
    assert d["date"] == "2021-01-10"
    assert "\ufffd" not in json.dumps(d, ensure_ascii=False)
    assert "Ã" not in json.dumps(d, ensure_ascii=False)


def test_entities_and_nbsp_article(cli, site):
    d = as_json(cli("read", site.base_url + ARTICLE_PATHS["entities"], "--json"))
    assert d["title"] == "Lille se métamorphose avec vous !"
    assert d["date"] == "2021-02-16"
    assert "&" not in d["title"] + d["lead"]
    assert "  " not in d["text"]


# ---------------------------------------------------------------- settings
def test_bad_timeout_env_is_a_usage_error(cli, monkeypatch):
    monkeypatch.setenv("LILLENEWS_TIMEOUT", "abc")
    r = run_in_process("list")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "LILLENEWS_TIMEOUT" in error_line(r)


def test_malformed_config_is_a_usage_error(cli, dirs):
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("timeout = = 3\n[", encoding="utf-8")
    r = cli("list")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "config.toml" in error_line(r)


def test_settings_precedence_load_settings(dirs, tmp_path):
    from lillenews.base.config import load_settings

    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("timeout = 3\n", encoding="utf-8")
    env = {"LILLENEWS_CONFIG_DIR": str(dirs["config"])}
    assert load_settings({}, env).timeout == 3.0
    assert load_settings({}, {**env, "LILLENEWS_TIMEOUT": "7"}).timeout == 7.0
    assert load_settings({"timeout": "2"}, {**env, "LILLENEWS_TIMEOUT": "7"}).timeout == 2.0
    assert load_settings({}, {"LILLENEWS_CONFIG_DIR": str(tmp_path / "nowhere")}).timeout == 10.0


def test_settings_precedence_observed(cli, site, dirs, monkeypatch):
    """The timeout in force shows in the error of a page that answers too slowly."""
    site.route(LISTING_PATHS[0], fixture_bytes("listing_p01.html"), delay=5)
    dirs["config"].mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text("timeout = 0.3\n", encoding="utf-8")
    r = cli("list")
    assert r.exit_code == 1
    assert "timed out after 0.3 s" in error_line(r)
    monkeypatch.setenv("LILLENEWS_TIMEOUT", "0.2")
    r = run_in_process("list")
    assert "timed out after 0.2 s" in error_line(r)
    r = run_in_process("--timeout", "0.1", "list")
    assert r.exit_code == 1
    assert "timed out after 0.1 s" in error_line(r)


# ---------------------------------------------------------------- real process output
def test_piped_output_has_no_escape_codes(site, dirs, monkeypatch):
    """Colour is allowed by the environment, but stdout is a pipe: no escape codes at all."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    env = {"LILLENEWS_BASE_URL": site.base_url, "TERM": "xterm-256color"}
    r = run_subprocess("list", env=env)
    r2 = run_subprocess("read", site.base_url + ARTICLE_PATHS["hostile"], env=env)
    r3 = run_subprocess("read", site.base_url + ARTICLE_PATHS["tables_lists"], env={**env, "NO_COLOR": "1"})
    for res in (r, r2, r3):
        assert res.exit_code == 0, res
        assert "\x1b" not in res.stdout + res.stderr
        assert not UNSAFE.search(res.stdout)
    assert [n for n, _ in listing_rows(r.stdout)] == list(range(1, 21))
    assert "[bold]municipal[/bold]" in r2.stdout
    assert "<https://www.service-public.fr/particuliers/vosdroits/F2359>" in flat(r3.stdout)


def test_a_maintenance_page_served_with_200_never_replaces_a_cached_article(cli, site, dirs):
    """A short, different page at the article's address (a maintenance or error page
    answered with 200) is a layout problem: the good cached copy stays."""
    assert cli("list").exit_code == 0
    first = cli("read", "4", "--json")
    assert first.exit_code == 0
    site.route(ARTICLE_PATHS["securite"], fixture_bytes("layout_changed.html"))
    r = cli("read", "4", "--refresh", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(first.stdout)
    assert r.stderr.startswith("Warning: ") and "layout may have changed" in r.stderr
    again = cli("read", "4", "--offline", "--json")
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_list_at_a_terminal_is_a_rich_table_with_a_hint_on_stderr(site, dirs):
    """At a terminal (a real pty), stdout gets the Rich table and stderr a hint about
    more headlines; piped output (the other tests) gets neither colours nor the hint."""
    import os
    import pty
    import subprocess
    import sys

    env = dict(os.environ, LILLENEWS_BASE_URL=site.base_url, COLUMNS="120", TERM="xterm")
    env.pop("NO_COLOR", None)
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "lillenews", "list", "--limit", "5"],
            stdout=slave,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" in out  # colours: the Rich table, not the plain renderer
    assert "Lieux culturels" in out
    assert proc.stderr.decode() == "More with --limit N or --all. Read one with: lillenews read N\n"


# ---------------------------------------------------------------- one layout for every format
def test_feed_shows_the_figures_read_markdown_and_json_show(cli):
    """The feed used to drop the article's figures that Markdown, JSON and the
    terminal show; every format now walks the same view."""
    import xml.etree.ElementTree as ET

    assert cli("list", "-n", "15").exit_code == 0
    article = as_json(cli("read", "4", "--json"))
    figures = [image["url"] for image in article["images"]]
    assert figures, "the seed article has a picture: the test would prove nothing"
    markdown = cli("read", "4", "--markdown").stdout
    entry = ET.fromstring(cli("feed", "-n", "15").stdout.encode("utf-8")).findall("{http://www.w3.org/2005/Atom}entry")[
        3
    ]
    content = entry.findtext("{http://www.w3.org/2005/Atom}content")
    assert entry.findtext("{http://www.w3.org/2005/Atom}id") == article["url"]
    for url in figures:
        assert f"(<{url}>)" in markdown and f'<img src="{url}"' in content
    assert content.index(article["lead"]) < content.index(figures[0])
