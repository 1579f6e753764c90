"""Events agenda parsing (src/lillenews/events.py) on the fixtures of tests/fixtures/make_events.py."""

from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib

import pytest

from lillenews.app.agenda import listing_url, match_categories
from lillenews.base.dates import NO_DATES, DateRange, http_date
from lillenews.base.errors import LayoutError
from lillenews.base.event_models import Event, EventPage
from lillenews.site.events import (
    credit_of,
    lines,
    listing_section,
    parse_event_listing,
    parse_event_page,
    split_phone,
)
from lillenews.site.markup import EVENT_MARKUP

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]

SITE = "https://www.lille.fr"
PAGES = me.all_pages()
TODAY = me.TODAY
REF = http_date(me.LAST_MODIFIED)


def listing(path: str, **kw):
    return parse_event_listing(PAGES[path], SITE + path, reference=REF, today=TODAY, **kw)


def event_page(ev) -> EventPage:
    path = me.event_path(ev)
    return parse_event_page(PAGES[path], SITE + path, reference=REF, today=TODAY)


def expected_range(ev) -> DateRange:
    """The fixture's meaning as a models.DateRange: a single day has no end."""
    start = dt.date.fromisoformat(ev.start) if ev.start else None
    end = dt.date.fromisoformat(ev.end) if ev.end else None
    return DateRange(start, None if end == start else end)


def walk(path: str) -> list[Event]:
    """Every event of a listing, following the pages' own next links."""
    out: list[Event] = []
    url: str | None = SITE + path
    seen = 0
    while url:
        page = parse_event_listing(PAGES[url.removeprefix(SITE)], url, reference=REF, today=TODAY)
        out.extend(page.events)
        url = page.next_url
        seen += 1
        assert seen < 10
    return out


def test_fixture_files_are_up_to_date():
    for path, name in me.ROUTES:
        assert (FIXTURES / "events" / name).read_text(encoding="utf-8") == PAGES[path], (
            f"run python tests/fixtures/make_events.py ({name})"
        )


def test_listing_every_field_of_every_item():
    events = walk("/Evenements")
    assert len(events) == len(me.EVENTS) == 26
    for got, ev in zip(events, me.EVENTS, strict=True):
        assert got.url == SITE + me.event_path(ev)
        assert got.title == ev.title
        assert got.category == (ev.category or None)
        assert got.dates == expected_range(ev), ev.date_text
        assert got.date_text == (ev.date_text or None)
        summary, truncated = me.summary(ev)
        assert got.summary == summary
        assert got.truncated is truncated
        assert got.image == (SITE + me.image_path(ev) if ev.image else None)
        if ev.place is None:
            assert (got.place, got.address, got.phone) == (None, None, None)
            continue
        assert got.place == ev.place.name
        assert got.address == (", ".join(ev.place.lines) or None)
        assert got.phone == ev.place.phone


def test_listing_pagination():
    pages = [listing(me.listing_path(offset)) for offset in (0, 10, 20)]
    assert [len(p.events) for p in pages] == [10, 10, 6]
    assert [p.next_url for p in pages] == [SITE + "/Evenements/(offset)/10", SITE + "/Evenements/(offset)/20", None]
    assert [p.last_page for p in pages] == [3, 3, 3]


def test_each_date_form_of_the_site():
    by_text = {e.date_text: e.dates for e in walk("/Evenements")}
    d = dt.date
    assert by_text["Le 01 août 2024"] == DateRange(d(2024, 8, 1), None)
    assert by_text["Du 1 au 02 juin 2024"] == DateRange(d(2024, 6, 1), d(2024, 6, 2))
    assert by_text["Du 10 juillet au 7 août 2024"] == DateRange(d(2024, 7, 10), d(2024, 8, 7))
    assert by_text["Du 1 juin au 26 octobre 2024"] == DateRange(d(2024, 6, 1), d(2024, 10, 26))
    assert by_text["Jusqu'au 04 août 2024"] == DateRange(None, d(2024, 8, 4))
    assert by_text["Du 28 décembre 2024 au 3 janvier 2025"] == DateRange(d(2024, 12, 28), d(2025, 1, 3))
    assert by_text[None] == NO_DATES  # the empty date text: kept, with no dates


