"""A linear pre-scan that bounds the nesting depth of a page before lexbor parses it.

lexbor's tree building is quadratic in the nesting depth (150,000 nested <div>: 62 s), so
excessive nesting is flattened first. Real pages nest a few dozen levels; past MAX_DEPTH,
start and end tags are dropped and their text kept in place. Site-independent."""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import sub

from lillenews.site.blocks import BLOCK_TAGS, INLINE_TAGS, SKIP_TAGS

# Deep enough for any real page, shallow enough for the recursive block walk (two frames a level).
MAX_DEPTH = 256
# Elements that never nest in the tree lexbor builds: void elements, and those whose start
# tag closes an open one of their kind (<p>, <li>, <a>...). They do not count.
_FLAT_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "param",
        "keygen",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "a",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
        "html",
        "head",
        "body",
    ]
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed"})
# Raw-text elements and comments, each matched in one pass (atomic groups: no backtracking,
# an unclosed one runs to the end of the page), so markup inside them never counts.
_RAW = re.compile(
    r"<(script|style|textarea|title|xmp|iframe|noembed)\b(?>[^<]*+(?:<(?!/\1)[^<]*+)*+)(?:</\1[^>]*>)?"
    r"|<!--(?>[^-]*+(?:-(?!->)[^-]*+)*+)(?:-->)?",
    re.I,
)
_TAG_NAMES = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)")
_TAGS = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>?", re.S)
# Depth change per lower-case tag name; any other name (custom or upper-case) counts +1,
# even as an end tag: an overestimate, which only sends the page to the exact pass.
_DELTA = {name: 0 for name in _FLAT_TAGS} | {"/" + name: 0 for name in _FLAT_TAGS}
_DELTA |= {name: 1 for name in BLOCK_TAGS | INLINE_TAGS | SKIP_TAGS | _RAW_TEXT if name not in _FLAT_TAGS}
_OTHER_CONTAINERS = "div section article header footer nav main aside label fieldset legend details summary "
_OTHER_CONTAINERS += "figcaption picture g path span center big"
_DELTA |= {name: 1 for name in _OTHER_CONTAINERS.split()}
_DELTA |= {"/" + name: -1 for name, delta in list(_DELTA.items()) if delta == 1}


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` itself when it nests at most `max_depth` elements deep, else `html` with the
    tags beyond that depth removed. The check runs at C speed (regexes, map, accumulate)."""
    # Depth never exceeds the number of start tags.
    if html.count("<") - html.count("</") <= max_depth or _max_depth(html) <= max_depth:
        return html
    return _flatten(html, max_depth)


def _max_depth(html: str) -> int:
    """The deepest nesting of counted elements (an overestimate on unusual markup)."""
    depths = list(accumulate(map(_DELTA.get, _TAG_NAMES.findall(_RAW.sub("", html)), repeat(1))))
    if not depths or min(depths) >= 0:
        return max(depths, default=0)  # no stray end tag went below zero
    # Stray end tags do not go below zero: depth = running sum - its lowest value so far.
    deepest: int = max(map(sub, depths, accumulate(depths, min, initial=0)))
    return deepest


def _flatten(html: str, max_depth: int) -> str:
    out: list[str] = []
    last = depth = 0
    dropped: dict[str, int] = {}  # start tags removed, by name: their end tags go too
    raw: str | None = None
    for m in _TAGS.finditer(html):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if raw is not None or not name or name in _FLAT_TAGS:
            raw = None if raw is not None and closing and name == raw else raw
            continue
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                out.append(html[last : m.start()])
                last = m.end()
            else:
                depth = max(0, depth - 1)
        elif name in _RAW_TEXT:
            raw = name
        elif depth >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            out.append(html[last : m.start()])
            last = m.end()
        else:
            depth += 1
    out.append(html[last:])
    return "".join(out)
