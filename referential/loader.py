"""Read the YAML referential, validate every file, then every cross-file rule, and build the model.

`check_referential` returns every problem (for `ecoclic referential check`); `load_referential`
raises the first one. Each problem names the file, the item id and the field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from referential.diagnostics import describe, field_path
from referential.english import check_overlay, load_overlay, translate
from referential.errors import ReferentialError
from referential.formulas import Indicator
from referential.models import Question, QuestionContent, Referential, Term, Theme
from referential.rules import Sources, ThemeSource, cross_check
from referential.schema import GLOSSARY_FILE_KEYS, THEME_FILE_KEYS, MetaFile

DATA_DIR = Path(__file__).resolve().parent / "data"
META_FILE = "meta.yaml"
GLOSSARY_FILE = "glossary.yaml"
INDICATORS_FILE = "indicators.yaml"  # optional: a referential may have no indicator yet
THEMES_DIR = "themes"
M = TypeVar("M", bound=BaseModel)
THEME_FILE_NAME = re.compile(r"([0-9]{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.yaml")


class _UniqueKeys(yaml.constructor.SafeConstructor):
    """Refuses duplicated keys, which plain YAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base class reports unhashable keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"clé « {key} » en double", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


class _PyLoader(_UniqueKeys, yaml.SafeLoader):
    """The pure-Python safe loader, refusing duplicated keys."""


# libyaml's parser when PyYAML was built with it: the shipped files parse in ~10 ms instead of
# ~120 ms, which every command loading the referential pays at start-up. The constructor (and so
# the duplicate-key check) is the same Python code either way; both loaders are safe.
_UniqueKeyLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = _PyLoader
if yaml.__with_libyaml__:

    class _CLoader(_UniqueKeys, yaml.CSafeLoader):
        """libyaml's safe loader, refusing duplicated keys."""

    _UniqueKeyLoader = _CLoader


@dataclass(frozen=True)
class Inspection:
    """Everything a check learns: the referential (None if any error), the errors, and each theme
    file as read, so a report can show counts even when the referential does not load."""

    referential: Referential | None
    errors: list[ReferentialError]
    sources: list[ThemeSource]


def inspect_referential(
    path: Path | None = None, *, strict_counts: bool | None = None, english: bool | None = None
) -> Inspection:
    """Validate the referential at `path` (default: the shipped data) and report all findings.

    `strict_counts` adds the completeness rules (30..36 level-1 questions, 3..6 per theme, every
    decree objective served, level 2's counts once it has questions); by default it applies only
    to the shipped data, because test fixtures are deliberately small. `english` requires the
    English overlay to cover level 1 and the glossary (default: as `strict_counts`); an overlay
    that exists is always checked entry by entry.
    """
    if strict_counts is None:
        strict_counts = path is None or path.resolve() == DATA_DIR
    if english is None:
        english = strict_counts
    return _build(path or DATA_DIR, strict_counts=strict_counts, english=english)


def check_referential(
    path: Path | None = None, *, strict_counts: bool | None = None, english: bool | None = None
) -> list[ReferentialError]:
    """Every problem found in the referential (see `inspect_referential` for the options)."""
    return inspect_referential(path, strict_counts=strict_counts, english=english).errors


def load_referential(path: Path | None = None, *, strict_counts: bool = False) -> Referential:
    """Load and validate the referential; raise the first `ReferentialError` found."""
    inspection = _build(path or DATA_DIR, strict_counts=strict_counts, english=False)
    if inspection.errors:
        raise inspection.errors[0]
    assert inspection.referential is not None
    return inspection.referential


@functools.cache
def default_referential() -> Referential:
    """The shipped referential, loaded once per process."""
    return load_referential()


