"""The quartiers of Lille as data: ten quartiers and the two associated communes, with the
ways the city's pages name them (README, "Mon quartier").

`QUARTIERS` is the one list: each quartier's name (as shown, and in JSON), the word the
full-text index stores for it, the variants matched whatever their case, and those
matched with a capital initial only (`Moulins`: "des moulins à eau" is no quartier).
Matching ignores accents and treats a hyphen as a space ("Lille Sud" is "Lille-Sud"), and
takes whole words only ("Fivesville" is not Fives). "Lille" alone names no quartier, and
"centre" only as `Lille-Centre`, `Lille Centre` or `centre-ville` ("centre de loisirs" is
not the Centre).

Stdlib only, but imported only where quartiers are asked for: a warm `list` never loads it."""

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from lillenews.base.errors import UsageError
from lillenews.base.i18n import _


class Quartier(NamedTuple):
    name: str  # as shown, and in JSON (never translated: a proper noun)
    key: str  # one ASCII word: what the full-text index stores for it
    variants: tuple[str, ...]  # matched whatever their case
    capitalised: tuple[str, ...] = ()  # matched with a capital initial only


QUARTIERS: tuple[Quartier, ...] = (
    Quartier("Bois-Blancs", "boisblancs", ("Bois-Blancs",)),
    Quartier("Centre", "centre", ("Lille-Centre", "centre-ville")),
    Quartier("Faubourg de Béthune", "faubourgdebethune", ("Faubourg de Béthune",)),
    Quartier("Fives", "fives", ("Fives",)),
    Quartier("Hellemmes", "hellemmes", ("Hellemmes",)),
    Quartier("Lomme", "lomme", ("Lomme",)),
    Quartier("Lille-Moulins", "lillemoulins", ("Lille-Moulins",), capitalised=("Moulins",)),
    Quartier("Lille-Sud", "lillesud", ("Lille-Sud",)),
    Quartier(
        "Saint-Maurice Pellevoisin",
        "saintmauricepellevoisin",
        ("Saint-Maurice Pellevoisin", "Saint-Maurice", "Pellevoisin"),
    ),
    Quartier("Vauban-Esquermes", "vaubanesquermes", ("Vauban-Esquermes", "Vauban", "Esquermes")),
    Quartier("Vieux-Lille", "vieuxlille", ("Vieux-Lille",)),
    Quartier("Wazemmes", "wazemmes", ("Wazemmes",)),
)
NAMES: tuple[str, ...] = tuple(q.name for q in QUARTIERS)
ALL = "all"  # `--quartier all`: no filter, whatever the setting says

_MARKS = re.compile("[\u0300-\u036f]")
_SEPARATOR = r"[\s\-\u2010\u2011]+"  # a space or a hyphen, one or more: "Lille-Sud" is "Lille Sud"
_NOT_ALNUM = re.compile(r"[\W_]+")


def _unaccented(text: str) -> str:
    """`text` without its accents, case kept (`Moulins` must stay told from `moulins`)."""
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFD", text))


def _pattern(variant: str) -> str:
    return _SEPARATOR.join(re.escape(word) for word in re.split(r"[\s\-]+", _unaccented(variant)))


def _matcher() -> re.Pattern[str]:
    """One regex for every variant, each in a group named after its quartier's index; the
    longest variants first, whole words only (no letter or digit on either side)."""
    choices: list[tuple[str, str]] = []
    for n, q in enumerate(QUARTIERS):
        choices += [(v, f"(?P<q{n}_{i}>{_pattern(v)})") for i, v in enumerate(q.variants)]
        # A capital initial, the rest in any case: "Moulins", "MOULINS", never "moulins".
        choices += [
            (v, f"(?P<q{n}_c{i}>(?-i:{re.escape(v[0])}){_pattern(v[1:])})") for i, v in enumerate(q.capitalised)
        ]
    choices.sort(key=lambda c: -len(c[0]))
    # Most positions start no variant: the lookahead on their first letters rejects them at once.
    initials = "".join(sorted({v[0].lower() for v, _ in choices} | {v[0].upper() for v, _ in choices}))
    alternatives = "|".join(c[1] for c in choices)
    return re.compile(rf"(?<!\w)(?=[{initials}])(?:{alternatives})(?!\w)", re.IGNORECASE)


_MATCHER = _matcher()


def _indexes_in(texts: Iterable[str | None]) -> set[int]:
    found: set[int] = set()
    for text in texts:
        if text:
            for match in _MATCHER.finditer(_unaccented(text)):
                found.add(int((match.lastgroup or "q0").split("_")[0][1:]))
    return found


def names_in(*texts: str | None) -> tuple[str, ...]:
    """The quartiers `texts` name, in the order of QUARTIERS (each once)."""
    return tuple(QUARTIERS[n].name for n in sorted(_indexes_in(texts)))


def keys_in(*texts: str | None) -> tuple[str, ...]:
    """The quartiers `texts` name as the full-text index stores them: their keys."""
    return tuple(QUARTIERS[n].key for n in sorted(_indexes_in(texts)))


def names_of_keys(keys: Iterable[str]) -> tuple[str, ...]:
    """The names of the index's keys (unknown ones ignored), in the order of QUARTIERS."""
    wanted = set(keys)
    return tuple(q.name for q in QUARTIERS if q.key in wanted)


def in_order(names: Iterable[str]) -> tuple[str, ...]:
    """Quartier names in the order of QUARTIERS, each once."""
    wanted = set(names)
    return tuple(name for name in NAMES if name in wanted)


def _typed(text: str) -> str:
    """What a user may type for a name: case, accents, spaces and hyphens ignored."""
    return _NOT_ALNUM.sub("", _unaccented(text).casefold())


def _spellings() -> dict[str, Quartier]:
    """Every name, key and variant, as typed -> its quartier (`moulins` too: case is ignored here)."""
    out: dict[str, Quartier] = {}
    for q in QUARTIERS:
        for spelling in (q.name, q.key, *q.variants, *q.capitalised):
            out.setdefault(_typed(spelling), q)
    return out


_TYPED = _spellings()


def resolve(name: str) -> Quartier:
    """The quartier `name` is (its name or any variant; case, accents, spaces and hyphens
    ignored). UsageError naming the nearest quartiers when there is none."""
    found = _TYPED.get(_typed(name))
    if found is not None:
        return found
    import difflib  # only for a name that is not known

    near = difflib.get_close_matches(_typed(name), list(_TYPED), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(_TYPED[key].name for key in near))[:3]
    if suggestions:
        raise UsageError(
            _("unknown quartier {name!r}; did you mean {names}? (the list: lillenews quartiers)").format(
                name=name, names=", ".join(suggestions)
            )
        )
    raise UsageError(
        _("unknown quartier {name!r}; the quartiers are: {names}").format(name=name, names=", ".join(NAMES))
    )


def is_all(name: str) -> bool:
    return _typed(name) == ALL
