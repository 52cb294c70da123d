"""Stage 4 of the cycle: record what the council commissioned after a vote, and how it goes.

An officer records one decision per closed consultation: the options commissioned (what the vote
chose, unless a public reason says why not), the provider, the procurement route, the value in
pence, the dates, the cabinet member, and social value commitments from the checklist. Progress
updates follow until the review; residents who took part or follow the ward are told.

Money is integer pence from the form to the open data: `parse_pounds` reads what was typed
exactly (no floating point) and `pounds` writes it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from participate import money, sanitize
from participate.extensions import db
from participate.models import (
    CommissioningDecision,
    CommitmentProgress,
    Consultation,
    DeliveryStatus,
    Group,
    Option,
    Phase,
    ProcurementRoute,
    ProgressUpdate,
    ProviderKind,
    SocialValueCommitment,
    SocialValueMeasure,
    StoredResult,
    User,
    utcnow,
)
from participate.services import results

# The largest value a contract may have, in pence: £10bn, far beyond any ward's commission.
MAX_PENCE = 10**12


class CommissioningError(Exception):
    """A decision or update the rules refuse; `code` names the rule for the page's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_pounds(text: str) -> int:
    """Read an amount typed in pounds ("£1,234.57", "1234,5", "0.01") as exact pence.

    `participate.money` reads the ways every shipped language writes money; here an amount is
    required and at most MAX_PENCE. Raises ValueError otherwise.
    """
    pence = money.parse_pounds(text)
    if pence is None or pence > MAX_PENCE:
        raise ValueError(text)
    return pence


def pounds(pence: int | Decimal) -> str:
    """Pence as pounds with exactly two decimals and no separators ("1234.57"), for data files."""
    whole, part = divmod(int(pence), 100)
    return f"{whole}.{part:02d}"


def quantity(value: Decimal, measure: SocialValueMeasure) -> str:
    """A target or delivery as data files write it: pounds for money, else the number itself."""
    if measure.is_money:
        return pounds(value)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


# What the vote chose ---------------------------------------------------------------------------


@dataclass
class VoteChoice:
    """What the vote chose: the options to commission, and any other set that also follows it."""

    option_ids: list[int]
    # With a budget, both rules' funded sets follow the vote (the results page shows both).
    accepted: list[frozenset[int]]
    rule: str  # "ranked_first", "equal_shares" or "none"
    ballots: int = 0


def vote_choice(consultation: Consultation) -> VoteChoice:
    """The options the stored result chose: those its budget rule funds, else those ranked first.

    With a budget the Method of Equal Shares proposes the set (greedy's set follows the vote too);
    without one, the option(s) ranked first.
    """
    document = results.stored(consultation) if consultation.phase == Phase.CLOSED else None
    return choice_from(document)


def vote_choices(consultation_ids) -> dict[int, VoteChoice]:
    """What the vote chose in several consultations, from their stored results in one query."""
    ids = list(consultation_ids)
    rows = db.session.execute(
        select(StoredResult.consultation_id, StoredResult.result_json).where(
            StoredResult.consultation_id.in_(ids)
        )
    )
    found = {cid: choice_from(json.loads(text)) for cid, text in rows}
    return {cid: found.get(cid, choice_from(None)) for cid in ids}


def choice_from(document: dict | None) -> VoteChoice:
    """What a result document chose (nothing without a document)."""
    if document is None:
        return VoteChoice([], [], "none")
    funded = document.get("funded")
    if funded:
        chosen = list(funded.get("equal_shares") or [])
        accepted = [frozenset(chosen), frozenset(funded.get("greedy") or [])]
        return VoteChoice(chosen, accepted, "equal_shares", document.get("ballots", 0))
    first = [o["id"] for o in document.get("options", []) if o.get("rank") == 1 and document.get("ballots")]
    return VoteChoice(first, [frozenset(first)], "ranked_first", document.get("ballots", 0))


def departs_from(choice: VoteChoice, option_ids) -> bool:
    """Whether commissioning these options departs from what the vote chose."""
    return frozenset(option_ids) not in choice.accepted


