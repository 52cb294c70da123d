"""Which projects a budget funds: the greedy rule and the Method of Equal Shares.

Both rules reproduce pabutools 1.2.3 exactly (same funded projects, in the same order):

* ``greedy`` is ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (``sat="cost"``, approval) or
  ``Additive_Cardinal_Sat`` (``sat="cardinal"``, utilities such as quadratic votes in favour).
  Projects are taken in decreasing order of total satisfaction per unit of cost and funded when
  they still fit in what is left of the budget.
* ``equal_shares`` is the Method of Equal Shares (MES) made exhaustive the way pabutools'
  ``completion_by_rule_combination`` does it: MES is re-run with the voters' shares raised by 1%
  of the budget at a time until its outcome would overspend the real budget (the last outcome
  that did not is kept) or leaves no room for any other project; whatever money is left is then
  filled greedily.

Ties between projects (equal satisfaction per cost, or equal price per unit of satisfaction
under MES) go to the project whose id, read as text, sorts first -- pabutools' lexicographic
tie-breaking on project names.

The arithmetic is exact where the outcome depends on it.  MES runs on floating point numbers
with a running bound on their error; a choice is only made in floating point when the bound
proves it is the choice exact arithmetic would make.  When a comparison is too close to call
(an exact tie, or a project whose supporters have just about its cost), that choice is made with
exact fractions, replaying the rounds so far exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Literal

import numpy as np

from participate.voting.election import Election, ProjectId

__all__ = [
    "REASONS",
    "Election",
    "Outcome",
    "equal_shares",
    "greedy",
]

Sat = Literal["cost", "cardinal"]

REASONS = (
    "costs_more_than_budget",  # the project costs more than the whole budget
    "no_support",  # no voter supported it (and greedy found no room for it)
    "not_enough_budget_left",  # when its turn came, less money was left than it costs
    # Equal shares: its supporters' shares could not cover its cost, and the money left after
    # the equal-shares rounds was less than its cost.
    "supporters_could_not_afford",
)
"""Codes explaining why a project was not funded; the web layer words them for residents."""

# Relative error of one floating point operation (unit roundoff is half of this).
_EPS = 2.0**-52


@dataclass(frozen=True)
class Outcome:
    """The result of a budgeting rule: what is funded, in order, and why the rest is not."""

    rule: str
    sat: str
    budget: int
    funded: tuple[ProjectId, ...]
    spent: int
    not_funded: dict[ProjectId, str]
    # How each funded project was chosen: "greedy", "equal_shares" or "completion" (the greedy
    # top-up after equal shares).
    stage: dict[ProjectId, str] = field(default_factory=dict)
    # Equal shares only: the shares were raised by this many percent of the budget.
    budget_increase_percent: int | None = None

    def to_dict(self) -> dict:
        """A JSON-friendly copy (project ids kept as given)."""
        return {
            "rule": self.rule,
            "sat": self.sat,
            "budget": self.budget,
            "funded": list(self.funded),
            "spent": self.spent,
            "not_funded": dict(self.not_funded),
            "stage": dict(self.stage),
            "budget_increase_percent": self.budget_increase_percent,
        }


def _mapping_values(ballot: Mapping[ProjectId, int]) -> Iterable[int]:
    return ballot.values()


class _Prepared:
    """An election compiled into arrays: projects by index, supporters per project."""

    def __init__(self, election: Election, sat: Sat) -> None:
        if sat not in ("cost", "cardinal"):
            raise ValueError(f"unknown satisfaction {sat!r}; use 'cost' or 'cardinal'")
        self.election = election
        self.sat = sat
        self.ids = list(election.costs)
        self.names = [str(pid) for pid in self.ids]
        self.costs = [election.costs[pid] for pid in self.ids]
        self.budget = election.budget
        self.n = len(election.ballots)
        m = len(self.ids)
        index = {pid: j for j, pid in enumerate(self.ids)}
        # Rank of each project in pabutools' name order, the final tie-break everywhere.
        self.name_rank = [0] * m
        for rank, j in enumerate(sorted(range(m), key=lambda j: self.names[j])):
            self.name_rank[j] = rank
        ballots = election.ballots
        size = sum(map(len, ballots))
        # Flatten the ballots in C (chain/fromiter) and sort the entries by project.
        project = np.fromiter(
            map(index.__getitem__, chain.from_iterable(ballots)), dtype=np.int64, count=size
        )
        values = dict.values if all(type(b) is dict for b in ballots) else _mapping_values
        # int64 while every number fits comfortably; Python ints (object arrays) beyond that.
        wide = max(self.costs, default=0) >= 2**62 // max(self.n, 1)
        try:
            utility = np.fromiter(
                chain.from_iterable(map(values, ballots)),
                dtype=object if wide else np.int64,
                count=size,
            )
        except OverflowError:
            wide = True
            utility = np.fromiter(chain.from_iterable(map(values, ballots)), dtype=object, count=size)
        voter = np.repeat(np.arange(self.n, dtype=np.int64), [len(b) for b in ballots])
        keep = (utility > 0).astype(bool)
        project, utility, voter = project[keep], utility[keep], voter[keep]
        order = np.argsort(project, kind="stable")
        project, voter = project[order], voter[order]
        bounds = np.searchsorted(project, np.arange(m + 1))
        if sat == "cost":
            utility = np.asarray(self.costs, dtype=object if wide else np.int64)[project]
        else:
            utility = utility[order]
        self.sup = [voter[bounds[j] : bounds[j + 1]] for j in range(m)]
        exact_utils = [utility[bounds[j] : bounds[j + 1]] for j in range(m)]
        if not wide and any(u.size and int(u.max()) >= 2**62 // u.size for u in exact_utils):
            exact_utils = [u.astype(object) for u in exact_utils]
        self.total_util = [int(u.sum()) if u.size else 0 for u in exact_utils]
        self.max_util = [int(u.max()) if u.size else 0 for u in exact_utils]
        # Float sums of integer utilities are exact below 2**53; beyond that stay exact.
        self.float_safe = all(t < 2**53 for t in self.total_util)
        if self.float_safe:
            self.util = [u.astype(np.int64) for u in exact_utils]
        else:
            self.util = exact_utils
        self.util_f = [u.astype(np.float64) for u in exact_utils]
        self.uniform = [bool(u.size) and self.max_util[j] == int(u.min()) for j, u in enumerate(exact_utils)]

    def cost_of(self, projects: Iterable[int]) -> int:
        return sum(self.costs[j] for j in projects)


# --------------------------------------------------------------------------------------------
# Greedy


def _greedy_fill(prep: _Prepared, chosen: list[int], budget: int) -> list[int]:
    """Projects added by pabutools' additive greedy rule on top of ``chosen``."""
    taken = set(chosen)
    candidates = [j for j in range(len(prep.ids)) if j not in taken]

    def density(j: int) -> Fraction | int:
        total = prep.total_util[j]
        if total <= 0:
            return 0
        return Fraction(total, prep.costs[j])

    candidates.sort(key=lambda j: (-density(j), prep.name_rank[j]))
    remaining = budget - prep.cost_of(chosen)
    added = []
    for j in candidates:
        if prep.costs[j] <= remaining:
            added.append(j)
            remaining -= prep.costs[j]
    return added


