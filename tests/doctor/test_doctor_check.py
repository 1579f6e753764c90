"""The doctor's analysis without a network: `run` (doctor/check.py) over pages handed in by a fake
`fetch`, the charset report, and the page-level link helpers."""

from __future__ import annotations

import codecs
import datetime
import re

import pytest
from server import fixture_bytes

from lillenews.doctor.check import Code, Fetched, Verdict, run
from lillenews.net.decoding import charset_of, decode_html
from lillenews.site.pagelinks import advertised_feeds, most_in_one_list

TODAY = datetime.date(2024, 6, 14)  # any day: the parsers read dates without a year against it

BASE = "https://www.lille.fr"
LISTING = BASE + "/Actualites"
UTF8 = (("content-type", "text/html; charset=utf-8"),)


def fake_fetch(pages: dict[str, bytes], log: list[str] | None = None):
    """`fetch(kind, url)` answering from `pages` (404 for any other URL)."""

    def fetch(kind: str, url: str) -> Fetched:
        if log is not None:
            log.append(url)
        if url not in pages:
            return Fetched(kind, url, None, 404, b"", (), 0.0, "the server answered 404 Not Found")
        return Fetched(kind, url, url, 200, pages[url], UTF8, 0.01)

    return fetch


def site_pages(first: bytes | None = None) -> dict[str, bytes]:
    listing = first if first is not None else fixture_bytes("listing_p01.html")
    article = re.search(rb'<span><a href="([^"]+)"', listing)
    assert article is not None
    return {
        LISTING: listing,
        LISTING + "/(offset)/10": fixture_bytes("listing_p02.html"),
        BASE + article[1].decode(): fixture_bytes("article_securite.html"),
    }


def codes_of(report) -> list[Code]:
    return [f.code for f in report.findings]


def test_all_known_pages_are_ok_and_fetched_in_order():
    log: list[str] = []
    pages = site_pages()
    report = run(fake_fetch(pages, log), LISTING, today=TODAY)
    assert report.verdict is Verdict.OK
    assert log == list(pages)
    assert [p.kind for p in report.pages] == ["listing", "listing_next", "article"]
    assert report.findings == ()


def test_truncated_summaries_are_counted():
    listing = fixture_bytes("listing_p01.html")
    cut = re.sub(rb'(<div class="innerContent"><p>[^<]*)</p>', rb"\1...</p>", listing, count=3)
    report = run(fake_fetch(site_pages(cut)), LISTING, today=TODAY)
    found = [f for f in report.findings if f.code is Code.TRUNCATED_SUMMARY]
    assert [(f.page, f.hits, f.total) for f in found] == [("listing", 3, 10)]
    assert report.verdict is Verdict.OK  # an optional field only warns


def test_dates_missing_on_all_items_only_warn():
    listing = re.sub(rb'\s*<div class="dateInfo">[^<]*</div>', b"", fixture_bytes("listing_p01.html"))
    report = run(fake_fetch(site_pages(listing)), LISTING, today=TODAY)
    found = [f for f in report.findings if f.code is Code.NO_DATES]
    assert [(f.page, f.total) for f in found] == [("listing", 10)]
    assert report.pages[0].fields["date"].count == 0
    assert report.verdict is Verdict.OK


def test_optional_fields_missing_from_the_article_are_named():
    pages = site_pages()
    article_url = list(pages)[2]
    pages[article_url] = fixture_bytes("article_no_lead.html")
    report = run(fake_fetch(pages), LISTING, today=TODAY)
    found = [f for f in report.findings if f.code is Code.OPTIONAL_MISSING]
    assert [(f.page, f.detail) for f in found] == [("article", "lead")]
    assert report.verdict is Verdict.OK


