"""Everything lillenews knows about lille.fr's markup, as data (the evidence is in docs/SITE.md).

Two `MarkupSpec` objects with the same fields: `LILLE`, the known eZ Publish templates of
lille.fr, and `GENERIC`, markup-independent HTML5 fallbacks (semantic tags, meta tags,
JSON-LD, `<time>`, `rel=next`). The parser tries `LILLE` first, then `GENERIC`, field by
field, and reports which of the two gave each value (`Layer`). Page furniture (menus,
breadcrumbs, share buttons, cookie banner, footer...) is one vocabulary, `FURNITURE`, from
which both the CSS selector list and the class/id regex are built.

A redesign of lille.fr is a change in this file only. No selectolax import here: this
module is data, cheap to import."""

import re
from typing import NamedTuple

from lillenews.base.models import Layer
from lillenews.site.event_markup import EVENT_MARKUP, EventMarkup  # re-exported: the agenda is lille.fr data too

__all__ = ["EVENT_MARKUP", "FURNITURE", "GENERIC", "LILLE", "EventMarkup", "Furniture", "Layer", "MarkupSpec"]


class MarkupSpec(NamedTuple):
    """Where each field lives in one family of pages. Tuples are tried in order; an empty
    tuple or string means this layer has nothing for that field."""

    # listing pages
    listing_items: str  # CSS of one headline's container
    item_title_link: tuple[str, ...]
    item_category: tuple[str, ...]
    item_summary: tuple[str, ...]
    item_image: tuple[str, ...]
    item_date: tuple[str, ...]
    item_more_link: str  # the "Voir" button: a link, never a title
    pagination: str
    next_link: tuple[str, ...]
    # article pages
    content_scope: str  # the page's content area (CSS list, first match in page order)
    title: tuple[str, ...]
    lead: tuple[str, ...]
    body: tuple[str, ...]
    figure: tuple[str, ...]
    figure_caption: str  # CSS inside a figure, beside `figcaption`
    date: tuple[str, ...]
    category: tuple[str, ...]
    related: tuple[str, ...]
    related_heading: str  # CSS of headings that may say "Lire aussi"
    not_body: tuple[str, ...]  # parts of the content area that are never body text
    # meta tags and JSON-LD keys (lower-case meta names)
    title_meta: tuple[str, ...] = ()
    date_meta: tuple[str, ...] = ()
    category_meta: tuple[str, ...] = ()
    ld_title: tuple[str, ...] = ()
    ld_date: tuple[str, ...] = ()
    ld_category: tuple[str, ...] = ()
    ld_types: tuple[str, ...] = ()
    main_content: tuple[str, ...] = ()  # where to look for headline links without known markup
    # for `doctor`: feeds a page advertises; tags of the lists a menu is made of
    feed_links: tuple[str, ...] = ()
    menu_tags: tuple[str, ...] = ()
    # CSS inside a figure of the element holding its photo credit (a name, "© X", "Crédit : X")
    figure_credit: str = ""


# --- lille.fr: eZ Publish templates ------------------------------------------------------------
_LEAD = (".chapo", ".chapeau", ".lead")
_DATE = (".dateInfo span", ".dateInfo")
_CATEGORY = (".content .event-type", ".event-type")
_FIGURE = (".figureContain",)
_RELATED = (".lireAussi", ".lire-aussi", "[class*='lireAussi']")

LILLE = MarkupSpec(
    listing_items=(
        ".actusMaster .actualite, .actusMaster .evenement, .actusMaster .actu, .actusMaster .item, .actusMaster article"
    ),
    item_title_link=(".right > span > a[href]", ".right h2 a[href]", ".right h3 a[href]", ".right a[href]"),
    item_category=(".right > .event-type", ".event-type"),
    item_summary=(".right > .innerContent", ".innerContent"),
    item_image=(".image-large > img", ".image-large img"),
    # the date text is the <p> after the "Date" label (agenda evidence), else the whole block
    item_date=("div.rechercheInfo > div.dateInfo > p.subtitle + p", ".dateInfo"),
    item_more_link=".voirActus",
    pagination=".actusMaster .pagination",
    next_link=(".pagination .next a[href]", ".pagination a.next[href]"),
    content_scope=".content",
    title=(".content > h1",),
    lead=_LEAD,
    body=(".rte",),
    figure=_FIGURE,
    figure_caption=".legende, .caption",
    date=_DATE,
    category=_CATEGORY,
    related=_RELATED,
    related_heading=".title, .titre",
    not_body=_RELATED + _DATE + _CATEGORY + _FIGURE + _LEAD,
    figure_credit=".copyright, .credit, .credits, .credit-photo",
)

