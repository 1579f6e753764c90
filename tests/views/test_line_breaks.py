"""Where a line may break, in every renderer that wraps text (plain text for pipes, Rich at
a terminal): never inside a phone number, whatever follows it; never before a closing `»`
or after an opening `«`, in paragraphs and in tables' cells; never inside a URL (a URL
longer than the line stays whole on its own line: the terminal soft-wraps it, and a soft
wrap copies whole). Rendered at every width from 40 to 120 columns."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from rich.console import Console

from lillenews.base.dates import DateRange
from lillenews.base.event_models import Event, EventPage, Link, NumberedEvent
from lillenews.base.models import Article, Block, Inline, Related
from lillenews.views import event_model, plain, rich_events, rich_news
from lillenews.views.model import article_view

PHONE = "03 20 49 50 00"
WIDTHS = range(40, 121)
TODAY = dt.date(2024, 6, 14)


def rich_lines(renderable, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable, crop=False)
    return [line.rstrip() for line in console.file.getvalue().split("\n")]


def phone_split(lines: list[str], phone: str = PHONE) -> list[str]:
    """The pairs of lines a phone number is split across (empty when it is whole)."""
    digits = phone.split(" ")
    bad = []
    for a, b in zip(lines, lines[1:], strict=False):
        for cut in range(1, len(digits)):
            if a.rstrip().endswith(" ".join(digits[:cut])) and b.lstrip().startswith(" ".join(digits[cut:])):
                bad.append(f"{a!r} / {b!r}")
    return bad


def phone_article(end: str) -> Article:
    """A paragraph whose phone number is followed by `end` (a comma, a full stop…)."""
    words = "Renseignements à la mairie de quartier de Fives ou au"
    tail = "" if end == "¶" else f"{end} du lundi au vendredi de 9 h à 17 h, et le samedi matin."
    text = f"{words} {PHONE}{tail}"
    return Article(
        url="https://www.lille.fr/Actualites/Essai",
        title="Essai",
        blocks=(
            Block("paragraph", inlines=(Inline(text),)),
            Block("paragraph", inlines=(Inline(f"Une question ? Appelez le {PHONE}"),)),
            Block("list", items=((Inline(f"Standard : {PHONE} ({PHONE})"),),)),
        ),
    )


ENDS = (",", ".", ";", ")", " ;", "¶")


@pytest.mark.parametrize("end", ENDS)
def test_a_phone_number_is_never_split_in_plain_text(end):
    view = article_view(phone_article(end))
    bad = {w: phone_split(plain.article_text(view, w).splitlines()) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


@pytest.mark.parametrize("end", ENDS)
def test_a_phone_number_is_never_split_at_a_terminal(end):
    group = rich_news.article_group(article_view(phone_article(end)), hyperlinks=False)
    bad = {w: phone_split(rich_lines(group, w)) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


@pytest.mark.parametrize("end", ENDS)
def test_a_phone_number_is_never_split_in_the_reader(end):
    """The reader draws the same renderable in its own cells (long words cut, lines cropped)."""
    group = rich_news.article_group(article_view(phone_article(end)), hyperlinks=False, long_words="ellipsis")
    bad = {}
    for w in WIDTHS:
        console = Console(file=io.StringIO(), width=w, color_system=None, legacy_windows=False)
        console.print(group)  # cropped, as a widget's cells are
        bad[w] = phone_split(console.file.getvalue().splitlines())
    assert not {w: b for w, b in bad.items() if b}


def test_the_phone_check_can_fail():
    assert phone_split(["au 03 20 49", "50 00, du lundi"])
    assert not phone_split(["au", "03 20 49 50 00, du lundi"])


# ------------------------------------------------------------------ « » in tables' cells
GUILLEMETS = "Exposition « Photographes du Nord » et « Lille, ville d'eau »"


def guillemet_breaks(lines: list[str]) -> list[str]:
    """Lines that start with a closing `»` (or `:` `;` `!` `?`) or end with an opening `«`."""
    return [line for line in lines if line.strip().startswith(("»", ":", ";", "!", "?")) or line.endswith("«")]


def events(title: str = GUILLEMETS, category: str = "Exposition") -> list[NumberedEvent]:
    dates = DateRange(dt.date(2024, 6, 14), dt.date(2024, 8, 4))
    event = Event("https://www.lille.fr/Evenements/X", title, dates, category=category, place="Hospice Comtesse")
    return [NumberedEvent(n, event, True) for n in range(1, 4)]


def test_no_closing_guillemet_opens_a_line_of_the_events_columns():
    bad = {w: guillemet_breaks(event_model.events_text(events(), w).splitlines()) for w in WIDTHS}
    bad |= {-w: guillemet_breaks(rich_lines(rich_events.events_table(events(), w), w)) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


def test_no_closing_guillemet_opens_a_line_of_an_articles_table():
    table = Block("table", rows=(("Lieu", "Exposition"), ("Hospice", GUILLEMETS)), header=True)
    view = article_view(Article(url="https://www.lille.fr/Actualites/T", title="T", blocks=(table,)))
    group = rich_news.article_group(view, hyperlinks=False)
    bad = {w: guillemet_breaks(plain.article_text(view, w).splitlines()) for w in WIDTHS}
    bad |= {-w: guillemet_breaks(rich_lines(group, w)) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


def test_a_category_name_never_folds_when_the_line_has_room():
    """« Rencontre / conférence / débat » at 120 columns; narrower, it breaks after a slash."""
    name = "Rencontre / conférence / débat"
    items = events("Conférence : l'histoire des beffrois", name)
    assert any(name in line for line in event_model.events_text(items, 120).splitlines())
    assert any(name in line for line in rich_lines(rich_events.events_table(items, 120), 120))
    for w in (80, 90):
        rich = rich_lines(rich_events.events_table(items, w), w)
        for lines in (event_model.events_text(items, w).splitlines(), rich):
            assert not any(re.search(r"\s{2}/ ", line) for line in lines), lines  # never a line starting with "/"


# ------------------------------------------------------------------ URLs
LONG_URL = "https://www.lille.fr/Actualites/La-securite-et-la-prevention-une-priorite-pour-la-Ville-de-Lille"
IMAGE_URL = "https://www.lille.fr/var/www/storage/images/mediatheque/exposition-lille-ville-d-eau_page_banner.jpg"


def url_split(lines: list[str], urls: list[str]) -> list[str]:
    """The URLs of `urls` that no single line shows whole."""
    return [url for url in urls if not any(url in line for line in lines)]


def url_article() -> Article:
    paragraph = (Inline("Voir "), Inline("le dossier de la Ville sur la sécurité", href=LONG_URL), Inline(" en ligne."))
    return Article(
        url=LONG_URL + "-2",
        title="Essai",
        blocks=(Block("paragraph", inlines=paragraph),),
        related=(Related("La sécurité et la prévention, une priorité", LONG_URL, "Un résumé."),),
    )


def test_a_url_is_never_cut_by_a_line_break_at_a_terminal_or_in_a_pipe():
    view = article_view(url_article())
    group = rich_news.article_group(view, hyperlinks=False)
    urls = [LONG_URL, LONG_URL + "-2"]
    bad = {w: url_split(plain.article_text(view, w).splitlines(), urls) for w in WIDTHS}
    bad |= {-w: url_split(rich_lines(group, w), urls) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


def test_an_events_urls_are_never_cut():
    page = EventPage(
        url="https://www.lille.fr/Evenements/Exposition-Lille-ville-d-eau",
        title="Exposition",
        description=(f"Programme complet : {LONG_URL}",),
        image=IMAGE_URL,
        credit="Thomas Lo Presti",
        links=(Link("Voir sur OpenAgenda", LONG_URL),),
    )
    group = rich_events.event_renderable(page, 3, TODAY, hyperlinks=False)
    urls = [LONG_URL, IMAGE_URL, page.url]
    bad = {w: url_split(event_model.event_text(page, 3, w, TODAY).splitlines(), urls) for w in WIDTHS}
    bad |= {-w: url_split(rich_lines(group, w), urls) for w in WIDTHS}
    assert not {w: b for w, b in bad.items() if b}


def test_in_the_reader_a_long_url_is_cut_once_with_an_ellipsis():
    """The reader draws its own cells: the URL keeps a line of its own, cut once with `…`."""
    group = rich_news.article_group(article_view(url_article()), hyperlinks=False, long_words="ellipsis")
    console = Console(file=io.StringIO(), width=50, color_system=None)
    console.print(group)  # cropped, as a widget's cells are
    lines = console.file.getvalue().splitlines()
    cut = [line for line in lines if "https://" in line]
    assert cut and all(line.rstrip().endswith("…") and len(line.rstrip()) <= 50 for line in cut), lines
    assert all(line.lstrip().startswith(("<https://", "https://")) for line in cut), lines  # one piece a URL