def test_a_pagination_without_next_link_means_one_page():
    last = fixture_bytes("listing_p10.html")
    log: list[str] = []
    report = run(fake_fetch(site_pages(last), log), LISTING, today=TODAY)
    assert [p.kind for p in report.pages] == ["listing", "article"]
    assert Code.NO_NEXT_PAGE in codes_of(report) and Code.GUESSED_NEXT not in codes_of(report)
    assert len(log) == 2


def test_a_page_that_cannot_be_decoded_is_a_failed_fetch():
    pages = site_pages()
    article_url = list(pages)[2]
    pages[article_url] = b"<html><body><h1>\xff\xfe bad</h1></body></html>"
    report = run(fake_fetch(pages), LISTING, today=TODAY)
    assert report.verdict is Verdict.FAILED
    assert report.pages[2].fetch_failed and "not valid utf-8" in (report.pages[2].error or "")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<p>x</p>", "text/html; charset=UTF-8", ("utf-8", "header")),
        (b"<p>x</p>", "text/html; charset=ISO-8859-1", ("cp1252", "header")),
        (codecs.BOM_UTF8 + b"<p>x</p>", "text/html", ("utf-8", "bom")),
        (b'<meta charset="windows-1252"><p>x</p>', "text/html", ("cp1252", "meta")),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">', "", ("iso8859-15", "meta")),
        (b"<p>x</p>", "text/html", ("utf-8", "default")),
        (b"<p>x</p>", "text/html; charset=rot13", ("utf-8", "default")),  # not a text encoding: ignored
    ],
)
def test_charset_of_says_what_decode_html_uses(body, content_type, expected):
    assert charset_of(body, content_type) == expected
    codec = expected[0]
    text = body[3:] if body.startswith(codecs.BOM_UTF8) else body
    assert decode_html(body, content_type) == text.decode(codec)


