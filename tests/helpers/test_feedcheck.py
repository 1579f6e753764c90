"""The feed checker itself (tests/feedcheck.py): it accepts a valid Atom feed and rejects
each kind of defect the RFC 4287 schema, its Schematron rules or strict validators catch."""

from __future__ import annotations

import pytest
from feedcheck import FeedInvalid, check_feed

GOOD = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>https://www.lille.fr/Actualites</id>
  <title>Actualités de la Ville de Lille</title>
  <link rel="self" type="application/atom+xml" href="file:///tmp/lille.atom"/>
  <updated>2021-02-08T00:00:00Z</updated>
  <author><name>Ville de Lille</name></author>
  <entry>
    <id>https://www.lille.fr/Actualites/Propret%C3%A9-des-rues</id>
    <title>Propreté des rues</title>
    <link rel="alternate" type="text/html" href="https://www.lille.fr/Actualites/Propret%C3%A9-des-rues"/>
    <updated>2021-02-08T00:00:00Z</updated>
    <content type="html">&lt;p&gt;Texte&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_a_valid_feed_passes_and_is_parsed():
    feed = check_feed(GOOD)
    assert feed.feed.title == "Actualités de la Ville de Lille"
    assert [e.link for e in feed.entries] == ["https://www.lille.fr/Actualites/Propret%C3%A9-des-rues"]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("<updated>2021-02-08T00:00:00Z</updated>\n  <author>", "<author>", "RFC 4287 schema"),  # no updated
        ("<title>Propreté des rues</title>", "", "RFC 4287 schema"),  # entry without title
        (
            "<updated>2021-02-08T00:00:00Z</updated>\n    <content",
            "<updated>now</updated>\n    <content",
            "RFC 4287 schema",
        ),
        (
            "<updated>2021-02-08T00:00:00Z</updated>\n    <content",
            "<updated>2021-02-08T00:00:00</updated>\n    <content",
            "RFC 3339",
        ),
        ("<author><name>Ville de Lille</name></author>", "", "atom:author"),
        (
            '<link rel="alternate" type="text/html" href="https://www.lille.fr/Actualites/Propret%C3%A9-des-rues"/>\n'
            '    <updated>2021-02-08T00:00:00Z</updated>\n    <content type="html">&lt;p&gt;Texte&lt;/p&gt;</content>',
            "<updated>2021-02-08T00:00:00Z</updated>",
            "link rel='alternate' or a content",
        ),
        (
            "<id>https://www.lille.fr/Actualites/Propret%C3%A9-des-rues</id>",
            "<id>https://www.lille.fr/Actualites/Propreté-des-rues</id>",
            "IRI found where URL expected",
        ),
        ('href="file:///tmp/lille.atom"', 'href="file:///tmp/my feed.atom"', "IRI found where URL expected"),
        ("<entry>", "<bogus/><entry>", "RFC 4287 schema"),  # an Atom-namespace element the RFC does not define
        (
            "</feed>",
            "<entry><id>https://www.lille.fr/Actualites/Propret%C3%A9-des-rues</id><title>x</title>"
            "<updated>2021-02-08T00:00:00Z</updated><content>x</content></entry></feed>",
            "duplicate entry ids",
        ),
        ("</feed>", "", "well-formed"),
    ],
)
def test_each_defect_is_reported(old, new, problem):
    assert old in GOOD
    with pytest.raises(FeedInvalid, match=problem):
        check_feed(GOOD.replace(old, new, 1))


def test_feedparser_must_see_atom():
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    with pytest.raises(FeedInvalid):
        check_feed(rss)
