"""Scoring: weights, credits, grades at every threshold edge, rounding, progress, open actions.

Fixture weights (tests/helpers/referential_factory.py): GOV-01 3, GOV-02 2, GOV-03 1, SEN-01 3,
SEN-02 2 (choice: aucun 0, quart 0.25, moitie 0.5, tous 1, nsp 0), SEN-03 1; 12 in total.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referential.loader import default_referential
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
    recommendation_priority,
    recommends,
    round_half_up,
    score,
    shown_questions,
    theme_score,
)
from tests.helpers.referential_factory import (
    GOV_FILE,
    SEN_FILE,
    build_referential,
    typed_spec,
    valid_spec,
)

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


# Issue 12: « non concerné », hidden questions, recommendation rules, today's scores unchanged.


def _with(tmp_path: Path, **changes: dict[str, Any]) -> Referential:
    """The fixture with `changes` applied to questions by id (GOV_01=…, SEN_03=…)."""
    spec = valid_spec()
    for file in (GOV_FILE, SEN_FILE):
        for q in spec[file]["questions"]:
            q.update(changes.get(q["id"].replace("-", "_"), {}))
    return build_referential(tmp_path, spec)


def test_not_applicable_leaves_the_question_out_of_the_index(tmp_path: Path) -> None:
    ref = _with(tmp_path, GOV_02={"not_applicable": True})
    answers = {"GOV-01": "oui", "GOV-02": "nc"}
    assert maturity_index(ref, answers) == 30  # 3 / (12 - 2)
    assert maturity_index(ref, {"GOV-01": "oui"}) == 25  # unanswered still counts: 3 / 12
    assert progress(ref, answers) == Progress(2, 6, 33)  # nc counts as answered
    assert theme_score(ref, answers, "GOV").index == 75  # 3 / 4
    assert open_recommendations(ref, answers) == []
    assert not recommends(ref, ref.question("GOV-02"), "nc")


def test_nc_is_not_an_answer_where_not_offered(ref: Referential) -> None:
    assert not is_valid_answer(ref.question("GOV-01"), "nc")
    assert maturity_index(ref, {"GOV-01": "nc", "GOV-02": "oui"}) == 17  # 2 / 12
    assert progress(ref, {"GOV-01": "nc"}).answered == 0


def test_hidden_questions_count_nowhere(tmp_path: Path) -> None:
    ref = _with(
        tmp_path,
        GOV_03={"shown_if": {"question": "GOV-02", "answer": "oui"}},
        SEN_01={"shown_if": {"question": "GOV-03", "answer": ["oui", "nsp"]}},
    )
    stale = {"GOV-02": "non", "GOV-03": "non", "SEN-01": "non"}  # GOV-03 hidden, so SEN-01 too
    assert [q.id for q in shown_questions(ref, stale)] == ["GOV-01", "GOV-02", "SEN-02", "SEN-03"]
    assert progress(ref, stale) == Progress(1, 4, 25)
    assert maturity_index(ref, stale | {"GOV-01": "oui"}) == 38  # 3 / (3 + 2 + 2 + 1)
    assert [q.id for q in open_recommendations(ref, stale)] == ["GOV-02"]
    assert theme_score(ref, stale, "SEN").total == 2
    shown = {"GOV-02": "oui", "GOV-03": "nsp", "SEN-01": "non"}
    assert len(shown_questions(ref, shown)) == 6
    assert [q.id for q in open_recommendations(ref, shown)] == ["SEN-01", "GOV-03"]


NC_EVERYWHERE = {
    qid: {"not_applicable": True}
    for qid in ("GOV_01", "GOV_02", "GOV_03", "SEN_01", "SEN_02", "SEN_03")
}


@pytest.fixture(scope="module")
def nc_refs(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, Referential]:
    """The fixture with « non concerné » offered everywhere, and one copy without each question."""
    refs: dict[str | None, Referential] = {
        None: _with(tmp_path_factory.mktemp("nc"), **NC_EVERYWHERE)
    }
    for qid in ALL_BEST:
        spec = valid_spec()
        for file in (GOV_FILE, SEN_FILE):
            questions = spec[file]["questions"]
            spec[file]["questions"] = [
                q | {"not_applicable": True} for q in questions if q["id"] != qid
            ]
        refs[qid] = build_referential(tmp_path_factory.mktemp("without"), spec)
    return refs


@given(answers=ANSWER_SETS, data=st.data())
def test_nc_never_changes_the_index_compared_with_removing_the_question(
    nc_refs: dict[str | None, Referential], answers: dict[str, str], data: st.DataObject
) -> None:
    qid = data.draw(st.sampled_from(sorted(ALL_BEST)))
    with_nc = answers | {qid: "nc"}
    without = {k: v for k, v in answers.items() if k != qid}
    full, removed = nc_refs[None], nc_refs[qid]
    assert maturity_index(full, with_nc) == maturity_index(removed, without)
    assert [q.id for q in open_recommendations(full, with_nc)] == [
        q.id for q in open_recommendations(removed, without)
    ]
    assert progress(full, with_nc).answered == progress(removed, without).answered + 1


@pytest.fixture(scope="module")
def typed_ref(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("typed"), typed_spec())


@pytest.mark.parametrize(
    ("qid", "value", "priority"),
    [
        ("PAR-05", "10", "prioritaire"),  # first rule: below 25
        ("PAR-05", "30", "necessaire"),  # second rule, the question's priority
        ("PAR-05", "50", None),
        ("PAR-05", "nsp", None),
        ("PAR-05", "abc", None),
        ("PAR-11", "aucun", "recommandee"),
        ("PAR-11", "aucun,tco", "recommandee"),  # any selected option of the rule
        ("PAR-11", "tco", None),
        ("PAR-02", "non", "necessaire"),  # yes/no without rule: as at level 1
        ("PAR-02", "oui", None),
        ("PAR-01", "3", None),  # no recommendation at all
        ("PAR-06", "nc", None),
    ],
)
def test_recommendation_rules(
    typed_ref: Referential, qid: str, value: str, priority: str | None
) -> None:
    assert recommendation_priority(typed_ref, typed_ref.question(qid), value) == priority


def test_level_two_orders_by_the_rule_priority_and_scores_only_scored_types(
    typed_ref: Referential,
) -> None:
    answers = {"PAR-02": "non", "PAR-05": "10", "PAR-11": "aucun", "PAR-01": "12"}
    assert [q.id for q in open_recommendations(typed_ref, answers, level=2)] == [
        "PAR-05",
        "PAR-02",
        "PAR-11",
    ]
    result = score(typed_ref, answers, level=2)
    assert result.index == 0  # only PAR-02 is scored
    assert score(typed_ref, {"PAR-02": "oui"}, level=2).index == 100
    assert result.progress == Progress(4, 11, 36)  # PAR-03 hidden: PAR-02 is « non »
    assert score(typed_ref, {"PAR-02": "oui"}, level=2).progress.total == 12


# The shipped data must score exactly these values: computed for version 1.0.0 with the code of
# commit 184d9ab (before the schema changed), then recomputed once for the content of version 2.0.0
# (35 questions, review of December 2026) with unchanged scoring code.
SHIPPED = default_referential()
SHIPPED_IDS = [q.id for q in SHIPPED.level_questions()]


def _every_third() -> dict[str, str]:
    return {
        q.id: q.options[i % len(q.options)].id if q.options else ANSWER_VALUES[i % 3]
        for i, q in enumerate(SHIPPED.level_questions())
    }


def test_shipped_referential_scores_as_before() -> None:
    answers = _every_third()
    result = score(SHIPPED, answers)
    assert (result.index, result.grade, result.progress) == (34, "D", Progress(35, 35, 100))
    assert [t.index for t in result.themes] == [45, 25, 30, 35, 33, 13, 57, 33]
    assert [q.id for q in open_recommendations(SHIPPED, answers)] == [
        "GOV-02", "GOV-03", "SEN-01", "ACH-01", "ACH-03", "PAR-01", "PAR-02", "PAR-04", "USA-05",
        "SEN-02", "PAR-05", "RES-03", "USA-01", "USA-04", "ECO-02", "EDI-02", "SEN-04", "ACH-04",
        "RES-02", "RES-05", "ECO-03", "EDI-01", "EDI-04",
    ]  # fmt: skip
    first_ten = {
        q.id: q.options[1].id if q.options else "oui" for q in SHIPPED.level_questions()[:10]
    }
    result = score(SHIPPED, first_ten)
    assert (result.index, result.progress) == (31, Progress(10, 35, 29))
    assert [t.index for t in result.themes] == [100, 100, 35, 0, 0, 0, 0, 0]


@given(st.data())
def test_shipped_scores_equal_the_exact_definition(data: st.DataObject) -> None:
    answers = {}
    for q in SHIPPED.level_questions(1):
        choices = [o.id for o in q.options] if q.options else list(ANSWER_VALUES)
        value = data.draw(st.none() | st.sampled_from(choices))
        if value is not None:
            answers[q.id] = value
    assert maturity_index(SHIPPED, answers) == _reference_index(SHIPPED, answers)
