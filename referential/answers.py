"""Stored answers: which strings a question accepts, what they mean, how a typed reply becomes one.

Storage keeps every answer as a string, so each type has one canonical spelling, and
`is_valid_answer` checks it without guessing (a stale or corrupted value is simply not an answer):

=================  =======================================================
yes_no             ``oui``, ``non``, ``nsp``
choice             an option id
multi_choice       option ids, sorted and joined by "," (``ecolabel,tco``)
integer, year      ``1200`` (no sign unless negative, no leading zero)
decimal, percent   ``1200.5`` (point, no trailing zero; amount: ≤ 2 decimals)
amount_eur
date               ISO ``2027-03-15``
text               the text, without surrounding spaces, ≤ ``max_length``
=================  =======================================================

Besides, ``nsp`` (je ne sais pas) answers every typed question, and ``nc`` (« Non concerné »)
answers any question with ``not_applicable: true``. Numbers must lie within the question's bounds.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from referential.kinds import (
    DONT_KNOW,
    NOT_APPLICABLE,
    NUMERIC_TYPES,
    OPTION_TYPES,
    WHOLE_NUMBER_TYPES,
    YES_NO_VALUES,
    AnswerType,
)
from referential.numbers import (
    canonical,
    decimal_places,
    format_french,
    parse_canonical,
    parse_typed,
    split_unit,
)
from referential.question import QuestionContent
from referential.shape import CENTS

MULTI_SEPARATOR = ","
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TYPED_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")


def is_not_applicable(q: QuestionContent, value: str | None) -> bool:
    """True for a « Non concerné » answer the question accepts."""
    return value == NOT_APPLICABLE and q.not_applicable


def is_valid_answer(q: QuestionContent, value: str) -> bool:
    """Whether `value` is a stored answer `q` accepts, in its canonical spelling."""
    if value == NOT_APPLICABLE:
        return q.not_applicable
    if q.answer_type is AnswerType.YES_NO:
        return value in YES_NO_VALUES
    if q.answer_type is AnswerType.CHOICE:
        return any(option.id == value for option in q.options)
    if q.answer_type is AnswerType.MULTI_CHOICE:
        return _selection(q, value) is not None
    if value == DONT_KNOW:
        return True
    if q.answer_type in NUMERIC_TYPES:
        return number(q, value) is not None
    if q.answer_type is AnswerType.DATE:
        return _iso_date(value) is not None
    assert q.answer_type is AnswerType.TEXT
    limit = q.max_length or 0
    return 0 < len(value) <= limit and value == value.strip()


def number(q: QuestionContent, value: str | None) -> Decimal | None:
    """The number a numeric answer holds, or None (nsp, nc, unanswered, not canonical, out of
    bounds, or not a numeric question)."""
    if value is None or q.answer_type not in NUMERIC_TYPES:
        return None
    parsed = parse_canonical(value, whole=q.answer_type in WHOLE_NUMBER_TYPES)
    if parsed is None or not _within(q, parsed):
        return None
    if q.answer_type is AnswerType.AMOUNT_EUR and decimal_places(parsed) > CENTS:
        return None
    return parsed


def selected(q: QuestionContent, value: str | None) -> frozenset[str]:
    """The options an answer selects: one for a choice, several for a multi-choice, else none."""
    if value is None or q.answer_type not in OPTION_TYPES:
        return frozenset()
    if q.answer_type is AnswerType.CHOICE:
        return frozenset({value}) if any(o.id == value for o in q.options) else frozenset()
    return frozenset(_selection(q, value) or ())


def date(q: QuestionContent, value: str | None) -> datetime.date | None:
    if value is None or q.answer_type is not AnswerType.DATE:
        return None
    return _iso_date(value)


def join_options(option_ids: set[str] | frozenset[str]) -> str:
    """The stored spelling of a multi-choice selection."""
    return MULTI_SEPARATOR.join(sorted(option_ids))


def canonical_answer(q: QuestionContent, typed: str) -> str | None:
    """A person's reply to a typed question (« 1 200 », « 35 % », « 15/03/2027 », a name) as the
    value to store, or None when it is not a valid answer (the dialog then asks again).

    Only for the typed types; yes/no and choices come from buttons.
    """
    text = typed.strip()
    if q.answer_type in NUMERIC_TYPES:
        text, _ = split_unit(text.replace("%", " %").replace("€", " €"), q.unit_label())
        parsed = parse_typed(text)
        if parsed is None:
            return None
        value = canonical(parsed)
    elif q.answer_type is AnswerType.DATE:
        value = _typed_date(text) or ""
    elif q.answer_type is AnswerType.TEXT:
        value = " ".join(text.split())
    else:
        return None
    return value if value and is_valid_answer(q, value) else None


def format_answer(q: QuestionContent, value: str) -> str | None:
    """A typed answer as a French reader expects it (« 1 200 € », « 15/03/2027 », labels joined by
    commas), or None for a value without its own spelling (oui/non/nsp/nc, invalid values)."""
    if not is_valid_answer(q, value) or value in (DONT_KNOW, NOT_APPLICABLE):
        return None
    if q.answer_type is AnswerType.YEAR:
        return value
    if (amount := number(q, value)) is not None:
        return format_french(amount, q.unit_label())
    if (day := date(q, value)) is not None:
        return day.strftime("%d/%m/%Y")
    if q.answer_type is AnswerType.MULTI_CHOICE:
        chosen = selected(q, value)
        return ", ".join(o.label for o in q.options if o.id in chosen)
    if q.answer_type is AnswerType.TEXT:
        return value
    return None


def _within(q: QuestionContent, value: Decimal) -> bool:
    low, high = q.bounds()
    return (low is None or value >= low) and (high is None or value <= high)


def _selection(q: QuestionContent, value: str) -> tuple[str, ...] | None:
    ids = tuple(value.split(MULTI_SEPARATOR))
    known = {option.id for option in q.options}
    if not value or list(ids) != sorted(set(ids)) or not set(ids) <= known:
        return None
    return ids


def _iso_date(value: str) -> datetime.date | None:
    if _ISO_DATE.fullmatch(value) is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _typed_date(text: str) -> str | None:
    if (day := _iso_date(text)) is not None:
        return day.isoformat()
    match = _TYPED_DATE.fullmatch(text)
    if match is None:
        return None
    day_of_month, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day_of_month).isoformat()
    except ValueError:
        return None
