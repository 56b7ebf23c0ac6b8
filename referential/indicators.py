"""Indicator values computed from answers: pure functions, exact arithmetic (`Fraction`).

What an input answer gives:
- a number — used;
- « Non concerné », or a question hidden by its condition — nothing to count: 0 in a sum, a ratio
  or a share, left out of a mean, never matching a count's condition;
- nothing usable (unanswered, « je ne sais pas », an invalid value) — *missing*: the indicator is
  "non calculable" and says which answers are missing. A question hidden only because the question
  its condition names has no usable answer yet is missing too, through that question: the missing
  id is the one to answer first.

A ratio or share whose denominator comes to 0, and a mean with nothing left to average, are non
calculable too, with no missing answer but a `reason`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from referential.answers import is_not_applicable, is_valid_answer, number
from referential.formulas import Direction, FormulaKind, Indicator
from referential.kinds import DONT_KNOW
from referential.models import Referential
from referential.scoring import round_half_up
from referential.visibility import answer_meets, shown_ids

Answers = Mapping[str, str]

ZERO_DENOMINATOR = "dénominateur nul"
NOTHING_TO_AVERAGE = "aucune valeur à moyenner"


@dataclass(frozen=True)
class IndicatorValue:
    """`value` is None when the indicator is non calculable: then `missing` lists the answers
    needed (question ids, in formula order) or `reason` says why."""

    indicator: Indicator
    value: Fraction | None
    missing: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def computable(self) -> bool:
        return self.value is not None

    def rounded(self, places: int = 1) -> Decimal | None:
        """The value rounded half up to `places` decimals, for display."""
        if self.value is None:
            return None
        scale = 10**places
        return Decimal(round_half_up(self.value * scale)) / Decimal(scale)

    def meets_threshold(self) -> bool | None:
        """Whether the value reaches the threshold in the good direction; None without either."""
        threshold = self.indicator.threshold
        if self.value is None or threshold is None:
            return None
        target = Fraction(threshold.value)
        if self.indicator.direction is Direction.HIGHER:
            return self.value >= target
        return self.value <= target


def compute(ref: Referential, indicator: Indicator, answers: Answers) -> IndicatorValue:
    """The value of `indicator` given `answers` (see the module docstring for missing inputs)."""
    formula = indicator.formula
    shown = shown_ids(ref, answers)
    missing: list[str] = []
    values: dict[str, Fraction | None] = {}  # None: nothing to count (nc or hidden)
    matched: dict[str, bool] = {}
    for qid in formula.inputs():
        q = ref.question(qid)
        value = answers.get(qid)
        if qid not in shown and (unsettled := _unsettled(ref, qid, answers, shown)) is not None:
            missing.append(unsettled)
        elif qid not in shown or is_not_applicable(q, value):
            values[qid], matched[qid] = None, False
        elif formula.kind is FormulaKind.COUNT:
            if not _usable(ref, qid, value):
                missing.append(qid)
            matched[qid] = formula.where is not None and answer_meets(formula.where, q, value)
        elif (amount := number(q, value)) is None:
            missing.append(qid)
        else:
            values[qid] = Fraction(amount)
    if missing:
        return IndicatorValue(indicator, None, tuple(dict.fromkeys(missing)))
    if formula.kind is FormulaKind.COUNT:
        return IndicatorValue(indicator, Fraction(sum(matched[qid] for qid in formula.of)))
    if formula.kind is FormulaKind.MEAN:
        present = [v for qid in formula.of if (v := values[qid]) is not None]
        if not present:
            return IndicatorValue(indicator, None, reason=NOTHING_TO_AVERAGE)
        return IndicatorValue(indicator, sum(present, Fraction(0)) / len(present))
    sums = {field: _total(ids, values) for field, ids in formula.operands().items()}
    if formula.kind is FormulaKind.SUM:
        return IndicatorValue(indicator, sums["of"])
    top, bottom = (
        (sums["numerator"], sums["denominator"])
        if formula.kind is FormulaKind.RATIO
        else (100 * sums["part"], sums["whole"])
    )
    if bottom == 0:
        return IndicatorValue(indicator, None, reason=ZERO_DENOMINATOR)
    return IndicatorValue(indicator, top / bottom)


def compute_all(ref: Referential, answers: Answers) -> tuple[IndicatorValue, ...]:
    """Every indicator of the referential, in file order."""
    return tuple(compute(ref, indicator, answers) for indicator in ref.indicators)


def _usable(ref: Referential, qid: str, value: str | None) -> bool:
    """Whether `value` tells something: a valid answer other than « je ne sais pas »."""
    return value is not None and value != DONT_KNOW and is_valid_answer(ref.question(qid), value)


def _unsettled(ref: Referential, qid: str, answers: Answers, shown: frozenset[str]) -> str | None:
    """For a hidden question: the question up its chain of conditions still waiting for a usable
    answer, or None when it is hidden by an answer given."""
    condition = ref.question(qid).shown_if
    assert condition is not None  # only questions with a condition are ever hidden
    parent = condition.question
    if parent not in shown:
        return _unsettled(ref, parent, answers, shown)
    return None if _usable(ref, parent, answers.get(parent)) else parent


def _total(ids: tuple[str, ...], values: Mapping[str, Fraction | None]) -> Fraction:
    return sum((v for qid in ids if (v := values[qid]) is not None), Fraction(0))
