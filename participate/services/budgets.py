"""Which options a consultation's budget funds, from its stored ballots, under both rules.

The rules themselves are `participate.voting.budgeting` (greedy, and the Method of Equal Shares
completed as pabutools does); this module only reads the ballots and names the projects.

Projects are named for the rules (which break exact ties on the name, as pabutools does) by
the options' external ids when every option has one -- an imported Pabulib vote then gives
exactly what pabutools gives on the file -- and otherwise by the option number padded with
zeros, so that ties go to the option put forward first, as in the ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import func, select

from participate.extensions import db
from participate.models import Ballot, BallotEntry, Consultation, Option, VotingMethod
from participate.voting import budgeting
from participate.voting.election import Election

# Why an option is not funded, beyond the engine's own reasons (budgeting.REASONS).
NO_COST = "no_cost_estimate"


def project_names(options: Sequence[Option]) -> dict[int, str]:
    """The name each option goes by in the budgeting rules (see the module's docstring)."""
    if options and all(o.external_id for o in options):
        return {o.id: o.external_id for o in options}
    return {o.id: f"{o.id:012d}" for o in options}


def ballots_for_budget(consultation: Consultation) -> list[dict[int, int]]:
    """Every ballot as {option id: votes}, empty ballots included (two queries, none per ballot)."""
    n_ballots = db.session.scalar(
        select(func.count(Ballot.id)).where(Ballot.consultation_id == consultation.id)
    )
    rows = db.session.execute(
        select(BallotEntry.ballot_id, BallotEntry.option_id, BallotEntry.votes)
        .join(Ballot, Ballot.id == BallotEntry.ballot_id)
        .where(Ballot.consultation_id == consultation.id)
        .order_by(BallotEntry.ballot_id)
        .execution_options(yield_per=20_000)
    )
    ballots: list[dict[int, int]] = []
    current, last = {}, None
    for ballot_id, option_id, votes in rows:
        if ballot_id != last:
            if last is not None:
                ballots.append(current)
            current, last = {}, ballot_id
        current[option_id] = votes
    if last is not None:
        ballots.append(current)
    # Ballots with no votes at all still count: each voter has an equal share of the budget.
    ballots.extend({} for _ in range(n_ballots - len(ballots)))
    return ballots


def funding(
    consultation: Consultation,
    options: Sequence[Option],
    ballots: list[dict[int, int]] | None = None,
    echo: Callable[[str], None] | None = None,
) -> dict | None:
    """Both rules' outcomes as the result document shows them, or None without a budget."""
    if not consultation.budget_pence:
        return None
    if ballots is None:
        ballots = ballots_for_budget(consultation)
    names = project_names(options)
    priced = [o for o in options if o.estimated_cost_pence]
    by_name = {names[o.id]: o.id for o in priced}
    costs = {names[o.id]: o.estimated_cost_pence for o in priced}
    approval = consultation.method == VotingMethod.APPROVAL
    profile = [
        {names[o]: (1 if approval else v) for o, v in ballot.items() if v > 0 and names.get(o) in costs}
        for ballot in ballots
    ]
    unpriced = {o.id: NO_COST for o in options if not o.estimated_cost_pence}
    sat = "cost" if approval else "cardinal"
    document = {"budget_pence": consultation.budget_pence, "satisfaction": sat}
    if not costs:
        empty = {"funded": [], "spent_pence": 0, "not_funded": _reasons(unpriced)}
        return {**document, "greedy": empty, "equal_shares": {**empty, "budget_increase_percent": None}}
    election = Election(consultation.budget_pence, costs, profile)
    for rule in ("greedy", "equal_shares"):
        if echo:
            echo(f"Computing {rule.replace('_', ' ')} for {len(ballots)} ballots…")
        outcome = getattr(budgeting, rule)(election, sat=sat)
        reasons = {by_name[name]: reason for name, reason in outcome.not_funded.items()}
        document[rule] = {
            "funded": [by_name[name] for name in outcome.funded],
            "spent_pence": outcome.spent,
            "not_funded": _reasons({**reasons, **unpriced}),
        }
        if rule == "equal_shares":
            document[rule]["budget_increase_percent"] = outcome.budget_increase_percent
            document[rule]["stage"] = {str(by_name[n]): s for n, s in outcome.stage.items()}
    return document


def _reasons(reasons: dict[int, str]) -> list[dict]:
    return [{"id": option_id, "reason": reason} for option_id, reason in sorted(reasons.items())]
