"""Events output in every format: JSON, plain text, Markdown, Rich (Console(file=StringIO()))."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import pathlib
import re

import pytest
from rich.console import Console

from lillenews.app.agenda import AgendaQuery, upcoming
from lillenews.app.walker import Next, Stop
from lillenews.base.dates import NO_DATES, DateRange, http_date
from lillenews.base.event_models import Category, Event, EventPage, Link, NumberedEvent
from lillenews.site.events import parse_event_listing, parse_event_page
from lillenews.views.event_model import (
    categories_text,
    category_dicts,
    date_label,
    event_markdown,
    event_page_dict,
    event_row_dict,
    event_text,
    events_text,
)
from lillenews.views.jsonout import to_json
from lillenews.views.markdown import md_escape
from lillenews.views.rich_events import event_renderable, events_table

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("lillenews_make_events", FIXTURES / "make_events.py")
me = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(me)  # type: ignore[union-attr]

SITE = "https://www.lille.fr"
TODAY = me.TODAY
D = dt.date


def get(step: Next, index: int):
    html = me.all_pages().get(step.url.removeprefix(SITE))
    return parse_event_listing(html, step.url, reference=http_date(me.LAST_MODIFIED), today=TODAY) if html else Stop.END


@pytest.fixture(scope="module")
def items() -> tuple[NumberedEvent, ...]:
    return upcoming(SITE, AgendaQuery(limit=None), get, today=TODAY).events


def page_of(slug: str) -> EventPage:
    path = f"/Evenements/{slug}"
    return parse_event_page(me.all_pages()[path], SITE + path, today=TODAY)


HOSTILE = EventPage(
    url=SITE + "/Evenements/X",
    title="[bold red]Fête[/] **gras** \x1b[2J\u202eevil",
    dates=DateRange(D(2024, 6, 1), D(2024, 6, 30)),
    date_text="Du 1 au 30 juin 2024",
    lead="# pas un titre",
    description=("1. pas une liste", "<script>alert(1)</script>"),
    links=(Link("bad", "javascript:alert(1)"), Link("ok [x]", "https://example.org/a b")),
    image="javascript:alert(1)",
)


@pytest.mark.parametrize(
    "dates, label",
    [
        (DateRange(D(2024, 6, 15), None), "15/06/2024"),
        (DateRange(D(2024, 6, 15), D(2024, 6, 15)), "15/06/2024"),
        (DateRange(D(2024, 6, 1), D(2024, 10, 26)), "01/06/2024 → 26/10/2024"),
        (DateRange(None, D(2024, 8, 4)), "until 04/08/2024"),
        (NO_DATES, ""),
    ],
)
def test_date_label(dates, label):
    assert date_label(dates) == label


def test_listing_json_shape(items):
    data = json.loads(to_json([event_row_dict(i, ("Vieux-Lille",) if n == 0 else ()) for n, i in enumerate(items)]))
    assert data[0] == {
        "number": 1, "url": SITE + "/Evenements/Visite-guidee-du-Vieux-Lille", "title": "Visite guidée du Vieux-Lille",
        "date": "2024-06-14", "date_end": None, "date_text": "Le 14 juin 2024", "ongoing": False,
        "category": "Visite", "place": "Office de tourisme", "address": "Palais Rihour, place Rihour, 59000 Lille",
        "phone": "03 59 57 94 00", "summary": me.summary(me.EVENTS[2])[0], "truncated": True,
        "image": SITE + me.image_path(me.EVENTS[2]), "quartiers": ["Vieux-Lille"],
    }  # fmt: skip
    by_title = {d["title"]: d for d in data}
    assert by_title["Exposition « Lille, ville d'eau »"]["date"] is None
    assert by_title["Exposition « Lille, ville d'eau »"]["date_end"] == "2024-08-04"
    assert by_title["Exposition « Lille, ville d'eau »"]["ongoing"] is True
    assert by_title["Conférence : l'histoire des beffrois"]["date"] is None  # undated: listed, null dates
    assert by_title["Conférence : l'histoire des beffrois"]["date_end"] is None


def test_event_json_shape():
    data = event_page_dict(page_of("Exposition-Lille-ville-d-eau"), 3, TODAY)
    assert set(data) == {
        "number", "url", "title", "date", "date_end", "date_text", "ongoing", "category", "lead", "description",
        "hours", "address", "phone", "image", "image_alt", "credit", "links", "source", "quartiers",
    }  # fmt: skip
    assert data["quartiers"] == []
    assert data["number"] == 3 and data["ongoing"] is True and data["credit"] == "Thomas Lo Presti"
    assert data["hours"] == ["Du mardi au dimanche", "de 10h à 18h", "Fermé le lundi"]
    assert data["links"][0] == {
        "text": "Voir sur OpenAgenda",
        "url": "https://openagenda.com/ville-de-lille/events/exposition-lille-ville-d-eau",
    }
    json.dumps(data)


def test_categories_outputs():
    cats = [Category("Concert", "535"), Category("Cinéma - projection")]
    assert category_dicts(cats) == [{"name": "Concert", "id": "535"}, {"name": "Cinéma - projection", "id": None}]
    assert categories_text(cats) == "Concert\nCinéma - projection\n"


def test_plain_listing(items):
    text = events_text(items, 100)
    lines = text.splitlines()
    assert lines[0].split() == ["#", "Dates", "Category", "Title"]
    assert lines[1].split()[:3] == ["1", "14/06/2024", "Visite"]
    assert "01/06/2024 → 26/10/2024" in text and "until 04/08/2024" in text
    assert "ongoing" in text
    assert "Office de tourisme" in text  # the place under the title
    assert all(len(line) <= 100 for line in lines)
    assert "Conférence : l'histoire des beffrois" in text  # undated, still listed
    narrow = events_text(items, 40)
    assert "Visite guidée du" in narrow


def test_plain_event_page():
    text = event_text(page_of("Exposition-Lille-ville-d-eau"), 6, 80, TODAY)
    assert text.startswith("6. Exposition « Lille, ville d'eau »\n")
    assert "Dates: Jusqu'au 04 août 2024 · until 04/08/2024 (ongoing)" in text
    assert "Place: Hospice Comtesse, 32 rue de la Monnaie, 59800 Lille" in text
    assert "Hours: Du mardi au dimanche\n       de 10h à 18h\n       Fermé le lundi\n" in text  # under the value
    assert "— Crédit : Thomas Lo Presti" in text  # the site's own words
    # a link too long for the line: its address on a line of its own, whole
    assert (
        "• Voir sur OpenAgenda\n    <https://openagenda.com/ville-de-lille/events/exposition-lille-ville-d-eau>" in text
    )
    assert text.rstrip().endswith(f"<{SITE}/Evenements/Exposition-Lille-ville-d-eau>")
    assert all(len(line) <= 80 for line in text.splitlines() if "://" not in line)  # URLs are never cut
    image = SITE + me.image_path(me.EVENTS[5], "_page_banner_image_bannerview")
    assert f"Image: Exposition « Lille, ville d'eau »\n<{image}>" in text
    assert "Picture" not in text


def test_plain_event_page_hostile():
    text = event_text(HOSTILE, None, 80, TODAY)
    assert "\x1b" not in text and "\u202e" not in text
    assert "javascript:" not in text
    assert "[bold red]Fête[/]" in text  # shown as text


def test_markdown_escapes_site_text():
    md = event_markdown(HOSTILE, TODAY)
    assert md.startswith("# \\[bold red\\]Fête\\[/\\] \\*\\*gras\\*\\* ")
    assert "\x1b" not in md and "\u202e" not in md and "javascript:" not in md
    assert "> \\# pas un titre" in md
    assert "\n1\\. pas une liste\n" in md
    assert "\\<script\\>" in md
    assert "- [ok \\[x\\]](<https://example.org/a b>)" not in md  # a URL with a space is not a safe link
    assert md_escape("- x") == "\\- x"


def test_markdown_event_page_is_a_french_document_in_every_language():
    """As an article's Markdown (README, Language): French labels whatever the interface's."""
    from lillenews.base import i18n

    for language in ("en", "fr"):
        i18n.set_language(language)
        md = event_markdown(page_of("Nocturne-au-Palais-des-Beaux-Arts"), TODAY)
        assert md.startswith("# Nocturne au Palais des Beaux-Arts\n")
        assert "- **Dates :** Le 28 juin 2024 · 28/06/2024" in md
        assert "- **Horaires :** Du mardi au dimanche ; de 10h à 18h ; Fermé le lundi" in md
        assert "*Crédit : Thomas Lo Presti*" in md
        assert "## Liens" in md and "Links" not in md and "Hours" not in md


def render(renderable, width: int = 100) -> str:
    out = io.StringIO()
    Console(file=out, width=width, no_color=True, highlight=False, emoji=False, markup=False).print(renderable)
    return out.getvalue()


def test_rich_listing(items):
    text = render(events_table(items, 100))
    assert "Visite guidée du Vieux-Lille" in text and "01/06/2024 → 26/10/2024" in text and "ongoing" in text


def test_rich_event_never_reads_site_text_as_markup():
    text = render(event_renderable(HOSTILE, 2, TODAY, hyperlinks=True))
    assert "2. [bold red]Fête[/] **gras**" in text
    assert "\x1b[2J" not in text and "javascript" not in text


def test_rich_event_page():
    text = render(event_renderable(page_of("Exposition-Lille-ville-d-eau"), 6, TODAY, hyperlinks=False))
    for expected in (
        "6. Exposition « Lille, ville d'eau »",
        "Jusqu'au 04 août 2024",
        "(ongoing)",
        "Fermé le lundi",
        "Crédit : Thomas Lo Presti",
        "Voir sur OpenAgenda <https://openagenda.com/",
    ):
        assert expected in text


def test_one_vocabulary_for_an_event_in_pipes_and_at_a_terminal_in_french():
    """The same labels, words and French spacing in both views (`Catégorie : Exposition`, never
    `Catégorie: ` nor an aligned `Catégorie  Exposition`), the articles' « Image »."""
    from lillenews.base import i18n

    i18n.set_language("fr")
    page = page_of("Exposition-Lille-ville-d-eau")
    piped = event_text(page, 6, 100, TODAY)
    shown = "\n".join(line.rstrip() for line in render(event_renderable(page, 6, TODAY, hyperlinks=False)).splitlines())
    for text in (piped, shown):
        for line in (
            "Dates : Jusqu'au 04 août 2024 · jusqu'au 04/08/2024 (en cours)",
            "Catégorie : Exposition",
            "Lieu : Hospice Comtesse, 32 rue de la Monnaie, 59800 Lille",
            "Téléphone : 03 28 36 10 16",
            "Horaires : Du mardi au dimanche\n           de 10h à 18h",
            "Image : Exposition « Lille, ville d'eau »",
            "— Crédit : Thomas Lo Presti",
            "\nLiens :\n",
        ):
            assert line in text, (line, text)
        assert not re.search(r"\w: ", text.replace("https:", "").replace("http:", "")), text