# Recording a decision --------------------------------------------------------------------------


@dataclass
class CommitmentDraft:
    """A social value commitment as typed: the measure, its target (pence for money), enforceable."""

    measure_id: int
    target: Decimal
    is_enforceable: bool = False
    note: str | None = None


@dataclass
class DecisionDraft:
    """Everything an officer records about a decision, already checked for form."""

    option_ids: list[int]
    provider_name: str
    provider_kind: ProviderKind
    procurement_route: ProcurementRoute
    value_pence: int
    start_date: date
    end_date: date
    review_date: date
    decided_on: date
    cabinet_member: str
    provider_group_id: int | None = None
    provider_is_sme: bool | None = None
    departure_reason: str | None = None
    status: DeliveryStatus = DeliveryStatus.PLANNED
    commitments: list[CommitmentDraft] = field(default_factory=list)


def can_be_decided(consultation: Consultation) -> bool:
    """Whether a decision may be recorded now: voting has closed and none is recorded yet."""
    return consultation.phase == Phase.CLOSED and consultation.decision is None


def check_draft(consultation: Consultation, draft: DecisionDraft) -> bool:
    """Refuse a draft the rules do not allow; return whether it departs from the vote."""
    if consultation.phase != Phase.CLOSED:
        raise CommissioningError("not_closed")
    if consultation.decision is not None:
        raise CommissioningError("already_decided")
    known = set(db.session.scalars(select(Option.id).where(Option.consultation_id == consultation.id)))
    if not draft.option_ids or not set(draft.option_ids) <= known:
        raise CommissioningError("options")
    if draft.end_date < draft.start_date:
        raise CommissioningError("end_before_start")
    if draft.review_date < draft.start_date:
        raise CommissioningError("review_before_start")
    if not 0 <= draft.value_pence <= MAX_PENCE:
        raise CommissioningError("value")
    if draft.provider_kind == ProviderKind.COMMUNITY_GROUP:
        group = db.session.get(Group, draft.provider_group_id) if draft.provider_group_id else None
        if group is None or group.hidden_at is not None:
            raise CommissioningError("group")
    measure_ids = [c.measure_id for c in draft.commitments]
    if len(set(measure_ids)) != len(measure_ids):
        raise CommissioningError("measure_twice")
    departs = departs_from(vote_choice(consultation), draft.option_ids)
    if departs and not (draft.departure_reason or "").strip():
        raise CommissioningError("reason_required")
    return departs


