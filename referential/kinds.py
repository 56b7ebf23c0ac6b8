"""The small vocabularies every other module of the referential shares: answer types, priorities
and the reserved answer values.

They live apart from `referential.models` so that the schema pieces (conditions, formulas) can use
them without importing the models that use those pieces.
"""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    PRIORITAIRE = "prioritaire"
    NECESSAIRE = "necessaire"
    RECOMMANDEE = "recommandee"


class AnswerType(StrEnum):
    YES_NO = "yes_no"  # oui / non / je ne sais pas
    CHOICE = "choice"  # one of the question's options, each with its credit
    MULTI_CHOICE = "multi_choice"  # one or more of the question's options, not scored
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    AMOUNT_EUR = "amount_eur"
    YEAR = "year"
    DATE = "date"
    TEXT = "text"


# Stored answer values with a fixed meaning. "nsp" (je ne sais pas) is an answer to a yes/no
# question and to every typed question; choice questions offer it as an option if they want it.
YES, NO, DONT_KNOW = "oui", "non", "nsp"
YES_NO_VALUES = (YES, NO, DONT_KNOW)
# « Non concerné »: offered only by questions with `not_applicable: true`; never an option id.
NOT_APPLICABLE = "nc"
RESERVED_VALUES = frozenset({DONT_KNOW, NOT_APPLICABLE})

# Scored types earn credit in the maturity index; the others feed indicators and rules only.
SCORED_TYPES = frozenset({AnswerType.YES_NO, AnswerType.CHOICE})
OPTION_TYPES = frozenset({AnswerType.CHOICE, AnswerType.MULTI_CHOICE})
NUMERIC_TYPES = frozenset(
    {
        AnswerType.INTEGER,
        AnswerType.DECIMAL,
        AnswerType.PERCENT,
        AnswerType.AMOUNT_EUR,
        AnswerType.YEAR,
    }
)
WHOLE_NUMBER_TYPES = frozenset({AnswerType.INTEGER, AnswerType.YEAR})
# The unit these types imply; a question of these types does not write its own `unit`.
IMPLIED_UNITS = {AnswerType.PERCENT: "%", AnswerType.AMOUNT_EUR: "€", AnswerType.YEAR: None}
