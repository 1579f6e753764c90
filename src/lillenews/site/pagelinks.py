"""Page-level links `doctor` looks at besides the parsed fields: the feeds a page advertises
(`<link rel="alternate" type="application/rss+xml|atom+xml">`) and the lists holding a set of
links (to tell a listing from a sub-menu). The selectors are data in markup.GENERIC. Both walks
are linear in the page: one pass over its links, a few steps up from each."""

from __future__ import annotations

from collections.abc import Collection

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.urls import canonical_url
from lillenews.site.markup import GENERIC
from lillenews.site.nesting import cap_nesting

__all__ = ["MENU_LINK_SHARE", "advertised_feeds", "most_in_one_list"]

MENU_LINK_SHARE = 0.8  # items this much held by one list are that list's links
MENU_DEPTH = 4  # a menu's link sits a few levels below its list (ul > li > span > a)
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


def most_in_one_list(html: str, url: str, wanted: Collection[str]) -> int:
    """How many of the `wanted` URLs one list of the page (its nearest `ul`, `ol` or `nav`
    within MENU_DEPTH levels of each link) links to, at most."""
    tree = _tree(html)
    held: dict[int, set[str]] = {}
    for link in tree.css("a[href]"):
        href = canonical_url(link.attributes.get("href"), url)
        if href is None or href not in wanted:
            continue
        node: LexborNode | None = link.parent
        for _ in range(MENU_DEPTH):
            if node is None:
                break
            if node.tag in GENERIC.menu_tags:
                held.setdefault(node.mem_id, set()).add(href)
                break
            node = node.parent
    return max((len(urls) for urls in held.values()), default=0)
