"""Telling residents how commissioned work is going: everyone who took part in its consultation
(their participation rows and any ballots still linked to them), and everyone who follows the
consultation or one of its wards, hears of each progress update through the outbox.

Notifications go through `services.notifications`: each person's settings for the PROGRESS kind
are respected (off, at once, or in the daily digest) and every mail carries an unsubscribe link.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select, union

from participate.extensions import db
from participate.models import (
    Ballot,
    CommissioningDecision,
    Follow,
    NotificationKind,
    Participation,
    ProgressUpdate,
    User,
)
from participate.services import notifications
from participate.services.commissioning_labels import STATUS_LABELS


def audience(decision: CommissioningDecision) -> list[User]:
    """Who hears about progress: those who took part in the consultation or follow it or its wards."""
    consultation = decision.consultation
    ward_follow = (
        Follow.ward_id.is_not(None)
        if consultation.is_borough_wide
        else Follow.ward_id.in_(list(consultation.ward_ids) or [0])
    )
    ids = union(
        select(Participation.user_id).where(Participation.consultation_id == consultation.id),
        select(Ballot.voter_id).where(
            Ballot.consultation_id == consultation.id, Ballot.voter_id.is_not(None)
        ),
        select(Follow.user_id).where(or_(Follow.consultation_id == consultation.id, ward_follow)),
    ).subquery()
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(select(ids.c[0])), User.erased_at.is_(None), User.email.is_not(None))
            .order_by(User.id)
        )
    )


def tell_about_progress(decision: CommissioningDecision, update: ProgressUpdate) -> int:
    """Notify the decision's audience of a progress update; return how many were notified."""
    people = audience(decision)
    if not people:
        return 0
    title = decision.consultation.title
    made = notifications.notify(
        people,
        NotificationKind.PROGRESS,
        subject=lambda: _(
            "%(title)s: %(status)s", title=title, status=str(STATUS_LABELS[update.status]).lower()
        ),
        template="emails/notify/progress.txt",
        context={"decision": decision, "update": update, "status_label": STATUS_LABELS[update.status]},
        url=url_for("commissioning.show", decision_id=decision.id, _external=True),
    )
    return len(made)
