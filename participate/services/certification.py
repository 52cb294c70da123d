"""Certifying a result, which cuts the link between each voter and their ballot for good.

How someone voted may reveal their political opinions (special category data under UK GDPR), so
the link is kept only as long as the vote needs it: to let a voter change their ballot and see it.
Once an officer certifies the result, every ballot keeps its receipt and entries (the bulletin
board and any recount still work) and loses its voter; `Participation` keeps that they took part.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from participate.extensions import db
from participate.models import Ballot, Consultation, Participation, Phase, StoredResult, User, utcnow


class CertificationError(Exception):
    """Why a result cannot be certified (a translatable message)."""


def certify(consultation: Consultation, officer: User, now: datetime | None = None) -> int:
    """Certify a closed consultation's stored result and unlink its ballots; return how many."""
    if consultation.phase != Phase.CLOSED:
        raise CertificationError(_l("Only the result of a closed consultation can be certified."))
    if consultation.certified_at is not None:
        raise CertificationError(_l("This result has already been certified."))
    if db.session.get(StoredResult, consultation.id) is None:
        raise CertificationError(_l("The result has not been counted yet. Try again in a few minutes."))
    voters = select(Ballot.voter_id).where(
        Ballot.consultation_id == consultation.id, Ballot.voter_id.is_not(None)
    )
    # Everyone who voted keeps a record that they took part (ballots cast before this existed too).
    missing = voters.where(
        ~select(Participation.id)
        .where(Participation.consultation_id == consultation.id, Participation.user_id == Ballot.voter_id)
        .exists()
    )
    for (user_id,) in db.session.execute(missing).all():
        db.session.add(Participation(consultation_id=consultation.id, user_id=user_id))
    unlinked = db.session.execute(
        update(Ballot)
        .where(Ballot.consultation_id == consultation.id, Ballot.voter_id.is_not(None))
        .values(voter_id=None)
    ).rowcount
    consultation.certified_at = now or utcnow()
    db.session.flush()
    return unlinked


def linked_ballots(consultation: Consultation) -> int:
    """How many ballots are still linked to their voters."""
    return db.session.scalar(
        select(func.count(Ballot.id)).where(
            Ballot.consultation_id == consultation.id, Ballot.voter_id.is_not(None)
        )
    )
