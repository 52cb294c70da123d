"""The commissioning record as open data: JSON items for the API, and the OCDS package, each built
from a few queries however many decisions there are. Addresses need a request (or SERVER_NAME)."""

from __future__ import annotations

from flask import current_app, url_for

from participate.extensions import db
from participate.models import CommissioningDecision
from participate.services import commissioning, commissioning_ocds, commissioning_record
from participate.services.commissioning import pounds, quantity
from participate.services.commissioning_record import Filters, financial_year, year_label


def consultation_page(consultation_id: int) -> str:
    """The absolute address of a consultation's page (its results where deliberation is not installed)."""
    if "consultations.show" in current_app.view_functions:
        return url_for("consultations.show", consultation_id=consultation_id, _external=True)
    return url_for("voting.results", consultation_id=consultation_id, _external=True)


def vote_summaries(decisions: list[CommissioningDecision]) -> dict[int, dict]:
    """For each decision's consultation: its pages, method, ballots, what the vote chose and whether
    the decision followed it (the OCDS `planning.vote`)."""
    choices = commissioning.vote_choices(d.consultation_id for d in decisions)
    summaries = {}
    for d in decisions:
        consultation, choice = d.consultation, choices[d.consultation_id]
        titles = {o.id: o.title for o in consultation.options}
        summaries[consultation.id] = {
            "consultationUrl": consultation_page(consultation.id),
            "resultsUrl": url_for("voting.results", consultation_id=consultation.id, _external=True),
            "method": consultation.method.value,
            "ballots": choice.ballots,
            "optionsChosen": [titles[i] for i in choice.option_ids if i in titles],
            "optionsCommissioned": [o.title for o in d.options],
            "followed": not d.departs_from_vote,
            "departureReason": d.departure_reason if d.departs_from_vote else None,
            "decidedBy": d.cabinet_member,
        }
    return summaries


def ocds_package(filters: Filters | None = None) -> dict:
    """The OCDS release package of the decisions matching the filters (every decision by default)."""
    decisions = list(
        db.session.scalars(commissioning_record.decisions_query(filters or Filters(), with_options=True))
    )
    decisions.sort(key=lambda d: d.id)
    updates = commissioning_record.updates_of(d.id for d in decisions)
    return commissioning_ocds.package(decisions, updates, vote_summaries(decisions))


def decision_json(d: CommissioningDecision, vote: dict, delivered: dict) -> dict:
    """One decision as the API shows it (money in pence, and in pounds as exact text)."""
    consultation = d.consultation
    return {
        "id": d.id,
        "url": url_for("commissioning.show", decision_id=d.id, _external=True),
        "ocid": commissioning_ocds.ocid_for(consultation.id),
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "url": vote["consultationUrl"],
            "results_url": vote["resultsUrl"],
            "wards": [w.code for w in consultation.wards],
            "is_borough_wide": consultation.is_borough_wide,
        },
        "vote": {
            "ballots": vote["ballots"],
            "options_chosen": vote["optionsChosen"],
            "followed": vote["followed"],
            "departure_reason": vote.get("departureReason"),
        },
        "options": [{"id": o.id, "title": o.title} for o in d.options],
        "provider": {
            "name": d.provider_name,
            "kind": d.provider_kind.value,
            "is_sme": d.provider_is_sme,
            "group_url": url_for("champions.group", group_id=d.provider_group_id, _external=True)
            if d.provider_group_id
            else None,
        },
        "procurement_route": d.procurement_route.value,
        "value_pence": d.value_pence,
        "value_gbp": pounds(d.value_pence),
        "start_date": d.start_date.isoformat(),
        "end_date": d.end_date.isoformat(),
        "review_date": d.review_date.isoformat(),
        "decided_on": d.decided_on.isoformat(),
        "financial_year": year_label(financial_year(d.decided_on)),
        "cabinet_member": d.cabinet_member,
        "status": d.status.value,
        "social_value": _social_value(d, delivered),
    }


def _social_value(d: CommissioningDecision, delivered: dict) -> list[dict]:
    return [
        {
            "code": c.measure.code,
            "measure": c.measure.name,
            "unit": c.measure.unit,
            "target": quantity(c.target, c.measure),
            "delivered": quantity(delivered[c.id], c.measure) if c.id in delivered else None,
            "is_enforceable": c.is_enforceable,
        }
        for c in d.commitments
    ]
