"""Numbers: canonical (stored), French (written and shown) and typed spellings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referential.numbers import canonical, format_french, parse_canonical, parse_french, split_unit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("1200", 1200),
        ("1 200", 1200),
        ("12\u202f500", 12500),
        ("1\u00a0234\u00a0567,25", Decimal("1234567.25")),
        ("-3,5", Decimal("-3.5")),
        ("12500", None),  # five digits and more are grouped
        ("1 20", None),
        ("1.5", None),
        ("1 200,", None),
        ("", None),
    ],
)
def test_parse_french(text: str, value: Decimal | int | None) -> None:
    assert parse_french(text) == value


@pytest.mark.parametrize(
    ("text", "whole", "value"),
    [
        ("1200", True, 1200),
        ("1200.5", False, Decimal("1200.5")),
        ("1200.5", True, None),
        ("1200.50", False, None),
        ("-0", False, None),
        ("007", False, None),
        ("1e3", False, None),
    ],
)
def test_parse_canonical(text: str, whole: bool, value: Decimal | int | None) -> None:
    assert parse_canonical(text, whole=whole) == value


def test_format_french_and_units() -> None:
    assert format_french(1200) == "1\u202f200"
    assert format_french(Decimal("-1234.5"), "%") == "-1\u202f234,5\u00a0%"
    assert format_french(999) == "999"
    assert split_unit("35 %", "%") == ("35", True)
    assert split_unit("35", "%") == ("35", False)
    assert canonical(Decimal("1.500")) == "1.5"
    assert canonical(Decimal("1E+3")) == "1000"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_canonical_and_french_spellings_round_trip(value: Decimal) -> None:
    assert parse_canonical(canonical(value)) == value
    assert parse_french(format_french(value)) == value
