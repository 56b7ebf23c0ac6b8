"""The question referential: YAML content, its validated models, scoring and answer migration."""

from referential.errors import ReferentialError
from referential.loader import (
    DATA_DIR,
    check_referential,
    default_referential,
    load_referential,
)
from referential.models import AnswerType, Priority, Question, Referential, Theme
from referential.scoring import Score, score
from referential.versioning import AnswerMigration, migrate_answers

__all__ = [
    "DATA_DIR",
    "AnswerMigration",
    "AnswerType",
    "Priority",
    "Question",
    "Referential",
    "ReferentialError",
    "Score",
    "Theme",
    "check_referential",
    "default_referential",
    "load_referential",
    "migrate_answers",
    "score",
]
