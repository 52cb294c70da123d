"""The record as an OCDS 1.1 release package: valid against the schemas with their extensions,
stable ocids, exact amounts, and the `export-ocds` command."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.commissioning.conftest import BRIXTON


def _validator():
    """A validator of release packages whose releases are checked against the extended schema."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    from participate.services.commissioning_ocds import package_schema, release_schema

    release = release_schema()
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package_schema(), registry=registry)


def _export(client, query="") -> tuple[dict, str]:
    response = client.get(f"/api/v1/commissioning/ocds.json{query}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    return json.loads(text, parse_float=Decimal), text


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        # The examples of RFC 7386, appendix A.
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_follows_rfc_7386(target, patch, result):
    from participate.services.commissioning_ocds import merge_patch

    original = json.dumps(target)
    assert merge_patch(target, patch) == result
    assert json.dumps(target) == original  # the target is not changed in place


def test_extended_release_schema_has_every_extension_s_fields(app):
    from participate.services.commissioning_ocds import release_schema

    schema = release_schema()
    definitions = schema["definitions"]
    assert "agreedMetrics" in definitions["Contract"]["properties"]  # metrics
    assert "sustainability" in definitions["Tender"]["properties"]  # sustainability
    assert "scale" in definitions["Organization"]["properties"]["details"]["properties"]  # partyScale
    assert "vote" in definitions["Planning"]["properties"]  # the local extension
    # The base schema's own fields survive the patches.
    assert "milestones" in definitions["Contract"]["properties"]


def test_package_validates_against_the_release_package_schema_with_extensions(
    client, app, closed_vote, decide, make_user
):
    from participate.models import DeliveryStatus

    planned = decide(closed_vote(title="Lights"), status=DeliveryStatus.PLANNED, provider_is_sme=None)
    awarded = decide(
        closed_vote(title="Youth hub"),
        commitments=[("NT29", "120", True), ("NT18", "500000", False), ("LBH-1", "1", True)],
    )
    trees = closed_vote(title="Trees")
    departed = decide(
        trees,
        option_ids=[trees.options[0].id],
        departure_reason="The site was sold.",
        status=DeliveryStatus.TERMINATED,
        provider_is_sme=False,
        commitments=[],
    )
    _post_update(awarded)
    package, _text = _export(client)
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    by_ocid = {r["ocid"]: r for r in package["releases"]}
    assert by_ocid[f"ocds-participate-lambeth-{planned.consultation_id}"]["tag"] == ["planning"]
    release = by_ocid[f"ocds-participate-lambeth-{awarded.consultation_id}"]
    assert release["tag"] == ["planning", "tender", "award", "contract", "implementation"]
    roles = {p["id"]: p["roles"] for p in release["parties"]}
    assert release["buyer"]["id"] in roles and "buyer" in roles[release["buyer"]["id"]]
    supplier = next(p for p in release["parties"] if "supplier" in p["roles"])
    assert supplier["details"]["scale"] == "sme" and supplier["name"] == "Brixton Youth Trust"
    contract = release["contracts"][0]
    assert {m["id"] for m in contract["agreedMetrics"]} == {"NT29", "NT18", "LBH-1"}
    assert contract["implementation"]["milestones"][0]["type"] == "reporting"
    assert release["tender"]["hasSustainability"] is True
    assert release["planning"]["vote"]["followed"] is True
    gone = by_ocid[f"ocds-participate-lambeth-{departed.consultation_id}"]
    assert gone["tag"][-1] == "contractTermination" and gone["contracts"][0]["status"] == "terminated"
    assert gone["planning"]["vote"]["departureReason"] == "The site was sold."
    assert next(p for p in gone["parties"] if "supplier" in p["roles"])["details"]["scale"] == "large"


def _post_update(decision, status="delivering", delivered=None):
    from datetime import date

    from flask import current_app

    from participate.extensions import db
    from participate.models import DeliveryStatus, User
    from participate.services import commissioning
    from participate.services.commissioning import ProgressDraft

    decision = db.session.merge(decision)
    officer = db.session.scalar(
        __import__("sqlalchemy").select(User).where(User.display_name == "Olu Officer")
    )
    values = delivered or {decision.commitments[0].id: Decimal("45")}
    # Updates are posted from a page: the notifications link to it.
    with current_app.test_request_context("/"):
        commissioning.post_update(
            officer, decision, ProgressDraft(date(2026, 9, 1), DeliveryStatus(status), "Going well.", values)
        )
    db.session.commit()


def test_ocids_are_stable_across_exports_and_release_ids_change_with_the_record(
    client, app, closed_vote, decide, runner, tmp_path
):
    first = decide(closed_vote(title="Youth hub"))
    second = decide(closed_vote(title="Trees", ward_codes=(BRIXTON,)))
    one, text_one = _export(client)
    two, text_two = _export(client)
    assert text_one == text_two  # an unchanged record exports identically
    ocids = {r["ocid"] for r in one["releases"]}
    assert ocids == {
        f"ocds-participate-lambeth-{first.consultation_id}",
        f"ocds-participate-lambeth-{second.consultation_id}",
    }
    ids_before = {r["ocid"]: r["id"] for r in one["releases"]}
    _post_update(first)
    three, _ = _export(client)
    assert {r["ocid"] for r in three["releases"]} == ocids
    ids_after = {r["ocid"]: r["id"] for r in three["releases"]}
    changed = f"ocds-participate-lambeth-{first.consultation_id}"
    assert ids_after[changed] != ids_before[changed]
    unchanged = f"ocds-participate-lambeth-{second.consultation_id}"
    assert ids_after[unchanged] == ids_before[unchanged]
    out = tmp_path / "record.json"
    assert runner.invoke(args=["export-ocds", "--output", str(out)]).exit_code == 0
    assert {r["ocid"] for r in json.loads(out.read_text())["releases"]} == ocids


def test_ocid_prefix_and_council_come_from_the_settings(make_app, wards, closed_vote, decide):
    decision = decide(closed_vote())
    other = make_app(OCDS_PREFIX="ocds-a1b2c3-", OCDS_COUNCIL_ID="lbh", OCDS_BUYER_ID="GB-LAE-LBH")
    from tests.support import Client

    package, _ = _export(Client(other))
    (release,) = package["releases"]
    assert release["ocid"] == f"ocds-a1b2c3-lbh-{decision.consultation_id}"
    assert release["buyer"]["id"] == "GB-LAE-LBH"
    buyer = next(p for p in release["parties"] if p["id"] == "GB-LAE-LBH")
    assert buyer["identifier"] == {"scheme": "GB-LAE", "id": "LBH"}


def test_export_ocds_writes_to_standard_output(runner, closed_vote, decide):
    decision = decide(closed_vote())
    result = runner.invoke(args=["export-ocds"])
    assert result.exit_code == 0
    package = json.loads(result.output, parse_float=Decimal)
    assert package["version"] == "1.1"
    assert package["releases"][0]["ocid"].endswith(f"-{decision.consultation_id}")
