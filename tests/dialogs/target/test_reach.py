"""The target's action list reaches the target exactly when those actions are done."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.target.reach import full_credit_value, grade_floor, path_to
from referential.loader import default_referential
from referential.models import AnswerType
from referential.scoring import maturity_index, open_recommendations

REF = default_referential()
SCORED = [
    q for q in REF.level_questions(1) if q.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE)
]


def values(q_id: str) -> list[str]:
    q = REF.question(q_id)
    if q.answer_type is AnswerType.CHOICE:
        return [o.id for o in q.options]
    return ["oui", "non", "nsp"]


answer_sets = st.fixed_dictionaries(
    {},
    optional={q.id: st.sampled_from(values(q.id)) for q in SCORED},
)


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets, wanted=st.integers(min_value=0, max_value=100))
def test_the_path_reaches_the_target_and_no_shorter_prefix_does(
    answers: dict[str, str], wanted: int
) -> None:
    path = path_to(REF, answers, wanted)
    done = dict(answers)
    for q in path.actions:
        done[q.id] = full_credit_value(q)
    assert maturity_index(REF, done) == path.index_after
    open_ids = {q.id for q in open_recommendations(REF, answers)}
    assert {q.id for q in path.actions} <= open_ids  # only open actions
    if path.reached:
        assert path.index_after >= wanted
        if path.actions:  # one action fewer would not be enough
            fewer = dict(answers)
            for q in path.actions[:-1]:
                fewer[q.id] = full_credit_value(q)
            assert maturity_index(REF, fewer) < wanted
    else:  # doing every open action is not enough
        assert {q.id for q in path.actions} == open_ids
        assert path.index_after < wanted


def test_letters_have_floors() -> None:
    assert [grade_floor(REF, g.letter) for g in REF.grades] == [g.min for g in REF.grades]
    assert grade_floor(REF, "Z") is None
