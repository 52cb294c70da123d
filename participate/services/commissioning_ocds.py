"""The commissioning record as an Open Contracting Data Standard 1.1 release package.

One release per decision (see participate/data/ocds/README.md for the mapping). Amounts are
written from the stored pence as JSON numbers with exactly two decimal places: `dumps` writes
Decimal values as they are, never through binary floating point.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app, url_for

from participate.models import CommissioningDecision, DeliveryStatus, ProcurementRoute, ProgressUpdate
from participate.services.commissioning import pounds

DATA = Path(__file__).resolve().parent.parent / "data" / "ocds"
VERSION = "1.1"
# The official extensions used, by their registered addresses, and the local one (served by the API).
EXTENSIONS = {
    "metrics": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/1.1/extension.json",
    "sustainability": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_sustainability_extension/master/extension.json",
    "partyScale": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
}
LOCAL_EXTENSION = "participate"

ORDER = list(DeliveryStatus)
METHODS = {
    ProcurementRoute.DIRECT_AWARD: "direct",
    ProcurementRoute.QUOTATION: "limited",
    ProcurementRoute.OPEN_TENDER: "open",
    ProcurementRoute.RESTRICTED_TENDER: "selective",
    ProcurementRoute.FRAMEWORK: "selective",
    ProcurementRoute.GRANT: "direct",
}
ROUTE_WORDS = {
    ProcurementRoute.DIRECT_AWARD: "Direct award",
    ProcurementRoute.QUOTATION: "Quotation",
    ProcurementRoute.OPEN_TENDER: "Open tender",
    ProcurementRoute.RESTRICTED_TENDER: "Restricted tender",
    ProcurementRoute.FRAMEWORK: "Call-off from a framework",
    ProcurementRoute.GRANT: "Grant",
}


# Schemas ---------------------------------------------------------------------------------------


def merge_patch(target, patch):
    """Apply a JSON Merge Patch (RFC 7386) to a document and return the result (inputs untouched)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _load(*parts: str) -> dict:
    return json.loads((DATA.joinpath(*parts)).read_text(encoding="utf-8"))


def release_schema() -> dict:
    """The OCDS 1.1.5 release schema with every extension the package declares applied."""
    schema = _load("release-schema.json")
    for name in [*EXTENSIONS, LOCAL_EXTENSION]:
        schema = merge_patch(schema, _load("extensions", name, "release-schema.json"))
    return schema


def package_schema() -> dict:
    """The OCDS 1.1.5 release package schema."""
    return _load("release-package-schema.json")


def local_extension() -> dict:
    """The local extension's metadata (served beside the package)."""
    return _load("extensions", LOCAL_EXTENSION, "extension.json")


def local_extension_schema() -> dict:
    """The local extension's patch of the release schema (served beside its metadata)."""
    return _load("extensions", LOCAL_EXTENSION, "release-schema.json")


# Writing ---------------------------------------------------------------------------------------


def money(pence: int) -> dict:
    """An OCDS Value in GBP: the amount in pounds with exactly two decimal places."""
    return {"amount": Decimal(pounds(pence)), "currency": "GBP"}


def dumps(document, indent: int | None = 2) -> str:
    """JSON with Decimal values written exactly as numbers (1234.50 stays 1234.50)."""
    marker = "\u0000decimal:"

    def encode(value):
        if isinstance(value, Decimal):
            return marker + format(value, "f")
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    text = json.dumps(document, default=encode, ensure_ascii=False, indent=indent)
    return re.sub(r'"\\u0000decimal:(-?\d+(?:\.\d+)?)"', r"\1", text)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def ocid_for(consultation_id: int) -> str:
    """The stable Open Contracting ID of the commissioning process that began with a consultation."""
    config = current_app.config
    return f"{config['OCDS_PREFIX']}{config['OCDS_COUNCIL_ID']}-{consultation_id}"


def changed_at(decision: CommissioningDecision) -> datetime:
    """When the decision or its progress last changed (a release changes only then)."""
    return decision.updated_at or decision.created_at


