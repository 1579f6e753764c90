"""The quartier vocabulary (site/quartiers.py): every variant of the twelve names found in
text whatever its accents, hyphens and case (`Moulins` capitalised only), whole words only,
and the false friends left alone; names typed by a user resolved, unknown ones refused with
the nearest names."""

from __future__ import annotations

import pytest

from lillenews.base.errors import UsageError
from lillenews.site.quartiers import NAMES, QUARTIERS, is_all, keys_in, names_in, names_of_keys, resolve

# (text, the quartiers it names): every variant, in the forms the city writes them.
NAMED = [
    ("Les Bois-Blancs en fête", ("Bois-Blancs",)),
    ("une passerelle aux Bois Blancs", ("Bois-Blancs",)),
    ("la mairie de Lille-Centre", ("Centre",)),
    ("à Lille Centre ce week-end", ("Centre",)),
    ("le centre-ville piétonnisé", ("Centre",)),
    ("LE CENTRE VILLE", ("Centre",)),
    ("le Faubourg de Béthune", ("Faubourg de Béthune",)),
    ("faubourg-de-bethune", ("Faubourg de Béthune",)),
    ("Fives", ("Fives",)),
    ("les anciennes usines Fives-Cail", ("Fives",)),
    ("FIVES : la fête", ("Fives",)),
    ("Hellemmes-Lille", ("Hellemmes",)),
    ("la mairie de Lomme.", ("Lomme",)),
    ("Fête de quartier à Moulins", ("Lille-Moulins",)),
    ("MOULINS : le marché", ("Lille-Moulins",)),
    ("Lille-Moulins", ("Lille-Moulins",)),
    ("lille moulins", ("Lille-Moulins",)),
    ("Lille-Sud", ("Lille-Sud",)),
    ("à Lille sud", ("Lille-Sud",)),
    ("Lille\u00a0Sud", ("Lille-Sud",)),  # a no-break space
    ("Lille\u2011Sud", ("Lille-Sud",)),  # a non-breaking hyphen
    ("Saint-Maurice Pellevoisin", ("Saint-Maurice Pellevoisin",)),
    ("saint maurice", ("Saint-Maurice Pellevoisin",)),
    ("à Pellevoisin", ("Saint-Maurice Pellevoisin",)),
    ("Vauban-Esquermes", ("Vauban-Esquermes",)),
    ("le Jardin Vauban", ("Vauban-Esquermes",)),
    ("l'église d'Esquermes", ("Vauban-Esquermes",)),
    ("Vieux-Lille", ("Vieux-Lille",)),
    ("dans le vieux lille", ("Vieux-Lille",)),
    ("Wazemmes", ("Wazemmes",)),
    ("Maison Folie Wazemmes, 70 rue des Sarrazins", ("Wazemmes",)),
    ("De Wazemmes à Fives en passant par Moulins", ("Fives", "Lille-Moulins", "Wazemmes")),
]
FALSE_FRIENDS = [
    "le centre de loisirs ouvre",
    "un centre social",
    "des moulins à eau",
    "Canaux, moulins et lavoirs",
    "la Ville de Lille",
    "Lille",
    "Fivesville",
    "les Wazemmois",
    "Lillesud",
    "Vaubanesque",
    "Lommelet",
]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_every_variant_is_found(text, names):
    assert names_in(text) == names


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_false_friends_name_no_quartier(text):
    assert names_in(text) == ()


def test_every_variant_of_the_data_is_found_in_each_of_its_forms():
    """The list itself: each variant, hyphens as spaces, accents dropped, upper case (but
    a capitalised-only variant in lower case is no quartier)."""
    import unicodedata

    def plain(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))

    for q in QUARTIERS:
        for variant in q.variants:
            for form in (variant, variant.replace("-", " "), plain(variant), variant.upper(), variant.lower()):
                assert names_in(f"« {form} »") == (q.name,), form
        for variant in q.capitalised:
            assert names_in(f"à {variant} ce soir") == (q.name,)
            assert names_in(f"à {variant.upper()}") == (q.name,)
            assert names_in(f"des {variant.lower()}") == ()


def test_several_texts_and_the_order_of_the_list():
    assert names_in("Wazemmes", None, "", "Bois-Blancs et Wazemmes") == ("Bois-Blancs", "Wazemmes")
    assert names_in() == ()


def test_the_index_keys_give_the_names_back():
    keys = keys_in("Fête à Moulins", "Lille Sud et Saint-Maurice")
    assert keys == ("lillemoulins", "lillesud", "saintmauricepellevoisin")
    assert names_of_keys(keys) == ("Lille-Moulins", "Lille-Sud", "Saint-Maurice Pellevoisin")
    assert names_of_keys(["unknown", "fives"]) == ("Fives",)
    assert all(q.key.isascii() and q.key.isalpha() and q.key.islower() for q in QUARTIERS)


def test_twelve_names():
    assert len(NAMES) == 12 == len({q.key for q in QUARTIERS})


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Fives", "Fives"),
        ("fives", "Fives"),
        ("moulins", "Lille-Moulins"),  # a name is typed in any case
        ("Lille Moulins", "Lille-Moulins"),
        ("centre-ville", "Centre"),
        ("Lille Centre", "Centre"),
        ("centre", "Centre"),
        ("faubourg de bethune", "Faubourg de Béthune"),
        ("Saint-Maurice-Pellevoisin", "Saint-Maurice Pellevoisin"),
        ("pellevoisin", "Saint-Maurice Pellevoisin"),
        ("Esquermes", "Vauban-Esquermes"),
        ("vieux lille", "Vieux-Lille"),
        ("vieuxlille", "Vieux-Lille"),
    ],
)
def test_a_typed_name_resolves_to_its_quartier(typed, name):
    assert resolve(typed).name == name


@pytest.mark.parametrize(
    ("typed", "suggested"), [("Fivs", "Fives"), ("Wazemes", "Wazemmes"), ("Mouins", "Lille-Moulins")]
)
def test_an_unknown_name_suggests_the_nearest(typed, suggested):
    with pytest.raises(UsageError) as raised:
        resolve(typed)
    message = str(raised.value)
    assert f"unknown quartier {typed!r}" in message and f"did you mean {suggested}" in message


def test_a_name_far_from_every_quartier_lists_them_all():
    with pytest.raises(UsageError) as raised:
        resolve("Roubaix")
    assert ", ".join(NAMES) in str(raised.value)
    with pytest.raises(UsageError):
        resolve("")


def test_all_means_every_quartier():
    assert is_all("all") and is_all(" ALL ") and not is_all("Fives")
