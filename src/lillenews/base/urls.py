"""URLs: the one place that decides what a link's address is (absolute, http(s)
only, without fragment and tracking parameters, percent-encoded: a URI, not an IRI).
Light: no HTML parser needed."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from lillenews.base.text import lazy_pattern, strip_unsafe

tracking_params = lazy_pattern(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|at_medium|at_campaign)$", re.I)
_any_space = lazy_pattern(r"\s")


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
    if (
        raw.startswith("/")
        and not raw.startswith("//")
        and raw.isprintable()
        and not any(c in raw for c in " ?#\\%")
        and "/." not in raw
    ):
        origin = _origin(base)
        if origin is not None:
            return origin + raw if raw.isascii() else iri_to_uri(origin + raw)
    if not raw.isprintable():  # control, bidi or exotic space characters
        if raw != strip_unsafe(raw):
            return None  # control characters in a URL: never make it a link
        raw = _any_space().sub("%20", raw)
    elif " " in raw:
        raw = raw.replace(" ", "%20")
    try:
        absolute = urljoin(base, raw)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not tracking_params().match(k)]
    )
    return iri_to_uri(urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, "")))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_site(url: str, base: str) -> bool:
    """True when `url` is on the site `base` names: same host and same port. An
    http -> https upgrade of the same host (each on its scheme's default port), and
    an http:// address of an https site, are the same site. Anything else is not."""
    try:
        u, b = urlsplit(url), urlsplit(base)
        u_host, b_host = (u.hostname or "").rstrip("."), (b.hostname or "").rstrip(".")
        u_port, b_port = u.port, b.port  # ValueError on a bad port
    except ValueError:
        return False
    u_scheme, b_scheme = u.scheme.lower(), b.scheme.lower()
    if u_scheme not in _DEFAULT_PORTS or b_scheme not in _DEFAULT_PORTS or not u_host or u_host != b_host:
        return False
    u_eff, b_eff = u_port or _DEFAULT_PORTS[u_scheme], b_port or _DEFAULT_PORTS[b_scheme]
    if u_eff == b_eff:
        return True
    # http://host and https://host: each on its own default port is still the site.
    return u_eff == _DEFAULT_PORTS[u_scheme] and b_eff == _DEFAULT_PORTS[b_scheme]


# ---------------------------------------------------------------------- IRI -> URI
# Characters a URI may hold as they are (RFC 3986 unreserved + reserved) and '%' of the
# escapes already there; everything else (non-ASCII, space, "<>\\^`{|}) is percent-encoded.
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
_not_uri = lazy_pattern(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})")
_scheme_authority_rest = lazy_pattern(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", re.S)
_lone_percent = lazy_pattern(r"%(?![0-9A-Fa-f]{2})")


def iri_to_uri(url: str) -> str:
    """`url` with every character a URI may not hold percent-encoded (UTF-8), a non-ASCII
    host in IDNA (punycode), a '%' that starts no escape as %25; nothing else changes."""
    if not _not_uri().search(url):
        return url  # already a URI: the common case, kept byte for byte
    m = _scheme_authority_rest().match(url)
    if m is None:
        return _quote(url)
    scheme, authority, rest = m.groups()
    return scheme + _authority(authority) + _quote(rest)


def _quote(text: str) -> str:
    return quote(_lone_percent().sub("%25", text), safe=_URI_SAFE)


def _authority(authority: str) -> str:
    if authority.isascii():
        return _quote(authority)
    userinfo, at, hostport = authority.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid IDN: RFC 3986 allows a percent-encoded reg-name
        host = _quote(host)
    return _quote(userinfo) + at + host + colon + _quote(port)


def absolute_http_url(text: str) -> bool:
    """Whether `text` is an absolute http(s) address with a valid host (and port), without
    spaces or control characters: what may stand for a URL the user gives (`--self-url`)."""
    raw = text.strip()
    if not raw or raw != strip_unsafe(raw) or _any_space().search(raw):
        return False
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
