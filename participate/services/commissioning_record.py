"""Reading the commissioning record: decisions by ward, status and financial year, in few queries.

A UK financial year runs from 1 April to 31 March; "2026" names the year that starts on
1 April 2026 (2026/27). A decision belongs to the year of the day it was taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from participate.extensions import db
from participate.models import (
    CommissioningDecision,
    CommitmentProgress,
    Consultation,
    DeliveryStatus,
    Option,
    Phase,
    ProgressUpdate,
    SocialValueCommitment,
    Ward,
)
from participate.models.deliberation import consultation_wards

# The financial years the record can be asked about (by the year each starts).
MIN_YEAR, MAX_YEAR = 2000, 2100


def financial_year(day: date) -> int:
    """The financial year a day falls in, named by the year it starts (5 April 2026 → 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a financial year."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def year_label(year: int) -> str:
    """How a financial year is written: 2026/27."""
    return f"{year}/{(year + 1) % 100:02d}"


def in_ward(ward: Ward):
    """Decisions whose consultation concerns a ward (its own, or the whole borough)."""
    return or_(
        Consultation.is_borough_wide,
        Consultation.id.in_(
            select(consultation_wards.c.consultation_id).where(consultation_wards.c.ward_id == ward.id)
        ),
    )


@dataclass
class Filters:
    """What a list of decisions is narrowed to."""

    ward: Ward | None = None
    status: DeliveryStatus | None = None
    year: int | None = None


def decisions_query(filters: Filters, *, with_options: bool = False):
    """Decisions matching the filters, latest first, with what lists show loaded up front (and the
    options voted on and commissioned, for open data, `with_options`)."""
    if with_options:
        options = (
            joinedload(CommissioningDecision.consultation)
            .selectinload(Consultation.options)
            .lazyload(Option.social_values),
            selectinload(CommissioningDecision.options).lazyload(Option.social_values),
        )
    else:
        options = (joinedload(CommissioningDecision.consultation), lazyload(CommissioningDecision.options))
    query = (
        select(CommissioningDecision)
        .join(Consultation, Consultation.id == CommissioningDecision.consultation_id)
        .options(
            *options,
            selectinload(CommissioningDecision.commitments).joinedload(SocialValueCommitment.measure),
        )
        .order_by(CommissioningDecision.decided_on.desc(), CommissioningDecision.id.desc())
    )
    if filters.ward is not None:
        query = query.where(in_ward(filters.ward))
    if filters.status is not None:
        query = query.where(CommissioningDecision.status == filters.status)
    if filters.year is not None:
        first, last = year_bounds(filters.year)
        query = query.where(CommissioningDecision.decided_on.between(first, last))
    return query


def page_of_decisions(filters: Filters, page: int = 1, per_page: int = 20) -> tuple[list, bool]:
    """One page of decisions and whether there are more."""
    # Cards do not name the wards: no need to load them.
    query = decisions_query(filters).options(
        joinedload(CommissioningDecision.consultation).lazyload(Consultation.wards)
    )
    rows = db.session.scalars(query.limit(per_page + 1).offset((max(page, 1) - 1) * per_page)).all()
    return list(rows[:per_page]), len(rows) > per_page


def updates_of(decision_ids) -> dict[int, list[ProgressUpdate]]:
    """The progress updates of several decisions, oldest first, with their delivery figures."""
    ids = list(decision_ids)
    if not ids:
        return {}
    found: dict[int, list[ProgressUpdate]] = {i: [] for i in ids}
    for update in db.session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.decision_id.in_(ids))
        .options(selectinload(ProgressUpdate.delivered).joinedload(CommitmentProgress.commitment))
        .order_by(ProgressUpdate.update_date, ProgressUpdate.id)
    ):
        found[update.decision_id].append(update)
    return found


def years_with_decisions() -> list[int]:
    """The financial years in which decisions were taken, latest first."""
    days = db.session.scalars(select(CommissioningDecision.decided_on).distinct())
    return sorted({financial_year(d) for d in days}, reverse=True)


def awaiting_decision(ward: Ward, limit: int = 5) -> list[Consultation]:
    """Closed consultations concerning a ward whose decision is not recorded yet, latest first."""
    decided = select(CommissioningDecision.consultation_id)
    return list(
        db.session.scalars(
            select(Consultation)
            .options(lazyload(Consultation.wards))
            .where(Consultation.phase == Phase.CLOSED, in_ward(ward), Consultation.id.not_in(decided))
            .order_by(Consultation.voting_close_at.desc())
            .limit(limit)
        )
    )
