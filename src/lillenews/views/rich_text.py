"""A Rich `Text` that never breaks a line at a no-break space, and prints plain spaces.

Rich splits words on every Unicode space, no-break ones included. This `Text` wraps and
measures a copy where each no-break space is a placeholder letter of the same width, then
puts plain spaces in their place: only Rich's public `Text` API is used. Print it inside a
container (Group, Table, Padding...): `Console.print` merges bare `Text` objects into one
plain `Text`. Imported only by the Rich renderer (Rich is most of a warm start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.containers import Lines
from rich.text import Text

from lillenews.base.typography import NO_BREAK_SPACES

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, ConsoleOptions
    from rich.measure import Measurement

_HOLD = "\ue000"  # a private-use character: one cell wide, and not a space to Rich
_TO_HOLD = str.maketrans(dict.fromkeys(NO_BREAK_SPACES, _HOLD))


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
        if held is None:
            return super().wrap(console, width, **kwargs)
        lines = held.wrap(console, width, **kwargs)
        for line in lines:
            line.plain = line.plain.replace(_HOLD, " ")
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        held = self._held()
        if held is None:
            return super().__rich_measure__(console, options)
        return held.__rich_measure__(console, options)
