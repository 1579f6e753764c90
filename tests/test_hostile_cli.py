"""Issue 9 at the use-case and CLI level: other hosts, messages, one failing fetch,
Markdown break-outs. The real CLI runs against two local servers on different ports
(two hosts to lillenews: same_site compares host and port)."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from lillenews.markdown import article_markdown, md_url
from lillenews.models import Article, Block, Image, Inline, Related
from lillenews.parse import parse_article
from lillenews.view import article_view

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TRACKER = "http://tracker.example/pixel.gif"
BREAK_OUT = f"http://x/y>)![]({TRACKER})"


# ---------------------------------------------------------------------- Markdown
def _html(md: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(md)


def test_a_link_cannot_break_out_into_an_image_of_a_tracker():
    page = (
        "<html><head><title>T</title></head><body><main><h1>Titre</h1><div class='rte'>"
        f'<p>Voir <a href="{BREAK_OUT}">ce lien</a> et <a href="javascript:alert(1)">celui-ci</a>.</p>'
        "<p>" + "Du texte pour que la page soit un article. " * 5 + "</p>"
        "</div></main></body></html>"
    )
    article = parse_article(page, "https://www.lille.fr/Actualites/T")
    md = article_markdown(article_view(article))
    html = _html(md)
    assert "<img" not in html, md
    assert "tracker.example" not in re.sub(r'href="[^"]*"', "", html)  # only inside the one link's address
    assert "javascript" not in html
    links = re.findall(r'<a href="([^"]*)">ce lien</a>', html)
    assert links == ["http://x/y%3E%29!%5B%5D%28http://tracker.example/pixel.gif%29"]


@pytest.mark.parametrize(
    "url",
    [
        BREAK_OUT,
        "http://x/a b>c",
        "http://x/a)(b",
        "http://x/a\\>![](http://tracker.example/pixel.gif)",
        "http://x/a\n![](http://tracker.example/pixel.gif)",
    ],
)
def test_every_url_written_to_markdown_is_encoded(url):
    """Links, images, embeds (iframes), « Lire aussi » and the source line."""
    article = Article(
        url="https://www.lille.fr/Actualites/M",
        title="Titre",
        blocks=(
            Block("paragraph", inlines=(Inline("lien", href=url),)),
            Block("image", url=url, alt="image"),
            Block("embed", url=url, caption="vidéo"),
        ),
        images=(Image(url),),
        related=(Related("Lire", url),),
    )
    view = article_view(article)._replace(url=url)
    md = article_markdown(view)
    html = _html(md)
    assert 'tracker.example/pixel.gif"' not in html.replace('%29"', "")
    assert html.count("<img") <= 1  # the article's own image block, never a second one
    for src in re.findall(r'<img src="([^"]*)"', html):
        assert "tracker" not in src or src.startswith("http://x/")
    assert md_url(url).count("<") == 1 and md_url(url).count(">") == 1
    assert not re.search(r"[\s()\\]", md_url(url)[1:-1])


def test_javascript_and_data_links_are_never_links():
    article = Article(
        url="https://www.lille.fr/Actualites/M",
        title="Titre",
        blocks=(
            Block(
                "paragraph", inlines=(Inline("a", href="javascript:alert(1)"), Inline(" b", href="data:text/html,x"))
            ),
            Block("image", url="javascript:alert(1)"),
            Block("embed", url="javascript:alert(1)"),
        ),
        related=(Related("Lire", "javascript:alert(1)"),),
    )
    html = _html(article_markdown(article_view(article)))
    assert "<a " not in html.replace('<a href="https://www.lille.fr/Actualites/M">', "")
    assert "<img" not in html and "javascript" not in html and "data:" not in html
