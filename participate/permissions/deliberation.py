"""Who may propose outcomes, support them, run consultations, put options forward and discuss.

Each `can_*` answers yes or no for a user; the `*_closed_reason` functions say, in the visitor's
language, why a thing takes no more contributions whoever asks (a phase, a lock), so a refusal can
explain itself instead of answering a bare 403.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participate.models import (
    Comment,
    Consultation,
    Membership,
    Option,
    OptionStatus,
    OutcomeProposal,
    Phase,
    utcnow,
)
from participate.models.groups import group_wards
from participate.permissions.accounts import can_participate, is_signed_in

# How long an author may change what they wrote.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)
DISCUSSION_PHASES = frozenset({Phase.OPTIONS, Phase.VOTING})


def is_officer_or_admin(user) -> bool:
    """Council staff who act in every ward."""
    return is_signed_in(user) and (user.is_officer or user.is_admin)


def is_councillor_for(user, ward_ids) -> bool:
    """Whether the user is a councillor of at least one of these wards."""
    return is_signed_in(user) and bool(set(ward_ids) & user.councillor_ward_ids)


# Outcome proposals -----------------------------------------------------------------------------


def can_propose_outcome(user, ward) -> bool:
    """Residents propose outcomes for their own ward."""
    return can_participate(user) and ward.is_current and user.ward_id == ward.id


def proposal_edit_closed_reason(proposal: OutcomeProposal) -> LazyString | None:
    """Why a proposal can no longer be changed by its author, or None."""
    if proposal.is_hidden:
        return _l("A moderator has hidden this proposal, so it cannot be changed.")
    if proposal.support_count or proposal.comment_count:
        return _l("This proposal has supports or comments, so it can no longer be changed.")
    if proposal.consultations:
        return _l("The council has adopted this proposal, so it can no longer be changed.")
    return None


def can_edit_proposal(user, proposal: OutcomeProposal) -> bool:
    """Authors edit their proposal until the first support or comment."""
    return (
        can_participate(user)
        and proposal.author_id == user.id
        and proposal_edit_closed_reason(proposal) is None
    )


def can_support_proposal(user, proposal: OutcomeProposal) -> bool:
    """Other residents of the ward support a proposal (and can withdraw their support)."""
    return (
        can_participate(user)
        and user.ward_id == proposal.ward_id
        and proposal.author_id != user.id
        and not proposal.is_hidden
    )


def can_view_proposal_history(user, proposal: OutcomeProposal) -> bool:
    """Moderators of the ward (and the author) see every earlier version of a proposal."""
    from participate.permissions.moderation import can_moderate

    return (is_signed_in(user) and proposal.author_id == user.id) or can_moderate(user, proposal)


# Consultations ---------------------------------------------------------------------------------


def can_create_consultation(user, ward_ids=(), borough_wide: bool = False) -> bool:
    """Officers open consultations anywhere; a councillor only for wards they all represent.

    Without a scope: whether the user may open a consultation at all.
    """
    if not can_participate(user):
        return False
    if user.is_officer or user.is_admin:
        return True
    if borough_wide:
        return False
    mine = user.councillor_ward_ids
    return bool(mine) and set(ward_ids) <= mine


def can_manage_consultation(user, consultation: Consultation) -> bool:
    """Who may change a consultation and move its phases: officers, or a councillor of every ward
    in its scope."""
    if not can_participate(user):
        return False
    if user.is_officer or user.is_admin:
        return True
    return (
        not consultation.is_borough_wide
        and bool(consultation.ward_ids)
        and consultation.ward_ids <= user.councillor_ward_ids
    )


def can_edit_consultation(user, consultation: Consultation) -> bool:
    """Settings and dates change only before voting opens."""
    return consultation.phase == Phase.OPTIONS and can_manage_consultation(user, consultation)


def can_advance_phase(user, consultation: Consultation) -> bool:
    """Move a consultation on to its next phase (never back)."""
    return consultation.phase != Phase.CLOSED and can_manage_consultation(user, consultation)


def can_follow(user, consultation: Consultation) -> bool:
    """Anyone with a confirmed address may follow a consultation for its news."""
    return is_signed_in(user) and user.is_email_verified


def _takes_part_in(user, consultation: Consultation) -> bool:
    """Residents in scope, the councillors of its wards, officers and admins."""
    return can_participate(user) and (
        consultation.covers_ward(user.ward_id)
        or is_officer_or_admin(user)
        or is_councillor_for(user, consultation.ward_ids)
    )


# Options ---------------------------------------------------------------------------------------


def option_closed_reason(consultation: Consultation, now: datetime | None = None) -> LazyString | None:
    """Why no option can be put forward now, or None."""
    from participate.templating import when

    if consultation.phase != Phase.OPTIONS:
        return _l("Options can only be put forward while the consultation is in its options phase.")
    if consultation.options_open_at > (now or utcnow()):
        opens = consultation.options_open_at
        return LazyString(lambda: _("Options can be put forward from %(date)s.", date=when(opens)))
    return None


def _organises_group_in_scope(user, consultation: Consultation) -> bool:
    """Whether the user organises a community group active in one of the consultation's wards."""
    from participate.extensions import db

    query = (
        select(Membership.id)
        .join(group_wards, group_wards.c.group_id == Membership.group_id)
        .where(Membership.user_id == user.id, Membership.role == "organiser")
    )
    if not consultation.is_borough_wide:
        query = query.where(group_wards.c.ward_id.in_(consultation.ward_ids or {0}))
    return db.session.scalar(query.limit(1)) is not None


