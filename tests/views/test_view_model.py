"""The view model (views/model.py) and the contract of its renderers: every format renders
every block kind, every format shows the same parts of an article, search
highlights belong to their row."""

from __future__ import annotations

import io
import re
from typing import get_args

import pytest
from rich.console import Console

from lillenews.base.models import Article, Block, BlockKind, DateRange, Headline, Image, Inline, Numbered, Related
from lillenews.base.text import describe_age
from lillenews.views import atom as feed
from lillenews.views import jsonout, markdown, plain
from lillenews.views import rich_news as render
from lillenews.views.model import (
    BlockTable,
    Mark,
    article_view,
    headline_row,
    render_blocks,
    search_rows,
    snippet_row,
)

SGR = re.compile(r"\x1b\[[0-9;]*m")

SAMPLES = {
    "heading": Block("heading", inlines=(Inline("Un intertitre"),), level=2),
    "paragraph": Block("paragraph", inlines=(Inline("Un paragraphe."),)),
    "list": Block("list", items=((Inline("un élément"),),)),
    "quote": Block("quote", inlines=(Inline("Une citation."),)),
    "table": Block("table", rows=(("Jour", "Heure"), ("lundi", "9 h")), header=True),
    "image": Block("image", url="https://www.lille.fr/photo.jpg", alt="Une photo", caption="Légende"),
    "embed": Block("embed", url="https://www.youtube.com/embed/x", caption="Vidéo"),
}


