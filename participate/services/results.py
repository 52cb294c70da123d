"""The result of a consultation: counted from stored ballots with SQL aggregates, kept once closed.

The document has the shape DESIGN.md's "Stable interfaces" fixes (fields may be added, never
renamed). It is computed with a constant number of queries, whatever the number of ballots: one
GROUP BY over the entries by ward and option, one over the ballots by ward, one over the
electorate by ward. The ranking comes from `participate.voting.tally`, the same code a recount
from the bulletin board uses.

When a consultation closes, `on_consultation_closed` computes the document once -- budget rules
included, which can take long on a city-wide vote -- and stores it; closed consultations are then
always read from the stored copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import current_app, url_for
from sqlalchemy import case, func, or_, select

from participate.extensions import db
from participate.models import (
    Ballot,
    BallotEntry,
    Consultation,
    Option,
    Phase,
    StoredResult,
    Ward,
    utcnow,
)
from participate.services import budgets
from participate.services.ballots import eligible_by_ward, on_ballot
from participate.voting.tally import TIE_BREAK, tally_from_aggregates


def counted_options(consultation: Consultation) -> list[Option]:
    """The options in the count: those on the ballot, and any other that received votes."""
    has_votes = (
        select(BallotEntry.option_id)
        .join(Ballot, Ballot.id == BallotEntry.ballot_id)
        .where(Ballot.consultation_id == consultation.id)
    )
    return list(
        db.session.scalars(
            select(Option)
            .where(Option.consultation_id == consultation.id)
            .where(or_(on_ballot(consultation.id), Option.id.in_(has_votes)))
            .order_by(Option.id)
        )
    )


def _aggregates(consultation: Consultation) -> dict[int | None, dict[int, tuple]]:
    """Per ward (None: ballots without a ward), per option: votes, for, against, n_for, n_against."""
    positive = BallotEntry.votes > 0
    negative = BallotEntry.votes < 0
    rows = db.session.execute(
        select(
            Ballot.ward_id,
            BallotEntry.option_id,
            func.sum(BallotEntry.votes),
            func.sum(case((positive, BallotEntry.votes), else_=0)),
            func.sum(case((negative, -BallotEntry.votes), else_=0)),
            func.sum(case((positive, 1), else_=0)),
            func.sum(case((negative, 1), else_=0)),
        )
        .join(Ballot, Ballot.id == BallotEntry.ballot_id)
        .where(Ballot.consultation_id == consultation.id)
        .group_by(Ballot.ward_id, BallotEntry.option_id)
    )
    by_ward: dict[int | None, dict[int, tuple]] = {}
    for ward_id, option_id, *sums in rows:
        by_ward.setdefault(ward_id, {})[option_id] = tuple(int(s or 0) for s in sums)
    return by_ward


def _ballots_by_ward(consultation: Consultation) -> dict[int | None, int]:
    rows = db.session.execute(
        select(Ballot.ward_id, func.count(Ballot.id))
        .where(Ballot.consultation_id == consultation.id)
        .group_by(Ballot.ward_id)
    )
    return {ward_id: n for ward_id, n in rows}


def _sum(parts) -> dict[int, tuple]:
    total: dict[int, list[int]] = {}
    for per_option in parts:
        for option_id, sums in per_option.items():
            acc = total.setdefault(option_id, [0, 0, 0, 0, 0])
            for i, value in enumerate(sums):
                acc[i] += value
    return {option_id: tuple(acc) for option_id, acc in total.items()}


def _turnout(ballots: int, eligible: int | None) -> float | None:
    return round(ballots / eligible, 4) if eligible else None


def compute(consultation: Consultation, now=None, echo: Callable[[str], None] | None = None) -> dict:
    """Count the stored ballots now and return the result document (without addresses)."""
    method = consultation.method.value
    options = counted_options(consultation)
    ids = [o.id for o in options]
    costs = {o.id: o.estimated_cost_pence for o in options}
    aggregates = _aggregates(consultation)
    ballots = _ballots_by_ward(consultation)
    eligible = eligible_by_ward(consultation, now)
    whole = tally_from_aggregates(method, ids, _sum(aggregates.values()), sum(ballots.values()), costs)
    by_id = {o.id: o for o in options}
    document = {
        "consultation": _consultation_json(consultation),
        "ballots": whole.n_ballots,
        "eligible": sum(eligible.values()) if eligible is not None else None,
        "options": [_option_json(r, by_id[r.option_id]) for r in whole.options],
        "tie_break": TIE_BREAK,
        "by_ward": _by_ward(consultation, method, ids, costs, aggregates, ballots, eligible),
        "computed_at": (now or utcnow()).isoformat(),
        "final": consultation.phase == Phase.CLOSED,
    }
    document["turnout"] = _turnout(document["ballots"], document["eligible"])
    money = budgets.funding(consultation, options, echo=echo)
    if money is not None:
        document["funded"] = {rule: money[rule]["funded"] for rule in ("greedy", "equal_shares")}
        document["budget"] = money
    return document


def _consultation_json(consultation: Consultation) -> dict:
    return {
        "id": consultation.id,
        "title": consultation.title,
        "method": consultation.method.value,
        "phase": consultation.phase.value,
        "voting_open_at": consultation.voting_open_at.isoformat(),
        "voting_close_at": consultation.voting_close_at.isoformat(),
        "max_approvals": consultation.max_approvals,
        "credits": consultation.credits,
        "allow_negative": consultation.allow_negative,
        "budget_pence": consultation.budget_pence,
        "is_borough_wide": consultation.is_borough_wide,
        "wards": [w.code for w in consultation.wards],
    }


def _option_json(result, option: Option) -> dict:
    return {
        "id": option.id,
        "external_id": option.external_id,
        "title": option.title,
        "votes": result.votes,
        "votes_for": result.votes_for,
        "votes_against": result.votes_against,
        "voters_for": result.n_for,
        "voters_against": result.n_against,
        "share_for": round(result.share_for, 4),
        "rank": result.rank,
        "tied_on_votes": result.tied_on_votes,
        "cost_pence": option.estimated_cost_pence,
    }


def _by_ward(consultation, method, ids, costs, aggregates, ballots, eligible) -> list[dict]:
    """Each ward in scope (or with ballots), by name: its ballots, electorate and ranking."""
    ward_ids = set(consultation.ward_ids) | {w for w in ballots if w is not None}
    if consultation.is_borough_wide and eligible:
        ward_ids |= set(eligible)
    if not ward_ids:
        return []
    wards = db.session.scalars(select(Ward).where(Ward.id.in_(sorted(ward_ids))).order_by(Ward.name))
    out = []
    for ward in wards:
        n = ballots.get(ward.id, 0)
        count = tally_from_aggregates(method, ids, aggregates.get(ward.id, {}), n, costs)
        electorate = eligible.get(ward.id, 0) if eligible is not None else None
        out.append(
            {
                "ward": ward.code,
                "name": ward.name,
                "ballots": n,
                "eligible": electorate,
                "turnout": _turnout(n, electorate),
                "options": [{"id": r.option_id, "votes": r.votes, "rank": r.rank} for r in count.options],
            }
        )
    return out


def stored(consultation: Consultation) -> dict | None:
    """The result stored when the consultation closed, if any."""
    row = db.session.get(StoredResult, consultation.id)
    return json.loads(row.result_json) if row is not None else None


def on_consultation_closed(consultation: Consultation, echo: Callable[[str], None] | None = None) -> dict:
    """Compute the final result once, budget rules included, and store it (replacing any earlier).

    The phase service calls this when a consultation closes; the caller commits.
    """
    document = compute(consultation, echo=echo)
    row = db.session.get(StoredResult, consultation.id)
    if row is None:
        row = StoredResult(consultation_id=consultation.id)
        db.session.add(row)
    row.computed_at = utcnow()
    row.ballot_count = document["ballots"]
    row.result_json = json.dumps(document, separators=(",", ":"))
    db.session.flush()
    return document


def result_for(consultation: Consultation) -> dict:
    """The stored result of a closed consultation, else the count as it stands."""
    if consultation.phase == Phase.CLOSED:
        document = stored(consultation)
        if document is not None:
            return document
    return compute(consultation)


def with_addresses(document: dict) -> dict:
    """The document with the absolute address of the consultation's page (needs a request or
    SERVER_NAME)."""
    consultation = dict(document["consultation"])
    if "consultations.show" in current_app.view_functions:
        consultation["url"] = url_for(
            "consultations.show", consultation_id=consultation["id"], _external=True
        )
    else:
        consultation["url"] = url_for("voting.results", consultation_id=consultation["id"], _external=True)
    consultation["results_url"] = url_for(
        "voting.results", consultation_id=consultation["id"], _external=True
    )
    consultation["bulletin_board_url"] = url_for(
        "voting.bulletin_board", consultation_id=consultation["id"], _external=True
    )
    return {**document, "consultation": consultation}
