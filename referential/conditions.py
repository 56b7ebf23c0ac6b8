"""Declarative tests on one answer, as the YAML writes them — no `eval`, no expression language.

A `Condition` is either a set of accepted answers (``answer: oui``, ``answer: [aucun, nsp]``; for a
multi-choice question, any one of them selected) or numeric bounds (``below: 35``, ``at_least: 1``,
combinable). Two uses:

- ``shown_if`` (a `ShownIf`): the question is asked only when an earlier question of the same level
  has such an answer;
- ``recommend_if`` (a list of `RecommendRule`): the first rule the question's own answer meets
  triggers its recommendation, with the rule's priority (default: the question's).

Evaluation lives in `referential.visibility`; which condition suits which question, below.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from referential.fields import Number, OptionId, QuestionId, one_or_many
from referential.kinds import (
    DONT_KNOW,
    NOT_APPLICABLE,
    NUMERIC_TYPES,
    OPTION_TYPES,
    YES_NO_VALUES,
    AnswerType,
    Priority,
)

_CONFIG = ConfigDict(frozen=True, extra="forbid")
BOUNDS = ("below", "at_most", "above", "at_least")


class Condition(BaseModel):
    model_config = _CONFIG
    answer: Annotated[tuple[OptionId, ...], BeforeValidator(one_or_many)] = ()
    below: Number | None = None  # strictly
    at_most: Number | None = None
    above: Number | None = None  # strictly
    at_least: Number | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        if not self.answer and not self.bounds():
            raise PydanticCustomError(
                "condition_empty",
                "condition vide : écrire answer, ou une borne (below, at_most, above, at_least)",
            )
        if self.answer and self.bounds():
            raise PydanticCustomError(
                "condition_mixed", "answer et une borne numérique ne se combinent pas"
            )
        return self

    def bounds(self) -> dict[str, Decimal]:
        """The numeric bounds written, by name (``{"below": Decimal(35)}``)."""
        return {name: value for name in BOUNDS if (value := getattr(self, name)) is not None}

    def holds_for_number(self, value: Decimal) -> bool:
        tests = {
            "below": value.__lt__,
            "at_most": value.__le__,
            "above": value.__gt__,
            "at_least": value.__ge__,
        }
        return all(tests[name](bound) for name, bound in self.bounds().items())


class ShownIf(Condition):
    question: QuestionId


class RecommendRule(Condition):
    priority: Priority | None = None  # None: the question's own priority


def accepted_values(
    answer_type: AnswerType, option_ids: Collection[str], not_applicable: bool
) -> frozenset[str]:
    """The fixed answers a question of this shape can hold (typed values aside)."""
    if answer_type in OPTION_TYPES:
        values = set(option_ids)
    elif answer_type is AnswerType.YES_NO:
        values = set(YES_NO_VALUES)
    else:
        values = {DONT_KNOW}
    if not_applicable:
        values.add(NOT_APPLICABLE)
    return frozenset(values)


def incompatibility(
    condition: Condition,
    answer_type: AnswerType,
    option_ids: Collection[str],
    not_applicable: bool,
) -> tuple[str, str] | None:
    """(field, French message) if `condition` cannot apply to such a question, else None."""
    if condition.bounds() and answer_type not in NUMERIC_TYPES:
        name = next(iter(condition.bounds()))
        return name, f"une borne numérique ne s'applique pas à une question {answer_type.value}"
    accepted = accepted_values(answer_type, option_ids, not_applicable)
    for index, value in enumerate(condition.answer):
        if value not in accepted:
            allowed = ", ".join(sorted(accepted))
            return f"answer[{index}]", f"réponse « {value} » impossible (permises : {allowed})"
    return None
