"""Output: Rich for people at a terminal, JSON and Markdown for programs (plain
text for pipes is in plain.py).

Site text is untrusted: it only ever reaches Rich as `Text` (never parsed as
markup), is sanitised once more here whatever the cache holds, and only http(s)
links become OSC 8 hyperlinks. Rich is imported inside the functions that use it:
JSON, Markdown and piped output start faster without it."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterable

from .models import Article, Block, Inline, Numbered
from .text import strip_unsafe

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
SUMMARY_MIN_WIDTH = 100  # below this many columns, listing rows show titles only


def safe(text: str | None) -> str:
    return strip_unsafe(text) if text else ""


def safe_link(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not re.match(r"(?i)^https?://[^\s]+$", url) or url != strip_unsafe(url):
        return None
    return url


def long_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        y, m, d = (int(x) for x in iso[:10].split("-"))
        return f"{d}{'er' if d == 1 else ''} {FR_MONTHS[m - 1]} {y}"
    except (ValueError, IndexError):
        return safe(iso)


def short_date(iso: str | None) -> str:
    if not iso or len(iso) < 10:
        return ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


# --------------------------------------------------------------------- listing
def listing_table(items: list[Numbered], width: int, marks: bool = True,
                  highlights: dict[int, tuple[list, list]] | None = None,
                  snippets: bool = False) -> Table:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    show_summary = width >= SUMMARY_MIN_WIDTH
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False, header_style="bold", padding=(0, 1))
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    if marks:
        table.add_column("", width=1, no_wrap=True)
    table.add_column("Date", no_wrap=True, style="green")
    table.add_column("Category", style="magenta", max_width=18, overflow="fold")
    table.add_column("Title", ratio=1, overflow="fold")
    for item in items:
        h = item.headline
        title = Text(safe(h.title), style="dim" if item.read else "bold")
        summary_text = safe(item.snippet) if snippets and item.snippet else safe(h.summary)
        title_spans, summary_spans = (highlights or {}).get(item.number, ([], []))
        for start, end in title_spans:
            title.stylize("reverse yellow", start, end)
        cell: RenderableType = title
        if (show_summary or snippets) and summary_text:
            summary = Text(summary_text, style="dim")
            for start, end in summary_spans:
                summary.stylize("reverse yellow", start, end)
            cell = Group(title, summary)
        row: list[RenderableType] = [Text(str(item.number))]
        if marks:
            row.append(Text("●", style="bold blue") if item.new and not item.read else Text(" "))
        row += [Text(short_date(h.date)), Text(safe(h.category)), cell]
        table.add_row(*row)
    return table


def headline_dict(item: Numbered, with_read: bool = True) -> dict[str, Any]:
    h = item.headline
    d: dict[str, Any] = {
        "number": item.number,
        "title": safe(h.title),
        "url": h.url,
        "date": h.date,
        "category": safe(h.category) or None,
        "summary": safe(h.summary) or None,
        "image": h.image,
    }
    if with_read:
        d["read"] = item.read
    if item.snippet is not None:
        d["snippet"] = safe(item.snippet)
    return d


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------- article
def inline_text(inlines: Iterable[Inline], hyperlinks: bool) -> Text:
    from rich.text import Text

    text = Text()
    for inl in inlines:
        style = ""
        if inl.strong:
            style += " bold"
        if inl.em:
            style += " italic"
        link = safe_link(inl.href)
        content = safe(inl.text)
        if link and hyperlinks:
            text.append(content, style=(style + " underline blue").strip() + f" link {link}")
        else:
            text.append(content, style=style.strip() or None)
            if link and content.strip() != link:
                text.append(f" <{link}>", style="dim")
    return text


def _link_text(label: str, url: str | None, hyperlinks: bool, style: str = "") -> Text:
    from rich.text import Text

    link = safe_link(url)
    text = Text()
    if link and hyperlinks:
        text.append(safe(label), style=f"{style} link {link}".strip())
    else:
        text.append(safe(label), style=style or None)
        if link and safe(label).strip() != link:
            text.append(f" <{link}>", style="dim")
    return text


def _pad(renderable: RenderableType, top: int = 0, left: int = 0) -> Padding:
    from rich.padding import Padding

    # expand=False: no trailing spaces up to the console width in piped output.
    return Padding(renderable, (top, 0, 0, left), expand=False)


def block_renderable(block: Block, hyperlinks: bool) -> RenderableType | None:
    from rich.table import Table
    from rich.text import Text

    kind = block.kind
    if kind == "heading":
        heading = inline_text(block.inlines, hyperlinks)
        heading.stylize("bold cyan")
        return _pad(heading, 1)
    if kind == "paragraph":
        return inline_text(block.inlines, hyperlinks)
    if kind == "quote":
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        body = inline_text(block.inlines, hyperlinks)
        body.stylize("italic")
        grid.add_row(Text("▌"), body)
        return grid
    if kind == "list":
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True, style="cyan")
        grid.add_column(ratio=1)
        for n, item in enumerate(block.items, 1):
            grid.add_row(Text(f"{n}." if block.ordered else "•"), inline_text(item, hyperlinks))
        return _pad(grid, left=2)
    if kind == "table":
        table = Table(show_header=block.header, header_style="bold", show_lines=False,
                      title=Text(safe(block.caption)) if block.caption else None)
        rows = list(block.rows)
        header = rows.pop(0) if block.header and rows else None
        for i in range(len(block.rows[0])):
            table.add_column(Text(safe(header[i])) if header else "", overflow="fold")
        for row in rows:
            table.add_row(*(Text(safe(c)) for c in row))
        return table
    if kind == "image":
        text = Text("Image: ", style="dim")
        # The image URL is noise in plain text (it is in --json and --markdown).
        text.append_text(_link_text(block.alt or "(no description)", block.url if hyperlinks else None,
                                    hyperlinks, "dim italic"))
        if block.caption:
            text.append(f" — {safe(block.caption)}", style="dim")
        return text
    if kind == "embed":
        text = Text("Embedded: ", style="dim")
        text.append_text(_link_text(block.caption or block.url or "", block.url, hyperlinks, "dim"))
        return text
    return None


def article_renderable(article: Article, number: int | None, hyperlinks: bool) -> Group:
    from rich.console import Group
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    heading = Text()
    if number is not None:
        heading.append(f"{number}. ", style="cyan")
    heading.append(safe(article.title), style="bold")
    parts.append(heading)
    meta = " · ".join(x for x in (long_date(article.date), safe(article.category)) if x)
    if meta:
        parts.append(Text(meta, style="green"))
    if article.lead:
        lead = Table.grid(padding=(0, 1))
        lead.add_column(style="yellow", no_wrap=True)
        lead.add_column(ratio=1)
        lead.add_row(Text("┃"), Text(safe(article.lead), style="bold"))
        parts.append(_pad(lead, 1))
    in_body = {b.url for b in article.blocks if b.kind == "image"}
    for image in article.images:
        if image.url not in in_body:
            parts.append(_pad(block_renderable(Block("image", url=image.url, alt=image.alt, caption=image.caption), hyperlinks), 1))
    for block in article.blocks:
        renderable = block_renderable(block, hyperlinks)
        if renderable is not None:
            parts.append(renderable if block.kind == "heading" else _pad(renderable, 1))
    if article.related:
        parts.append(Padding(Rule(Text("Lire aussi", style="bold"), align="left", style="dim"), (1, 0, 0, 0)))
        for rel in article.related:
            line = Text("• ", style="cyan")
            line.append_text(_link_text(rel.title, rel.url, hyperlinks, "bold"))
            parts.append(line)
            if rel.summary:
                parts.append(_pad(Text(safe(rel.summary), style="dim"), left=2))
    parts.append(_pad(_link_text(article.url, article.url, hyperlinks, "dim"), 1))
    return Group(*parts)


def rendered_height(renderable: RenderableType, width: int) -> int:
    from io import StringIO

    from rich.console import Console

    probe = Console(file=StringIO(), width=width, color_system=None, legacy_windows=False)
    return len(probe.render_lines(renderable, probe.options.update(width=width), pad=False))


def article_dict(article: Article, number: int | None) -> dict[str, Any]:
    return {
        "number": number,
        "title": safe(article.title),
        "url": article.url,
        "date": article.date,
        "category": safe(article.category) or None,
        "lead": safe(article.lead) or None,
        "text": safe_multiline(article.plain_text()),
        "markdown": article_markdown(article),
        "images": [{"url": i.url, "alt": safe(i.alt) or None, "caption": safe(i.caption) or None} for i in article.images],
        "related": [{"title": safe(r.title), "url": r.url, "summary": safe(r.summary) or None} for r in article.related],
    }


def safe_multiline(text: str) -> str:
    return "\n".join(strip_unsafe(line) for line in text.split("\n"))


# --------------------------------------------------------------------- markdown
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", safe(text))
    text = re.sub(r"^(\d+)\.(?=\s)", r"\1\\.", text)  # "1. x" is a list item: "1\. x"
    return re.sub(r"^([#>+-])(?=\s)", r"\\\1", text)


def md_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for inl in inlines:
        text = md_escape(inl.text).replace("\n", "  \n")
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        if inl.em:
            core = f"*{core}*"
        if inl.strong:
            core = f"**{core}**"
        link = safe_link(inl.href)
        if link:
            core = f"[{core}](<{link}>)"
        out.append(lead + core + trail)
    return "".join(out).strip()


def article_markdown(article: Article) -> str:
    lines = [f"# {md_escape(article.title)}", ""]
    meta = " · ".join(x for x in (long_date(article.date), safe(article.category)) if x)
    if meta:
        lines += [f"*{md_escape(meta)}*", ""]
    if article.lead:
        lines += [f"**{md_escape(article.lead)}**", ""]
    in_body = {b.url for b in article.blocks if b.kind == "image"}
    figures = [Block("image", url=i.url, alt=i.alt, caption=i.caption) for i in article.images if i.url not in in_body]
    for block in (*figures, *article.blocks):
        kind = block.kind
        if kind == "heading":
            lines += ["#" * min(block.level, 6) + " " + md_inlines(block.inlines), ""]
        elif kind == "paragraph":
            lines += [md_inlines(block.inlines), ""]
        elif kind == "quote":
            lines += ["> " + md_inlines(block.inlines).replace("\n", "\n> "), ""]
        elif kind == "list":
            for n, item in enumerate(block.items, 1):
                lines.append((f"{n}. " if block.ordered else "- ") + md_inlines(item))
            lines.append("")
        elif kind == "table":
            rows = [[md_escape(c) for c in row] for row in block.rows]
            header = rows.pop(0) if block.header else [""] * len(rows[0])
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(r) + " |" for r in rows]
            lines.append("")
        elif kind == "image" and safe_link(block.url):
            lines.append(f"![{md_escape(block.alt or '')}](<{block.url}>)")
            if block.caption:
                lines.append(f"*{md_escape(block.caption)}*")
            lines.append("")
        elif kind == "embed" and safe_link(block.url):
            lines += [f"[{md_escape(block.caption or 'Contenu intégré')}](<{block.url}>)", ""]
    if article.related:
        lines += ["## Lire aussi", ""]
        for rel in article.related:
            line = f"- [{md_escape(rel.title)}](<{rel.url}>)"
            if rel.summary:
                line += f" — {md_escape(rel.summary)}"
            lines.append(line)
        lines.append("")
    lines.append(f"Source : <{article.url}>")
    return "\n".join(lines).strip() + "\n"
