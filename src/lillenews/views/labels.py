"""The words every view adds around site text (labels), decided once for the news and the
events, for the screen and for documents. Stdlib only: on the start-up path of every command."""

from typing import NamedTuple

from lillenews.base.i18n import N_, _, in_french
from lillenews.base.text import fold


class Labels(NamedTuple):
    """Every word the renderers add around site text, in one place, for the news and the
    events alike. `labels()` gives them in the interface language (the screen: Rich, plain
    text, the reader), `document_labels()` in French whatever the interface language
    (Markdown, Atom and iCalendar hold French content). The site's own words (« Lire aussi »,
    « Crédit : X ») are the same in every language. JSON keys never change."""

    number: str = "#"
    date: str = N_("Date")
    dates: str = N_("Dates")
    category: str = N_("Category")
    title: str = N_("Title")
    place: str = N_("Place")
    phone: str = N_("Phone")
    hours: str = N_("Hours")
    links: str = N_("Links")
    image: str = N_("Image")
    no_description: str = N_("(no description)")
    embedded: str = N_("Embedded")
    listing_summary: str = N_("Summary from the listing")  # a truncated listing summary, never shown as the lead
    ongoing: str = N_("ongoing")
    until: str = N_("until {day}")
    colon: str = N_("{label}: ")  # "Catégorie : " in French
    source: str = "Source"
    related: str = "Lire aussi"  # the site's own words
    credit: str = "Crédit : {who}"  # the site's own words: lillenews took the credit out of its caption
    no_date: str = "—"  # a missing date in a listing row

    def labelled(self, label: str) -> str:
        """'Image: ' before what it labels ('Image : ' in French)."""
        return self.colon.format(label=label)


LABELS = Labels()
_TRANSLATED_LABELS = (
    "date", "dates", "category", "title", "place", "phone", "hours", "links", "image", "no_description", "embedded",
    "listing_summary", "ongoing", "until", "colon",
)  # fmt: skip


def labels() -> Labels:
    """The labels of the screen (Rich, plain text, the reader) in the interface language."""
    return LABELS._replace(**{name: _(getattr(LABELS, name)) for name in _TRANSLATED_LABELS})  # i18n: marked in Labels


def document_labels() -> Labels:
    """The labels of the documents lillenews writes (Markdown, Atom, iCalendar): French."""
    return LABELS._replace(**{name: in_french(getattr(LABELS, name)) for name in _TRANSLATED_LABELS})


def labelled(label: str) -> str:
    """'Image: ' before what it labels, on the screen ('Image : ' in French)."""
    return labels().labelled(label)


# Words that already say a picture is one: after them, the label « Image : » would double it.
_PICTURE_WORDS = ("illustration", "image", "photo", "visuel", "picture", "dessin", "affiche", "logo")


def figure_parts(alt: str | None, lab: Labels) -> tuple[str, str]:
    """What a picture is, as every view says it: (« Image : », its description), without the
    label when the description says what it is already (« Illustration : … », « Photo de … »)."""
    if alt and fold(alt).startswith(_PICTURE_WORDS):
        return "", alt
    return lab.labelled(lab.image), alt or lab.no_description
