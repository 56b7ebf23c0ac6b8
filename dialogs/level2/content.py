"""Level 2's shape for one collectivité: sections (a sub-theme, or a theme without sub-themes),
their shown questions and progress, and the order questions come in. Pure: ref and answers only.

Hidden questions (`shown_if` not met) count nowhere: not in a section's total, not as next.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from referential.answers import is_valid_answer
from referential.models import Question, Referential
from referential.visibility import shown_ids

LEVEL = 2
Answers = Mapping[str, str]


@dataclass(frozen=True)
class Section:
    id: str  # a sub-theme id (« APL-RGPD ») or a theme id (« GOV2 »)
    title: str
    questions: tuple[Question, ...]  # every question, shown or not, in order


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    shown: tuple[Question, ...]
    answered: int

    @property
    def done(self) -> bool:
        return self.answered == len(self.shown)


def short_theme_title(title: str) -> str:
    """« Gouvernance : approfondissement » → « Gouvernance »: the level says the rest."""
    return re.split(r"[\s\u00a0\u202f]+:\s", title, maxsplit=1)[0]


def sections(ref: Referential) -> tuple[Section, ...]:
    """Every section of level 2, locked area included (its gate is the OPSN's acceptance)."""
    found: list[Section] = []
    for theme in ref.level_themes(LEVEL, include_locked=True):
        questions = ref.questions_of(theme.id)
        if not theme.subthemes:
            found.append(Section(theme.id, short_theme_title(theme.title), questions))
            continue
        for sub in theme.subthemes:
            mine = tuple(q for q in questions if q.subtheme == sub.id)
            if mine:
                found.append(Section(sub.id, sub.title, mine))
        loose = tuple(q for q in questions if q.subtheme is None)
        if loose:
            found.append(Section(theme.id, short_theme_title(theme.title), loose))
    return tuple(found)


def section_of(ref: Referential, q: Question) -> Section:
    return next(s for s in sections(ref) if q in s.questions)


def section(ref: Referential, section_id: str) -> Section | None:
    return next((s for s in sections(ref) if s.id == section_id), None)


def is_answered(q: Question, answers: Answers) -> bool:
    value = answers.get(q.id)
    return value is not None and is_valid_answer(q, value)


def progress_of(ref: Referential, answers: Answers) -> tuple[SectionProgress, ...]:
    shown = shown_ids(ref, answers)
    result = []
    for s in sections(ref):
        visible = tuple(q for q in s.questions if q.id in shown)
        result.append(SectionProgress(s, visible, sum(is_answered(q, answers) for q in visible)))
    return tuple(result)


def shown_questions(ref: Referential, answers: Answers) -> tuple[Question, ...]:
    """Level 2's shown questions in the order they are asked (section by section)."""
    shown = shown_ids(ref, answers)
    return tuple(q for s in sections(ref) for q in s.questions if q.id in shown)


def is_level2(ref: Referential, question_id: str) -> bool:
    return ref.has_question(question_id) and ref.question(question_id).level == LEVEL


def next_unanswered(
    ref: Referential, answers: Answers, after: str | None = None
) -> Question | None:
    """The first shown unanswered question after `after`, wrapping round; never `after` itself."""
    questions = shown_questions(ref, answers)
    ids = [q.id for q in questions]
    start = ids.index(after) + 1 if after in ids else 0
    for q in questions[start:] + questions[:start]:
        if q.id != after and not is_answered(q, answers):
            return q
    return None


def previous_shown(ref: Referential, answers: Answers, question_id: str) -> Question | None:
    questions = shown_questions(ref, answers)
    ids = [q.id for q in questions]
    if question_id not in ids or ids.index(question_id) == 0:
        return None
    return questions[ids.index(question_id) - 1]
