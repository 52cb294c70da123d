"""Moderation as state, for any content that mixes in `Hideable` and has `ward_ids`.

Flags, hiding (never deleting), restoring, dismissing flags, locking and unlocking a thread, and
suspending accounts. Every action is a row of the public moderation log, filed under the wards
whose councillors moderate the target; the log never holds the hidden text. Proposals, options
and comments use this, and so do community groups and their announcements.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select, update

from participate.extensions import db
from participate.models import (
    MODERATABLE,
    Consultation,
    Flag,
    FlagReason,
    Hideable,
    ModerationAction,
    ModerationVerb,
    NotificationKind,
    User,
    Ward,
    utcnow,
)
from participate.services import mail, notifications

# What can be locked but not hidden or flagged.
LOCKABLE = {"consultation": Consultation}

TARGET_LABELS = {
    "proposal": _l("proposal"),
    "option": _l("option"),
    "comment": _l("comment"),
    "group": _l("group"),
    "announcement": _l("announcement"),
    "consultation": _l("consultation discussion"),
    "user": _l("account"),
}

VERB_LABELS = {
    ModerationVerb.HIDE: _l("Hidden"),
    ModerationVerb.RESTORE: _l("Restored"),
    ModerationVerb.DISMISS_FLAGS: _l("Flags dismissed"),
    ModerationVerb.LOCK: _l("Discussion locked"),
    ModerationVerb.UNLOCK: _l("Discussion unlocked"),
    ModerationVerb.SUSPEND: _l("Account suspended"),
    ModerationVerb.UNSUSPEND: _l("Suspension lifted"),
}

REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.ABUSE: _l("Abusive, hateful or threatening"),
    FlagReason.OFF_TOPIC: _l("Off-topic"),
    FlagReason.PERSONAL_INFORMATION: _l("Shares someone's personal information"),
    FlagReason.OTHER: _l("Something else"),
}

ROLE_LABELS = {
    "councillor": _l("Ward councillor"),
    "officer": _l("Council officer"),
    "admin": _l("Administrator"),
}


class ModerationError(Exception):
    """An action that does not apply to the target as it is now; the message says why."""


def target_type_of(target) -> str:
    """The name a target goes by in flags and the log (a key of MODERATABLE, or LOCKABLE)."""
    for name, model in {**MODERATABLE, **LOCKABLE}.items():
        if isinstance(target, model):
            return name
    raise TypeError(f"{type(target).__name__} cannot be moderated")


def load_target(target_type: str, target_id: int):
    """The target with this type name and id, or None."""
    model = {**MODERATABLE, **LOCKABLE}.get(target_type)
    return db.session.get(model, target_id) if model is not None else None


def author_id_of(target) -> int | None:
    """Who wrote or put forward the target."""
    for name in ("author_id", "proposer_id", "created_by_id"):
        if hasattr(target, name):
            return getattr(target, name)
    return None


def moderator_role(user: User, ward_ids) -> str:
    """The role a moderator acts in: councillor of the ward where they are one, else their staff role."""
    if set(ward_ids) & user.councillor_ward_ids:
        return "councillor"
    if user.is_officer:
        return "officer"
    return "admin" if user.is_admin else "councillor"


def _has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def target_url(target, external: bool = False) -> str | None:
    """Where the target is shown (a comment: its place in its discussion)."""
    kind = target_type_of(target)
    kw = {"_external": external}
    if kind == "proposal":
        return url_for("proposals.show", proposal_id=target.id, **kw)
    if kind == "consultation":
        return url_for("consultations.show", consultation_id=target.id, **kw)
    if kind == "option":
        return url_for(
            "consultations.option", consultation_id=target.consultation_id, option_id=target.id, **kw
        )
    if kind == "comment":
        return f"{target_url(target.thread, external)}#comment-{target.id}"
    if kind == "group" and _has_endpoint("champions.group"):
        return url_for("champions.group", group_id=target.id, **kw)
    if kind == "announcement" and _has_endpoint("champions.group"):
        return url_for("champions.group", group_id=target.group_id, **kw) + f"#announcement-{target.id}"
    return None


def _wards(ward_ids) -> list[Ward]:
    if not ward_ids:
        return []
    return list(db.session.scalars(select(Ward).where(Ward.id.in_(list(ward_ids)))))


def _record(moderator, target_type, target_id, verb, reason, ward_ids, now) -> ModerationAction:
    action = ModerationAction(
        target_type=target_type,
        target_id=target_id,
        verb=verb,
        reason=reason,
        moderator_id=moderator.id,
        moderator_role=moderator_role(moderator, ward_ids),
        created_at=now,
        wards=_wards(ward_ids),
    )
    db.session.add(action)
    db.session.flush()
    return action


def _resolve_flags(target_type: str, target_id: int, moderator: User, resolution: str, now) -> int:
    result = db.session.execute(
        update(Flag)
        .where(Flag.target_type == target_type, Flag.target_id == target_id, Flag.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=moderator.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _tell_author(target, verb: ModerationVerb, reason: str | None, now) -> None:
    author = db.session.get(User, author_id_of(target)) if author_id_of(target) else None
    if author is None:
        return
    kind = target_type_of(target)
    notifications.notify(
        [author],
        NotificationKind.MODERATION,
        subject=lambda: _("A moderator acted on your %(kind)s", kind=TARGET_LABELS[kind]),
        template="emails/notify/moderation.txt",
        context={"verb": verb.value, "kind": kind, "kind_label": TARGET_LABELS[kind], "reason": reason},
        url=target_url(target, external=True),
        now=now,
    )


def flag(reporter: User, target, reason: FlagReason, note: str | None, now: datetime | None = None) -> Flag:
    """Report content; a second open flag by the same person on the same target is not added."""
    kind = target_type_of(target)
    if not isinstance(target, Hideable):
        raise TypeError(f"{kind} cannot be flagged")
    existing = db.session.scalar(
        select(Flag).where(
            Flag.target_type == kind,
            Flag.target_id == target.id,
            Flag.reporter_id == reporter.id,
            Flag.resolved_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    found = Flag(
        target_type=kind,
        target_id=target.id,
        reporter_id=reporter.id,
        reason=reason,
        note=(note or "").strip()[:500] or None,
        created_at=now or utcnow(),
        wards=_wards(target.ward_ids),
    )
    db.session.add(found)
    db.session.flush()
    return found


def hide(moderator: User, target, reason: str, now: datetime | None = None) -> ModerationAction:
    """Hide content with a public reason: the text stays, with who hid it, when and why."""
    now = now or utcnow()
    if not isinstance(target, Hideable):
        raise TypeError(f"{target_type_of(target)} cannot be hidden")
    if target.is_hidden:
        raise ModerationError(_("This is already hidden."))
    target.hidden_at, target.hidden_by_id, target.hidden_reason = now, moderator.id, reason
    kind = target_type_of(target)
    _resolve_flags(kind, target.id, moderator, "hidden", now)
    action = _record(moderator, kind, target.id, ModerationVerb.HIDE, reason, target.ward_ids, now)
    _tell_author(target, ModerationVerb.HIDE, reason, now)
    return action


def restore(moderator: User, target, reason: str, now: datetime | None = None) -> ModerationAction:
    """Show hidden content again (the log keeps who hid it, when and why)."""
    now = now or utcnow()
    if not getattr(target, "is_hidden", False):
        raise ModerationError(_("This is not hidden."))
    target.hidden_at = target.hidden_by_id = target.hidden_reason = None
    kind = target_type_of(target)
    action = _record(moderator, kind, target.id, ModerationVerb.RESTORE, reason, target.ward_ids, now)
    _tell_author(target, ModerationVerb.RESTORE, reason, now)
    return action


def dismiss_flags(moderator: User, target, reason: str, now: datetime | None = None) -> ModerationAction:
    """Close the open flags on content that breaks no rule."""
    now = now or utcnow()
    kind = target_type_of(target)
    if not _resolve_flags(kind, target.id, moderator, "dismissed", now):
        raise ModerationError(_("There are no open flags on this."))
    return _record(moderator, kind, target.id, ModerationVerb.DISMISS_FLAGS, reason, target.ward_ids, now)


def set_locked(moderator: User, target, locked: bool, reason: str, now: datetime | None = None):
    """Lock a discussion (it takes no new comments) or unlock it."""
    now = now or utcnow()
    if target.is_locked == locked:
        raise ModerationError(
            _("This discussion is already locked.") if locked else _("This discussion is not locked.")
        )
    target.is_locked = locked
    verb = ModerationVerb.LOCK if locked else ModerationVerb.UNLOCK
    action = _record(moderator, target_type_of(target), target.id, verb, reason, target.ward_ids, now)
    if author_id_of(target):
        _tell_author(target, verb, reason, now)
    return action


def suspend(admin: User, user: User, until: datetime, reason: str, now: datetime | None = None):
    """Suspend an account until a time: it can read but not take part. Logged without any text."""
    now = now or utcnow()
    if until <= now:
        raise ModerationError(_("A suspension must end in the future."))
    user.suspended_until, user.suspension_reason = until, reason
    ward_ids = {user.ward_id} if user.ward_id else set()
    action = _record(admin, "user", user.id, ModerationVerb.SUSPEND, reason, ward_ids, now)
    action.moderator_role = "admin"
    # Not a notification one can turn off: the account holder must learn why they cannot take part.
    mail.queue_for_user(
        user,
        kind="suspended",
        subject=lambda: _("Your account has been suspended"),
        template="emails/suspended.txt",
        context={"user": user, "until": until, "reason": reason},
    )
    return action


def lift_suspension(admin: User, user: User, reason: str, now: datetime | None = None):
    """End a suspension early."""
    now = now or utcnow()
    if not user.is_suspended(now):
        raise ModerationError(_("This account is not suspended."))
    user.suspended_until = None
    user.suspension_reason = None
    ward_ids = {user.ward_id} if user.ward_id else set()
    action = _record(admin, "user", user.id, ModerationVerb.UNSUSPEND, reason, ward_ids, now)
    action.moderator_role = "admin"
    return action


def open_flags(target) -> list[Flag]:
    """The flags on a target that no moderator has dealt with yet."""
    return list(
        db.session.scalars(
            select(Flag)
            .where(
                and_(
                    Flag.target_type == target_type_of(target),
                    Flag.target_id == target.id,
                    Flag.resolved_at.is_(None),
                )
            )
            .order_by(Flag.created_at)
        )
    )
