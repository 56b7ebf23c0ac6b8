"""Indicators as `indicators.yaml` declares them: what they measure and from which answers.

A formula is data, never code. Its kinds and the fields each one takes:

- ``sum``   — ``of: [Q…]``: Σ answers;
- ``mean``  — ``of: [Q…]``: average of the answers;
- ``ratio`` — ``numerator: [Q…]``, ``denominator: [Q…]``: Σ numerator / Σ denominator;
- ``share`` — ``part: [Q…]``, ``whole: [Q…]``: 100 × Σ part / Σ whole, in % (unit "%");
- ``count`` — ``of: [Q…]``, ``where: <condition>``: how many of those answers meet the condition.

A single id may be written without brackets. Which questions a formula may name (they must exist and
be numeric, except for ``count``) is checked across files by `referential.dependencies`; the values
are computed by `referential.indicators`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from referential.conditions import Condition
from referential.fields import (
    HttpsUrl,
    IndicatorId,
    Number,
    QuestionId,
    Text120,
    Text200,
    Text600,
    Unit,
    ensure_unique,
    one_or_many,
)

_CONFIG = ConfigDict(frozen=True, extra="forbid")


class FormulaKind(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    RATIO = "ratio"
    SHARE = "share"
    COUNT = "count"


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better


# The operand fields each kind requires; every other operand field must stay empty.
OPERANDS: dict[FormulaKind, tuple[str, ...]] = {
    FormulaKind.SUM: ("of",),
    FormulaKind.MEAN: ("of",),
    FormulaKind.RATIO: ("numerator", "denominator"),
    FormulaKind.SHARE: ("part", "whole"),
    FormulaKind.COUNT: ("of",),
}
_Ids = Annotated[tuple[QuestionId, ...], BeforeValidator(one_or_many)]
_REQUIRED = Field(default=(), validate_default=True)


class Formula(BaseModel):
    model_config = _CONFIG
    kind: FormulaKind
    of: _Ids = _REQUIRED
    numerator: _Ids = _REQUIRED
    denominator: _Ids = _REQUIRED
    part: _Ids = _REQUIRED
    whole: _Ids = _REQUIRED
    # validate_default: a count without `where` must still be reported.
    where: Condition | None = Field(default=None, validate_default=True)

    @field_validator("of", "numerator", "denominator", "part", "whole")
    @classmethod
    def _operand_fits_kind(cls, ids: tuple[str, ...], info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if kind is None:
            return ids  # the kind itself is reported
        assert info.field_name is not None
        wanted = info.field_name in OPERANDS[kind]
        if wanted and not ids:
            raise PydanticCustomError(
                "formula_operand", "champ obligatoire pour une formule {kind}", {"kind": kind.value}
            )
        if not wanted and ids:
            raise PydanticCustomError(
                "formula_operand",
                "champ inutilisé par une formule {kind} (champs : {fields})",
                {"kind": kind.value, "fields": ", ".join(OPERANDS[kind])},
            )
        ensure_unique(ids, "question")
        return ids

    @field_validator("where")
    @classmethod
    def _where_only_for_count(cls, where: Condition | None, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if kind is FormulaKind.COUNT and where is None:
            raise PydanticCustomError("formula_where", "une formule count exige une condition")
        if kind is not None and kind is not FormulaKind.COUNT and where is not None:
            raise PydanticCustomError("formula_where", "seule une formule count prend where")
        return where

    def operands(self) -> dict[str, tuple[str, ...]]:
        """The operand fields of this kind with their question ids, e.g. ``{"part": (…)}``."""
        return {name: getattr(self, name) for name in OPERANDS[self.kind]}

    def inputs(self) -> tuple[str, ...]:
        """Every question the formula reads, once each, in the order written."""
        ids = [qid for ids in self.operands().values() for qid in ids]
        return tuple(dict.fromkeys(ids))


class Threshold(BaseModel):
    """A legal or reference value to compare the indicator with, and where it comes from."""

    model_config = _CONFIG
    value: Number
    source: Text200
    url: HttpsUrl | None = None


class Indicator(BaseModel):
    model_config = _CONFIG
    id: IndicatorId
    title: Text120
    unit: Unit
    direction: Direction
    formula: Formula
    threshold: Threshold | None = None
    help: Text600 | None = None

    @field_validator("formula")
    @classmethod
    def _share_is_a_percentage(cls, formula: Formula, info: ValidationInfo) -> Any:
        if formula.kind is FormulaKind.SHARE and info.data.get("unit") not in (None, "%"):
            raise PydanticCustomError(
                "formula_unit", "une formule share donne des % : l'unité doit être « % »"
            )
        return formula
