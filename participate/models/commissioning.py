"""Stage 4 of the cycle: commissioning decisions, social value commitments and progress."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from participate.models.base import Base, UTCDateTime, utcnow


def _enum(cls, length=30):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class SocialValueMeasure(Base):
    """An item of the community benefit checklist; shipped with the platform, editable by admins."""

    __tablename__ = "social_value_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # The unit targets and delivery are counted in: "£" values are stored in pence.
    unit: Mapped[str] = mapped_column(String(40))
    theme: Mapped[str | None] = mapped_column(String(120))
    framework: Mapped[str | None] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Units whose targets are amounts of money (kept in pence), and those that are met or not.
    MONEY_UNITS = ("£", "GBP")
    QUALITATIVE_UNITS = ("description", "policy outcome", "yes/no")

    @property
    def is_money(self) -> bool:
        """Whether targets are amounts of money (stored in pence)."""
        return self.unit.strip().upper().startswith(self.MONEY_UNITS)

    @property
    def is_qualitative(self) -> bool:
        """Whether a commitment to it is met or not rather than counted."""
        return self.unit.strip().lower().startswith(self.QUALITATIVE_UNITS)


class ProviderKind(enum.StrEnum):
    """Who was commissioned: the option provider types, and a community group on the platform."""

    IN_HOUSE = "in_house"
    ARMS_LENGTH = "arms_length"
    PRIVATE = "private"
    SOCIAL_ENTERPRISE = "social_enterprise"
    VOLUNTARY_COMMUNITY = "voluntary_community"
    COMMUNITY_LED = "community_led"
    COMMUNITY_GROUP = "community_group"


class ProcurementRoute(enum.StrEnum):
    DIRECT_AWARD = "direct_award"
    QUOTATION = "quotation"
    OPEN_TENDER = "open_tender"
    RESTRICTED_TENDER = "restricted_tender"
    FRAMEWORK = "framework"
    GRANT = "grant"


class DeliveryStatus(enum.StrEnum):
    PLANNED = "planned"
    PROCURING = "procuring"
    AWARDED = "awarded"
    DELIVERING = "delivering"
    UNDER_REVIEW = "under_review"
    COMPLETED = "completed"
    TERMINATED = "terminated"


decision_options = Table(
    "decision_options",
    Base.metadata,
    Column("decision_id", ForeignKey("commissioning_decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("option_id", ForeignKey("options.id"), primary_key=True),
)


class CommissioningDecision(Base):
    """What the council commissioned after a consultation closed, from whom and for how much."""

    __tablename__ = "commissioning_decisions"
    __table_args__ = (
        CheckConstraint("value_pence >= 0", name="value_not_negative"),
        # A decision that departs from the vote says why, publicly: a reason of spaces is none.
        CheckConstraint(
            "NOT departs_from_vote OR (departure_reason IS NOT NULL AND length(trim(departure_reason)) > 0)",
            name="departure_needs_reason",
        ),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("review_date >= start_date", name="review_after_start"),
        CheckConstraint(
            "provider_kind <> 'community_group' OR provider_group_id IS NOT NULL",
            name="community_group_named",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), unique=True)
    provider_name: Mapped[str] = mapped_column(String(200))
    provider_kind: Mapped[ProviderKind] = mapped_column(_enum(ProviderKind), index=True)
    provider_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    # None: not known, or not a business (an in-house service).
    provider_is_sme: Mapped[bool | None]
    procurement_route: Mapped[ProcurementRoute] = mapped_column(_enum(ProcurementRoute))
    value_pence: Mapped[int]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    cabinet_member: Mapped[str] = mapped_column(String(200))
    departs_from_vote: Mapped[bool] = mapped_column(default=False)
    departure_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PLANNED, index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation = relationship("Consultation", backref=backref("decision", uselist=False), lazy="joined")
    options = relationship("Option", secondary=decision_options, lazy="selectin")
    provider_group = relationship("Group")
    commitments: Mapped[list[SocialValueCommitment]] = relationship(
        back_populates="decision", order_by="SocialValueCommitment.id", cascade="all, delete-orphan"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="decision", order_by="ProgressUpdate.update_date", cascade="all, delete-orphan"
    )


class SocialValueCommitment(Base):
    """A social value commitment of a contract: a checklist measure with a target."""

    __tablename__ = "social_value_commitments"
    __table_args__ = (
        UniqueConstraint("decision_id", "measure_id"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("commissioning_decisions.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("social_value_measures.id"))
    # In the measure's unit; money in pence. Numeric so tonnes and hours keep their decimals.
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # A contract that fails an enforceable commitment can be terminated.
    is_enforceable: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(500))

    decision: Mapped[CommissioningDecision] = relationship(back_populates="commitments")
    measure: Mapped[SocialValueMeasure] = relationship(lazy="joined")


class ProgressUpdate(Base):
    """A dated update on a commissioned piece of work, until its review."""

    __tablename__ = "progress_updates"
    __table_args__ = (Index("ix_progress_updates_decision_date", "decision_id", "update_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("commissioning_decisions.id"))
    update_date: Mapped[date] = mapped_column(Date)
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus))
    note: Mapped[str] = mapped_column(Text)
    note_html: Mapped[str] = mapped_column(Text, default="")
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[CommissioningDecision] = relationship(back_populates="updates")
    delivered: Mapped[list[CommitmentProgress]] = relationship(
        back_populates="update", cascade="all, delete-orphan"
    )


class CommitmentProgress(Base):
    """Social value delivered so far against one commitment, as of one update."""

    __tablename__ = "commitment_progress"
    __table_args__ = (CheckConstraint("delivered >= 0", name="delivered_not_negative"),)

    update_id: Mapped[int] = mapped_column(
        ForeignKey("progress_updates.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[int] = mapped_column(ForeignKey("social_value_commitments.id"), primary_key=True)
    delivered: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    update: Mapped[ProgressUpdate] = relationship(back_populates="delivered")
    commitment: Mapped[SocialValueCommitment] = relationship()
