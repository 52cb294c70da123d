"""Who may vote in a consultation, why not, and when its results and ballots are public."""

from __future__ import annotations

import enum
from datetime import datetime

from participate.models import Consultation, Phase, utcnow
from participate.permissions.accounts import is_signed_in


class NoVote(enum.StrEnum):
    """Why someone may not vote now (the ballot page words each one for them)."""

    NOT_SIGNED_IN = "not_signed_in"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    SUSPENDED = "suspended"
    NO_WARD = "no_ward"
    WARD_NOT_IN_SCOPE = "ward_not_in_scope"
    REGISTERED_TOO_LATE = "registered_too_late"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"


def is_voting_open(consultation: Consultation, now: datetime | None = None) -> bool:
    """Whether the consultation is in its voting phase and its closing time has not passed."""
    now = now or utcnow()
    return consultation.phase == Phase.VOTING and now < consultation.voting_close_at


def why_cannot_vote(user, consultation: Consultation, now: datetime | None = None) -> NoVote | None:
    """The first reason this user may not cast (or change) a ballot now, or None if they may."""
    now = now or utcnow()
    if consultation.phase == Phase.OPTIONS:
        return NoVote.NOT_OPEN_YET
    if not is_voting_open(consultation, now):
        return NoVote.CLOSED
    if not is_signed_in(user):
        return NoVote.NOT_SIGNED_IN
    if not user.is_email_verified:
        return NoVote.EMAIL_NOT_VERIFIED
    if user.is_suspended(now):
        return NoVote.SUSPENDED
    if user.ward_id is None:
        return NoVote.NO_WARD
    if not consultation.covers_ward(user.ward_id):
        return NoVote.WARD_NOT_IN_SCOPE
    if not consultation.allow_late_registration and user.created_at > consultation.voting_open_at:
        return NoVote.REGISTERED_TOO_LATE
    return None


def can_vote(user, consultation: Consultation, now: datetime | None = None) -> bool:
    """An eligible resident (confirmed address, ward in scope, not suspended, registered in time)
    while voting is open."""
    return why_cannot_vote(user, consultation, now) is None


def can_view_results(user, consultation: Consultation) -> bool:
    """Results are public once voting has closed, or while voting where the consultation says so."""
    if consultation.phase == Phase.CLOSED:
        return True
    return consultation.phase == Phase.VOTING and consultation.results_live


def can_view_bulletin_board(user, consultation: Consultation) -> bool:
    """The ballots are published, by receipt, once voting has closed."""
    return consultation.phase == Phase.CLOSED


def can_view_ballot_by_receipt(user, consultation: Consultation, ballot) -> bool:
    """A ballot is public on the board after close; before that only its voter may see it."""
    if can_view_bulletin_board(user, consultation):
        return True
    return is_signed_in(user) and ballot.voter_id is not None and ballot.voter_id == user.id


def can_certify_result(user, consultation: Consultation) -> bool:
    """Officers and admins certify the result of a closed consultation, once."""
    return (
        is_signed_in(user)
        and (user.is_officer or user.is_admin)
        and consultation.phase == Phase.CLOSED
        and consultation.certified_at is None
    )
