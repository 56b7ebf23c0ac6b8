"""Typed, frozen models of the referential: what the rest of the application reads.

`referential.loader` validates the YAML files against these models; per-field limits come from
`referential.fields`, cross-file rules (unique ids, known glossary terms…) from `referential.rules`.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from referential.fields import (
    Credit,
    GradeLetter,
    HttpsUrl,
    ObjectiveId,
    OptionId,
    QuestionId,
    QuestionText,
    SubThemeId,
    TermId,
    Text40,
    Text60,
    Text120,
    Text300,
    Text400,
    Text600,
    ThemeId,
    count_between,
    ensure_unique,
)

_CONFIG = ConfigDict(frozen=True, extra="forbid")

MIN_OPTIONS = 2
MAX_OPTIONS = 5


class Priority(StrEnum):
    PRIORITAIRE = "prioritaire"
    NECESSAIRE = "necessaire"
    RECOMMANDEE = "recommandee"


class AnswerType(StrEnum):
    YES_NO = "yes_no"  # oui / non / je ne sais pas
    CHOICE = "choice"  # one of the question's options


class Option(BaseModel):
    """One answer of a `choice` question; `credit` is its share of the question's weight."""

    model_config = _CONFIG
    id: OptionId
    label: Text40
    credit: Credit


class Resource(BaseModel):
    model_config = _CONFIG
    title: Text120
    url: HttpsUrl


class Recommendation(BaseModel):
    """Shown after a « non »: why the measure matters, how to start, where to read more."""

    model_config = _CONFIG
    title: Text120
    why: Text600
    how: Text600
    resources: Annotated[tuple[Resource, ...], count_between(1, 3)]


class QuestionContent(BaseModel):
    """A question as written in a theme file (its theme and level come from the file)."""

    model_config = _CONFIG
    id: QuestionId
    text: QuestionText
    help: Text600
    answer_type: AnswerType
    # validate_default: a choice question without `options` must still be checked.
    options: tuple[Option, ...] = Field(default=(), validate_default=True)
    definitions: tuple[TermId, ...] = ()
    priority: Priority
    decree_objectives: Annotated[tuple[ObjectiveId, ...], count_between(1)]
    recommendation: Recommendation

    @field_validator("options")
    @classmethod
    def _options_match_type(cls, options: tuple[Option, ...], info: ValidationInfo) -> Any:
        answer_type = info.data.get("answer_type")
        if answer_type is AnswerType.YES_NO and options:
            raise PydanticCustomError(
                "options_forbidden", "une question oui/non ne doit pas avoir d'options"
            )
        if answer_type is AnswerType.CHOICE:
            if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
                raise PydanticCustomError(
                    "options_count",
                    "une question à choix doit avoir de {low} à {high} options ({count} trouvées)",
                    {"low": MIN_OPTIONS, "high": MAX_OPTIONS, "count": len(options)},
                )
            ensure_unique((option.id for option in options), "option")
            if not any(option.credit == 1 for option in options):
                raise PydanticCustomError(
                    "options_credit", "au moins une option doit valoir un crédit de 1"
                )
        return options

    @field_validator("definitions")
    @classmethod
    def _unique_definitions(cls, definitions: tuple[str, ...]) -> Any:
        ensure_unique(definitions, "terme")
        return definitions

    @field_validator("decree_objectives")
    @classmethod
    def _unique_objectives(cls, objectives: tuple[str, ...]) -> Any:
        ensure_unique(objectives, "objectif")
        return objectives


class Question(QuestionContent):
    """A question placed in its theme; `level` is the theme's level."""

    theme: ThemeId
    level: int


class SubTheme(BaseModel):
    model_config = _CONFIG
    id: SubThemeId
    title: Text120


class Theme(BaseModel):
    model_config = _CONFIG
    id: ThemeId
    title: Text120
    level: Annotated[int, Field(strict=True, ge=1)]
    order: Annotated[int, Field(strict=True, ge=1, le=99)]
    locked: Annotated[bool, Field(strict=True)] = False
    intro: Text300
    subthemes: tuple[SubTheme, ...] = ()

    @field_validator("subthemes")
    @classmethod
    def _subthemes_belong(cls, subthemes: tuple[SubTheme, ...], info: ValidationInfo) -> Any:
        theme_id = info.data.get("id")
        for subtheme in subthemes:
            if theme_id and not subtheme.id.startswith(f"{theme_id}-"):
                raise PydanticCustomError(
                    "subtheme_prefix",
                    "le sous-thème « {sub} » doit commencer par « {theme}- »",
                    {"sub": subtheme.id, "theme": theme_id},
                )
        ensure_unique((subtheme.id for subtheme in subthemes), "sous-thème")
        return subthemes


class Term(BaseModel):
    model_config = _CONFIG
    id: TermId
    term: Text60
    definition: Text400


class Grade(BaseModel):
    """A letter and the lowest maturity index that earns it."""

    model_config = _CONFIG
    letter: GradeLetter
    min: Annotated[int, Field(strict=True, ge=0, le=100)]


class Objective(BaseModel):
    """One of the objectives of décret n° 2022-1084 (art. D. 2311-15-1 CGCT)."""

    model_config = _CONFIG
    id: ObjectiveId
    title: Text120


class Referential(BaseModel):
    """The whole referential, already checked: themes ordered by `order`, questions in theme order
    then file order. Lookups raise `KeyError` for unknown ids."""

    model_config = _CONFIG
    version: str
    date: datetime.date
    grades: tuple[Grade, ...]
    weights: dict[Priority, int]
    answer_credits: dict[str, float]
    objectives: tuple[Objective, ...]
    themes: tuple[Theme, ...]
    questions: tuple[Question, ...]
    glossary: tuple[Term, ...]

    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)
    _themes: dict[str, Theme] = PrivateAttr(default_factory=dict)
    _terms: dict[str, Term] = PrivateAttr(default_factory=dict)
    _by_theme: dict[str, tuple[Question, ...]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._questions = {q.id: q for q in self.questions}
        self._themes = {t.id: t for t in self.themes}
        self._terms = {t.id: t for t in self.glossary}
        self._by_theme = {
            t.id: tuple(q for q in self.questions if q.theme == t.id) for t in self.themes
        }

    def question(self, qid: str) -> Question:
        return self._questions[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self._questions

    def theme(self, tid: str) -> Theme:
        return self._themes[tid]

    def term(self, term_id: str) -> Term:
        return self._terms[term_id]

    def objective(self, objective_id: str) -> Objective:
        for objective in self.objectives:
            if objective.id == objective_id:
                return objective
        raise KeyError(objective_id)

    def level_themes(self, level: int = 1) -> tuple[Theme, ...]:
        """The unlocked themes of `level`, in order: what a user can actually answer."""
        return tuple(t for t in self.themes if t.level == level and not t.locked)

    def level_questions(self, level: int = 1) -> tuple[Question, ...]:
        return tuple(q for t in self.level_themes(level) for q in self._by_theme[t.id])

    def questions_of(self, theme_id: str) -> tuple[Question, ...]:
        return self._by_theme[theme_id]

    def weight(self, q: Question) -> int:
        return self.weights[q.priority]
