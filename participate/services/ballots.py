"""Casting ballots: checked against the consultation's rules, stored whole, one per voter.

A voter may change their ballot until voting closes. The change replaces its entries in the same
transaction and keeps the receipt: the voter has one code per consultation to write down, and the
bulletin board shows, under that code, the ballot that was counted. (A new code on each change
would leave earlier codes that match nothing on the board, which looks like a lost ballot.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from participate.extensions import db
from participate.models import (
    Ballot,
    BallotEntry,
    Consultation,
    Option,
    OptionStatus,
    Participation,
    User,
    VotingMethod,
    utcnow,
)
from participate.permissions.voting import NoVote, why_cannot_vote
from participate.services.receipts import new_receipt
from participate.voting import rules as voting_rules


class NotEligible(Exception):
    """The voter may not vote in this consultation now; `reason` says why."""

    def __init__(self, reason: NoVote):
        super().__init__(reason.value)
        self.reason = reason


class BallotRefused(Exception):
    """The ballot broke the consultation's rules; `problems` lists every broken rule."""

    def __init__(self, problems: Sequence[voting_rules.Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class CastResult:
    """What casting did: the stored ballot, and whether it replaced an earlier one."""

    ballot: Ballot
    changed: bool


def rules_for(consultation: Consultation) -> voting_rules.Rules:
    """The counting rules the consultation's settings describe."""
    if consultation.method == VotingMethod.APPROVAL:
        return voting_rules.ApprovalRules(max_approvals=consultation.max_approvals)
    return voting_rules.QuadraticRules(
        credits=consultation.credits, allow_negative=consultation.allow_negative
    )


def on_ballot(consultation_id: int):
    """SQL condition: the option is on this consultation's ballot (active and not hidden)."""
    return and_(
        Option.consultation_id == consultation_id,
        Option.status == OptionStatus.ACTIVE,
        Option.hidden_at.is_(None),
    )


def ballot_options(consultation: Consultation) -> list[Option]:
    """The options on the ballot, in the order they were put forward."""
    return list(db.session.scalars(select(Option).where(on_ballot(consultation.id)).order_by(Option.id)))


def counted_option_ids(consultation: Consultation) -> list[int]:
    """The ids of the options a ballot may name, in order."""
    return list(db.session.scalars(select(Option.id).where(on_ballot(consultation.id)).order_by(Option.id)))


def ballot_of(voter, consultation: Consultation) -> Ballot | None:
    """The voter's ballot in this consultation, if they have cast one."""
    if voter is None or not getattr(voter, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Ballot).where(Ballot.consultation_id == consultation.id, Ballot.voter_id == voter.id)
    )


def check_ballot(consultation: Consultation, entries: Sequence[tuple[object, object]]):
    """Validate entries against the rules; return the normalised votes or raise BallotRefused."""
    result = voting_rules.validate(rules_for(consultation), counted_option_ids(consultation), entries)
    if not result.ok:
        raise BallotRefused(result.problems)
    return result.entries


def cast_ballot(
    voter: User, consultation: Consultation, entries: Sequence[tuple[object, object]], now=None
) -> CastResult:
    """Store a voter's ballot (or replace their earlier one) if they may vote and it is valid.

    Everything happens in the caller's transaction; nothing is written when anything is wrong.
    """
    now = now or utcnow()
    _lock_consultation(consultation)
    reason = why_cannot_vote(voter, consultation, now)
    if reason is not None:
        raise NotEligible(reason)
    votes = check_ballot(consultation, entries)
    ballot, created = _lock_or_create_ballot(voter, consultation, now)
    if not created:
        db.session.execute(delete(BallotEntry).where(BallotEntry.ballot_id == ballot.id))
        ballot.updated_at = now
    ballot.ward_id = voter.ward_id
    if votes:
        db.session.execute(
            insert(BallotEntry),
            [{"ballot_id": ballot.id, "option_id": o, "votes": v} for o, v in sorted(votes.items())],
        )
    db.session.flush()
    db.session.expire(ballot, ["entries"])
    return CastResult(ballot, changed=not created)


def _lock_consultation(consultation: Consultation) -> None:
    """Read the phase again under a share lock, so a consultation cannot close mid-cast."""
    db.session.refresh(consultation, ["phase", "voting_close_at"], with_for_update={"read": True})


def _lock_or_create_ballot(voter: User, consultation: Consultation, now) -> tuple[Ballot, bool]:
    """The voter's ballot row, locked; created (with a receipt) when there is none yet.

    Simultaneous first submissions race to insert: the database's unique constraint lets one
    win, and the others find its row and wait for its lock.
    """
    query = (
        select(Ballot)
        .where(Ballot.consultation_id == consultation.id, Ballot.voter_id == voter.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for _attempt in range(5):
        ballot = db.session.scalar(query)
        if ballot is not None:
            return ballot, False
        ballot = Ballot(
            consultation_id=consultation.id,
            voter_id=voter.id,
            ward_id=voter.ward_id,
            receipt=new_receipt(),
            cast_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
                db.session.flush()
        except IntegrityError:
            continue  # another submission (or, once in 10^17, another receipt) got there first
        _record_participation(voter, consultation, now)
        return ballot, True
    raise RuntimeError("could not store the ballot after repeated conflicts")


def _record_participation(voter: User, consultation: Consultation, now) -> None:
    exists = db.session.scalar(
        select(Participation.id).where(
            Participation.consultation_id == consultation.id, Participation.user_id == voter.id
        )
    )
    if exists is None:
        db.session.add(Participation(consultation_id=consultation.id, user_id=voter.id, created_at=now))


def eligibility_moment(consultation: Consultation, now: datetime | None = None) -> datetime:
    """The moment eligibility is judged at: now while voting, the closing time after it."""
    now = now or utcnow()
    return min(now, consultation.voting_close_at)


def eligible_voters_condition(consultation: Consultation, now: datetime | None = None):
    """SQL condition on User matching `why_cannot_vote` (apart from the phase), or None.

    None means the consultation has no electorate on this platform (an imported vote).
    """
    if not consultation.is_borough_wide and not consultation.wards:
        return None
    at = eligibility_moment(consultation, now)
    if consultation.is_borough_wide:
        in_scope = User.ward_id.is_not(None)
    else:
        in_scope = User.ward_id.in_(sorted(consultation.ward_ids))
    registered = User.created_at <= (
        at if consultation.allow_late_registration else consultation.voting_open_at
    )
    return and_(
        User.email_verified_at.is_not(None),
        User.erased_at.is_(None),
        or_(User.suspended_until.is_(None), User.suspended_until <= at),
        in_scope,
        registered,
    )


def eligible_by_ward(consultation: Consultation, now: datetime | None = None) -> dict[int, int] | None:
    """How many residents may vote, by ward id (one query), or None without an electorate."""
    condition = eligible_voters_condition(consultation, now)
    if condition is None:
        return None
    rows = db.session.execute(
        select(User.ward_id, func.count(User.id)).where(condition).group_by(User.ward_id)
    )
    return {ward_id: n for ward_id, n in rows}


def ballots_of_voter(voter: User) -> list[tuple[Ballot, Consultation]]:
    """Every ballot still linked to this voter, newest first, with its consultation (one query)."""
    rows = db.session.execute(
        select(Ballot, Consultation)
        .join(Consultation, Consultation.id == Ballot.consultation_id)
        .where(Ballot.voter_id == voter.id)
        .order_by(Ballot.cast_at.desc())
    )
    return [(ballot, consultation) for ballot, consultation in rows]


def entries_of(ballot: Ballot) -> dict[int, int]:
    """The ballot's votes by option id."""
    rows = db.session.execute(
        select(BallotEntry.option_id, BallotEntry.votes)
        .where(BallotEntry.ballot_id == ballot.id)
        .order_by(BallotEntry.option_id)
    )
    return {option_id: votes for option_id, votes in rows}
