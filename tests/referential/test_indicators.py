"""Indicators: every formula kind, « non calculable » with the missing answers, nc and hidden inputs.

Fixture (typed_spec): part-louee = share PAR-03 / PAR-01 (PAR-03 shown if PAR-02 is « oui »),
postes-par-agent = ratio PAR-01 / PAR-04 (threshold 1.5, lower is better), depense = sum PAR-06
(« non concerné » offered), annee-moyenne = mean PAR-08, PAR-12, pratiques = count of « oui » among
GOV-01..03 (threshold 2, higher is better).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from referential.indicators import (
    NOTHING_TO_AVERAGE,
    ZERO_DENOMINATOR,
    IndicatorValue,
    compute,
    compute_all,
)
from referential.loader import default_referential
from referential.models import Referential
from tests.helpers.referential_factory import build_referential, typed_spec


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("typed"), typed_spec())


def value(ref: Referential, indicator_id: str, answers: dict[str, str]) -> IndicatorValue:
    return compute(ref, ref.indicator(indicator_id), answers)


@pytest.mark.parametrize(
    ("indicator_id", "answers", "expected"),
    [
        ("part-louee", {"PAR-01": "40", "PAR-02": "oui", "PAR-03": "10"}, Fraction(25)),
        ("part-louee", {"PAR-01": "40", "PAR-02": "non", "PAR-03": "10"}, Fraction(0)),  # hidden
        ("postes-par-agent", {"PAR-01": "45", "PAR-04": "30"}, Fraction(3, 2)),
        ("depense", {"PAR-06": "12500.5"}, Fraction(25001, 2)),
        ("depense", {"PAR-06": "nc"}, Fraction(0)),
        ("annee-moyenne", {"PAR-08": "2018", "PAR-12": "2023"}, Fraction(4041, 2)),
        ("pratiques", {"GOV-01": "oui", "GOV-02": "non", "GOV-03": "oui"}, Fraction(2)),
        ("pratiques", {"GOV-01": "non", "GOV-02": "non", "GOV-03": "non"}, Fraction(0)),
    ],
)
def test_every_formula_kind(
    ref: Referential, indicator_id: str, answers: dict[str, str], expected: Fraction
) -> None:
    result = value(ref, indicator_id, answers)
    assert (result.value, result.missing, result.reason) == (expected, (), None)
    assert result.computable


@pytest.mark.parametrize(
    ("indicator_id", "answers", "missing"),
    [
        ("part-louee", {"PAR-02": "oui", "PAR-03": "10"}, ("PAR-01",)),
        ("part-louee", {"PAR-02": "oui"}, ("PAR-03", "PAR-01")),
        ("part-louee", {"PAR-01": "40"}, ("PAR-02",)),  # PAR-03 waits for PAR-02
        ("part-louee", {"PAR-01": "40", "PAR-02": "nsp"}, ("PAR-02",)),
        ("postes-par-agent", {"PAR-01": "nsp", "PAR-04": "30"}, ("PAR-01",)),
        ("postes-par-agent", {"PAR-01": "1.5", "PAR-04": "0"}, ("PAR-01", "PAR-04")),  # invalid
        ("depense", {}, ("PAR-06",)),
        ("annee-moyenne", {"PAR-08": "2018"}, ("PAR-12",)),
        ("pratiques", {"GOV-01": "oui", "GOV-03": "nsp"}, ("GOV-02", "GOV-03")),
    ],
)
def test_missing_answers_make_it_non_calculable(
    ref: Referential, indicator_id: str, answers: dict[str, str], missing: tuple[str, ...]
) -> None:
    result = value(ref, indicator_id, answers)
    assert (result.value, result.missing) == (None, missing)
    assert not result.computable
    assert result.rounded() is None and result.meets_threshold() is None


def test_a_share_of_nothing_is_non_calculable(
    ref: Referential,
) -> None:
    assert value(ref, "part-louee", {"PAR-01": "0", "PAR-02": "oui", "PAR-03": "0"}).reason == (
        ZERO_DENOMINATOR
    )


def test_zero_denominator_and_empty_mean_are_non_calculable_without_missing_answers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    spec = typed_spec()
    spec["themes/03-parc.yaml"]["questions"][7]["not_applicable"] = True  # PAR-08
    spec["themes/03-parc.yaml"]["questions"][11]["not_applicable"] = True  # PAR-12
    ref = build_referential(tmp_path_factory.mktemp("nc"), spec)
    mean = value(ref, "annee-moyenne", {"PAR-08": "nc", "PAR-12": "nc"})
    assert (mean.value, mean.missing, mean.reason) == (None, (), NOTHING_TO_AVERAGE)
    assert value(ref, "annee-moyenne", {"PAR-08": "nc", "PAR-12": "2020"}).value == 2020


def test_thresholds_follow_the_direction(ref: Referential) -> None:
    per_agent = value(ref, "postes-par-agent", {"PAR-01": "45", "PAR-04": "30"})
    assert per_agent.meets_threshold() is True  # 1.5 ≤ 1.5, lower is better
    assert (
        value(ref, "postes-par-agent", {"PAR-01": "46", "PAR-04": "30"}).meets_threshold() is False
    )
    practices = {"GOV-01": "oui", "GOV-02": "non", "GOV-03": "non"}
    assert value(ref, "pratiques", practices).meets_threshold() is False  # 1 < 2, higher is better
    assert value(ref, "depense", {"PAR-06": "3"}).meets_threshold() is None  # no threshold


def test_rounded_half_up(ref: Referential) -> None:
    third = value(ref, "postes-par-agent", {"PAR-01": "1", "PAR-04": "3"})
    assert third.rounded() == Decimal("0.3")
    assert third.rounded(2) == Decimal("0.33")
    assert value(ref, "depense", {"PAR-06": "0.05"}).rounded() == Decimal("0.1")


def test_compute_all_in_file_order(ref: Referential) -> None:
    results = compute_all(ref, {"PAR-06": "nc"})
    assert [r.indicator.id for r in results] == [i.id for i in ref.indicators]
    assert [r.computable for r in results] == [False, False, True, False, False]


# The shipped level-2 indicators of the RES2, USA2, ECO2 and EDI2 themes: what a small commune
# without server, printer or website gets, and what a fuller answer set gives.
SHIPPED_ANSWERS = {
    "RES2-04": "4",
    "RES2-05": "1",
    "RES2-06": "350",
    "RES2-07": "25",
    "RES2-08": "120",
    "USA2-01": "20",
    "USA2-02": "3",
    "USA2-03": "45000",
    "ECO2-01": "1",
    "ECO2-04": "62",
    "ECO2-07": "0.8",
}
NOTHING_ON_SITE = {"RES2-04": "0", "RES2-06": "10", "RES2-07": "0", "USA2-01": "4", "USA2-02": "0"}


@pytest.mark.parametrize(
    ("indicator_id", "answers", "expected", "meets"),
    [
        ("part-serveurs-virtualises", SHIPPED_ANSWERS, Fraction(25), None),
        ("stockage-par-utilisateur", SHIPPED_ANSWERS, Fraction(47, 2), None),
        ("stockage-par-utilisateur", NOTHING_ON_SITE, Fraction(5, 2), None),  # RES2-08 hidden
        ("pages-imprimees-par-utilisateur", SHIPPED_ANSWERS, Fraction(2250), None),
        ("pages-imprimees-par-utilisateur", NOTHING_ON_SITE, Fraction(0), None),  # no printer
        ("conformite-rgaa-site", SHIPPED_ANSWERS, Fraction(62), False),  # the law asks 100 %
        ("poids-moyen-page", SHIPPED_ANSWERS, Fraction(4, 5), True),  # Ecoindex: 1 Mo
    ],
)
def test_shipped_level2_indicators(
    indicator_id: str, answers: dict[str, str], expected: Fraction, meets: bool | None
) -> None:
    shipped = default_referential()
    result = compute(shipped, shipped.indicator(indicator_id), answers)
    assert (result.value, result.missing, result.meets_threshold()) == (expected, (), meets)


def test_shipped_level2_indicators_without_server_or_website() -> None:
    shipped = default_referential()
    servers = compute(shipped, shipped.indicator("part-serveurs-virtualises"), NOTHING_ON_SITE)
    assert (servers.value, servers.reason) == (None, ZERO_DENOMINATOR)
    rgaa = shipped.indicator("conformite-rgaa-site")
    assert compute(shipped, rgaa, {"ECO2-01": "0"}).reason == NOTHING_TO_AVERAGE
    assert compute(shipped, rgaa, {}).missing == ("ECO2-01",)  # the site count comes first
