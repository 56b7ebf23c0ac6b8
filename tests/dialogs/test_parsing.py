"""What people type: answers, SIRET, départements, populations, choices."""

from __future__ import annotations

import pytest

from dialogs.events import EventKind, event_from_text, parse_command
from dialogs.parsing import (
    KINDS,
    CollectiviteKind,
    fold,
    parse_choice,
    parse_departement,
    parse_population,
    parse_siret,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oui", "oui"),
        ("OUI", "oui"),
        ("o", "oui"),
        ("Yes", "oui"),
        ("y", "oui"),
        (" Oui ! ", "oui"),
        ("non", "non"),
        ("N", "non"),
        ("no", "non"),
        ("Non.", "non"),
        ("je ne sais pas", "nsp"),
        ("Je ne sais pas", "nsp"),
        ("nsp", "nsp"),
        ("JSP", "nsp"),
        ("?", "nsp"),
        ("peut-être", None),
        ("", None),
        ("ouiouioui", None),
    ],
)
def test_yes_no(typed: str, expected: str | None) -> None:
    assert parse_yes_no(typed) == expected


def test_fold_removes_accents_and_controls() -> None:
    assert fold("  Éco\x00-CLIC\tÀ  ") == "eco-clic a"
    assert len(fold("x" * 100_000)) <= 4000


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21310555400017", "21310555400017"),
        ("213 105 554 00017", "21310555400017"),
        ("213.105.554.00017", "21310555400017"),
        ("21310555400018", None),  # wrong check digit
        ("2131055540001", None),
        ("abcdefghijklmn", None),
        ("", None),
        ("٢١٣١٠٥٥٥٤٠٠٠١٧", None),  # Arabic-Indic digits: \d and int() accept them, we do not
    ],
)
def test_siret(typed: str, expected: str | None) -> None:
    assert parse_siret(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "01"),
        ("01", "01"),
        ("60", "60"),
        ("95", "95"),
        ("2a", "2A"),
        ("2B", "2B"),
        ("974", "974"),
        ("976", "976"),
        ("20", None),
        ("96", None),
        ("977", None),
        ("00", None),
        ("x", None),
        ("٦٠", None),
        ("６０", "60"),  # full-width digits fold (NFKD) to ASCII
    ],
)
def test_departement(typed: str, expected: str | None) -> None:
    assert parse_departement(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1250", 1250),
        ("12 500", 12500),
        ("12.500", 12500),
        ("12\u202f500", 12500),
        ("0", None),
        ("-5", None),
        ("beaucoup", None),
        ("1e6", None),
        ("999999999999", None),
        ("١٢٥٠", None),
        ("²", None),
    ],
)
def test_population(typed: str, expected: int | None) -> None:
    assert parse_population(typed) == expected


def test_choice() -> None:
    options = [("aucun", "Aucune"), ("moins20", "Moins de 20 %"), ("plus20", "20 % ou plus")]
    assert parse_choice("2", options) == "moins20"
    assert parse_choice("moins de 20 %", options) == "moins20"
    assert parse_choice("4", options) is None
    assert parse_choice("bof", options) is None
    assert parse_choice("٢", options) is None  # only ASCII numbers (no isdigit(), no \d)
    assert parse_choice("0", options) is None
    assert parse_choice("9" * 40, options) is None


def test_kinds_are_offered_in_order() -> None:
    assert [k.value for k in KINDS] == [
        "commune",
        "epci",
        "departement",
        "region",
        "syndicat_autre",
    ]
    assert all(isinstance(k, CollectiviteKind) for k in KINDS)


def test_commands() -> None:
    assert parse_command("/Score@ecoclic_bot now") == ("score", "now")
    assert parse_command("/") is None
    assert parse_command("bonjour") is None
    assert event_from_text("/start inv_abc").kind is EventKind.START
    assert event_from_text("/start inv_abc").text == "inv_abc"
    assert event_from_text("/plan").command == "plan"
