"""Reading a typed level-2 answer the French way, forgivingly: pure functions, no I/O.

Numbers: « 1 200 », « 1200 », « 1 200,5 », « 1200.5 », « 35 % », « 35 », « 12 000 € », the question's
own unit after the number; « 12k€ », words and exponents are refused. Dates: « 15/03/2027 »,
« 15 mars 2027 », « 1er mars 2027 », « mars 2027 », « 03/2027 », « 2027-03-15 ». Text: spaces
collapsed, at most the question's `max_length`. « je ne sais pas » answers every typed question,
« non concerné » those that allow it. The result is the canonical value to store
(`referential.answers`), or the `Problem` the re-prompt explains; nothing is half-read.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dialogs.parsing import fold, parse_yes_no
from referential.answers import is_valid_answer
from referential.kinds import (
    DONT_KNOW,
    NOT_APPLICABLE,
    NUMERIC_TYPES,
    WHOLE_NUMBER_TYPES,
    AnswerType,
)
from referential.numbers import canonical, decimal_places
from referential.question import QuestionContent
from referential.shape import CENTS

MAX_INPUT = 64  # nobody types a figure or a date in more; longer text is refused unread
MAX_DIGITS = 15  # beyond, a figure is a typing accident (and Decimal stays small)
MAX_PLACES = 6
TYPED_TYPES = NUMERIC_TYPES | {AnswerType.DATE, AnswerType.TEXT}


class Problem(StrEnum):
    EMPTY = "empty"
    UNREADABLE = "unreadable"
    TOO_LOW = "too_low"
    TOO_HIGH = "too_high"
    WHOLE = "whole"  # a fraction where a whole number is expected
    CENTS = "cents"  # more than two decimals in euros
    TOO_LONG = "too_long"
    BAD_DATE = "bad_date"


@dataclass(frozen=True)
class Reading:
    """Either `value` (canonical, valid for the question) or `problem`."""

    value: str | None = None
    problem: Problem | None = None


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# ASCII digits only: unicode digits (« ٣ ») are not read as figures.
_NUMBER = re.compile(r"([-−]?)([0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[.,]([0-9]+))?")
_EURO_WORDS = ("€", "euros", "euro", "eur")
_NOT_APPLICABLE = frozenset({"non concerne", "nc", "pas concerne", "non concernee"})

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTH_YEAR = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{4})")
_WORDED_DATE = re.compile(r"(?:(1er|[0-9]{1,2}) )?([a-z]+)\.? ([0-9]{4})")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def read_answer(q: QuestionContent, text: str) -> Reading:
    """What `text` answers to the typed question `q` (numeric, date or text)."""
    compact = _SPACES.sub(" ", text).strip()
    if not compact:
        return Reading(problem=Problem.EMPTY)
    folded = fold(compact[:MAX_INPUT]).strip(" .!")
    if folded in _NOT_APPLICABLE and q.not_applicable:
        return Reading(NOT_APPLICABLE)
    if q.answer_type is not AnswerType.TEXT and parse_yes_no(compact[:MAX_INPUT]) == DONT_KNOW:
        return Reading(DONT_KNOW)
    if q.answer_type in NUMERIC_TYPES:
        return read_number(q, compact)
    if q.answer_type is AnswerType.DATE:
        day = read_date(compact)
        return _checked(q, day.isoformat()) if day else Reading(problem=Problem.BAD_DATE)
    if q.answer_type is AnswerType.TEXT:
        return _read_text(q, compact)
    return Reading(problem=Problem.UNREADABLE)


def parse_number(text: str, units: tuple[str, ...] = ()) -> Decimal | None:
    """A figure typed the French way, with or without one of `units` after it; None otherwise."""
    compact = _SPACES.sub(" ", text).strip()
    if len(compact) > MAX_INPUT:
        return None
    lowered = compact.lower()
    for unit in sorted(units, key=len, reverse=True):
        if unit and lowered.endswith(unit.lower()):
            compact = compact[: -len(unit)].rstrip()
            break
    match = _NUMBER.fullmatch(compact)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    digits = whole.replace(" ", "") + (fraction or "")
    if len(digits) > MAX_DIGITS or len(fraction or "") > MAX_PLACES:
        return None
    number = Decimal(whole.replace(" ", "") + ("." + fraction if fraction else ""))
    return -number if sign and number else number


def units_of(q: QuestionContent) -> tuple[str, ...]:
    """What may follow a figure of `q`: its unit, « % » or the ways of writing euros."""
    if q.answer_type is AnswerType.PERCENT:
        return ("%", "pour cent", "pourcent")
    if q.answer_type is AnswerType.AMOUNT_EUR:
        return _EURO_WORDS
    return (q.unit,) if q.unit else ()


def read_number(q: QuestionContent, text: str) -> Reading:
    number = parse_number(text, units_of(q))
    if number is None:
        return Reading(problem=Problem.UNREADABLE)
    if q.answer_type in WHOLE_NUMBER_TYPES and number != number.to_integral_value():
        return Reading(problem=Problem.WHOLE)
    if q.answer_type in WHOLE_NUMBER_TYPES:
        number = number.to_integral_value()
    if q.answer_type is AnswerType.AMOUNT_EUR and decimal_places(number) > CENTS:
        return Reading(problem=Problem.CENTS)
    low, high = q.bounds()
    if low is not None and number < low:
        return Reading(problem=Problem.TOO_LOW)
    if high is not None and number > high:
        return Reading(problem=Problem.TOO_HIGH)
    return _checked(q, canonical(number))


def read_date(text: str) -> datetime.date | None:
    """« 15/03/2027 », « 15 mars 2027 », « 1er mars 2027 », « mars 2027 » (the 1st), « 03/2027 »,
    « 2027-03-15 »; None for anything else or an impossible day."""
    folded = fold(text[:MAX_INPUT]).strip(" .")
    day, month, year = 0, 0, 0
    if match := _NUMERIC_DATE.fullmatch(folded):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(folded):
        year, month, day = (int(part) for part in match.groups())
    elif match := _MONTH_YEAR.fullmatch(folded):
        day, month, year = 1, int(match.group(1)), int(match.group(2))
    elif match := _WORDED_DATE.fullmatch(folded):
        first, name, written_year = match.groups()
        day = 1 if first in (None, "1er") else int(first)
        month, year = MONTHS.get(name, 0), int(written_year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _read_text(q: QuestionContent, text: str) -> Reading:
    kept = "".join(c for c in text if c.isprintable()).strip()
    if not kept:
        return Reading(problem=Problem.EMPTY)
    if len(kept) > (q.max_length or 0):
        return Reading(problem=Problem.TOO_LONG)
    return _checked(q, kept)


def _checked(q: QuestionContent, value: str) -> Reading:
    """The last word is the referential's: a value it would not accept is never stored."""
    return Reading(value) if is_valid_answer(q, value) else Reading(problem=Problem.UNREADABLE)
