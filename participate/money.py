"""Money typed by people, in any of the shipped languages' habits, read exactly as pence."""

from __future__ import annotations

import re

# Spaces of every kind (including the no-break spaces French and Polish group digits with).
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})*$|^\d+$")


def parse_pounds(text: str | None) -> int | None:
    """An amount in pounds as integer pence; None when empty; ValueError when it is not money.

    "1,500.50", "1.500,50", "1 500,50", "£1500.5" and "1500" are all read the way their writer
    meant: the last "." or "," followed by one or two digits is the decimal mark; every other
    separator must group thousands (followed by exactly three digits). Pence never go through a
    float.
    """
    cleaned = _SPACES.sub("", text or "").removeprefix("£").removesuffix("£")
    if not cleaned:
        return None
    pounds, pence = cleaned, "0"
    decimal = re.search(r"[.,](\d{1,2})$", cleaned)
    if decimal:
        pounds, pence = cleaned[: decimal.start()], decimal.group(1).ljust(2, "0")
    if not pounds or not _GROUPED.match(pounds):
        raise ValueError(text)
    return int(re.sub(r"[.,]", "", pounds)) * 100 + int(pence)
