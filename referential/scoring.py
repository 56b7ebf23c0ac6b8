"""Maturity index, grade, sub-scores, progress and open recommendations: pure functions, no I/O.

`answers` maps a question id to its stored value (see `referential.answers`). A value that is not
valid for its question counts as unanswered, so stale answers never break a score. Arithmetic is
exact and in integers — credits are read to the thousandth (0.5 → 500) — and rounds half up, so 34.5
always gives 35; no float drift, and no `Fraction` in the hot path.

What counts where:
- only *shown* questions count at all (`referential.visibility`): a hidden one counts nowhere;
- the index sums the scored types (yes/no, choice); « Non concerné » (``nc``) leaves the question out
  of both numerator and denominator — it neither rewards nor punishes;
- progress counts every shown question, and ``nc`` as answered;
- a recommendation opens when an answer meets the question's first ``recommend_if`` rule, or, with
  no rule, when a scored answer earns less than full credit; never for ``nc``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from referential.answers import is_not_applicable, is_valid_answer
from referential.kinds import SCORED_TYPES, YES_NO_VALUES, AnswerType, Priority
from referential.models import Question, Referential
from referential.visibility import answer_meets, shown_ids

ANSWER_VALUES = YES_NO_VALUES

__all__ = [
    "ANSWER_VALUES",
    "CREDIT_SCALE",
    "Answers",
    "Progress",
    "Score",
    "ThemeScore",
    "credit",
    "grade",
    "is_valid_answer",
    "maturity_index",
    "open_recommendations",
    "progress",
    "recommendation_priority",
    "recommends",
    "round_half_up",
    "score",
    "shown_questions",
    "theme_score",
]

Answers = Mapping[str, str]


@dataclass(frozen=True)
class ThemeScore:
    theme_id: str
    title: str
    index: int  # maturity index of the theme's questions, 0..100
    answered: int
    total: int
    percent: int  # share of the theme's questions answered, 0..100


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    percent: int


@dataclass(frozen=True)
class Score:
    index: int
    grade: str
    progress: Progress
    themes: tuple[ThemeScore, ...]


CREDIT_SCALE = 1000  # credits are written with at most three decimals (0.5, 0.25, 0.333)


def _exact(x: float | Fraction) -> Fraction:
    # Fraction(repr(x)) reads 0.3 as 3/10, not as the binary float just below it.
    return x if isinstance(x, Fraction) else Fraction(repr(float(x)))


@functools.lru_cache(maxsize=256)
def _scaled(x: float) -> int:
    """A credit in thousandths, exactly: 0.5 → 500, 0.333 → 333. Cached: a referential has a
    handful of distinct credits, and this runs for every question of every score."""
    return round_half_up(_exact(x) * CREDIT_SCALE)


def _credit(ref: Referential, q: Question, value: str | None) -> int:
    """The credit of `value` in thousandths (0..CREDIT_SCALE); 0 for unscored types and ``nc``."""
    if value is None or q.answer_type not in SCORED_TYPES or not is_valid_answer(q, value):
        return 0
    if is_not_applicable(q, value):
        return 0
    if q.answer_type is AnswerType.CHOICE:
        return next(_scaled(o.credit) for o in q.options if o.id == value)
    return _scaled(ref.answer_credits.get(value, 0.0))


def credit(ref: Referential, q: Question, value: str | None) -> float:
    """Share of the question's weight earned by `value`: oui 1, non 0, nsp 0, option credit.

    Meaningless for ``nc`` and unscored types (0): ask `recommends` whether an answer opens the
    recommendation rather than comparing this with 1."""
    return _credit(ref, q, value) / CREDIT_SCALE


def round_half_up(x: float | Fraction) -> int:
    """Round to the nearest integer, halves upwards (34.5 → 35), never to the even neighbour."""
    return math.floor(_exact(x) + Fraction(1, 2))


def _percent(part: int, whole: int) -> int:
    """round_half_up(100 × part / whole) in integers: ⌊(200·part + whole) / (2·whole)⌋."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _index(ref: Referential, questions: Iterable[Question], answers: Answers) -> int:
    earned = 0
    possible = 0
    for q in questions:
        value = answers.get(q.id)
        if q.answer_type not in SCORED_TYPES or is_not_applicable(q, value):
            continue
        weight = ref.weight(q)
        earned += weight * _credit(ref, q, value)
        possible += weight * CREDIT_SCALE
    return _percent(earned, possible)


