"""IRI -> URI: strict feed validators want ASCII URIs in <id> and <link>."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lillenews.base.urls import iri_to_uri

SITE = "https://www.lille.fr"


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        (f"{SITE}/Actualites/Propreté-des-rues-signalez", f"{SITE}/Actualites/Propret%C3%A9-des-rues-signalez"),
        (f"{SITE}/Actualites/Propret%C3%A9-des-rues", f"{SITE}/Actualites/Propret%C3%A9-des-rues"),
        (f"{SITE}/Actualites/C-est-l’été", f"{SITE}/Actualites/C-est-l%E2%80%99%C3%A9t%C3%A9"),
        (f"{SITE}/a b?q=é&x=1#frag é", f"{SITE}/a%20b?q=%C3%A9&x=1#frag%20%C3%A9"),
        (f"{SITE}/100%", f"{SITE}/100%25"),
        (f"{SITE}/100%zz", f"{SITE}/100%25zz"),
        (f"{SITE}/Cœur", f"{SITE}/C%C5%93ur"),
        (f'{SITE}/a<b>"c"{{d}}|e^f`g\\h', f"{SITE}/a%3Cb%3E%22c%22%7Bd%7D%7Ce%5Ef%60g%5Ch"),
        ("https://exämple.fr/é", "https://xn--exmple-cua.fr/%C3%A9"),
        ("https://user@exämple.fr:8443/x", "https://user@xn--exmple-cua.fr:8443/x"),
        (f"{SITE}/Actualites/Plain-ascii?page=2", f"{SITE}/Actualites/Plain-ascii?page=2"),
        ("/Actualites/Propreté", "/Actualites/Propret%C3%A9"),
    ],
)
def test_iri_to_uri(iri, uri):
    assert iri_to_uri(iri) == uri
    assert iri_to_uri(uri) == uri  # idempotent


def test_an_ascii_uri_is_returned_unchanged():
    url = f"{SITE}/Actualites/Un-droit-de-petition?x=%C3%A9&y=(1)"
    assert iri_to_uri(url) is url


@given(st.text(max_size=30))
@settings(max_examples=400, deadline=None)
def test_result_is_an_ascii_uri_and_encoding_is_idempotent(path):
    uri = iri_to_uri(f"{SITE}/Actualites/{path}")
    assert uri.isascii() and " " not in uri
    assert all(c.isprintable() for c in uri)
    assert iri_to_uri(uri) == uri


def test_canonical_url_gives_uris():
    from lillenews.base.urls import canonical_url

    assert canonical_url("/Actualites/Propreté-des-rues", SITE) == f"{SITE}/Actualites/Propret%C3%A9-des-rues"
    expected = f"{SITE}/Actualites/Propret%C3%A9?q=%C3%A9"
    assert canonical_url("Propreté?utm_source=x&q=é", f"{SITE}/Actualites/") == expected
    assert canonical_url(f"{SITE}/Actualites/Propret%C3%A9", SITE) == f"{SITE}/Actualites/Propret%C3%A9"
    assert canonical_url("/Actualites/Plain", SITE) == f"{SITE}/Actualites/Plain"
