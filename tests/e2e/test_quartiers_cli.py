"""Quartiers end to end (README, "Mon quartier"): the real CLI against the local site of
tests/quartier_site.py (news naming every variant and the false friends) and the agenda of
tests/fixtures/make_events.py, with a real store in temp dirs. Every command's
`--quartier` returns exactly the items whose JSON names the quartier; an unknown name is
a usage error with the nearest names; the `quartier` setting is the default."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import pathlib
import re

import pytest
from conftest import run_in_process
from quartier_site import NEWS, PER_PAGE, build_quartier_site, page_path

from lillenews.app.events import EventService
from lillenews.site.quartiers import NAMES

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("quartier_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]


def ok(*args: str):
    result = run_in_process(*args)
    assert result.exit_code == 0, result.stderr
    return result


def js(*args: str) -> list[dict]:
    return json.loads(ok(*args, "--json").stdout)


def urls(items: list[dict]) -> list[str]:
    return [i["url"] for i in items]


@pytest.fixture
def qsite(cli, site):
    return build_quartier_site(site)


@pytest.fixture
def agenda(cli, site, monkeypatch):
    monkeypatch.setattr(EventService, "today", property(lambda self: me.TODAY))
    for path, page in me.all_pages().items():
        site.route(path, page, last_modified=me.LAST_MODIFIED)
    return site


# ---------------------------------------------------------------------------- tags in JSON
def test_list_json_names_the_quartiers_of_titles_and_summaries_then_of_bodies(qsite):
    listed = {d["title"]: d["quartiers"] for d in js("list", "--all")}
    for q in NEWS:
        assert listed[q.title] == [n for n in NAMES if n in q.names and n not in q.from_body], q.title
    # A name in the body only is known once the article is cached (read, or sync).
    [gym] = [n for n, q in enumerate(NEWS, 1) if q.from_body]
    assert "Hellemmes" in json.loads(ok("read", str(gym), "--json").stdout)["quartiers"]
    assert {d["title"]: d["quartiers"] for d in js("list", "--all")}[NEWS[gym - 1].title] == ["Hellemmes"]


def test_false_friends_are_in_no_quartier(qsite):
    listed = {d["title"]: d["quartiers"] for d in js("list", "--all")}
    for title in (
        "Des moulins à eau restaurés",
        "Travaux à Fivesville",
        "Un nouveau centre de loisirs",
        "Lille se métamorphose",
    ):
        assert listed[title] == []


# ---------------------------------------------------------------------------- list
def test_each_quartier_of_list_returns_exactly_the_tagged_headlines_with_their_numbers(qsite):
    everything = js("list", "--all")
    for name in NAMES:
        filtered = js("list", "--all", "--quartier", name)
        assert filtered == [d for d in everything if name in d["quartiers"]], name
    assert [d["number"] for d in js("list", "--quartier", "Wazemmes")] == [7]  # its place in the whole listing


def test_repeated_it_means_any_and_every_variant_names_one(qsite):
    either = js("list", "--all", "--quartier", "wazemmes", "--quartier", "LILLE SUD")
    assert {d["title"] for d in either} == {
        "Médiathèque : horaires d'été", "Conseil de quartier", "Lille-Sud : la mairie de quartier",
    }  # fmt: skip
    for typed in ("moulins", "Lille-Moulins", "lille moulins"):
        assert urls(js("list", "--all", "--quartier", typed)) == urls(js("list", "--all", "--quartier", "Moulins"))
    assert len(js("list", "--all", "--quartier", "centre-ville")) == 2  # a variant names its quartier: Centre


def test_a_filtered_list_reads_pages_until_enough_within_pages_and_says_how_far(qsite, site):
    site.clear_requests()
    r = ok("list", "--quartier", "Lille-Sud", "--limit", "1")
    assert [line.split()[0] for line in r.stdout.splitlines()[1:2]] == ["11"]
    assert "Looked through 2 listing pages (12 headlines, back to 01/03/2021)." in r.stderr
    assert site.hits(page_path(2)) == 0
    # Not enough within --pages: what it found, how far it looked, how to look further.
    r = ok("list", "--quartier", "Bois-Blancs", "--pages", "2", "--refresh", "--json")
    assert [d["title"] for d in json.loads(r.stdout)] == ["Jardins partagés"]
    assert "Looked through 2 listing pages (12 headlines" in r.stderr and "More with --pages N or --all." in r.stderr
    assert site.hits(page_path(2)) == 0
    r = ok("list", "--quartier", "Bois-Blancs", "--all", "--json")
    assert [d["title"] for d in json.loads(r.stdout)] == ["Jardins partagés", "Bois-Blancs : une passerelle"]
    assert f"Looked through the whole listing: 4 listing pages ({len(NEWS)} headlines" in r.stderr
    assert ok("list", "--quartier", "Bois-Blancs", "--pages", "4", "--json").stdout == r.stdout
    assert len(NEWS) > 3 * PER_PAGE


def test_a_filtered_list_offline_reads_the_cached_pages_only(qsite, site):
    ok("list", "--limit", str(PER_PAGE))
    site.clear_requests()
    r = ok("list", "--quartier", "Moulins", "--offline")
    assert "Fête de quartier à Moulins" in r.stdout and "Looked through 1 listing page" in r.stderr
    assert site.requests == []


def test_pages_without_a_quartier_is_a_usage_error(qsite):
    r = run_in_process("list", "--pages", "2")
    assert r.exit_code == 2 and "--pages limits a --quartier list" in r.stderr


# ---------------------------------------------------------------------------- search, feed
def test_search_and_full_text_search_return_exactly_the_tagged(qsite):
    ok("sync", "--all")
    for words in (["fête"], ["mairie"], ["la"]):
        everything = js("search", *words)
        everything_full = js("search", "--full", *words, "--limit", "100")
        for name in NAMES:
            assert js("search", *words, "--quartier", name) == [d for d in everything if name in d["quartiers"]]
            full = js("search", "--full", *words, "--quartier", name, "--limit", "100")
            assert urls(full) == [d["url"] for d in everything_full if name in d["quartiers"]], (words, name)
    # the example, and a name from an article's body: one query each
    assert [d["title"] for d in js("search", "--full", "fête", "--quartier", "Moulins")] == [
        "Fête de quartier à Moulins"
    ]
    assert [d["title"] for d in js("search", "--full", "gymnase", "--quartier", "Hellemmes")] == [
        "Rénovation du gymnase"
    ]
    assert js("search", "gymnase", "--quartier", "Hellemmes")[0]["quartiers"] == ["Hellemmes"]


def test_feed_by_quartier(qsite):
    ok("list", "--all")
    feed = ok("feed", "--quartier", "Vieux-Lille").stdout
    assert re.findall(r"<title>([^<]*)</title>", feed)[1:] == ["Concert au vieux lille", "Vieux-Lille : les pavés"]
    assert len(re.findall("<entry>", ok("feed", "--quartier", "Hellemmes").stdout)) == 0


# ---------------------------------------------------------------------------- events
def test_each_quartier_of_events_returns_exactly_the_tagged_events(agenda):
    everything = js("events", "--all")
    named = {name for d in everything for name in d["quartiers"]}
    assert {"Fives", "Lille-Moulins", "Lille-Sud", "Vauban-Esquermes", "Vieux-Lille", "Wazemmes"} <= named
    for name in NAMES:
        assert urls(js("events", "--all", "--quartier", name)) == [
            d["url"] for d in everything if name in d["quartiers"]
        ]
    weekend = js("events", "--weekend")
    assert urls(js("events", "--weekend", "--quartier", "Vieux-Lille")) == [
        d["url"] for d in weekend if "Vieux-Lille" in d["quartiers"]
    ]
    assert js("events", "--weekend", "--quartier", "Vieux-Lille")


def test_events_are_tagged_by_venue_and_address_and_not_by_false_friends(agenda):
    tags = {d["title"]: d["quartiers"] for d in js("events", "--all")}
    assert tags["Stage de sculpture pour les 8-12 ans"] == ["Lille-Moulins"]  # the venue: Maison Folie Moulins
    assert tags["Atelier compostage"] == ["Wazemmes"]  # Maison Folie Wazemmes
    assert tags["Marionnettes au Jardin Vauban"] == ["Vauban-Esquermes"]
    assert tags["Exposition « Lille, ville d'eau »"] == []  # « Canaux, moulins et lavoirs »
    assert tags["Concert de l'Orchestre national de Lille"] == []  # Lille alone


def test_an_event_named_only_in_its_address(agenda, site):
    ev = me.Ev("Atelier vélo", "Atelier-velo", "Stage et atelier", "Le 20 juin 2024", "2024-06-20", "2024-06-20",
               me.Place("Maison de quartier", ("12 rue Pierre Legrand, Fives", "59800 Lille")), "Réparer son vélo.",
               image=False)  # fmt: skip
    site.route("/Evenements", me.listing_html([ev], 1, 1, None, None), last_modified=me.LAST_MODIFIED)
    assert [d["quartiers"] for d in js("events", "--refresh")] == [["Fives"]]
    assert [d["title"] for d in js("events", "--quartier", "Fives")] == ["Atelier vélo"]
    [event] = js("events", "--quartier", "Lille-Sud") or [None]
    assert event is None


def test_ics_of_a_quartier(agenda):
    ics = ok("events", "--all", "--ics", "--quartier", "Vieux-Lille").stdout
    expected = [d["title"] for d in js("events", "--all", "--quartier", "Vieux-Lille") if d["date"] or d["date_end"]]
    assert sorted(re.findall(r"^SUMMARY:(.*?)\r?$", ics, flags=re.M)) == sorted(expected)
    assert len(expected) >= 3


def test_event_json_names_the_quartiers_of_its_page(agenda):
    ok("events", "--all")
    page = json.loads(ok("event", agenda.base_url + "/Evenements/Atelier-compostage", "--json").stdout)
    assert page["quartiers"] == ["Wazemmes"]


# ---------------------------------------------------------------------------- names and the setting
@pytest.mark.parametrize(
    "command",
    [("list",), ("search", "fête"), ("search", "--full", "fête"), ("events",), ("events", "--ics"), ("feed",),
     ("new",), ("browse",)],
)  # fmt: skip
def test_an_unknown_quartier_is_a_usage_error_naming_the_nearest(qsite, command):
    r = run_in_process(*command, "--quartier", "Wazemes")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == "Error: unknown quartier 'Wazemes'; did you mean Wazemmes? (the list: lillenews quartiers)\n"


def test_all_cannot_be_mixed_with_names(qsite):
    r = run_in_process("list", "--quartier", "all", "--quartier", "Fives")
    assert r.exit_code == 2 and "--quartier all cannot be combined" in r.stderr


def test_the_setting_is_the_default_and_all_overrides_it(qsite, monkeypatch, dirs):
    everything = js("list", "--all")
    monkeypatch.setenv("LILLENEWS_QUARTIER", "Fives, moulins")
    assert {n for d in js("list", "--all") for n in d["quartiers"]} >= {"Fives", "Lille-Moulins"}
    assert all({"Fives", "Lille-Moulins"} & set(d["quartiers"]) for d in js("list", "--all"))
    assert js("list", "--all", "--quartier", "all") == everything
    assert urls(js("list", "--all", "--quartier", "Lomme")) == [
        u["url"] for u in everything if "Lomme" in u["quartiers"]
    ]
    monkeypatch.delenv("LILLENEWS_QUARTIER")
    (dirs["config"]).mkdir(parents=True, exist_ok=True)
    (dirs["config"] / "config.toml").write_text('quartier = ["Lomme"]\n', encoding="utf-8")
    assert [d["title"] for d in js("list", "--all")] == ["Jardins partagés"]
    (dirs["config"] / "config.toml").write_text('quartier = "Wazemes"\n', encoding="utf-8")
    r = run_in_process("list")
    assert r.exit_code == 2 and r.stderr.startswith("Error: the quartier setting (LILLENEWS_QUARTIER or quartier in ")
    assert "did you mean Wazemmes?" in r.stderr
    (dirs["config"] / "config.toml").write_text("quartier = 3\n", encoding="utf-8")
    r = run_in_process("list")
    assert r.exit_code == 2 and "expected a quartier name" in r.stderr


# ---------------------------------------------------------------------------- `lillenews quartiers`
def test_quartiers_counts_cached_headlines_and_upcoming_events(qsite, agenda):
    headlines, events = js("list", "--all"), js("events", "--all")
    counts = js("quartiers")
    assert [c["name"] for c in counts] == list(NAMES)
    for c in counts:
        assert c["headlines"] == sum(c["name"] in d["quartiers"] for d in headlines), c
        assert c["events"] == sum(c["name"] in d["quartiers"] for d in events), c
    assert next(c for c in counts if c["name"] == "Lille-Moulins")["variants"] == ["Lille-Moulins", "Moulins"]
    text = ok("quartiers").stdout.splitlines()
    assert text[0].split() == ["Quartier", "Headlines", "Events"] and len(text) == 13
    wazemmes = next(c for c in counts if c["name"] == "Wazemmes")
    assert text[-1].split() == ["Wazemmes", str(wazemmes["headlines"]), str(wazemmes["events"])]


def test_quartiers_never_touches_the_network(qsite, site):
    site.clear_requests()
    assert all(c["headlines"] == 0 == c["events"] for c in js("quartiers"))
    assert site.requests == []


def test_a_past_event_is_not_counted(agenda):
    ok("events", "--all")
    past = [ev for ev in me.EVENTS if ev.end and dt.date.fromisoformat(ev.end) < me.TODAY]
    assert any("Wazemmes" in ev.title for ev in past)  # the braderie of 1-2 June
    wazemmes = next(c for c in js("quartiers") if c["name"] == "Wazemmes")
    assert wazemmes["events"] == 1  # the Atelier compostage only


def test_filtered_pages_and_new_go_through_the_fetcher(qsite, monkeypatch):
    """Every page a filtered `list` or `new` reads is asked of the one Fetcher (its
    politeness: User-Agent, conditional requests, pacing), never fetched aside."""
    from lillenews.net.fetch import Fetcher

    asked: list[str] = []
    real_get = Fetcher.get

    def get(self, url, *args, **kwargs):
        asked.append(url.removeprefix(qsite.srv.base_url))
        return real_get(self, url, *args, **kwargs)

    monkeypatch.setattr(Fetcher, "get", get)
    ok("list", "--quartier", "Faubourg de Béthune", "--pages", "3", "--limit", "5")
    assert asked == [page_path(0), page_path(1), page_path(2)]
    asked.clear()
    assert run_in_process("new", "--all", "--pages", "2").exit_code == 0
    assert asked == [page_path(0), page_path(1)]


def test_a_filtered_walk_past_the_default_two_pages_is_paced_by_crawl_delay(qsite, site, fake_clock):
    """robots.txt's Crawl-delay paces what a person did not ask for by default: a filtered
    `list` reading past two pages is bulk work from then on (as `read 25` walking further: the
    pacer's first bulk request goes at once, the next waits). The waits are those asked for."""
    site.route("/robots.txt", "User-agent: *\nCrawl-delay: 0.2\n", content_type="text/plain")
    ok("list", "--quartier", "Moulins", "--limit", "1", "--refresh")  # found on the first page
    ok("list", "--quartier", "Wazemmes", "--pages", "3", "--refresh")  # two pages, as the default list, then one
    assert fake_clock.slept == []
    ok("list", "--quartier", "Bois-Blancs", "--all", "--refresh")  # four pages: the fourth waits
    assert len(fake_clock.slept) == 1 and fake_clock.slept[0] == pytest.approx(0.2, abs=0.05)
