"""The shipped level-2 deepening themes GOV2, SEN2, ACH2, PAR2 and their indicators, on the answers
of a small commune: what is asked, what opens a recommendation, what the indicators give."""

from __future__ import annotations

from fractions import Fraction

import pytest

from referential.indicators import ZERO_DENOMINATOR, compute
from referential.kinds import AnswerType
from referential.loader import default_referential
from referential.models import Referential
from referential.scoring import open_recommendations, recommendation_priority, shown_questions

THEMES = ("GOV2", "SEN2", "ACH2", "PAR2")

# A commune of 24 agents, 18 computers and 45 other devices, 3 of them leased.
COMMUNE = {
    "SEN2-01": "24",
    "SEN2-02": "12",
    "ACH2-01": "10000",
    "ACH2-02": "2500",
    "ACH2-04": "8",
    "ACH2-05": "2",
    "ACH2-08": "3",
    "PAR2-01": "18",
    "PAR2-02": "45",
    "PAR2-03": "4",
    "PAR2-06": "2",
    "PAR2-07": "10",
    "PAR2-08": "6",
    "PAR2-09": "3",
    "PAR2-10": "4",
}


@pytest.fixture(scope="module")
def ref() -> Referential:
    return default_referential()


def test_each_deepening_theme_has_nine_or_ten_questions_of_level_two(ref: Referential) -> None:
    for theme_id in THEMES:
        questions = ref.questions_of(theme_id)
        assert 9 <= len(questions) <= 10, theme_id
        assert {q.level for q in questions} == {2}
        assert all(q.help and len(q.help) <= 600 for q in questions)


def test_the_four_themes_use_every_answer_type(ref: Referential) -> None:
    used = {q.answer_type for t in THEMES for q in ref.questions_of(t)}
    assert used == set(AnswerType) - {AnswerType.DECIMAL, AnswerType.YEAR}


@pytest.mark.parametrize(
    ("indicator_id", "expected"),
    [
        ("part-materiel-loue", Fraction(300, 63)),
        ("part-achats-reemploi", Fraction(25)),
        ("part-achats-ecolabel", Fraction(25)),
        ("reaffectation-interne", Fraction(20)),
        ("part-reforme-reemploi", Fraction(50)),
        ("part-sorties-tracees", Fraction(70)),
        ("duree-usage-ordinateurs", Fraction(4)),
        ("appareils-par-agent", Fraction(63, 24)),
        ("part-agents-sensibilises", Fraction(50)),
    ],
)
def test_indicators_of_a_small_commune(
    ref: Referential, indicator_id: str, expected: Fraction
) -> None:
    assert compute(ref, ref.indicator(indicator_id), COMMUNE).value == expected


def test_reuse_share_meets_the_legal_rate_of_decree_2023_266(ref: Referential) -> None:
    indicator = ref.indicator("part-reforme-reemploi")
    assert indicator.threshold is not None and indicator.threshold.value == 50
    assert compute(ref, indicator, COMMUNE).meets_threshold() is True
    assert compute(ref, indicator, COMMUNE | {"PAR2-09": "2"}).meets_threshold() is False


def test_nothing_bought_hides_the_reuse_question_and_the_share_is_not_computable(
    ref: Referential,
) -> None:
    answers = COMMUNE | {"ACH2-01": "0"}
    asked = {q.id for q in shown_questions(ref, answers, level=2)}
    assert "ACH2-02" not in asked and "ACH2-03" not in asked
    result = compute(ref, ref.indicator("part-achats-reemploi"), answers)
    assert result.value is None and result.reason == ZERO_DENOMINATOR


def test_leasing_details_are_asked_only_of_a_collectivite_that_leases(ref: Referential) -> None:
    leasing = {"ACH2-09", "ACH2-10"}
    assert leasing <= {q.id for q in shown_questions(ref, COMMUNE, level=2)}
    none_leased = COMMUNE | {"ACH2-08": "0"}
    assert not leasing & {q.id for q in shown_questions(ref, none_leased, level=2)}
    assert compute(ref, ref.indicator("part-materiel-loue"), none_leased).value == 0


def test_gaps_open_recommendations_with_their_priority(ref: Referential) -> None:
    answers = COMMUNE | {"PAR2-09": "0", "PAR2-04": "5", "PAR2-05": "rien", "GOV2-01": "elu"}
    opened = {q.id for q in open_recommendations(ref, answers, level=2)}
    assert {"PAR2-03", "PAR2-05", "PAR2-09", "GOV2-01"} <= opened
    assert "ACH2-02" not in opened  # 2 500 € of reuse purchases: no gap revealed
    assert recommendation_priority(ref, ref.question("GOV2-01"), "elu") == "recommandee"
    assert recommendation_priority(ref, ref.question("GOV2-01"), "aucun") == "prioritaire"
    assert recommendation_priority(ref, ref.question("SEN2-08"), "nc") is None
