"""`shown_if`: a question is asked only when an earlier answer meets its condition."""

from __future__ import annotations

import pytest

from referential.conditions import Condition
from referential.models import Referential
from referential.visibility import answer_meets, is_shown, shown_ids
from tests.helpers.referential_factory import PAR_FILE, build_referential, typed_spec


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    spec = typed_spec()
    questions = spec[PAR_FILE]["questions"]
    questions[3]["shown_if"] = {"question": "PAR-03", "at_least": 1, "below": 100}  # PAR-04
    questions[10]["shown_if"] = {"question": "PAR-01", "above": 0}  # PAR-11
    return build_referential(tmp_path_factory.mktemp("shown"), spec)


@pytest.mark.parametrize(
    ("answers", "hidden"),
    [
        ({}, {"PAR-03", "PAR-04", "PAR-11"}),
        ({"PAR-02": "non", "PAR-03": "5"}, {"PAR-03", "PAR-04", "PAR-11"}),  # stale PAR-03
        ({"PAR-02": "oui"}, {"PAR-04", "PAR-11"}),
        ({"PAR-02": "oui", "PAR-03": "5", "PAR-01": "0"}, {"PAR-11"}),
        ({"PAR-02": "oui", "PAR-03": "100", "PAR-01": "1"}, {"PAR-04"}),  # below is strict
        ({"PAR-02": "oui", "PAR-03": "1", "PAR-01": "nsp"}, {"PAR-11"}),
        ({"PAR-02": "oui", "PAR-03": "abc"}, {"PAR-04", "PAR-11"}),  # invalid meets nothing
    ],
)
def test_shown_questions_follow_the_chain(
    ref: Referential, answers: dict[str, str], hidden: set[str]
) -> None:
    assert {q.id for q in ref.questions} - shown_ids(ref, answers) == hidden
    assert all(is_shown(ref, answers, qid) != (qid in hidden) for qid in ("PAR-03", "PAR-11"))


def test_answer_meets_options_and_reserved_values(ref: Referential) -> None:
    labels, amount = ref.question("PAR-11"), ref.question("PAR-06")
    either = Condition(answer=("ange", "tco"))
    assert answer_meets(either, labels, "epeat,tco")
    assert not answer_meets(either, labels, "aucun,epeat")
    assert not answer_meets(either, labels, "tco,ange")  # not canonical: not an answer
    assert answer_meets(Condition(answer=("nc",)), amount, "nc")
    assert not answer_meets(Condition(at_least=0), amount, "nc")
    assert not answer_meets(Condition(answer=("oui",)), ref.question("GOV-01"), None)
