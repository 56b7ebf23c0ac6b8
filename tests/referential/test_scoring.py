"""Scoring: weights, credits, grades at every threshold edge, rounding, progress, open actions.

Fixture weights (tests/helpers/referential_factory.py): GOV-01 3, GOV-02 2, GOV-03 1, SEN-01 3,
SEN-02 2 (choice: aucun 0, quart 0.25, moitie 0.5, tous 1, nsp 0), SEN-03 1; 12 in total.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referential.models import Referential
from referential.scoring import (
    ANSWER_VALUES,
    Progress,
    ThemeScore,
    credit,
    grade,
    is_valid_answer,
    maturity_index,
    open_recommendations,
    progress,
    round_half_up,
    score,
    theme_score,
)
from tests.helpers.referential_factory import build_referential, valid_spec

ALL_BEST = {
    "GOV-01": "oui",
    "GOV-02": "oui",
    "GOV-03": "oui",
    "SEN-01": "oui",
    "SEN-02": "tous",
    "SEN-03": "oui",
}


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("ref"))


def test_nothing_answered_scores_zero(ref: Referential) -> None:
    result = score(ref, {})
    assert (result.index, result.grade) == (0, "E")
    assert result.progress == Progress(0, 6, 0)


def test_everything_done_scores_hundred(ref: Referential) -> None:
    assert maturity_index(ref, ALL_BEST) == 100
    assert score(ref, ALL_BEST).grade == "A"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"GOV-01": "oui"}, 25),  # 3 / 12
        ({"GOV-02": "oui"}, 17),  # 2 / 12 = 16.67
        ({"GOV-03": "oui"}, 8),  # 1 / 12 = 8.33
        ({"GOV-01": "oui", "SEN-01": "oui"}, 50),  # 6 / 12
        ({q: "non" for q in ALL_BEST if q != "SEN-02"}, 0),
        ({q: "nsp" for q in ALL_BEST if q != "SEN-02"}, 0),
    ],
)
def test_weights_drive_the_index(ref: Referential, answers: dict[str, str], expected: int) -> None:
    assert maturity_index(ref, answers) == expected


def test_weights_come_from_meta(tmp_path: Path) -> None:
    spec = valid_spec()
    spec["meta.yaml"]["weights"] = {"prioritaire": 5, "necessaire": 3, "recommandee": 1}
    ref = build_referential(tmp_path, spec)
    assert maturity_index(ref, {"GOV-01": "oui"}) == 28  # 5 / 18 = 27.8


def test_answer_credits_come_from_meta(tmp_path: Path) -> None:
    spec = valid_spec()
    spec["meta.yaml"]["answer_credits"]["nsp"] = 0.5
    ref = build_referential(tmp_path, spec)
    assert credit(ref, ref.question("GOV-01"), "nsp") == 0.5
    assert maturity_index(ref, {"GOV-01": "nsp"}) == 13  # 1.5 / 12 = 12.5, half up


@pytest.mark.parametrize(
    ("value", "expected_credit", "expected_index"),
    [("aucun", 0, 0), ("quart", 0.25, 4), ("moitie", 0.5, 8), ("tous", 1, 17), ("nsp", 0, 0)],
)
def test_choice_gives_partial_credit(
    ref: Referential, value: str, expected_credit: float, expected_index: int
) -> None:
    assert credit(ref, ref.question("SEN-02"), value) == expected_credit
    assert maturity_index(ref, {"SEN-02": value}) == expected_index


def test_credit_of_yes_no_and_of_unanswered(ref: Referential) -> None:
    q = ref.question("GOV-01")
    assert [credit(ref, q, v) for v in ("oui", "non", "nsp", None)] == [1, 0, 0, 0]
    assert credit(ref, q, "tous") == 0  # not a yes/no answer: counts as unanswered


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # 1.5 / 12 = 12.5: banker's rounding would give 12
        ({"GOV-03": "oui", "SEN-02": "quart"}, 13),
        # 7.5 / 12 = 62.5: banker's rounding would give 62
        ({"GOV-01": "oui", "SEN-01": "oui", "GOV-03": "oui", "SEN-02": "quart"}, 63),
        # 4.5 / 12 = 37.5
        ({"GOV-01": "oui", "GOV-03": "oui", "SEN-02": "quart"}, 38),
    ],
)
def test_index_rounds_half_up(ref: Referential, answers: dict[str, str], expected: int) -> None:
    assert maturity_index(ref, answers) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0, 0),
        (0.5, 1),
        (1.5, 2),
        (2.5, 3),
        (12.5, 13),
        (34.5, 35),
        (99.5, 100),
        (12.4999, 12),
        (2.675, 3),
        (Fraction(25, 2), 13),
        (Fraction(49, 2), 25),
        (-0.5, 0),
    ],
)
def test_round_half_up(x: float | Fraction, expected: int) -> None:
    assert round_half_up(x) == expected


@pytest.mark.parametrize(
    ("index", "letter"),
    [
        (100, "A"),
        (80, "A"),
        (79, "B"),
        (60, "B"),
        (59, "C"),
        (40, "C"),
        (39, "D"),
        (34, "D"),
        (20, "D"),
        (19, "E"),
        (1, "E"),
        (0, "E"),
    ],
)
def test_grade_at_every_threshold_edge(ref: Referential, index: int, letter: str) -> None:
    assert grade(ref, index) == letter


def test_grade_thresholds_come_from_meta(tmp_path: Path) -> None:
    spec = valid_spec()
    spec["meta.yaml"]["grades"] = [
        {"letter": "A", "min": 90},
        {"letter": "B", "min": 50},
        {"letter": "C", "min": 0},
    ]
    ref = build_referential(tmp_path, spec)
    assert [grade(ref, i) for i in (100, 90, 89, 50, 49, 0)] == ["A", "A", "B", "B", "C", "C"]


MIXED = {
    "GOV-01": "oui",
    "GOV-02": "nsp",
    "SEN-02": "moitie",
    "SEN-03": "peut-être",  # invalid value: not counted as answered
    "XXX-01": "oui",  # unknown question: ignored
}


def test_progress_overall_and_per_theme(ref: Referential) -> None:
    assert progress(ref, MIXED) == Progress(answered=3, total=6, percent=50)
    assert theme_score(ref, MIXED, "GOV") == ThemeScore(
        theme_id="GOV", title="Gouvernance", index=50, answered=2, total=3, percent=67
    )
    assert theme_score(ref, MIXED, "SEN") == ThemeScore(
        theme_id="SEN", title="Sensibilisation", index=17, answered=1, total=3, percent=33
    )


def test_score_combines_index_grade_progress_and_themes(ref: Referential) -> None:
    result = score(ref, MIXED)
    assert result.index == maturity_index(ref, MIXED) == 33  # (3 + 1) / 12
    assert result.grade == "D"
    assert result.progress == progress(ref, MIXED)
    assert [t.theme_id for t in result.themes] == ["GOV", "SEN"]  # locked APL left out


def test_locked_level_has_nothing_to_score(ref: Referential) -> None:
    result = score(ref, ALL_BEST, level=2)
    assert (result.index, result.progress, result.themes) == (0, Progress(0, 0, 0), ())


def test_open_recommendations_by_priority_then_theme_then_question(ref: Referential) -> None:
    answers = {
        "GOV-03": "non",  # weight 1
        "SEN-02": "moitie",  # weight 2, partial credit: still open
        "SEN-01": "nsp",  # weight 3
        "GOV-02": "non",  # weight 2, theme before SEN
        "GOV-01": "oui",  # done
        "SEN-03": "oui",  # done
    }
    assert [q.id for q in open_recommendations(ref, answers)] == [
        "SEN-01",
        "GOV-02",
        "SEN-02",
        "GOV-03",
    ]


def test_full_credit_choice_and_unanswered_are_not_open(ref: Referential) -> None:
    assert open_recommendations(ref, {"SEN-02": "tous"}) == []
    assert open_recommendations(ref, {}) == []
    assert [q.id for q in open_recommendations(ref, {"SEN-02": "nsp"})] == ["SEN-02"]


def test_valid_answers_depend_on_the_question_type(ref: Referential) -> None:
    yes_no, choice = ref.question("GOV-01"), ref.question("SEN-02")
    assert all(is_valid_answer(yes_no, v) for v in ANSWER_VALUES)
    assert not is_valid_answer(yes_no, "tous")
    assert all(is_valid_answer(choice, v) for v in ("aucun", "quart", "moitie", "tous", "nsp"))
    assert not is_valid_answer(choice, "oui")


ANSWER_SETS = st.fixed_dictionaries(
    {},
    optional={
        qid: st.sampled_from(
            ["aucun", "quart", "moitie", "tous", "nsp"] if qid == "SEN-02" else ANSWER_VALUES
        )
        for qid in ALL_BEST
    },
)


@given(answers=ANSWER_SETS)
def test_index_is_bounded_and_improving_an_answer_never_lowers_it(
    ref: Referential, answers: dict[str, str]
) -> None:
    index = maturity_index(ref, answers)
    assert 0 <= index <= 100
    assert len(open_recommendations(ref, answers)) <= progress(ref, answers).answered
    for qid in answers:
        better = answers | {qid: ALL_BEST[qid]}
        assert maturity_index(ref, better) >= index


def _reference_index(ref: Referential, answers: dict[str, str]) -> int:
    """The definition, in exact fractions: round half up of 100 × Σ weight × credit / Σ weight."""
    earned, possible = Fraction(0), 0
    for q in ref.level_questions(1):
        value = answers.get(q.id)
        raw = next((o.credit for o in q.options if o.id == value), None) if q.options else None
        if raw is None:
            raw = ref.answer_credits.get(value, 0.0) if value is not None else 0.0
        share = Fraction(repr(raw))
        earned += ref.weight(q) * share
        possible += ref.weight(q)
    return round_half_up(100 * earned / possible)


@given(st.data())
def test_integer_scoring_equals_the_exact_definition(ref: Referential, data: st.DataObject) -> None:
    """Issue 11: scoring runs in integers; it must give exactly what the fraction definition gives."""
    answers = {}
    for q in ref.level_questions(1):
        choices = [o.id for o in q.options] if q.options else list(ANSWER_VALUES)
        value = data.draw(st.none() | st.sampled_from(choices))
        if value is not None:
            answers[q.id] = value
    assert maturity_index(ref, answers) == _reference_index(ref, answers)