def tags(decision: CommissioningDecision, has_updates: bool) -> list[str]:
    """The release tags its delivery status calls for."""
    reached = ORDER.index(decision.status)
    found = ["planning"]
    if reached >= ORDER.index(DeliveryStatus.PROCURING):
        found.append("tender")
    if reached >= ORDER.index(DeliveryStatus.AWARDED):
        found += ["award", "contract"]
    if has_updates and reached >= ORDER.index(DeliveryStatus.DELIVERING):
        found.append("implementation")
    if decision.status == DeliveryStatus.TERMINATED:
        found.append("contractTermination")
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "provider"


def _parties(decision: CommissioningDecision) -> tuple[dict, dict]:
    config = current_app.config
    buyer_id = config["OCDS_BUYER_ID"] or config["OCDS_COUNCIL_ID"]
    buyer = {
        "id": buyer_id,
        "name": f"{config['COUNCIL_NAME']} Council",
        "roles": ["buyer", "procuringEntity"],
    }
    if buyer_id.startswith("GB-LAE-"):
        buyer["identifier"] = {"scheme": "GB-LAE", "id": buyer_id.removeprefix("GB-LAE-")}
    if decision.provider_group_id:
        supplier_id = f"{config['OCDS_COUNCIL_ID']}-group-{decision.provider_group_id}"
    else:
        supplier_id = f"{config['OCDS_COUNCIL_ID']}-provider-{_slug(decision.provider_name)}"
    supplier = {"id": supplier_id, "name": decision.provider_name, "roles": ["supplier"]}
    details = {"providerKind": decision.provider_kind.value}
    if decision.provider_is_sme is not None:
        details["scale"] = "sme" if decision.provider_is_sme else "large"
    supplier["details"] = details
    return buyer, supplier


def build_release(decision: CommissioningDecision, updates: list[ProgressUpdate], vote: dict) -> dict:
    """One decision as an OCDS release (`vote`: what `vote_summary` says about its consultation)."""
    from participate.services.commissioning_ocds_parts import contract, planning, tender

    ocid = ocid_for(decision.consultation_id)
    moment = changed_at(decision)
    found = tags(decision, bool(updates))
    buyer, supplier = _parties(decision)
    release = {
        "ocid": ocid,
        "id": f"{ocid}-{moment.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}",
        "date": _stamp(moment),
        "tag": found,
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer] + ([supplier] if "award" in found else []),
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "planning": planning(decision, vote),
    }
    if "tender" in found or "award" in found:
        release["tender"] = tender(decision, ocid)
    if "award" in found:
        reference = {"id": supplier["id"], "name": supplier["name"]}
        award_id = f"{ocid}-award"
        release["awards"] = [
            {
                "id": award_id,
                "title": decision.consultation.title,
                "status": "active",
                "date": _day(decision.decided_on),
                "value": money(decision.value_pence),
                "suppliers": [reference],
                "contractPeriod": {
                    "startDate": _day(decision.start_date),
                    "endDate": _day(decision.end_date),
                },
            }
        ]
        release["contracts"] = [contract(decision, ocid, award_id, updates)]
    return release


def package(decisions, updates_by_decision: dict, votes: dict) -> dict:
    """The release package of these decisions; publishedDate is the latest change, so repeated
    exports of an unchanged record are identical."""
    config = current_app.config
    releases = [
        build_release(d, updates_by_decision.get(d.id, []), votes.get(d.consultation_id, {}))
        for d in decisions
    ]
    latest = max((changed_at(d) for d in decisions), default=datetime(2000, 1, 1, tzinfo=UTC))
    return {
        "uri": url_for("api.commissioning_ocds", _external=True),
        "version": VERSION,
        "extensions": [*EXTENSIONS.values(), url_for("api.commissioning_ocds_extension", _external=True)],
        "publishedDate": _stamp(latest),
        "publisher": {
            "name": f"{config['COUNCIL_NAME']} Council",
            "uri": url_for("commissioning.index", _external=True),
        },
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publicationPolicy": url_for("commissioning.index", _external=True),
        "releases": releases,
    }
