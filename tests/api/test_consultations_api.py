"""Consultations and options in the public API: paginated, filtered by ward, each with its page's
absolute address, and as the OpenAPI document describes them."""

from __future__ import annotations

import jsonschema
import pytest

from participate.extensions import db
from participate.models import OptionStatus, Phase, Stance, utcnow
from tests.deliberation_support import (
    HOME,
    OTHER,
    make_comment,
    make_consultation,
    make_option,
    make_proposal,
)


def _validate(client, data, schema_name):
    doc = client.get("/api/v1/openapi.json").json
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_consultations_are_listed_in_pages_with_their_page_address(client, wards, monkeypatch):
    import participate.blueprints.api as api

    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for n in range(3):
        make_consultation(wards=[wards[HOME]], title=f"Consultation {n}")
    db.session.commit()
    first = client.get("/api/v1/consultations").json
    _validate(client, first, "ConsultationList")
    assert len(first["items"]) == 2 and first["next"].endswith("/api/v1/consultations?page=2")
    item = first["items"][0]
    assert item["url"] == f"http://localhost/consultations/{item['id']}"
    assert item["options_url"] == f"http://localhost/api/v1/consultations/{item['id']}/options"
    second = client.get(first["next"].split("localhost", 1)[1]).json
    assert len(second["items"]) == 1 and second["next"] is None


def test_consultations_filter_by_ward_including_borough_wide_ones_and_by_phase(client, wards):
    make_consultation(wards=[wards[HOME]], title="Home")
    make_consultation(wards=[wards[OTHER]], title="Other", phase=Phase.VOTING)
    make_consultation(borough_wide=True, title="Everyone")
    db.session.commit()
    titles = {c["title"] for c in client.get(f"/api/v1/consultations?ward={HOME.lower()}").json["items"]}
    assert titles == {"Home", "Everyone"}
    voting = client.get("/api/v1/consultations?phase=voting").json["items"]
    assert [c["title"] for c in voting] == ["Other"] and voting[0]["wards"] == [OTHER]
    assert client.get("/api/v1/consultations?ward=E05999999").status_code == 404
    assert client.get("/api/v1/consultations?phase=sideways").status_code == 400


def test_one_consultation_with_its_settings_and_the_proposal_it_adopted(client, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    consultation = make_consultation(
        wards=[wards[HOME]], proposal_id=proposal.id, budget_pence=5_000_000, max_approvals=2
    )
    make_option(consultation, people["resident in ward"])
    make_option(consultation, people["resident in ward"], status=OptionStatus.INELIGIBLE)
    db.session.commit()
    found = client.get(f"/api/v1/consultations/{consultation.id}").json
    _validate(client, found, "Consultation")
    assert (found["method"], found["max_approvals"], found["budget_pence"]) == ("approval", 2, 5_000_000)
    assert found["options_count"] == 1 and found["phase"] == "options"
    assert found["proposal_url"] == f"http://localhost/proposals/{proposal.id}"
    assert client.get("/api/v1/consultations/999").json["status"] == 404


def test_options_carry_provider_cost_social_value_stances_and_hide_what_moderators_hid(client, people, wards):
    from participate.services.social_value import load_checklist

    load_checklist()
    from participate.models import SocialValueMeasure

    measure = db.session.scalar(db.select(SocialValueMeasure).where(SocialValueMeasure.code == "NT10"))
    consultation = make_consultation(wards=[wards[HOME]])
    option = make_option(
        consultation, people["resident in ward"], title="Youth club", estimated_cost_pence=120_000
    )
    option.social_values = [measure]
    make_comment(people["resident in ward"], option, stance=Stance.FOR)
    make_comment(people["councillor of this ward"], option, stance=Stance.AGAINST)
    make_option(
        consultation,
        people["resident in ward"],
        title="Something abusive",
        description="Abusive text",
        hidden_at=utcnow(),
        hidden_reason="Abuse",
    )
    db.session.commit()
    listing = client.get(f"/api/v1/consultations/{consultation.id}/options").json
    _validate(client, listing, "OptionList")
    shown, hidden = listing["items"]
    assert shown["url"] == f"http://localhost/consultations/{consultation.id}/options/{option.id}"
    assert (shown["provider_type"], shown["estimated_cost_pence"]) == ("community_led", 120_000)
    assert shown["social_value"] == [{"code": "NT10", "name": measure.name}]
    assert shown["stances"] == {"for": 1, "against": 1, "neutral": 0}
    assert hidden["is_hidden"] and hidden["title"] is None and hidden["description"] is None
    assert hidden["hidden_reason"] == "Abuse" and "Abusive" not in str(listing)


@pytest.mark.parametrize(
    "path", ["/consultations", "/consultations/{consultation_id}", "/consultations/{consultation_id}/options"]
)
def test_the_openapi_document_describes_the_consultation_endpoints(client, path):
    doc = client.get("/api/v1/openapi.json").json
    assert "get" in doc["paths"][path]
    jsonschema.Draft202012Validator.check_schema(doc["components"]["schemas"]["Consultation"])
