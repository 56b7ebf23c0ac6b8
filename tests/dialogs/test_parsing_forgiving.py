"""Forgiving French input (issue 17): populations, dates, SIRET, typed words; with properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret

from dialogs.parsing import (
    MAX_POPULATION,
    Intent,
    PopulationProblem,
    SiretProblem,
    day_off,
    departement_of_siret,
    is_public_siren,
    parse_date,
    parse_intent,
    read_population,
    read_siret,
)

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("typed", "locale", "expected"),
    [
        ("1200 habitants", "fr", 1200),
        ("12 000 hab", "fr", 12000),
        ("12 000 hab.", "fr", 12000),
        ("1,2 k", "fr", 1200),
        ("1.2k", "fr", 1200),
        ("environ 3 000 habitants", "fr", 3000),
        ("1,5 million", "fr", 1_500_000),
        ("504,078", "en", 504078),
        ("12.500", "fr", 12500),
        ("0", "fr", PopulationProblem.ZERO),
        ("0 habitant", "fr", PopulationProblem.ZERO),
        ("-5", "fr", PopulationProblem.NEGATIVE),
        ("80 millions", "fr", PopulationProblem.TOO_BIG),
        ("70000001", "fr", PopulationProblem.TOO_BIG),
        ("12,5", "fr", PopulationProblem.UNREADABLE),
        ("beaucoup", "fr", PopulationProblem.UNREADABLE),
        ("²", "fr", PopulationProblem.UNREADABLE),
    ],
)
def test_population_readings(typed: str, locale: str, expected: object) -> None:
    assert read_population(typed, locale) == expected


@given(st.integers(min_value=1, max_value=MAX_POPULATION), st.sampled_from(["fr", "en"]))
def test_population_round_trips_through_french_and_english_spellings(n: int, locale: str) -> None:
    french = f"{n:,}".replace(",", "\u202f")
    english = f"{n:,}"
    assert read_population(f"{french} habitants", "fr") == n
    assert read_population(english, locale) == n
    assert read_population(str(n), locale) == n


@given(st.text(max_size=30))
def test_population_never_crashes(text: str) -> None:
    found = read_population(text)
    assert isinstance(found, PopulationProblem) or 1 <= found <= MAX_POPULATION


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/3/27", date(2027, 3, 15)),
        ("15 mars 2027", date(2027, 3, 15)),
        ("2027-03-15", date(2027, 3, 15)),
        ("fin juin", date(2027, 6, 30)),
        ("1er mars", date(2027, 3, 1)),
        ("fin février 2028", date(2028, 2, 29)),
        ("2 décembre", TODAY),
        ("15.03.2027", date(2027, 3, 15)),
    ],
)
def test_dates(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == (expected, "")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31/02/2027", "impossible"),
        ("1/1/2020", "past"),
        ("1/1/2040", "far"),
        ("bientôt", "format"),
    ],
)
def test_date_errors(typed: str, error: str) -> None:
    assert parse_date(typed, TODAY) == (None, error)


@given(st.dates(min_value=TODAY, max_value=TODAY + timedelta(days=366 * 5)))
def test_dates_round_trip_in_every_spelling(day: date) -> None:
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    name = months.split()[day.month - 1]
    for typed in (
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}",
        day.isoformat(),
        f"{day.day} {name} {day.year}",
    ):
        assert parse_date(typed, TODAY) == (day, ""), typed


@given(st.text(max_size=40))
def test_dates_never_crash(text: str) -> None:
    value, error = parse_date(text, TODAY)
    assert (value is None) == bool(error)


def test_day_off_names_french_holidays_and_weekends() -> None:
    assert day_off(date(2027, 7, 14)) == "Fête nationale"
    assert day_off(date(2027, 3, 13)) == "weekend"
    assert day_off(date(2027, 3, 15)) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SIRET 213 105 554 00017", "21310555400017"),
        ("Siret : 213.105.554.00017", "21310555400017"),
        ("n° SIRET 21310555400017", "21310555400017"),
        ("213 105 554", SiretProblem.MISSING_NIC),
        ("21310555400018", SiretProblem.CHECKSUM),
        ("bonjour", SiretProblem.UNREADABLE),
    ],
)
def test_siret_readings(typed: str, expected: object) -> None:
    assert read_siret(typed) == expected


@given(st.from_regex(r"[12][0-9]{7}", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True))
def test_a_valid_siret_reads_back_with_spaces_and_the_word(head: str, nic: str) -> None:
    siren = head + luhn.calc_check_digit(head)
    siret = siren + nic + luhn.calc_check_digit(siren + nic)
    assume(stdnum_siret.is_valid(siret))
    spaced = f"SIRET {siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert read_siret(spaced) == siret
    assert read_siret(f"{siret[:3]} {siret[3:6]} {siret[6:9]}") == SiretProblem.MISSING_NIC


def test_public_siren_and_commune_departement() -> None:
    assert is_public_siren("21310555400017") and not is_public_siren("44306184100047")
    assert departement_of_siret("21310555400017") == {"31"}
    assert departement_of_siret("21600057000012") == {"60"}
    assert departement_of_siret("21200004600010") == {"2A", "2B"}
    assert departement_of_siret("20005375900011") == frozenset()  # an EPCI: no département


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("Pourquoi ?", Intent.WHY),
        ("définitions", Intent.DEFINITIONS),
        ("Retour", Intent.BACK),
        ("Bonjour !", Intent.HELLO),
        ("non concerné", Intent.NOT_CONCERNED),
        ("oui", None),
    ],
)
def test_intents(typed: str, intent: Intent | None) -> None:
    assert parse_intent(typed) == intent


@given(st.text(max_size=80))
def test_siret_and_intent_readers_never_crash(text: str) -> None:
    found = read_siret(text)
    assert isinstance(found, SiretProblem) or stdnum_siret.is_valid(found)
    assert parse_intent(text) is None or isinstance(parse_intent(text), Intent)
