"""Champion and group figures in the API, by ward, matching their OpenAPI description."""

from __future__ import annotations

from datetime import timedelta

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from participate.extensions import db
from participate.models import Rsvp, utcnow
from tests.champions_factories import join, make_champion, make_event, make_group


def _validator(doc, name):
    """A validator for one schema of the OpenAPI document (its $refs resolved within it)."""
    resource = Resource.from_contents({"components": doc["components"]}, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:participate", resource)
    schema = {"$ref": f"urn:participate#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _borough(make_user):
    organiser = make_user(wards=["E05014098"])
    make_champion(organiser, public=False)
    group = make_group(organiser, wards=("E05014098", "E05014101"))
    member = make_user(wards=["E05014101"])
    join(member, group)
    held = make_event(group, organiser, starts_at=utcnow() - timedelta(days=2))
    db.session.add(Rsvp(event_id=held.id, user_id=make_user(wards=["E05014110"]).id, status="going"))
    db.session.commit()


def test_borough_figures_and_figures_by_ward(client, make_user):
    _borough(make_user)
    totals = client.get("/api/v1/champions/figures").json
    assert (totals["champions"], totals["groups"], totals["residents_involved"], totals["events_held"]) == (
        1,
        1,
        3,
        1,
    )
    assert totals["by_ward"] == "http://localhost/api/v1/champions/figures/wards"
    page = client.get("/api/v1/champions/figures/wards").json
    assert page["next"] is None and len(page["items"]) == 25
    by_code = {item["ward"]: item for item in page["items"]}
    assert by_code["E05014098"] == {
        "ward": "E05014098",
        "name": "Brixton Windrush",
        "champions": 1,
        "groups": 1,
        "residents_involved": 1,
        "events_held": 1,
        "url": "http://localhost/wards/E05014098",
    }
    assert (by_code["E05014101"]["groups"], by_code["E05014101"]["residents_involved"]) == (1, 1)
    assert by_code["E05014110"]["residents_involved"] == 1


def test_figures_by_ward_are_paginated(client, make_user, monkeypatch):
    import participate.blueprints.api as api
    import participate.blueprints.api.champions as module

    monkeypatch.setattr(api, "PAGE_SIZE", 10)
    monkeypatch.setattr(module, "PAGE_SIZE", 10)
    first = client.get("/api/v1/champions/figures/wards").json
    assert len(first["items"]) == 10 and first["next"].endswith("/api/v1/champions/figures/wards?page=2")
    third = client.get("/api/v1/champions/figures/wards?page=3").json
    assert len(third["items"]) == 5 and third["next"] is None


def test_responses_match_the_openapi_description(client, make_user):
    _borough(make_user)
    doc = client.get("/api/v1/openapi.json").json
    assert {"/champions/figures", "/champions/figures/wards"} <= set(doc["paths"])
    _validator(doc, "ChampionFigures").validate(client.get("/api/v1/champions/figures").json)
    _validator(doc, "WardChampionFiguresList").validate(client.get("/api/v1/champions/figures/wards").json)
