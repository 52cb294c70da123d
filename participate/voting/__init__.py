"""Counting rules for participate, in pure Python: no web framework, no database.

* :mod:`participate.voting.rules` -- ballot rules (approval, quadratic) and validation;
* :mod:`participate.voting.tally` -- counting valid ballots and ranking options;
* :mod:`participate.voting.budgeting` -- which options a budget funds (greedy, equal shares);
* :mod:`participate.voting.pabulib` -- reading and writing the Pabulib data format;
* :mod:`participate.voting.pabutools_reference` -- the same budgeting rules run by pabutools.
"""

from participate.voting.budgeting import Outcome, equal_shares, greedy
from participate.voting.election import Election
from participate.voting.rules import (
    PROBLEM_CODES,
    ApprovalRules,
    Problem,
    QuadraticRules,
    ValidationResult,
    cost,
    credits_spent,
    validate,
)
from participate.voting.tally import (
    TIE_BREAK,
    Aggregate,
    OptionResult,
    Tally,
    tally,
    tally_from_aggregates,
)

__all__ = [
    "PROBLEM_CODES",
    "TIE_BREAK",
    "Aggregate",
    "ApprovalRules",
    "Election",
    "OptionResult",
    "Outcome",
    "Problem",
    "QuadraticRules",
    "Tally",
    "ValidationResult",
    "cost",
    "credits_spent",
    "equal_shares",
    "greedy",
    "tally",
    "tally_from_aggregates",
    "validate",
]
