"""Answers follow their question id from one referential version to the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from referential.models import Referential
from referential.scoring import maturity_index
from referential.versioning import AnswerMigration, migrate_answers, parse_version
from tests.helpers.referential_factory import (
    GOV_FILE,
    SEN_FILE,
    build_referential,
    question,
    valid_spec,
)


@pytest.fixture(scope="module")
def old(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("v1"))


@pytest.fixture(scope="module")
def new(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    """1.1.0: GOV-03 removed, GOV-04 and SEN-04 added, SEN-02 lost its « quart » option,
    SEN-03 became a choice question, GOV-01 reworded (same id, same meaning)."""
    spec = valid_spec()
    spec["meta.yaml"]["version"] = "1.1.0"
    gov = spec[GOV_FILE]["questions"]
    gov[0]["text"] = "Une personne référente numérique responsable est-elle désignée ?"
    gov.pop(2)
    gov.append(question("GOV-04", "necessaire", ("O3",)))
    sen = spec[SEN_FILE]["questions"]
    sen[1]["options"] = [o for o in sen[1]["options"] if o["id"] != "quart"]
    sen[2].update(
        answer_type="choice",
        text="Quelle part des élus a été sensibilisée ?",
        options=[
            {"id": "aucun", "label": "Aucun", "credit": 0},
            {"id": "tous", "label": "Tous", "credit": 1},
        ],
    )
    sen.append(question("SEN-04", "recommandee", ("O5",)))
    return build_referential(tmp_path_factory.mktemp("v2"), spec)


def test_same_version_keeps_everything(old: Referential) -> None:
    answers = {"GOV-01": "oui", "SEN-02": "quart", "SEN-03": "nsp"}
    assert migrate_answers(old, old, answers) == AnswerMigration(answers, (), (), ())
    assert not migrate_answers(old, old, answers).changed


def test_kept_removed_added_and_invalid(old: Referential, new: Referential) -> None:
    answers = {
        "SEN-03": "oui",  # now a choice question: « oui » is no longer an answer
        "GOV-03": "non",  # removed
        "SEN-02": "quart",  # option removed
        "GOV-01": "oui",  # reworded, kept
        "SEN-01": "nsp",  # unchanged, kept
        "SEN-02x": "oui",  # unknown to both versions (corrupted record)
    }
    result = migrate_answers(old, new, answers)
    assert result.kept == {"GOV-01": "oui", "SEN-01": "nsp"}
    assert list(result.kept) == ["GOV-01", "SEN-01"]  # new referential order
    assert result.removed == ("GOV-03", "SEN-02x")
    assert result.added == ("GOV-04", "SEN-04")
    assert result.invalid == ("SEN-02", "SEN-03")
    assert result.changed


def test_new_questions_start_unanswered(old: Referential, new: Referential) -> None:
    # An answer to an id the old version lacks cannot have been given under it: dropped.
    result = migrate_answers(old, new, {"GOV-04": "oui", "GOV-01": "non"})
    assert result.kept == {"GOV-01": "non"}
    assert result.invalid == ("GOV-04",)
    assert "GOV-04" in result.added


def test_migrated_answers_score_under_the_new_version(old: Referential, new: Referential) -> None:
    answers = {"GOV-01": "oui", "GOV-02": "oui", "GOV-03": "oui", "SEN-02": "tous"}
    result = migrate_answers(old, new, answers)
    assert maturity_index(old, answers) == 67  # (3 + 2 + 1 + 2) / 12
    assert maturity_index(new, result.kept) == 50  # (3 + 2 + 2) / 14
    assert new.version == "1.1.0" and old.version == "1.0.0"


def test_migration_does_not_touch_its_input(old: Referential, new: Referential) -> None:
    answers = {"GOV-03": "non"}
    migrate_answers(old, new, answers)
    assert answers == {"GOV-03": "non"}


@pytest.mark.parametrize(
    ("lower", "higher"), [("1.0.0", "1.0.1"), ("1.9.0", "1.10.0"), ("1.10.3", "2.0.0")]
)
def test_versions_compare_numerically(lower: str, higher: str) -> None:
    assert parse_version(lower) < parse_version(higher)


def test_versions_are_read_from_meta(tmp_path: Path, old: Referential) -> None:
    spec = valid_spec()
    spec["meta.yaml"]["version"] = "2.3.4"
    assert build_referential(tmp_path, spec).version == "2.3.4"
