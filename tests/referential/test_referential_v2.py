"""Version 2.0.0 of the shipped referential (review of December 2026) and the level-2 count rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referential.loader import check_referential, default_referential
from referential.models import Priority, Question, Referential
from referential.rules import LEVEL1_QUESTIONS, LEVEL2_QUESTIONS
from referential.versioning import V2_ADDED, V2_RETIRED, V2_SPLITS, migrate_answers
from tests.helpers.referential_factory import APL_FILE, question, valid_spec, write_referential

REF = default_referential()

# Version 1.0.0 as shipped before the review: every level-1 id and its answer type.
V1_TYPES = {
    **{f"{theme}-0{n}": "yes_no" for theme in ("GOV", "SEN", "PAR", "RES", "USA", "ECO", "EDI")
       for n in range(1, 5)},
    **{f"ACH-0{n}": "yes_no" for n in range(2, 5)},
    "ACH-01": "choice",
}  # fmt: skip
V1_CHOICE_OPTIONS = ("aucun", "moins20", "plus20", "nsp")


def _level_one_text() -> str:
    parts: list[str] = []
    for q in REF.level_questions():
        parts += [q.text, q.help]
        if q.recommendation is not None:
            parts += [q.recommendation.why, q.recommendation.how]
    return "\n".join(parts + [t.definition for t in REF.glossary])


def test_version_and_counts() -> None:
    assert (REF.version, REF.date.isoformat()) == ("2.0.0", "2026-12-02")
    low, high = LEVEL1_QUESTIONS
    assert low <= len(REF.level_questions()) <= high
    assert check_referential() == []


def test_ids_are_stable_no_id_renamed_or_reused() -> None:
    ids = {q.id for q in REF.level_questions()}
    assert ids == (set(V1_TYPES) - set(V2_RETIRED)) | set(V2_ADDED)
    assert not set(V2_RETIRED) & ids
    assert all(part in ids for parts in V2_SPLITS.values() for part in parts)


def test_every_kept_answer_stays_valid() -> None:
    for qid, answer_type in V1_TYPES.items():
        if qid in V2_RETIRED:
            continue
        assert REF.question(qid).answer_type.value == answer_type, qid
    assert tuple(o.id for o in REF.question("ACH-01").options) == V1_CHOICE_OPTIONS


def _v1_shaped() -> Referential:
    """A 1.0.0 referential with the v1 ids (retired questions rebuilt from a kept one)."""
    kept = [q for q in REF.questions if q.id in V1_TYPES]
    template = REF.question("RES-04")
    retired: list[Question] = [
        template.model_copy(update={"id": qid, "theme": qid[:3]}) for qid in V2_RETIRED
    ]
    data: dict[str, Any] = {name: getattr(REF, name) for name in Referential.model_fields}
    return Referential(**{**data, "version": "1.0.0", "questions": tuple(kept + retired)})


def test_answers_under_v1_migrate_to_v2() -> None:
    old = _v1_shaped()
    answers = {qid: ("plus20" if t == "choice" else "oui") for qid, t in V1_TYPES.items()}
    result = migrate_answers(old, REF, answers)
    assert set(result.kept) == set(V1_TYPES) - set(V2_RETIRED)
    assert set(result.removed) == set(V2_RETIRED)
    added_level_1 = {qid for qid in result.added if REF.question(qid).level == 1}
    assert added_level_1 == set(V2_ADDED)  # level 2 is new in 2.0.0 as a whole
    assert result.invalid == ()
    assert "PAR-05" not in result.kept  # a split question's new part is not guessed


def test_governance_is_transversal_not_all_six_objectives() -> None:
    for qid in ("GOV-01", "GOV-02", "GOV-04"):
        q = REF.question(qid)
        assert q.transversal and q.decree_objectives == ()
    assert len(REF.question("GOV-03").decree_objectives) == 6
    assert all(not q.transversal for q in REF.level_questions() if q.theme != "GOV")


def test_review_corrections() -> None:
    text = _level_one_text()
    assert "2021-254" not in text and "79 %" not in text and "en 2019" not in text
    assert "2024-134" in REF.question("ACH-01").help
    assert "2023-266" in REF.question("PAR-03").help
    assert REF.question("PAR-03").priority is Priority.PRIORITAIRE
    assert "L212-2" in REF.question("RES-03").help
    assert (
        "A à E" in REF.question("ACH-03").help
        and "A à E" in REF.term("indice-reparabilite").definition
    )
    assert REF.question("RES-02").priority is Priority.RECOMMANDEE
    assert REF.question("ECO-01").priority is Priority.NECESSAIRE
    assert {REF.question(q).priority for q in ("EDI-01", "EDI-04")} == {Priority.RECOMMANDEE}
    assert "Windows 11" in REF.question("PAR-06").text


def test_not_applicable_where_a_small_commune_may_have_nothing_to_answer() -> None:
    offered = {q.id for q in REF.level_questions() if q.not_applicable}
    assert offered == {"ACH-02", "ACH-04", "ACH-05", "PAR-06", "RES-02", "RES-05", "ECO-02"}
    for qid in offered:
        assert "Non concerné" in REF.question(qid).help, qid


def test_help_puts_the_answer_rule_first() -> None:
    """Read on a phone, the help starts with when to answer « oui » (review of December 2026)."""
    english = REF.translated("en")
    for q in REF.level_questions():
        if q.answer_type.value == "yes_no":
            assert q.help.startswith("Répondez «\u00a0oui\u00a0»"), q.id
            assert english.question(q.id).help.startswith('Answer "yes"'), q.id


# The level-2 count rule: 110..140 questions over 13 sub-themes, once level 2 has any question.


def _level_two(spec: dict[str, Any], per_theme: int, themes: int) -> None:
    for n in range(themes):
        tid = f"GOV{n + 2}" if n < 8 else None
        assert tid is not None
        spec[f"themes/{11 + n}-niveau2-{n}.yaml"] = {
            "theme": {"id": tid, "title": f"Approfondir {n}", "level": 2, "order": 11 + n,
                      "intro": "Pour aller plus loin avec votre OPSN."},
            "questions": [question(f"{tid}-{i + 1:02d}") for i in range(per_theme)],
        }  # fmt: skip


def _level_two_errors(tmp_path: Path, spec: dict[str, Any]) -> list[tuple[Any, ...]]:
    errors = check_referential(write_referential(tmp_path, spec), strict_counts=True)
    return [(e.file, e.item_id, e.field, e.message) for e in errors if "niveau 2" in str(e)]


def test_level_two_rule_waits_for_level_two_questions(tmp_path: Path) -> None:
    assert _level_two_errors(tmp_path, valid_spec()) == []


def test_level_two_rule_counts_questions_and_subthemes(tmp_path: Path) -> None:
    spec = valid_spec()
    _level_two(spec, per_theme=2, themes=3)
    errors = _level_two_errors(tmp_path, spec)
    assert (APL_FILE, "APL-ACH", "questions", "sous-thème de niveau 2 sans question") in errors
    assert ("themes/", "niveau 2", "subthemes") in [e[:3] for e in errors]
    low, high = LEVEL2_QUESTIONS
    message = f"le niveau 2 doit compter de {low} à {high} questions au total (6)"
    assert ("themes/", "niveau 2", "questions", message) in errors


def test_level_two_rule_passes_when_complete(tmp_path: Path) -> None:
    spec = valid_spec()
    spec[APL_FILE]["theme"]["subthemes"] += [
        {"id": "APL-CYB", "title": "Cybersécurité"},
        {"id": "APL-INC", "title": "Inclusion numérique"},
        {"id": "APL-TER", "title": "Territoires connectés"},
    ]
    spec[APL_FILE]["questions"] = [
        question(f"APL-{i + 1:02d}", subtheme=sub, not_applicable=False)
        for i, sub in enumerate(["APL-ACH", "APL-RGPD", "APL-CYB", "APL-INC", "APL-TER"])
    ]
    _level_two(spec, per_theme=14, themes=8)  # 8 × 14 + 5 = 117
    assert _level_two_errors(tmp_path, spec) == []
