"""Translations of the interface (stdlib gettext).

Interface contract used by every module: `_(msgid)` and `ngettext(singular, plural, n)`.
This first version returns the English text; the catalog and the language choice
(LANGUAGE, LC_ALL, LC_MESSAGES, LANG, or the `language` setting) come with the
translation work."""

from __future__ import annotations


def _(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural
