"""Green community champions, their groups, events and RSVPs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.models.base import Base, UTCDateTime, utcnow
from participate.models.moderation import Hideable
from participate.models.users import User
from participate.models.wards import Ward


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Interest(enum.StrEnum):
    """What champions and groups work on."""

    FOOD_GROWING = "food_growing"
    COMMUNITY_ENERGY = "community_energy"
    WASTE_AND_RECYCLING = "waste_and_recycling"
    CLEAN_AIR = "clean_air"
    BIODIVERSITY = "biodiversity"
    OTHER = "other"


champion_interests = Table(
    "champion_interests",
    Base.metadata,
    Column("champion_id", ForeignKey("champion_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("interest", String(30), primary_key=True, index=True),
)


class ChampionProfile(Base):
    """A resident who answered the open call to be a green community champion."""

    __tablename__ = "champion_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    availability: Mapped[str | None] = mapped_column(String(300))
    # Named on public pages, feeds and the API only when this is set.
    is_public: Mapped[bool] = mapped_column(default=False)
    # The support office sees contact details only when this is set.
    may_contact: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stepped_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
    ward: Mapped[Ward] = relationship(lazy="joined")


group_wards = Table(
    "group_wards",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id"), primary_key=True, index=True),
)


class Group(Hideable, Base):
    """A community group started by a champion."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    focus: Mapped[Interest] = mapped_column(_enum(Interest, 30), index=True)
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text, default="")
    meeting_place: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept in step by the services, so lists show it without counting rows.
    member_count: Mapped[int] = mapped_column(default=0)

    wards: Mapped[list[Ward]] = relationship(secondary=group_wards, lazy="selectin", order_by=Ward.name)

    @property
    def ward_ids(self) -> frozenset[int]:
        return frozenset(w.id for w in self.wards)


class Membership(Base):
    """A resident's membership of a group, as member or organiser."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        CheckConstraint("role IN ('member', 'organiser')", name="known_role"),
    )

    MEMBER = "member"
    ORGANISER = "organiser"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")  # member|organiser
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Named on the group's public page only when the member ticked this (a champion who agreed to
    # be listed starts with it ticked on the groups they start); never named otherwise.
    is_public: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")
    group: Mapped[Group] = relationship()

    @property
    def is_organiser(self) -> bool:
        return self.role == self.ORGANISER


class Announcement(Hideable, Base):
    """A group's news, written by an organiser."""

    __tablename__ = "announcements"
    # A group's news, newest first.
    __table_args__ = (Index("ix_announcements_group_created", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    author = relationship("User", foreign_keys=[author_id])

    @property
    def ward_ids(self) -> frozenset[int]:
        return self.group.ward_ids


class Event(Base):
    """Something a group organises, at a time and place, with a capacity."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_group_starts", "group_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        # The last line of defence against overbooking: the services also check before writing.
        CheckConstraint(
            "going_count >= 0 AND (capacity IS NULL OR going_count <= capacity)", name="within_capacity"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # None: no limit on places.
    capacity: Mapped[int | None]
    # The places taken, kept in step by the services with a conditional UPDATE, so two people
    # taking the last place at the same moment cannot both get it.
    going_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every change, for the iCalendar SEQUENCE.
    sequence: Mapped[int] = mapped_column(default=0)

    group: Mapped[Group] = relationship(lazy="joined")

    @property
    def places_left(self) -> int | None:
        """Free places (None: no limit)."""
        return None if self.capacity is None else max(self.capacity - self.going_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity


class Rsvp(Base):
    """A resident's answer to an event: going, or waiting for a place; cancelled ones are kept."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_rsvps_event_status", "event_id", "status", "status_at"),
        CheckConstraint("status IN ('going', 'waiting', 'cancelled')", name="known_status"),
    )

    GOING = "going"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # going|waiting|cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the current status began: the waiting list is served in this order.
    status_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the day-before reminder was queued for this answer (so it is queued once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
    event: Mapped[Event] = relationship()
