"""Options appraisal: putting options forward, merging duplicates, eligibility, and stance counts."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from participate.extensions import db
from participate.models import (
    AuditEntry,
    Comment,
    Consultation,
    NotificationKind,
    Option,
    OptionStatus,
    ProviderType,
    SocialValueMeasure,
    Stance,
    User,
    utcnow,
)
from participate.permissions.deliberation import option_closed_reason
from participate.sanitize import clean_text, render_markdown
from participate.services import notifications
from participate.services.consultations import PhaseError, follow, followers
from participate.services.proposals import DUPLICATE_WINDOW, lock_author


class AppraisalError(Exception):
    """An appraisal step that does not apply to the option as it is; the message says why."""


def add_option(
    proposer: User,
    consultation: Consultation,
    *,
    title: str,
    description: str,
    provider_type: ProviderType,
    estimated_cost_pence: int | None,
    measures: list[SocialValueMeasure],
    group=None,
    now: datetime | None = None,
) -> tuple[Option, bool]:
    """Put an option forward in the options phase; return (option, created).

    The proposer follows the consultation; its other followers hear of the new option.
    """
    now = now or utcnow()
    reason = option_closed_reason(consultation, now)
    if reason:
        raise PhaseError(reason)
    title, description = clean_text(title).strip(), clean_text(description).strip()
    lock_author(proposer)
    earlier = _sent_a_moment_ago(proposer, consultation, title, description, now)
    if earlier is not None:
        return earlier, False
    option = Option(
        consultation=consultation,
        title=title,
        description=description,
        description_html=render_markdown(description),
        provider_type=provider_type,
        estimated_cost_pence=estimated_cost_pence,
        proposer_id=proposer.id,
        group_id=group.id if group is not None else None,
        ward_id=proposer.ward_id,
        created_at=now,
    )
    option.social_values = list(measures)
    db.session.add(option)
    db.session.flush()
    others = [u for u in followers(consultation) if u.id != proposer.id]
    follow(proposer, consultation)
    _tell_followers(others, option, now)
    return option, True


def _sent_a_moment_ago(proposer, consultation, title, description, now) -> Option | None:
    """The same option from the same person within a minute (a resent form), if any."""
    return db.session.scalar(
        select(Option).where(
            Option.consultation_id == consultation.id,
            Option.proposer_id == proposer.id,
            Option.title == title,
            Option.description == description,
            Option.created_at >= now - DUPLICATE_WINDOW,
        )
    )


def _tell_followers(users: list[User], option: Option, now) -> None:
    consultation = option.consultation
    notifications.notify(
        users,
        NotificationKind.NEW_OPTION,
        subject=lambda: _("New option in %(title)s", title=consultation.title),
        template="emails/notify/new_option.txt",
        context={"consultation": consultation, "option": option},
        url=url_for(
            "consultations.option", consultation_id=consultation.id, option_id=option.id, _external=True
        ),
        now=now,
    )


def _audit(actor: User, action: str, option: Option, details: str | None, now) -> None:
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action=action,
            target_type="option",
            target_id=option.id,
            details=details,
            created_at=now,
        )
    )


def _tell_proposer(option: Option, what: str, reason: str | None, now) -> None:
    proposer = db.session.get(User, option.proposer_id) if option.proposer_id else None
    if proposer is None:
        return
    notifications.notify(
        [proposer],
        NotificationKind.MODERATION,
        subject=lambda: _("Your option %(title)s was appraised", title=option.title),
        template="emails/notify/appraisal.txt",
        context={"option": option, "what": what, "reason": reason},
        url=url_for(
            "consultations.option",
            consultation_id=option.consultation_id,
            option_id=option.id,
            _external=True,
        ),
        now=now,
    )


def _check_open(option: Option) -> None:
    if option.consultation.phase.value != "options":
        raise PhaseError(_("Options can only be appraised while the consultation is in its options phase."))


def merge_option(officer: User, option: Option, survivor: Option, now: datetime | None = None) -> None:
    """Merge a duplicate into another option of the same consultation; it points to the survivor."""
    now = now or utcnow()
    _check_open(option)
    if survivor.id == option.id or survivor.consultation_id != option.consultation_id:
        raise AppraisalError(_("Choose another option of the same consultation."))
    if not survivor.is_active:
        raise AppraisalError(_("An option can only be merged into one that is still on the ballot."))
    if option.status != OptionStatus.ACTIVE:
        raise AppraisalError(_("This option is already merged or ineligible."))
    option.status, option.merged_into_id = OptionStatus.MERGED, survivor.id
    # Options merged into this one now point at the survivor too, so no chain is left behind.
    for earlier in db.session.scalars(select(Option).where(Option.merged_into_id == option.id)):
        earlier.merged_into_id = survivor.id
    _audit(officer, "option.merge", option, f"into {survivor.id}", now)
    db.session.flush()
    _tell_proposer(option, "merged", survivor.title, now)


def mark_ineligible(officer: User, option: Option, reason: str, now: datetime | None = None) -> None:
    """Take an option off the ballot with a public reason."""
    now = now or utcnow()
    _check_open(option)
    if option.status != OptionStatus.ACTIVE:
        raise AppraisalError(_("This option is already merged or ineligible."))
    option.status, option.ineligible_reason = OptionStatus.INELIGIBLE, clean_text(reason).strip()
    _audit(officer, "option.ineligible", option, option.ineligible_reason, now)
    db.session.flush()
    _tell_proposer(option, "ineligible", option.ineligible_reason, now)


def reinstate(officer: User, option: Option, now: datetime | None = None) -> None:
    """Put a merged or ineligible option back on the ballot."""
    now = now or utcnow()
    _check_open(option)
    if option.status == OptionStatus.ACTIVE:
        raise AppraisalError(_("This option is already on the ballot."))
    option.status, option.merged_into_id, option.ineligible_reason = OptionStatus.ACTIVE, None, None
    _audit(officer, "option.reinstate", option, None, now)
    db.session.flush()
    _tell_proposer(option, "reinstated", None, now)


def options_of(consultation: Consultation) -> list[Option]:
    """Every option of a consultation, with what its list shows, in a fixed number of queries."""
    return list(
        db.session.scalars(
            select(Option)
            .where(Option.consultation_id == consultation.id)
            .options(
                selectinload(Option.proposer), selectinload(Option.group), selectinload(Option.merged_into)
            )
            .order_by(Option.id)
        )
    )


def stance_counts(option_ids) -> dict[int, dict[Stance, int]]:
    """How many shown comments take each stance, per option (one query)."""
    ids = list(option_ids)
    counts = {i: dict.fromkeys(Stance, 0) for i in ids}
    if not ids:
        return counts
    rows = db.session.execute(
        select(Comment.option_id, Comment.stance, func.count(Comment.id))
        .where(Comment.option_id.in_(ids), Comment.hidden_at.is_(None), Comment.deleted_at.is_(None))
        .group_by(Comment.option_id, Comment.stance)
    )
    for option_id, stance, count in rows:
        counts[option_id][Stance(stance)] = count
    return counts
