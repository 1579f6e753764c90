"""The one number resolver, for articles (`read N`) and events (`event N`): N is the item
numbered N in the last listing shown, a URL is looked up in it for its number. What the
listing is and how to fetch more of it is the caller's (`Numbering`)."""

from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

from lillenews.base.errors import NotCachedError, UsageError
from lillenews.base.text import lazy_pattern, shortened, too_many_digits

T = TypeVar("T")

_number = lazy_pattern(r"[+-]?\d+")


class Numbering(NamedTuple, Generic[T]):
    """One kind of listing's numbers."""

    listed: Callable[[], Sequence[T]]  # the last listing's items (cached), number 1 first
    more: Callable[
        [int, Sequence[T]], Sequence[T]
    ]  # online: (N, items) -> the items once item N is there, if it can be
    url: Callable[[T], str]
    none: str  # the error when there is no listing to number from (translated)
    beyond: str  # the error for a number out of range, with {number} and {count} (translated)


def resolve(
    target: str, numbering: Numbering[T], site_url: Callable[[str], str], *, offline: bool
) -> tuple[str, int | None, Sequence[T]]:
    """A number of the last listing, or a URL on the site -> (url, its number or None, the
    listing it was resolved against). Online, a number beyond the cached listing asks for more."""
    target = target.strip()
    items = numbering.listed()
    if not _number().fullmatch(target):
        url = site_url(target)
        return url, next((n for n, item in enumerate(items, 1) if numbering.url(item) == url), None), items
    if too_many_digits(target):  # beyond any listing: no walk to it (and int() fails past 4,300 digits)
        if not items and not offline:
            items = numbering.more(1, items)
        if not items:
            raise NotCachedError(numbering.none)
        raise UsageError(numbering.beyond.format(number=shortened(target), count=len(items)))
    number = int(target)
    if not offline and (not items or number > len(items)):
        items = numbering.more(number, items)
    if not items:
        raise NotCachedError(numbering.none)
    if not 1 <= number <= len(items):
        raise UsageError(numbering.beyond.format(number=number, count=len(items)))
    return numbering.url(items[number - 1]), number, items
