"""Notifications: what a user hears about, how often (at once or a daily digest), and unsubscribing.

A notification is rendered in the recipient's language when it happens and kept as a row; mail
goes through the outbox, at once or gathered by `send-digests`. Every notification mail carries a
signed one-click unsubscribe link (RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from flask import render_template, url_for
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participate import tokens
from participate.extensions import db
from participate.models import Notification, NotificationKind, NotificationSetting, User, utcnow
from participate.services import mail

OFF, IMMEDIATE, DAILY = "off", "immediate", "daily"
FREQUENCIES = (OFF, IMMEDIATE, DAILY)
DEFAULT_FREQUENCY = IMMEDIATE
# The token's kind when a link stops every notification mail (a digest mixes kinds).
ALL_KINDS = "all"

KIND_LABELS = {
    NotificationKind.REPLY: _l("Replies to your comments"),
    NotificationKind.NEW_OPTION: _l("New options in consultations you follow"),
    NotificationKind.PHASE_CHANGE: _l("Consultations you follow moving to their next phase"),
    NotificationKind.MODERATION: _l("Moderators acting on what you wrote"),
    NotificationKind.PROGRESS: _l("Progress on work commissioned in consultations you follow"),
    NotificationKind.EVENT_REMINDER: _l("Reminders of events you are going to"),
}


def settings_for(user: User) -> dict[NotificationKind, str]:
    """How often the user wants each kind of mail (the default where they have not chosen)."""
    chosen = {
        s.kind: s.frequency
        for s in db.session.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user.id))
    }
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY) for kind in NotificationKind}


def set_frequency(user: User, kind: NotificationKind, frequency: str) -> None:
    """Remember how often the user wants one kind of mail."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    setting = db.session.scalar(
        select(NotificationSetting).where(
            NotificationSetting.user_id == user.id, NotificationSetting.kind == kind
        )
    )
    if setting is None:
        db.session.add(NotificationSetting(user_id=user.id, kind=kind, frequency=frequency))
    else:
        setting.frequency = frequency
    db.session.flush()


def unsubscribe(user: User, kind: NotificationKind | None) -> list[NotificationKind]:
    """Stop one kind of mail (or every kind, with None); return the kinds turned off."""
    kinds = [kind] if kind else list(NotificationKind)
    for each in kinds:
        set_frequency(user, each, OFF)
    return kinds


def unsubscribe_token(user: User, kind: NotificationKind | None) -> str:
    """A signed token that stops one kind of mail (or all) for one user, without signing in."""
    return tokens.make("unsubscribe", {"uid": user.id, "kind": kind.value if kind else ALL_KINDS})


def read_unsubscribe_token(token: str) -> tuple[User, NotificationKind | None]:
    """The user and kind a token stops; raise tokens.LinkError when it is not valid."""
    payload = tokens.read("unsubscribe", token)
    user = db.session.get(User, payload.get("uid", 0))
    kind = payload.get("kind")
    if user is None or not user.is_active or (kind != ALL_KINDS and kind not in set(NotificationKind)):
        raise tokens.LinkError("invalid")
    return user, (None if kind == ALL_KINDS else NotificationKind(kind))


def _frequencies(user_ids: list[int], kind: NotificationKind) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(NotificationSetting.user_id, NotificationSetting.frequency).where(
            NotificationSetting.user_id.in_(user_ids), NotificationSetting.kind == kind
        )
    )
    return {key: value for key, value in rows}


def notify(
    users: Iterable[User],
    kind: NotificationKind,
    *,
    subject: Callable[[], str],
    template: str,
    context: dict,
    url: str | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Tell each user about something in their language, as often as they chose (or not at all)."""
    now = now or utcnow()
    recipients = {u.id: u for u in users if u is not None and u.email and u.erased_at is None}
    frequencies = _frequencies(list(recipients), kind)
    made = []
    for user in recipients.values():
        frequency = frequencies.get(user.id, DEFAULT_FREQUENCY)
        if frequency == OFF:
            continue
        with force_locale(user.locale or "en"):
            title = str(subject())
            body = render_template(template, user=user, **context).strip()
        notification = Notification(
            user_id=user.id, kind=kind, subject=title[:300], body_text=body, url=url, created_at=now
        )
        db.session.add(notification)
        if frequency == IMMEDIATE:
            notification.mailed_at = now
            _mail(user, kind, title, [notification])
        made.append(notification)
    db.session.flush()
    return made


def _mail(user: User, kind: NotificationKind | None, title: str, notifications: list[Notification]):
    """Queue one notification mail (or a digest), with its unsubscribe link and headers."""
    link = url_for("notifications.unsubscribe", token=unsubscribe_token(user, kind), _external=True)
    message = mail.queue_for_user(
        user,
        kind=f"notify-{kind.value if kind else 'digest'}",
        subject=lambda: title,
        template="emails/notification.txt",
        context={
            "user": user,
            "notifications": notifications,
            "is_digest": kind is None,
            "unsubscribe_url": link,
            "settings_url": url_for("notifications.settings", _external=True),
            "kind_label": KIND_LABELS.get(kind) if kind else None,
        },
    )
    if message is not None:
        message.unsubscribe_url = link
    return message


def send_digests(now: datetime | None = None) -> int:
    """Gather each user's waiting notifications into one mail; return how many mails were queued."""
    now = now or utcnow()
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.mailed_at.is_(None))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
        .with_for_update(skip_locked=True)
    ).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    off = {
        (user_id, kind)
        for user_id, kind in db.session.execute(
            select(NotificationSetting.user_id, NotificationSetting.kind).where(
                NotificationSetting.user_id.in_(list(by_user) or [0]), NotificationSetting.frequency == OFF
            )
        )
    }
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(by_user) or [0])))}
    queued = 0
    for user_id, notifications in by_user.items():
        for notification in notifications:
            notification.mailed_at = now
        wanted = [n for n in notifications if (user_id, n.kind) not in off]
        user = users[user_id]
        if not wanted or not user.email or user.erased_at:
            continue
        with force_locale(user.locale or "en"):
            title = ngettext(
                "Your daily summary: %(num)d update", "Your daily summary: %(num)d updates", len(wanted)
            )
        if _mail(user, None, title, wanted) is not None:
            queued += 1
    db.session.flush()
    return queued