def test_yearless_date_takes_the_year_of_the_response_header():
    path = me.listing_path(10)
    # read in November 2026, the page's Last-Modified (June 2024) decides the year
    page = parse_event_listing(PAGES[path], SITE + path, reference=REF, today=dt.date(2026, 11, 27))
    marionnettes = next(e for e in page.events if e.date_text == "Jusqu'au 30 juin")
    assert marionnettes.dates == DateRange(None, dt.date(2024, 6, 30))
    # without the header: the year nearest today
    page = parse_event_listing(PAGES[path], SITE + path, today=dt.date(2026, 11, 27))
    assert next(e for e in page.events if e.date_text == "Jusqu'au 30 juin").dates.end == dt.date(2026, 6, 30)


def test_slug_with_a_dedup_digit_is_its_own_event():
    events = {e.url: e for e in walk("/Evenements")}
    one = events[SITE + "/Evenements/Visite-guidee-du-Vieux-Lille"]
    two = events[SITE + "/Evenements/Visite-guidee-du-Vieux-Lille2"]
    assert one.title == two.title
    assert one.dates != two.dates
    pages = [event_page(ev) for ev in me.EVENTS if ev.slug.startswith("Visite-guidee-du-Vieux-Lille")]
    assert [p.dates.start for p in pages] == [dt.date(2024, 6, 14), dt.date(2024, 6, 15)]


def test_categories_from_the_page_filter_links():
    cats = listing("/Evenements").categories
    expected = {name: i for name, i in me.CATEGORY_IDS.items() if i}
    assert {c.name: c.id for c in cats} == expected
    assert "Cinéma - projection" not in {c.name for c in cats}  # no filter link: filter by name


@pytest.mark.parametrize("when", me.PERIODS)
def test_period_filter_pages(when):
    got = [e.url for e in walk(me.listing_path(when=when))]
    assert got == [SITE + me.event_path(ev) for ev in me.selection(when, None)]
    assert got  # every period has events in the fixtures


def test_category_filter_page():
    path = me.listing_path(type_id=me.CATEGORY_IDS["Marché / braderie"])
    events = walk(path)
    assert {e.category for e in events} == {"Marché / braderie"}
    assert len(events) == 4


def test_filter_with_no_event_is_an_empty_listing_not_a_layout_error():
    page = listing(me.listing_path(when="today", type_id=me.CATEGORY_IDS["Concert"]))
    assert page.events == ()
    assert page.next_url is None


def test_page_without_the_list_is_a_layout_error():
    html = "<html><body><header><a href='/Evenements/X'>X</a></header><p>Site en maintenance</p></body></html>"
    with pytest.raises(LayoutError):
        parse_event_listing(html, SITE + "/Evenements", today=TODAY)


def test_unseen_markup_falls_back_to_links_below_the_section():
    html = """<html><body><nav><a href="/Evenements/Menu-item">Menu</a></nav><main>
      <ul><li><a href="/Evenements/Bal-du-14-juillet">Bal du 14 juillet</a></li>
      <li><a href="/Evenements/Brocante2">Brocante</a></li><li><a href="/Evenements/(when)/today">Aujourd'hui</a></li>
      <li><a href="/Actualites/Autre">Autre</a></li></ul></main></body></html>"""
    page = parse_event_listing(html, SITE + "/Evenements/(offset)/10", today=TODAY)
    assert [(e.title, e.url) for e in page.events] == [
        ("Bal du 14 juillet", SITE + "/Evenements/Bal-du-14-juillet"),
        ("Brocante", SITE + "/Evenements/Brocante2"),
    ]
    assert all(e.dates == NO_DATES for e in page.events)


