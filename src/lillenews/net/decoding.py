"""Turning untrusted bytes into page text, bounded in memory and time: our own
decompression (the size cap holds *during* inflation, one encoding at most) and
charset-correct decoding that accepts only real text encodings."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable

from lillenews.base.errors import FetchError
from lillenews.base.i18n import Message
from lillenews.base.text import clean

MAX_BYTES = 5 * 1024 * 1024
STEP = 256 * 1024  # the most one inflation step may produce
_MB = MAX_BYTES // (1024 * 1024)


def too_large(url: str) -> FetchError:
    return FetchError(url, Message("the page is larger than {size} MB", size=_MB))


class BodyDecoder:
    """Inflates a `Content-Encoding` body step by step, never holding more than
    MAX_BYTES of output (a gzip bomb is refused after 5 MB, not after 4 GB)."""

    def __init__(self, url: str, encoding: str | None):
        self.url = url
        self.size = 0
        self._chunks: list[bytes] = []
        self._zlib: zlib._Decompress | None = None
        self._deflate_guess = False
        names = [n.strip().lower() for n in (encoding or "").split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1:
            # Stacked encodings ("gzip, gzip") are only ever a bomb's wrapping: we ask for one.
            raise FetchError(
                url,
                Message(
                    "the server compressed the page more than once ({encodings})",
                    encodings=clean(", ".join(names))[:60],
                ),
            )
        self.kind = names[0] if names else "identity"
        if self.kind in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.kind == "deflate":
            self._zlib = zlib.decompressobj()  # zlib-wrapped, else raw deflate (tried on the first error)
            self._deflate_guess = True
        elif self.kind != "identity":
            raise FetchError(
                url,
                Message("the server used an encoding we did not ask for ({encoding})", encoding=clean(self.kind)[:40]),
            )

    def feed(self, data: bytes, check: Callable[[], None]) -> None:
        """Add raw bytes; `check` runs between inflation steps (deadline)."""
        if self._zlib is None:
            self._add(data)
            return
        while True:
            try:
                out = self._zlib.decompress(data, STEP)
            except zlib.error as exc:
                if self._deflate_guess and self.size == 0:
                    self._deflate_guess = False
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(self.url, Message("the server sent a body that could not be decompressed")) from exc
            self._deflate_guess = False
            self._add(out)
            if self._zlib.eof:
                return  # trailing bytes after the stream: ignored
            data = self._zlib.unconsumed_tail
            if not data and len(out) < STEP:
                return  # input used up and nothing pending
            check()

    def finish(self) -> bytes:
        if self._zlib is not None and not self._zlib.eof and self.size:
            # Most servers end gzip cleanly; a truncated stream still gave usable text.
            self._add(self._zlib.flush(STEP))
        return b"".join(self._chunks)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_BYTES:
            raise too_large(self.url)
        if data:
            self._chunks.append(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_LATIN1_LABELS = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "l1",
    "ascii",
    "us-ascii",
    "iso_8859-1",
    "cp1252",
    "windows-1252",
    "x-cp1252",
}
# Codecs Python calls text encodings that no web page may declare: slow (punycode is
# quadratic), or they turn bytes into escapes and markup (utf-7, unicode_escape).
_NOT_WEB_CHARSETS = {
    "idna",
    "punycode",
    "raw-unicode-escape",
    "unicode-escape",
    "undefined",
    "utf-7",
}


def text_codec(label: str) -> str | None:
    """The Python codec for a declared charset, or None when it is not a text encoding."""
    if not label or len(label) > 40 or not label.isascii() or not label.isprintable():
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", False) or info.name in _NOT_WEB_CHARSETS:
        return None  # hex, base64, rot13, zlib, *_codec...: codecs, but not text encodings
    return info.name


def decode_html(body: bytes, content_type: str = "", url: str = "") -> str:
    """Decode with the charset the server declares, else the page's <meta>, else
    a BOM, else UTF-8. ISO-8859-1 is read as windows-1252, as browsers do. A
    declared charset that is not a text encoding is ignored (UTF-8 is used)."""
    charset = None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    if m:
        charset = m[1]
    if body.startswith(codecs.BOM_UTF8):
        charset, body = "utf-8", body[3:]
    if not charset:
        m2 = _META_CHARSET.search(body[:4096])
        if m2:
            charset = m2[1].decode("ascii", "replace")
    charset = (charset or "utf-8").strip().lower()
    if charset in _LATIN1_LABELS:
        return body.decode("cp1252", errors="latin1fallback")
    codec = text_codec(charset)
    if codec is None:
        charset = codec = "utf-8"
    label = clean(charset)[:40]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise FetchError(
            url,
            Message(
                "the page is not valid {charset} text (bad bytes at offset {offset})", charset=label, offset=exc.start
            ),
        ) from exc
    except (UnicodeError, LookupError, ValueError) as exc:
        raise FetchError(
            url,
            Message("the page cannot be decoded as {charset} ({error})", charset=label, error=clean(str(exc))[:100]),
        ) from exc


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # windows-1252 leaves five bytes undefined: take them as Latin-1 (C1 controls,
    # removed later by the sanitiser) instead of failing.
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1fallback", _latin1_fallback)


def charset_of(body: bytes, content_type: str = "") -> tuple[str, str]:
    """The codec `decode_html` reads `body` with, and where that choice came from ("header",
    "bom", "meta" or "default"): for `doctor`'s report. Same order as decode_html."""
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    charset, source = (m[1], "header") if m else (None, "default")
    if body.startswith(codecs.BOM_UTF8):
        charset, source = "utf-8", "bom"
    if not charset:
        m2 = _META_CHARSET.search(body[:4096])
        if m2:
            charset, source = m2[1].decode("ascii", "replace"), "meta"
    label = (charset or "utf-8").strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252", source
    codec = text_codec(label)
    return (codec, source) if codec else ("utf-8", "default")
