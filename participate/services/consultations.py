"""Consultations (commissioning cycles): opening one, changing it, its phases, and following it."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select

from participate.extensions import db
from participate.models import (
    PHASE_ORDER,
    AuditEntry,
    Consultation,
    Follow,
    NotificationKind,
    Option,
    OptionStatus,
    OutcomeProposal,
    Phase,
    PhaseChange,
    User,
    VotingMethod,
    Ward,
    utcnow,
)
from participate.models.deliberation import consultation_wards
from participate.sanitize import clean_text, render_markdown
from participate.services import notifications

PHASE_LABELS = {
    Phase.OPTIONS: _l("Options"),
    Phase.VOTING: _l("Voting"),
    Phase.CLOSED: _l("Closed"),
}

# Written by another part of the platform: stores the result when a consultation closes.
RESULTS_MODULE = "participate.services.results"


class PhaseError(Exception):
    """A phase change that is not allowed; the message says why."""


@dataclass
class Settings:
    """What an officer or councillor chooses when opening (or changing) a consultation."""

    title: str
    outcome_statement: str
    wards: list[Ward]
    is_borough_wide: bool
    options_open_at: datetime
    voting_open_at: datetime
    voting_close_at: datetime
    method: VotingMethod
    max_approvals: int | None = None
    credits: int = 100
    allow_negative: bool = False
    budget_pence: int | None = None


def _apply(consultation: Consultation, settings: Settings) -> None:
    statement = clean_text(settings.outcome_statement).strip()
    consultation.title = clean_text(settings.title).strip()
    consultation.outcome_statement = statement
    consultation.outcome_html = render_markdown(statement)
    consultation.is_borough_wide = settings.is_borough_wide
    consultation.wards = [] if settings.is_borough_wide else list(settings.wards)
    consultation.options_open_at = settings.options_open_at
    consultation.voting_open_at = settings.voting_open_at
    consultation.voting_close_at = settings.voting_close_at
    consultation.method = settings.method
    quadratic = settings.method == VotingMethod.QUADRATIC
    consultation.max_approvals = None if quadratic else settings.max_approvals
    consultation.credits = settings.credits if quadratic else 100
    consultation.allow_negative = settings.allow_negative if quadratic else False
    consultation.budget_pence = settings.budget_pence


def create_consultation(
    actor: User, settings: Settings, proposal: OutcomeProposal | None = None, now: datetime | None = None
) -> Consultation:
    """Open a consultation (optionally adopting a proposal); its creator follows it."""
    now = now or utcnow()
    consultation = Consultation(created_by_id=actor.id, created_at=now, phase=Phase.OPTIONS)
    _apply(consultation, settings)
    consultation.proposal_id = proposal.id if proposal else None
    db.session.add(consultation)
    db.session.flush()
    db.session.add(
        PhaseChange(
            consultation=consultation,
            from_phase=None,
            to_phase=Phase.OPTIONS.value,
            changed_at=now,
            changed_by_id=actor.id,
        )
    )
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action="consultation.create",
            target_type="consultation",
            target_id=consultation.id,
            created_at=now,
        )
    )
    follow(actor, consultation)
    return consultation


def update_consultation(actor: User, consultation: Consultation, settings: Settings) -> None:
    """Change a consultation's text, scope, dates and voting settings (before voting opens)."""
    if consultation.phase != Phase.OPTIONS:
        raise PhaseError(_("Voting has opened, so the consultation's settings can no longer change."))
    _apply(consultation, settings)
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action="consultation.update",
            target_type="consultation",
            target_id=consultation.id,
        )
    )
    db.session.flush()


def _refuse_backwards(consultation: Consultation, to: Phase) -> None:
    if PHASE_ORDER.index(to) <= PHASE_ORDER.index(consultation.phase):
        raise PhaseError(
            _(
                "Phases only move forward: this consultation is already in its %(phase)s phase.",
                phase=str(PHASE_LABELS[consultation.phase]).lower(),
            )
        )


def advance_phase(
    consultation: Consultation, actor: User | None, now: datetime | None = None, to: Phase | None = None
) -> PhaseChange:
    """Move a consultation to its next phase (never back), log it and tell its followers.

    `actor` None means on schedule. `to`, when given, must be the next phase: a request made from
    a page that is out of date is refused rather than moving twice.
    """
    now = now or utcnow()
    nxt = consultation.next_phase
    if to is not None:
        _refuse_backwards(consultation, to)
    if nxt is None:
        raise PhaseError(_("This consultation has closed: it has no further phase."))
    if to is not None and to != nxt:
        raise PhaseError(_("A consultation cannot skip a phase."))
    previous = consultation.phase
    consultation.phase = nxt
    # Opened or closed early by hand: the dates shown say when it really happened.
    if actor is not None and nxt == Phase.VOTING and consultation.voting_open_at > now:
        consultation.voting_open_at = now
    if actor is not None and nxt == Phase.CLOSED and consultation.voting_close_at > now:
        consultation.voting_close_at = now
    change = PhaseChange(
        consultation=consultation,
        from_phase=previous.value,
        to_phase=nxt.value,
        changed_at=now,
        changed_by_id=actor.id if actor else None,
    )
    db.session.add(change)
    db.session.flush()
    _tell_followers_of_phase(consultation, now)
    if nxt == Phase.CLOSED:
        _store_results(consultation)
    return change


