"""Rules that span several files: unique ids, known references, reachability, counts.

They run on whatever items passed their own validation, and use the raw ids of items that failed
(glossary terms, objectives) so that one broken item is reported once rather than at every use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from referential.dependencies import Placed, check_indicators, check_questions
from referential.errors import ReferentialError
from referential.formulas import Indicator
from referential.models import AnswerType, QuestionContent, Term, Theme
from referential.schema import MetaFile

META = "meta.yaml"
GLOSSARY = "glossary.yaml"
THEMES = "themes/"

# Completeness rules (strict_counts): a session must stay short on a phone (~15 minutes), and
# each theme must weigh enough to give a meaningful sub-score.
LEVEL1_QUESTIONS = (30, 36)
QUESTIONS_PER_THEME = (3, 6)
MAX_CHOICE_QUESTIONS = 2
# Level 2 (answered with the OPSN's help): 110..140 questions over 13 sub-themes (one deepening of
# each level-1 theme, plus the five of « Pour aller plus loin »). A level-2 theme with sub-themes
# counts each of them; one without counts as one sub-theme. The rule applies once level 2 has at
# least one question, so a referential whose level 2 is still being written passes.
LEVEL2_QUESTIONS = (110, 140)
LEVEL2_SUBTHEMES = 13


@dataclass(frozen=True)
class ThemeSource:
    """One theme file after per-item validation: `theme` is None if its header was invalid."""

    file: str
    number: int
    theme: Theme | None
    questions: tuple[QuestionContent, ...]


@dataclass(frozen=True)
class Sources:
    meta: MetaFile | None
    objective_ids: frozenset[str] | None  # None when meta.yaml could not be read at all
    terms: tuple[Term, ...]
    term_ids: frozenset[str] | None  # None when glossary.yaml could not be read at all
    themes: Sequence[ThemeSource]
    indicators: Sequence[Indicator] = ()


def cross_check(sources: Sources, *, strict_counts: bool) -> list[ReferentialError]:
    placed = _placed(sources.themes)
    errors = [
        *_glossary(sources.terms),
        *_themes(sources.themes),
        *_questions(sources),
        *check_questions(placed),
        *check_indicators(sources.indicators, placed),
    ]
    if strict_counts:
        errors.extend(_counts(sources.themes))
        errors.extend(_level_two_counts(sources.themes))
        errors.extend(_coverage(sources))
    return errors


def _duplicates(values: Sequence[tuple[str, str]]) -> Iterator[tuple[int, str, str]]:
    """(index, value, first file) for every value already seen; values are (value, file) pairs."""
    first: dict[str, str] = {}
    for index, (value, file) in enumerate(values):
        if value in first:
            yield index, value, first[value]
        else:
            first[value] = file


def _glossary(terms: Sequence[Term]) -> Iterator[ReferentialError]:
    for _, value, _ in _duplicates([(t.id, GLOSSARY) for t in terms]):
        yield ReferentialError(GLOSSARY, value, "id", "identifiant de terme en double")
    labels = [(t.term.casefold(), t.id) for t in terms]
    for index, _, other in _duplicates(labels):
        message = f"terme « {terms[index].term} » déjà défini par « {other} »"
        yield ReferentialError(GLOSSARY, terms[index].id, "term", message)


def _themes(sources: Sequence[ThemeSource]) -> Iterator[ReferentialError]:
    placed = [s for s in sources if s.theme is not None]
    for source in placed:
        assert source.theme is not None
        theme = source.theme
        if source.number != theme.order:
            message = (
                f"le numéro du fichier ({source.number:02d}) ne correspond pas "
                f"à l'ordre du thème ({theme.order})"
            )
            yield ReferentialError(source.file, theme.id, "order", message)
    ids = [(s.theme.id, s.file) for s in placed if s.theme is not None]
    for index, value, first in _duplicates(ids):
        message = f"identifiant de thème déjà utilisé dans {first}"
        yield ReferentialError(placed[index].file, value, "id", message)
    orders = [(str(s.theme.order), s.file) for s in placed if s.theme is not None]
    for index, value, first in _duplicates(orders):
        message = f"ordre {value} déjà utilisé dans {first}"
        yield ReferentialError(placed[index].file, ids[index][0], "order", message)


def _questions(sources: Sources) -> Iterator[ReferentialError]:
    located = [(s, q) for s in sources.themes for q in s.questions]
    for source, q in located:
        if source.theme is not None and not q.id.startswith(f"{source.theme.id}-"):
            message = f"l'identifiant doit commencer par « {source.theme.id}- »"
            yield ReferentialError(source.file, q.id, "id", message)
        for index, term_id in enumerate(q.definitions):
            if sources.term_ids is not None and term_id not in sources.term_ids:
                message = f"terme « {term_id} » absent de {GLOSSARY}"
                yield ReferentialError(source.file, q.id, f"definitions[{index}]", message)
        for index, objective in enumerate(q.decree_objectives):
            if sources.objective_ids is not None and objective not in sources.objective_ids:
                message = f"objectif « {objective} » absent de {META}"
                yield ReferentialError(source.file, q.id, f"decree_objectives[{index}]", message)
    for index, value, first in _duplicates([(q.id, s.file) for s, q in located]):
        message = f"identifiant de question déjà utilisé dans {first}"
        yield ReferentialError(located[index][0].file, value, "id", message)
    choices = [
        (s, q)
        for s, q in located
        if q.answer_type is AnswerType.CHOICE and s.theme is not None and s.theme.level == 1
    ]
    for source, q in choices[MAX_CHOICE_QUESTIONS:]:
        message = (
            f"au plus {MAX_CHOICE_QUESTIONS} questions à choix au niveau 1 "
            f"({len(choices)} trouvées : {', '.join(c.id for _, c in choices)})"
        )
        yield ReferentialError(source.file, q.id, "answer_type", message)


def _placed(sources: Sequence[ThemeSource]) -> list[Placed]:
    """Every question with its level and position; questions of an invalid theme header have
    neither, and are left to the error on that header."""
    return [
        Placed(
            source.file,
            q,
            source.theme.level,
            (source.theme.order, index),
            tuple(sub.id for sub in source.theme.subthemes),
        )
        for source in sources
        if source.theme is not None
        for index, q in enumerate(source.questions)
    ]


def _level_one(sources: Sequence[ThemeSource]) -> list[ThemeSource]:
    return [s for s in sources if s.theme is not None and s.theme.level == 1 and not s.theme.locked]


def _counts(sources: Sequence[ThemeSource]) -> Iterator[ReferentialError]:
    level_one = _level_one(sources)
    low, high = QUESTIONS_PER_THEME
    for source in level_one:
        count = len(source.questions)
        if not low <= count <= high:
            assert source.theme is not None
            message = f"un thème de niveau 1 doit avoir de {low} à {high} questions ({count})"
            yield ReferentialError(source.file, source.theme.id, "questions", message)
    total = sum(len(s.questions) for s in level_one)
    low, high = LEVEL1_QUESTIONS
    if not low <= total <= high:
        message = f"le niveau 1 doit compter de {low} à {high} questions au total ({total})"
        yield ReferentialError(THEMES, "niveau 1", "questions", message)


def _level_two_units(sources: Sequence[ThemeSource]) -> list[tuple[str, str, int]]:
    """(file, sub-theme or theme id, question count) for every level-2 sub-theme."""
    units = []
    for source in sources:
        theme = source.theme
        if theme is None or theme.level != 2:
            continue
        if not theme.subthemes:
            units.append((source.file, theme.id, len(source.questions)))
        for sub in theme.subthemes:
            count = sum(1 for q in source.questions if q.subtheme == sub.id)
            units.append((source.file, sub.id, count))
    return units


def _level_two_counts(sources: Sequence[ThemeSource]) -> Iterator[ReferentialError]:
    units = _level_two_units(sources)
    total = sum(count for _, _, count in units)
    if total == 0:
        return  # level 2 not written yet: nothing to count
    for file, unit_id, count in units:
        if count == 0:
            yield ReferentialError(
                file, unit_id, "questions", "sous-thème de niveau 2 sans question"
            )
    if len(units) != LEVEL2_SUBTHEMES:
        found = ", ".join(unit_id for _, unit_id, _ in units)
        message = f"le niveau 2 doit compter {LEVEL2_SUBTHEMES} sous-thèmes ({len(units)} trouvés : {found})"
        yield ReferentialError(THEMES, "niveau 2", "subthemes", message)
    low, high = LEVEL2_QUESTIONS
    if not low <= total <= high:
        message = f"le niveau 2 doit compter de {low} à {high} questions au total ({total})"
        yield ReferentialError(THEMES, "niveau 2", "questions", message)


def _coverage(sources: Sources) -> Iterator[ReferentialError]:
    """Every decree objective must be served by at least one reachable question."""
    if sources.meta is None:
        return
    served = {
        objective
        for s in sources.themes
        if s.theme is not None and not s.theme.locked
        for q in s.questions
        for objective in q.decree_objectives
    }
    for objective in sources.meta.decree_objectives:
        if objective.id not in served:
            message = "aucune question ne sert cet objectif"
            yield ReferentialError(META, objective.id, "decree_objectives", message)