# --- any HTML5 page: semantic tags, meta tags, JSON-LD -----------------------------------------
GENERIC = MarkupSpec(
    listing_items="",  # no class names: headline links are found by their URL (see NEWS_SECTION)
    item_title_link=("a[href]",),
    item_category=(),
    item_summary=("p",),
    item_image=("img[src]",),
    item_date=("time",),
    item_more_link="",
    pagination=".pagination, .pager, nav[aria-label*='agination']",
    next_link=(".pager a.next[href]", "link[rel~='next'][href]", "a[rel~='next'][href]"),
    content_scope=".content, main, [role='main'], article, #main, #content",
    title=("article h1", "main h1", "h1"),
    lead=("[itemprop='description']", "[class*='intro']"),
    # `.content` last: a common class name for a content area (lille.fr's too)
    body=("[itemprop='articleBody']", "article", "main", "[role='main']", "#main", "#content", ".content"),
    figure=(),
    figure_caption="",
    date=("time[datetime]", "time"),
    category=(),
    related=(".related", "[class*='related']"),
    related_heading="h2, h3, h4",
    not_body=(),
    title_meta=("og:title",),
    date_meta=("article:published_time", "datepublished", "date", "dc.date"),
    category_meta=("article:section",),
    ld_title=("headline",),
    ld_date=("datePublished",),
    ld_category=("articleSection",),
    ld_types=("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle"),
    main_content=("main", "[role='main']", "#main", "#content", ".content", "body"),
    feed_links=(
        "link[rel~='alternate'][type='application/rss+xml'][href]",
        "link[rel~='alternate'][type='application/atom+xml'][href]",
    ),
    menu_tags=("ul", "ol", "nav"),
    figure_credit="[class*='copyright' i], [class*='credit' i]",
)

# --- site text (French) -----------------------------------------------------------------------
# Headline links live one level below a news section: /Actualites/<Slug>.
NEWS_SECTION = re.compile(r"/actualit(?:e|é)s?/", re.I)
# Link texts that are buttons, not titles (folded: lower case, no accents).
GENERIC_LINK_TEXT = frozenset(
    {"voir", "lire", "lire la suite", "en savoir plus", "suite", "plus", ">", "»", "voir plus"}
)
RELATED_HEADINGS = frozenset({"lire aussi", "a lire aussi", "voir aussi", "sur le meme sujet", "articles lies"})
TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+(Ville de Lille|Lille\.fr|Lille)\s*$", re.I)
PUBLISHED_TEXT = re.compile(r"publi[ée]e? le ([^.\n]{4,40})", re.I)


# --- page furniture: one vocabulary, two matchers ---------------------------------------------
class Furniture(NamedTuple):
    """What is never a headline nor article text, by tag, ARIA role or class/id word."""

    tags: frozenset[str]  # always furniture
    roles: frozenset[str]
    header_tags: frozenset[str]  # furniture unless they hold the page's h1
    header_roles: frozenset[str]
    words: tuple[str, ...]  # matched anywhere in a class or id (long, unambiguous words)
    tokens: tuple[str, ...]  # matched as a whole class/id word only ("nav", not "navette")

    def css(self) -> str:
        """What is furniture for sure, as one CSS selector list (matched in C)."""
        parts = sorted(self.tags)
        parts += [f"[role={r}]" for r in sorted(self.roles)]
        parts += [f"[{attr}*={w} i]" for attr in ("class", "id") for w in self.words]
        return ", ".join(parts)

    def maybe_css(self) -> str:
        """What may be furniture, as CSS: header-like elements (furniture unless they hold the
        h1) and class/id tokens matched anywhere; `regex()` and the header rule confirm."""
        parts = sorted(self.header_tags) + [f"[role={r}]" for r in sorted(self.header_roles)]
        parts += [f"[{attr}*={t} i]" for attr in ("class", "id") for t in self.tokens]
        return ", ".join(parts)

    def regex(self) -> re.Pattern[str]:
        """The class/id part of the vocabulary as one regex over "class id" of an element."""
        words = "|".join(re.escape(w) for w in self.words)
        tokens = "|".join(re.escape(t) for t in self.tokens)
        return re.compile(rf"{words}|(?:^|[\s_-])(?:{tokens})(?:$|[\s_-])", re.I)


FURNITURE = Furniture(
    tags=frozenset(
        {"nav", "footer", "aside", "form", "button", "script", "style", "noscript", "template", "svg", "select"}
    ),
    roles=frozenset({"navigation", "contentinfo"}),
    header_tags=frozenset({"header"}),
    header_roles=frozenset({"banner"}),
    words=(
        "menu",
        "breadcrumb",
        "ariane",
        "share",
        "partage",
        "social",
        "cookie",
        "rgpd",
        "footer",
        "navbar",
        "navigation",
        "pagination",
        "pager",
        "colonnegauche",
    ),
    tokens=("nav", "header", "skip"),
)
FURNITURE_CSS = FURNITURE.css()
FURNITURE_MAYBE_CSS = FURNITURE.maybe_css()
FURNITURE_RE = FURNITURE.regex()

# Which layer each spec is, for provenance reports.
LAYERS: tuple[tuple[Layer, MarkupSpec], ...] = ((Layer.KNOWN, LILLE), (Layer.GENERIC, GENERIC))
