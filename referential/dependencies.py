"""Cross-file rules about what names a question: conditions, recommendation rules, sub-themes and
indicator formulas. Each error names the file, the item id and the field.

- ``shown_if`` names an existing question, *earlier* in the referential and of the *same level*,
  and an answer that question can hold (options, oui/non/nsp, nc if offered; bounds only on a
  numeric question);
- ``recommend_if`` rules fit their own question the same way;
- ``subtheme`` is one of the theme's sub-themes, and required when the theme has some;
- indicator formulas name existing questions; ``sum``, ``mean``, ``ratio`` and ``share`` read
  numeric answers (years only in a ``mean``), and ``sum``, ``mean`` and ``share`` add like with like
  (same answer type and unit); a ``count``'s condition fits each question it counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from referential.conditions import Condition, incompatibility
from referential.errors import ReferentialError
from referential.formulas import FormulaKind, Indicator
from referential.kinds import NUMERIC_TYPES, AnswerType
from referential.question import QuestionContent

INDICATORS = "indicators.yaml"


@dataclass(frozen=True)
class Placed:
    """A question with what the cross-file rules need to know about where it sits."""

    file: str
    question: QuestionContent
    level: int
    position: tuple[int, int]  # (theme order, index in its file): the referential's order
    subthemes: tuple[str, ...]  # its theme's sub-theme ids


def check_questions(placed: Sequence[Placed]) -> Iterator[ReferentialError]:
    by_id = {p.question.id: p for p in placed}
    for p in placed:
        q = p.question
        if q.shown_if is not None:
            yield from _shown_if(p, q.shown_if.question, q.shown_if, by_id)
        for index, rule in enumerate(q.recommend_if):
            found = _fits(rule, q)
            if found is not None:
                field, message = found
                yield ReferentialError(p.file, q.id, f"recommend_if[{index}].{field}", message)
        yield from _subtheme(p)


def check_indicators(
    indicators: Sequence[Indicator], placed: Sequence[Placed]
) -> Iterator[ReferentialError]:
    by_id = {p.question.id: p.question for p in placed}
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            yield ReferentialError(INDICATORS, indicator.id, "id", "identifiant en double")
        seen.add(indicator.id)
        yield from _formula(indicator, by_id)


def _fits(condition: Condition, q: QuestionContent) -> tuple[str, str] | None:
    option_ids = [option.id for option in q.options]
    return incompatibility(condition, q.answer_type, option_ids, q.not_applicable)


def _shown_if(
    p: Placed, target_id: str, condition: Condition, by_id: dict[str, Placed]
) -> Iterator[ReferentialError]:
    q = p.question
    target = by_id.get(target_id)
    if target is None:
        yield ReferentialError(
            p.file, q.id, "shown_if.question", f"question « {target_id} » inconnue"
        )
        return
    if target.level != p.level:
        message = (
            f"« {target_id} » est de niveau {target.level}, cette question de niveau {p.level}"
        )
        yield ReferentialError(p.file, q.id, "shown_if.question", message)
    elif target.position >= p.position:
        message = f"« {target_id} » doit être posée avant cette question"
        yield ReferentialError(p.file, q.id, "shown_if.question", message)
    found = _fits(condition, target.question)
    if found is not None:
        field, message = found
        yield ReferentialError(p.file, q.id, f"shown_if.{field}", f"{target_id} : {message}")


def _subtheme(p: Placed) -> Iterator[ReferentialError]:
    q = p.question
    if q.subtheme is None and p.subthemes:
        message = f"champ obligatoire : le thème a des sous-thèmes ({', '.join(p.subthemes)})"
        yield ReferentialError(p.file, q.id, "subtheme", message)
    elif q.subtheme is not None and q.subtheme not in p.subthemes:
        known = ", ".join(p.subthemes) or "aucun"
        message = f"sous-thème « {q.subtheme} » absent du thème (sous-thèmes : {known})"
        yield ReferentialError(p.file, q.id, "subtheme", message)


def _formula(indicator: Indicator, by_id: dict[str, QuestionContent]) -> Iterator[ReferentialError]:
    formula = indicator.formula
    kinds: set[tuple[AnswerType, str | None]] = set()
    for field, ids in formula.operands().items():
        for index, qid in enumerate(ids):
            where = f"formula.{field}[{index}]"
            q = by_id.get(qid)
            if q is None:
                yield ReferentialError(
                    INDICATORS, indicator.id, where, f"question « {qid} » inconnue"
                )
                continue
            if formula.kind is FormulaKind.COUNT:
                assert formula.where is not None
                found = _fits(formula.where, q)
                if found is not None:
                    message = f"{qid} : {found[1]}"
                    yield ReferentialError(
                        INDICATORS, indicator.id, f"formula.where.{found[0]}", message
                    )
                continue
            if q.answer_type not in NUMERIC_TYPES:
                message = f"« {qid} » n'est pas numérique ({q.answer_type.value})"
                yield ReferentialError(INDICATORS, indicator.id, where, message)
                continue
            if q.answer_type is AnswerType.YEAR and formula.kind is not FormulaKind.MEAN:
                message = f"« {qid} » est une année : seule une moyenne (mean) en a un sens"
                yield ReferentialError(INDICATORS, indicator.id, where, message)
                continue
            kinds.add((q.answer_type, q.unit_label()))
            if formula.kind is not FormulaKind.RATIO and len(kinds) > 1:
                shown = ", ".join(sorted(f"{t.value} ({u or 'sans unité'})" for t, u in kinds))
                message = f"additionne des grandeurs différentes : {shown}"
                yield ReferentialError(INDICATORS, indicator.id, where, message)
                return
