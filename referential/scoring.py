"""Maturity index, grade, sub-scores, progress and open recommendations: pure functions, no I/O.

`answers` maps a question id to "oui", "non", "nsp" (je ne sais pas) or, for a choice question, an
option id. A value that is not valid for its question counts as unanswered, so stale answers never
break a score. Arithmetic is exact and in integers — credits are read to the thousandth (0.5 → 500) —
and rounds half up, so 34.5 always gives 35; no float drift, and no `Fraction` in the hot path.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from referential.models import AnswerType, Question, Referential

ANSWER_VALUES = ("oui", "non", "nsp")

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


def is_valid_answer(q: Question, value: str) -> bool:
    if q.answer_type is AnswerType.CHOICE:
        return any(option.id == value for option in q.options)
    return value in ANSWER_VALUES


CREDIT_SCALE = 1000  # credits are written with at most three decimals (0.5, 0.25, 0.333)


def _exact(x: float | Fraction) -> Fraction:
    # Fraction(repr(x)) reads 0.3 as 3/10, not as the binary float just below it.
    return x if isinstance(x, Fraction) else Fraction(repr(float(x)))


def _scaled(x: float) -> int:
    """A credit in thousandths, exactly: 0.5 → 500, 0.333 → 333."""
    return round_half_up(_exact(x) * CREDIT_SCALE)


def _credit(ref: Referential, q: Question, value: str | None) -> int:
    """The credit of `value` in thousandths (0..CREDIT_SCALE)."""
    if value is None or not is_valid_answer(q, value):
        return 0
    if q.answer_type is AnswerType.CHOICE:
        return next(_scaled(o.credit) for o in q.options if o.id == value)
    return _scaled(ref.answer_credits.get(value, 0.0))


def credit(ref: Referential, q: Question, value: str | None) -> float:
    """Share of the question's weight earned by `value`: oui 1, non 0, nsp 0, option credit."""
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
        weight = ref.weight(q)
        earned += weight * _credit(ref, q, answers.get(q.id))
        possible += weight * CREDIT_SCALE
    return _percent(earned, possible)


def _is_answered(q: Question, answers: Answers) -> bool:
    value = answers.get(q.id)
    return value is not None and is_valid_answer(q, value)


def _answered(questions: Iterable[Question], answers: Answers) -> int:
    return sum(1 for q in questions if _is_answered(q, answers))


def maturity_index(ref: Referential, answers: Answers, level: int = 1) -> int:
    """round(100 × Σ weight × credit / Σ weight) over all the level's questions, answered or not."""
    return _index(ref, ref.level_questions(level), answers)


def grade(ref: Referential, index: int) -> str:
    """The first letter whose threshold the index reaches (thresholds are ordered high to low)."""
    for candidate in ref.grades:
        if index >= candidate.min:
            return candidate.letter
    return ref.grades[-1].letter


def theme_score(ref: Referential, answers: Answers, theme_id: str) -> ThemeScore:
    theme = ref.theme(theme_id)
    questions = ref.questions_of(theme_id)
    answered = _answered(questions, answers)
    return ThemeScore(
        theme_id=theme.id,
        title=theme.title,
        index=_index(ref, questions, answers),
        answered=answered,
        total=len(questions),
        percent=_percent(answered, len(questions)),
    )


def progress(ref: Referential, answers: Answers, level: int = 1) -> Progress:
    questions = ref.level_questions(level)
    answered = _answered(questions, answers)
    return Progress(answered, len(questions), _percent(answered, len(questions)))


def score(ref: Referential, answers: Answers, level: int = 1) -> Score:
    index = maturity_index(ref, answers, level)
    return Score(
        index=index,
        grade=grade(ref, index),
        progress=progress(ref, answers, level),
        themes=tuple(theme_score(ref, answers, t.id) for t in ref.level_themes(level)),
    )


def open_recommendations(ref: Referential, answers: Answers, level: int = 1) -> list[Question]:
    """Questions answered without full credit (non, nsp, a partial option), most urgent first.

    Order: priority weight (heaviest first), then theme order, then question order. Unanswered
    questions are not included: the user has not told us yet.
    """
    questions = ref.level_questions(level)  # already in theme order, then question order
    open_ = [
        (position, q)
        for position, q in enumerate(questions)
        if _is_answered(q, answers) and _credit(ref, q, answers[q.id]) < CREDIT_SCALE
    ]
    open_.sort(key=lambda item: (-ref.weight(item[1]), item[0]))
    return [q for _, q in open_]
