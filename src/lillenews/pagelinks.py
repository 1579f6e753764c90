"""Page-level links `doctor` looks at besides the parsed fields: the feeds a page advertises
(`<link rel="alternate" type="application/rss+xml|atom+xml">`) and its lists of bare links
(menus), to tell a listing from a sub-menu. The selectors are data in site.GENERIC."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from .blocks import text_of
from .nesting import cap_nesting
from .site import GENERIC
from .urls import canonical_url

__all__ = ["MENU_LINK_SHARE", "advertised_feeds", "link_lists"]

MENU_LINK_SHARE = 0.8  # a list whose text is at least this much link text is a menu
MIN_MENU_LINKS = 3
MAX_FEEDS = 10


def _tree(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(cap_nesting(html))


def advertised_feeds(html: str, url: str) -> list[str]:
    """Absolute URLs of the RSS/Atom feeds the page advertises, in page order, each once."""
    tree = _tree(html)
    found: list[str] = []
    for sel in GENERIC.feed_links:
        for node in tree.css(sel):
            href = canonical_url(node.attributes.get("href"), url)
            if href and href not in found:
                found.append(href)
    return found[:MAX_FEEDS]


def link_lists(html: str, url: str) -> list[frozenset[str]]:
    """The link targets of every list on the page that is mostly bare links (a menu): lists
    of at least MIN_MENU_LINKS links whose text is almost only link text."""
    tree = _tree(html)
    out: list[frozenset[str]] = []
    for sel in GENERIC.link_lists:
        for node in tree.css(sel):
            links = node.css("a[href]")
            if len(links) < MIN_MENU_LINKS:
                continue
            link_chars = sum(len(text_of(a)) for a in links)
            if link_chars < MENU_LINK_SHARE * len(text_of(node)):
                continue
            hrefs = frozenset(h for a in links if (h := canonical_url(a.attributes.get("href"), url)))
            if len(hrefs) >= MIN_MENU_LINKS:
                out.append(hrefs)
    return out