def _build(root: Path, *, strict_counts: bool, english: bool) -> Inspection:
    if not root.is_dir():
        return Inspection(
            None, [ReferentialError(str(root), None, None, "dossier introuvable")], []
        )
    errors: list[ReferentialError] = []
    meta, objective_ids = _load_meta(root, errors)
    terms, term_ids = _load_glossary(root, errors)
    themes = _load_themes(root, errors)
    indicators = _load_indicators(root, errors)
    sources = Sources(meta, objective_ids, terms, term_ids, themes, indicators)
    errors.extend(cross_check(sources, strict_counts=strict_counts))
    overlay = load_overlay(root, _read_yaml, errors)
    if errors or meta is None:
        return Inspection(None, errors, themes)
    ref = _assemble(meta, terms, themes, indicators)
    errors.extend(check_overlay(ref, overlay, complete=english))
    if errors:
        return Inspection(None, errors, themes)
    if overlay is not None:
        ref.attach_translation(translate(ref, overlay))
    return Inspection(ref, errors, themes)


def _assemble(
    meta: MetaFile,
    terms: Sequence[Term],
    sources: Sequence[ThemeSource],
    indicators: Sequence[Indicator] = (),
) -> Referential:
    placed = sorted(
        ((s.theme, s.questions) for s in sources if s.theme is not None),
        key=lambda pair: pair[0].order,
    )
    questions = tuple(
        Question.model_validate({**q.model_dump(), "theme": theme.id, "level": theme.level})
        for theme, contents in placed
        for q in contents
    )
    return Referential(
        version=meta.version,
        date=meta.date,
        grades=meta.grades,
        weights=dict(meta.weights),
        answer_credits=dict(meta.answer_credits),
        objectives=meta.decree_objectives,
        themes=tuple(theme for theme, _ in placed),
        questions=questions,
        glossary=tuple(terms),
        indicators=tuple(indicators),
    )