def test_advertised_feeds_are_absolute_in_page_order_once():
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" href="/rss/feed/actualites">
    <link rel="alternate" type="application/atom+xml" href="https://www.lille.fr/atom.xml">
    <link rel="alternate" type="application/rss+xml" href="/rss/feed/actualites#x">
    <link rel="alternate" hreflang="en" href="/en/">
    <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
    </head><body></body></html>"""
    assert advertised_feeds(html, LISTING) == [BASE + "/rss/feed/actualites", BASE + "/atom.xml"]


def test_most_in_one_list_counts_the_links_of_the_fullest_list():
    menu = "".join(f'<li><a href="/Actualites/A{n}">Titre {n}</a></li>' for n in range(4))
    nested = f'<nav><ul><li><a href="/Actualites/A0">A0</a><ul>{menu}</ul></li></ul></nav>'
    scattered = "".join(f'<div><p><span><em><a href="/Actualites/A{n}">x</a></em></span></p></div>' for n in range(4))
    html = f"<html><body>{nested}<ol><li><a href='/Actualites/A1'>A1</a></li></ol>{scattered}</body></html>"
    wanted = {f"{BASE}/Actualites/A{n}" for n in range(5)}
    assert most_in_one_list(html, LISTING, wanted) == 4  # the inner list; too deep a link counts for none
    assert most_in_one_list(html, LISTING, set()) == 0


def test_most_in_one_list_is_linear_on_deeply_nested_lists():
    """CPU time (what the machine's load does not change): 9 times deeper costs about 9
    times more, far from the 81 times of a quadratic walk, and 9,000 levels stay under
    1 CPU second."""
    import time

    def cpu_seconds(depth: int) -> float:
        cell = '<ul><li><a href="/Actualites/a{0}">titre {0}</a></li><li><a href="/Actualites/b{0}">b</a></li>'
        html = "<html><body>" + "".join(cell.format(i) for i in range(depth)) + "</li></ul>" * depth + "</body></html>"
        wanted = {f"{BASE}/Actualites/a{i}" for i in range(depth)}
        start = time.process_time()
        most_in_one_list(html, LISTING, wanted)
        return time.process_time() - start

    small = min(cpu_seconds(1000) for _ in range(3))  # the least disturbed of three runs
    large = cpu_seconds(9000)
    assert large < 1.0, f"{large:.2f} CPU s"
    assert large < 27 * small + 0.01, f"9 times deeper cost {large / small:.0f} times more"


def test_site_text_in_the_report_is_sanitised():
    from lillenews.doctor.report import report_dict, report_text, report_view

    hostile = b'<link rel="alternate" type="application/rss+xml" href="/rss/&#x202e;&#x1b;[31mfeed">'
    listing = fixture_bytes("listing_p01.html").replace(b"</head>", hostile + b"</head>", 1)
    pages = site_pages(listing)
    report = run(fake_fetch(pages), LISTING, today=TODAY)
    text = report_text(report_view(report)) + str(report_dict(report))
    assert "\u202e" not in text and "\x1b" not in text


def test_items_repeated_as_the_article_pages_sub_menu_look_like_a_menu():
    """The items are plain links (no summary), and the article page lists the same links in a
    sub-menu the parser does not know as furniture: the listing was probably read from it."""
    listing = re.sub(rb"\s*<p>R\xc3\xa9sum\xc3\xa9[^<]*</p>", b"", fixture_bytes("generic_listing.html"))
    slugs = re.findall(rb'<h2><a href="(/generic/Actualites/[^"]+)"', listing)
    assert len(slugs) == 6
    menu = b"".join(b'<li><a href="' + s + b'">' + s[21:] + b"</a></li>" for s in slugs)
    article = fixture_bytes("article_securite.html").replace(
        b'<div class="content">', b'<div class="col-left"><ul>' + menu + b'</ul></div><div class="content">', 1
    )
    pages = {
        LISTING: listing,
        BASE + "/generic/Actualites/page2": fixture_bytes("generic_listing_p2.html"),
        BASE + slugs[0].decode(): article,
    }
    report = run(fake_fetch(pages), LISTING, today=TODAY)
    menus = [f for f in report.findings if f.code is Code.MENU_ITEMS]
    assert [(f.page, f.hits, f.total, f.detail) for f in menus] == [("listing", 6, 6, "article")]


# ----------------------------------------------------------------------------- the events pages
def event_pages() -> dict[str, bytes]:
    from doctor_pages import EVENT_PAGES, FIRST_EVENT

    return {
        BASE + "/Evenements": EVENT_PAGES["/Evenements"].encode(),
        BASE + FIRST_EVENT: EVENT_PAGES[FIRST_EVENT].encode(),
    }


def test_the_events_listing_and_its_first_event_come_last_when_asked_for():
    log: list[str] = []
    pages = site_pages() | event_pages()
    report = run(fake_fetch(pages, log), LISTING, events_url=BASE + "/Evenements", today=TODAY)
    assert log == list(pages)
    assert [p.kind for p in report.pages] == ["listing", "listing_next", "article", "event_listing", "event"]
    assert report.verdict is Verdict.OK and report.findings == ()  # cut agenda summaries are by design
    assert report.events_url == BASE + "/Evenements"
    assert [p.required for p in report.pages[3:]] == [("items", "title", "link"), ("title",)]


def test_without_an_events_url_no_event_page_is_fetched():
    """Pages saved before the events were checked replay as they were."""
    log: list[str] = []
    report = run(fake_fetch(site_pages() | event_pages(), log), LISTING, today=TODAY)
    assert len(log) == 3 and [p.kind for p in report.pages] == ["listing", "listing_next", "article"]
    assert report.verdict is Verdict.OK and report.events_url is None


def test_an_event_page_titled_by_its_og_title_only_is_generic():
    from lillenews.base.models import Layer
    from lillenews.site.event_explain import explain_event_page

    html = '<html><head><meta property="og:title" content="Fête"></head><body><p>x</p></body></html>'
    fields, error, page = explain_event_page(html, BASE + "/Evenements/fete", today=TODAY)
    assert error is None and page is not None and page.title == "Fête"
    assert fields["title"].layer is Layer.GENERIC
    assert all(fields[name].layer is Layer.NONE for name in fields if name != "title")
    fields, error, page = explain_event_page("<p>rien</p>", BASE + "/Evenements/rien", today=TODAY)
    assert page is None and error == "no event" and fields["title"].layer is Layer.NONE


@pytest.mark.parametrize(
    ("selector", "known"),
    [(".content > h1", True), ("#skiptocontent > div", True), ("main h1", False), ("h1", False),
     ("a[rel~='next'][href]", False), ("a[href*='x.y']", False), ("a.next[href]", True)],
)  # fmt: skip
def test_a_selector_naming_a_class_or_an_id_is_the_known_layer(selector, known):
    from lillenews.base.models import Layer
    from lillenews.site.event_explain import layer_of

    assert (layer_of(selector) is Layer.KNOWN) is known


def _event_with_fewer_venue_fields() -> dict[str, bytes]:
    """The agenda's first item gains a phone; its page loses the postcode line and gives no phone."""
    from doctor_pages import FIRST_EVENT

    pages = site_pages() | event_pages()
    listing = pages[BASE + "/Evenements"].decode()
    pages[BASE + "/Evenements"] = listing.replace(
        "<p>59000 Lille</p></div>", "<p>59000 Lille</p><p>03 20 49 50 00</p></div>", 1
    ).encode()
    page = pages[BASE + FIRST_EVENT].decode()
    assert "<p>Place de la Nouvelle Aventure\n59000 Lille</p>" in page
    pages[BASE + FIRST_EVENT] = page.replace(
        "<p>Place de la Nouvelle Aventure\n59000 Lille</p>", "<p>Place de la Nouvelle Aventure</p>"
    ).encode()
    return pages


def test_an_event_page_giving_fewer_venue_fields_than_its_listing_item_warns():
    report = run(fake_fetch(_event_with_fewer_venue_fields()), LISTING, events_url=BASE + "/Evenements", today=TODAY)
    venue = [f for f in report.findings if f.code is Code.VENUE_FEWER]
    assert [(f.page, f.hits, f.total, f.detail) for f in venue] == [("event", 1, 3, "address, phone")]
    assert report.verdict is Verdict.OK  # a warning: every required field came from the known markup


def test_an_event_page_with_the_whole_venue_gives_no_venue_warning():
    pages = _event_with_fewer_venue_fields()
    from doctor_pages import FIRST_EVENT

    page = pages[BASE + FIRST_EVENT].decode()
    pages[BASE + FIRST_EVENT] = page.replace(
        "<p>Place de la Nouvelle Aventure</p>", "<p>Place de la Nouvelle Aventure<br>59000 Lille<br>0320495000</p>"
    ).encode()  # the same fields, written otherwise
    report = run(fake_fetch(pages), LISTING, events_url=BASE + "/Evenements", today=TODAY)
    assert Code.VENUE_FEWER not in codes_of(report)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Event: the page gives fewer venue fields than the events listing (1 of 3; missing: address, phone)"),
        ("fr", "Événement : la page donne moins d'informations sur le lieu que la liste des événements (1 sur 3 ; "
               "manquant : adresse, téléphone)"),
    ],
)  # fmt: skip
def test_the_venue_warning_is_a_report_line_and_a_json_finding(language, line):
    from lillenews.base import i18n
    from lillenews.doctor.report import report_dict, report_text, report_view

    report = run(fake_fetch(_event_with_fewer_venue_fields()), LISTING, events_url=BASE + "/Evenements", today=TODAY)
    i18n.set_language(language)
    try:
        text = " ".join(report_text(report_view(report)).split())
        json_findings = report_dict(report)["findings"]
    finally:
        i18n.set_language("en")
    assert line in text
    assert {"code": "venue_fewer", "page": "event", "count": 1, "total": 3, "detail": "address, phone"} in json_findings
