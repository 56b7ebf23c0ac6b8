"""Typed level-2 answers read the French way: every accepted and refused form, hostile input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.level2.reading import Problem, parse_number, read_answer, read_date
from referential.models import Referential
from referential.numbers import format_french


@pytest.mark.parametrize(
    ("qid", "typed", "stored"),
    [
        ("PAR2-01", "1 200", "1200"),  # integer, appareils
        ("PAR2-01", "1200", "1200"),
        ("PAR2-01", "1\u202f200", "1200"),
        ("PAR2-01", "12 appareils", "12"),
        ("PAR2-01", "  45  ", "45"),
        ("PAR2-01", "1 200,0", "1200"),
        ("RES2-06", "1 200,5", "1200.5"),  # decimal, Go
        ("RES2-06", "1200.5 Go", "1200.5"),
        ("RES2-06", "350 go", "350"),
        ("GOV2-03", "35 %", "35"),  # percent
        ("GOV2-03", "35%", "35"),
        ("GOV2-03", "35", "35"),
        ("GOV2-03", "12,5 %", "12.5"),
        ("ACH2-01", "12 000 €", "12000"),  # amount
        ("ACH2-01", "12000€", "12000"),
        ("ACH2-01", "12 000 euros", "12000"),
        ("ACH2-01", "1 234,56 €", "1234.56"),
        ("ECO2-03", "2019", "2019"),  # year
        ("GOV2-05", "15/03/2027", "2027-03-15"),  # date
        ("GOV2-05", "15 mars 2027", "2027-03-15"),
        ("GOV2-05", "1er mars 2027", "2027-03-01"),
        ("GOV2-05", "mars 2027", "2027-03-01"),
        ("GOV2-05", "Février 2026", "2026-02-01"),
        ("GOV2-05", "03/2027", "2027-03-01"),
        ("GOV2-05", "2027-03-15", "2027-03-15"),
        ("PAR2-01", "je ne sais pas", "nsp"),
        ("GOV2-05", "nsp", "nsp"),
        ("PAR2-04", "non concerné", "nc"),  # not_applicable: true
        (
            "GOV2-02",
            "  Adjointe   chargée de l’environnement ",
            "Adjointe chargée de l’environnement",
        ),
    ],
)
def test_accepted(referential: Referential, qid: str, typed: str, stored: str) -> None:
    reading = read_answer(referential.question(qid), typed)
    assert (reading.value, reading.problem) == (stored, None)


@pytest.mark.parametrize(
    ("qid", "typed", "problem"),
    [
        ("ACH2-01", "12k€", Problem.UNREADABLE),
        ("ACH2-01", "12 k€", Problem.UNREADABLE),
        ("PAR2-01", "beaucoup", Problem.UNREADABLE),
        ("PAR2-01", "-3", Problem.TOO_LOW),
        ("PAR2-01", "−3", Problem.TOO_LOW),
        ("GOV2-03", "1 200 000 %", Problem.TOO_HIGH),
        ("GOV2-03", "35 €", Problem.UNREADABLE),  # a unit that is not the question's
        ("PAR2-01", "1 200,5", Problem.WHOLE),
        ("ACH2-01", "12,345 €", Problem.CENTS),
        ("PAR2-01", "1" * 10_000, Problem.UNREADABLE),
        ("PAR2-01", "9" * 16, Problem.UNREADABLE),
        ("PAR2-01", "NaN", Problem.UNREADABLE),
        ("PAR2-01", "Infinity", Problem.UNREADABLE),
        ("PAR2-01", "1e309", Problem.UNREADABLE),
        ("PAR2-01", "١٢", Problem.UNREADABLE),  # Arabic-Indic digits
        ("PAR2-01", "１２", Problem.UNREADABLE),  # full-width digits
        ("PAR2-01", "12 00", Problem.UNREADABLE),  # a group of two is not a thousand
        ("PAR2-01", "   ", Problem.EMPTY),
        ("ECO2-03", "1850", Problem.TOO_LOW),
        ("ECO2-03", "2019,5", Problem.WHOLE),
        ("GOV2-05", "31/02/2027", Problem.BAD_DATE),
        ("GOV2-05", "demain", Problem.BAD_DATE),
        ("GOV2-05", "15 brumaire 2027", Problem.BAD_DATE),
        ("GOV2-05", "15/03/27", Problem.BAD_DATE),
        ("GOV2-05", "15/03/3027", Problem.BAD_DATE),
        ("GOV2-01", "binome", Problem.UNREADABLE),  # a choice is not typed here
        ("GOV2-02", "x" * 121, Problem.TOO_LONG),
        ("GOV2-03", "non concerné", Problem.UNREADABLE),  # not offered by this question
    ],
)
def test_refused(referential: Referential, qid: str, typed: str, problem: Problem) -> None:
    assert read_answer(referential.question(qid), typed).problem is problem
    assert read_answer(referential.question(qid), typed).value is None


def test_every_example_of_the_referential_reads(referential: Referential) -> None:
    """The example a re-prompt repeats is itself an accepted answer."""
    for q in referential.questions:
        if q.example is not None and q.answer_type.value != "text":
            assert read_answer(q, q.example).value is not None, (q.id, q.example)


def test_dates_are_real_days() -> None:
    assert read_date("29/02/2028") == datetime.date(2028, 2, 29)
    assert read_date("29/02/2027") is None
    assert read_date("15 aout 2026") == datetime.date(2026, 8, 15)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_a_french_number_reads_back(value: Decimal) -> None:
    """What `format_french` writes (grouped thousands, comma) is read back exactly."""
    assert parse_number(format_french(value)) == value
    assert parse_number(format_french(value, "€"), ("€",)) == value


@given(st.text(max_size=80))
def test_the_reader_never_raises(text: str) -> None:
    number = parse_number(text, ("%",))
    assert number is None or abs(number) < Decimal(10) ** 15
    assert read_date(text) is None or FIRST <= read_date(text) <= LAST  # type: ignore[operator]


FIRST, LAST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