def test_item_in_unseen_markup_keeps_what_it_can():
    html = """<div class="actusMaster">
      <div class="evenement"><h3><a href="/Evenements/Bal">Bal</a></h3>
        <div class="dateInfo">Le 14 juillet 2024</div></div>
      <div class="evenement"><a class="voirActus" href="/Evenements/Feu-d-artifice">Voir</a>
        <time datetime="2024-07-14">ce soir</time></div>
      <div class="evenement"><span class="actuTitle"><a href="/Evenements/Quiz">Quiz</a></span>
        <div class="rechercheInfo"><div class="dateInfo"><p class="subtitle">Date</p><p>bientôt</p></div></div></div>
      <div class="evenement"><p>no link at all</p></div>
    </div>"""
    events = parse_event_listing(html, SITE + "/Evenements", today=TODAY).events
    assert [(e.title, e.dates.start) for e in events] == [
        ("Bal", dt.date(2024, 7, 14)),
        ("Feu d artifice", dt.date(2024, 7, 14)),
        ("Quiz", None),  # unreadable date: kept, dates None
    ]
    assert events[2].date_text == "bientôt"


def test_hostile_text_and_links_are_neutralised():
    html = """<div class="actusMaster"><div class="evenement"><div class="right">
      <span class="actuTitle"><a href="/Evenements/X">Fête\u202e\x1b[31m rouge\x07</a></span>
      <p class="event-type"><strong>[bold]Concert[/bold]</strong></p>
      <div class="image-large"><img src="javascript:alert(1)"></div></div></div></div>"""
    (event,) = parse_event_listing(html, SITE + "/Evenements", today=TODAY).events
    assert event.title == "Fête rouge"
    assert event.category == "[bold]Concert[/bold]"  # kept as text; renderers never read it as markup
    assert event.image is None


def test_event_page_every_field():
    for ev in me.EVENTS:
        page = event_page(ev)
        assert page.url == SITE + me.event_path(ev)
        assert page.title == ev.title
        assert page.dates == expected_range(ev)
        assert page.category == (ev.category or None)
        assert page.lead == ev.description  # the whole text, never the listing's cut summary
        assert not page.lead.endswith("...")
        assert page.description and all("Crédit" not in p for p in page.description)
        if ev.image:
            assert page.image == SITE + me.image_path(ev, "_page_banner_image_bannerview")
            assert page.credit == "Thomas Lo Presti"
        else:
            assert page.image is None
        hours = ("Du mardi au dimanche", "de 10h à 18h", "Fermé le lundi")
        assert page.hours == (() if ev.slug in me.NO_HOURS else hours)
        if ev.place:
            assert page.address == (ev.place.name, *ev.place.lines)
            assert page.phone == ev.place.phone
        links = [link.url for link in page.links]
        assert links == [f"https://openagenda.com/ville-de-lille/events/{ev.slug.lower()}", SITE + "/Evenements"]


def test_credit_in_the_text_goes_to_the_figure_not_the_body():
    ev = next(e for e in me.EVENTS if e.slug == me.CREDIT_IN_TEXT)
    assert "Crédit : Thomas Lo Presti." in PAGES[me.event_path(ev)]
    page = event_page(ev)
    assert page.credit == "Thomas Lo Presti"
    assert not any("Thomas Lo Presti" in p for p in page.description)


def test_event_page_without_title_is_a_layout_error():
    with pytest.raises(LayoutError):
        parse_event_page("<html><body><p>Erreur</p></body></html>", SITE + "/Evenements/X", today=TODAY)


def test_event_page_falls_back_to_og_title_and_chapo():
    html = """<html><head><meta property="og:title" content="Bal"></head><body>
      <div class="chapo">Un bal.</div><div class="dateInfo">Le 14 juillet 2024</div></body></html>"""
    page = parse_event_page(html, SITE + "/Evenements/Bal", today=TODAY)
    assert (page.title, page.lead, page.dates.start) == ("Bal", "Un bal.", dt.date(2024, 7, 14))


def test_models_json_round_trip_and_ongoing():
    events = walk("/Evenements")
    for ev in events:
        d = ev.to_dict(today=TODAY)
        assert d["date"] == (ev.dates.start.isoformat() if ev.dates.start else None)
        assert d["date_end"] == (ev.dates.end.isoformat() if ev.dates.end else None)
        assert Event.from_dict(d) == ev
    by_title = {e.title: e.to_dict(today=TODAY) for e in events}
    assert by_title["Les Sentiers de la biodiversité"]["ongoing"] is True
    assert by_title["Exposition « Lille, ville d'eau »"]["ongoing"] is True  # Jusqu'au
    assert by_title["Fête de la musique"]["ongoing"] is False
    assert "ongoing" not in events[0].to_dict()
    page = event_page(me.EVENTS[5])
    assert EventPage.from_dict(page.to_dict()) == page
    assert page.to_dict(today=TODAY)["ongoing"] is True


