"""Selector lookups over every item of a listing page at once.

A lexbor selector call costs about 1.7 µs whatever the size of the node it searches (the
selector is compiled at each call): asking ~19 selectors inside each of 80,000 tiny
agenda items took 3.4 s of CPU (11 s on a loaded machine). `Items` asks each selector
once over the page and hands each match to the items that hold it, so the selector calls
per page are bounded by the number of selectors, whatever the number of items.

A page is read up to MAX_ITEMS items, and a page without known markup up to MAX_LINKS
links: lille.fr lists 10 a page, and the work that follows each item (its fields, the
cache, the search index) must stay bounded on a page that claims 100,000.

The answers are those of the per-item calls: a lexbor search from a node finds the node
itself and its descendants, in document order, and a selector's combinators may match
ancestors above the node (`.actusMaster .evenement a`); so does a page-wide search, whose
matches are then kept for the items that contain them."""

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["MAX_ITEMS", "MAX_LINKS", "Items", "Match"]

MAX_ITEMS = 5_000  # items read on one listing page (lille.fr's hold 10)
MAX_LINKS = 2 * MAX_ITEMS  # links looked at on a listing page without known markup


class Match(NamedTuple):
    which: int  # which selector of the list matched (its position: a layer, a fallback)
    nodes: list[LexborNode]  # its matches in the item, in document order


class Items:
    """The item nodes of one page (the first MAX_ITEMS), and where each selector matches
    inside them."""

    def __init__(self, scope: LexborNode | LexborHTMLParser, nodes: Iterable[LexborNode]) -> None:
        self.nodes = list(islice(nodes, MAX_ITEMS))
        self._scope = scope
        self._slot = {node.mem_id: i for i, node in enumerate(self.nodes)}
        self._owners: dict[int, tuple[int, ...]] = {}  # node -> the items holding it
        self.queries = 0  # selector calls made: a work count the tests bound

    def __len__(self) -> int:
        return len(self.nodes)

    def first(self, selectors: Sequence[str]) -> list[LexborNode | None]:
        """Per item, `common.first(item, selectors)`: the first match of the first selector
        that matches in it."""
        return [m.nodes[0] if m is not None else None for m in self.match(selectors)]

    def match(self, selectors: Sequence[str], *, every: bool = False) -> list[Match | None]:
        """Per item, the first selector that matches in it and its first match (with
        `every`, all its matches in the item); None where none matches."""
        out: list[Match | None] = [None] * len(self.nodes)
        left = len(self.nodes)
        for which, selector in enumerate(selectors):
            if not left:
                break
            self.queries += 1
            for node in self._scope.css(selector):
                for slot in self._holders(node):
                    found = out[slot]
                    if found is None:
                        out[slot] = Match(which, [node])
                        left -= 1
                    elif every and found.which == which:
                        found.nodes.append(node)
        return out

    def _holders(self, node: LexborNode) -> tuple[int, ...]:
        """The items that are `node` or hold it: one walk up, remembered for every node on
        the way, so the walks of a whole page cost one visit per node."""
        path: list[int] = []
        current: LexborNode | None = node
        above: tuple[int, ...] = ()
        while current is not None:
            key = current.mem_id
            known = self._owners.get(key)
            if known is not None:
                above = known
                break
            path.append(key)
            current = current.parent
        for key in reversed(path):
            slot = self._slot.get(key)
            if slot is not None:
                above = (*above, slot)
            self._owners[key] = above
        return above