def test_a_description_that_says_what_it_shows_is_not_labelled_twice():
    from lillenews.views.labels import figure_parts, labels

    assert figure_parts("Illustration : Lille vue du beffroi", labels()) == ("", "Illustration : Lille vue du beffroi")
    assert figure_parts("Photo de la Grand'Place", labels()) == ("", "Photo de la Grand'Place")
    assert figure_parts("Lille vue du beffroi", labels()) == ("Image: ", "Lille vue du beffroi")
    page = page_of("Exposition-Lille-ville-d-eau")._replace(image_alt="Illustration : affiche de l'exposition")
    text = event_text(page, 6, 100, TODAY)
    assert "Illustration : affiche de l'exposition" in text and "Image: Illustration" not in text


def test_event_row_dict_for_a_bare_event():
    item = NumberedEvent(1, Event(SITE + "/Evenements/X", "X"), False)
    assert event_row_dict(item)["date"] is None and event_row_dict(item)["ongoing"] is False


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("## pas un titre", "\\## pas un titre"),
        ("1) pas une liste", "1\\) pas une liste"),
        ("2. pas une liste", "2\\. pas une liste"),
        ("---", "\\---"),
        ("=", "\\="),
        ("C# et *gras* <b>", "C# et \\*gras\\* \\<b\\>"),
    ],
)
def test_articles_and_events_escape_markdown_alike(text, escaped):
    from lillenews.base.models import Article, Block, Inline
    from lillenews.views.markdown import article_markdown
    from lillenews.views.model import article_view

    assert md_escape(text) == escaped
    event = event_markdown(EventPage(SITE + "/Evenements/X", "T", description=(text,)), TODAY)
    article = Article(SITE + "/Actualites/X", "T", blocks=(Block("paragraph", inlines=(Inline(text),)),))
    assert f"\n{escaped}\n" in event
    assert f"\n{escaped}\n" in article_markdown(article_view(article))


def test_articles_and_events_wrap_plain_text_alike():
    # one wrap: French no-break spaces hold (« … », " :"), a long address is never cut
    long = "https://www.lille.fr/" + "x" * 100
    text = "Un texte « entre guillemets » : " * 4 + long
    page = EventPage(SITE + "/Evenements/X", "T", description=(text,))
    lines = event_text(page, None, 40, TODAY).splitlines()
    assert long in lines
    assert not any(line.endswith("«") or line.startswith(("»", ":")) for line in lines)
