"""Typed, frozen models of the referential: what the rest of the application reads.

`referential.loader` validates the YAML files against these models; per-field limits come from
`referential.fields`, cross-file rules (unique ids, known glossary terms…) from `referential.rules`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from referential.fields import (
    GradeLetter,
    ObjectiveId,
    SubThemeId,
    TermId,
    Text60,
    Text120,
    Text300,
    Text400,
    ThemeId,
    ensure_unique,
)
from referential.formulas import Indicator
from referential.kinds import AnswerType, Priority
from referential.question import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    Option,
    Question,
    QuestionContent,
    Recommendation,
    Resource,
)

__all__ = [
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "AnswerType",
    "Grade",
    "Indicator",
    "Objective",
    "Option",
    "Priority",
    "Question",
    "QuestionContent",
    "Recommendation",
    "Referential",
    "Resource",
    "SubTheme",
    "Term",
    "Theme",
]

_CONFIG = ConfigDict(frozen=True, extra="forbid")


class SubTheme(BaseModel):
    model_config = _CONFIG
    id: SubThemeId
    title: Text120


class Theme(BaseModel):
    """A theme file's header. `locked`: the theme opens only once the collectivité is attached to
    its OPSN (the level-2 area « Pour aller plus loin »); a locked theme is never level 1."""

    model_config = _CONFIG
    id: ThemeId
    title: Text120
    level: Annotated[int, Field(strict=True, ge=1)]
    order: Annotated[int, Field(strict=True, ge=1, le=99)]
    locked: Annotated[bool, Field(strict=True)] = False
    intro: Text300
    subthemes: tuple[SubTheme, ...] = ()

    @field_validator("locked")
    @classmethod
    def _level_one_is_open(cls, locked: bool, info: ValidationInfo) -> Any:
        if locked and info.data.get("level") == 1:
            raise PydanticCustomError(
                "locked_level_one", "un thème de niveau 1 ne peut pas être verrouillé"
            )
        return locked

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
    indicators: tuple[Indicator, ...] = ()
    lang: str = "fr"  # the language of the texts: "en" for the English overlay applied

    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)
    _themes: dict[str, Theme] = PrivateAttr(default_factory=dict)
    _terms: dict[str, Term] = PrivateAttr(default_factory=dict)
    _by_theme: dict[str, tuple[Question, ...]] = PrivateAttr(default_factory=dict)
    _translations: dict[str, Referential] = PrivateAttr(default_factory=dict)
    _translated_ids: frozenset[str] | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        self._questions = {q.id: q for q in self.questions}
        self._themes = {t.id: t for t in self.themes}
        self._terms = {t.id: t for t in self.glossary}
        self._by_theme = {
            t.id: tuple(q for q in self.questions if q.theme == t.id) for t in self.themes
        }

    def translated(self, lang: str) -> Referential:
        """The same referential with its texts in `lang` ("fr" or "en"), for a user who reads that
        language. Questions without English (level 2 may stay French) keep their French text: see
        `is_translated`. Without an overlay for `lang`, the referential itself (French)."""
        if lang == self.lang:
            return self
        return self._translations.get(lang, self)

    def attach_translation(self, translated: Referential) -> None:
        """Make `translated` (built by `referential.english.translate`) reachable both ways."""
        self._translations[translated.lang] = translated
        translated._translations[self.lang] = self

    def set_translated_ids(self, ids: frozenset[str]) -> None:
        self._translated_ids = ids

    def is_translated(self, qid: str) -> bool:
        """True when question `qid` is shown in this referential's language (always in French);
        an English user is told once that untranslated questions are in French."""
        return self._translated_ids is None or qid in self._translated_ids

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

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def level_themes(self, level: int = 1, *, include_locked: bool = False) -> tuple[Theme, ...]:
        """The themes of `level` a user can answer, in order: the unlocked ones, and the locked
        ones too with `include_locked` (a collectivité attached to its OPSN)."""
        return tuple(
            t for t in self.themes if t.level == level and (include_locked or not t.locked)
        )

    def level_questions(
        self, level: int = 1, *, include_locked: bool = False
    ) -> tuple[Question, ...]:
        themes = self.level_themes(level, include_locked=include_locked)
        return tuple(q for t in themes for q in self._by_theme[t.id])

    def questions_of(self, theme_id: str) -> tuple[Question, ...]:
        return self._by_theme[theme_id]

    def weight(self, q: Question) -> int:
        return self.weights[q.priority]