def greedy(election: Election, sat: Sat = "cost") -> Outcome:
    """Fund projects in order of satisfaction per cost while they fit (pabutools' greedy rule)."""
    prep = _Prepared(election, sat)
    funded = _greedy_fill(prep, [], prep.budget)
    return _outcome(prep, "greedy", funded, dict.fromkeys(funded, "greedy"), None, None)


# --------------------------------------------------------------------------------------------
# Method of Equal Shares: exact state


class _ExactState:
    """Voters' exact remaining shares during one MES run, grouped into identical 'patterns'.

    A voter's share is ``b0 - sum(rho_j * u_ij)`` over the projects funded so far (or zero once
    spent), so voters who gave the same utilities to the funded projects hold the same amount.
    Each voter carries a pattern id; pattern g holds ``numerator[g] / denominator[g]``.  Every
    new pattern is written over the newest denominator, which all older ones divide, so the
    arithmetic stays in integers without a gcd per operation.
    """

    ZERO = 1

    def __init__(self, prep: _Prepared, b0: Fraction) -> None:
        self.prep = prep
        self.pattern = np.zeros(prep.n, dtype=np.int64)
        self.numerator: list[int] = [b0.numerator, 0]
        self.denominator: list[int] = [b0.denominator, b0.denominator]
        self.floats: list[float] = [float(b0), 0.0]
        self.common = b0.denominator
        self.applied = 0

    def _groups(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Supporters of j grouped by (pattern, utility): keys, patterns, utilities, counts."""
        prep = self.prep
        pats = self.pattern[prep.sup[j]]
        if prep.uniform[j]:
            keys = pats
            base = 1
        else:
            base = prep.max_util[j] + 1
            keys = pats * base + prep.util[j]
        if len(self.numerator) * base <= 4 * keys.size + 65536:
            counts = np.bincount(keys)
            ids = np.flatnonzero(counts)
            counts = counts[ids]
        else:
            ids, counts = np.unique(keys, return_counts=True)
        if prep.uniform[j]:
            return ids, ids, np.full(ids.size, prep.util[j][0]), counts
        return ids, ids // base, ids % base, counts

    def _solve(self, j: int):
        """Exact price of j as (numerator, denominator) plus the groups, or None if unaffordable."""
        prep = self.prep
        keys, pats, utils, counts = self._groups(j)
        common = self.common
        num, den = self.numerator, self.denominator
        scale: dict[int, int] = {}
        items = []
        total = 0
        weight = 0
        for g, u, c in zip(pats.tolist(), utils.tolist(), counts.tolist(), strict=True):
            d = den[g]
            f = scale.get(d)
            if f is None:
                f = scale[d] = common // d
            share = num[g] * f
            items.append((share, u, c))
            total += share * c
            weight += u * c
        cost = prep.costs[j] * common
        if total < cost:
            return None
        if prep.uniform[j]:
            order = sorted(range(len(items)), key=lambda i: items[i][0])
        else:
            lcm = math.lcm(*{u for _, u, _ in items})
            order = sorted(range(len(items)), key=lambda i: items[i][0] * (lcm // items[i][1]))
        paid = 0
        for position, i in enumerate(order):
            share, u, c = items[i]
            # rho = (cost - paid) / (weight * common); this group can pay rho * u in full?
            if (cost - paid) * u <= share * weight:
                # Groups earlier in `order` pay all they have; this one and later pay rho * u.
                return (cost - paid, weight * common), keys, items, weight, order[position:]
            paid += share * c
            weight -= u * c
        raise AssertionError("affordable project without a price")  # pragma: no cover

    def float_shares(self) -> tuple[np.ndarray, np.ndarray]:
        """Every voter's share as a float, with a bound on each float's error."""
        # int / int is correctly rounded: each float is within half an ulp of the exact share.
        shares = np.asarray(self.floats, dtype=np.float64)[self.pattern]
        return shares, shares * _EPS

    def price(self, j: int) -> Fraction | None:
        """Exact MES price rho of project j, or None when its supporters cannot afford it."""
        solved = self._solve(j)
        return None if solved is None else Fraction(*solved[0])

    def fund(self, j: int, shares: np.ndarray | None = None) -> Fraction:
        """Charge project j's supporters its exact price; refresh their float shares if given."""
        solved = self._solve(j)
        assert solved is not None, "funding an unaffordable project"
        (top, bottom), keys, items, weight, paying = solved
        # Dividing out the common factor of the weight and the utilities keeps numbers short.
        h = math.gcd(weight, *{items[i][1] for i in paying})
        common = self.common * weight // h
        new_ids = [self.ZERO] * len(items)
        new_floats = [0.0] * len(items)
        numerator, denominator, floats = self.numerator, self.denominator, self.floats
        for i in paying:
            share, u, _ = items[i]
            left = share * weight - u * top
            if left > 0:
                left //= h
                new_ids[i] = len(numerator)
                numerator.append(left)
                denominator.append(common)
                value = left / common
                floats.append(value)
                new_floats[i] = value
        self.common = common
        prep = self.prep
        sup = prep.sup[j]
        pats = self.pattern[sup]
        if not prep.uniform[j]:
            pats = pats * (prep.max_util[j] + 1) + prep.util[j]
        if keys[-1] < 4 * keys.size + 65536:
            table = np.empty(int(keys[-1]) + 1, dtype=np.int64)
            table[keys] = np.arange(keys.size)
            where = table[pats]
        else:
            where = np.searchsorted(keys, pats)
        self.pattern[sup] = np.asarray(new_ids, dtype=np.int64)[where]
        if shares is not None:
            shares[sup] = np.asarray(new_floats, dtype=np.float64)[where]
        self.applied += 1
        return Fraction(top, bottom)


# --------------------------------------------------------------------------------------------
# Method of Equal Shares: one run at a given voter share


def _mes_exact(prep: _Prepared, b0: Fraction, candidates: list[int]) -> list[int]:
    """One MES run in exact arithmetic only (used for small elections and as a cross-check)."""
    state = _ExactState(prep, b0)
    remaining = set(candidates)
    funded: list[int] = []
    while remaining:
        best: tuple[Fraction, int, int] | None = None
        for j in list(remaining):
            rho = state.price(j)
            if rho is None:
                remaining.discard(j)
                continue
            key = (rho, prep.name_rank[j], j)
            if best is None or key < best:
                best = key
        if best is None:
            break
        state.fund(best[2])
        funded.append(best[2])
        remaining.discard(best[2])
    return funded


class _Undecided(Exception):
    pass


def _float_price(prep: _Prepared, j: int, shares: np.ndarray, errors: np.ndarray):
    """Bracket project j's MES price in floats: None (unaffordable), or (lo, rho, hi).

    ``errors[i]`` bounds how far ``shares[i]`` may be from voter i's exact share.  The result
    is proven: ``lo < rho_exact <= hi``.  Raises _Undecided when the floats cannot settle
    affordability or the bracket.
    """
    sup = prep.sup[j]
    cost = float(prep.costs[j])
    b = shares[sup]
    e = errors[sup]
    m = b.size
    total = float(b.sum())
    slack = float(e.sum()) + (m + 2) * _EPS * total
    if total + slack < cost:
        return None
    if total - slack < cost:
        raise _Undecided
    uniform = prep.uniform[j]
    # Poor/rich iteration: voters who cannot pay rho * u pay all they have; repeat until stable.
    if uniform:
        u = float(prep.util[j][0])
        rich = b
        poor_sum = 0.0
        k = m
        while True:
            rho = (cost - poor_sum) / (u * k)
            poor = rich < rho * u
            n_poor = int(np.count_nonzero(poor))
            if n_poor == 0:
                break
            poor_sum += float(rich[poor].sum())
            rich = rich[~poor]
            k -= n_poor
            if k == 0:
                raise _Undecided
        weight = u * k
    else:
        u = prep.util_f[j]
        rich_b, rich_u = b, u
        poor_sum = 0.0
        weight = float(prep.total_util[j])
        while True:
            rho = (cost - poor_sum) / weight
            poor = rich_b < rho * rich_u
            if not poor.any():
                break
            poor_sum += float(rich_b[poor].sum())
            weight -= float(rich_u[poor].sum())
            keep = ~poor
            rich_b, rich_u = rich_b[keep], rich_u[keep]
            if rich_b.size == 0:
                raise _Undecided
    u_max = float(prep.max_util[j])
    low_b = b - e

    def bound(x: float, f: float) -> float:
        # Voters who may pay all they have carry their share's error into f(x); the others pay
        # x * u exactly.  Plus rounding of the products and of the sum.
        unsure = low_b <= x * u * (1 + 4 * _EPS)
        return float(e[unsure].sum()) + m * _EPS * x * u_max + (m + 2) * _EPS * f

    # The exact price moves by about (error of the voters paying in full) / (weight still paying
    # rho * u); start from that and widen until the bracket is proven.
    delta = (2 * bound(rho, cost)) / weight + 4 * _EPS * rho
    for _ in range(6):
        lo, hi = rho - delta, rho + delta
        f_lo = float(np.minimum(b, lo * u).sum())
        f_hi = float(np.minimum(b, hi * u).sum())
        if f_lo + bound(lo, f_lo) < cost and f_hi - bound(hi, f_hi) >= cost:
            return lo, rho, hi
        delta *= 16
    raise _Undecided


def _mes_float(prep: _Prepared, b0: Fraction, candidates: list[int]) -> list[int]:
    """One MES run in floats with proven choices; exact arithmetic settles close calls.

    Each voter's float share carries a bound on its error.  While every choice is proven by the
    floats, no exact arithmetic is done at all.  When a choice is too close to call, the rounds
    so far are replayed exactly (the exact state lags behind until then), the choice is made on
    exact prices, and the floats restart from the exact shares.
    """
    exact = _ExactState(prep, b0)
    shares = np.full(prep.n, float(b0), dtype=np.float64)
    errors = np.full(prep.n, float(b0) * _EPS, dtype=np.float64)
    # Lower bounds on each project's price; prices only rise as shares are spent.
    floor = {j: (prep.costs[j] / prep.total_util[j]) * (1 - 4 * _EPS) for j in candidates}
    remaining = set(candidates)
    funded: list[int] = []
    while remaining:
        best_hi = math.inf
        best = -1
        brackets: dict[int, tuple[float, float, float]] = {}
        undecided: list[int] = []
        for j in sorted(remaining, key=floor.__getitem__):
            if floor[j] > best_hi:
                break
            try:
                bracket = _float_price(prep, j, shares, errors)
            except _Undecided:
                undecided.append(j)
                continue
            if bracket is None:
                remaining.discard(j)
                continue
            brackets[j] = bracket
            floor[j] = max(floor[j], bracket[0])
            if bracket[2] < best_hi:
                best_hi, best = bracket[2], j
        rivals = [j for j, (lo, _, _) in brackets.items() if j != best and lo < best_hi]
        if not rivals and not undecided:
            if best < 0:
                break
            _charge(prep, best, brackets[best], shares, errors)
            funded.append(best)
            remaining.discard(best)
            continue
        # Too close to call in floats: replay the rounds so far exactly, compare exact prices.
        while exact.applied < len(funded):
            exact.fund(funded[exact.applied])
        choice: tuple[Fraction, int, int] | None = None
        for j in undecided + rivals + ([best] if best >= 0 else []):
            rho = exact.price(j)
            if rho is None:
                remaining.discard(j)
                continue
            key = (rho, prep.name_rank[j], j)
            if choice is None or key < choice:
                choice = key
        if choice is not None:
            exact.fund(choice[2])
            funded.append(choice[2])
            remaining.discard(choice[2])
        shares, errors = exact.float_shares()
    return funded


def _charge(
    prep: _Prepared,
    j: int,
    bracket: tuple[float, float, float],
    shares: np.ndarray,
    errors: np.ndarray,
) -> None:
    """Take project j's price from its supporters' float shares, widening their error bounds."""
    lo, rho, hi = bracket
    sup = prep.sup[j]
    b = shares[sup]
    e = errors[sup]
    u = float(prep.util[j][0]) if prep.uniform[j] else prep.util_f[j]
    pay = rho * u
    # max(0, b - x) moves by at most |b - b'| + |x - x'|; plus the rounding of b - x and rho * u.
    new_e = e + max(hi - rho, rho - lo) * u + _EPS * (b + pay)
    new_b = np.maximum(b - pay, 0.0)
    # Voters proven unable to pay even the lowest possible price end with exactly nothing.
    spent = b + e < lo * u
    new_b[spent] = 0.0
    new_e[spent] = 0.0
    shares[sup] = new_b
    errors[sup] = new_e


# --------------------------------------------------------------------------------------------
# Method of Equal Shares with budget increase and greedy completion


def _exhaustive(prep: _Prepared, chosen: list[int]) -> bool:
    spent = prep.cost_of(chosen)
    taken = set(chosen)
    return all(j in taken or spent + prep.costs[j] > prep.budget for j in range(len(prep.ids)))


def _mes_with_increase(prep: _Prepared, engine: str) -> tuple[list[int], int | None]:
    """pabutools' exhaustion_by_budget_increase around MES: (funded, percent increase used)."""
    if prep.n == 0:
        return [], None
    # Projects nobody supports never enter MES.
    candidates = [j for j in range(len(prep.ids)) if prep.total_util[j] > 0]
    run = _mes_exact if engine == "exact" or not prep.float_safe else _mes_float
    if engine == "auto" and sum(s.size for s in prep.sup) < 2000:
        run = _mes_exact
    # The shared budget rises by 1% of the real budget a step, up to budget * (voters + 1).
    last = 100 * prep.n
    together = prep.cost_of(candidates)
    if together <= prep.budget and any(
        together + prep.costs[j] <= prep.budget for j in range(len(prep.ids)) if prep.total_util[j] <= 0
    ):
        # Every run funds some of the supported projects, which all fit together with room for
        # an unsupported one: no run can overspend or leave no room, so pabutools' loop goes to
        # its last step and returns that run.  Skip straight to it.
        return run(prep, Fraction(prep.budget * (100 + last), 100 * prep.n), candidates), last
    previous: list[int] = []
    previous_step: int | None = None
    step = 0
    while step <= last:
        b0 = Fraction(prep.budget * (100 + step), 100 * prep.n)
        outcome = run(prep, b0, candidates)
        if prep.cost_of(outcome) > prep.budget:
            return previous, previous_step
        if _exhaustive(prep, outcome):
            return outcome, step
        previous, previous_step = outcome, step
        step += 1
    return previous, previous_step


def equal_shares(election: Election, sat: Sat = "cost", *, engine: str = "auto") -> Outcome:
    """Fund projects by the Method of Equal Shares, completed as pabutools does (see module doc).

    ``engine`` is "auto", "float" (floats with exact settling of close calls) or "exact"
    (fractions throughout); all three return the same outcome.
    """
    if engine not in ("auto", "float", "exact"):
        raise ValueError(f"unknown engine {engine!r}")
    prep = _Prepared(election, sat)
    mes, step = _mes_with_increase(prep, engine)
    stage = dict.fromkeys(mes, "equal_shares")
    funded = list(mes)
    if not _exhaustive(prep, funded):
        extra = _greedy_fill(prep, funded, prep.budget)
        funded += extra
        stage.update(dict.fromkeys(extra, "completion"))
    return _outcome(prep, "equal_shares", funded, stage, step, mes if step is not None else None)


# --------------------------------------------------------------------------------------------


def _outcome(
    prep: _Prepared,
    rule: str,
    funded: list[int],
    stage: dict[int, str],
    step: int | None,
    mes: list[int] | None,
) -> Outcome:
    taken = set(funded)
    reasons: dict[ProjectId, str] = {}
    for j, pid in enumerate(prep.ids):
        if j in taken:
            continue
        if prep.costs[j] > prep.budget:
            reasons[pid] = "costs_more_than_budget"
        elif prep.total_util[j] <= 0:
            reasons[pid] = "no_support"
        elif mes is not None:
            # The equal-shares run ended with this project unaffordable to its supporters, and
            # the greedy top-up found it too expensive for what was left.
            reasons[pid] = "supporters_could_not_afford"
        else:
            reasons[pid] = "not_enough_budget_left"
    return Outcome(
        rule=rule,
        sat=prep.sat,
        budget=prep.budget,
        funded=tuple(prep.ids[j] for j in funded),
        spent=prep.cost_of(funded),
        not_funded=reasons,
        stage={prep.ids[j]: s for j, s in stage.items()},
        budget_increase_percent=step,
    )
