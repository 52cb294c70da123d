"""Stages 1 and 2 of the cycle: outcome proposals, consultations, options and their discussion."""

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


class ProposalCategory(enum.StrEnum):
    """What an outcome is about."""

    YOUNG_PEOPLE = "young_people"
    GREEN_SPACES = "green_spaces"
    STREETS_AND_TRANSPORT = "streets_and_transport"
    SAFETY = "safety"
    HEALTH_AND_CARE = "health_and_care"
    HOUSING = "housing"
    ENVIRONMENT = "environment"
    CULTURE_AND_SPORT = "culture_and_sport"
    JOBS_AND_SKILLS = "jobs_and_skills"
    OTHER = "other"


class ProviderType(enum.StrEnum):
    """The kind of organisation that would deliver an option (or was commissioned)."""

    IN_HOUSE = "in_house"
    ARMS_LENGTH = "arms_length"
    PRIVATE = "private"
    SOCIAL_ENTERPRISE = "social_enterprise"
    VOLUNTARY_COMMUNITY = "voluntary_community"
    COMMUNITY_LED = "community_led"


class Phase(enum.StrEnum):
    """Where a consultation is in the cycle; it only moves forward."""

    OPTIONS = "options"
    VOTING = "voting"
    CLOSED = "closed"


PHASE_ORDER = [Phase.OPTIONS, Phase.VOTING, Phase.CLOSED]


class VotingMethod(enum.StrEnum):
    APPROVAL = "approval"
    QUADRATIC = "quadratic"


class Stance(enum.StrEnum):
    """A comment's position on what it discusses."""

    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


