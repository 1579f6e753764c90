"""Markdown (CommonMark with GFM tables) of an `ArticleView`: `read --markdown` and JSON's
"markdown". Site text is escaped so that it reads as the same text, never as structure.
`md_escape`, `md_url` and `md_link` are the Markdown helpers of every format that writes
Markdown: the events' too (event_model.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lillenews.base.models import Block, Inline
from lillenews.views.labels import document_labels
from lillenews.views.model import ArticleView, BlockTable, render_blocks, safe_link

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# What could end or bend a link destination written as <...>: angle brackets, whitespace,
# parentheses, backslashes (escapes) and controls. Percent-encoded, the URL means the
# same to a browser and cannot break out into Markdown (an image of a tracker, say).
_URL_UNSAFE = re.compile(r"[<>()\\\s\x00-\x1f\x7f-\x9f]")
_LINKABLE = re.compile(r"(?i)^https?://")


def md_url(url: str) -> str:
    """`url` as a CommonMark link destination: <...> with its dangerous characters percent-encoded."""
    encoded = _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)
    return f"<{encoded}>"


def md_escape(text: str) -> str:
    """`text` as Markdown that reads as the same text: inline markup characters escaped,
    and a line start that would open a block (a list item, a heading, a quote, a rule or
    a setext underline) made literal."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)  # "1. x" is a list item: "1\. x"
    return re.sub(r"^(#{1,6}|[>+]|=+|-+)(?=\s|$)", r"\\\1", text)


def md_link(text: str, url: str | None) -> str:
    """`text` linked to `url` when that is a safe http(s) link (the link is its own text when
    `text` is empty), else `text` alone; both escaped."""
    link = safe_link(url)
    label = md_escape(text)
    return f"[{label or md_escape(link)}]({md_url(link)})" if link else label


def md_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for inl in inlines:
        text = md_escape(inl.text).replace("\n", "  \n")
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        if inl.em:
            core = f"*{core}*"
        if inl.strong:
            core = f"**{core}**"
        if inl.href and _LINKABLE.match(inl.href):  # javascript:, data: ... stay text
            core = f"[{core}]({md_url(inl.href)})"
        out.append(lead + core + trail)
    return "".join(out).strip()


# Each returns the block's lines, a blank line included; [] leaves the block out.
def _heading(block: Block) -> list[str]:
    return ["#" * min(block.level, 6) + " " + md_inlines(block.inlines), ""]


def _paragraph(block: Block) -> list[str]:
    return [md_inlines(block.inlines), ""]


def _quote(block: Block) -> list[str]:
    return ["> " + md_inlines(block.inlines).replace("\n", "\n> "), ""]


def _list(block: Block) -> list[str]:
    lines = [(f"{n}. " if block.ordered else "- ") + md_inlines(item) for n, item in enumerate(block.items, 1)]
    return [*lines, ""]


def _table(block: Block) -> list[str]:
    rows = [[md_escape(c) for c in row] for row in block.rows]
    header = rows.pop(0) if block.header else [""] * len(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return [*lines, *("| " + " | ".join(r) + " |" for r in rows), ""]


def _image(block: Block) -> list[str]:
    if not block.url or not _LINKABLE.match(block.url):
        return []
    lines = [f"![{md_escape(block.alt or '')}]({md_url(block.url)})"]
    if block.caption:
        lines.append(f"*{md_escape(block.caption)}*")
    return [*lines, ""]


def _embed(block: Block) -> list[str]:
    if not block.url or not _LINKABLE.match(block.url):
        return []
    return [f"[{md_escape(block.caption or document_labels().embedded)}]({md_url(block.url)})", ""]


MARKDOWN_BLOCKS: BlockTable[Callable[[Block], list[str]]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "list": _list,
    "quote": _quote,
    "table": _table,
    "image": _image,
    "embed": _embed,
}


def article_markdown(view: ArticleView) -> str:
    """The article as a Markdown document: French content, so French labels in every language."""
    doc = document_labels()
    lines = [f"# {md_escape(view.title)}", ""]
    if view.meta:
        lines += [f"*{md_escape(view.meta)}*", ""]
    if view.lead:
        lines += [f"**{md_escape(view.lead)}**", ""]
    elif view.listing_summary:
        lines += [f"*{md_escape(doc.labelled(doc.listing_summary).rstrip())}* {md_escape(view.listing_summary)}", ""]
    for block_lines in render_blocks(MARKDOWN_BLOCKS, view.content):
        lines += block_lines
    if view.related:
        lines += [f"## {doc.related}", ""]
        for rel in view.related:
            line = f"- {md_link(rel.title, rel.link)}"
            if rel.summary:
                line += f" — {md_escape(rel.summary)}"
            lines.append(line)
        lines.append("")
    lines.append(f"{doc.labelled(doc.source)}{md_url(view.url)}")
    return "\n".join(lines).strip() + "\n"
