"""Counting valid ballots and ranking the options.

``tally`` counts ballots held in memory; ``tally_from_aggregates`` builds the same result from
per-option sums (for example computed by the database), so both paths share one ranking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain
from typing import NamedTuple

import numpy as np

from participate.voting.rules import ApprovalRules, QuadraticRules

METHODS = ("approval", "quadratic")

TIE_BREAK = (
    "Options are ranked by their net votes, highest first (for approval voting, the number of "
    "approvals). When options have the same net votes, the tie is broken by, in turn: "
    "1. more voters in favour; "
    "2. the lower estimated cost (an option without a cost estimate comes after every option "
    "that has one); "
    "3. the option put forward first (the lower option number). "
    "The order in which ballots were cast or counted never affects the result."
)
"""The tie-break rule in words, exactly as applied by :func:`rank_key`."""

# Which criterion separated an option from the one ranked just above it.
DECIDED_BY = ("votes", "voters_in_favour", "cost", "option_id")


class Aggregate(NamedTuple):
    """Per-option sums, as an SQL GROUP BY over ballot entries would produce them."""

    votes: int = 0
    votes_for: int = 0
    votes_against: int = 0
    n_for: int = 0
    n_against: int = 0


@dataclass(frozen=True)
class OptionResult:
    """One option's totals and place in the ranking."""

    option_id: int
    votes: int  # net votes: approvals, or votes for minus votes against
    votes_for: int  # sum of positive votes
    votes_against: int  # sum of the absolute values of negative votes
    n_for: int  # voters giving the option at least one vote in favour
    n_against: int  # voters voting against it
    share_for: float  # n_for / number of ballots (0 when there are none)
    cost: int | None  # estimated cost in pence, None when not estimated
    rank: int  # 1..n, strict, after the tie-break
    tied_on_votes: bool  # another option has exactly the same net votes
    decided_by: str | None  # criterion that put it below the option ranked just above


@dataclass(frozen=True)
class Tally:
    """The count for one vote: options in rank order, and the rule used to break ties."""

    method: str
    n_ballots: int
    options: tuple[OptionResult, ...]
    tie_break: str = field(default=TIE_BREAK)

    @property
    def ranking(self) -> list[int]:
        """Option ids from first to last."""
        return [o.option_id for o in self.options]

    def result(self, option_id: int) -> OptionResult:
        """The result for one option."""
        for o in self.options:
            if o.option_id == option_id:
                return o
        raise KeyError(option_id)

    def to_dict(self) -> dict:
        """A JSON-friendly copy."""
        return {
            "method": self.method,
            "n_ballots": self.n_ballots,
            "tie_break": self.tie_break,
            "options": [asdict(o) for o in self.options],
        }


def _method_name(method: str | ApprovalRules | QuadraticRules) -> str:
    name = method.method if isinstance(method, ApprovalRules | QuadraticRules) else method
    if name not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
    return name


def rank_key(votes: int, n_for: int, cost: int | None, option_id: int) -> tuple:
    """Sort key implementing TIE_BREAK: smaller keys rank higher."""
    return (-votes, -n_for, cost is None, cost if cost is not None else 0, option_id)


def tally(
    method: str | ApprovalRules | QuadraticRules,
    option_ids: Iterable[int],
    ballots: Iterable[Mapping[int, int]],
    costs: Mapping[int, int | None] | None = None,
) -> Tally:
    """Count valid ballots (mappings option_id -> votes) and rank the options."""
    name = _method_name(method)
    ids = list(option_ids)
    if len(set(ids)) != len(ids):
        raise ValueError("option ids must be unique")
    if not isinstance(ballots, Sequence):
        ballots = list(ballots)
    n_ballots = len(ballots)
    sums = _sum_ballots(ids, ballots)
    return _build(name, ids, sums, n_ballots, costs)


def _values(ballot: Mapping[int, int]) -> Iterable[int]:
    return ballot.values()


def _option_index(ids: list[int], keys: np.ndarray) -> np.ndarray:
    """Position in ``ids`` of every key; ValueError for a key that is not an option."""
    if keys.size and not ids:
        raise ValueError("ballots name options but there are no options")
    if not keys.size:
        return np.zeros(0, dtype=np.int64)
    id_array = np.asarray(ids, dtype=np.int64)
    low = int(id_array.min())
    span = int(id_array.max()) - low + 1
    if span <= 4 * len(ids) + 1024:
        # Option ids are usually close together: a lookup table beats a binary search.
        table = np.full(span, -1, dtype=np.int64)
        table[id_array - low] = np.arange(len(ids))
        shifted = keys - low
        inside = (shifted >= 0) & (shifted < span)
        index = np.full(keys.size, -1, dtype=np.int64)
        index[inside] = table[shifted[inside]]
        bad = index < 0
    else:
        order = np.argsort(id_array, kind="stable")
        sorted_ids = id_array[order]
        where = np.minimum(np.searchsorted(sorted_ids, keys), sorted_ids.size - 1)
        bad = sorted_ids[where] != keys
        index = order[where]
    if bad.any():
        raise ValueError(f"a ballot names unknown option {int(keys[bad][0])}")
    return index