def can_add_option(user, consultation: Consultation, now: datetime | None = None) -> bool:
    """Residents in scope, community groups and officers put options forward in the options phase."""
    if option_closed_reason(consultation, now) is not None or not can_participate(user):
        return False
    return _takes_part_in(user, consultation) or _organises_group_in_scope(user, consultation)


def can_appraise_option(user, option: Option) -> bool:
    """Officers merge duplicates, mark options ineligible and undo either, before voting opens."""
    return is_officer_or_admin(user) and can_participate(user) and option.consultation.phase == Phase.OPTIONS


# Discussion ------------------------------------------------------------------------------------


def comment_closed_reason(thread) -> LazyString | None:
    """Why a discussion takes no new comments whoever asks, or None."""
    consultation = thread if isinstance(thread, Consultation) else getattr(thread, "consultation", None)
    if getattr(thread, "is_hidden", False):
        return _l("A moderator has hidden this, so its discussion is closed.")
    if isinstance(thread, Option) and thread.status == OptionStatus.MERGED:
        return _l("This option was merged into another one: the discussion continues there.")
    if thread.is_locked:
        return _l("A moderator has locked this discussion: it takes no new comments.")
    if consultation is not None and consultation.phase not in DISCUSSION_PHASES:
        return _l("The consultation has closed, so its discussion takes no new comments.")
    return None


def can_join_discussion(user, thread) -> bool:
    """Who takes part in a discussion (while it is open): residents of the ward or in the
    consultation's scope, its councillors, officers and admins."""
    if isinstance(thread, OutcomeProposal):
        return can_participate(user) and (
            user.ward_id == thread.ward_id
            or is_officer_or_admin(user)
            or is_councillor_for(user, thread.ward_ids)
        )
    consultation = thread if isinstance(thread, Consultation) else thread.consultation
    return _takes_part_in(user, consultation)


def can_comment(user, thread) -> bool:
    """Residents of the ward (or in the consultation's scope) and its councillors discuss it."""
    return can_join_discussion(user, thread) and comment_closed_reason(thread) is None


def can_reply(user, comment: Comment) -> bool:
    """Reply to a comment that is still there, in a discussion that is open."""
    return (
        not comment.is_hidden
        and not comment.is_deleted
        and not comment.is_locked
        and can_comment(user, comment.thread)
    )


def can_edit_comment(user, comment: Comment, now: datetime | None = None) -> bool:
    """Authors correct their comment for 15 minutes, while the discussion is open."""
    return (
        can_participate(user)
        and comment.author_id == user.id
        and not comment.is_hidden
        and not comment.is_deleted
        and (now or utcnow()) - comment.created_at <= COMMENT_EDIT_WINDOW
        and comment_closed_reason(comment.thread) is None
    )


def can_delete_comment(user, comment: Comment) -> bool:
    """Authors delete their own comments (replies stay; moderators can still read it)."""
    return is_signed_in(user) and comment.author_id == user.id and not comment.is_deleted