def test_listing_url_and_section():
    assert listing_url(SITE) == SITE + "/Evenements"
    assert listing_url(SITE + "/", offset=10, when="week") == SITE + "/Evenements/(offset)/10/(when)/week"
    assert listing_url(SITE, offset=10, when="today", type_id="538") == (
        SITE + "/Evenements/(offset)/10/(when)/today/(type)/538"
    )
    assert listing_url(SITE, type_id="539") == SITE + "/Evenements/(type)/539"
    assert listing_section(SITE + "/Evenements/(offset)/10/(when)/week") == "/Evenements"
    assert listing_section(SITE + "/") == EVENT_MARKUP.section


@pytest.mark.parametrize(
    "query, expected",
    [
        ("concert", ["Concert"]),
        ("CONCERT", ["Concert"]),
        ("fete", ["Fête / festival"]),
        ("marche", ["Marché / braderie"]),
        ("evenement sportif", ["Événement sportif"]),
        ("  Cinéma  -  projection ", ["Cinéma - projection"]),
        ("visite", ["Visite"]),
        ("rencontre", ["Rencontre / conférence / débat"]),
        ("e / f", ["Fête / festival"]),
        ("nulle part", []),
        ("", []),
    ],
)
def test_match_categories(query, expected):
    assert match_categories(query, list(me.CATEGORY_IDS) + ["", "Concert"]) == expected


def test_match_categories_exact_beats_substring():
    assert match_categories("Expo", ["Exposition", "Expo"]) == ["Expo"]
    assert match_categories("o", ["Concert", "Visite", "Exposition"]) == ["Concert", "Exposition"]


def test_lines_split_at_br_blocks_and_newlines():
    from selectolax.lexbor import LexborHTMLParser

    node = LexborHTMLParser("<div>Du mardi<br>au <b>dimanche</b><br/>\n<p>de 10h\nà 18h</p>  <br></div>").css_first(
        "div"
    )
    assert lines(node) == ["Du mardi", "au dimanche", "de 10h", "à 18h"]


@pytest.mark.parametrize(
    "given, rest, phone",
    [
        (["PBA", "59000 Lille03 20 06 78 00"], ["PBA", "59000 Lille"], "03 20 06 78 00"),
        (["PBA", "03.20.06.78.00"], ["PBA"], "03.20.06.78.00"),
        (["PBA", "Tél. +33 3 20 06 78 00"], ["PBA", "Tél."], "+33 3 20 06 78 00"),
        (["59000 Lille"], ["59000 Lille"], None),
        (["47/49 rue d'Arras 59000 Lille"], ["47/49 rue d'Arras 59000 Lille"], None),
    ],
)
def test_split_phone(given, rest, phone):
    assert split_phone(given) == (rest, phone)


@pytest.mark.parametrize(
    "text, who",
    [
        ("Crédit : Thomas Lo Presti.", "Thomas Lo Presti"),
        ("Crédit\u00a0: Ville de Lille", "Ville de Lille"),
        ("Crédits photos : Jean Dupont", "Jean Dupont"),
        ("© Ville de Lille", "Ville de Lille"),
        ("Le crédit d'impôt : explications", None),
        ("Crédit :", None),
    ],
)
def test_credit_of(text, who):
    assert credit_of(text) == who


def test_hostile_nesting_is_parsed_in_linear_time():
    """CPU time (what the machine's load does not change): 25 times deeper costs about 25
    times more, far from the 625 times of a quadratic walk, and 100,000 levels stay
    under 2 CPU seconds."""
    import time

    def cpu_seconds(depth: int) -> float:
        deep = "<div>" * depth + "x" + "</div>" * depth
        item = f'<div class="evenement"><a href="/Evenements/A">A</a>{deep}</div>'
        listing_html = f'<div class="actusMaster">{item}</div>'
        start = time.process_time()
        (event,) = parse_event_listing(listing_html, SITE + "/Evenements", today=TODAY).events
        rte = f"<h1>T</h1><div class='rte'>{deep}<p>fin</p></div>"
        page = parse_event_page(rte, SITE + "/Evenements/A", today=TODAY)
        spent = time.process_time() - start
        assert event.title == "A" and page.title == "T"
        return spent

    small = min(cpu_seconds(4_000) for _ in range(3))  # the least disturbed of three runs
    large = cpu_seconds(100_000)
    assert large < 2.0, f"{large:.2f} CPU s"
    assert large < 125 * small + 0.02, f"25 times deeper cost {large / small:.0f} times more"


