"""URLs: the one place that decides what a link's address is (absolute, http(s)
only, without fragment and tracking parameters). Light: no HTML parser needed."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .text import strip_unsafe

TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|at_medium|at_campaign)$", re.I)
_ANY_SPACE = re.compile(r"\s")


@lru_cache(maxsize=32)
def _origin(base: str) -> str | None:
    parts = urlsplit(base)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def canonical_url(href: str | None, base: str) -> str | None:
    """Absolute http(s) URL without fragment and tracking parameters, or None."""
    if not href:
        return None
    raw = href.strip()
    # Fast path for the site's usual links, "/Actualites/Slug": nothing to resolve,
    # no query to clean (urljoin and friends cost most of a listing's parse).
    if (raw.startswith("/") and not raw.startswith("//") and raw.isprintable()
            and not any(c in raw for c in " ?#\\%") and "/." not in raw):
        origin = _origin(base)
        if origin is not None:
            return origin + raw
    if not raw.isprintable():  # control, bidi or exotic space characters
        if raw != strip_unsafe(raw):
            return None  # control characters in a URL: never make it a link
        raw = _ANY_SPACE.sub("%20", raw)
    elif " " in raw:
        raw = raw.replace(" ", "%20")
    try:
        absolute = urljoin(base, raw)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
