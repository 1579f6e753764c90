"""Colours for a terminal without Rich: SGR codes around text, for the listing, the
command a person runs most. Rich's table takes 13-18 ms to lay out 20 rows and its
import most of the rest of a warm `list`; the plain layout (plain.py) painted with
these codes shows the same columns at a fraction of the cost."""

from __future__ import annotations

from collections.abc import Callable, Iterable

Paint = Callable[[str, str], str]  # (text, style such as "bold cyan") -> text to print

CODES = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "underline": "4",
    "reverse": "7",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
COLOURS = frozenset({"red", "green", "yellow", "blue", "magenta", "cyan"})
RESET = "\x1b[0m"


def no_paint(text: str, style: str) -> str:
    return text


def sgr_painter(*, color: bool = True) -> Paint:
    """Paint with SGR codes; without `color` (NO_COLOR) only bold, dim, italic,
    underline and reverse remain, as Rich does."""

    def paint(text: str, style: str) -> str:
        if not text or not style:
            return text
        codes = [CODES[w] for w in style.split() if w in CODES and (color or w not in COLOURS)]
        return f"\x1b[{';'.join(codes)}m{text}{RESET}" if codes else text

    return paint


def paint_lines(
    lines: Iterable[str], text: str, style: str, spans: Iterable[tuple[int, int]], highlight: str, paint: Paint
) -> list[str]:
    """The wrapped `lines` of `text` in `style`, each [start, end) span of `text` in
    `style` + `highlight`. Wrapping keeps the text's characters in order, so each
    line is found in the text from where the previous one ended."""
    spans = sorted(spans)
    out: list[str] = []
    pos = 0
    for line in lines:
        at = text.find(line, pos) if line else -1
        if at < 0 or not spans:
            out.append(paint(line, style))
            continue
        end = at + len(line)
        pos, cur, pieces = end, at, []
        for start, stop in spans:
            start, stop = max(start, cur), min(stop, end)
            if start < stop:
                pieces += [paint(text[cur:start], style), paint(text[start:stop], f"{style} {highlight}")]
                cur = stop
        pieces.append(paint(text[cur:end], style))
        out.append("".join(pieces))
    return out
