"""The borough report: for one financial year, where the money went (by provider kind and by
ward), the share to SMEs and to voluntary, community and social enterprise providers, social
value committed against delivered, and how often decisions followed the vote.

Sums are in integer pence. A decision for several wards is shared equally between them, the odd
pence going to the first wards by name, so the ward rows add up exactly to the total; a
borough-wide decision has a row of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from participate.extensions import db
from participate.models import CommissioningDecision, ProviderKind, SocialValueMeasure
from participate.services import commissioning, commissioning_record
from participate.services.commissioning_labels import VCSE_KINDS
from participate.services.commissioning_record import Filters, year_bounds, year_label

BOROUGH = "borough"


@dataclass
class SpendRow:
    """Spending under one heading: how many decisions, and how much."""

    key: str
    name: str
    decisions: int = 0
    pence: int = 0


@dataclass
class SocialValueRow:
    """One checklist measure across the year's contracts: committed, delivered so far."""

    measure: SocialValueMeasure
    commitments: int = 0
    enforceable: int = 0
    committed: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)

    @property
    def share(self) -> float | None:
        """Delivered as a share of committed (None for measures that are met or not, or no target)."""
        if self.measure.is_qualitative or not self.committed:
            return None
        return float(self.delivered / self.committed)


@dataclass
class Report:
    """Everything the borough report shows for one financial year."""

    year: int
    label: str
    first: date
    last: date
    decisions: list[CommissioningDecision]
    total_pence: int = 0
    by_kind: list[SpendRow] = field(default_factory=list)
    by_ward: list[SpendRow] = field(default_factory=list)
    sme_pence: int = 0
    not_sme_pence: int = 0
    vcse_pence: int = 0
    social_value: list[SocialValueRow] = field(default_factory=list)
    followed: int = 0
    departed: list[CommissioningDecision] = field(default_factory=list)

    @property
    def unknown_sme_pence(self) -> int:
        return self.total_pence - self.sme_pence - self.not_sme_pence

    def share(self, pence: int) -> float | None:
        """A part of the year's spending as a share of it."""
        return pence / self.total_pence if self.total_pence else None

    @property
    def followed_share(self) -> float | None:
        return self.followed / len(self.decisions) if self.decisions else None


def split_pence(pence: int, parts: int) -> list[int]:
    """Share an amount between parts exactly: equal shares, the odd pence to the first parts."""
    base, extra = divmod(pence, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _by_ward(decisions) -> list[SpendRow]:
    rows: dict[str, SpendRow] = {}
    for d in decisions:
        consultation = d.consultation
        if consultation.is_borough_wide or not consultation.wards:
            shares = [(BOROUGH, "", d.value_pence)]
        else:
            wards = sorted(consultation.wards, key=lambda w: w.name)
            shares = [
                (w.code, w.name, p)
                for w, p in zip(wards, split_pence(d.value_pence, len(wards)), strict=True)
            ]
        for code, name, pence in shares:
            row = rows.setdefault(code, SpendRow(code, name))
            row.decisions += 1
            row.pence += pence
    return sorted(rows.values(), key=lambda r: (r.key == BOROUGH, -r.pence, r.name))


def _by_kind(decisions) -> list[SpendRow]:
    rows = {k: SpendRow(k.value, k.value) for k in ProviderKind}
    for d in decisions:
        rows[d.provider_kind].decisions += 1
        rows[d.provider_kind].pence += d.value_pence
    return sorted((r for r in rows.values() if r.decisions), key=lambda r: (-r.pence, r.key))


def _social_value(decisions) -> list[SocialValueRow]:
    commitments = [c for d in decisions for c in d.commitments]
    delivered = commissioning.latest_delivery(c.id for c in commitments)
    rows: dict[int, SocialValueRow] = {}
    for c in commitments:
        row = rows.setdefault(c.measure_id, SocialValueRow(c.measure))
        row.commitments += 1
        row.enforceable += int(c.is_enforceable)
        row.committed += Decimal(c.target)
        row.delivered += delivered.get(c.id, Decimal(0))
    return sorted(rows.values(), key=lambda r: r.measure.code.lower())


def build(year: int) -> Report:
    """The report of one financial year (named by the year it starts)."""
    first, last = year_bounds(year)
    decisions = list(db.session.scalars(commissioning_record.decisions_query(Filters(year=year))))
    report = Report(year=year, label=year_label(year), first=first, last=last, decisions=decisions)
    report.total_pence = sum(d.value_pence for d in decisions)
    report.by_kind = _by_kind(decisions)
    report.by_ward = _by_ward(decisions)
    report.sme_pence = sum(d.value_pence for d in decisions if d.provider_is_sme is True)
    report.not_sme_pence = sum(d.value_pence for d in decisions if d.provider_is_sme is False)
    report.vcse_pence = sum(d.value_pence for d in decisions if d.provider_kind in VCSE_KINDS)
    report.social_value = _social_value(decisions)
    report.departed = [d for d in decisions if d.departs_from_vote]
    report.followed = len(decisions) - len(report.departed)
    return report