def record_decision(actor: User, consultation: Consultation, draft: DecisionDraft) -> CommissioningDecision:
    """Record what was commissioned after a closed consultation (refused whole if any rule fails)."""
    departs = check_draft(consultation, draft)
    options = list(db.session.scalars(select(Option).where(Option.id.in_(draft.option_ids))))
    measures = _measures([c.measure_id for c in draft.commitments])
    decision = CommissioningDecision(
        consultation=consultation,
        options=options,
        provider_name=draft.provider_name,
        provider_kind=draft.provider_kind,
        provider_group_id=draft.provider_group_id
        if draft.provider_kind == ProviderKind.COMMUNITY_GROUP
        else None,
        provider_is_sme=draft.provider_is_sme,
        procurement_route=draft.procurement_route,
        value_pence=draft.value_pence,
        start_date=draft.start_date,
        end_date=draft.end_date,
        review_date=draft.review_date,
        decided_on=draft.decided_on,
        cabinet_member=draft.cabinet_member,
        departs_from_vote=departs,
        departure_reason=sanitize.clean_text(draft.departure_reason).strip() if departs else None,
        status=draft.status,
        recorded_by_id=actor.id,
        commitments=[
            SocialValueCommitment(
                measure=measures[c.measure_id],
                target=c.target,
                is_enforceable=c.is_enforceable,
                note=(c.note or "").strip() or None,
            )
            for c in draft.commitments
        ],
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def _measures(ids: list[int]) -> dict[int, SocialValueMeasure]:
    found = {
        m.id: m for m in db.session.scalars(select(SocialValueMeasure).where(SocialValueMeasure.id.in_(ids)))
    }
    if set(ids) - set(found):
        raise CommissioningError("measure")
    return found


# Progress --------------------------------------------------------------------------------------


@dataclass
class ProgressDraft:
    """A progress update as typed: its date, status, note, and delivery so far by commitment id."""

    update_date: date
    status: DeliveryStatus
    note: str
    delivered: dict[int, Decimal] = field(default_factory=dict)


def post_update(
    actor: User, decision: CommissioningDecision, draft: ProgressDraft, notify: bool = True
) -> ProgressUpdate:
    """Post a dated progress update, move the decision to its status, and tell who took part
    (`notify=False` records history without news, as the demo does)."""
    if draft.update_date < decision.decided_on:
        raise CommissioningError("update_before_decision")
    ours = {c.id for c in decision.commitments}
    if not set(draft.delivered) <= ours or any(v < 0 for v in draft.delivered.values()):
        raise CommissioningError("delivered")
    note = sanitize.clean_text(draft.note).strip()
    update = ProgressUpdate(
        decision=decision,
        update_date=draft.update_date,
        status=draft.status,
        note=note,
        note_html=str(sanitize.render_markdown(note)),
        posted_by_id=actor.id,
        delivered=[
            CommitmentProgress(commitment_id=cid, delivered=value) for cid, value in draft.delivered.items()
        ],
    )
    db.session.add(update)
    latest = max([u.update_date for u in decision.updates if u is not update] or [date.min])
    if draft.update_date >= latest:
        decision.status = draft.status
    decision.updated_at = utcnow()
    db.session.flush()
    if notify:
        from participate.services import commissioning_notices

        commissioning_notices.tell_about_progress(decision, update)
    return update


def latest_delivery(commitment_ids) -> dict[int, Decimal]:
    """Social value delivered so far by commitment: the figure of each one's latest update."""
    ids = list(commitment_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(CommitmentProgress.commitment_id, CommitmentProgress.delivered)
        .join(ProgressUpdate, ProgressUpdate.id == CommitmentProgress.update_id)
        .where(CommitmentProgress.commitment_id.in_(ids))
        .order_by(CommitmentProgress.commitment_id, ProgressUpdate.update_date, ProgressUpdate.id)
    )
    latest: dict[int, Decimal] = {}
    for commitment_id, delivered in rows:
        latest[commitment_id] = Decimal(delivered)
    return latest


# The checklist ---------------------------------------------------------------------------------


def add_measure(actor: User, *, code: str, name: str, unit: str, theme: str | None) -> SocialValueMeasure:
    """Add an item to the community benefit checklist (codes are unique, whatever their case)."""
    code = code.strip()
    taken = db.session.scalar(
        select(SocialValueMeasure.id).where(db.func.lower(SocialValueMeasure.code) == code.lower())
    )
    if taken is not None:
        raise CommissioningError("code_taken")
    measure = SocialValueMeasure(
        code=code, name=name.strip(), unit=unit.strip(), theme=(theme or "").strip() or None, is_active=True
    )
    db.session.add(measure)
    db.session.flush()
    return measure


def set_measure_active(actor: User, measure: SocialValueMeasure, active: bool) -> None:
    """Offer a checklist item for new commitments again, or stop offering it (it is never deleted)."""
    measure.is_active = active
    db.session.flush()


def measures_in_use() -> set[int]:
    """The checklist items some commitment uses (these can be withdrawn, never deleted)."""
    return set(db.session.scalars(select(SocialValueCommitment.measure_id).distinct()))


def remove_measure(actor: User, measure: SocialValueMeasure) -> None:
    """Delete a checklist item nothing uses yet (a typo); one in use can only be withdrawn."""
    from participate.models.deliberation import option_social_values

    claimed = db.session.scalar(
        select(option_social_values.c.measure_id)
        .where(option_social_values.c.measure_id == measure.id)
        .limit(1)
    )
    if measure.id in measures_in_use() or claimed is not None:
        raise CommissioningError("measure_in_use")
    db.session.delete(measure)
    db.session.flush()
