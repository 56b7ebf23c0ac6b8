"""Translations: msgids are the French texts; English comes from `.po` catalogs read with Babel.

Catalogs are split per feature module (`locales/en/LC_MESSAGES/<module>.po`) so that features evolve
independently; all files of a locale are merged. No compiled `.mo` is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).parent / "locales"
SUPPORTED = ("fr", "en")
DEFAULT = "fr"

Gettext = Callable[[str], str]


def normalize_locale(code: str | None, default: str = DEFAULT) -> str:
    """Map a channel language code ("en-GB", "fr_CA") to a supported locale."""
    if not code:
        return default
    short = code.replace("_", "-").split("-", 1)[0].lower()
    return short if short in SUPPORTED else default


def catalog(locale: str) -> dict[str, str]:
    """All translated messages of a locale (empty for French, the source language)."""
    return _catalogs(locale)[0]


def plural_catalog(locale: str) -> dict[str, tuple[str, ...]]:
    """Translated plural messages of a locale: singular msgid -> the locale's forms."""
    return _catalogs(locale)[1]


@functools.cache
def _catalogs(locale: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    if not folder.is_dir():
        return messages, plurals
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id or not message.string or message.fuzzy:
                    continue
                if isinstance(message.id, str):
                    messages[message.id] = str(message.string)
                elif all(message.string):
                    plurals[str(message.id[0])] = tuple(str(s) for s in message.string)
    return messages, plurals


class Translator:
    """Per-locale translation and formatting (French dates and numbers through Babel)."""

    def __init__(self, locale: str = DEFAULT) -> None:
        self.locale = normalize_locale(locale)
        self._messages = catalog(self.locale)
        self._plurals = plural_catalog(self.locale)
        self._babel_locale = Locale.parse(self.locale)

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for `n` ("1 action", "0 action" and "2 actions" in French; "0 actions" in
        English), by the locale's CLDR plural rule. Format `{n}` into the result yourself."""
        one = self._babel_locale.plural_form(abs(n)) == "one"
        forms = self._plurals.get(singular)
        if forms is not None:
            return forms[0] if one or len(forms) == 1 else forms[1]
        return singular if one else plural

    def percent(self, value: int) -> str:
        """34 -> "34 %" in French, "34%" in English."""
        return format_percent(value / 100, locale=self._babel_locale)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self._babel_locale)

    def date(self, value: date, fmt: str = "full") -> str:
        """ "lundi 7 décembre 2026" in French ("full"), or Babel's "long"/"medium"/"short"."""
        return format_date(value, format=fmt, locale=self._babel_locale)

    def datetime(self, value: datetime, fmt: str = "medium", tz: str | None = None) -> str:
        zone = ZoneInfo(tz) if tz else None
        return format_datetime(value, format=fmt, tzinfo=zone, locale=self._babel_locale)


class Speaker(Protocol):
    """Anyone we write to: a user record, a reminder recipient…"""

    @property
    def locale(self) -> str | None: ...  # an explicit /langue choice

    @property
    def language_code(self) -> str | None: ...  # what their channel says


def locale_of(person: Speaker, default: str) -> str:
    """The language to speak to `person`: their /langue choice, else their channel's, else `default`."""
    return person.locale or person.language_code or default


@functools.cache
def translator(locale: str | None) -> Translator:
    return Translator(normalize_locale(locale))


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message
