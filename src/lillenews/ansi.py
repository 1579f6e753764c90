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
    underline and reverse remain, as Rich does. A `link=URL` word makes the text an
    OSC 8 hyperlink (the caller decides where terminals show them)."""

    def paint(text: str, style: str) -> str:
        if not text or not style:
            return text
        words = style.split()
        codes = [CODES[w] for w in words if w in CODES and (color or w not in COLOURS)]
        out = f"\x1b[{';'.join(codes)}m{text}{RESET}" if codes else text
        link = next((w[5:] for w in words if w.startswith("link=")), "")
        return f"\x1b]8;;{link}\x1b\\{out}\x1b]8;;\x1b\\" if link else out

    return paint


Run = tuple[int, int, str]  # [start, end) of a text, and the style added there


def paint_lines(
    lines: Iterable[str],
    text: str,
    style: str,
    runs: Iterable[Run],
    paint: Paint,
    prefixes: tuple[str, str, str] = ("", "", ""),
) -> list[str]:
    """The wrapped `lines` of `text` in `style`, each run of `text` in `style` + its own.
    Wrapping keeps the text's characters in order, so each line is found in the text
    from where the previous one ended. `prefixes` = (first line's, other lines', their
    style): the indents the wrapping added (a lead's bar, a list's marker)."""
    runs = sorted(runs)
    first, indent, prefix_style = prefixes
    out: list[str] = []
    pos = 0
    for n, line in enumerate(lines):
        prefix = first if n == 0 else indent
        body = line[len(prefix) :] if prefix and line.startswith(prefix) else line
        head = paint(line[: len(line) - len(body)], prefix_style)
        at = text.find(body, pos) if body else -1
        if at < 0 or not runs:
            out.append(head + paint(body, style))
            continue
        end = at + len(body)
        pos, cur, pieces = end, at, [head]
        for start, stop, extra in runs:
            start, stop = max(start, cur), min(stop, end)
            if start < stop:
                pieces += [paint(text[cur:start], style), paint(text[start:stop], f"{style} {extra}".strip())]
                cur = stop
        pieces.append(paint(text[cur:end], style))
        out.append("".join(pieces))
    return out
