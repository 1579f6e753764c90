"""What the listing and the article field functions share: provenance records, node lookups
in spec order, the furniture test, meta tags and JSON-LD. No site literal: see site/markup.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lillenews.base.models import Layer
from lillenews.base.text import clean_or_none
from lillenews.site.blocks import text_of
from lillenews.site.markup import FURNITURE, FURNITURE_RE, GENERIC, GENERIC_LINK_TEXT

Root = LexborNode | LexborHTMLParser
_STOP_TAGS = ("body", "html", "-undef")


@dataclass(frozen=True, slots=True)
class Found:
    """Which layer gave a field, and how many values it gave (items, blocks, images...)."""

    layer: Layer
    count: int


Provenance = dict[str, Found]
NOTHING = Found(Layer.NONE, 0)


def tally(layers: Iterable[Layer]) -> Found:
    """One field over many items: the layer most items used (KNOWN on a tie), and how many
    items had a value at all."""
    known = generic = 0
    for layer in layers:
        if layer is Layer.KNOWN:
            known += 1
        elif layer is Layer.GENERIC:
            generic += 1
    if not known + generic:
        return NOTHING
    return Found(Layer.KNOWN if known >= generic else Layer.GENERIC, known + generic)


def first(node: Root, selectors: Iterable[str]) -> LexborNode | None:
    """The first match of the first selector that matches."""
    for sel in selectors:
        found = node.css_first(sel)
        if found is not None:
            return found
    return None


def first_not_chrome(roots: Iterable[Root], selectors: Iterable[str]) -> LexborNode | None:
    """The first match outside the furniture, selector by selector, each over every root."""
    roots = tuple(roots)
    for sel in selectors:
        for root in roots:
            for node in root.css(sel):
                if not is_chrome(node):
                    return node
    return None


def is_chrome(node: LexborNode, stop: LexborNode | None = None) -> bool:
    """True when `node` or an ancestor (up to `stop`) is page furniture (markup.FURNITURE)."""
    current: LexborNode | None = node
    while current is not None and current is not stop and current.tag not in _STOP_TAGS:
        if is_furniture(current):
            return True
        current = current.parent
    return False


def is_furniture(node: LexborNode) -> bool:
    """`node` itself is page furniture (the definition; markup.FURNITURE_CSS only preselects)."""
    tag = node.tag or ""
    if tag in FURNITURE.tags:
        return True
    attrs = node.attributes
    role = (attrs.get("role") or "").lower()
    if role in FURNITURE.roles:
        return True
    if (tag in FURNITURE.header_tags or role in FURNITURE.header_roles) and node.css_first("h1") is None:
        return True
    marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(marker.strip()) and FURNITURE_RE.search(marker) is not None


def link_title(link: LexborNode) -> str | None:
    """A link's text, unless it is a button label ("Voir", "Lire la suite"): then its title."""
    text = text_of(link)
    if text and text.casefold().strip(" .:…") not in GENERIC_LINK_TEXT:
        return text
    return clean_or_none(link.attributes.get("title"))


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """`<meta>` content by lower-case property / name / itemprop (the first of each wins)."""
    out: dict[str, str] = {}
    for m in (tree.head or tree).css("meta[content]"):
        key = m.attributes.get("property") or m.attributes.get("name") or m.attributes.get("itemprop")
        if key and key.lower() not in out:
            out[key.lower()] = m.attributes.get("content") or ""
    return out


def json_ld(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first Article-like object (GENERIC.ld_types) in the page's JSON-LD, or {}."""
    for script in tree.css("script[type='application/ld+json']"):
        try:
            data = json.loads(script.text() or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in GENERIC.ld_types for k in kinds if isinstance(k, str)):
                    return obj
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
    return {}


def ld_text(ld: dict[str, Any], keys: Iterable[str]) -> str | None:
    """The first string value of `keys` in a JSON-LD object."""
    for key in keys:
        value = ld.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None