def rich_text(renderable, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


# Each renderer's block table, with a way to turn its output into text.
TABLES = {
    "rich": (render.RICH_BLOCKS, lambda fn, block: rich_text(fn(block, False))),
    "plain": (plain.PLAIN_BLOCKS, lambda fn, block: "\n".join(fn(block, 80))),
    "markdown": (markdown.MARKDOWN_BLOCKS, lambda fn, block: "\n".join(fn(block))),
    "html": (feed.HTML_BLOCKS, lambda fn, block: fn(block)),
}


# Every kind, from the type mypy checks the tables against (never from the source text).
BLOCK_KINDS = get_args(BlockKind)


def missing_kinds(table) -> set[str]:
    return set(BLOCK_KINDS) - set(table)


# ---------------------------------------------------------------- one table per format, complete
@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_renderer_handles_every_block_kind(name):
    table, as_text = TABLES[name]
    assert missing_kinds(table) == set(), f"{name} renderer lacks {missing_kinds(table)}"
    assert set(table) == set(BLOCK_KINDS), f"{name} renderer has unknown kinds"
    for kind in BLOCK_KINDS:
        out = as_text(table[kind], SAMPLES[kind])
        words = {
            "heading": "intertitre",
            "paragraph": "paragraphe",
            "list": "élément",
            "quote": "citation",
            "table": "lundi",
            "image": "photo",
            "embed": "Vidéo",
        }
        assert words[kind] in out, (name, kind, out)


def test_the_completeness_check_can_fail():
    table = {kind: object() for kind in BLOCK_KINDS if kind != "embed"}
    assert missing_kinds(table) == {"embed"}


def test_the_table_type_and_the_samples_name_every_block_kind():
    assert len(BLOCK_KINDS) == 7
    assert BlockTable.__required_keys__ == set(BLOCK_KINDS), "BlockTable and models.BlockKind disagree"
    assert set(SAMPLES) == set(BLOCK_KINDS)


def test_a_cached_article_with_a_block_kind_this_version_does_not_know_loads_without_it():
    paragraph = {"kind": "paragraph", "inlines": [{"text": "avant"}]}
    stored = {"url": "https://www.lille.fr/Actualites/X", "title": "X", "blocks": [
        paragraph, {"kind": "carousel", "url": "https://www.lille.fr/c"}, {**paragraph, "inlines": [{"text": "après"}]},
    ]}  # fmt: skip
    article = Article.from_dict(stored)
    assert [b.kind for b in article.blocks] == ["paragraph", "paragraph"]
    assert render_blocks(markdown.MARKDOWN_BLOCKS, article.blocks) == [["avant", ""], ["après", ""]]
    assert "carousel" not in plain.article_text(article_view(article), 80)


# ---------------------------------------------------------------- every format shows the same article
FIGURED = Article(
    url="https://www.lille.fr/Actualites/Figure",
    title="Avec figure",
    dates=DateRange.from_iso("2021-03-01", None),
    category="Culture",
    lead="Le chapô.",
    blocks=(
        Block("paragraph", inlines=(Inline("Le texte."),)),
        Block("image", url="https://www.lille.fr/dans-le-texte.jpg", alt="Dans le texte"),
    ),
    images=(
        Image("https://www.lille.fr/une.jpg", "La une", "Crédit Ville de Lille"),
        Image("https://www.lille.fr/dans-le-texte.jpg", "Dans le texte"),
    ),
    related=(Related("Autre actu", "https://www.lille.fr/Actualites/Autre", "Son résumé."),),
)


def test_article_view_parts():
    view = article_view(FIGURED, 4)
    assert view.heading == "4. Avec figure"
    assert view.meta == "1er mars 2021 · Culture"
    assert [b.url for b in view.figures] == ["https://www.lille.fr/une.jpg"]  # the body's own image is not repeated
    assert [b.kind for b in view.content] == ["image", "paragraph", "image"]
    assert view.source_link == FIGURED.url
    assert article_view(FIGURED).heading == "Avec figure"


def test_the_feed_gains_the_articles_figures():
    html = feed.article_html(article_view(FIGURED))
    assert '<figure><img src="https://www.lille.fr/une.jpg" alt="La une"/>' in html
    assert "<figcaption>Crédit Ville de Lille</figcaption>" in html
    assert html.index("Le chapô.") < html.index("une.jpg") < html.index("Le texte.")
    assert html.count("dans-le-texte.jpg") == 1


def test_a_body_picture_is_shown_with_its_credit_in_every_format():
    """The credit on the picture's block, or (an article cached before) in images[] only."""
    picture = Block("image", url="https://www.lille.fr/dans-le-texte.jpg", alt="Dans le texte", caption="La place")
    for block, images in (
        (picture._replace(credit="Jean Dupont"), FIGURED.images),
        (picture, (FIGURED.images[0], FIGURED.images[1]._replace(credit="Jean Dupont"))),
    ):
        view = article_view(FIGURED._replace(blocks=(FIGURED.blocks[0], block), images=images))
        said = "La place — Crédit : Jean Dupont"
        assert view.blocks[-1].caption == said
        assert said in plain.article_text(view, 200)
        assert f"*{said}*" in markdown.article_markdown(view)
        assert f"<figcaption>{said}</figcaption>" in feed.article_html(view)
        out = io.StringIO()
        Console(file=out, width=200, color_system=None).print(render.article_group(view, hyperlinks=False))
        assert said in out.getvalue()


def test_the_feed_gains_the_related_summaries():
    html = feed.article_html(article_view(FIGURED))
    assert '<li><a href="https://www.lille.fr/Actualites/Autre">Autre actu</a> — Son résumé.</li>' in html


def test_every_format_shows_figure_body_and_related():
    view = article_view(FIGURED, 4)
    outputs = {
        "rich": rich_text(render.article_group(view, hyperlinks=False), 100),
        "plain": plain.article_text(view, 100),
        "markdown": markdown.article_markdown(view),
        "html": feed.article_html(view),
        "json": jsonout.article_dict(view)["markdown"],
    }
    for name, out in outputs.items():
        for part in ("Le chapô.", "La une", "Le texte.", "Dans le texte", "Autre actu", "Son résumé."):
            assert part in out, (name, part)


def test_unsafe_related_link_is_text_only_everywhere():
    article = FIGURED._replace(related=(Related("Piège", "javascript:alert(1)"),))
    view = article_view(article)
    assert view.related[0].link is None and view.related[0].url == "javascript:alert(1)"
    for out in (
        markdown.article_markdown(view),
        feed.article_html(view),
        plain.article_text(view, 80),
        rich_text(render.article_group(view, hyperlinks=True)),
    ):
        assert "Piège" in out and "javascript" not in out


def test_block_text_is_sanitised_once_in_the_view():
    article = Article(
        url="https://www.lille.fr/Actualites/X",
        title="T\x1b[2J",
        blocks=(Block("paragraph", inlines=(Inline("a\u202eb", href="javascript:x"),)),),
    )
    view = article_view(article)
    assert view.title == "T"
    assert view.blocks[0].inlines == (Inline("ab", None),)


# ---------------------------------------------------------------- headline rows
def _item(n: int | None, title: str, snippet: str | None = None, **kw) -> Numbered:
    return Numbered(
        n,
        Headline(
            url=f"https://www.lille.fr/Actualites/{title[:4]}",
            title=title,
            dates=DateRange.from_iso("2021-02-08", None),
            category="Mobilité",
            summary="Résumé de la liste.",
        ),
        snippet=snippet,
        **kw,
    )


def test_snippet_markers_become_spans_of_the_shown_text():
    row = snippet_row(_item(None, "Vélo", "Le \x02vélo\x03 en ville, le \x02Vélo\x03 partout"))
    assert row.summary == row.snippet == "Le vélo en ville, le Vélo partout"
    assert [row.summary[a:b] for a, b in row.summary_spans] == ["vélo", "Vélo"]
    assert row.listing_summary == "Résumé de la liste."


def test_snippet_spans_follow_sanitising_and_ignore_unclosed_markers():
    row = snippet_row(_item(None, "X", "a\x1b[31m \x02vélo\x03 b \x02reste"))
    assert row.summary == "a vélo b reste"
    assert [row.summary[a:b] for a, b in row.summary_spans] == ["vélo"]


def test_unnumbered_rows_keep_their_own_highlights():
    """Highlights live in the row: two rows without a number never share them."""
    rows = [
        snippet_row(_item(None, "Premier", "vélo au \x02centre\x03")),
        snippet_row(_item(None, "Second", "on \x02entr\x03e")),
    ]
    assert [r.summary[a:b] for r in rows for a, b in r.summary_spans] == ["centre", "entr"]
    console = Console(file=io.StringIO(), width=120, color_system="truecolor", force_terminal=True)
    console.print(render.listing_table(rows, 120))
    marked = [
        t for codes, t in re.findall(r"\x1b\[([0-9;]+)m([^\x1b]*)", console.file.getvalue()) if "7" in codes.split(";")
    ]
    assert marked == ["centre", "entr"]


def test_search_rows_carry_title_and_summary_spans():
    [row] = search_rows([(_item(3, "Vélo en ville"), [(0, 4)], [(0, 6)])])
    assert row.number == 3 and row.title_spans == ((0, 4),) and row.summary_spans == ((0, 6),)


def test_marks():
    assert headline_row(_item(1, "A", new=True)).mark is Mark.NEW
    assert headline_row(_item(1, "A", new=True, read=True)).mark is Mark.READ
    assert headline_row(_item(1, "A")).mark is Mark.NONE


def test_one_mark_drawn_the_same_in_pipes_at_a_terminal_and_in_the_reader():
    """`●` new, `✓` read, nothing else: the same character in every view of a row."""
    from lillenews.tui.widgets import _mark

    rows = [
        headline_row(_item(1, "Neuf", new=True)),
        headline_row(_item(2, "Lu", read=True)),
        headline_row(_item(3, "X")),
    ]
    piped = [line[3:4] for line in plain.listing_text(rows, 80).splitlines()[1:]]
    terminal = [line[3:4] for line in rich_text(render.listing_table(rows, 80)).splitlines()[1:]]
    reader = [_mark(row).plain for row in rows]
    assert piped == terminal == [glyph or " " for glyph in reader] == ["●", "✓", " "], (piped, terminal, reader)


def test_snippet_rows_always_show_their_summary_in_plain_text():
    row = snippet_row(_item(None, "Titre", "le \x02mot\x03"))
    out = plain.listing_text([row], 80)
    assert "le mot" in out
    assert "Résumé" not in plain.listing_text([headline_row(_item(1, "Titre"))], 80)


def test_cache_info_rows_and_ages():
    from lillenews.views.status import cache_info_rows

    info = {
        "path": "/c/cache.db",
        "size_bytes": 2048,
        "headlines": 3,
        "listing_pages": 1,
        "articles": 2,
        "newest_fetch_age_s": 7200,
        "oldest_fetch_age_s": None,
        "data_dir": "/d",
        "config_file": "/c/config.toml",
    }
    rows = dict(cache_info_rows(info))
    assert rows["Size"] == "2 KiB" and rows["Last fetch"] == "2 hours ago" and rows["Oldest fetch"] == "never"
    assert describe_age(30) == "just now" and describe_age(86400) == "1 day ago"


def test_plain_text_and_the_rich_terminal_share_one_layout():
    """Outside tables (boxed by Rich), piped Rich output and plain text are the same lines."""
    view = article_view(
        FIGURED._replace(
            blocks=(
                Block("heading", inlines=(Inline("Intertitre"),), level=2),
                Block(
                    "paragraph", inlines=(Inline("Voir "), Inline("le site", href="https://example.org/a"), Inline("."))
                ),
                Block("list", ordered=True, items=((Inline("premier"),), (Inline("second"),))),
                Block("quote", inlines=(Inline("Une citation."),)),
                Block("embed", url="https://www.youtube.com/embed/x", caption="Vidéo"),
            )
        ),
        2,
    )
    rich_lines = [line.rstrip() for line in rich_text(render.article_group(view, hyperlinks=False), 60).splitlines()]
    assert rich_lines == plain.article_text(view, 60).splitlines()
    assert rich_lines[:4] == ["2. Avec figure", "1er mars 2021 · Culture", "", "┃ Le chapô."]
