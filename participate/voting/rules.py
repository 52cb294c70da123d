"""Ballot rules and validation for approval and quadratic voting.

A ballot as submitted is a sequence of ``(option_id, votes)`` pairs, where ``votes`` is whatever
the form produced: an int, or text such as ``"3"``, ``""``, ``"2.5"`` or ``"abc"``.
:func:`validate` reports every broken rule at once as :class:`Problem` records with a machine
code and parameters; the web layer turns the codes into sentences.  No human text lives here.

Reading a value:

* an ``int`` is taken as is; a ``float`` only when it is a whole number (``2.0``);
* text is stripped and must be a whole number written in digits, optionally signed (``"-2"``);
* empty text or ``None`` means 0 (a field left blank);
* anything else (``"2.5"``, ``"abc"``, ``True``) is ``not_an_integer``.

Empty ballots: a ballot with no votes at all is an abstention.  By default it is accepted for
both methods (``allow_empty=True``) -- the voter took part and chose to support nothing, which
counts towards turnout and, under the Method of Equal Shares, gives that voter a share of the
budget that then goes unspent by them.  A consultation can refuse it (``allow_empty=False``),
in which case the problem code is ``empty_ballot``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

PROBLEM_CODES = (
    "unknown_option",  # params: {}; option_id is the id as given when it is not a whole number
    "duplicate_option",  # params: {"count": times the option appears}
    "not_an_integer",  # params: {"value": the offending value as text, cut to 40 characters}
    "negative_not_allowed",  # params: {"votes": the negative number}
    "approval_not_zero_or_one",  # params: {"votes": the number given}
    "too_many_approvals",  # params: {"max": allowed, "given": approvals on the ballot}
    "over_budget",  # params: {"credits": allowed, "spent": credits used, "over_by": the excess}
    "empty_ballot",  # params: {}; only when the rules set allow_empty=False
)
"""Every code :func:`validate` can report."""

_INTEGER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class ApprovalRules:
    """Approval voting: each option gets 0 or 1; optionally at most ``max_approvals`` ones."""

    max_approvals: int | None = None
    allow_empty: bool = True
    method: ClassVar[str] = "approval"

    def __post_init__(self) -> None:
        if self.max_approvals is not None and self.max_approvals < 1:
            raise ValueError("max_approvals must be at least 1 (or None for no limit)")


@dataclass(frozen=True)
class QuadraticRules:
    """Quadratic voting: v votes on an option cost v*v credits, from ``credits`` per voter."""

    credits: int = 100
    allow_negative: bool = False
    allow_empty: bool = True
    method: ClassVar[str] = "quadratic"

    def __post_init__(self) -> None:
        if self.credits < 0:
            raise ValueError("credits cannot be negative")


Rules = ApprovalRules | QuadraticRules


@dataclass(frozen=True)
class Problem:
    """One broken rule: a code from PROBLEM_CODES, its parameters and the option concerned."""

    code: str
    params: dict = field(default_factory=dict, hash=False)
    option_id: int | str | None = None

    def to_dict(self) -> dict:
        """A JSON-friendly copy."""
        return {"code": self.code, "params": dict(self.params), "option_id": self.option_id}


@dataclass(frozen=True)
class ValidationResult:
    """All problems found; ``entries`` (option_id -> votes, zeros dropped) only when valid."""

    problems: tuple[Problem, ...]
    entries: dict[int, int] | None

    @property
    def ok(self) -> bool:
        """True when the ballot broke no rule."""
        return not self.problems

    def codes(self) -> list[str]:
        """The problem codes, in the order found."""
        return [p.code for p in self.problems]

    def to_dict(self) -> dict:
        """A JSON-friendly copy."""
        return {
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "entries": None if self.entries is None else dict(self.entries),
        }


def cost(votes: int) -> int:
    """Credits that ``votes`` votes on one option cost under quadratic voting."""
    return votes * votes


def credits_spent(entries: Mapping[int, int] | Iterable[tuple[int, int]]) -> int:
    """Total quadratic cost of a ballot given as a mapping or as (option_id, votes) pairs."""
    pairs = entries.items() if isinstance(entries, Mapping) else entries
    return sum(cost(v) for _, v in pairs)


def parse_votes(value: object) -> int | None:
    """The whole number a form value stands for, or None if it is not one (blank means 0)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        # A tick box's True is a different question from "how many votes"; the form must say 1.
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        # Long digit strings are refused before int() to avoid its conversion limit and cost.
        if len(text) > 30 or not _INTEGER.fullmatch(text):
            return None
        return int(text)
    return None


def _option_key(option_id: object, known: set[int]) -> int | None:
    if isinstance(option_id, bool):
        return None
    if isinstance(option_id, int):
        return option_id if option_id in known else None
    if isinstance(option_id, str):
        text = option_id.strip()
        if _INTEGER.fullmatch(text) and len(text) <= 30:
            value = int(text)
            return value if value in known else None
    return None


def validate(
    rules: Rules, option_ids: Iterable[int], entries: Sequence[tuple[object, object]]
) -> ValidationResult:
    """Check a submitted ballot against the rules, reporting every problem at once."""
    known = set(option_ids)
    problems: list[Problem] = []
    # First pass: which option each entry names, and how often.
    keys = [_option_key(option_id, known) for option_id, _ in entries]
    seen = Counter(k for k in keys if k is not None)
    reported_duplicates: set[int] = set()
    votes_by_option: dict[int, int] = {}
    for (option_id, raw), key in zip(entries, keys, strict=True):
        if key is None:
            shown = option_id if isinstance(option_id, int | str) else repr(option_id)
            problems.append(Problem("unknown_option", {}, shown))
        elif seen[key] > 1 and key not in reported_duplicates:
            reported_duplicates.add(key)
            problems.append(Problem("duplicate_option", {"count": seen[key]}, key))
        votes = parse_votes(raw)
        if votes is None:
            problems.append(Problem("not_an_integer", {"value": str(raw)[:40]}, key))
            continue
        if isinstance(rules, ApprovalRules):
            if votes not in (0, 1):
                problems.append(Problem("approval_not_zero_or_one", {"votes": votes}, key))
                continue
        elif votes < 0 and not rules.allow_negative:
            problems.append(Problem("negative_not_allowed", {"votes": votes}, key))
        if key is not None and key not in votes_by_option:
            # With a duplicate, the first value stands for the option in the totals below.
            votes_by_option[key] = votes
    if isinstance(rules, ApprovalRules):
        given = sum(1 for v in votes_by_option.values() if v == 1)
        if rules.max_approvals is not None and given > rules.max_approvals:
            problems.append(Problem("too_many_approvals", {"max": rules.max_approvals, "given": given}))
    elif isinstance(rules, QuadraticRules):
        spent = credits_spent(votes_by_option)
        if spent > rules.credits:
            problems.append(
                Problem(
                    "over_budget",
                    {"credits": rules.credits, "spent": spent, "over_by": spent - rules.credits},
                )
            )
    else:
        raise TypeError(f"unknown rules {rules!r}")
    if not rules.allow_empty and not problems and not any(votes_by_option.values()):
        problems.append(Problem("empty_ballot"))
    if problems:
        return ValidationResult(tuple(problems), None)
    return ValidationResult((), {k: v for k, v in votes_by_option.items() if v != 0})
