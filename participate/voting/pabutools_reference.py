"""The two budgeting rules computed by pabutools itself, the reference our own engine must match.

pabutools is slow on large elections (minutes for the Method of Equal Shares on a city-wide
vote) but it is the published implementation, so the tests and the benchmark compare against it.
Projects are named by the text of their id, which is also what pabutools breaks ties on.
"""

from __future__ import annotations

from typing import Literal

from participate.voting.election import Election, ProjectId

Sat = Literal["cost", "cardinal"]

# The exact calls, recorded alongside reference results so that they can be re-run by hand.
GREEDY_CALL = "greedy_utilitarian_welfare(instance, profile, sat_class={sat})"
EQUAL_SHARES_CALL = (
    "completion_by_rule_combination(instance, profile, "
    "[exhaustion_by_budget_increase, greedy_utilitarian_welfare], "
    '[{{"rule": method_of_equal_shares, "rule_params": {{"sat_class": {sat}}}}}, '
    '{{"sat_class": {sat}}}])'
)
SAT_CLASS_NAMES = {"cost": "Cost_Sat", "cardinal": "Additive_Cardinal_Sat"}


def to_pabutools(election: Election, sat: Sat = "cost"):
    """Build a pabutools (instance, profile, satisfaction class) from an election."""
    from pabutools.election import (
        Additive_Cardinal_Sat,
        ApprovalBallot,
        ApprovalProfile,
        CardinalBallot,
        CardinalProfile,
        Cost_Sat,
        Instance,
        Project,
    )

    projects = {pid: Project(str(pid), cost) for pid, cost in election.costs.items()}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if sat == "cost":
        profile = ApprovalProfile(
            [ApprovalBallot(projects[p] for p, u in ballot.items() if u > 0) for ballot in election.ballots],
            instance=instance,
        )
        return instance, profile, Cost_Sat
    if sat == "cardinal":
        profile = CardinalProfile(
            [
                CardinalBallot({projects[p]: u for p, u in ballot.items() if u > 0})
                for ballot in election.ballots
            ],
            instance=instance,
        )
        return instance, profile, Additive_Cardinal_Sat
    raise ValueError(f"unknown satisfaction {sat!r}; use 'cost' or 'cardinal'")


def _ids(election: Election, allocation) -> list[ProjectId]:
    by_name = {str(pid): pid for pid in election.costs}
    return [by_name[p.name] for p in allocation]


def greedy(election: Election, sat: Sat = "cost") -> list[ProjectId]:
    """Projects funded by pabutools' greedy utilitarian rule, in the order it picked them."""
    from pabutools.rules import greedy_utilitarian_welfare

    instance, profile, sat_class = to_pabutools(election, sat)
    return _ids(election, greedy_utilitarian_welfare(instance, profile, sat_class=sat_class))


def equal_shares(election: Election, sat: Sat = "cost") -> list[ProjectId]:
    """Projects funded by pabutools' Method of Equal Shares, budget increase and greedy top-up."""
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile, sat_class = to_pabutools(election, sat)
    allocation = completion_by_rule_combination(
        instance,
        profile,
        [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
        [
            {"rule": method_of_equal_shares, "rule_params": {"sat_class": sat_class}},
            {"sat_class": sat_class},
        ],
    )
    return _ids(election, allocation)


def calls(sat: Sat = "cost") -> dict[str, str]:
    """The literal pabutools calls behind :func:`greedy` and :func:`equal_shares`."""
    name = SAT_CLASS_NAMES[sat]
    return {
        "greedy": GREEDY_CALL.format(sat=name),
        "equal_shares": EQUAL_SHARES_CALL.format(sat=name),
    }
