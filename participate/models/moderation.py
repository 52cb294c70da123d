"""Moderation as state: what is hidden stays, with who hid it, when and why; flags and the public log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Enum, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from participate.models.base import Base, UTCDateTime, utcnow


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Hideable:
    """Columns of content a moderator can hide (never delete) and whose thread can be locked."""

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    is_locked: Mapped[bool] = mapped_column(default=False)

    @declared_attr
    def hidden_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class FlagReason(enum.StrEnum):
    """Why a user flagged something."""

    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off_topic"
    PERSONAL_INFORMATION = "personal_information"
    OTHER = "other"


class ModerationVerb(enum.StrEnum):
    """What a moderator did."""

    HIDE = "hide"
    RESTORE = "restore"
    DISMISS_FLAGS = "dismiss_flags"
    LOCK = "lock"
    UNLOCK = "unlock"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"


# The wards whose councillors see a flag or an action, as they were when it was made: the target's
# `ward_ids`. None of them (borough-wide content): only officers and admins moderate it.
flag_wards = Table(
    "flag_wards",
    Base.metadata,
    Column("flag_id", ForeignKey("flags.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id"), primary_key=True, index=True),
)

moderation_action_wards = Table(
    "moderation_action_wards",
    Base.metadata,
    Column("action_id", ForeignKey("moderation_actions.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id"), primary_key=True, index=True),
)


class Flag(Base):
    """A user's report that a piece of content breaks the rules."""

    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One of MODERATABLE's keys: proposal, option, comment, group, announcement.
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(_enum(FlagReason))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(20))

    reporter = relationship("User", foreign_keys=[reporter_id])
    wards = relationship("Ward", secondary=flag_wards, lazy="selectin")


class ModerationAction(Base):
    """One entry of the public moderation log: never the hidden text, always the reason."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # MODERATABLE's keys, "consultation" (a lock) or "user" (a suspension).
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    verb: Mapped[ModerationVerb] = mapped_column(_enum(ModerationVerb))
    reason: Mapped[str | None] = mapped_column(Text)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The role the moderator acted in, kept as it was at the time.
    moderator_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    moderator = relationship("User", foreign_keys=[moderator_id])
    wards = relationship("Ward", secondary=moderation_action_wards, lazy="selectin")
