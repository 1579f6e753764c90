"""An Atom 1.0 feed of the cached news (RFC 4287), written with the stdlib."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from html import escape as html_escape
from xml.sax.saxutils import escape, quoteattr

from . import PROJECT_URL, __version__
from .models import Block, Inline
from .view import LABELS, ArticleView, BlockTable, HeadlineRow, block_table, render_blocks, safe

# Characters XML 1.0 forbids even as references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str | None) -> str:
    return escape(_XML_INVALID.sub("", safe(text)))


def _attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _timestamp(date: str | None, fallback: float) -> str:
    if date:
        return f"{date[:10]}T00:00:00Z"
    return dt.datetime.fromtimestamp(fallback, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _html_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for inl in inlines:
        text = html_escape(inl.text).replace("\n", "<br/>")
        if inl.em:
            text = f"<em>{text}</em>"
        if inl.strong:
            text = f"<strong>{text}</strong>"
        if inl.href:
            text = f'<a href="{html_escape(inl.href)}">{text}</a>'
        out.append(text)
    return "".join(out)


# Each returns the block's HTML; "" leaves it out.
def _heading(block: Block) -> str:
    level = min(max(block.level, 2), 6)
    return f"<h{level}>{_html_inlines(block.inlines)}</h{level}>"


def _paragraph(block: Block) -> str:
    return f"<p>{_html_inlines(block.inlines)}</p>"


def _quote(block: Block) -> str:
    return f"<blockquote>{_html_inlines(block.inlines)}</blockquote>"


def _list(block: Block) -> str:
    tag = "ol" if block.ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{_html_inlines(i)}</li>" for i in block.items) + f"</{tag}>"


def _table(block: Block) -> str:
    rows = []
    for n, row in enumerate(block.rows):
        cell = "th" if block.header and n == 0 else "td"
        rows.append("<tr>" + "".join(f"<{cell}>{html_escape(c)}</{cell}>" for c in row) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _image(block: Block) -> str:
    if not block.url:
        return ""
    caption = f"<figcaption>{html_escape(block.caption)}</figcaption>" if block.caption else ""
    return f'<figure><img src="{html_escape(block.url)}" alt="{html_escape(block.alt or "")}"/>{caption}</figure>'


def _embed(block: Block) -> str:
    if not block.url:
        return ""
    return f'<p><a href="{html_escape(block.url)}">{html_escape(block.caption or block.url)}</a></p>'


HTML_BLOCKS: BlockTable[str] = block_table(globals())


def article_html(view: ArticleView) -> str:
    """The entry's content: lead, figures, body, related (title and link are the entry's own)."""
    parts: list[str] = []
    if view.lead:
        parts.append(f"<p><strong>{html_escape(view.lead)}</strong></p>")
    parts += render_blocks(HTML_BLOCKS, view.content)
    if view.related:
        parts.append(f"<h2>{html_escape(LABELS.related)}</h2><ul>")
        for rel in view.related:
            title = html_escape(rel.title)
            item = f'<a href="{html_escape(rel.link)}">{title}</a>' if rel.link else title
            summary = f" — {html_escape(rel.summary)}" if rel.summary else ""
            parts.append(f"<li>{item}{summary}</li>")
        parts.append("</ul>")
    return "".join(p for p in parts if p)


def atom_feed(entries: Sequence[tuple[HeadlineRow, ArticleView | None]], listing_url: str, now: float) -> str:
    """The feed of `entries` (a row and, when cached, its article), newest first."""
    updated_all = max((_timestamp(row.date, now) for row, _ in entries), default=_timestamp(None, now))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <id>{_x(listing_url)}</id>",
        "  <title>Actualités de la Ville de Lille</title>",
        "  <subtitle>Les actualités de www.lille.fr, par lillenews</subtitle>",
        f'  <link rel="alternate" type="text/html" href={_attr(listing_url)}/>',
        f"  <updated>{updated_all}</updated>",
        "  <author><name>Ville de Lille</name></author>",
        f"  <generator uri={_attr(PROJECT_URL)} version={_attr(__version__)}>lillenews</generator>",
    ]
    for row, article in entries:
        lines += _entry(row, article, now)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(row: HeadlineRow, article: ArticleView | None, now: float) -> list[str]:
    date = row.date or (article.date if article else None)
    lines = [
        "  <entry>",
        f"    <id>{_x(row.url)}</id>",
        f"    <title>{_x(row.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={_attr(row.url)}/>',
        f"    <updated>{_timestamp(date, now)}</updated>",
    ]
    if date:
        lines.append(f"    <published>{_timestamp(date, now)}</published>")
    if row.category:
        lines.append(f"    <category term={_attr(row.category)}/>")
    lead = article.lead if article else ""
    # A summary the site cut short ("...") gives way to the article's own lead.
    summary = lead if row.summary_truncated and lead else row.listing_summary or lead
    if summary:
        lines.append(f"    <summary>{_x(summary)}</summary>")
    if article is not None:
        lines.append(f'    <content type="html">{_x(article_html(article))}</content>')
    lines.append("  </entry>")
    return lines
