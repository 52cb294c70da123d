"""Amounts typed by people, in any of the shipped languages' habits, read exactly.

"1,500.50", "1.500,50", "1 500,50", "£1500.5" and "1500" are all read the way their writer meant:
the last "." or "," followed by one or two digits is the decimal mark; every other separator must
group thousands (followed by exactly three digits). Nothing goes through a float.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Spaces of every kind (including the no-break spaces French and Polish group digits with).
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})*$|^\d+$")


def parse_quantity(text: str | None) -> Decimal | None:
    """A non-negative number with at most two decimals; None when empty; ValueError when not one."""
    cleaned = _SPACES.sub("", text or "").removeprefix("£").removesuffix("£")
    if not cleaned:
        return None
    whole, fraction = cleaned, "0"
    decimal = re.search(r"[.,](\d{1,2})$", cleaned)
    if decimal:
        whole, fraction = cleaned[: decimal.start()], decimal.group(1)
    if not whole or not _GROUPED.match(whole):
        raise ValueError(text)
    return Decimal(f"{re.sub(r'[.,]', '', whole)}.{fraction}").quantize(Decimal("0.01"))


def parse_pounds(text: str | None) -> int | None:
    """An amount in pounds as integer pence; None when empty; ValueError when it is not money."""
    amount = parse_quantity(text)
    return None if amount is None else int(amount * 100)