def _is_answered(q: Question, answers: Answers) -> bool:
    value = answers.get(q.id)
    return value is not None and is_valid_answer(q, value)


def _answered(questions: Iterable[Question], answers: Answers) -> int:
    return sum(1 for q in questions if _is_answered(q, answers))


def shown_questions(
    ref: Referential, answers: Answers, level: int = 1, *, include_locked: bool = False
) -> tuple[Question, ...]:
    """The level's questions that are asked given `answers`, in order."""
    shown = shown_ids(ref, answers)
    return tuple(
        q for q in ref.level_questions(level, include_locked=include_locked) if q.id in shown
    )


def maturity_index(
    ref: Referential, answers: Answers, level: int = 1, *, include_locked: bool = False
) -> int:
    """round(100 × Σ weight × credit / Σ weight) over the level's shown, scored questions, answered
    or not, « Non concerné » left out."""
    return _index(ref, shown_questions(ref, answers, level, include_locked=include_locked), answers)


def grade(ref: Referential, index: int) -> str:
    """The first letter whose threshold the index reaches (thresholds are ordered high to low)."""
    for candidate in ref.grades:
        if index >= candidate.min:
            return candidate.letter
    return ref.grades[-1].letter


def theme_score(ref: Referential, answers: Answers, theme_id: str) -> ThemeScore:
    theme = ref.theme(theme_id)
    shown = shown_ids(ref, answers)
    questions = tuple(q for q in ref.questions_of(theme_id) if q.id in shown)
    answered = _answered(questions, answers)
    return ThemeScore(
        theme_id=theme.id,
        title=theme.title,
        index=_index(ref, questions, answers),
        answered=answered,
        total=len(questions),
        percent=_percent(answered, len(questions)),
    )


def progress(
    ref: Referential, answers: Answers, level: int = 1, *, include_locked: bool = False
) -> Progress:
    """Shown questions answered (« Non concerné » included) out of shown questions."""
    questions = shown_questions(ref, answers, level, include_locked=include_locked)
    answered = _answered(questions, answers)
    return Progress(answered, len(questions), _percent(answered, len(questions)))


def score(
    ref: Referential, answers: Answers, level: int = 1, *, include_locked: bool = False
) -> Score:
    index = maturity_index(ref, answers, level, include_locked=include_locked)
    return Score(
        index=index,
        grade=grade(ref, index),
        progress=progress(ref, answers, level, include_locked=include_locked),
        themes=tuple(
            theme_score(ref, answers, t.id)
            for t in ref.level_themes(level, include_locked=include_locked)
        ),
    )


def recommendation_priority(ref: Referential, q: Question, value: str | None) -> Priority | None:
    """The priority with which `value` opens `q`'s recommendation, or None if it opens nothing.

    With ``recommend_if`` rules, the first rule the answer meets decides (its own priority, else
    the question's); without, a scored answer short of full credit opens it at the question's
    priority. Unanswered, invalid and « Non concerné » answers open nothing.
    """
    if value is None or q.recommendation is None or not is_valid_answer(q, value):
        return None
    if is_not_applicable(q, value):
        return None
    if q.recommend_if:
        for rule in q.recommend_if:
            if answer_meets(rule, q, value):
                return rule.priority or q.priority
        return None
    if q.answer_type in SCORED_TYPES and _credit(ref, q, value) < CREDIT_SCALE:
        return q.priority
    return None


def recommends(ref: Referential, q: Question, value: str | None) -> bool:
    """Whether `value` opens `q`'s recommendation (what a dialog asks right after an answer)."""
    return recommendation_priority(ref, q, value) is not None


def open_recommendations(
    ref: Referential, answers: Answers, level: int = 1, *, include_locked: bool = False
) -> list[Question]:
    """Shown questions whose answer opens their recommendation, most urgent first.

    Order: weight of the priority the answer opened it with (heaviest first), then theme order,
    then question order. Unanswered questions are not included: the user has not told us yet.
    """
    # already in theme order, then question order
    questions = shown_questions(ref, answers, level, include_locked=include_locked)
    open_ = [
        (ref.weights[priority], position, q)
        for position, q in enumerate(questions)
        if (priority := recommendation_priority(ref, q, answers.get(q.id))) is not None
    ]
    open_.sort(key=lambda item: (-item[0], item[1]))
    return [q for _, _, q in open_]
