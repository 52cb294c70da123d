"""Stage 3 of the cycle: ballots, their entries, and results stored once a consultation closes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.models.base import Base, UTCDateTime, utcnow


class Ballot(Base):
    """One voter's ballot in one consultation; the database allows one per (consultation, voter)."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("consultation_id", "voter_id"),
        Index("ix_ballots_consultation_ward", "consultation_id", "ward_id"),
        # The bulletin board lists a consultation's ballots by receipt, a page at a time.
        Index("ix_ballots_consultation_receipt", "consultation_id", "receipt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    # Cut (set to None) once the result is certified: the ballot and receipt stay, the link goes.
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The voter's ward when they voted, so results by ward survive unlinking and erasure.
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    receipt: Mapped[str] = mapped_column(String(32), unique=True)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entries: Mapped[list[BallotEntry]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotEntry.option_id"
    )


class BallotEntry(Base):
    """Votes for one option on one ballot (approval: 1; quadratic: any integer, maybe negative)."""

    __tablename__ = "ballot_entries"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id"), primary_key=True, index=True)
    votes: Mapped[int]

    ballot: Mapped[Ballot] = relationship(back_populates="entries")


class Participation(Base):
    """That a person took part in a consultation: all that stays once their ballot is unlinked."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredResult(Base):
    """The result of a closed consultation, computed once from its ballots and kept."""

    __tablename__ = "stored_results"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ballot_count: Mapped[int]
    # The result document (the API's shape) as JSON; budget rules included where there is a budget.
    result_json: Mapped[str] = mapped_column(Text)