def test_events_module_holds_no_lille_selector_or_address():
    # every lille.fr selector and URL part of the agenda lives in site.EVENT_MARKUP
    import re

    import lillenews.site.events as events_module

    spec = EVENT_MARKUP
    selectors = [s for v in spec if isinstance(v, tuple) for s in v]
    selectors += [v for v in spec if isinstance(v, str)]
    names = {m for sel in selectors for m in re.findall(r"[.#]([A-Za-z][\w-]*)", sel)}
    assert {"actusMaster", "evenement", "actuTitle", "innerContent", "dateInfo", "textAlone", "adress"} <= names
    from test_markup import _string_literals  # the code's string constants, docstrings left out

    for literal in _string_literals(pathlib.Path(events_module.__file__)):
        assert "(type)" not in literal and "Evenements" not in literal, literal
        for name in names:
            assert not re.search(rf"[.#]{re.escape(name)}\b", literal), literal


def test_a_next_link_off_the_site_is_not_followed():
    html = """<div class="actusMaster"><div class="evenement"><span class="actuTitle"><a href="/Evenements/A">A</a>
      </span></div><div class="pagination"><span class="page">1</span><a class="page" href="/x">99999999999</a>
      <a class="next" href="https://evil.example/Evenements/(offset)/10">Suivant</a></div></div>"""
    page = parse_event_listing(html, SITE + "/Evenements", today=TODAY)
    assert (page.next_url, page.last_page) == (None, None)


def test_the_listing_and_the_page_read_the_venue_alike():
    # every <p> of the venue, and the phone as text or, failing that, from a tel: link
    paragraphs = "<p>Opéra de Lille</p><p>Place du Théâtre</p><p>59000 Lille</p>"
    item = f"""<div class="actusMaster"><div class="evenement"><span class="actuTitle">
      <a href="/Evenements/A">A</a></span><div class="contactInfo"><div>{paragraphs}</div></div>
      <a href="tel:0362212121">03 62 21 21 21</a></div></div>"""
    page = f"""<h1>A</h1><div class="columnRight"><div class="adress">{paragraphs}</div>
      <a href="tel:0362212121">03 62 21 21 21</a></div>"""
    event = parse_event_listing(item, SITE + "/Evenements", today=TODAY).events[0]
    got = parse_event_page(page, SITE + "/Evenements/A", today=TODAY)
    assert (event.place, event.address, event.phone) == (
        "Opéra de Lille",
        "Place du Théâtre, 59000 Lille",
        "03 62 21 21 21",
    )
    assert (got.address, got.phone) == (("Opéra de Lille", "Place du Théâtre", "59000 Lille"), event.phone)
    as_text = parse_event_page(
        page.replace("</div>\n", "<p>03 20 00 00 00</p></div>\n", 1), SITE + "/Evenements/A", today=TODAY
    )
    assert as_text.phone == "03 20 00 00 00"  # the phone in the text wins over the link


def test_unseen_markup_skips_the_same_furniture_as_the_news():
    # one furniture vocabulary (site.markup.FURNITURE): a menu or breadcrumb by class, not only <nav>
    html = """<html><body><main><div class="menu-principal"><a href="/Evenements/Menu-item">Menu</a></div>
      <div class="breadcrumb"><a href="/Evenements/Fil">Fil</a></div>
      <ul><li><a href="/Evenements/Bal-du-14-juillet">Bal du 14 juillet</a></li></ul></main></body></html>"""
    page = parse_event_listing(html, SITE + "/Evenements", today=TODAY)
    assert [e.title for e in page.events] == ["Bal du 14 juillet"]
