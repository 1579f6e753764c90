"""An Atom 1.0 feed of the cached news (RFC 4287), written with the stdlib."""

from __future__ import annotations

import datetime as dt
import re
from html import escape as html_escape
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from . import PROJECT_URL, __version__
from .models import Article, Block, Inline, Numbered
from .render import safe, safe_link

# Characters XML 1.0 forbids even as references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str | None) -> str:
    return escape(_XML_INVALID.sub("", safe(text)))


def _attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _timestamp(date: str | None, fallback: float) -> str:
    if date:
        return f"{date[:10]}T00:00:00Z"
    return dt.datetime.fromtimestamp(fallback, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _html_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for inl in inlines:
        text = html_escape(safe(inl.text)).replace("\n", "<br/>")
        if inl.em:
            text = f"<em>{text}</em>"
        if inl.strong:
            text = f"<strong>{text}</strong>"
        link = safe_link(inl.href)
        if link:
            text = f'<a href="{html_escape(link)}">{text}</a>'
        out.append(text)
    return "".join(out)


def article_html(article: Article) -> str:
    parts: list[str] = []
    if article.lead:
        parts.append(f"<p><strong>{html_escape(safe(article.lead))}</strong></p>")
    for block in article.blocks:
        parts.append(_block_html(block))
    if article.related:
        parts.append("<h2>Lire aussi</h2><ul>")
        for rel in article.related:
            parts.append(f'<li><a href="{html_escape(rel.url)}">{html_escape(safe(rel.title))}</a></li>')
        parts.append("</ul>")
    return "".join(p for p in parts if p)


def _block_html(block: Block) -> str:
    if block.kind == "heading":
        level = min(max(block.level, 2), 6)
        return f"<h{level}>{_html_inlines(block.inlines)}</h{level}>"
    if block.kind == "paragraph":
        return f"<p>{_html_inlines(block.inlines)}</p>"
    if block.kind == "quote":
        return f"<blockquote>{_html_inlines(block.inlines)}</blockquote>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_html_inlines(i)}</li>" for i in block.items) + f"</{tag}>"
    if block.kind == "table":
        rows = []
        for n, row in enumerate(block.rows):
            cell = "th" if block.header and n == 0 else "td"
            rows.append("<tr>" + "".join(f"<{cell}>{html_escape(safe(c))}</{cell}>" for c in row) + "</tr>")
        return "<table>" + "".join(rows) + "</table>"
    if block.kind == "image" and safe_link(block.url):
        caption = f"<figcaption>{html_escape(safe(block.caption))}</figcaption>" if block.caption else ""
        return f'<figure><img src="{html_escape(block.url or "")}" alt="{html_escape(safe(block.alt))}"/>{caption}</figure>'
    if block.kind == "embed" and safe_link(block.url):
        return f'<p><a href="{html_escape(block.url or "")}">{html_escape(safe(block.caption or block.url))}</a></p>'
    return ""


def atom_feed(entries: list[tuple[Numbered, Article | None]], listing_url: str, now: float) -> str:
    updated_all = max((_timestamp(i.headline.date, now) for i, _ in entries), default=_timestamp(None, now))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <id>{_x(listing_url)}</id>",
        "  <title>Actualités de la Ville de Lille</title>",
        "  <subtitle>Les actualités de www.lille.fr, par lillenews</subtitle>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={_attr(listing_url)}/>",
        f"  <updated>{updated_all}</updated>",
        "  <author><name>Ville de Lille</name></author>",
        f"  <generator uri={_attr(PROJECT_URL)} version={_attr(__version__)}>lillenews</generator>",
    ]
    for item, article in entries:
        h = item.headline
        date = h.date or (article.date if article else None)
        lines += [
            "  <entry>",
            f"    <id>{_x(h.url)}</id>",
            f"    <title>{_x(h.title)}</title>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={_attr(h.url)}/>",
            f"    <updated>{_timestamp(date, now)}</updated>",
        ]
        if date:
            lines.append(f"    <published>{_timestamp(date, now)}</published>")
        if h.category:
            lines.append(f"    <category term={_attr(safe(h.category))}/>")
        summary = h.summary or (article.lead if article else None)
        if summary:
            lines.append(f"    <summary>{_x(summary)}</summary>")
        if article is not None:
            lines.append(f"    <content type=\"html\">{_x(article_html(article))}</content>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
