"""The bulletin board: every ballot of a closed consultation by receipt, with no identity.

Ballots are listed in receipt order -- receipts are random, so the order says nothing about who
voted when -- and nothing but the receipt and the votes is published (no time, no ward, no id).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import func, select

from participate.extensions import db
from participate.models import Ballot, BallotEntry, Consultation
from participate.services.receipts import normalise


def board_rules(consultation: Consultation, options) -> dict:
    """What a recount needs besides the ballots: the method, its limits, the options and costs."""
    return {
        "id": consultation.id,
        "title": consultation.title,
        "method": consultation.method.value,
        "phase": consultation.phase.value,
        "max_approvals": consultation.max_approvals,
        "credits": consultation.credits,
        "allow_negative": consultation.allow_negative,
        "budget_pence": consultation.budget_pence,
        "options": [
            {"id": o.id, "external_id": o.external_id, "title": o.title, "cost_pence": o.estimated_cost_pence}
            for o in options
        ],
    }


def count(consultation: Consultation) -> int:
    """How many ballots the board lists."""
    return db.session.scalar(select(func.count(Ballot.id)).where(Ballot.consultation_id == consultation.id))


def page(consultation: Consultation, number: int, size: int) -> tuple[list[dict], bool]:
    """One page of the board (two queries): [{receipt, entries: [{option, votes}]}], has_more."""
    rows = db.session.execute(
        select(Ballot.id, Ballot.receipt)
        .where(Ballot.consultation_id == consultation.id)
        .order_by(Ballot.receipt)
        .limit(size + 1)
        .offset((max(number, 1) - 1) * size)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    entries: dict[int, list[dict]] = {ballot_id: [] for ballot_id, _ in rows}
    if rows:
        for ballot_id, option_id, votes in db.session.execute(
            select(BallotEntry.ballot_id, BallotEntry.option_id, BallotEntry.votes)
            .where(BallotEntry.ballot_id.in_(list(entries)))
            .order_by(BallotEntry.ballot_id, BallotEntry.option_id)
        ):
            entries[ballot_id].append({"option": option_id, "votes": votes})
    return [{"receipt": receipt, "entries": entries[ballot_id]} for ballot_id, receipt in rows], more


def find(consultation_id: int | None, typed: str) -> Ballot | None:
    """The ballot with this receipt (as typed), in one consultation or any."""
    receipt = normalise(typed)
    if receipt is None:
        return None
    query = select(Ballot).where(Ballot.receipt == receipt)
    if consultation_id is not None:
        query = query.where(Ballot.consultation_id == consultation_id)
    return db.session.scalar(query)


def csv_rows(consultation: Consultation, option_ids: list[int]) -> Iterator[str]:
    """The board as CSV, one line per ballot: the receipt, then the votes for each option.

    The header names each option by its number, so options nobody voted for are there too.
    Read from the database in batches and written as it goes, however many ballots there are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["receipt", *option_ids])
    yield flush()
    column = {option_id: i for i, option_id in enumerate(option_ids)}
    rows = db.session.execute(
        select(Ballot.receipt, BallotEntry.option_id, BallotEntry.votes)
        .outerjoin(BallotEntry, BallotEntry.ballot_id == Ballot.id)
        .where(Ballot.consultation_id == consultation.id)
        .order_by(Ballot.receipt)
        .execution_options(yield_per=5000)
    )
    current, votes = None, None
    written = 0
    for receipt, option_id, value in rows:
        if receipt != current:
            if current is not None:
                writer.writerow([current, *votes])
                written += 1
                if written % 2000 == 0:
                    yield flush()
            current, votes = receipt, [0] * len(option_ids)
        if option_id is not None:
            votes[column[option_id]] = value
    if current is not None:
        writer.writerow([current, *votes])
    yield flush()