def _sum_ballots(ids: list[int], ballots: Sequence[Mapping[int, int]]) -> dict[int, Aggregate]:
    # Flattening with chain() keeps the per-entry work in C; numpy does the sums.
    size = sum(map(len, ballots))
    keys = np.fromiter(chain.from_iterable(ballots), dtype=np.int64, count=size)
    if all(type(b) is dict for b in ballots):
        value_lists = map(dict.values, ballots)
    else:
        value_lists = map(_values, ballots)
    values = np.fromiter(chain.from_iterable(value_lists), dtype=np.int64, count=size)
    index = _option_index(ids, keys)
    m = len(ids)
    positive = values > 0
    negative = values < 0
    # np.add.at on int64 keeps sums exact (bincount weights would go through float64).
    votes = np.zeros(m, dtype=np.int64)
    np.add.at(votes, index, values)
    votes_for = np.zeros(m, dtype=np.int64)
    np.add.at(votes_for, index[positive], values[positive])
    votes_against = np.zeros(m, dtype=np.int64)
    np.add.at(votes_against, index[negative], -values[negative])
    n_for = np.bincount(index[positive], minlength=m)
    n_against = np.bincount(index[negative], minlength=m)
    return {
        option_id: Aggregate(
            int(votes[j]),
            int(votes_for[j]),
            int(votes_against[j]),
            int(n_for[j]),
            int(n_against[j]),
        )
        for j, option_id in enumerate(ids)
    }


def tally_from_aggregates(
    method: str | ApprovalRules | QuadraticRules,
    option_ids: Iterable[int],
    per_option_aggregates: Mapping[int, Aggregate | Sequence[int] | Mapping[str, int]],
    n_ballots: int,
    costs: Mapping[int, int | None] | None = None,
) -> Tally:
    """Build the same Tally from per-option sums; options missing from the sums had no votes."""
    name = _method_name(method)
    ids = list(option_ids)
    if len(set(ids)) != len(ids):
        raise ValueError("option ids must be unique")
    unknown = set(per_option_aggregates) - set(ids)
    if unknown:
        raise ValueError(f"aggregates for unknown options {sorted(unknown)}")
    sums = {}
    for option_id in ids:
        raw = per_option_aggregates.get(option_id)
        if raw is None:
            sums[option_id] = Aggregate()
        elif isinstance(raw, Mapping):
            sums[option_id] = Aggregate(**{k: int(raw.get(k, 0) or 0) for k in Aggregate._fields})
        else:
            sums[option_id] = Aggregate(*(int(x or 0) for x in raw))
    if n_ballots < 0:
        raise ValueError("n_ballots cannot be negative")
    return _build(name, ids, sums, n_ballots, costs)


def _build(
    name: str,
    ids: list[int],
    sums: dict[int, Aggregate],
    n_ballots: int,
    costs: Mapping[int, int | None] | None,
) -> Tally:
    costs = costs or {}
    keyed = []
    for option_id in ids:
        a = sums[option_id]
        if name == "approval" and (a.votes_against or a.n_against):
            raise ValueError(f"approval ballots cannot vote against option {option_id}")
        keyed.append((rank_key(a.votes, a.n_for, costs.get(option_id), option_id), option_id))
    keyed.sort()
    votes_count: dict[int, int] = {}
    for option_id in ids:
        votes_count[sums[option_id].votes] = votes_count.get(sums[option_id].votes, 0) + 1
    results = []
    previous = None
    for rank, (key, option_id) in enumerate(keyed, start=1):
        a = sums[option_id]
        decided_by = None
        if previous is not None:
            # The first differing component of the key is the criterion that decided the order.
            first = next(i for i, (x, y) in enumerate(zip(previous, key, strict=True)) if x != y)
            decided_by = DECIDED_BY[{0: 0, 1: 1, 2: 2, 3: 2, 4: 3}[first]]
        previous = key
        results.append(
            OptionResult(
                option_id=option_id,
                votes=a.votes,
                votes_for=a.votes_for,
                votes_against=a.votes_against,
                n_for=a.n_for,
                n_against=a.n_against,
                share_for=(a.n_for / n_ballots) if n_ballots else 0.0,
                cost=costs.get(option_id),
                rank=rank,
                tied_on_votes=votes_count[a.votes] > 1,
                decided_by=decided_by,
            )
        )
    return Tally(name, n_ballots, tuple(results))
