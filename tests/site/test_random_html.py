"""Property tests: the parsers never crash with anything but a LilleNewsError, and
what they return is always sanitised (no control / bidi characters, http(s) URLs only),
whatever the page: random text, random HTML, mutated fixtures, random bytes."""

from __future__ import annotations

import dataclasses
import datetime
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server import FIXTURES, PAGES

from lillenews.base.errors import FetchError, LayoutError, LilleNewsError
from lillenews.base.models import Article, ListingPage
from lillenews.net.fetch import decode_html
from lillenews.site.news import parse_article, parse_listing

TODAY = datetime.date(2021, 3, 1)  # any day: the parsers read dates without a year against it

SITE = "https://www.lille.fr"
LISTING_URL = SITE + "/Actualites"
ARTICLE_URL = SITE + "/Actualites/Un-article"
UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
URL_FIELDS = {"url", "href", "image", "next_url"}

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
MEDIUM = settings(FAST, max_examples=250)

# ---------------------------------------------------------------------------
# the properties
# ---------------------------------------------------------------------------


def _record_fields(obj) -> tuple[str, ...]:
    """Field names of a model record: the models are NamedTuples (dataclasses accepted too)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return tuple(f.name for f in dataclasses.fields(obj))
    if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
        return type(obj)._fields
    return ()


def check_model(obj, path: str = "") -> None:
    """Every str field has no control/bidi char; every URL field is None or http(s)."""
    names = _record_fields(obj)
    if names:
        for name in names:
            value = getattr(obj, name)
            if name in URL_FIELDS:
                assert value is None or (isinstance(value, str) and value.startswith(("http://", "https://"))), (
                    f"{path}.{name} = {value!r}"
                )
            check_model(value, f"{path}.{name}")
    elif isinstance(obj, str):
        assert not UNSAFE_RE.search(obj), f"{path} = {obj!r}"
    elif isinstance(obj, (tuple, list)):
        for n, x in enumerate(obj):
            check_model(x, f"{path}[{n}]")


def check_listing(html: str, url: str = LISTING_URL) -> None:
    try:
        page = parse_listing(html, url, today=TODAY)
    except LilleNewsError as exc:
        assert isinstance(exc, LayoutError), repr(exc)
        return
    assert isinstance(page, ListingPage) and page.headlines
    check_model(page)


def check_article(html: str, url: str = ARTICLE_URL) -> None:
    try:
        art = parse_article(html, url, today=TODAY)
    except LilleNewsError as exc:
        assert isinstance(exc, LayoutError), repr(exc)
        return
    assert isinstance(art, Article) and art.title
    check_model(art)
    assert not UNSAFE_RE.search(art.plain_text())


def check_both(html: str) -> None:
    check_listing(html)
    check_article(html)


# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------
NASTY_CHARS = (
    [chr(c) for c in range(0x00, 0x20)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u00a0", "\u202f", "\ufeff", "\u200e", "\u200f", "\u061c", "\ufffd", "é", "’", "«", "»", "\U0001f600"]
)
ESCAPES = [
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[2J",
    "\x1b]8;;https://evil.example\x07",
    "\x1b]8;;\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x1b]0;titre",
    "\u009b31m",
    "\x1b[",
    "\x1b]",
]
ENTITIES = [
    "&eacute;",
    "&nbsp;",
    "&#160;",
    "&#x202F;",
    "&#0;",
    "&#1;",
    "&#x1b;",
    "&#27;",
    "&#x202e;",
    "&#8238;",
    "&#x2066;",
    "&#x9b;",
    "&#155;",
    "&#x85;",
    "&#133;",
    "&#x7f;",
    "&#127;",
    "&#xD800;",
    "&#x110000;",
    "&#99999999999;",
    "&rsquo;",
    "&laquo;",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&nbsp",
    "&eacute",
    "&",
    "&#",
    "&#x",
    "&bogus;",
    "&hellip;",
]

nasty_char = st.sampled_from(NASTY_CHARS)
text_piece = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(NASTY_CHARS + list("abc <>&;\"'=/")), max_size=30),
    st.sampled_from(ESCAPES),
    st.sampled_from(ENTITIES),
    st.sampled_from(
        [
            "Voir",
            "Lire aussi",
            "À lire aussi",
            "Le 12 février 2021",
            "Du 3 au 28 mars 2021",
            "08/02/2021",
            "Publié le 1er mars 2021",
            "2021-01-15T09:30:00+01:00",
            "31/02/2021",
        ]
    ),
)
text_run = st.lists(text_piece, max_size=6).map("".join)

TAGS = [
    "div",
    "p",
    "span",
    "a",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "iframe",
    "script",
    "style",
    "nav",
    "footer",
    "aside",
    "header",
    "main",
    "article",
    "section",
    "time",
    "strong",
    "b",
    "em",
    "i",
    "br",
    "pre",
    "meta",
    "link",
    "title",
    "body",
    "html",
    "head",
    "template",
    "svg",
    "select",
    "form",
    "noscript",
    "caption",
    "dl",
    "dt",
    "dd",
    "font",
    "code",
    "button",
    "object",
    "math",
    "textarea",
    "xmp",
    "plaintext",
]
CLASSES = [
    "actusMaster",
    "actualite",
    "evenement",
    "actu",
    "item",
    "right",
    "event-type",
    "innerContent",
    "image-large",
    "dateInfo",
    "voirActus",
    "pagination",
    "pager",
    "next",
    "page",
    "content",
    "chapo",
    "chapeau",
    "lead",
    "rte",
    "lireAussi",
    "lire-aussi",
    "related",
    "figureContain",
    "legende",
    "menu",
    "share",
    "cookie",
    "breadcrumb",
    "sousMenu",
    "colonneGauche",
    "intro-text",
    "title",
    "titre",
    "",
]
URLS = [
    "/Actualites/Un-titre",
    "/Actualites/Autre-titre?utm_source=x&id=3",
    "Actualites/relatif",
    "/Actualites/(offset)/10",
    "/Actualites/",
    "/Votre-Mairie/X",
    "https://www.lille.fr/Actualites/Abs",
    "http://example.org/a b",
    "//evil.example/x",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "mailto:a@b.c",
    "data:text/html,xx",
    "vbscript:x",
    "file:///etc/passwd",
    "https://evil.example/\x1b]8;;x",
    "https://evil.example/\u202e",
    "https://e.x/\x00",
    "http://[::1",
    "http://[invalid/",
    "https://",
    "http:",
    "#top",
    "?q=1",
    "",
    " ",
    "https://a.b/\u00a0x",
    "https://www.lille.fr:99999/x",
    "\x01/Actualites/X",
    "https://evil.example/%1b%5b31m",
]
ATTR_NAMES = [
    "class",
    "href",
    "src",
    "title",
    "alt",
    "datetime",
    "rel",
    "id",
    "role",
    "property",
    "name",
    "content",
    "type",
    "itemprop",
    "charset",
    "aria-label",
    "onclick",
    "data-x",
]

attr_value = st.one_of(
    st.sampled_from(CLASSES),
    st.sampled_from(URLS),
    text_run,
    st.sampled_from(
        [
            "next",
            "prev",
            "application/ld+json",
            "og:title",
            "article:published_time",
            "2021-01-15",
            "main",
            "navigation",
            "utf-8",
        ]
    ),
)


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTR_NAMES))
    value = draw(attr_value).replace('"', "&quot;") if draw(st.booleans()) else draw(attr_value)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if quote == "":
        value = re.sub(r"[\s>]", "", value)
    return f" {name}={quote}{value}{quote}"


@st.composite
def open_tag(draw) -> tuple[str, str]:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(draw(st.lists(attribute(), max_size=3)))
    return tag, f"<{tag}{attrs}>"


JUNK = [
    "<!--",
    "<!-- non fermé",
    "-->",
    "<![CDATA[",
    "]]>",
    "</",
    "<",
    ">",
    "<div cla",
    "<a href='",
    '<a href="/Actualites/X',
    "<p",
    "</p",
    "<!DOCTYPE",
    "<?xml ?>",
    "</html>",
    "<body>",
    "<html>",
    "<script>",
    "</script>",
    "<style>",
    "<title>",
    "<textarea>",
    "<plaintext>",
    "<img src=x",
    "<meta charset=iso-8859-1>",
    "<base href='javascript:x'>",
    "<base href='http://evil.example/'>",
    '<script type="application/ld+json">{"@type":"NewsArticle","headline":"\\u202eX\\u001b",'
    '"datePublished":"2021-13-45"}</script>',
    '<script type="application/ld+json">[{"@graph":{"@type":["Article"],"headline":5}}]</script>',
    '<script type="application/ld+json">{bad json</script>',
    '<meta property="og:title" content="\u202eTitre\x07">',
    '<meta property="article:published_time" content="9999-99-99">',
    '<link rel="next" href="javascript:alert(1)">',
]


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw) -> str:
        tag, start = draw(open_tag())
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{tag}"]))
        return start + inner + close

    return build()


@st.composite
def link(draw) -> str:
    """An <a href> into the news section (or a hostile one), so that items get built."""
    href = draw(st.one_of(st.sampled_from(URLS), st.sampled_from(URLS[:3]), text_run.map(lambda t: "/Actualites/" + t)))
    q = draw(st.sampled_from(['"', "'"]))
    href = href.replace(q, "")
    extra = "".join(draw(st.lists(attribute(), max_size=2)))
    return f"<a href={q}{href}{q}{extra}>{draw(text_run)}</a>"


@st.composite
def dated(draw) -> str:
    value = draw(st.one_of(st.sampled_from(["2021-01-15", "2021-02-30", "9999-99-99", ""]), text_run)).replace('"', "")
    return f'<time datetime="{value}">{draw(text_run)}</time>'


leaf = st.one_of(text_run, st.sampled_from(JUNK), open_tag().map(lambda t: t[1]), link(), link(), dated())
html_fragment = st.recursive(leaf, element, max_leaves=40)


@st.composite
def deep_nesting(draw) -> str:
    depth = draw(st.integers(1, 200))
    tag = draw(
        st.sampled_from(
            ["div", "span", "b", "li", "ul", "blockquote", "section", "a", "em", "p", "article", "main", "td", "font"]
        )
    )
    attrs = "".join(draw(st.lists(attribute(), max_size=2)))
    inner = draw(html_fragment)
    closed = draw(st.booleans())
    return f"<{tag}{attrs}>" * depth + inner + (f"</{tag}>" * depth if closed else "")


@st.composite
def huge_attribute(draw) -> str:
    name = draw(st.sampled_from(["href", "class", "title", "src", "alt", "datetime"]))
    unit = draw(st.sampled_from(["a", "é", "\x1b[31m", "\u202e", "/Actualites/X", "&eacute;", " ", "\x00", "<"]))
    size = draw(st.integers(50_000, 100_000))
    value = (unit * (size // len(unit) + 1))[:size]
    tag = draw(st.sampled_from(["a", "img", "div", "time", "iframe"]))
    text = draw(text_run)
    closed = draw(st.booleans())
    return f'<{tag} {name}="{value}"' + (">" + text + f"</{tag}>" if closed else "")


def wrap_page(fragment: str, where: int) -> str:
    """Put a fragment in a page skeleton that reaches the known-selector code paths."""
    return [
        fragment,
        f"<html><body>{fragment}</body></html>",
        f"<html><body><main><h1>Titre</h1>{fragment}</main></body></html>",
        f'<html><body><div class="actusMaster"><div class="actualite"><div class="right">{fragment}'
        f"</div></div></div></body></html>",
        f'<html><body><div class="content"><h1>Titre</h1><div class="chapo">{fragment}</div>'
        f'<div class="rte">{fragment}</div><div class="lireAussi"><ul><li>{fragment}</li></ul></div></div>'
        f"</body></html>",
        f"<html><body><nav>{fragment}</nav><main><section><article><h2>{fragment}</h2>{fragment}</article>"
        f"<article>{fragment}</article></section></main><footer>{fragment}</footer></body></html>",
    ][where]


page_variant = st.integers(0, 5)

# ---------------------------------------------------------------------------
# random text and random HTML
# ---------------------------------------------------------------------------


@MEDIUM
@given(st.text(max_size=2000))
def test_random_text(text):
    check_both(text)


@MEDIUM
@given(st.lists(st.one_of(text_piece, nasty_char), max_size=60).map("".join), page_variant)
def test_random_text_with_control_chars_in_page(text, where):
    check_both(wrap_page(text, where))


@MEDIUM
@given(html_fragment, page_variant)
def test_random_html(fragment, where):
    check_both(wrap_page(fragment, where))


@FAST
@given(deep_nesting(), page_variant)
def test_deeply_nested_html(fragment, where):
    check_both(wrap_page(fragment, where))


@settings(FAST, max_examples=40)
@given(huge_attribute(), page_variant)
def test_huge_attributes(fragment, where):
    check_both(wrap_page(fragment, where))


# ---------------------------------------------------------------------------
# mutations of the real fixtures
# ---------------------------------------------------------------------------
FIXTURE_FILES = sorted({name for _, name, _ in PAGES})
FIXTURE_BYTES = {name: (FIXTURES / name).read_bytes() for name in FIXTURE_FILES}
FIXTURE_CTYPE = {name: ctype for _, name, ctype in PAGES}
FIXTURE_TEXT = {name: decode_html(FIXTURE_BYTES[name], FIXTURE_CTYPE[name]) for name in FIXTURE_FILES}


@st.composite
def mutated_fixture(draw) -> str:
    name = draw(st.sampled_from(FIXTURE_FILES))
    text = FIXTURE_TEXT[name]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "insert", "insert_run", "duplicate", "delete"]))
        n = len(text)
        pos = draw(st.integers(0, n))
        if op == "truncate":
            text = text[:pos]
        elif op == "insert":
            text = text[:pos] + draw(st.one_of(nasty_char, st.sampled_from(ESCAPES + ENTITIES + JUNK))) + text[pos:]
        elif op == "insert_run":
            text = text[:pos] + draw(st.lists(nasty_char, min_size=1, max_size=20).map("".join)) + text[pos:]
        else:
            end = draw(st.integers(pos, min(n, pos + 3000)))
            text = text[:end] + text[pos:end] + text[end:] if op == "duplicate" else text[:pos] + text[end:]
    return text


@st.composite
def mutated_fixture_bytes(draw) -> tuple[bytes, str]:
    name = draw(st.sampled_from(FIXTURE_FILES))
    body = FIXTURE_BYTES[name]
    op = draw(st.sampled_from(["truncate", "insert", "delete"]))
    pos = draw(st.integers(0, len(body)))
    if op == "truncate":
        body = body[:pos]
    elif op == "insert":
        body = body[:pos] + draw(st.binary(min_size=1, max_size=16)) + body[pos:]
    else:
        body = body[:pos] + body[pos + draw(st.integers(1, 500)) :]
    return body, FIXTURE_CTYPE[name]


@MEDIUM
@given(mutated_fixture())
def test_mutated_fixtures(html):
    check_both(html)


@FAST
@given(mutated_fixture_bytes())
def test_mutated_fixture_bytes(args):
    body, ctype = args
    try:
        html = decode_html(body, ctype, LISTING_URL)
    except FetchError:
        return
    check_both(html)


@FAST
@given(st.sampled_from(FIXTURE_FILES), st.lists(st.tuples(st.floats(0, 1), nasty_char), min_size=1, max_size=30))
def test_fixtures_sprinkled_with_control_and_bidi_chars(name, inserts):
    text = FIXTURE_TEXT[name]
    for frac, ch in sorted(inserts, reverse=True):
        pos = int(frac * len(text))
        text = text[:pos] + ch + text[pos:]
    check_both(text)


# ---------------------------------------------------------------------------
# random bytes through decode_html
# ---------------------------------------------------------------------------
CHARSETS = [
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "ISO-8859-1",
    "latin1",
    "windows-1252",
    "shift_jis",
    "utf-16",
    "utf-16le",
    "x-unknown-label",
    "no-such-charset-2021",
    "",
]


@st.composite
def content_type(draw) -> str:
    cs = draw(st.sampled_from(CHARSETS))
    if not cs:
        return draw(st.sampled_from(["text/html", "", "text/html; charset="]))
    return draw(st.sampled_from([f"text/html; charset={cs}", f'text/html; charset="{cs}"', f"text/html;charset={cs}"]))


random_body = st.one_of(
    st.binary(max_size=3000),
    st.builds(
        lambda pre, b: pre + b,
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf",
                b"\xff\xfe",
                b"\xfe\xff",
                b"<meta charset=shift_jis>",
                b"<meta charset='utf-16'>",
                b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
                b"<meta charset=x-unknown>",
                b"<html><body><main><h1>T</h1><p>",
            ]
        ),
        st.binary(max_size=2000),
    ),
)


@MEDIUM
@given(random_body, content_type())
def test_decode_html_random_bytes(body, ctype):
    try:
        html = decode_html(body, ctype, LISTING_URL)
    except FetchError as exc:
        assert isinstance(exc, LilleNewsError)
        return
    assert isinstance(html, str)
    check_both(html)


@FAST
@given(st.text(max_size=500), st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "shift_jis", "utf-16"]))
def test_decode_html_declared_charset_is_used(text, charset):
    try:
        body = text.encode(charset)
    except UnicodeEncodeError:
        return
    if charset in ("iso-8859-1", "windows-1252"):
        if any(0x80 <= ord(c) <= 0x9F for c in text):
            return  # C1 controls are read as windows-1252 letters, as browsers do
        expected = body.decode("cp1252")
    elif charset == "utf-8" and text.startswith("\ufeff"):
        expected = text[1:]  # a UTF-8 BOM is dropped
    else:
        expected = body.decode(charset)  # (shift_jis: Python maps 0x5C to "\\", not "¥")
    assert decode_html(body, f"text/html; charset={charset}") == expected


def test_decode_html_latin1_reads_windows_1252():
    assert decode_html(b"\x80 \x92 \xe9", "text/html; charset=ISO-8859-1") == "€ ’ é"
    assert decode_html(b"<meta charset=iso-8859-1>\xe9", "text/html") == "<meta charset=iso-8859-1>é"


# Labels a hostile or broken server may declare (header or <meta>): Python knows some of
# them as codecs that are not text encodings (hex, base64...), or that fail with a bare
# UnicodeError instead of UnicodeDecodeError (undefined, punycode).
ODD_LABELS = [
    "hex",
    "base64",
    "rot13",
    "zlib",
    "bz2",
    "uu",
    "quopri",
    "undefined",
    "punycode",
    "idna",
    "utf-7",
    "utf-32",
    "cp037",
    "koi8-r",
    "big5",
    "euc-jp",
    "gb18030",
    "mac-roman",
    "x-user-defined",
]


@FAST
@given(
    st.sampled_from(ODD_LABELS),
    st.booleans(),
    st.one_of(st.binary(max_size=200), st.sampled_from([b"<p>Bonjour</p>", b"\xff\xfe\x00", b"xn--"])),
)
def test_decode_html_odd_charset_labels(label, in_meta, body):
    if in_meta:
        body, ctype = b"<meta charset=" + label.encode() + b">" + body, "text/html"
    else:
        ctype = f"text/html; charset={label}"
    try:
        html = decode_html(body, ctype, LISTING_URL)
    except FetchError:
        return
    assert isinstance(html, str)


# ---------------------------------------------------------------------------
# the checker itself can fail (it once never looked inside the NamedTuple models)
# ---------------------------------------------------------------------------
def _raises_assertion(model) -> str:
    try:
        check_model(model)
    except AssertionError as exc:
        return str(exc)
    raise AssertionError(f"check_model accepted {model!r}")


def test_check_model_rejects_a_javascript_url_anywhere_in_the_models():
    from lillenews.base.models import Block, Headline, Image, Inline, Related

    bad = "javascript:alert(1)"
    assert "href" in _raises_assertion(
        Article(ARTICLE_URL, "T", blocks=(Block("paragraph", inlines=(Inline("x", href=bad),)),))
    )
    assert ".blocks[0].url" in _raises_assertion(Article(ARTICLE_URL, "T", blocks=(Block("image", url=bad),)))
    assert ".images[0].url" in _raises_assertion(Article(ARTICLE_URL, "T", images=(Image(bad),)))
    assert ".related[0].url" in _raises_assertion(Article(ARTICLE_URL, "T", related=(Related("R", bad),)))
    assert "image" in _raises_assertion(ListingPage(LISTING_URL, (Headline(SITE + "/a", "T", image=bad),), None))
    assert "next_url" in _raises_assertion(ListingPage(LISTING_URL, (Headline(SITE + "/a", "T"),), bad))
    assert "href" in _raises_assertion(
        Article(ARTICLE_URL, "T", blocks=(Block("list", items=((Inline("x", href=bad),),)),))
    )


def test_check_model_rejects_a_control_character_in_nested_text():
    from lillenews.base.models import Block, Headline, Inline

    assert "title" in _raises_assertion(ListingPage(LISTING_URL, (Headline(SITE + "/a", "T\x1b[2J"),), None))
    assert ".rows[0][0]" in _raises_assertion(Article(ARTICLE_URL, "T", blocks=(Block("table", rows=(("a\u202e",),)),)))
    assert "text" in _raises_assertion(
        Article(ARTICLE_URL, "T", blocks=(Block("paragraph", inlines=(Inline("\x9b31m"),)),))
    )


def test_check_model_accepts_a_clean_model():
    from lillenews.base.models import Block, Headline, Inline

    check_model(ListingPage(LISTING_URL, (Headline(SITE + "/a", "Titre", image=SITE + "/i.png"),), None))
    check_model(Article(ARTICLE_URL, "T", blocks=(Block("paragraph", inlines=(Inline("x", href=SITE),)),)))
