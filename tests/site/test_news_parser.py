"""Parser tests on every HTML fixture (tests/fixtures), plus a few hand-made pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from server import (
    ARTICLE_PATHS,
    CHROME_LINK_TITLES,
    CHROME_MARKERS,
    FIXTURES,
    GENERIC_LISTING_PATHS,
    LAYOUT_CHANGED_PATH,
    LISTING_PATHS,
    PAGES,
    SEED_HEADLINES,
)
from server import (
    make_fixtures as mf,
)

from lillenews.base.errors import LayoutError
from lillenews.base.models import Article, Block, Image, Inline, Related
from lillenews.base.text import fold
from lillenews.net.fetch import decode_html
from lillenews.site.news import parse_article, parse_listing

SITE = "https://www.lille.fr"
TODAY = dt.date(2021, 3, 1)  # the fixtures' news are from February 2021
UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
EXPECTED = json.loads((FIXTURES / "listing_expected.json").read_text(encoding="utf-8"))
# listing_expected.json gives the END of the range "Du 3 au 28 mars 2021" (2021-03-28; the
# fixture generator's own date reader takes the last day), while the specification of
# parse_date is the FIRST day of a range ("Du 3 au 28 mars 2021" -> 2021-03-03).
DATE_SPEC_OVERRIDES = {"Du 3 au 28 mars 2021": "2021-03-03"}
CONTENT_TYPE = {name: ctype for _, name, ctype in PAGES}
CHROME_HREFS = [h for h, _ in mf.CHROME_NEWS_LINKS + mf.SIDEBAR_NEWS_LINKS]

# Text of the page furniture (menu, sub-menu, breadcrumb, share, cookie banner, footer).
CHROME_TEXTS = CHROME_MARKERS + [
    "Partager",
    "cookies",
    "Tout accepter",
    "Tout refuser",
    "Personnaliser",
    "Tous droits réservés",
    "Mentions légales",
    "Standard : 03 20 49 50 00",
    "Place Augustin Laurent",
    "Dans cette rubrique",
    "Votre Mairie",
    "Vivre à Lille",
    "Sortir à Lille",
    "Mes démarches",
    "Toute l'actu de votre quartier",
    "Archives des actualités",
    "Lettre d'information municipale",
    "Espace presse",
    "Envoyer par courriel",
    "Imprimer",
    "Rechercher",
    "_paq",
    "trackPageView",
]


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def fixture_text(name: str, content_type: str | None = None) -> str:
    body = (FIXTURES / name).read_bytes()
    return decode_html(body, content_type if content_type is not None else CONTENT_TYPE[name], SITE)


def listing(n: int):
    path = LISTING_PATHS[n - 1]
    return parse_listing(fixture_text(f"listing_p{n:02d}.html"), SITE + path, today=TODAY)


def article(key: str, name: str, content_type: str | None = None) -> Article:
    return parse_article(fixture_text(name, content_type), SITE + ARTICLE_PATHS[key], today=TODAY)


def all_inlines(art: Article) -> list[Inline]:
    out: list[Inline] = []
    for b in art.blocks:
        out.extend(b.inlines)
        for item in b.items:
            out.extend(item)
    return out


def all_strings(obj) -> list[str]:
    """Every str reachable from a model object (dataclasses, tuples, lists)."""
    if isinstance(obj, str):
        return [obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [s for f in dataclasses.fields(obj) for s in all_strings(getattr(obj, f.name))]
    if isinstance(obj, (tuple, list)):
        return [s for x in obj for s in all_strings(x)]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in all_strings(k) + all_strings(v)]
    return []


def all_urls(art: Article) -> list[str | None]:
    urls: list[str | None] = [i.href for i in all_inlines(art)]
    urls += [b.url for b in art.blocks]
    urls += [i.url for i in art.images] + [r.url for r in art.related]
    return urls


def text_blocks(art: Article) -> list[Block]:
    return [b for b in art.blocks if b.kind in ("heading", "paragraph", "quote")]


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def article_texts(art: Article) -> str:
    """Everything an article shows as text: title, lead, blocks, plain text."""
    parts = [art.title, art.lead or "", art.plain_text()]
    for b in art.blocks:
        parts += [b.text, b.caption or "", b.alt or ""]
        parts += ["".join(i.text for i in item) for item in b.items]
        parts += [c for row in b.rows for c in row]
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# listing pages (known lille.fr markup)
# ---------------------------------------------------------------------------
PAGE_NUMBERS = list(range(1, len(LISTING_PATHS) + 1))


def expected_url(href: str) -> str:
    # The only query string in the fixtures is made of utm_* parameters.
    path, _, query = href.partition("?")
    assert all(k.startswith("utm_") for k in re.findall(r"([^&=]+)=", query))
    return SITE + path


@pytest.mark.parametrize("n", PAGE_NUMBERS)
def test_listing_page_gives_the_seed_headlines_in_order(n):
    page = listing(n)
    expected_titles = SEED_HEADLINES[(n - 1) * 10 : n * 10]
    assert [h.title for h in page.headlines] == expected_titles
    assert len(page.headlines) == (5 if n == len(LISTING_PATHS) else 10)
    assert page.url == SITE + LISTING_PATHS[n - 1]


@pytest.mark.parametrize("n", PAGE_NUMBERS)
def test_listing_page_values_match_listing_expected(n):
    page = listing(n)
    items = EXPECTED[(n - 1) * 10 : n * 10]
    assert len(page.headlines) == len(items)
    for h, it in zip(page.headlines, items, strict=True):
        assert h.title == it["title"]
        assert h.url == expected_url(it["href"]), it["title"]
        assert "utm_" not in h.url
        assert h.dates.iso_start == DATE_SPEC_OVERRIDES.get(it["date_text"], it["date"]), it["title"]
        assert h.category == it["category"], it["title"]
        assert h.summary == (" ".join(it["summary"].split()) if it["summary"] else None), it["title"]
        assert h.image == (SITE + it["image"] if it["image"] else None), it["title"]


def test_listing_item_with_utm_parameters_is_stripped():
    page = listing(1)
    h = page.headlines[7]
    assert h.title == "Quelles priorités pour le budget primitif 2021 ?"
    assert h.url == SITE + "/Actualites/Quelles-priorites-pour-le-budget-primitif-2021"


def test_listing_dates_in_the_various_forms():
    by_title = {h.title: h.dates for n in (1, 2) for h in listing(n).headlines}
    assert (
        by_title["Sécurité : des sites retenus pour les prochaines caméras de vidéoprotection"].iso_start
        == "2021-02-08"
    )
    assert by_title["Le CLJ appelle à l'engagement associatif"].iso_start == "2021-02-08"  # 08/02/2021
    assert by_title["Co-working et médiation numérique"].iso_start is None
    assert by_title["Prochaines séances des conseils de quartier"].iso_start == "2021-03-03"  # Du 3 au 28 mars 2021
    assert by_title["Inscriptions scolaires (3-12 ans)"].iso_start == "2021-02-01"  # Publié le 1er février 2021


def test_listing_subsections_have_no_date_nor_category():
    seen = set()
    for n in PAGE_NUMBERS:
        for h in listing(n).headlines:
            if h.title in mf.SUBSECTIONS:
                seen.add(h.title)
                assert h.dates.iso_start is None and h.category is None and h.image is None
    assert seen == set(mf.SUBSECTIONS)


@pytest.mark.parametrize("n", PAGE_NUMBERS)
def test_listing_never_takes_chrome_or_script_links(n):
    page = listing(n)
    titles = [h.title for h in page.headlines]
    urls = [h.url for h in page.headlines]
    for chrome in CHROME_LINK_TITLES:
        assert chrome not in titles
    for href in CHROME_HREFS:
        assert SITE + href not in urls
    assert not any("Faux" in u for u in urls)
    assert "Faux" not in titles
    assert "Voir" not in titles
    assert all(u.startswith("https://www.lille.fr/") for u in urls)
    assert len(set(urls)) == len(urls)


@pytest.mark.parametrize("n", PAGE_NUMBERS)
def test_listing_pagination(n):
    page = listing(n)
    assert page.has_pagination is True
    if n < len(LISTING_PATHS):
        assert page.next_url == f"{SITE}/Actualites/(offset)/{n * 10}"
    else:
        assert page.next_url is None


@pytest.mark.parametrize("n", PAGE_NUMBERS)
def test_listing_strings_are_clean(n):
    page = listing(n)
    for s in all_strings(page.headlines):
        assert not UNSAFE_RE.search(s)
        assert "\u00a0" not in s and "\u202f" not in s
        assert s == s.strip() and "  " not in s
        assert not ENTITY_RE.search(s)


# ---------------------------------------------------------------------------
# generic listing (no known class names)
# ---------------------------------------------------------------------------
def generic_listing(p: int):
    name = "generic_listing.html" if p == 1 else "generic_listing_p2.html"
    return parse_listing(fixture_text(name), SITE + GENERIC_LISTING_PATHS[p - 1], today=TODAY)


@pytest.mark.parametrize(
    "p, titles, start_day",
    [
        (1, mf.GENERIC_HEADLINES[:6], 8),
        (2, mf.GENERIC_HEADLINES[6:], 1),
    ],
)
def test_generic_listing_items(p, titles, start_day):
    page = generic_listing(p)
    assert [h.title for h in page.headlines] == list(titles)
    for n, (h, title) in enumerate(zip(page.headlines, titles, strict=True)):
        assert h.url == f"{SITE}/generic/Actualites/{mf.slugify(title)}"
        assert h.dates.iso_start == (dt.date(2021, 2, start_day) - dt.timedelta(days=2 * n)).isoformat()
        assert h.summary == f"Résumé de l’actualité « {title} »."


def test_generic_listing_next_url_from_rel_next():
    assert generic_listing(1).next_url == SITE + "/generic/Actualites/page2"
    assert generic_listing(2).next_url is None


@pytest.mark.parametrize("p", [1, 2])
def test_generic_listing_no_nav_aside_footer_links(p):
    page = generic_listing(p)
    for h in page.headlines:
        assert not re.search(r"/(Menu|Aside|Footer)-", h.url), h
        assert h.title not in (
            "Toute l'actu",
            "Agenda des quartiers",
            "Les plus lus",
            "Newsletter",
            "Archives",
            "Actualités",
            "Page suivante",
            "Plan du site",
        )
        assert h.url != page.url
        assert "page2" not in h.url


# ---------------------------------------------------------------------------
# layout changed
# ---------------------------------------------------------------------------
def test_layout_changed_raises_layout_error():
    url = SITE + LAYOUT_CHANGED_PATH
    with pytest.raises(LayoutError) as info:
        parse_listing(fixture_text("layout_changed.html"), url, today=TODAY)
    assert "layout may have changed" in str(info.value)
    assert url in str(info.value)


@pytest.mark.parametrize("html", ["", "<html></html>", "<html><body><p>Rien.</p></body></html>"])
def test_empty_listing_raises_layout_error(html):
    with pytest.raises(LayoutError, match="layout may have changed"):
        parse_listing(html, SITE + "/Actualites", today=TODAY)


# ---------------------------------------------------------------------------
# the seed article
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def securite() -> Article:
    return article("securite", "article_securite.html")


def test_securite_title_date_category_lead(securite):
    assert securite.title == mf.SEED_ARTICLE_TITLE
    assert "\u00a0" not in securite.title
    assert securite.dates.iso_start == "2021-02-08"
    assert securite.category == "Sécurité"
    assert securite.lead == mf.SEED_ARTICLE_LEAD
    assert securite.url == SITE + ARTICLE_PATHS["securite"]


def test_securite_body_paragraphs_and_headings_in_order(securite):
    seed = [text for kind, text in mf.SEED_ARTICLE_BODY]
    got = [b.text for b in text_blocks(securite)]
    assert is_subsequence(seed, got), got
    headings = [b.text for b in securite.blocks if b.kind == "heading"]
    assert headings == ["Un centre de supervision urbain fin 2021", "Recrutement de 50 policiers municipaux"]
    assert all(b.level == 2 for b in securite.blocks if b.kind == "heading")


def test_securite_plain_text_is_exactly_the_body(securite):
    expected = "\n\n".join(text for _, text in mf.SEED_ARTICLE_BODY)
    assert securite.plain_text() == expected


def test_securite_no_chrome_text(securite):
    text = article_texts(securite)
    for marker in CHROME_TEXTS:
        assert marker not in text, marker
    for title in CHROME_LINK_TITLES:
        assert title not in text


def test_securite_lead_title_related_not_in_body(securite):
    plain = securite.plain_text()
    assert securite.lead not in plain
    assert "Lire aussi" not in plain
    assert "Voir" not in plain
    for summary, _, _ in mf.SEED_RELATED:
        assert summary not in plain
    assert not any(b.text == securite.title for b in securite.blocks)


def test_securite_embedded_map(securite):
    embeds = [b for b in securite.blocks if b.kind == "embed"]
    assert len(embeds) == 1
    assert embeds[0].url == "https://umap.openstreetmap.fr/fr/map/cameras_123"
    # after "Cartographie des lieux d'implantation :", before the first sub-heading
    kinds = [(b.kind, b.text) for b in securite.blocks]
    i_map = kinds.index(("embed", ""))
    assert kinds[i_map - 1] == ("paragraph", "Cartographie des lieux d'implantation :")
    assert kinds[i_map + 1] == ("heading", "Un centre de supervision urbain fin 2021")


def test_securite_image(securite):
    assert (
        Image(
            url=SITE + mf.ARTICLE_IMAGES["securite"],
            alt="Caméra de vidéoprotection",
            caption="Une caméra de vidéoprotection dans le centre-ville de Lille",
        )
        in securite.images
    )
    # the figure caption is not body text
    assert "Une caméra de vidéoprotection dans le centre-ville" not in securite.plain_text()


def test_securite_related(securite):
    rel = securite.related
    assert len(rel) == 3
    assert [r.url for r in rel] == [SITE + href for _, href, _ in mf.SEED_RELATED]
    assert [r.summary for r in rel] == [summary for summary, _, _ in mf.SEED_RELATED]
    for r in rel:
        assert r.title and fold(r.title) not in ("voir", "lire", "lire la suite")
        assert "Voir" not in r.title.split()
    assert rel[0].title == "Plus de moyens pour la sécurité"  # title attribute
    assert fold(rel[1].title) == fold("La police municipale se renforce")  # from the slug
    assert "police municipale" in fold(rel[2].title)


# ---------------------------------------------------------------------------
# no lead / no date
# ---------------------------------------------------------------------------
def test_no_lead_article():
    art = article("no_lead", "article_no_lead.html")
    assert art.title == mf.NO_LEAD_TITLE
    assert art.lead is None
    assert art.dates.iso_start == "2021-02-05"
    assert art.category == "Citoyenneté"
    assert [b.text for b in text_blocks(art)] == [text for _, text in mf.NO_LEAD_BODY]
    assert len(art.related) == 1
    assert art.related[0].title == "Quelles priorités pour le budget primitif 2021 ?"
    assert art.related[0].url == SITE + "/Actualites/Quelles-priorites-pour-le-budget-primitif-2021"
    for marker in CHROME_TEXTS:
        assert marker not in article_texts(art)


def test_no_date_article():
    art = article("no_date", "article_no_date.html")
    assert art.title == mf.NO_DATE_TITLE
    assert art.dates.iso_start is None
    assert art.lead == mf.NO_DATE_LEAD
    assert [b.text for b in text_blocks(art)] == [text for _, text in mf.NO_DATE_BODY]
    assert art.related == ()
    for marker in CHROME_TEXTS:
        assert marker not in article_texts(art)


# ---------------------------------------------------------------------------
# tables and lists
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tables() -> Article:
    return article("tables_lists", "article_tables_lists.html")


def item_text(item: tuple[Inline, ...]) -> str:
    return "".join(i.text for i in item).strip()


UL_ITEMS = [
    "le livret de famille ou un extrait d’acte de naissance ;",
    "un justificatif de domicile de moins de 3 mois (voir la liste des justificatifs acceptés) ;",
    "le carnet de santé de l’enfant (vaccinations à jour).",
]
OL_ITEMS = [
    "Remplir le formulaire en ligne ou en mairie de quartier.",
    "Recevoir le certificat d’inscription par courrier.",
    "Prendre rendez-vous avec la directrice ou le directeur de l’école.",
]


def test_tables_header_fields(tables):
    assert tables.title == mf.TABLES_TITLE
    assert tables.dates.iso_start == "2021-02-01"
    assert tables.category == "Éducation"
    assert tables.lead == mf.TABLES_LEAD


def test_tables_lists(tables):
    lists = [b for b in tables.blocks if b.kind == "list"]
    assert len(lists) == 2
    ul, ol = lists
    assert ul.ordered is False and ol.ordered is True
    assert [item_text(i) for i in ul.items] == UL_ITEMS
    assert [item_text(i) for i in ol.items] == OL_ITEMS
    strong = [i for i in ul.items[1] if i.strong]
    assert strong and "justificatif de domicile" in strong[0].text


def test_tables_list_items_not_duplicated(tables):
    plain = tables.plain_text()
    for text in UL_ITEMS + OL_ITEMS:
        assert plain.count(text) == 1, text
    for b in text_blocks(tables):
        assert not any(text in b.text for text in UL_ITEMS + OL_ITEMS)


def test_tables_table_block(tables):
    tbl = [b for b in tables.blocks if b.kind == "table"]
    assert len(tbl) == 1
    t = tbl[0]
    assert t.header is True
    assert t.rows[0] == ("Âge", "Classe", "Date limite")
    assert t.rows[1:] == (
        ("3 ans", "Petite section", "31 mars 2021"),
        ("6 ans", "CP", "31 mars 2021"),
        ("11 ans", "6e (collège)", "30 avril 2021"),
    )


def test_tables_quote_headings_image(tables):
    quotes = [b for b in tables.blocks if b.kind == "quote"]
    assert len(quotes) == 1
    assert quotes[0].text == "« L’école est le premier lieu de l’égalité des chances. »"
    headings = [(b.text, b.level) for b in tables.blocks if b.kind == "heading"]
    assert headings == [("Les pièces à fournir", 2), ("Les étapes", 2), ("Calendrier", 3)]
    body_img = SITE + mf.ARTICLE_IMAGES["tables_lists_body"]
    imgs = [b for b in tables.blocks if b.kind == "image"]
    assert [(b.url, b.alt, b.caption) for b in imgs] == [(body_img, "Enfants en classe", "Une classe lilloise")]
    assert any(i.url == body_img and i.caption == "Une classe lilloise" for i in tables.images)
    assert any(i.url == SITE + mf.ARTICLE_IMAGES["tables_lists"] and i.alt == "Cour d'école" for i in tables.images)


def test_tables_block_order(tables):
    kinds = [b.kind for b in tables.blocks]
    assert kinds == [
        "paragraph",
        "heading",
        "list",
        "heading",
        "list",
        "heading",
        "table",
        "quote",
        "image",
        "paragraph",
        "paragraph",
    ]


def test_tables_links_only_http(tables):
    hrefs = [i.href for i in all_inlines(tables) if i.href is not None]
    assert "https://www.service-public.fr/particuliers/vosdroits/F2359" in hrefs
    for href in all_urls(tables):
        assert href is None or href.startswith(("http://", "https://")), href
    # the link texts themselves are kept as text
    plain = tables.plain_text()
    assert "inscriptions@mairie-lille.fr" in plain and "cliquez ici" in plain
    assert "javascript" not in "".join(h for h in hrefs)
    assert "mailto" not in "".join(h for h in hrefs)


def test_tables_plain_text_lists(tables):
    plain = tables.plain_text()
    ul = "\n\n".join(f"- {x}" for x in UL_ITEMS)
    ol = "\n\n".join(f"{n}. {x}" for n, x in enumerate(OL_ITEMS, 1))
    assert f"Les pièces à fournir\n\n{ul}\n\nLes étapes\n\n{ol}\n\nCalendrier" in plain
    assert plain.startswith("Sont concernés les enfants nés en 2018")
    assert plain.endswith("Les dérogations de secteur sont examinées par une commission en mai.")
    assert "Co-working" not in plain and "Lire aussi" not in plain
    assert tables.related == (
        Related(
            title="Co-working et médiation numérique",
            url=SITE + "/Actualites/Co-working-et-mediation-numerique",
            summary="De nouveaux espaces pour travailler et se former au numérique.",
        ),
    )


# ---------------------------------------------------------------------------
# ISO-8859-1
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/html; charset=ISO-8859-1", "text/html"])
def test_latin1_article(content_type):
    art = article("latin1", "article_latin1.html", content_type)
    assert art.title == mf.LATIN1_TITLE
    assert art.lead == mf.LATIN1_LEAD
    assert art.dates.iso_start == "2021-01-10"
    assert art.category == "Environnement"
    assert [b.text for b in text_blocks(art)] == [text for _, text in mf.LATIN1_BODY]
    everything = article_texts(art)
    for ch in "éàç«»°ÉèôÔ":
        if ch in "".join(t for _, t in mf.LATIN1_BODY) + mf.LATIN1_TITLE + mf.LATIN1_LEAD:
            assert ch in everything, ch
    for ch in ["é", "à", "ç", "«", "»", "°"]:
        assert ch in everything
    assert "Ã" not in everything and "\ufffd" not in everything
    assert any(i.alt == "Façade isolée" and i.caption == "Une façade rénovée à Fives" for i in art.images)


def test_latin1_article_same_both_ways():
    a1 = article("latin1", "article_latin1.html", "text/html; charset=ISO-8859-1")
    a2 = article("latin1", "article_latin1.html", "text/html")
    assert a1._replace(url="") == a2._replace(url="")


# ---------------------------------------------------------------------------
# entities and non-breaking spaces
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def entities() -> Article:
    return article("entities", "article_entities.html")


def test_entities_title_lead(entities):
    assert entities.title == "Lille se métamorphose avec vous !"
    assert entities.lead == "Places, parcs, rues : la ville change et vous êtes invités à donner votre avis !"
    assert entities.dates.iso_start == "2021-02-16"


def test_entities_no_leftovers_and_single_spaces(entities):
    fields = [entities.title, entities.lead or "", entities.plain_text()]
    fields += [b.text for b in entities.blocks]
    for s in fields:
        assert not ENTITY_RE.search(s), s
        assert "\u00a0" not in s and "\u202f" not in s, s
        assert "  " not in s, s
    for b in entities.blocks:
        for inl in b.inlines:
            assert "\u00a0" not in inl.text and "\u202f" not in inl.text


def test_entities_decoded_text(entities):
    plain = entities.plain_text()
    for expected in [
        "La Ville lance une grande concertation : « Lille se métamorphose avec vous ». "
        "Chacun peut participer, en ligne ou dans les mairies de quartier.",
        "Où en sont les projets ? La place de Strasbourg, le parc Matisse & la gare Saint-Sauveur "
        "sont au cœur de la démarche. L’objectif : une ville plus verte !",
        "Les rendez-vous :",
        "Balades urbaines le samedi ; ateliers le mercredi à 18 h. Près de 40 % des Lillois ont déjà répondu.",
        "Une question ? Écrivez-nous : nous répondrons à tous les messages…",
    ]:
        assert expected in plain


# ---------------------------------------------------------------------------
# hostile article
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile() -> Article:
    return article("hostile", "article_hostile.html")


def test_hostile_title_keeps_literal_markup(hostile):
    assert hostile.title == mf.HOSTILE_TITLE
    assert "[bold]municipal[/bold]" in hostile.title


def test_hostile_no_control_or_bidi_anywhere(hostile):
    strings = all_strings(hostile) + [hostile.plain_text()]
    assert strings
    for s in strings:
        assert not UNSAFE_RE.search(s), repr(s)


def test_hostile_only_http_hrefs(hostile):
    for url in all_urls(hostile):
        assert url is None or url.startswith(("http://", "https://")), url
    for r in hostile.related:
        assert r.url.startswith(("http://", "https://"))
    for i in hostile.images:
        assert i.url.startswith(("http://", "https://"))


def test_hostile_escape_sequences_removed_whole(hostile):
    plain = hostile.plain_text()
    assert "ROUGE" in plain
    assert "[31m" not in plain and "[0m" not in plain
    assert "8;;" not in plain and "cliquez" in plain
    assert "[2J" not in (hostile.lead or "")
    assert hostile.lead == "Retour sur la séance du conseil municipal."
    assert "[red]not markup[/red]" in plain  # literal text stays literal
    assert "Délibération adoptée à l’unanimité." in plain


# ---------------------------------------------------------------------------
# generic article (unknown markup)
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generic() -> Article:
    return article("generic", "generic_article.html")


def test_generic_article_fields(generic):
    assert generic.title == mf.GENERIC_TITLE
    assert generic.dates.iso_start == "2021-01-15"
    assert generic.lead == mf.GENERIC_INTRO


def test_generic_article_body(generic):
    assert [b.text for b in text_blocks(generic)] == [text for _, text in mf.GENERIC_BODY]
    assert generic.plain_text() == "\n\n".join(text for _, text in mf.GENERIC_BODY)


def test_generic_article_related(generic):
    assert [(r.title, r.url) for r in generic.related] == [(title, SITE + href) for href, title in mf.GENERIC_RELATED]


def test_generic_article_no_chrome(generic):
    text = article_texts(generic)
    for marker in [
        "Ce site utilise des cookies",
        "Hôtel de Ville",
        "Plan du site",
        "Toute l'actu",
        "Agenda des quartiers",
        "Événements",
        "Archives",
        "Refuser",
        "dataLayer",
        "À lire aussi",
        "Nouveau composteur",
        "Verdissez",
    ]:
        assert marker not in text, marker


# ---------------------------------------------------------------------------
# every article fixture: general invariants
# ---------------------------------------------------------------------------
ARTICLE_FIXTURES = [
    (path, name, ctype) for path, name, ctype in PAGES if name.startswith("article_") or name == "generic_article.html"
]


@pytest.mark.parametrize("path, name, ctype", ARTICLE_FIXTURES, ids=[p for p, _, _ in ARTICLE_FIXTURES])
def test_every_article_fixture_invariants(path, name, ctype):
    art = parse_article(fixture_text(name, ctype), SITE + path, today=TODAY)
    assert art.title and art.plain_text()
    for s in all_strings(art) + [art.plain_text()]:
        assert not UNSAFE_RE.search(s), repr(s)
    for s in [art.title, art.lead or ""] + [b.text for b in art.blocks]:
        assert "\u00a0" not in s and "\u202f" not in s and "  " not in s and s == s.strip()
    for url in all_urls(art):
        assert url is None or url.startswith(("http://", "https://")), url
    text = article_texts(art)
    # (the latin-1 article's own body mentions "l'Hôtel de Ville": not furniture there)
    own_text = "\n".join(t for _, t in mf.LATIN1_BODY) if "latin1" in name else ""
    for marker in CHROME_MARKERS + [
        "Place Augustin Laurent",
        "Tous droits réservés",
        "Dans cette rubrique",
        "Tout accepter",
        "Mentions légales",
    ]:
        assert marker not in text or marker in own_text, marker
    assert "Lire aussi" not in art.plain_text()


@pytest.mark.parametrize(
    "path, name, ctype",
    [p for p in PAGES if p[1].startswith("listing_")],
    ids=lambda x: x if isinstance(x, str) and x.startswith("/") else "",
)
def test_listing_fixtures_are_not_articles_with_chrome(path, name, ctype):
    # Parsing a listing page as an article never yields page furniture as text.
    try:
        art = parse_article(fixture_text(name, ctype), SITE + path, today=TODAY)
    except LayoutError:
        return
    text = article_texts(art)
    for marker in CHROME_MARKERS:
        assert marker not in text


# ---------------------------------------------------------------------------
# Article.plain_text on hand-made models
# ---------------------------------------------------------------------------
def test_plain_text_format():
    art = Article(
        url=SITE + "/Actualites/X",
        title="Titre",
        lead="Chapô",
        blocks=(
            Block("paragraph", inlines=(Inline("Premier "), Inline("lien", href="https://www.lille.fr/"), Inline("."))),
            Block("heading", inlines=(Inline("Intertitre"),), level=2),
            Block("list", items=((Inline("un"),), (Inline("deux"),))),
            Block("list", ordered=True, items=((Inline("premier"),), (Inline("second"),), (Inline("troisième"),))),
            Block("image", url=SITE + "/i.png", alt="Image", caption="Légende"),
            Block("embed", url="https://umap.openstreetmap.fr/x", caption="Carte"),
            Block("paragraph", inlines=(Inline("Fin."),)),
        ),
        images=(Image(SITE + "/i.png", "Image", "Légende"),),
        related=(Related("Lire aussi ceci", SITE + "/Actualites/Y", "Résumé lié"),),
    )
    assert art.plain_text() == (
        "Premier lien.\n\nIntertitre\n\n- un\n\n- deux\n\n1. premier\n\n2. second\n\n3. troisième\n\nFin."
    )


def test_plain_text_empty():
    assert Article(url=SITE, title="T").plain_text() == ""


# ---------------------------------------------------------------------------
# LayoutError for an article without text
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Titre</title></head><body><div class='content'><h1>Titre seul</h1></div></body></html>",
        "<html><body><h1>Titre seul</h1></body></html>",
        mf.page(title_html="Titre seul", description="", content="    <h1>Titre seul</h1>"),
        mf.page(
            title_html="Titre seul", description="", content='    <h1>Titre seul</h1>\n    <div class="rte"> </div>'
        ),
    ],
    ids=["bare-content", "bare-body", "lille-chrome", "lille-chrome-empty-rte"],
)
def test_article_with_title_but_no_text_raises(html):
    url = SITE + "/Actualites/Titre-seul"
    with pytest.raises(LayoutError) as info:
        parse_article(html, url, today=TODAY)
    assert "layout may have changed" in str(info.value)
    assert url in str(info.value)


@pytest.mark.parametrize("html", ["", "<html></html>", "<html><body></body></html>"])
def test_article_empty_page_raises(html):
    with pytest.raises(LayoutError):
        parse_article(html, SITE + "/Actualites/Vide", today=TODAY)


# ---------------------------------------------------------------------------
# robustness on small hand-made pages
# ---------------------------------------------------------------------------
def parse_without_huge_traceback(html: str, url: str) -> Article:
    """parse_article, but a RecursionError fails the test with a one-line message
    (pytest takes tens of seconds to format a 1000-frame traceback)."""
    art, failed = None, False
    try:
        art = parse_article(html, url, today=TODAY)
    except RecursionError:
        failed = True
    if failed:
        pytest.fail(f"parse_article raised RecursionError on {url}", pytrace=False)
    return art


def test_nested_list_inside_wrapper_not_duplicated():
    html = (
        "<html><body><h1>Titre</h1><div class='rte'><p>Intro.</p>"
        "<ul><li>Alpha<div><ul><li>Bravo</li></ul></div></li><li>Charlie</li></ul></div></body></html>"
    )
    art = parse_article(html, SITE + "/Actualites/Listes", today=TODAY)
    plain = art.plain_text()
    assert plain.count("Alpha") == 1 and plain.count("Charlie") == 1
    assert plain.count("Bravo") == 1, plain


@pytest.mark.parametrize("depth", [500, 1000])
def test_deeply_nested_article_does_not_crash(depth):
    html = (
        "<html><body><h1>Titre</h1><div class='rte'>"
        + "<div>" * depth
        + "<p>Texte profond.</p>"
        + "</div>" * depth
        + "</div></body></html>"
    )
    assert "Texte profond." in parse_without_huge_traceback(html, SITE + "/Actualites/Profond").plain_text()


@pytest.mark.parametrize("depth", [1000])
def test_deeply_nested_inline_does_not_crash(depth):
    html = (
        "<html><body><h1>Titre</h1><div class='rte'><p>"
        + "<b>" * depth
        + "Texte profond."
        + "</b>" * depth
        + "</p></div></body></html>"
    )
    assert "Texte profond." in parse_without_huge_traceback(html, SITE + "/Actualites/Profond").plain_text()


# ---------------------------------------------------------------------------
# canonical_url
# ---------------------------------------------------------------------------
from lillenews.site.news import canonical_url  # noqa: E402


@pytest.mark.parametrize(
    "href, expected",
    [
        ("/Actualites/X", SITE + "/Actualites/X"),
        ("X", SITE + "/Actualites/X"),
        ("https://WWW.Lille.FR/Actualites/X", SITE + "/Actualites/X"),
        ("/Actualites/X?utm_source=newsletter&utm_medium=email", SITE + "/Actualites/X"),
        ("/Actualites/X?id=3&utm_campaign=y", SITE + "/Actualites/X?id=3"),
        ("/Actualites/X#haut", SITE + "/Actualites/X"),
        ("//evil.example/x", "https://evil.example/x"),
        ("  /Actualites/X  ", SITE + "/Actualites/X"),
    ],
)
def test_canonical_url(href, expected):
    assert canonical_url(href, SITE + "/Actualites/") == expected


@pytest.mark.parametrize(
    "href",
    [
        None,
        "",
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "mailto:a@b.c",
        "data:text/html,xx",
        "file:///etc/passwd",
        "https://evil.example/\x1b]8;;x",
        "https://evil.example/\u202ex",
        "https://e.x/\x00",
        "http://[::1",
    ],
)
def test_canonical_url_rejects(href):
    assert canonical_url(href, SITE + "/Actualites/") is None


@pytest.mark.parametrize("ld", ["[" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000])
def test_deeply_nested_json_ld_does_not_crash(ld):
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script></head>'
        "<body><h1>Titre</h1><div class='rte'><p>Texte.</p></div></body></html>"
    )
    art = parse_without_huge_traceback(html, SITE + "/Actualites/Json")
    assert art.title == "Titre" and art.plain_text() == "Texte."
