"""The English overlay: English text for the French referential, kept as data beside it.

Files in ``data/en/*.yaml`` hold any of three mappings keyed by the French ids::

    themes:    {GOV: {title: …, intro: …, subthemes: {GOV2-XX: …}}}
    questions: {GOV-01: {text: …, help: …, options: {oui: …}, unit: …, example: …,
                         recommendation: {title: …, why: …, how: …, resources: [title, …]}}}
    terms:     {referent-nr: {term: …, definition: …}}

Only words are translated: ids, answer types, bounds, rules, urls and weights come from the French
files, so the two can never disagree on what a question is. Every French field of an entry must
have its English (same option ids, same number of resources), with the same length limits. Level 1
(its themes, questions and the glossary terms they use) must be complete when `complete` is asked
(`referential check --lang en`, and always for the shipped data); level 2 and terms only level 2
uses may stay French.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from referential.diagnostics import describe, field_path
from referential.errors import ReferentialError
from referential.fields import (
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
    Unit,
)
from referential.models import Question, Recommendation, Referential, Resource, Term, Theme

ENGLISH_DIR = "en"
LANGUAGES = ("fr", "en")
_CONFIG = ConfigDict(frozen=True, extra="forbid")
_SECTIONS = ("themes", "questions", "terms")


class RecommendationEn(BaseModel):
    model_config = _CONFIG
    title: Text120
    why: Text600
    how: Text600
    resources: tuple[Text120, ...] = ()  # the French resources' titles, in the same order


class QuestionEn(BaseModel):
    model_config = _CONFIG
    text: QuestionText
    help: Text600
    options: dict[OptionId, Text40] = {}
    unit: Unit | None = None
    example: Text40 | None = None
    recommendation: RecommendationEn | None = None


class ThemeEn(BaseModel):
    model_config = _CONFIG
    title: Text120
    intro: Text300
    subthemes: dict[SubThemeId, Text120] = {}


class TermEn(BaseModel):
    model_config = _CONFIG
    term: Text60
    definition: Text400


class OverlayFile(BaseModel):
    """One file of the overlay, as written."""

    model_config = _CONFIG
    themes: dict[ThemeId, ThemeEn] = {}
    questions: dict[QuestionId, QuestionEn] = {}
    terms: dict[TermId, TermEn] = {}


@dataclass
class Overlay:
    """The whole overlay: every entry with the file it came from (for error messages)."""

    themes: dict[str, tuple[str, ThemeEn]] = field(default_factory=dict)
    questions: dict[str, tuple[str, QuestionEn]] = field(default_factory=dict)
    terms: dict[str, tuple[str, TermEn]] = field(default_factory=dict)


def load_overlay(
    root: Path,
    read: Any,
    errors: list[ReferentialError],
) -> Overlay | None:
    """Read ``root/en/*.yaml`` (None when there is no such folder). `read(root, name, errors)` is
    the loader's YAML reader, so duplicated keys and syntax errors are reported the same way."""
    folder = root / ENGLISH_DIR
    if not folder.is_dir():
        return None
    overlay = Overlay()
    for name in sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        file = f"{ENGLISH_DIR}/{name}"
        raw = read(root, file, errors)
        if raw is None:
            continue
        try:
            parsed = OverlayFile.model_validate(raw)
        except ValidationError as exc:
            errors.extend(_located(file, exc))
            continue
        for section in _SECTIONS:
            found: dict[str, tuple[str, Any]] = getattr(overlay, section)
            for item_id, entry in getattr(parsed, section).items():
                if item_id in found:
                    message = f"déjà traduit dans {found[item_id][0]}"
                    errors.append(ReferentialError(file, item_id, None, message))
                else:
                    found[item_id] = (file, entry)
    return overlay


def _located(file: str, exc: ValidationError) -> Iterator[ReferentialError]:
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] in _SECTIONS:
            yield ReferentialError(file, str(loc[1]), field_path(loc[2:]), describe(error))
        else:
            yield ReferentialError(file, None, field_path(loc), describe(error))


def check_overlay(
    ref: Referential, overlay: Overlay | None, *, complete: bool
) -> list[ReferentialError]:
    """Every overlay entry names a French item and gives every French field its English; with
    `complete`, level 1 (themes, questions, the glossary terms they use) is all translated."""
    if overlay is None:
        if not complete:
            return []
        return [ReferentialError(f"{ENGLISH_DIR}/", None, None, "dossier introuvable")]
    errors: list[ReferentialError] = []
    theme_ids = {t.id for t in ref.themes}
    term_ids = {t.id for t in ref.glossary}
    for tid, (file, theme_en) in overlay.themes.items():
        if tid not in theme_ids:
            errors.append(ReferentialError(file, tid, None, "thème absent du référentiel"))
            continue
        wanted = [s.id for s in ref.theme(tid).subthemes]
        errors.extend(_same_keys(file, tid, "subthemes", wanted, theme_en.subthemes))
    for qid, (file, question_en) in overlay.questions.items():
        if not ref.has_question(qid):
            errors.append(ReferentialError(file, qid, None, "question absente du référentiel"))
            continue
        errors.extend(_question_fields(file, ref.question(qid), question_en))
    for term_id, (file, _) in overlay.terms.items():
        if term_id not in term_ids:
            errors.append(ReferentialError(file, term_id, None, "terme absent du glossaire"))
    if complete:
        errors.extend(_missing(ref, overlay))
    return errors


def _same_keys(
    file: str, item_id: str, name: str, wanted: list[str], given: Mapping[str, str]
) -> Iterator[ReferentialError]:
    for key in wanted:
        if key not in given:
            yield ReferentialError(file, item_id, f"{name}.{key}", "traduction manquante")
    for key in given:
        if key not in wanted:
            yield ReferentialError(file, item_id, f"{name}.{key}", "absent du texte français")


def _question_fields(file: str, q: Question, en: QuestionEn) -> Iterator[ReferentialError]:
    yield from _same_keys(file, q.id, "options", [o.id for o in q.options], en.options)
    for name in ("unit", "example"):
        french, english = getattr(q, name), getattr(en, name)
        if french is not None and english is None:
            yield ReferentialError(file, q.id, name, "traduction manquante")
        if french is None and english is not None:
            yield ReferentialError(file, q.id, name, "absent du texte français")
    if q.recommendation is None:
        if en.recommendation is not None:
            yield ReferentialError(file, q.id, "recommendation", "absent du texte français")
        return
    if en.recommendation is None:
        yield ReferentialError(file, q.id, "recommendation", "traduction manquante")
        return
    french_count, count = len(q.recommendation.resources), len(en.recommendation.resources)
    if french_count != count:
        message = f"{french_count} ressource(s) en français, {count} traduite(s)"
        yield ReferentialError(file, q.id, "recommendation.resources", message)


def _missing(ref: Referential, overlay: Overlay) -> Iterator[ReferentialError]:
    where = f"{ENGLISH_DIR}/"
    for theme in ref.level_themes(1):
        if theme.id not in overlay.themes:
            yield ReferentialError(where, theme.id, None, "thème de niveau 1 non traduit")
    for q in ref.level_questions(1):
        if q.id not in overlay.questions:
            yield ReferentialError(where, q.id, None, "question de niveau 1 non traduite")
    used = {term_id for q in ref.level_questions(1) for term_id in q.definitions}
    for term in ref.glossary:
        if term.id in used and term.id not in overlay.terms:
            yield ReferentialError(where, term.id, None, "terme du niveau 1 non traduit")


def translate(ref: Referential, overlay: Overlay) -> Referential:
    """`ref` with the overlay's English wherever it has some (checked by `check_overlay` first);
    what has no English stays French."""
    themes = tuple(_theme(t, overlay.themes[t.id][1]) if t.id in overlay.themes else t
                   for t in ref.themes)  # fmt: skip
    questions = tuple(
        _question(q, overlay.questions[q.id][1]) if q.id in overlay.questions else q
        for q in ref.questions
    )
    glossary = tuple(
        Term(
            id=t.id, term=overlay.terms[t.id][1].term, definition=overlay.terms[t.id][1].definition
        )
        if t.id in overlay.terms
        else t
        for t in ref.glossary
    )
    data = {name: getattr(ref, name) for name in Referential.model_fields}
    data |= {"lang": "en", "themes": themes, "questions": questions, "glossary": glossary}
    translated = Referential(**data)
    translated.set_translated_ids(frozenset(overlay.questions))
    return translated


def _theme(theme: Theme, en: ThemeEn) -> Theme:
    subthemes = tuple(
        s.model_copy(update={"title": en.subthemes.get(s.id, s.title)}) for s in theme.subthemes
    )
    return theme.model_copy(update={"title": en.title, "intro": en.intro, "subthemes": subthemes})


def _question(q: Question, en: QuestionEn) -> Question:
    update: dict[str, Any] = {"text": en.text, "help": en.help}
    if q.options:
        update["options"] = tuple(
            o.model_copy(update={"label": en.options.get(o.id, o.label)}) for o in q.options
        )
    if en.unit is not None:
        update["unit"] = en.unit
    if en.example is not None:
        update["example"] = en.example
    if q.recommendation is not None and en.recommendation is not None:
        rec = en.recommendation
        resources = tuple(
            Resource(title=title, url=french.url)
            for title, french in zip(rec.resources, q.recommendation.resources, strict=True)
        )
        update["recommendation"] = Recommendation(
            title=rec.title, why=rec.why, how=rec.how, resources=resources
        )
    return q.model_copy(update=update)
