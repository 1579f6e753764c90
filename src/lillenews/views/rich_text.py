"""A Rich `Text` that never breaks a line at a no-break space, and prints plain spaces;
and `LongWords`, which says what becomes of a word longer than the line (a URL).

Rich splits words on every Unicode space, no-break ones included. This `Text` wraps and
measures a copy where each no-break space is a placeholder letter of the same width, then
puts plain spaces in their place: only Rich's public `Text` API is used. Print it inside a
container (Group, Table, Padding...): `Console.print` merges bare `Text` objects into one
plain `Text`. Imported only by the Rich renderer (Rich is most of a warm start-up).

Rich folds a word longer than the line into pieces, which cannot be clicked or copied. Under
`LongWords(renderable, "ignore")` a `BoundText` breaks at spaces only and keeps such a word
whole on a line of its own (print it with `crop=False`: the terminal soft-wraps it, and a
soft wrap copies whole); under `LongWords(renderable, "ellipsis")` (the reader, which draws
its own cells) the word is cut once, with an ellipsis."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.containers import Lines
from rich.text import Text

from lillenews.base.typography import NO_BREAK_SPACES

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, ConsoleOptions, OverflowMethod, RenderableType, RenderResult
    from rich.measure import Measurement

_HOLD = "\ue000"  # a private-use character: one cell wide, and not a space to Rich
_TO_HOLD = str.maketrans(dict.fromkeys(NO_BREAK_SPACES, _HOLD))
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as Rich divides lines


class BoundText(Text):
    def _held(self) -> Text | None:
        """A plain `Text` copy with each no-break space held by a letter, or None without any."""
        plain = self.plain
        if not any(space in plain for space in NO_BREAK_SPACES):
            return None
        held = self.copy()
        held.plain = plain.translate(_TO_HOLD)
        return held

    def wrap(self, console: Console, width: int, **kwargs: Any) -> Lines:
        held = self._held()
        if kwargs.get("overflow", self.overflow) == "ignore" and not kwargs.get("no_wrap"):
            lines = _keep_long_words(self if held is None else held, width)
        elif held is None:
            return super().wrap(console, width, **kwargs)
        else:
            lines = held.wrap(console, width, **kwargs)
        if held is not None:
            for line in lines:
                line.plain = line.plain.replace(_HOLD, " ")
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        held = self._held()
        if held is None:
            return super().__rich_measure__(console, options)
        return held.__rich_measure__(console, options)


def _keep_long_words(text: Text, width: int) -> Lines:
    """`text` broken at spaces only: a word longer than `width` stays whole on a line of its own."""
    lines = Lines()
    for line in text.split(allow_blank=True):
        offsets, column = [], 0
        for word in _WORD.finditer(line.plain):
            if column and column + cell_len(word.group().rstrip()) > width:
                offsets.append(word.start())
                column = 0
            column += cell_len(word.group())
        for part in line.divide(offsets):
            part.rstrip_end(width)
            lines.append(part)
    return lines


class LongWords:
    """`renderable` drawn with `overflow` for its words longer than a line (see the module)."""

    def __init__(self, renderable: RenderableType, overflow: OverflowMethod) -> None:
        self.renderable, self.overflow = renderable, overflow

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from console.render(self.renderable, options.update(overflow=self.overflow))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options.update(overflow=self.overflow), self.renderable)
