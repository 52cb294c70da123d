"""Amounts typed in pounds are read as their writer meant, whatever their language's habits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participate.money import parse_pounds


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("1500", 150000), ("1,500", 150000), ("1,500.50", 150050), ("£1,234.57", 123457),
        ("0.01", 1), ("1.500,50", 150050), ("1 500,50", 150050), ("1\u202f500,5", 150050),
        ("1.500", 150000), ("12,5", 1250), ("£ 20,000,000", 2000000000), ("", None), ("  ", None),
    ],
)  # fmt: skip
def test_amounts_are_read_as_their_writer_meant(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["abc", "1.2.3", "1,50,0", "-5", "1e3", ",50", "1,5000", "12.5.0"])
def test_what_is_not_money_is_refused(typed):
    with pytest.raises(ValueError):
        parse_pounds(typed)


@given(st.integers(min_value=0, max_value=10**11))
def test_every_amount_written_in_english_french_or_spanish_style_reads_back_exactly(pence):
    pounds, rest = divmod(pence, 100)
    english = f"{pounds:,}.{rest:02d}"
    french = f"{pounds:,}".replace(",", "\u202f") + f",{rest:02d}"
    spanish = f"{pounds:,}".replace(",", ".") + f",{rest:02d}"
    assert parse_pounds(english) == parse_pounds(french) == parse_pounds(spanish) == pence


def test_quantities_with_decimal_commas_are_read_as_meant():
    from decimal import Decimal

    from participate.money import parse_quantity

    assert parse_quantity("2,5") == Decimal("2.50")
    assert parse_quantity("2.5") == Decimal("2.50")
    assert parse_quantity("1,500") == Decimal("1500.00")
    assert parse_quantity("12 345,75") == Decimal("12345.75")
