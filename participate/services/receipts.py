"""Receipt codes: random, easy to read aloud and to type back, unique across every ballot."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: nothing that reads or sounds like another character.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12  # 12 characters from 31: about 59 bits, beyond guessing.
GROUP = 4

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_FORMED = re.compile(rf"^[{ALPHABET}]{{{GROUP}}}(-[{ALPHABET}]{{{GROUP}}}){{{LENGTH // GROUP - 1}}}$")


def new_receipt() -> str:
    """A fresh receipt code, like `7KQM-X3PD-9FW2`."""
    return _group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def _group(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """The stored form of a receipt as someone typed it (any case, spaces or dashes), or None."""
    code = _group(_NOT_ALNUM.sub("", (typed or "").upper()))
    return code if _FORMED.match(code) else None


def is_receipt(text: str) -> bool:
    """Whether a text is a receipt in its stored form."""
    return bool(_FORMED.match(text or ""))
