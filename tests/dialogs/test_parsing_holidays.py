"""French public holidays computed without the holidays package, which names them the same way."""

from __future__ import annotations

from datetime import date

import holidays

from dialogs.parsing import HOLIDAY_RULES_SINCE, _french_holidays, day_off


def test_every_year_matches_the_holidays_package() -> None:
    for year in range(HOLIDAY_RULES_SINCE, 2101):
        package = holidays.country_holidays("FR", years=year, language="fr")
        assert _french_holidays(year) == {day: str(name) for day, name in package.items()}, year


def test_moving_feasts_and_shared_days_are_named() -> None:
    assert day_off(date(2027, 3, 29)) == "Lundi de Pâques"
    assert day_off(date(2027, 5, 6)) == "Ascension"
    assert day_off(date(2027, 5, 17)) == "Lundi de Pentecôte"
    assert day_off(date(2008, 5, 1)) == "Ascension; Fête du Travail"
    assert day_off(date(2027, 5, 18)) is None


def test_years_before_the_fixed_rules_ask_the_package() -> None:
    assert day_off(date(2006, 6, 5)) is None  # Lundi de Pentecôte was a working day in 2006
    assert day_off(date(2006, 4, 17)) == "Lundi de Pâques"
