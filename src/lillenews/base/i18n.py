"""Translations of the interface: stdlib gettext with the catalog shipped in the package.

Every string a person reads goes through `_(msgid)` or `ngettext(singular, plural, n)`;
msgids are the English text, with `{name}` placeholders filled by `.format()` after
translation. The `Error:` / `Warning:` prefixes are never part of a msgid: scripts grep them.

The language is `fr` or `en`: the `language` setting when given (`set_language`), else
the environment read the way gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: the
first non-empty one, a colon list for LANGUAGE). Never through `setlocale`: a machine
without a French locale installed must still speak French to a French user.

Import is cheap: nothing is read until the first French string is asked for."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from gettext import NullTranslations

DOMAIN = "lillenews"
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# the catalog sits at the top of the package, beside the layer folders
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")

_setting: str | None = None  # the `language` setting, when one was given
_language: str | None = None  # the language in use, resolved on first need
_catalog: NullTranslations | None = None  # loaded on the first lookup


def _code(value: str) -> str:
    """'fr_BE.UTF-8@euro' -> 'fr'; 'C.UTF-8' -> 'c'."""
    return value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].strip().lower()


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language gettext would pick from the environment, among the ones we have.

    As `gettext.find`: the first non-empty variable wins, and its value is a
    colon-separated list of preferences walked in order; `C`/`POSIX` ends the walk
    (English), a language we have no catalog for is skipped."""
    env = os.environ if environ is None else environ
    for var in ENV_VARS:
        value = env.get(var)
        if value:
            for entry in value.split(":"):
                code = _code(entry)
                if code in ("c", "posix"):
                    return DEFAULT_LANGUAGE
                if code in LANGUAGES:
                    return code
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def parse_language(value: str) -> str:
    """Validate a `language` setting: 'fr' or 'en' (case and spaces ignored)."""
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(_("expected fr or en"))
    return code


def set_language(lang: str | None) -> None:
    """Use `lang` ('fr' or 'en'), or follow the environment again with None.

    Called by the CLI as soon as the setting is known; resets the loaded catalog."""
    global _setting, _language, _catalog
    setting = None if lang is None else parse_language(lang)
    if setting is not None and setting == _setting:
        return  # already in use: keep the loaded catalog
    _setting = setting
    _language = None
    _catalog = None


def language() -> str:
    """The language of the interface: 'fr' or 'en'."""
    global _language
    if _language is None:
        _language = _setting or language_from_env()
    return _language


def catalog_path(lang: str) -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".mo")


def _load(lang: str) -> NullTranslations:
    import gettext  # already imported by typer; kept local so importing this module reads nothing

    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    try:
        with open(catalog_path(lang), "rb") as mo:
            return gettext.GNUTranslations(mo)
    except (OSError, ValueError):  # a damaged install speaks English rather than failing
        return gettext.NullTranslations()


def translations() -> NullTranslations:
    """The catalog of the current language, loaded once."""
    global _catalog
    if _catalog is None:
        _catalog = _load(language())
    return _catalog


_french: NullTranslations | None = None  # the French catalog, for documents (see in_french)


def in_french(message: str) -> str:
    """`message` in French whatever the interface language: the words lillenews adds to
    the documents it writes (Markdown, Atom, iCalendar), which hold French content."""
    global _french
    if _french is None:
        _french = _load("fr")
    return _french.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now (translate it with `_` when shown)."""
    return message


def _(message: str) -> str:
    """`message` (English, the msgid) in the interface language."""
    if (_catalog is None and language() == DEFAULT_LANGUAGE) or not message:
        return message  # English: no catalog to load, and gettext("") would be the header
    return translations().gettext(message)


class Message(str):
    """A message translated when it is shown, not when it is made.

    As a `str` it is its English text (what `==`, `in`, regular expressions and JSON
    see: scripts and JSON never change with the language); `str(m)` and `f"{m}"` give
    it in the interface language. Values may be Messages themselves (a cause inside a
    sentence)."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Message:
        english_values = {k: v.english() if isinstance(v, Message) else v for k, v in values.items()}
        text = msgid.format(**english_values) if values else msgid
        self = super().__new__(cls, text)
        self.msgid = msgid
        self.values = values
        return self

    def __str__(self) -> str:
        values = {k: str(v) if isinstance(v, Message) else v for k, v in self.values.items()}
        return _(self.msgid).format(**values)  # i18n: marked by the Message() call that made it

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def english(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.values!r})"


def english(text: str) -> str:
    """The English form of a message (a plain string is returned as it is)."""
    return text.english() if isinstance(text, Message) else text


def number(value: float, decimals: int | None = None) -> str:
    """`value` as the interface language writes a number: `14,305` and `0.01` in English,
    `14 305` and `0,01` in French (a space between thousands, a decimal comma; the space
    is a plain one, bound to its digits when a line is wrapped: typography.bind).
    `decimals` digits after the point; by default as many as it has (up to six).
    Two languages, two rules: written here rather than taken from Babel, whose locale
    data would weigh more than all of lillenews and its start-up more than a command."""
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
    if language() == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def clauses(parts: Iterable[str]) -> str:
    """Parts of a sentence apart by semicolons: `a; b` in English, `a ; b` in French."""
    return (" ; " if language() == "fr" else "; ").join(parts)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, by the rules of the interface language."""
    if _catalog is None and language() == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return translations().ngettext(singular, plural, n)
