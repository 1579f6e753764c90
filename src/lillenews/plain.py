"""Plain-text output for pipes and files: the same layout as the Rich terminal
output, without colours and without importing Rich (it is most of a warm
command's start-up time). Used whenever stdout is not a terminal."""

from __future__ import annotations

import textwrap
from typing import Iterable

from .models import Article, Block, Inline, Numbered
from .render import SUMMARY_MIN_WIDTH, long_date, safe, safe_link, short_date

GAP = "  "  # between columns, as in the Rich table (one cell of padding each side)


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    width = max(width, 10)
    lines: list[str] = []
    for n, para in enumerate(text.split("\n")):
        wrapped = textwrap.wrap(
            para, width=width, initial_indent=(first if first is not None and n == 0 else indent),
            subsequent_indent=indent, break_long_words=True, break_on_hyphens=False,
            replace_whitespace=False, drop_whitespace=True,
        )
        lines.extend(wrapped or [indent.rstrip()])
    return lines


def _inlines(inlines: Iterable[Inline]) -> str:
    """Text with each http(s) link followed by its URL in <...>."""
    out = []
    for inl in inlines:
        content = safe(inl.text)
        out.append(content)
        link = safe_link(inl.href)
        if link and content.strip() != link:
            out.append(f" <{link}>")
    return "".join(out).strip()


def _link(label: str, url: str | None) -> str:
    link = safe_link(url)
    label = safe(label)
    return f"{label} <{link}>" if link and label.strip() != link else label


# --------------------------------------------------------------------- listing
def listing_text(items: list[Numbered], width: int, marks: bool = True, snippets: bool = False) -> str:
    show_summary = snippets or width >= SUMMARY_MIN_WIDTH
    rows = []
    for item in items:
        h = item.headline
        summary = safe(item.snippet) if snippets and item.snippet else safe(h.summary)
        rows.append((
            "" if item.number is None else str(item.number),
            "●" if item.new and not item.read else "",
            short_date(h.date),
            safe(h.category),
            safe(h.title),
            summary if show_summary else "",
        ))
    header = ("#", "", "Date", "Category", "Title")
    w_num = max(len(header[0]), *(len(r[0]) for r in rows)) if rows else 1
    w_date = max(len(header[2]), *(len(r[2]) for r in rows)) if rows else 4
    w_cat = min(18, max(len(header[3]), *(len(r[3]) for r in rows))) if rows else 8
    fixed = w_num + len(GAP) + (1 + len(GAP) if marks else 0) + w_date + len(GAP) + w_cat + len(GAP)
    w_title = max(20, width - fixed)

    def line(num: str, mark: str, date: str, cat: str, title: str) -> str:
        cells = [num.rjust(w_num)]
        if marks:
            cells.append(mark.ljust(1))
        cells += [date.ljust(w_date), cat.ljust(w_cat), title]
        return GAP.join(cells).rstrip()

    out = [line(*header)]
    for num, mark, date, cat, title, summary in rows:
        title_lines = _wrap(title, w_title) + (_wrap(summary, w_title) if summary else [])
        cat_lines = textwrap.wrap(cat, w_cat, break_long_words=True) or [""]
        for i in range(max(len(title_lines), len(cat_lines))):
            first = i == 0
            out.append(line(num if first else "", mark if first else "", date if first else "",
                            cat_lines[i] if i < len(cat_lines) else "",
                            title_lines[i] if i < len(title_lines) else ""))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------- article
def _block(block: Block, width: int) -> list[str]:
    kind = block.kind
    if kind in ("heading", "paragraph"):
        return _wrap(_inlines(block.inlines), width)
    if kind == "quote":
        return _wrap(_inlines(block.inlines), width, indent="  ", first="▌ ")
    if kind == "list":
        lines: list[str] = []
        marker_width = len(f"{len(block.items)}.") if block.ordered else 1
        for n, item in enumerate(block.items, 1):
            marker = (f"{n}." if block.ordered else "•").rjust(marker_width)
            pad = "  " + " " * (marker_width + 1)
            lines += _wrap(_inlines(item), width, indent=pad, first=f"  {marker} ")
        return lines
    if kind == "table":
        return _table(block, width)
    if kind == "image":
        text = f"Image: {safe(block.alt) or '(no description)'}"
        if block.caption:
            text += f" — {safe(block.caption)}"
        return _wrap(text, width)
    if kind == "embed":
        return _wrap("Embedded: " + _link(block.caption or block.url or "", block.url), width)
    return []


def _table(block: Block, width: int) -> list[str]:
    rows = [[safe(c) for c in row] for row in block.rows]
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(columns)]
    available = width - 3 * (columns - 1)
    while sum(widths) > available and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1
    lines = []
    if block.caption:
        lines.append(safe(block.caption))
    for n, row in enumerate(rows):
        cells = [textwrap.wrap(c, widths[i], break_long_words=True) or [""] for i, c in enumerate(row)]
        for k in range(max(len(c) for c in cells)):
            lines.append(" │ ".join((c[k] if k < len(c) else "").ljust(widths[i])
                                   for i, c in enumerate(cells)).rstrip())
        if n == 0 and block.header:
            lines.append("─┼─".join("─" * w for w in widths))
    return lines


def article_text(article: Article, number: int | None, width: int) -> str:
    out: list[str] = []
    title = (f"{number}. " if number is not None else "") + safe(article.title)
    out += _wrap(title, width)
    meta = " · ".join(x for x in (long_date(article.date), safe(article.category)) if x)
    if meta:
        out.append(meta)
    if article.lead:
        out += [""] + _wrap(safe(article.lead), width, indent="  ", first="┃ ")
    in_body = {b.url for b in article.blocks if b.kind == "image"}
    for image in article.images:
        if image.url not in in_body:
            out += [""] + _block(Block("image", url=image.url, alt=image.alt, caption=image.caption), width)
    for block in article.blocks:
        lines = _block(block, width)
        if lines:
            out += [""] + lines
    if article.related:
        out += ["", ("Lire aussi " + "─" * width)[:width]]
        for rel in article.related:
            out += _wrap(_link(rel.title, rel.url), width, indent="  ", first="• ")
            if rel.summary:
                out += _wrap(safe(rel.summary), width, indent="  ")
    out += [""] + _wrap(_link(article.url, article.url), width)
    return "\n".join(line.rstrip() for line in out) + "\n"
