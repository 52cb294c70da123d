"""Fixtures for the commissioning record: closed consultations with stored results, the checklist,
decisions made through the service, and the form answers an officer would type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.voting.conftest import BRIXTON, CLAPHAM, add_ballots, close, make_consultation  # noqa: F401

__all__ = ["BRIXTON", "CLAPHAM", "answers", "date_parts"]


@pytest.fixture
def checklist(app):
    """The shipped community benefit checklist, by code."""
    from sqlalchemy import select

    from participate.extensions import db
    from participate.models import SocialValueMeasure
    from participate.services.social_value import load_checklist

    load_checklist()
    db.session.commit()
    return {m.code: m for m in db.session.scalars(select(SocialValueMeasure))}


@pytest.fixture
def closed_vote(make_consultation):  # noqa: F811  (the fixture imported above)
    """A closed approval vote in Brixton: option 2 won (3 ballots to 1), with a stored result."""

    def factory(ward_codes=(BRIXTON,), costs=(1_000_00, 2_500_00, 900_00), **attrs):
        consultation = make_consultation(phase="voting", ward_codes=ward_codes, costs=list(costs), **attrs)
        ids = [o.id for o in consultation.options]
        add_ballots(consultation, [{ids[1]: 1}, {ids[1]: 1}, {ids[1]: 1, ids[0]: 1}, {ids[2]: 1}])
        return close(consultation)

    return factory


@pytest.fixture
def officer(make_user):
    return make_user(role="officer", name="Olu Officer")


def date_parts(prefix: str, day: date) -> dict:
    """A date as the three boxes of a GOV.UK date input."""
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def answers(option_ids, **overrides) -> dict:
    """What an officer types into the decision form (a valid decision by default)."""
    data = {
        "options": [str(i) for i in option_ids],
        "provider_kind": "voluntary_community",
        "provider_name": "Brixton Youth Trust",
        "provider_is_sme": "yes",
        "procurement_route": "grant",
        "value": "£1,234.57",
        "cabinet_member": "Cllr Ana Lopes, Cabinet Member for Young People",
        "status": "awarded",
        "departure_reason": "",
        **date_parts("start_date", date(2026, 5, 1)),
        **date_parts("end_date", date(2027, 4, 30)),
        **date_parts("review_date", date(2027, 3, 1)),
        **date_parts("decided_on", date(2026, 4, 20)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def decide(officer, checklist):
    """Record a decision through the service: decide(consultation, option_ids=None, **fields)."""
    from participate.extensions import db
    from participate.models import DeliveryStatus, ProcurementRoute, ProviderKind
    from participate.services import commissioning
    from participate.services.commissioning import CommitmentDraft, DecisionDraft

    def factory(consultation, option_ids=None, commitments=None, **fields):
        consultation = db.session.merge(consultation)
        chosen = option_ids if option_ids is not None else commissioning.vote_choice(consultation).option_ids
        defaults = {
            "provider_name": "Brixton Youth Trust",
            "provider_kind": ProviderKind.VOLUNTARY_COMMUNITY,
            "procurement_route": ProcurementRoute.GRANT,
            "value_pence": 123_457,
            "start_date": date(2026, 5, 1),
            "end_date": date(2027, 4, 30),
            "review_date": date(2027, 3, 1),
            "decided_on": date(2026, 4, 20),
            "cabinet_member": "Cllr Ana Lopes",
            "provider_is_sme": True,
            "status": DeliveryStatus.AWARDED,
        }
        defaults.update(fields)
        drafts = [
            CommitmentDraft(measure_id=checklist[code].id, target=Decimal(target), is_enforceable=enforceable)
            for code, target, enforceable in (
                commitments if commitments is not None else [("NT29", "120", True)]
            )
        ]
        decision = commissioning.record_decision(
            db.session.merge(officer),
            consultation,
            DecisionDraft(option_ids=list(chosen), commitments=drafts, **defaults),
        )
        db.session.commit()
        return decision

    return factory
