"""The English catalog covers every interface string; French dates and numbers come from Babel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir

from dialogs.i18n import Translator, catalog, normalize_locale, plural_catalog

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
PACKAGES = ("dialogs", "bot", "ecoclic", "web_summary")


def interface_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in PACKAGES:
        folder = ROOT / package
        if not folder.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, tuple):  # ngettext: (singular, plural)
                message = message[0]
            if isinstance(message, str) and message:
                found[message] = f"{package}/{filename}:{lineno}"
    return found


def test_every_interface_string_has_an_english_translation() -> None:
    english = catalog("en").keys() | plural_catalog("en").keys()
    missing = {msg: where for msg, where in interface_strings().items() if msg not in english}
    assert not missing, "missing English translations:\n" + "\n".join(
        f"{where}: {msg!r}" for msg, where in sorted(missing.items(), key=lambda kv: kv[1])
    )


def test_placeholders_survive_translation() -> None:
    import re

    english = catalog("en")
    for msgid, msgstr in english.items():
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", msgstr)), msgid


def test_french_formats() -> None:
    fr = Translator("fr")
    assert fr.date(date(2026, 12, 7)) == "lundi 7 décembre 2026"
    assert fr.percent(34).replace("\u202f", " ").replace("\xa0", " ") == "34 %"
    assert Translator("en").percent(34) == "34%"


def test_locale_normalisation() -> None:
    assert normalize_locale("en-GB") == "en"
    assert normalize_locale("fr_CA") == "fr"
    assert normalize_locale("de") == "fr"
    assert normalize_locale(None) == "fr"
