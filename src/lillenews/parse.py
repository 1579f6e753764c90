"""HTML -> models, with selectolax (lexbor).

Every lille.fr selector is in the block below, so a redesign of the site touches
this block only. Each field is found in layers: the known lille.fr markup first,
then markup-independent fallbacks (semantic HTML, meta tags, JSON-LD), so a page
in unknown markup still gives a useful result, and a page with nothing in it is
a LayoutError rather than an empty success."""

from __future__ import annotations

import json
import re
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .errors import LayoutError
from .models import Article, Block, Headline, Image, Inline, ListingPage, Related
from .text import clean, clean_or_none, fold, parse_date, strip_unsafe, title_from_slug
from .urls import canonical_url

# ---------------------------------------------------------------------------
# lille.fr selectors (eZ Publish templates; see SITE.md for the evidence)
# ---------------------------------------------------------------------------
LISTING_ITEMS = (
    ".actusMaster .actualite, .actusMaster .evenement, .actusMaster .actu, "
    ".actusMaster .item, .actusMaster article"
)
ITEM_TITLE_LINK = (".right > span > a[href]", ".right h2 a[href]", ".right h3 a[href]", ".right a[href]")
ITEM_CATEGORY = (".right > .event-type", ".event-type")
ITEM_SUMMARY = (".right > .innerContent", ".innerContent")
ITEM_IMAGE = (".image-large > img", ".image-large img", "img")
ITEM_DATE = (".dateInfo", "time")
ITEM_MORE_LINK = ".voirActus"
PAGINATION = ".actusMaster .pagination, .pagination, .pager, nav[aria-label*='agination']"
NEXT_LINK = (
    ".pagination .next a[href]", ".pagination a.next[href]", ".pager a.next[href]",
    "link[rel~='next'][href]", "a[rel~='next'][href]",
)
ARTICLE_SCOPE = ".content, main, [role='main'], article, #main, #content"
ARTICLE_TITLE = (".content > h1", "article h1", "main h1", "h1")
ARTICLE_LEAD = (".chapo", ".chapeau", ".lead", "[itemprop='description']", "[class*='intro']")
ARTICLE_BODY = (".rte", "[itemprop='articleBody']", "article", "main", "[role='main']", "#main", "#content", ".content")
ARTICLE_FIGURE = (".figureContain",)
ARTICLE_DATE = (".dateInfo span", ".dateInfo", "time[datetime]", "time")
ARTICLE_CATEGORY = (".content .event-type", ".event-type")
RELATED_BLOCK = (".lireAussi", ".lire-aussi", ".related", "[class*='related']", "[class*='lireAussi']")
RELATED_CSS = ", ".join(RELATED_BLOCK)
RELATED_HEADINGS = ("lire aussi", "a lire aussi", "voir aussi", "sur le meme sujet", "articles lies")
MAIN_CONTENT = ("main", "[role='main']", "#main", "#content", ".content", "body")
# Site furniture that is never a headline nor article text.
CHROME_TAGS = {"nav", "footer", "aside", "form", "button", "script", "style", "noscript", "template", "svg", "select"}
CHROME_CLASS = re.compile(
    r"(^|[\s_-])(menu|sousmenu|submenu|nav|navbar|navigation|breadcrumbs?|fil-?ariane|share|partage|"
    r"social|cookies?|rgpd|footer|header|skip|pagination|pager)($|[\s_-])|sousMenu|colonneGauche",
    re.I,
)
# The same furniture as a CSS selector list, matched in C when cleaning an article body.
CHROME_CSS = ", ".join(
    sorted(CHROME_TAGS - {"script", "style"}) + ["script", "style", "[role=navigation]", "[role=banner]",
                                                  "[role=contentinfo]"]
    + [f"[class*={w} i]" for w in ("menu", "breadcrumb", "ariane", "share", "partage", "social", "cookie",
                                  "rgpd", "footer", "navbar", "navigation", "pagination", "pager",
                                  "colonnegauche")]
    + [f"[id*={w} i]" for w in ("menu", "breadcrumb", "cookie", "footer", "navigation")]
    + [f"[class~={w} i]" for w in ("nav", "header", "skip")]
)
NEWS_SECTION = re.compile(r"/actualit(?:e|é)s?/", re.I)
GENERIC_LINK_TEXT = {"voir", "lire", "lire la suite", "en savoir plus", "suite", "plus", ">", "»", "voir plus"}
TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+(Ville de Lille|Lille\.fr|Lille)\s*$", re.I)
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "img", "iframe", "pre", "dl"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "button", "form", "select", "input", "object", "video", "audio", "canvas", "map"}


# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _first(node: LexborNode | LexborHTMLParser, selectors: Iterable[str]) -> LexborNode | None:
    for sel in selectors:
        found = node.css_first(sel)
        if found is not None:
            return found
    return None


def _text(node: LexborNode | None) -> str:
    return clean(node.text(separator=" ")) if node is not None else ""


def _is_chrome(node: LexborNode, stop: LexborNode | None = None) -> bool:
    """True when `node` or an ancestor (up to `stop`) is navigation, footer, banner..."""
    current: LexborNode | None = node
    while current is not None and current is not stop and current.tag not in ("body", "html", "-undef"):
        if current.tag in CHROME_TAGS:
            return True
        if current.tag == "header" and current.css_first("h1") is None:
            return True
        attrs = current.attributes
        marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('role') or ''}"
        if marker.strip() and CHROME_CLASS.search(marker):
            return True
        current = current.parent
    return False


def _parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


# ---------------------------------------------------------------------------
# listing pages
# ---------------------------------------------------------------------------
def parse_listing(html: str, url: str) -> ListingPage:
    """Headlines of one listing page. Raises LayoutError when there are none."""
    try:
        return _parse_listing(html, url)
    except RecursionError:
        raise LayoutError(url, "no readable headlines (the page is nested too deeply)") from None


def _parse_listing(html: str, url: str) -> ListingPage:
    tree = _parse(html)
    headlines = _known_items(tree, url) or _fallback_items(tree, url)
    next_url, has_pagination = _next_link(tree, url)
    if not headlines:
        raise LayoutError(url, "no headlines")
    return ListingPage(url=url, headlines=tuple(headlines), next_url=next_url, has_pagination=has_pagination)


def _known_items(tree: LexborHTMLParser, page_url: str) -> list[Headline]:
    out: list[Headline] = []
    seen: set[str] = set()
    for item in tree.css(LISTING_ITEMS):
        link = _first(item, ITEM_TITLE_LINK) or item.css_first("a[href]")
        if link is None:
            continue
        href = canonical_url(link.attributes.get("href"), page_url)
        if href is None or href in seen:
            continue
        title = _link_title(link) or _text(item.css_first("h2, h3, h4")) or title_from_slug(href)
        if not title:
            continue
        date_node = _first(item, ITEM_DATE)
        date = None
        if date_node is not None:
            date = parse_date(date_node.attributes.get("datetime")) or parse_date(_text(date_node))
        img = _first(item, ITEM_IMAGE)
        seen.add(href)
        out.append(Headline(
            url=href,
            title=title,
            date=date,
            category=clean_or_none(_text(_first(item, ITEM_CATEGORY))),
            summary=clean_or_none(_text(_first(item, ITEM_SUMMARY))),
            image=canonical_url(img.attributes.get("src"), page_url) if img is not None else None,
        ))
    return out


def _link_title(link: LexborNode) -> str | None:
    text = _text(link)
    if text and text.casefold().strip(" .:…") not in GENERIC_LINK_TEXT:
        return text
    return clean_or_none(link.attributes.get("title"))


def _is_news_url(url: str, page_url: str) -> bool:
    parts, page = urlsplit(url), urlsplit(page_url)
    if parts.netloc != page.netloc.lower():
        return False
    path = parts.path.rstrip("/")
    if path == page.path.rstrip("/") or "(" in path:
        return False
    m = NEWS_SECTION.search(path + "/")
    if not m:
        return False
    rest = path[m.end():]
    return bool(rest) and "/" not in rest


def _fallback_items(tree: LexborHTMLParser, page_url: str) -> list[Headline]:
    """Links one level below a news section, inside the main content, outside chrome."""
    scope = _first(tree, MAIN_CONTENT)
    if scope is None:
        return []
    by_url: dict[str, LexborNode] = {}
    for link in scope.css("a[href]"):
        rel = (link.attributes.get("rel") or "").lower()
        if "next" in rel or "prev" in rel:
            continue
        href = canonical_url(link.attributes.get("href"), page_url)
        if href is None or not _is_news_url(href, page_url) or _is_chrome(link):
            continue
        by_url.setdefault(href, link)
    out: list[Headline] = []
    for href, link in by_url.items():
        container = _item_container(link, href, page_url)
        title = _link_title(link)
        if not title or len(title) < 3:
            heading = container.css_first("h1, h2, h3, h4")
            title = _text(heading) or title_from_slug(href)
        if not title:
            continue
        time_node = container.css_first("time")
        date = None
        if time_node is not None:
            date = parse_date(time_node.attributes.get("datetime")) or parse_date(_text(time_node))
        summary = None
        for p in container.css("p"):
            text = _text(p)
            if text and text != title and (time_node is None or text != _text(time_node)):
                summary = text
                break
        img = container.css_first("img[src]")
        out.append(Headline(
            url=href, title=title, date=date, summary=summary,
            image=canonical_url(img.attributes.get("src"), page_url) if img is not None else None,
        ))
    return out


def _item_container(link: LexborNode, href: str, page_url: str) -> LexborNode:
    """The largest ancestor of `link` whose news links all point to `href`."""
    best = link
    node = link.parent
    while node is not None and node.tag not in ("body", "html", "main"):
        urls = {canonical_url(a.attributes.get("href"), page_url) for a in node.css("a[href]")}
        news = {u for u in urls if u and _is_news_url(u, page_url)}
        if news != {href}:
            break
        best = node
        node = node.parent
    return best


def _next_link(tree: LexborHTMLParser, page_url: str) -> tuple[str | None, bool]:
    has_pagination = tree.css_first(PAGINATION) is not None
    node = _first(tree, NEXT_LINK)
    if node is not None:
        href = canonical_url(node.attributes.get("href"), page_url)
        if href and href != canonical_url(page_url, page_url):
            return href, True
    return None, has_pagination


# ---------------------------------------------------------------------------
# article pages
# ---------------------------------------------------------------------------
def parse_article(html: str, url: str) -> Article:
    """An article page. Raises LayoutError when it has no title or no text."""
    try:
        return _parse_article(html, url)
    except RecursionError:
        raise LayoutError(url, "no readable article text (the page is nested too deeply)") from None


