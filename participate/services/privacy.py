"""Personal data rights: download everything held about a person, erase an account, and purge
what the retention rules say to remove.

Both the export and the erasure walk every table that points at `users`, so a table added later
is covered without anyone remembering to add it here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, inspect, select, update

from participate.extensions import db
from participate.models import (
    Ballot,
    Base,
    ChampionProfile,
    Flag,
    Follow,
    Membership,
    Notification,
    NotificationSetting,
    OutboxMessage,
    Participation,
    RecoveryCode,
    RoleGrant,
    Rsvp,
    User,
    utcnow,
)

# Never given out, even to the person themselves: they are secrets, not information about them.
SECRET_COLUMNS = {"password_hash", "totp_secret", "totp_last_step", "code_hash", "session_version"}

# Personal columns of `users`, emptied on erasure (the row stays so contributions keep an author).
PERSONAL_USER_COLUMNS = (
    "email", "password_hash", "postcode", "ward_id", "last_sign_in_at", "email_verified_at",
    "residency_verified_at", "residency_verified_by_id", "suspended_until", "suspension_reason",
    "totp_secret", "totp_enabled_at", "totp_last_step",
)  # fmt: skip

# Rows that exist only for the person: removed with the account.
ABOUT_THE_PERSON = (
    RoleGrant, RecoveryCode, Follow, NotificationSetting, Notification, Participation, ChampionProfile,
)  # fmt: skip

UNVERIFIED_DAYS = 30
SENT_MAIL_DAYS = 90
AUDIT_YEARS = 2


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _references_to_users():
    """(table, column) for every foreign key to users.id."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name == "users" and table.name != "users":
                    yield table, column


def export(user: User) -> dict:
    """Everything the platform holds about a person, as plain JSON-ready data."""
    mapper = inspect(User)
    data = {
        "account": {
            c.key: _plain(getattr(user, c.key)) for c in mapper.column_attrs if c.key not in SECRET_COLUMNS
        },
        "generated_at": utcnow().isoformat(),
    }
    for table, column in _references_to_users():
        rows = db.session.execute(select(table).where(column == user.id)).mappings().all()
        if not rows:
            continue
        key = (
            table.name
            if column.name in ("user_id", "author_id", "voter_id")
            else f"{table.name}.{column.name}"
        )
        data.setdefault(key, []).extend(
            {k: _plain(v) for k, v in row.items() if k not in SECRET_COLUMNS} for row in rows
        )
    if "ballots" in data:
        ids = [b["id"] for b in data["ballots"]]
        from participate.models import BallotEntry

        entries = db.session.execute(select(BallotEntry).where(BallotEntry.ballot_id.in_(ids))).scalars()
        by_ballot: dict[int, dict] = {}
        for entry in entries:
            by_ballot.setdefault(entry.ballot_id, {})[entry.option_id] = entry.votes
        for ballot in data["ballots"]:
            ballot["entries"] = by_ballot.get(ballot["id"], {})
    return data


def erase(user: User, now: datetime | None = None) -> None:
    """Erase an account: personal data goes; what the person wrote stays, under "former resident".

    Ballots still linked to the person are unlinked (they stay counted, like certified ones).
    """
    from participate.services import events

    now = now or utcnow()
    # Give up places properly, so the first on each waiting list moves up.
    for answer in db.session.scalars(select(Rsvp).where(Rsvp.user_id == user.id, Rsvp.status != "cancelled")):
        events.cancel_rsvp(answer)
    db.session.execute(delete(Rsvp).where(Rsvp.user_id == user.id))
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user.id)):
        membership.group.member_count = max(0, membership.group.member_count - 1)
        db.session.delete(membership)
    db.session.execute(update(Ballot).where(Ballot.voter_id == user.id).values(voter_id=None))
    db.session.execute(update(Flag).where(Flag.reporter_id == user.id).values(reporter_id=None))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    db.session.execute(
        delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == (user.email or "").lower())
    )
    for model in ABOUT_THE_PERSON:
        db.session.execute(delete(model).where(model.user_id == user.id))
    # Proposals, options, comments and supports stay, pointing at the emptied account.
    for column in PERSONAL_USER_COLUMNS:
        setattr(user, column, None)
    user.display_name = ""
    user.locale = "en"
    user.erased_at = now
    user.session_version += 1
    db.session.flush()


def purge(now: datetime | None = None) -> dict[str, int]:
    """Remove what the retention rules say to remove; return how much of each."""
    now = now or utcnow()
    counts = {}
    stale = select(User.id).where(
        User.email_verified_at.is_(None),
        User.erased_at.is_(None),
        User.created_at < now - timedelta(days=UNVERIFIED_DAYS),
    )
    removed = 0
    for user in db.session.scalars(select(User).where(User.id.in_(stale))).all():
        if _has_contributions(user):
            erase(user, now)  # should not happen (unverified people cannot post), but never lose text
        else:
            for model in (*ABOUT_THE_PERSON, OutboxMessage, Rsvp, Membership):
                db.session.execute(delete(model).where(model.user_id == user.id))
            db.session.delete(user)
        removed += 1
    counts["unverified accounts"] = removed
    counts["sent mail"] = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([OutboxMessage.SENT, OutboxMessage.FAILED]),
            OutboxMessage.created_at < now - timedelta(days=SENT_MAIL_DAYS),
        )
    ).rowcount
    counts["mailed notifications"] = db.session.execute(
        delete(Notification).where(
            Notification.mailed_at.is_not(None),
            Notification.created_at < now - timedelta(days=SENT_MAIL_DAYS),
        )
    ).rowcount
    db.session.flush()
    return counts


def _has_contributions(user: User) -> bool:
    for table, column in _references_to_users():
        if table.name in {t.__tablename__ for t in ABOUT_THE_PERSON} | {"outbox_messages"}:
            continue
        if db.session.scalar(select(func.count()).select_from(table).where(column == user.id)):
            return True
    return False
