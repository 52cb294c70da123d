"""Outcome proposals: proposing, editing (every version kept), supporting, listing and searching."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError

from participate.extensions import db
from participate.models import (
    OutcomeProposal,
    ProposalCategory,
    ProposalRevision,
    Support,
    User,
    Ward,
    utcnow,
)
from participate.sanitize import clean_text, render_markdown

# The same text sent twice within this time is one contribution (a double click, a resent form).
DUPLICATE_WINDOW = timedelta(minutes=1)
SORTS = ("newest", "supported", "category")


def lock_author(user: User) -> None:
    """Serialise one author's posts (PostgreSQL row lock), so a duplicate check cannot race."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def create_proposal(
    author: User,
    ward: Ward,
    *,
    title: str,
    body: str,
    category: ProposalCategory | None,
    now: datetime | None = None,
) -> tuple[OutcomeProposal, bool]:
    """Propose an outcome for a ward; return (proposal, created). A resend within a minute is one."""
    now = now or utcnow()
    title, body = clean_text(title).strip(), clean_text(body).strip()
    lock_author(author)
    earlier = db.session.scalar(
        select(OutcomeProposal).where(
            OutcomeProposal.author_id == author.id,
            OutcomeProposal.ward_id == ward.id,
            OutcomeProposal.title == title,
            OutcomeProposal.body == body,
            OutcomeProposal.created_at >= now - DUPLICATE_WINDOW,
        )
    )
    if earlier is not None:
        return earlier, False
    proposal = OutcomeProposal(
        ward_id=ward.id,
        author_id=author.id,
        title=title,
        body=body,
        body_html=render_markdown(body),
        category=category,
        created_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal, True


def edit_proposal(
    proposal: OutcomeProposal,
    *,
    title: str,
    body: str,
    category: ProposalCategory | None,
    now: datetime | None = None,
) -> ProposalRevision | None:
    """Change a proposal, keeping the version it replaces; None when nothing changed."""
    title, body = clean_text(title).strip(), clean_text(body).strip()
    if (title, body, category) == (proposal.title, proposal.body, proposal.category):
        return None
    now = now or utcnow()
    revision = ProposalRevision(
        proposal=proposal,
        title=proposal.title,
        body=proposal.body,
        category=proposal.category.value if proposal.category else None,
        created_at=proposal.updated_at or proposal.created_at,
    )
    db.session.add(revision)
    proposal.title, proposal.body, proposal.category = title, body, category
    proposal.body_html = render_markdown(body)
    proposal.updated_at = now
    db.session.flush()
    return revision


def has_supported(user: User, proposal: OutcomeProposal) -> bool:
    """Whether the user supports the proposal."""
    if not getattr(user, "id", None):
        return False
    found = db.session.scalar(
        select(Support.id).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    )
    return found is not None


def support(user: User, proposal: OutcomeProposal) -> bool:
    """Support a proposal once; return False when the user already did."""
    try:
        with db.session.begin_nested():
            db.session.add(Support(proposal_id=proposal.id, user_id=user.id))
    except IntegrityError:
        return False
    proposal.support_count = OutcomeProposal.support_count + 1
    db.session.flush()
    return True


def withdraw_support(user: User, proposal: OutcomeProposal) -> bool:
    """Withdraw a support; return False when there was none."""
    found = db.session.scalar(
        select(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    )
    if found is None:
        return False
    db.session.delete(found)
    proposal.support_count = OutcomeProposal.support_count - 1
    db.session.flush()
    return True


@dataclass
class Page:
    """One page of a list, with what pagination needs."""

    items: list
    number: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(q: str):
    """Every word of the search must appear in the title or the text (any letter case)."""
    conditions = []
    for word in q.split()[:8]:
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(
            or_(
                func.lower(OutcomeProposal.title).like(pattern, escape="\\"),
                func.lower(OutcomeProposal.body).like(pattern, escape="\\"),
            )
        )
    return and_(*conditions) if conditions else None


def _order(sort: str):
    if sort == "supported":
        return [OutcomeProposal.support_count.desc(), OutcomeProposal.created_at.desc(), OutcomeProposal.id]
    if sort == "category":
        rank = case(
            {c.value: n for n, c in enumerate(ProposalCategory)},
            value=OutcomeProposal.category,
            else_=len(ProposalCategory),
        )
        return [rank, OutcomeProposal.created_at.desc(), OutcomeProposal.id]
    return [OutcomeProposal.created_at.desc(), OutcomeProposal.id.desc()]


def list_proposals(
    ward: Ward | None = None,
    *,
    sort: str = "newest",
    category: ProposalCategory | None = None,
    q: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of the proposals shown to the public (not hidden), sorted and filtered."""
    conditions = [OutcomeProposal.hidden_at.is_(None)]
    if ward is not None:
        conditions.append(OutcomeProposal.ward_id == ward.id)
    if category is not None:
        conditions.append(OutcomeProposal.category == category)
    if q.strip():
        conditions.append(search_condition(q))
    total = db.session.scalar(select(func.count(OutcomeProposal.id)).where(*conditions)) or 0
    pages = max(math.ceil(total / per_page), 1)
    number = min(max(page, 1), pages)
    items = db.session.scalars(
        select(OutcomeProposal)
        .where(*conditions)
        .order_by(*_order(sort if sort in SORTS else "newest"))
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(list(items), number, total, per_page)