class OptionStatus(enum.StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    INELIGIBLE = "ineligible"


class OutcomeProposal(Hideable, Base):
    """A resident's proposal of an outcome for their ward; others support it."""

    __tablename__ = "outcome_proposals"
    __table_args__ = (
        Index("ix_outcome_proposals_ward_created", "ward_id", "created_at"),
        Index("ix_outcome_proposals_ward_supports", "ward_id", "support_count"),
        # Every ward's list (/proposals/): newest, most supported, a ward's by category.
        Index("ix_outcome_proposals_created", "created_at"),
        Index("ix_outcome_proposals_supports", "support_count", "created_at"),
        Index("ix_outcome_proposals_ward_category", "ward_id", "category", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[ProposalCategory | None] = mapped_column(_enum(ProposalCategory, 30), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept in step by the services, so lists sort without counting rows.
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)

    ward: Mapped[Ward] = relationship(lazy="joined")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    revisions: Mapped[list[ProposalRevision]] = relationship(
        back_populates="proposal", order_by="ProposalRevision.id", cascade="all, delete-orphan"
    )

    @property
    def ward_ids(self) -> frozenset[int]:
        return frozenset({self.ward_id})


class ProposalRevision(Base):
    """An earlier version of a proposal, kept whenever its author edits it."""

    __tablename__ = "proposal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("outcome_proposals.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[OutcomeProposal] = relationship(back_populates="revisions")


class Support(Base):
    """A resident's support for a proposal (once each; can be withdrawn)."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("outcome_proposals.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


consultation_wards = Table(
    "consultation_wards",
    Base.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id"), primary_key=True, index=True),
)


class Consultation(Base):
    """One commissioning cycle for one outcome: options, a vote, and then a decision."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("credits > 0", name="credits_positive"),
        CheckConstraint("max_approvals IS NULL OR max_approvals > 0", name="max_approvals_positive"),
        CheckConstraint("budget_pence IS NULL OR budget_pence > 0", name="budget_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    outcome_statement: Mapped[str] = mapped_column(Text)
    outcome_html: Mapped[str] = mapped_column(Text, default="")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_proposals.id"), index=True)
    # True: every ward of the borough is in scope, including wards added later.
    is_borough_wide: Mapped[bool] = mapped_column(default=False)
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.OPTIONS, index=True)
    options_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    voting_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    voting_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[VotingMethod] = mapped_column(_enum(VotingMethod), default=VotingMethod.APPROVAL)
    max_approvals: Mapped[int | None]
    credits: Mapped[int] = mapped_column(default=100)
    allow_negative: Mapped[bool] = mapped_column(default=False)
    budget_pence: Mapped[int | None]
    # Accounts created after voting opened may vote only where this is set.
    allow_late_registration: Mapped[bool] = mapped_column(default=False)
    results_live: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an officer certifies the result; after it the voter-ballot link is cut.
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    wards: Mapped[list[Ward]] = relationship(
        secondary=consultation_wards, lazy="selectin", order_by=Ward.name
    )
    proposal: Mapped[OutcomeProposal | None] = relationship(backref="consultations")
    options: Mapped[list[Option]] = relationship(
        back_populates="consultation", order_by="Option.id", foreign_keys="Option.consultation_id"
    )
    phase_changes: Mapped[list[PhaseChange]] = relationship(
        back_populates="consultation", order_by="PhaseChange.id"
    )

    @property
    def ward_ids(self) -> frozenset[int]:
        """The wards in scope (empty for borough-wide: see is_borough_wide)."""
        return frozenset(w.id for w in self.wards)

    def covers_ward(self, ward_id: int | None) -> bool:
        """Whether residents of this ward are in scope."""
        return ward_id is not None and (self.is_borough_wide or ward_id in self.ward_ids)

    @property
    def next_phase(self) -> Phase | None:
        """The phase after this one (None once closed)."""
        index = PHASE_ORDER.index(self.phase) + 1
        return PHASE_ORDER[index] if index < len(PHASE_ORDER) else None

    def is_upcoming(self, now: datetime) -> bool:
        """In the options phase, but before options open."""
        return self.phase == Phase.OPTIONS and self.options_open_at > now


class PhaseChange(Base):
    """A consultation moving to its next phase: who (None: on schedule) and when."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    from_phase: Mapped[str | None] = mapped_column(String(20))
    to_phase: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship(back_populates="phase_changes")
    changed_by = relationship("User")


option_social_values = Table(
    "option_social_values",
    Base.metadata,
    Column("option_id", ForeignKey("options.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", ForeignKey("social_value_measures.id"), primary_key=True),
)


class Option(Hideable, Base):
    """A way to reach a consultation's outcome: what would be done, by whom, for roughly how much."""

    __tablename__ = "options"
    __table_args__ = (
        CheckConstraint(
            "estimated_cost_pence IS NULL OR estimated_cost_pence >= 0", name="cost_not_negative"
        ),
        UniqueConstraint("consultation_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text, default="")
    provider_type: Mapped[ProviderType] = mapped_column(_enum(ProviderType, 30))
    estimated_cost_pence: Mapped[int | None]
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A community group that put the option forward (shown as its proposer).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    # An identifier from elsewhere, e.g. the project id of an imported Pabulib file.
    external_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[OptionStatus] = mapped_column(_enum(OptionStatus), default=OptionStatus.ACTIVE)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"))
    ineligible_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The proposer's ward when they put it forward: who moderates it in a borough-wide consultation.
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)

    consultation: Mapped[Consultation] = relationship(
        back_populates="options", foreign_keys=[consultation_id]
    )
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    group = relationship("Group", foreign_keys=[group_id])
    merged_into: Mapped[Option | None] = relationship(remote_side=[id])
    social_values = relationship("SocialValueMeasure", secondary=option_social_values, lazy="selectin")

    @property
    def ward_ids(self) -> frozenset[int]:
        """The wards whose councillors moderate it: the consultation's, or the proposer's when
        the consultation is borough-wide."""
        if self.consultation.is_borough_wide:
            return frozenset({self.ward_id}) if self.ward_id else frozenset()
        return self.consultation.ward_ids

    @property
    def is_active(self) -> bool:
        """Whether the option is on the ballot (not merged, not ineligible, not hidden)."""
        return self.status == OptionStatus.ACTIVE and self.hidden_at is None


class Comment(Hideable, Base):
    """A comment in the discussion of a proposal, a consultation or an option."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN consultation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN option_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        Index("ix_comments_author_created", "author_id", "created_at"),
        # Each discussion is read oldest first.
        Index("ix_comments_proposal_created", "proposal_id", "created_at"),
        Index("ix_comments_consultation_created", "consultation_id", "created_at"),
        Index("ix_comments_option_created", "option_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_proposals.id"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    depth: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stance: Mapped[Stance] = mapped_column(_enum(Stance), default=Stance.NEUTRAL)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deleted by its author: shown as such, replies kept, text kept for moderators.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The author's ward when they wrote it: who moderates it in a borough-wide consultation.
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    proposal: Mapped[OutcomeProposal | None] = relationship(foreign_keys=[proposal_id])
    consultation: Mapped[Consultation | None] = relationship(foreign_keys=[consultation_id])
    option: Mapped[Option | None] = relationship(foreign_keys=[option_id])

    @property
    def thread(self) -> OutcomeProposal | Consultation | Option:
        """What the comment discusses."""
        return self.proposal or self.consultation or self.option

    @property
    def ward_ids(self) -> frozenset[int]:
        """The wards whose councillors moderate it: the thread's, or the author's ward when the
        consultation is borough-wide."""
        if self.proposal_id is not None:
            return self.proposal.ward_ids
        consultation = self.consultation if self.consultation_id is not None else self.option.consultation
        if consultation.is_borough_wide:
            return frozenset({self.ward_id}) if self.ward_id else frozenset()
        return consultation.ward_ids

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Follow(Base):
    """A user following a consultation or a ward, for notifications."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "consultation_id"),
        UniqueConstraint("user_id", "ward_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationKind(enum.StrEnum):
    """The kinds of mail a user can choose to receive."""

    REPLY = "reply"
    NEW_OPTION = "new_option"
    PHASE_CHANGE = "phase_change"
    MODERATION = "moderation"
    PROGRESS = "progress"
    EVENT_REMINDER = "event_reminder"


class NotificationSetting(Base):
    """How often a user wants one kind of mail: never, at once, or in a daily digest."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")  # off|immediate|daily


class Notification(Base):
    """Something a user should hear about; mailed at once or gathered into a daily digest."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_pending", "user_id", "mailed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    # Rendered in the recipient's language when created, so a digest only joins them.
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
