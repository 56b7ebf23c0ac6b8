"""Which questions are asked, given the answers so far: `shown_if` evaluated, pure functions.

A question with ``shown_if`` is shown only when the earlier question it names is itself shown and
holds an answer meeting the condition; otherwise it is hidden, and a hidden question counts nowhere
(index, progress, recommendations, indicators), even if an old answer to it is still stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from referential.answers import is_valid_answer, number, selected
from referential.conditions import Condition, ShownIf
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
    """The ids of every question currently shown (all levels).

    Called several times per answer (score, progress, every theme), so the result is remembered
    per referential, keyed by the answers the conditions read: nothing else can change it."""
    plan = _plan_of(ref)
    key = tuple(answers.get(qid) for qid in plan.inputs)
    found = plan.memo.get(key)
    if found is None:
        if len(plan.memo) >= _MEMO_SIZE:
            plan.memo.clear()
            plan.results.clear()
        shown = plan.evaluate(answers)
        found = plan.results.setdefault(shown, shown)  # few distinct sets: each kept once
        plan.memo[key] = found
    return found


_MEMO_SIZE = 1024  # combinations of the conditions' answers remembered per referential
_MAX_PLANS = 16  # referentials remembered (the French one, its English overlay, tests' own)


@dataclass(frozen=True)
class _Plan:
    """A referential's questions with their `shown_if` condition and its subject, read once."""

    ref: Referential  # kept alive: its id() is the key in `_PLANS`
    steps: tuple[tuple[str, ShownIf | None, QuestionContent | None], ...]
    inputs: tuple[str, ...]  # the questions the conditions read
    memo: dict[tuple[str | None, ...], frozenset[str]] = field(default_factory=dict)
    results: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def evaluate(self, answers: Answers) -> frozenset[str]:
        shown: set[str] = set()
        for qid, condition, subject in self.steps:  # conditions name earlier questions
            if condition is None or (
                subject is not None
                and condition.question in shown
                and answer_meets(condition, subject, answers.get(condition.question))
            ):
                shown.add(qid)
        return frozenset(shown)


_PLANS: dict[int, _Plan] = {}


def _plan_of(ref: Referential) -> _Plan:
    plan = _PLANS.get(id(ref))
    if plan is not None and plan.ref is ref:
        return plan
    steps = tuple(
        (q.id, q.shown_if, _subject(ref, q.shown_if.question if q.shown_if else None))
        for q in ref.questions
    )
    inputs = dict.fromkeys(c.question for _, c, _ in steps if c is not None)
    plan = _Plan(ref=ref, steps=steps, inputs=tuple(inputs))
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[id(ref)] = plan
    return plan


def _subject(ref: Referential, qid: str | None) -> QuestionContent | None:
    return ref.question(qid) if qid is not None and ref.has_question(qid) else None


def is_shown(ref: Referential, answers: Answers, qid: str) -> bool:
    """Whether question `qid` is asked, given `answers` (what a dialog checks before asking)."""
    return qid in shown_ids(ref, answers)