def _parse_article(html: str, url: str) -> Article:
    tree = _parse(html)
    meta = _meta(tree)
    ld = _json_ld(tree)
    # Look for the article's parts inside its content area first: real pages carry
    # tens of KB of menus, and every selector run over the whole tree costs.
    scope = _content_scope(tree)

    title_node = next((n for root in _scopes(scope, tree) for sel in ARTICLE_TITLE
                       for n in root.css(sel) if not _is_chrome(n)), None)
    title = (
        _text(title_node)
        or clean(meta.get("og:title"))
        or clean(ld.get("headline") if isinstance(ld.get("headline"), str) else "")
        or TITLE_SUFFIX.sub("", _text(tree.css_first("title")))
    )
    date = _article_date(scope, tree, meta, ld)
    category = (
        clean_or_none(_text(_first(scope, ARTICLE_CATEGORY)))
        or clean_or_none(meta.get("article:section"))
        or clean_or_none(ld.get("articleSection") if isinstance(ld.get("articleSection"), str) else None)
    )
    lead_node = next((n for sel in ARTICLE_LEAD for n in scope.css(sel) if not _is_chrome(n)), None)
    lead = clean_or_none(lead_node.text(separator=" ")) if lead_node is not None else None

    related_node = _related_block(scope) or (_related_block(tree) if scope is not tree else None)
    related = _related(related_node, url) if related_node is not None else ()
    images: list[Image] = []
    for fig in (n for sel in ARTICLE_FIGURE for n in scope.css(sel)):
        img = fig.css_first("img[src]")
        if img is not None:
            src = canonical_url(img.attributes.get("src"), url)
            caption_node = fig.css_first("figcaption, .legende, .caption, p")
            if src:
                images.append(Image(src, clean_or_none(img.attributes.get("alt")), clean_or_none(_text(caption_node))))

    bodies = _body_nodes(scope, tree)
    blocks: list[Block] = []
    for body in bodies:
        # Never take furniture, the title, lead, related block, figure or date as body text.
        removable = [n for n in body.css(CHROME_CSS) if n.mem_id != body.mem_id]
        removable += [n for n in body.css("header") if n.css_first("h1") is None]
        removable += body.css(", ".join(sorted(SKIP_TAGS)))
        removable += body.css(", ".join((".lireAussi", ".dateInfo", ".event-type", ".figureContain") + ARTICLE_LEAD[:3]))
        removable += [n for n in (title_node, lead_node, related_node)
                      if n is not None and n.mem_id != body.mem_id and _contains(body, n)]
        _decompose_outermost(removable)
        blocks.extend(_blocks(body, url))
    for b in blocks:
        if b.kind == "image" and b.url and all(b.url != i.url for i in images):
            images.append(Image(b.url, b.alt, b.caption))
    text_blocks = [b for b in blocks if b.kind not in ("image", "embed")]
    if lead and text_blocks and text_blocks[0].kind == "paragraph" and text_blocks[0].text == lead:
        blocks.remove(text_blocks[0])
        text_blocks = text_blocks[1:]
    if not title:
        raise LayoutError(url, "no article title")
    if not text_blocks and not lead:
        raise LayoutError(url, "no article text")
    return Article(url=url, title=title, date=date, category=category, lead=lead,
                   blocks=tuple(blocks), images=tuple(images), related=tuple(related))


def _decompose_outermost(nodes: list[LexborNode]) -> None:
    """Remove `nodes` from the tree. Only the outermost ones are decomposed: a node
    inside one already destroyed must not be touched again."""
    marked = {n.mem_id for n in nodes}
    done: set[int] = set()
    for node in nodes:
        if node.mem_id in done:
            continue
        done.add(node.mem_id)
        parent = node.parent
        inside = False
        while parent is not None:
            if parent.mem_id in marked:
                inside = True
                break
            parent = parent.parent
        if not inside:
            node.decompose()


def _contains(ancestor: LexborNode, node: LexborNode) -> bool:
    current = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def _body_nodes(scope, tree: LexborHTMLParser) -> list[LexborNode]:
    root = scope
    rte = [n for n in root.css(".rte") if not _is_chrome(n)]
    if not rte and scope is not tree:
        root = tree
        rte = [n for n in root.css(".rte") if not _is_chrome(n)]
    # Outer .rte blocks only, outside the related block.
    related = root.css(RELATED_CSS) if rte else []
    outer = [n for n in rte if not any(o.mem_id != n.mem_id and _contains(o, n) for o in rte)
             and not any(_contains(r, n) for r in related)]
    if outer:
        return outer
    for sel in ARTICLE_BODY[1:]:
        for node in tree.css(sel):
            if not _is_chrome(node) and _text(node):
                return [node]
    body = tree.body
    return [body] if body is not None else []


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in (tree.head or tree).css("meta[content]"):
        key = m.attributes.get("property") or m.attributes.get("name") or m.attributes.get("itemprop")
        if key and key.lower() not in out:
            out[key.lower()] = m.attributes.get("content") or ""
    return out