def _store_results(consultation: Consultation) -> None:
    """Let the results feature store the result, where it is installed."""
    if importlib.util.find_spec(RESULTS_MODULE) is not None:
        importlib.import_module(RESULTS_MODULE).on_consultation_closed(consultation)


def due_phase(consultation: Consultation, now: datetime) -> bool:
    """Whether the consultation's dates say it should be in a later phase by now."""
    if consultation.phase == Phase.OPTIONS:
        return consultation.voting_open_at <= now
    if consultation.phase == Phase.VOTING:
        return consultation.voting_close_at <= now
    return False


def advance_due(now: datetime | None = None) -> list[PhaseChange]:
    """Move every consultation whose dates have passed (on schedule, with no actor)."""
    now = now or utcnow()
    changes = []
    due = db.session.scalars(
        select(Consultation)
        .where(
            or_(
                (Consultation.phase == Phase.OPTIONS) & (Consultation.voting_open_at <= now),
                (Consultation.phase == Phase.VOTING) & (Consultation.voting_close_at <= now),
            )
        )
        .order_by(Consultation.id)
    ).all()
    for consultation in due:
        while due_phase(consultation, now):
            changes.append(advance_phase(consultation, None, now))
    return changes


def _tell_followers_of_phase(consultation: Consultation, now: datetime) -> None:
    from flask import url_for

    notifications.notify(
        followers(consultation),
        NotificationKind.PHASE_CHANGE,
        subject=lambda: _(
            "%(title)s: now in its %(phase)s phase",
            title=consultation.title,
            phase=str(PHASE_LABELS[consultation.phase]).lower(),
        ),
        template="emails/notify/phase_change.txt",
        context={"consultation": consultation, "phase": consultation.phase.value},
        url=url_for("consultations.show", consultation_id=consultation.id, _external=True),
        now=now,
    )


def followers(consultation: Consultation) -> list[User]:
    """Everyone following a consultation."""
    return list(
        db.session.scalars(
            select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.consultation_id == consultation.id)
        )
    )


def is_following(user, consultation: Consultation) -> bool:
    """Whether the user follows the consultation."""
    if not getattr(user, "id", None):
        return False
    return (
        db.session.scalar(
            select(Follow.id).where(Follow.user_id == user.id, Follow.consultation_id == consultation.id)
        )
        is not None
    )


def follow(user: User, consultation: Consultation) -> bool:
    """Follow a consultation; False when already following."""
    if is_following(user, consultation):
        return False
    db.session.add(Follow(user_id=user.id, consultation_id=consultation.id))
    db.session.flush()
    return True


def unfollow(user: User, consultation: Consultation) -> bool:
    """Stop following a consultation; False when not following."""
    found = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.consultation_id == consultation.id)
    )
    if found is None:
        return False
    db.session.delete(found)
    db.session.flush()
    return True


def covering_ward(ward_id: int):
    """A condition: the consultation concerns residents of this ward."""
    return or_(
        Consultation.is_borough_wide,
        exists().where(
            consultation_wards.c.consultation_id == Consultation.id, consultation_wards.c.ward_id == ward_id
        ),
    )


def list_consultations(
    *, ward: Ward | None = None, phase: Phase | None = None, page: int = 1, per_page: int = 20
):
    """A page of consultations, open ones first, newest first: (items, has_more)."""
    query = select(Consultation)
    if ward is not None:
        query = query.where(covering_ward(ward.id))
    if phase is not None:
        query = query.where(Consultation.phase == phase)
    closed_last = Consultation.phase == Phase.CLOSED
    rows = db.session.scalars(
        query.order_by(closed_last, Consultation.created_at.desc(), Consultation.id.desc())
        .limit(per_page + 1)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(rows[:per_page]), len(rows) > per_page


def option_counts(consultation_ids) -> dict[int, int]:
    """How many options (on the ballot) each consultation has."""
    ids = list(consultation_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Option.consultation_id, func.count(Option.id))
        .where(
            Option.consultation_id.in_(ids),
            Option.status == OptionStatus.ACTIVE,
            Option.hidden_at.is_(None),
        )
        .group_by(Option.consultation_id)
    )
    return {key: value for key, value in rows}


def open_for_ward(ward_id: int | None, limit: int = 10) -> list[Consultation]:
    """The consultations concerning a ward (any ward, with None) that are not closed, soonest to
    change first."""
    query = select(Consultation).where(Consultation.phase != Phase.CLOSED)
    if ward_id is not None:
        query = query.where(covering_ward(ward_id))
    return list(db.session.scalars(query.order_by(Consultation.voting_open_at, Consultation.id).limit(limit)))
