"""A question as written in a theme file: its text, its answer's shape, its conditions and rules.

What depends only on the question itself is checked here (per answer type: which fields it takes,
bounds, the French `example`, see `referential.shape`); what names other questions (``shown_if``, the compatibility of
``recommend_if`` rules) is checked across files by `referential.dependencies`.

The YAML fields by answer type (everything else is shared):

=================  ===========================================================================
yes_no             nothing more (answers: oui, non, nsp)
choice             ``options`` (2–5, each with its ``credit``, one worth 1)
multi_choice       ``options`` (2–8, no credit: not scored)
integer, decimal   ``unit`` (optional), ``min`` (default 0), ``max``, ``example`` (« 1 200 »)
percent            ``min``/``max`` within 0–100, ``example`` (« 35 % »)
amount_eur         ``min`` (default 0), ``max``, ``example`` (« 12 500 € »), cents at most
year               ``min``/``max`` (default 1900–2100), ``example`` (« 2019 »)
date               ``example`` (optional, « 15/03/2027 »)
text               ``max_length`` (1–300), ``example`` (optional), ``personal_data``
=================  ===========================================================================
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from referential.conditions import RecommendRule, ShownIf
from referential.fields import (
    TEXT_ANSWER_MAX,
    Credit,
    HttpsUrl,
    Number,
    ObjectiveId,
    OptionId,
    QuestionId,
    QuestionText,
    SubThemeId,
    TermId,
    Text40,
    Text120,
    Text600,
    ThemeId,
    Unit,
    count_between,
    ensure_unique,
)
from referential.kinds import (
    IMPLIED_UNITS,
    NOT_APPLICABLE,
    OPTION_TYPES,
    SCORED_TYPES,
    AnswerType,
    Priority,
)
from referential.shape import (
    check_bound,
    check_example,
    check_max_length,
    check_order,
    check_unit,
    effective_bounds,
    refuse,
)

_CONFIG = ConfigDict(frozen=True, extra="forbid")

OPTION_COUNTS = {AnswerType.CHOICE: (2, 5), AnswerType.MULTI_CHOICE: (2, 8)}
MIN_OPTIONS, MAX_OPTIONS = OPTION_COUNTS[AnswerType.CHOICE]


class Option(BaseModel):
    """One answer of a `choice` question (`credit`: its share of the question's weight) or of a
    `multi_choice` question (no credit)."""

    model_config = _CONFIG
    id: OptionId
    label: Text40
    credit: Credit = 0.0


class Resource(BaseModel):
    model_config = _CONFIG
    title: Text120
    url: HttpsUrl


class Recommendation(BaseModel):
    """Shown when an answer reveals a gap: why the measure matters, how to start, what to read."""

    model_config = _CONFIG
    title: Text120
    why: Text600
    how: Text600
    resources: Annotated[tuple[Resource, ...], count_between(1, 3)]


def _type_of(info: ValidationInfo) -> AnswerType | None:
    value = info.data.get("answer_type")
    return value if isinstance(value, AnswerType) else None


class QuestionContent(BaseModel):
    """A question as written in a theme file (its theme and level come from the file).

    Field order matters: each check reads the fields declared before it.
    """

    model_config = _CONFIG
    id: QuestionId
    text: QuestionText
    help: Text600
    answer_type: AnswerType
    # validate_default on fields a type may require: a missing one must still be reported.
    options: tuple[Option, ...] = Field(default=(), validate_default=True)
    unit: Unit | None = None
    min: Number | None = None
    max: Number | None = Field(default=None, validate_default=True)
    max_length: Annotated[int, Field(strict=True, ge=1, le=TEXT_ANSWER_MAX)] | None = Field(
        default=None, validate_default=True
    )
    example: Text40 | None = Field(default=None, validate_default=True)
    not_applicable: Annotated[bool, Field(strict=True)] = False
    personal_data: Annotated[bool, Field(strict=True)] = False
    shown_if: ShownIf | None = None
    subtheme: SubThemeId | None = None
    definitions: tuple[TermId, ...] = ()
    priority: Priority
    # Governance questions serve the whole programme of work rather than one decree objective:
    # they say so (`transversal: true`) instead of claiming all six objectives.
    transversal: Annotated[bool, Field(strict=True)] = False
    decree_objectives: tuple[ObjectiveId, ...] = Field(default=(), validate_default=True)
    recommend_if: tuple[RecommendRule, ...] = ()
    recommendation: Recommendation | None = Field(default=None, validate_default=True)

    @field_validator("options")
    @classmethod
    def _options_match_type(cls, options: tuple[Option, ...], info: ValidationInfo) -> Any:
        answer_type = _type_of(info)
        if answer_type not in OPTION_TYPES:
            if options and answer_type is not None:
                raise refuse(
                    "options_forbidden",
                    "une question {type} ne doit pas avoir d'options",
                    type="oui/non" if answer_type is AnswerType.YES_NO else answer_type.value,
                )
            return options
        low, high = OPTION_COUNTS[answer_type]
        if not low <= len(options) <= high:
            what = "à choix" if answer_type is AnswerType.CHOICE else "à choix multiples"
            raise refuse(
                "options_count",
                "une question {what} doit avoir de {low} à {high} options ({count} trouvées)",
                what=what,
                low=low,
                high=high,
                count=len(options),
            )
        ensure_unique((option.id for option in options), "option")
        if any(option.id == NOT_APPLICABLE for option in options):
            raise refuse(
                "option_reserved",
                "l'option « nc » est réservée à « Non concerné » (écrire not_applicable: true)",
            )
        if answer_type is AnswerType.MULTI_CHOICE:
            if any(option.credit for option in options):
                raise refuse(
                    "options_credit", "les options d'un choix multiple ne rapportent pas de crédit"
                )
            return options
        for option in options:
            if "credit" not in option.model_fields_set:
                raise refuse("options_credit", "l'option « {id} » n'a pas de crédit", id=option.id)
        if not any(option.credit == 1 for option in options):
            raise refuse("options_credit", "au moins une option doit valoir un crédit de 1")
        return options

    @field_validator("unit")
    @classmethod
    def _unit_fits(cls, unit: str | None, info: ValidationInfo) -> Any:
        if (answer_type := _type_of(info)) is not None:
            check_unit(answer_type, unit)
        return unit

    @field_validator("min", "max")
    @classmethod
    def _bound_fits(cls, bound: Decimal | None, info: ValidationInfo) -> Any:
        if (answer_type := _type_of(info)) is not None:
            check_bound(answer_type, bound)
            if info.field_name == "max":
                check_order(answer_type, info.data.get("min"), bound)
        return bound

    @field_validator("max_length")
    @classmethod
    def _max_length_fits(cls, max_length: int | None, info: ValidationInfo) -> Any:
        if (answer_type := _type_of(info)) is not None:
            check_max_length(answer_type, max_length)
        return max_length

    @field_validator("example")
    @classmethod
    def _example_fits(cls, example: str | None, info: ValidationInfo) -> Any:
        if (answer_type := _type_of(info)) is not None:
            check_example(answer_type, example, info.data)
        return example

    @field_validator("personal_data")
    @classmethod
    def _personal_data_in_text(cls, personal: bool, info: ValidationInfo) -> Any:
        answer_type = _type_of(info)
        if personal and answer_type not in (AnswerType.TEXT, None):
            raise refuse("personal_data", "seule une question text peut contenir un nom")
        return personal

    @field_validator("definitions")
    @classmethod
    def _unique_definitions(cls, definitions: tuple[str, ...]) -> Any:
        ensure_unique(definitions, "terme")
        return definitions

    @field_validator("decree_objectives")
    @classmethod
    def _objectives_or_transversal(cls, objectives: tuple[str, ...], info: ValidationInfo) -> Any:
        transversal = info.data.get("transversal")
        if transversal and objectives:
            raise refuse(
                "transversal_objectives",
                "une question transversale ne porte pas d'objectif du décret (retirer l'un ou l'autre)",
            )
        if not objectives and transversal is False:
            raise refuse(
                "objectives_missing",
                "au moins un objectif du décret attendu, ou transversal: true",
            )
        ensure_unique(objectives, "objectif")
        return objectives

    @field_validator("recommendation")
    @classmethod
    def _recommendation_reachable(
        cls, recommendation: Recommendation | None, info: ValidationInfo
    ) -> Any:
        answer_type = _type_of(info)
        rules = info.data.get("recommend_if") or ()
        if recommendation is None and (answer_type in SCORED_TYPES or rules):
            raise refuse("missing", "champ obligatoire manquant")
        if (
            recommendation is not None
            and answer_type is not None
            and answer_type not in SCORED_TYPES
            and not rules
            and "recommend_if" in info.data
        ):
            raise refuse(
                "recommendation_unreachable",
                "jamais proposée : une question {type} ne la propose que par recommend_if",
                type=answer_type.value,
            )
        return recommendation

    def advice(self) -> Recommendation:
        """The recommendation, for a question known to have one: every question that can open an
        action item does (the loader refuses a scored question without). Raises otherwise."""
        if self.recommendation is None:
            raise ValueError(f"{getattr(self, 'id', '?')} has no recommendation")
        return self.recommendation

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """(min, max) with the type's defaults; (None, None) for a non-numeric question."""
        return effective_bounds(self.answer_type, self.min, self.max)

    def unit_label(self) -> str | None:
        """The unit a number of this question is shown with: its `unit`, or « % », « € »."""
        return self.unit if self.unit is not None else IMPLIED_UNITS.get(self.answer_type)


class Question(QuestionContent):
    """A question placed in its theme; `level` is the theme's level."""

    theme: ThemeId
    level: int
