"""Indicators on the pages: a collectivité's values, and an OPSN's quartiles over those it follows.

Values come from `referential.indicators.compute`, as in the chat. On the whole referential that
costs a few milliseconds per collectivité (the visibility of every question is worked out again
for each indicator), too much for a dashboard of 500. So each indicator is computed on a
referential cut down to the questions it reads (its inputs and the questions their conditions
name: the same results, checked by a test against `compute_all`), and the values are cached by
the answers indicators read: most collectivités share the same few (none yet, before level 2),
and a dashboard asked again costs almost nothing.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from referential.formulas import Indicator
from referential.indicators import IndicatorValue, compute
from referential.models import Referential
from referential.numbers import format_french
from web_summary.schemas import IndicatorOut, IndicatorStatOut, MissingOut

MIN_GROUP = 5  # quartiles only over at least five values: no single collectivité stands out
CACHE_SIZE = 4096


def _display(value: Decimal | Fraction | float, unit: str) -> str:
    rounded = Decimal(str(round(float(value), 1))).normalize()
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    return format_french(rounded, unit)


class Calculator:
    """The indicators of one referential, computed from the answers that matter to them."""

    def __init__(self, ref: Referential) -> None:
        self.ref = ref
        self._each: list[tuple[Indicator, Referential]] = []
        needed: set[str] = set()
        for indicator in ref.indicators:
            own = _with_conditions(ref, indicator.formula.inputs())
            needed |= own
            small = ref.model_copy(
                update={"questions": tuple(q for q in ref.questions if q.id in own)}
            )
            self._each.append((indicator, small))
        self.question_ids = frozenset(needed)
        self._cached = functools.lru_cache(maxsize=CACHE_SIZE)(self._compute)

    def _compute(self, key: tuple[tuple[str, str], ...]) -> tuple[IndicatorValue, ...]:
        answers = dict(key)
        return tuple(compute(small, indicator, answers) for indicator, small in self._each)

    def values(self, answers: Mapping[str, str]) -> tuple[IndicatorValue, ...]:
        key = tuple(sorted((q, v) for q, v in answers.items() if q in self.question_ids))
        return self._cached(key)

    def rows(self, answers: Mapping[str, str]) -> list[IndicatorOut]:
        """The collectivité page's section: value and unit, threshold met or not, or what is missing."""
        out = []
        for v in self.values(answers):
            ind = v.indicator
            threshold = ind.threshold
            out.append(
                IndicatorOut(
                    id=ind.id,
                    title=ind.title,
                    unit=ind.unit,
                    value=float(v.value) if v.value is not None else None,
                    display=_display(v.value, ind.unit) if v.value is not None else None,
                    threshold=_display(threshold.value, ind.unit) if threshold else None,
                    threshold_source=threshold.source if threshold else None,
                    higher_is_better=ind.direction.value == "higher",
                    met=v.meets_threshold(),
                    missing=[
                        MissingOut(question_id=q, text=self.ref.question(q).text) for q in v.missing
                    ],
                    reason=v.reason,
                )
            )
        return out


def _with_conditions(ref: Referential, ids: Iterable[str]) -> set[str]:
    """`ids` and the questions their conditions name, up their chains."""
    needed = set(ids)
    todo = list(needed)
    while todo:
        condition = ref.question(todo.pop()).shown_if
        if condition is not None and condition.question not in needed:
            needed.add(condition.question)
            todo.append(condition.question)
    return needed


_calculators: dict[int, Calculator] = {}


def calculator(ref: Referential) -> Calculator:
    """One calculator (and cache) per referential, for the life of the process (a referential
    is not hashable: found by identity, the calculator keeping it alive)."""
    found = _calculators.get(id(ref))
    if found is None or found.ref is not ref:
        found = _calculators[id(ref)] = Calculator(ref)
    return found


def stats(ref: Referential, columns: Iterable[list[float]]) -> list[IndicatorStatOut]:
    """Per indicator: how many values, and the quartiles when there are at least MIN_GROUP."""
    out = []
    for ind, values in zip(ref.indicators, columns, strict=True):
        count = len(values)
        q1 = median = q3 = None
        if count >= MIN_GROUP:
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        out.append(
            IndicatorStatOut(
                id=ind.id,
                title=ind.title,
                unit=ind.unit,
                count=count,
                q1=_display(q1, ind.unit) if q1 is not None else None,
                median=_display(median, ind.unit) if median is not None else None,
                q3=_display(q3, ind.unit) if q3 is not None else None,
            )
        )
    return out
