"""The question referential: YAML content, its validated models, answers, scoring, indicators
and answer migration."""

from referential.answers import canonical_answer, format_answer, is_valid_answer
from referential.errors import ReferentialError
from referential.indicators import IndicatorValue, compute, compute_all
from referential.kinds import DONT_KNOW, NOT_APPLICABLE
from referential.loader import (
    DATA_DIR,
    check_referential,
    default_referential,
    load_referential,
)
from referential.models import AnswerType, Indicator, Priority, Question, Referential, Theme
from referential.scoring import Score, open_recommendations, recommends, score
from referential.versioning import AnswerMigration, migrate_answers
from referential.visibility import is_shown

__all__ = [
    "DATA_DIR",
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "AnswerMigration",
    "AnswerType",
    "Indicator",
    "IndicatorValue",
    "Priority",
    "Question",
    "Referential",
    "ReferentialError",
    "Score",
    "Theme",
    "canonical_answer",
    "check_referential",
    "compute",
    "compute_all",
    "default_referential",
    "format_answer",
    "is_shown",
    "is_valid_answer",
    "load_referential",
    "migrate_answers",
    "open_recommendations",
    "recommends",
    "score",
]
