"""The input to the budgeting rules: a budget, the projects' costs and the voters' ballots."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

ProjectId = Hashable


def _is_int(value: object) -> bool:
    # bool is an int subclass; True as a cost or a utility is almost certainly a bug upstream.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, eq=True)
class Election:
    """A budgeted vote: budget and costs in whole currency units, one utility mapping per voter.

    Approval ballots give each approved project utility 1.  A project missing from a ballot (or
    given utility 0) is not supported by that voter.  Every voter counts, including those who
    support nothing: under the Method of Equal Shares they still receive their share of the budget.
    """

    budget: int
    costs: dict[ProjectId, int]
    ballots: list[dict[ProjectId, int]]

    def __post_init__(self) -> None:
        if not _is_int(self.budget) or self.budget <= 0:
            raise ValueError(f"budget must be a positive integer, not {self.budget!r}")
        names: set[str] = set()
        for project_id, project_cost in self.costs.items():
            if not _is_int(project_cost) or project_cost <= 0:
                raise ValueError(
                    f"cost of project {project_id!r} must be a positive integer, not {project_cost!r}"
                )
            # Ties between projects are broken on the id's text, so two ids sharing a text
            # (1 and "1") would make the outcome depend on dictionary order.
            name = str(project_id)
            if name in names:
                raise ValueError(f"two projects share the id text {name!r}")
            names.add(name)
        for index, ballot in enumerate(self.ballots):
            for project_id, utility in ballot.items():
                if project_id not in self.costs:
                    raise ValueError(f"ballot {index} names unknown project {project_id!r}")
                if not _is_int(utility) or utility < 0:
                    raise ValueError(
                        f"ballot {index} gives project {project_id!r} the utility {utility!r}; "
                        "utilities must be non-negative integers"
                    )

    @classmethod
    def from_approvals(
        cls,
        budget: int,
        costs: Mapping[ProjectId, int],
        approvals: Iterable[Iterable[ProjectId]],
    ) -> Election:
        """Build an election from approval ballots given as collections of project ids."""
        return cls(budget, dict(costs), [dict.fromkeys(ballot, 1) for ballot in approvals])

    @classmethod
    def from_votes(
        cls,
        budget: int,
        costs: Mapping[ProjectId, int],
        ballots: Iterable[Mapping[ProjectId, int]],
    ) -> Election:
        """Build a cardinal election from quadratic ballots, keeping only the votes in favour."""
        return cls(
            budget,
            dict(costs),
            [{p: v for p, v in ballot.items() if v > 0} for ballot in ballots],
        )

    @property
    def project_ids(self) -> list[ProjectId]:
        """The project ids in the order the costs were given."""
        return list(self.costs)

    def supporters(self, project_id: ProjectId) -> int:
        """Number of voters giving the project a positive utility."""
        return sum(1 for ballot in self.ballots if ballot.get(project_id, 0) > 0)
