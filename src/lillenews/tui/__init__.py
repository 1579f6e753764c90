"""`lillenews browse`: the interactive reader (Textual).

Textual is imported only by this package, and this package only by the `browse`
command (see cli/browse.py), so the other commands start as fast as before.
`tui/source.py` is the seam to the rest of lillenews (no Textual in it); `tui/app.py` and
`tui/screens.py` are the interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lillenews.base.config import Settings


def run(
    settings: Settings, *, unread_only: bool = False, offline: bool = False, quartiers: frozenset[str] = frozenset()
) -> int:
    """Open the reader on the cached news (of `quartiers` only, when given); return the exit
    code when it is closed."""
    from lillenews.base.startup import uncollected_imports
    from lillenews.tui.source import Source

    source = Source(settings, quartiers=quartiers)
    rows = source.headlines()  # read before Textual is imported: the first frame shows them
    with uncollected_imports("lillenews.tui.app"):  # Textual: ~100 ms of imports
        from lillenews.tui.app import BrowseApp

    app = BrowseApp(source, rows=rows, unread_only=unread_only, offline=offline)
    try:
        app.run()
    finally:
        source.close()
    return int(app.return_code or 0)
