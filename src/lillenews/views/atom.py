"""An Atom 1.0 feed of the cached news (RFC 4287), written with the stdlib.

Other programs rely on it: every time in it comes from the cache, never from
the clock (an undated article's is when lillenews first saw it), so two runs over the
same cache print the same bytes; every address is a URI (percent-encoded), as strict
validators require."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape as html_escape
from xml.sax.saxutils import escape, quoteattr

from lillenews import PROJECT_URL, __version__
from lillenews.base.models import Block, Inline
from lillenews.base.urls import iri_to_uri
from lillenews.views.labels import document_labels
from lillenews.views.model import ArticleView, BlockTable, HeadlineRow, render_blocks, safe

# Characters XML 1.0 forbids even as references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str | None) -> str:
    return escape(_XML_INVALID.sub("", safe(text)))


def _attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _timestamp(date: dt.date | None, fallback: float | None) -> str:
    if date:
        return f"{date.isoformat()}T00:00:00Z"
    return dt.datetime.fromtimestamp(fallback or 0, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _href(url: str) -> str:
    return html_escape(iri_to_uri(url))


def _html_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for inl in inlines:
        text = html_escape(inl.text).replace("\n", "<br/>")
        if inl.em:
            text = f"<em>{text}</em>"
        if inl.strong:
            text = f"<strong>{text}</strong>"
        if inl.href:
            text = f'<a href="{_href(inl.href)}">{text}</a>'
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
    return f'<figure><img src="{_href(block.url)}" alt="{html_escape(block.alt or "")}"/>{caption}</figure>'


def _embed(block: Block) -> str:
    if not block.url:
        return ""
    return f'<p><a href="{_href(block.url)}">{html_escape(block.caption or block.url)}</a></p>'


HTML_BLOCKS: BlockTable[Callable[[Block], str]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list,
    "quote": _quote,
    "table": _table,
    "image": _image,
    "embed": _embed,
}


def article_html(view: ArticleView) -> str:
    """The entry's content: lead, figures, body, related (title and link are the entry's own)."""
    parts: list[str] = []
    if view.lead:
        parts.append(f"<p><strong>{html_escape(view.lead)}</strong></p>")
    parts += render_blocks(HTML_BLOCKS, view.content)
    if view.related:
        parts.append(f"<h2>{html_escape(document_labels().related)}</h2><ul>")
        for rel in view.related:
            title = html_escape(rel.title)
            item = f'<a href="{_href(rel.link)}">{title}</a>' if rel.link else title
            summary = f" — {html_escape(rel.summary)}" if rel.summary else ""
            parts.append(f"<li>{item}{summary}</li>")
        parts.append("</ul>")
    return "".join(p for p in parts if p)


def atom_feed(
    entries: Sequence[tuple[HeadlineRow, ArticleView | None]],
    listing_url: str,
    first_seen: Mapping[str, float] | None = None,
    *,
    self_url: str | None = None,
) -> str:
    """The feed of `entries` (a row and, when cached, its article), newest first.
    `first_seen` (URL -> when lillenews first saw it) dates undated entries; the feed's
    own `updated` is its newest entry's; `self_url` adds the rel="self" link."""
    seen = first_seen or {}
    stamps = [_timestamp(_date(row, article), seen.get(row.url)) for row, article in entries]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <id>{_x(iri_to_uri(listing_url))}</id>",
        "  <title>Actualités de la Ville de Lille</title>",
        "  <subtitle>Les actualités de www.lille.fr, par lillenews</subtitle>",
        f'  <link rel="alternate" type="text/html" href={_attr(iri_to_uri(listing_url))}/>',
    ]
    if self_url:
        lines.append(f'  <link rel="self" type="application/atom+xml" href={_attr(iri_to_uri(safe(self_url)))}/>')
    lines += [
        f"  <updated>{max(stamps, default=_timestamp(None, None))}</updated>",
        "  <author><name>Ville de Lille</name></author>",
        f"  <generator uri={_attr(PROJECT_URL)} version={_attr(__version__)}>lillenews</generator>",
    ]
    for (row, article), stamp in zip(entries, stamps, strict=True):
        lines += _entry(row, article, stamp)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _date(row: HeadlineRow, article: ArticleView | None) -> dt.date | None:
    return row.dates.start or (article.dates.start if article else None)


def _entry(row: HeadlineRow, article: ArticleView | None, updated: str) -> list[str]:
    date = _date(row, article)
    url = iri_to_uri(row.url)
    lines = [
        "  <entry>",
        f"    <id>{_x(url)}</id>",
        f"    <title>{_x(row.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={_attr(url)}/>',
        f"    <updated>{updated}</updated>",
    ]
    if date:
        lines.append(f"    <published>{updated}</published>")
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
