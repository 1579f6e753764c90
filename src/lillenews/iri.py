"""IRI -> URI (RFC 3987 §3.1): the address of an article as strict clients want it,
ASCII only (`…/Actualites/Propreté-des-rues` -> `…/Actualites/Propret%C3%A9-des-rues`).
Idempotent: existing %XX escapes are kept, so encoding twice changes nothing.
(To move into urls.py once the house-plan refactor has landed.)"""

from __future__ import annotations

import re
from urllib.parse import quote

# Characters a URI may hold as they are (RFC 3986 unreserved + reserved) and '%' of the
# escapes already there; everything else (non-ASCII, space, "<>\\^`{|}) is percent-encoded.
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
_NOT_URI = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})")
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", re.S)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def iri_to_uri(url: str) -> str:
    """`url` with every character a URI may not hold percent-encoded (UTF-8), a non-ASCII
    host in IDNA (punycode), a '%' that starts no escape as %25; nothing else changes."""
    if not _NOT_URI.search(url):
        return url  # already a URI: the common case, kept byte for byte
    m = _AUTHORITY.match(url)
    if m is None:
        return _quote(url)
    scheme, authority, rest = m.groups()
    return scheme + _authority(authority) + _quote(rest)


def _quote(text: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", text), safe=_URI_SAFE)


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
