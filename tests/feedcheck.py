"""Feed validity for tests: what feed readers and strict validators check.

`check_feed(xml)` validates an Atom document against RFC 4287 Appendix B's RELAX NG schema
(tests/fixtures/atom.rng, converted from atom.rnc) with lxml, checks the Schematron rules
written in that schema as annotations (RelaxNG itself ignores them), the things the W3C feed
validator rejects beyond the schema (IRIs where URIs are expected, dates without a time zone,
duplicate entry ids), then parses it with feedparser and returns the parsed feed."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import feedparser
from lxml import etree

SCHEMA = Path(__file__).parent / "fixtures" / "atom.rng"
NS = {"atom": "http://www.w3.org/2005/Atom"}
FEED_TAG = "{http://www.w3.org/2005/Atom}feed"
# RFC 3339 date-time, the profile of xsd:dateTime that RFC 4287 §3.3 requires (time zone included).
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


@functools.cache
def _relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


class FeedInvalid(AssertionError):
    pass


def check_feed(xml: str | bytes) -> feedparser.FeedParserDict:
    """Raise FeedInvalid (listing every problem) unless `xml` is a valid Atom feed."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        doc = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise FeedInvalid(f"not well-formed XML: {exc}") from None
    problems = _schema_problems(doc) + _schematron_problems(doc) + _strict_problems(doc)
    if problems:
        raise FeedInvalid("invalid Atom feed:\n  " + "\n  ".join(problems))
    parsed = feedparser.parse(data)
    if parsed.bozo:
        raise FeedInvalid(f"feedparser: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        raise FeedInvalid(f"feedparser sees {parsed.version!r}, not Atom 1.0")
    return parsed


def _schema_problems(doc: etree._Element) -> list[str]:
    schema = _relaxng()
    if schema.validate(doc):
        return []
    return [f"RFC 4287 schema, line {e.line}: {e.message}" for e in schema.error_log]


def _schematron_problems(doc: etree._Element) -> list[str]:
    """The three s:rule assertions of Appendix B, as XPath."""
    out = []
    if doc.tag == FEED_TAG and not doc.xpath("atom:author or not(atom:entry[not(atom:author)])", namespaces=NS):
        out.append("an atom:feed must have an atom:author unless all of its atom:entry children have one")
    for n, entry in enumerate(doc.xpath("//atom:entry", namespaces=NS), 1):
        if not entry.xpath("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", namespaces=NS):
            out.append(f"entry {n}: needs a link rel='alternate' or a content")
        if not entry.xpath("atom:author or ../atom:author or atom:source/atom:author", namespaces=NS):
            out.append(f"entry {n}: needs an atom:author if its feed has none")
    return out


def _strict_problems(doc: etree._Element) -> list[str]:
    out = []
    for value in doc.xpath(
        "//atom:id/text() | //atom:link/@href | //atom:icon/text() | //atom:logo/text() | //atom:generator/@uri",
        namespaces=NS,
    ):
        if not _URI.match(value.strip()):
            out.append(f"IRI found where URL expected (not ASCII, or a space): {value!r}")
    for value in doc.xpath("//atom:updated/text() | //atom:published/text()", namespaces=NS):
        if not _RFC3339.match(value.strip()):
            out.append(f"not an RFC 3339 date-time: {value!r}")
    ids = doc.xpath("//atom:entry/atom:id/text()", namespaces=NS)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        out.append(f"duplicate entry ids: {dupes}")
    for link in doc.xpath("/atom:feed/atom:link[@rel='self']", namespaces=NS):
        if not link.get("href"):
            out.append("rel='self' without an address")
    return out