def _json_ld(tree: LexborHTMLParser) -> dict:
    """The first Article-like object in the page's JSON-LD, or {}."""
    for script in tree.css("script[type='application/ld+json']"):
        try:
            data = json.loads(script.text() or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle") for k in kinds):
                    return obj
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
    return {}


def _content_scope(tree: LexborHTMLParser):
    """The page's content area (lille.fr's .content first: one cheap selector), else
    the first semantic candidate outside the furniture, else the whole page."""
    node = tree.css_first(".content")
    if node is not None and not _is_chrome(node):
        return node
    return next((n for n in tree.css(ARTICLE_SCOPE) if not _is_chrome(n)), None) or tree


def _scopes(scope, tree: LexborHTMLParser) -> tuple:
    """Where to look: the content area, then (if it is not already) the whole page."""
    return (scope,) if scope is tree else (scope, tree)


def _article_date(scope, tree: LexborHTMLParser, meta: dict[str, str], ld: dict) -> str | None:
    for root in _scopes(scope, tree):
        for sel in ARTICLE_DATE:
            for node in root.css(sel):
                if _is_chrome(node):
                    continue
                date = parse_date(node.attributes.get("datetime")) or parse_date(_text(node))
                if date:
                    return date
        if parse_date(meta.get("article:published_time")):  # before searching the whole page
            return parse_date(meta.get("article:published_time"))
    for key in ("article:published_time", "datepublished", "date", "dc.date"):
        if parse_date(meta.get(key)):
            return parse_date(meta.get(key))
    if isinstance(ld.get("datePublished"), str) and parse_date(ld["datePublished"]):
        return parse_date(ld["datePublished"])
    scope = _first(tree, MAIN_CONTENT)
    m = re.search(r"publi[ée]e? le ([^.\n]{4,40})", scope.text(separator=" ") if scope else "", re.I)
    return parse_date(m[1]) if m else None


def _related_block(tree) -> LexborNode | None:
    node = tree.css_first(RELATED_CSS)
    if node is not None:
        return node
    for heading in tree.css("h2, h3, h4, .title, .titre"):
        if fold(_text(heading)).strip(" :") in RELATED_HEADINGS:
            parent = heading.parent
            if parent is not None and parent.css_first("a[href]") is not None:
                return parent
    return None


def _related(block: LexborNode, page_url: str) -> list[Related]:
    out: list[Related] = []
    items = block.css("li") or [block]
    for item in items:
        for link in item.css("a[href]"):
            href = canonical_url(link.attributes.get("href"), page_url)
            if href is None or any(r.url == href for r in out):
                continue
            link_text = _text(link)
            summary = clean(item.text(separator=" ")) if len(items) > 1 or block.css("li") else ""
            if link_text and summary.endswith(link_text):
                summary = summary[: -len(link_text)].strip()
            if not summary:
                prev = link.prev
                while prev is not None and not prev.is_element_node:
                    prev = prev.prev
                summary = _text(prev) if prev is not None and prev.tag != "a" else ""
            title = _link_title(link) or title_from_slug(href) or summary[:80]
            if not title:
                continue
            out.append(Related(title=title, url=href, summary=summary or None))
    return out


# ---------------------------------------------------------------------------
# body structure
# ---------------------------------------------------------------------------
def _unwrap(node: LexborNode) -> LexborNode:
    """Skip a chain of wrappers holding nothing but one container each (a loop, so
    a thousand nested <div> need no recursion)."""
    while True:
        only = None
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                if (child.text_content or "").strip():
                    return node
            elif child.tag != "-comment":
                if only is not None:
                    return node
                only = child
        if only is None or only.tag in BLOCK_TAGS or only.tag in INLINE_TAGS or only.tag in SKIP_TAGS:
            return node
        node = only


def _blocks(node: LexborNode, base: str) -> list[Block]:
    node = _unwrap(node)
    out: list[Block] = []
    loose: list[LexborNode] = []  # inline content sitting directly in a container

    def flush() -> None:
        if loose:
            inlines = _inlines_of(loose, base)
            if inlines:
                out.append(Block("paragraph", inlines=inlines))
            loose.clear()

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            loose.append(child)
            continue
        if tag in ("-comment", "-undef") or tag in SKIP_TAGS:
            continue
        if tag in BLOCK_TAGS or (tag not in INLINE_TAGS):
            flush()
            out.extend(_block(child, base))
        else:
            if child.css_first(", ".join(sorted(BLOCK_TAGS))) is not None:
                flush()
                out.extend(_blocks(child, base))
            else:
                loose.append(child)
    flush()
    return out


INLINE_TAGS = {"a", "span", "strong", "b", "em", "i", "u", "small", "sup", "sub", "abbr", "cite", "code", "br", "mark", "q", "time", "font", "s", "del", "ins"}


def _block(node: LexborNode, base: str) -> list[Block]:
    tag = node.tag
    if tag in _TEXT_BLOCKS and next(node.iter(), None) is None:
        # No child element (the common case): lexbor gives the text, no inline walk.
        text = _collapse(node.text(deep=True))
        if not text:
            return []
        if tag == "p":
            return [Block("paragraph", inlines=(Inline(text),))]
        if tag == "blockquote":
            return [Block("quote", inlines=(Inline(text),))]
        return [Block("heading", inlines=(Inline(text),), level=max(2, int(tag[1])))]
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        inlines = _inlines_of([node], base)
        return [Block("heading", inlines=inlines, level=max(2, int(tag[1])))] if inlines else []
    if tag == "p":
        if node.css_first("img") is not None and not _text(node):
            return [b for img in node.css("img") for b in _block(img, base)]
        if node.css_first("iframe") is not None:
            return _blocks(node, base)
        inlines = _inlines_of([node], base)
        return [Block("paragraph", inlines=inlines)] if inlines else []
    if tag in ("ul", "ol"):
        items = tuple(it for it in (_list_item(li, base) for li in _children(node, "li")) if it)
        nested: list[tuple[Inline, ...]] = []
        for li in _children(node, "li"):
            for sub in li.css("li"):
                if sub.mem_id == li.mem_id:  # css() on a node matches the node itself
                    continue
                inl = _list_item(sub, base)
                if inl:
                    nested.append((Inline("– "),) + inl)
        all_items = items + tuple(nested)
        return [Block("list", ordered=tag == "ol", items=all_items)] if all_items else []
    if tag == "blockquote":
        inlines = _inlines_of([node], base)
        return [Block("quote", inlines=inlines)] if inlines else []
    if tag == "table":
        return _table(node)
    if tag == "img":
        src = canonical_url(node.attributes.get("src"), base)
        return [Block("image", url=src, alt=clean_or_none(node.attributes.get("alt")))] if src else []
    if tag == "figure":
        img = node.css_first("img[src]")
        caption = clean_or_none(_text(node.css_first("figcaption")))
        if img is not None:
            src = canonical_url(img.attributes.get("src"), base)
            if src:
                return [Block("image", url=src, alt=clean_or_none(img.attributes.get("alt")), caption=caption)]
        return _blocks(node, base)
    if tag == "iframe":
        src = canonical_url(node.attributes.get("src"), base)
        caption = clean_or_none(node.attributes.get("title"))
        return [Block("embed", url=src, caption=caption)] if src else []
    if tag == "pre":
        text = strip_unsafe(node.text()).strip("\n")
        return [Block("paragraph", inlines=(Inline(text),))] if text.strip() else []
    return _blocks(node, base)


_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


def _collapse(text: str) -> str:
    """Sanitise and collapse whitespace (fast path: printable text needs no regex)."""
    if not text.isprintable():
        text = strip_unsafe(text)
    return " ".join(text.split())


def _children(node: LexborNode, tag: str) -> Iterator[LexborNode]:
    for child in node.iter():
        if child.tag == tag:
            yield child


def _list_item(li: LexborNode, base: str) -> tuple[Inline, ...]:
    """The item's own text: nested lists (at any depth) become items of their own."""
    raw: list[Inline] = []
    for child in li.iter(include_text=True):
        _walk_inline(child, base, None, False, False, raw, skip=("ul", "ol"))
    return _normalise_inlines(raw)


def _rows(table: LexborNode) -> Iterator[LexborNode]:
    """The table's own rows, not those of tables nested in its cells."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def _table(node: LexborNode) -> list[Block]:
    rows: list[tuple[str, ...]] = []
    header = False
    for i, tr in enumerate(_rows(node)):
        cells = [c for c in tr.iter() if c.tag in ("td", "th")]
        if not cells:
            continue
        if i == 0 and (all(c.tag == "th" for c in cells) or (tr.parent is not None and tr.parent.tag == "thead")):
            header = True
        rows.append(tuple(_text(c) for c in cells))
    if not rows or not any(any(r) for r in rows):
        return []
    width = max(len(r) for r in rows)
    rows = [r + ("",) * (width - len(r)) for r in rows]
    caption = clean_or_none(_text(node.css_first("caption")))
    return [Block("table", rows=tuple(rows), header=header, caption=caption)]


def _inlines_of(nodes: list[LexborNode], base: str) -> tuple[Inline, ...]:
    raw: list[Inline] = []
    for node in nodes:
        _walk_inline(node, base, None, False, False, raw)
    return _normalise_inlines(raw)


def _walk_inline(root: LexborNode, base: str, href: str | None, strong: bool, em: bool, out: list[Inline],
                 skip: tuple[str, ...] = ()) -> None:
    """Append the inline runs of `root` to `out`. Iterative: deeply nested markup
    must not exhaust Python's recursion limit."""
    stack: list[tuple[LexborNode | None, str | None, bool, bool]] = [(root, href, strong, em)]
    while stack:
        node, href, strong, em = stack.pop()
        if node is None:  # end of a block-like element: a word break
            out.append(Inline(" ", href, strong, em))
            continue
        tag = node.tag
        if tag in skip or tag in SKIP_TAGS or tag in ("-comment", "img", "iframe"):
            continue
        if tag == "-text":
            out.append(Inline(node.text_content or "", href, strong, em))
            continue
        if tag == "br":
            out.append(Inline("\n", href, strong, em))
            continue
        if tag == "a":
            href = canonical_url(node.attributes.get("href"), base)
        elif tag in ("strong", "b"):
            strong = True
        elif tag in ("em", "i", "cite"):
            em = True
        if tag in ("p", "div", "li", "td", "th", "dd", "dt", "h2", "h3", "h4"):
            stack.append((None, href, strong, em))
        stack.extend((child, href, strong, em) for child in reversed(list(node.iter(include_text=True))))


def _normalise_inlines(raw: list[Inline]) -> tuple[Inline, ...]:
    """Sanitise, collapse whitespace across run boundaries, merge equal runs."""
    runs: list[list] = []  # [text, href, strong, em]
    at_space = True  # leading whitespace of the block is dropped
    for inl in raw:
        text = inl.text
        if text == "\n":
            text = "\x00"  # a <br>: kept as a line break
        else:
            if not text.isprintable():
                text = strip_unsafe(text)
            words = text.split()
            if not words:
                text = " " if text else ""
            else:
                text = (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")
        if at_space:
            text = text.lstrip(" ")
        if not text:
            continue
        at_space = text[-1] in " \x00"
        if runs and runs[-1][1:] == [inl.href, inl.strong, inl.em]:
            runs[-1][0] += text
        else:
            runs.append([text, inl.href, inl.strong, inl.em])
    if runs:
        runs[-1][0] = runs[-1][0].rstrip(" \x00")
    result: list[Inline] = []
    for text, href, strong, em in runs:
        if "\x00" in text:
            text = _BREAK.sub("\n", text).lstrip("\n") if not result else _BREAK.sub("\n", text)
        if text:
            result.append(Inline(text, href, strong, em))
    if not any(i.text.strip() for i in result):
        return ()
    return tuple(result)


_BREAK = re.compile(" ?\x00 ?")
