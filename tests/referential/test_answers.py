"""Stored answers: one canonical string per value and type, checked without guessing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referential.answers import (
    canonical_answer,
    date,
    format_answer,
    is_valid_answer,
    join_options,
    number,
    selected,
)
from referential.models import Referential
from referential.numbers import format_french
from tests.helpers.referential_factory import build_referential, typed_spec


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Referential:
    return build_referential(tmp_path_factory.mktemp("typed"), typed_spec())


# (question, valid stored values, invalid ones)
VALUES = [
    ("GOV-01", ["oui", "non", "nsp"], ["nc", "Oui", "tous", ""]),
    ("SEN-02", ["aucun", "quart", "tous", "nsp"], ["oui", "nc", "quart,tous"]),
    (
        "PAR-01",
        ["0", "1200", "100000", "nsp"],
        ["1 200", "01200", "-0", "+5", "1200.0", "1e3", "100001", "-1", "1.5", "nc", ""],
    ),
    ("PAR-04", ["1", "35"], ["0"]),  # min 1
    ("PAR-05", ["0", "35", "35.5", "100"], ["35.50", "100.5", "-1", "35 %", "35,5"]),
    ("PAR-06", ["12500", "12500.5", "0.05", "nc", "nsp"], ["12500.555", "-3", "12 500 €"]),
    ("PAR-07", ["1200.5", "0.001", "3"], ["1200,5", ".5", "3."]),
    ("PAR-08", ["2019", "1900", "2100"], ["1899", "2101", "2019.5", "19"]),
    (
        "PAR-09",
        ["2027-03-15", "2024-02-29", "nsp"],
        ["2027-02-30", "15/03/2027", "20270315", "2027-3-15"],
    ),
    ("PAR-10", ["la DGS", "x" * 80, "nsp"], ["", " la DGS", "la DGS ", "x" * 81]),
    (
        "PAR-11",
        ["tco", "ange,tco", "aucun,epeat", "ange,aucun,epeat,tco"],
        ["tco,ange", "tco,tco", "", "tco,", "rien", "nc", "nsp"],
    ),
]


@pytest.mark.parametrize(("qid", "valid", "invalid"), VALUES)
def test_stored_values_per_type(
    ref: Referential, qid: str, valid: list[str], invalid: list[str]
) -> None:
    q = ref.question(qid)
    assert [v for v in valid if not is_valid_answer(q, v)] == []
    assert [v for v in invalid if is_valid_answer(q, v)] == []


def test_typed_values(ref: Referential) -> None:
    amount, cleanup, labels = ref.question("PAR-06"), ref.question("PAR-09"), ref.question("PAR-11")
    assert number(amount, "12500.5") == Decimal("12500.5")
    assert number(amount, "nc") is None and number(amount, "nsp") is None
    assert number(ref.question("GOV-01"), "1") is None
    assert date(cleanup, "2027-03-15") == datetime.date(2027, 3, 15)
    assert date(cleanup, "nsp") is None
    assert selected(labels, "ange,tco") == {"ange", "tco"}
    assert selected(labels, "tco,ange") == frozenset()
    assert selected(ref.question("SEN-02"), "quart") == {"quart"}
    assert join_options({"tco", "ange"}) == "ange,tco"


@pytest.mark.parametrize(
    ("qid", "typed", "stored"),
    [
        ("PAR-01", "1 200", "1200"),
        ("PAR-01", " 1\u202f200 postes ", "1200"),
        ("PAR-01", "1200,0", "1200"),
        ("PAR-01", "1,5", None),  # not a whole number
        ("PAR-01", "beaucoup", None),
        ("PAR-01", "200 000", None),  # above max
        ("PAR-05", "35 %", "35"),
        ("PAR-05", "35%", "35"),
        ("PAR-05", "12,50", "12.5"),
        ("PAR-06", "12 500 €", "12500"),
        ("PAR-06", "12500,50€", "12500.5"),
        ("PAR-06", "12,345", None),
        ("PAR-07", "1200.5", "1200.5"),
        ("PAR-07", "−3", None),  # below the default min 0
        ("PAR-08", "2019", "2019"),
        ("PAR-09", "15/03/2027", "2027-03-15"),
        ("PAR-09", "5/3/2027", "2027-03-05"),
        ("PAR-09", "2027-03-15", "2027-03-15"),
        ("PAR-09", "31/02/2027", None),
        ("PAR-10", "  la   DGS ", "la DGS"),
        ("PAR-10", "   ", None),
        ("PAR-10", "x" * 81, None),
        ("GOV-01", "oui", None),  # buttons, not typed
    ],
)
def test_canonical_answer_from_what_a_person_types(
    ref: Referential, qid: str, typed: str, stored: str | None
) -> None:
    assert canonical_answer(ref.question(qid), typed) == stored


@pytest.mark.parametrize(
    ("qid", "stored", "shown"),
    [
        ("PAR-01", "1200", "1\u202f200\u00a0postes"),
        ("PAR-05", "35.5", "35,5\u00a0%"),
        ("PAR-06", "12500", "12\u202f500\u00a0€"),
        ("PAR-08", "2019", "2019"),
        ("PAR-09", "2027-03-15", "15/03/2027"),
        ("PAR-10", "la DGS", "la DGS"),
        ("PAR-11", "ange,tco", "TCO Certified, Ange bleu"),
        ("PAR-06", "nc", None),
        ("PAR-01", "nsp", None),
        ("GOV-01", "oui", None),
        ("PAR-01", "abc", None),
    ],
)
def test_format_answer(ref: Referential, qid: str, stored: str, shown: str | None) -> None:
    assert format_answer(ref.question(qid), stored) == shown


@given(st.integers(min_value=0, max_value=100_000))
def test_shown_integers_read_back_as_themselves(ref: Referential, value: int) -> None:
    q = ref.question("PAR-01")
    assert canonical_answer(q, format_french(value, "postes")) == str(value)


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_typed_amounts_are_stored_canonically(ref: Referential, value: Decimal) -> None:
    q = ref.question("PAR-06")
    stored = canonical_answer(q, format_french(value, "€"))
    assert stored is not None and is_valid_answer(q, stored)
    assert number(q, stored) == value
