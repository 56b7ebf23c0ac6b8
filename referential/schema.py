"""Shapes of the YAML files that have no direct counterpart in `referential.models`."""

from __future__ import annotations

import datetime
import itertools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from referential.fields import Credit, PositiveInt, Version, count_between, ensure_unique
from referential.models import Grade, Objective, Priority

ANSWER_KEYS = ("oui", "non", "nsp")
THEME_FILE_KEYS = ("theme", "questions")
GLOSSARY_FILE_KEYS = ("terms",)


class MetaFile(BaseModel):
    """`meta.yaml`: version, grade thresholds, weights, answer credits and decree objectives."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Version
    date: datetime.date
    grades: Annotated[tuple[Grade, ...], count_between(1)]
    weights: dict[Priority, PositiveInt]
    answer_credits: dict[Literal["oui", "non", "nsp"], Credit]
    decree_objectives: Annotated[tuple[Objective, ...], count_between(1)]

    @field_validator("grades")
    @classmethod
    def _grades_decrease_to_zero(cls, grades: tuple[Grade, ...]) -> Any:
        # The first grade whose min <= index wins, so mins must strictly decrease and end at 0
        # for every index to get exactly one letter.
        ensure_unique((grade.letter for grade in grades), "lettre")
        for higher, lower in itertools.pairwise(grades):
            if lower.min >= higher.min:
                raise PydanticCustomError(
                    "grades_order",
                    "les seuils doivent décroître strictement ({a} : {x}, puis {b} : {y})",
                    {"a": higher.letter, "x": higher.min, "b": lower.letter, "y": lower.min},
                )
        if grades[-1].min != 0:
            raise PydanticCustomError(
                "grades_floor",
                "le dernier seuil doit être 0 (trouvé : {min})",
                {"min": grades[-1].min},
            )
        return grades

    @field_validator("weights")
    @classmethod
    def _all_weights(cls, weights: dict[Priority, int]) -> Any:
        missing = [p.value for p in Priority if p not in weights]
        if missing:
            raise PydanticCustomError(
                "weights_missing",
                "poids manquant pour : {missing}",
                {"missing": ", ".join(missing)},
            )
        return weights

    @field_validator("answer_credits")
    @classmethod
    def _all_credits(cls, credits: dict[str, float]) -> Any:
        missing = [key for key in ANSWER_KEYS if key not in credits]
        if missing:
            raise PydanticCustomError(
                "credits_missing",
                "crédit manquant pour : {missing}",
                {"missing": ", ".join(missing)},
            )
        return credits

    @field_validator("decree_objectives")
    @classmethod
    def _unique_objectives(cls, objectives: tuple[Objective, ...]) -> Any:
        ensure_unique((objective.id for objective in objectives), "objectif")
        return objectives
