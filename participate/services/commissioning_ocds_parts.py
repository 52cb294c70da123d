"""The sections of an OCDS release for one decision: planning (with the residents' vote), tender
(with its sustainability goals), and the contract (social value targets, delivery, milestones)."""

from __future__ import annotations

from decimal import Decimal

from participate.models import CommissioningDecision, DeliveryStatus, ProgressUpdate, SocialValueMeasure
from participate.services.commissioning_ocds import METHODS, ORDER, ROUTE_WORDS, _day, money

# Sustainability goals (sustainabilityGoal codelist) by measure code, then by words in its theme.
GOALS_BY_CODE = {
    "LBH-3": "social.laborRightsPromotion",
    "NT58": "social.laborRightsPromotion",
    "LBH-4": "economic.localEconomyPromotion",
    "NT18": "economic.localEconomyPromotion",
    "NT14": "social.smeInclusion",
    "LBH-5": "environmental.carbonEmissionsReduction",
    "NT31": "environmental.carbonEmissionsReduction",
    "NT32/NT33": "environmental.climateChangeMitigation",
    "NT43": "social.humanRightsInSupplyChains",
    "TOMS-1": "social.accessibility",
    "PPN-5": "social.accessibility",
}
GOALS_BY_THEME = [
    ("environment", "environmental"),
    ("climate", "environmental"),
    ("carbon", "environmental"),
    ("jobs", "economic.formalEmploymentPromotion"),
    ("employment", "economic.formalEmploymentPromotion"),
    ("growth", "economic.localEconomyPromotion"),
    ("economic", "economic"),
]
TENDER_STATUS = {
    DeliveryStatus.PLANNED: "planned",
    DeliveryStatus.PROCURING: "active",
}


def goal_of(measure: SocialValueMeasure) -> str:
    """The sustainability goal a checklist measure pursues."""
    if measure.code in GOALS_BY_CODE:
        return GOALS_BY_CODE[measure.code]
    theme = f"{measure.theme or ''} {measure.name}".lower()
    for word, goal in GOALS_BY_THEME:
        if word in theme:
            return goal
    return "social"


def planning(decision: CommissioningDecision, vote: dict) -> dict:
    """The planning section: the outcome residents wanted, the budget, and the vote behind it."""
    consultation = decision.consultation
    budget = consultation.budget_pence or decision.value_pence
    section = {
        "rationale": consultation.outcome_statement,
        "budget": {
            "id": f"consultation-{consultation.id}",
            "description": consultation.title,
            "amount": money(budget),
        },
        "documents": [
            {
                "id": "consultation",
                "documentType": "needsAssessment",
                "title": consultation.title,
                "url": vote["consultationUrl"],
                "language": "en",
            }
        ],
        "vote": {k: v for k, v in vote.items() if v is not None},
    }
    if vote.get("resultsUrl"):
        section["documents"].append(
            {
                "id": "result",
                "documentType": "evaluationReports",
                "title": "Result of the vote",
                "url": vote["resultsUrl"],
            }
        )
    return section


def tender(decision: CommissioningDecision, ocid: str) -> dict:
    """The tender section: how the provider is or was found, and the social value sought."""
    section = {
        "id": f"{ocid}-tender",
        "title": decision.consultation.title,
        "status": TENDER_STATUS.get(decision.status, "complete"),
        "procurementMethod": METHODS[decision.procurement_route],
        "procurementMethodDetails": ROUTE_WORDS[decision.procurement_route],
        "mainProcurementCategory": "services",
        "value": money(decision.value_pence),
        "items": [{"id": str(o.id), "description": o.title} for o in decision.options],
        "contractPeriod": {"startDate": _day(decision.start_date), "endDate": _day(decision.end_date)},
        "hasSustainability": bool(decision.commitments),
    }
    goals: dict[str, bool] = {}
    for commitment in decision.commitments:
        goal = goal_of(commitment.measure)
        goals[goal] = goals.get(goal, False) or commitment.is_enforceable
    if goals:
        section["sustainability"] = [
            {"goal": goal, **({"strategies": ["contractPerformanceConditions"]} if enforced else {})}
            for goal, enforced in goals.items()
        ]
    return section


def _observation(value: Decimal, measure: SocialValueMeasure, observation_id: str) -> dict:
    if measure.is_money:
        return {"id": observation_id, "value": money(int(value))}
    return {"id": observation_id, "measure": value.normalize() if value == value.to_integral() else value,
            "unit": {"name": measure.unit}}  # fmt: skip


def _metric(commitment, observations: list[dict]) -> dict:
    measure = commitment.measure
    enforce = (
        "Enforceable: the contract can be ended if it is not met."
        if commitment.is_enforceable
        else "Not enforceable."
    )
    description = f"{enforce} {commitment.note}" if commitment.note else enforce
    return {
        "id": measure.code,
        "title": measure.name,
        "description": description,
        "observations": observations,
    }


def _contract_status(decision: CommissioningDecision) -> str:
    if decision.status in (DeliveryStatus.COMPLETED, DeliveryStatus.TERMINATED):
        return "terminated"
    if decision.status == DeliveryStatus.AWARDED:
        return "pending"
    return "active"


def contract(
    decision: CommissioningDecision, ocid: str, award_id: str, updates: list[ProgressUpdate]
) -> dict:
    """The contract: value, period, social value targets and delivery, the review and each update."""
    reviewed = ORDER.index(decision.status) >= ORDER.index(DeliveryStatus.UNDER_REVIEW)
    section = {
        "id": f"{ocid}-contract",
        "awardID": award_id,
        "title": decision.consultation.title,
        "status": _contract_status(decision),
        "period": {"startDate": _day(decision.start_date), "endDate": _day(decision.end_date)},
        "value": money(decision.value_pence),
        "milestones": [
            {
                "id": "review",
                "title": "Review with residents",
                "type": "assessment",
                "dueDate": _day(decision.review_date),
                "status": "met" if reviewed else "scheduled",
            }
        ],
    }
    if decision.commitments:
        section["agreedMetrics"] = [
            _metric(c, [_observation(Decimal(c.target), c.measure, "target")]) for c in decision.commitments
        ]
    if updates:
        section["implementation"] = _implementation(decision, updates)
    return section


def _implementation(decision: CommissioningDecision, updates: list[ProgressUpdate]) -> dict:
    milestones = [
        {
            "id": f"update-{u.id}",
            "title": f"Progress update: {u.status.value.replace('_', ' ')}",
            "type": "reporting",
            "description": u.note,
            "dateMet": _day(u.update_date),
            "status": "met",
        }
        for u in updates
    ]
    by_commitment: dict[int, list[dict]] = {}
    for update in updates:
        for row in update.delivered:
            observation = _observation(Decimal(row.delivered), row.commitment.measure, f"update-{update.id}")
            observation["period"] = {"endDate": _day(update.update_date)}
            by_commitment.setdefault(row.commitment_id, []).append(observation)
    section = {"milestones": milestones}
    metrics = [_metric(c, by_commitment[c.id]) for c in decision.commitments if c.id in by_commitment]
    if metrics:
        section["metrics"] = metrics
    return section
