"""The shape of a typed answer, field by field: which answer types take a unit, bounds, a maximum
length, an example, and what makes each valid. Each check raises a French `PydanticCustomError`
(the question model calls them from its field validators, so the error names the field).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

from referential.kinds import IMPLIED_UNITS, NUMERIC_TYPES, WHOLE_NUMBER_TYPES, AnswerType
from referential.numbers import decimal_places, parse_french, split_unit

# Bounds a question gets when it writes none: amounts and counts are not negative, a percentage is
# a percentage, and a year outside 1900–2100 is a typing slip.
DEFAULT_BOUNDS: dict[AnswerType, tuple[Decimal | None, Decimal | None]] = {
    AnswerType.INTEGER: (Decimal(0), None),
    AnswerType.DECIMAL: (Decimal(0), None),
    AnswerType.AMOUNT_EUR: (Decimal(0), None),
    AnswerType.PERCENT: (Decimal(0), Decimal(100)),
    AnswerType.YEAR: (Decimal(1900), Decimal(2100)),
}
CENTS = 2
UNIT_TYPES = frozenset({AnswerType.INTEGER, AnswerType.DECIMAL})  # the others imply theirs
_FRENCH_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_YEAR = re.compile(r"[0-9]{4}")


def refuse(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context)


def effective_bounds(
    answer_type: AnswerType, low: object, high: object
) -> tuple[Decimal | None, Decimal | None]:
    """(min, max) as written, else the type's defaults; (None, None) for a non-numeric type."""
    if answer_type not in NUMERIC_TYPES:
        return None, None
    default_low, default_high = DEFAULT_BOUNDS[answer_type]
    return (
        low if isinstance(low, Decimal) else default_low,
        high if isinstance(high, Decimal) else default_high,
    )


def check_unit(answer_type: AnswerType, unit: str | None) -> None:
    if unit is not None and answer_type not in UNIT_TYPES:
        implied = IMPLIED_UNITS.get(answer_type)
        note = f" (implicite : « {implied} »)" if implied else ""
        raise refuse(
            "unit_forbidden",
            "pas d'unité pour une question {type}{note}",
            type=answer_type.value,
            note=note,
        )


def check_number(answer_type: AnswerType, value: Decimal) -> None:
    """A bound or an example fits the type: whole for counts and years, cents for amounts."""
    if answer_type in WHOLE_NUMBER_TYPES and value != value.to_integral_value():
        raise refuse(
            "whole_number", "doit être un nombre entier (trouvé : {value})", value=str(value)
        )
    if answer_type is AnswerType.AMOUNT_EUR and decimal_places(value) > CENTS:
        raise refuse("cents", "au plus deux décimales (les centimes)")
    if answer_type is AnswerType.PERCENT and not 0 <= value <= 100:
        raise refuse("percent_range", "un pourcentage est compris entre 0 et 100")


def check_bound(answer_type: AnswerType, bound: Decimal | None) -> None:
    if answer_type not in NUMERIC_TYPES:
        if bound is not None:
            raise refuse(
                "bound_forbidden", "pas de borne pour une question {type}", type=answer_type.value
            )
    elif bound is not None:
        check_number(answer_type, bound)


def check_order(answer_type: AnswerType, low: object, high: object) -> None:
    lowest, highest = effective_bounds(answer_type, low, high)
    if lowest is not None and highest is not None and lowest >= highest:
        raise refuse(
            "bounds_order",
            "min ({low}) doit être strictement inférieur à max ({high})",
            low=str(lowest),
            high=str(highest),
        )


def check_max_length(answer_type: AnswerType, max_length: int | None) -> None:
    if answer_type is AnswerType.TEXT and max_length is None:
        raise refuse("max_length", "champ obligatoire pour une question text")
    if answer_type is not AnswerType.TEXT and max_length is not None:
        raise refuse("max_length", "seule une question text prend max_length")


def check_example(answer_type: AnswerType, example: str | None, data: dict[str, Any]) -> None:
    """Numeric types require an example written the French way, with their unit, within bounds;
    a date's example is JJ/MM/AAAA; a text's fits its maximum length; other types take none."""
    if answer_type in NUMERIC_TYPES:
        if example is None:
            raise refuse(
                "example", "champ obligatoire pour une question {type}", type=answer_type.value
            )
        _check_numeric_example(answer_type, example, data)
    elif example is None:
        return
    elif answer_type is AnswerType.DATE:
        if french_date(example) is None:
            raise refuse(
                "example", "date « {example} » invalide (attendu : JJ/MM/AAAA)", example=example
            )
    elif answer_type is AnswerType.TEXT:
        limit = data.get("max_length")
        if isinstance(limit, int) and len(example) > limit:
            raise refuse("example", "plus long que max_length ({limit})", limit=limit)
    else:
        raise refuse("example", "pas d'exemple pour une question {type}", type=answer_type.value)


def french_date(text: str) -> datetime.date | None:
    """« 15/03/2027 » → 2027-03-15; None if malformed or not a calendar date."""
    match = _FRENCH_DATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _check_numeric_example(answer_type: AnswerType, example: str, data: dict[str, Any]) -> None:
    unit = data.get("unit") or IMPLIED_UNITS.get(answer_type)
    number_text, has_unit = split_unit(example, unit)
    if answer_type in (AnswerType.PERCENT, AnswerType.AMOUNT_EUR) and not has_unit:
        raise refuse(
            "example",
            "« {example} » doit finir par « {unit} », après une espace",
            example=example,
            unit=unit,
        )
    if answer_type is AnswerType.YEAR:
        value = Decimal(number_text) if _YEAR.fullmatch(number_text) else None
        expected = "une année, ex. 2019"
    else:
        value = parse_french(number_text)
        expected = "ex. « 1 200 », « 12,5 »"
    if value is None:
        raise refuse(
            "example",
            "« {example} » n'est pas un nombre écrit en français ({expected})",
            example=example,
            expected=expected,
        )
    check_number(answer_type, value)
    low, high = effective_bounds(answer_type, data.get("min"), data.get("max"))
    if (low is not None and value < low) or (high is not None and value > high):
        shown = f"{low if low is not None else '…'} à {high if high is not None else '…'}"
        raise refuse(
            "example", "« {example} » hors des bornes ({bounds})", example=example, bounds=shown
        )