def _read_yaml(root: Path, name: str, errors: list[ReferentialError]) -> dict[str, Any] | None:
    """The file's top-level mapping, or None after recording why it cannot be read."""
    try:
        text = (root / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(ReferentialError(name, None, None, "fichier introuvable"))
        return None
    except UnicodeDecodeError:
        errors.append(ReferentialError(name, None, None, "le fichier doit être encodé en UTF-8"))
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: safe
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (ligne {mark.line + 1}, colonne {mark.column + 1})" if mark else ""
        errors.append(ReferentialError(name, None, None, f"YAML invalide : {exc.problem}{where}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(ReferentialError(name, None, None, f"YAML invalide : {exc}"))
        return None
    if not isinstance(data, dict):
        message = "fichier vide" if data is None else "doit contenir un dictionnaire (clé: valeur)"
        errors.append(ReferentialError(name, None, None, message))
        return None
    return data


def _raw_id(item: object) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _validate(
    model: type[M],
    raw: object,
    file: str,
    item_id: str | None,
    errors: list[ReferentialError],
    lists: Mapping[str, Sequence[object]] | None = None,
) -> M | None:
    """Validate one item; on failure record its errors.

    With `lists`, an error inside one of those lists of items is located by that item's own id:
    ``meta.yaml: O3: title`` rather than ``meta.yaml: decree_objectives[2].title``.
    """
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, located = error["loc"], item_id
            if lists and len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
                items = lists.get(loc[0], ())
                if loc[1] < len(items) and (found := _raw_id(items[loc[1]])):
                    loc, located = loc[2:], found
            errors.append(ReferentialError(file, located, field_path(loc), describe(error)))
        return None


def _load_meta(
    root: Path, errors: list[ReferentialError]
) -> tuple[MetaFile | None, frozenset[str] | None]:
    raw = _read_yaml(root, META_FILE, errors)
    if raw is None:
        return None, None
    objectives = raw.get("decree_objectives")
    objectives = objectives if isinstance(objectives, list) else []
    raw_ids = frozenset(i for i in map(_raw_id, objectives) if i)
    meta = _validate(MetaFile, raw, META_FILE, None, errors, {"decree_objectives": objectives})
    return meta, raw_ids


def _unknown_keys(
    raw: Mapping[str, Any], allowed: Sequence[str], file: str, errors: list[ReferentialError]
) -> None:
    for key in raw:
        if key not in allowed:
            message = f"champ inconnu (champs permis : {', '.join(allowed)})"
            errors.append(ReferentialError(file, None, str(key), message))


def _items(
    raw: Mapping[str, Any], key: str, file: str, errors: list[ReferentialError]
) -> list[object]:
    """The list under `key` (required; may be empty)."""
    if key not in raw:
        errors.append(ReferentialError(file, None, key, "champ obligatoire manquant"))
        return []
    items = raw[key]
    if items is None:  # `questions:` with nothing after it reads as null: treat as empty
        return []
    if not isinstance(items, list):
        errors.append(ReferentialError(file, None, key, "doit être une liste"))
        return []
    return items


def _load_glossary(
    root: Path, errors: list[ReferentialError]
) -> tuple[tuple[Term, ...], frozenset[str] | None]:
    raw = _read_yaml(root, GLOSSARY_FILE, errors)
    if raw is None:
        return (), None
    _unknown_keys(raw, GLOSSARY_FILE_KEYS, GLOSSARY_FILE, errors)
    items = _items(raw, "terms", GLOSSARY_FILE, errors)
    terms = []
    for index, item in enumerate(items):
        term = _validate(Term, item, GLOSSARY_FILE, _raw_id(item) or f"terms[{index}]", errors)
        if term is not None:
            terms.append(term)
    # Ids of invalid terms still count as known, so one bad term is reported once, not per use.
    return tuple(terms), frozenset(i for i in map(_raw_id, items) if i)


def _load_indicators(root: Path, errors: list[ReferentialError]) -> tuple[Indicator, ...]:
    if not (root / INDICATORS_FILE).exists():
        return ()
    raw = _read_yaml(root, INDICATORS_FILE, errors)
    if raw is None:
        return ()
    _unknown_keys(raw, ("indicators",), INDICATORS_FILE, errors)
    found = []
    for index, item in enumerate(_items(raw, "indicators", INDICATORS_FILE, errors)):
        item_id = _raw_id(item) or f"indicators[{index}]"
        indicator = _validate(Indicator, item, INDICATORS_FILE, item_id, errors)
        if indicator is not None:
            found.append(indicator)
    return tuple(found)


def _load_themes(root: Path, errors: list[ReferentialError]) -> list[ThemeSource]:
    folder = root / THEMES_DIR
    if not folder.is_dir():
        errors.append(ReferentialError(f"{THEMES_DIR}/", None, None, "dossier introuvable"))
        return []
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    if not names:
        errors.append(ReferentialError(f"{THEMES_DIR}/", None, None, "aucun fichier de thème"))
    return [source for name in names if (source := _load_theme(root, name, errors))]


def _load_theme(root: Path, name: str, errors: list[ReferentialError]) -> ThemeSource | None:
    file = f"{THEMES_DIR}/{name}"
    match = THEME_FILE_NAME.fullmatch(name)
    if match is None:
        message = "nom de fichier invalide (attendu : NN-nom.yaml, ex. 01-gouvernance.yaml)"
        errors.append(ReferentialError(file, None, None, message))
        return None
    raw = _read_yaml(root, file, errors)
    if raw is None:
        return None
    _unknown_keys(raw, THEME_FILE_KEYS, file, errors)
    theme = None
    if "theme" not in raw:
        errors.append(ReferentialError(file, None, "theme", "champ obligatoire manquant"))
    else:
        theme = _validate(Theme, raw["theme"], file, _raw_id(raw["theme"]), errors)
    questions = []
    for index, item in enumerate(_items(raw, "questions", file, errors)):
        item_id = _raw_id(item) or f"questions[{index}]"
        question = _validate(QuestionContent, item, file, item_id, errors)
        if question is not None:
            questions.append(question)
    return ThemeSource(file, int(match.group(1)), theme, tuple(questions))
