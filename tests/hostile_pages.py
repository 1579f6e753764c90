"""Pathological pages under the 5 MB cap: pages that cost quadratic CPU to a naive parser.

Shared by tests/site/test_parse_cost.py and anyone who wants to time them by hand:
`python tests/hostile_pages.py` prints the parse wall time of each case."""

from __future__ import annotations

SITE = "https://www.lille.fr"
LISTING_URL = SITE + "/Actualites"
ARTICLE_URL = SITE + "/Actualites/Un-article"


def many_links_listing(n: int = 4000) -> str:
    """A listing without the known markup: `n` news links in plain list items."""
    items = "".join(f'<li><a href="/Actualites/Article-{i}">Titre {i}</a></li>' for i in range(n))
    return f"<html><body><main><ul>{items}</ul></main></body></html>"


def many_rte_article(n: int = 8000) -> str:
    """An article whose body is `n` sibling `.rte` blocks."""
    blocks = "".join(f'<div class="rte"><p>Paragraphe {i}.</p></div>' for i in range(n))
    return f'<html><body><div class="content"><h1>Titre</h1>{blocks}</div></body></html>'


def deep_nesting_article(depth: int = 150_000) -> str:
    """An article whose text sits under `depth` nested <div> (about 1.6 MB)."""
    return (
        '<html><body><div class="content"><h1>Titre</h1><div class="rte">'
        + "<div>" * depth
        + "<p>Texte tout au fond.</p>"
        + "</div>" * depth
        + "</div></div></body></html>"
    )


def deep_nesting_listing(depth: int = 150_000) -> str:
    return (
        "<html><body><main>"
        + "<div>" * depth
        + '<a href="/Actualites/Au-fond">Un titre au fond</a>'
        + "</div>" * depth
        + "</main></body></html>"
    )


CASES = {
    "listing, 4000 links, no known markup": ("listing", many_links_listing, LISTING_URL),
    "article, 8000 sibling .rte": ("article", many_rte_article, ARTICLE_URL),
    "article, 150k nested div": ("article", deep_nesting_article, ARTICLE_URL),
    "listing, 150k nested div": ("listing", deep_nesting_listing, LISTING_URL),
}


if __name__ == "__main__":
    import sys
    import time

    from lillenews.base.errors import LayoutError
    from lillenews.site.news import parse_article, parse_listing

    only = sys.argv[1:]
    for name, (kind, make, url) in CASES.items():
        if only and not any(o in name for o in only):
            continue
        html = make()
        t0 = time.perf_counter()
        try:
            result = (parse_listing if kind == "listing" else parse_article)(html, url)
            outcome = type(result).__name__
        except LayoutError as exc:
            outcome = f"LayoutError: {exc}"
        print(f"{name}: {len(html) / 1000:.0f} KB, {time.perf_counter() - t0:.2f} s, {outcome}", flush=True)
