"""Search-result snippets: one line, no blank lines, cut at word boundaries
around the first match; when only the title matches, the lead (or the first sentence)
instead of the title again. Pure functions over plain text."""

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from lillenews.base.text import lazy_pattern

Spans = list[tuple[int, int]]


class Finder(Protocol):
    """What a snippet needs of a query (query.Matcher): a cheap test, exact spans."""

    def test(self, text: str) -> bool: ...

    def locate(self, text: str) -> int | None: ...

    def spans(self, text: str) -> Spans: ...


WIDTH = 160
_sentence_end = lazy_pattern(r"(?<=[.!?…])\s+(?=\S)")


class Snippet(NamedTuple):
    text: str
    spans: Spans  # matches within `text`, for highlighting


def one_line(text: str | None) -> str:
    """All whitespace (newlines, blank lines, tabs, no-break spaces) as single spaces."""
    return " ".join((text or "").split())


def make_snippet(texts: Sequence[str | None], find: Finder, width: int = WIDTH) -> Snippet:
    """The first sentence of `texts` (in order: lead, summary, body...) holding a match,
    cut to `width` around the match at word boundaries; without any match, the start of
    the first non-empty text."""
    for text in texts:
        at = find.locate(text) if text else None
        if at is None or not text:
            continue
        # The sentence around the first match (one cheap pass over the text), exact spans
        # (a character-by-character map) for that sentence only.
        sentence = one_line(_sentence_at(text, at))
        spans = find.spans(sentence)
        if spans:
            return _window(sentence, spans, width)
        line = one_line(text)
        for sentence in _sentence_end().split(line):  # folding moved the match: look again
            if find.test(sentence):
                return _window(sentence, find.spans(sentence), width)
        return _window(line, find.spans(line), width)  # a match across two sentences
    for text in texts:
        line = one_line(text)
        if line:
            return _window(line, [], width)
    return Snippet("", [])


_ENDS = (". ", "! ", "? ", "… ", "\n")  # a line break ends a paragraph, a list item, a table row


def _sentence_at(line: str, at: int) -> str:
    start = max((i + len(end) for end in _ENDS if (i := line.rfind(end, 0, at + 1)) >= 0), default=0)
    ends = [i + 1 for end in _ENDS if (i := line.find(end, at)) >= 0]
    return line[start : min(ends, default=len(line))]


def _window(text: str, spans: Spans, width: int) -> Snippet:
    if len(text) <= width:
        return Snippet(text, spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start > 0:  # begin at a word start
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = min(len(text), start + width)
    if end < len(text):  # end at a word end (a single word longer than width is cut)
        space = text.rfind(" ", start + 1, end + 1)
        if space > first:
            end = space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    body = text[start:end].rstrip()
    kept = [(s + shift, min(e, start + len(body)) + shift) for s, e in spans if s >= start and s < start + len(body)]
    return Snippet(prefix + body + suffix, kept)
