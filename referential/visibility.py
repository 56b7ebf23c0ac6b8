"""Which questions are asked, given the answers so far: `shown_if` evaluated, pure functions.

A question with ``shown_if`` is shown only when the earlier question it names is itself shown and
holds an answer meeting the condition; otherwise it is hidden, and a hidden question counts nowhere
(index, progress, recommendations, indicators), even if an old answer to it is still stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from referential.answers import is_valid_answer, number, selected
from referential.conditions import Condition
from referential.kinds import OPTION_TYPES
from referential.models import Referential
from referential.question import QuestionContent

Answers = Mapping[str, str]


def answer_meets(condition: Condition, q: QuestionContent, value: str | None) -> bool:
    """Whether `value`, an answer to `q`, meets `condition`; an invalid answer meets nothing."""
    if value is None or not is_valid_answer(q, value):
        return False
    if condition.answer:
        if value in condition.answer:
            return True
        return q.answer_type in OPTION_TYPES and bool(selected(q, value) & set(condition.answer))
    amount = number(q, value)
    return amount is not None and condition.holds_for_number(amount)


def shown_ids(ref: Referential, answers: Answers) -> frozenset[str]:
    """The ids of every question currently shown (all levels)."""
    shown: set[str] = set()
    for q in ref.questions:  # conditions name earlier questions: one pass in order suffices
        condition = q.shown_if
        if condition is None or (
            condition.question in shown
            and answer_meets(
                condition, ref.question(condition.question), answers.get(condition.question)
            )
        ):
            shown.add(q.id)
    return frozenset(shown)


def is_shown(ref: Referential, answers: Answers, qid: str) -> bool:
    """Whether question `qid` is asked, given `answers` (what a dialog checks before asking)."""
    return qid in shown_ids(ref, answers)
