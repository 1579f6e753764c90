"""The events agenda (/Evenements) of lille.fr, as data (the evidence is in docs/SITE.md,
"The events agenda"). Its own module, apart from markup.py's news selectors and furniture
regexes, so that `events` from the cache (which needs only the URL scheme: section,
periods, page size, categories) does not build those (~2 ms at every start).

A NamedTuple, as markup.MarkupSpec, and without `from __future__ import annotations`
(typing compiles every string annotation of a NamedTuple): ~0.5 ms to create at start-up,
where the frozen dataclass it was took ~1.3 ms, plus ~0.5 ms to import `dataclasses`."""

from typing import NamedTuple

__all__ = ["EVENT_MARKUP", "EventMarkup"]


class EventMarkup(NamedTuple):
    """The events agenda (/Evenements), where each field lives, in the order tried: lille.fr's
    markup first (SITE.md, "The events agenda", the best-evidenced part of the site), then
    fallbacks with fewer class names. Read by site/events.py."""

    frame: tuple[str, ...] = ("#skiptocontent > div.content.contentFull > section", ".contentFull", "main")
    list: tuple[str, ...] = (".actusMaster",)
    items: tuple[str, ...] = (".actusMaster .evenement", ".evenement")
    title_link: tuple[str, ...] = (
        "div.right > span.actuTitle > a[href]", ".right > span > a[href]", ".actuTitle a[href]",
        "h2 a[href]", "h3 a[href]", "a[href]",
    )  # fmt: skip
    more_link: tuple[str, ...] = ("a.voirActus[href]",)
    category: tuple[str, ...] = ("div.right > p.event-type > strong", ".event-type strong", ".event-type")
    summary: tuple[str, ...] = ("div.right > p.innerContent", ".innerContent")
    image: tuple[str, ...] = (".image-large > img[src]", ".image-large img[src]", "img[src]")
    # The date text is the <p> after the "Date" label; the whole block, then <time>, as fallbacks.
    date: tuple[str, ...] = ("div.rechercheInfo > div.dateInfo > p.subtitle + p", ".dateInfo", "time")
    # The venue: every node of the first selector that matches, then a phone link if the text has no phone.
    contact: tuple[str, ...] = ("div.rechercheInfo > div.contactInfo > div > p", ".contactInfo div > p")
    phone_link: tuple[str, ...] = ("a[href^='tel:']",)
    pagination: tuple[str, ...] = ("div.pagination", ".pagination")
    page_number: str = ".page"
    next_link: tuple[str, ...] = ("a.next[href]", ".next a[href]", "a[rel~='next'][href]")
    category_filter: str = "a[href*='(type)/'], option[value*='(type)/']"
    category_id: str = r"\(type\)/(\d+)"  # the ID in a category filter's address
    # event page
    page_title: tuple[str, ...] = (".content > h1", "main h1", "h1")
    page_date: tuple[str, ...] = (".dateInfo span", ".dateInfo", "time")
    page_category: tuple[str, ...] = (".content .event-type strong", ".event-type")
    page_lead: tuple[str, ...] = (".chapo p", ".chapo")
    page_body: tuple[str, ...] = (".rte p, .rte h2, .rte h3, .rte li",)
    page_figure: tuple[str, ...] = (".figureContain",)
    page_hours: tuple[str, ...] = (".columnRight .textAlone", ".textAlone")
    page_address: tuple[str, ...] = (".columnRight .adress p", ".adress p", ".adress")  # every <p>, as contact
    page_phone_link: tuple[str, ...] = (".columnRight a[href^='tel:']", "a[href^='tel:']")
    page_links: tuple[str, ...] = (".columnRight a[href]",)
    # The agenda's categories seen on the live site (June 2024): matched by name when the
    # page's own filter links do not give their (type)/ID.
    categories: tuple[str, ...] = (
        "Visite", "Exposition", "Stage et atelier", "Spectacle", "Concert", "Nocturne", "Fête / festival",
        "Rencontre / conférence / débat", "Marché / braderie", "Événement sportif", "Nature / environnement",
        "Salon / foire", "Cinéma - projection",
    )  # fmt: skip
    # URL scheme (eZ Publish view parameters, offset first)
    section: str = "/Evenements"
    periods: tuple[str, ...] = ("today", "week", "weekend", "month")
    per_page: int = 10


EVENT_MARKUP = EventMarkup()
