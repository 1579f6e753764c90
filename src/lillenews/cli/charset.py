"""Text for a stdout or stderr that cannot show every character (`LC_ALL=C`,
`PYTHONIOENCODING=latin-1`): what the stream's encoding lacks becomes an ASCII stand-in
(’ -> ', — -> -, ┃ -> |, é -> e) or `?`, instead of a UnicodeEncodeError ending the
command. Documents with an encoding of their own (the Atom
feed, the iCalendar file) never go through this: they are written as UTF-8 bytes."""

from __future__ import annotations

import codecs
from typing import TextIO

HANDLER = "lillenews-stand-in"

# What unicodedata's compatibility decomposition does not give (it gives é -> e, ﬁ -> fi).
_STAND_INS = {
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("“”„‟″", '"'),
    "«": "<<",
    "»": ">>",
    **dict.fromkeys("‐‑‒–—―−━─", "-"),
    **dict.fromkeys("┃│║", "|"),
    **dict.fromkeys("●•◦▪∙", "*"),
    "·": ".",
    "…": "...",
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "€": "EUR",
    "©": "(c)",
    "®": "(R)",
    "°": "o",
    "×": "x",
    "→": "->",
    "←": "<-",
}


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import unicodedata  # only once a character is missing

    out = []
    for char in error.object[error.start : error.end]:
        stand_in = _STAND_INS.get(char)
        if stand_in is None:
            stand_in = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii") or "?"
        out.append(stand_in)
    return "".join(out), error.end


def is_unicode(encoding: str) -> bool:
    """Whether `encoding` can encode any character (UTF-8, -16, -32, GB 18030)."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return True  # the usual case, without a codec lookup
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith("utf") or name == "gb18030"


def fit_stream(stream: TextIO) -> None:
    """From now on, characters `stream`'s encoding lacks are written as stand-ins (a stream
    without an encoding, such as a test's StringIO, or a UTF-8 one is left as it is)."""
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str) or is_unicode(encoding):
        return
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _stand_in)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=HANDLER)
