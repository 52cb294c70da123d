"""The commissioning record in the API: decisions (by ward, status and financial year) and the
whole record as an Open Contracting Data Standard release package."""

from __future__ import annotations

import re

from flask import Response, abort, jsonify, request
from sqlalchemy import select

from participate.blueprints.api import LIST_PAGE_PARAM, bp, list_schema, page_of, paginated
from participate.extensions import db
from participate.models import CommissioningDecision, DeliveryStatus, Ward
from participate.services import commissioning, commissioning_record
from participate.services import commissioning_ocds as ocds
from participate.services.commissioning_export import decision_json, ocds_package, vote_summaries
from participate.services.commissioning_record import MAX_YEAR, MIN_YEAR, Filters

WARD_CODE = re.compile(r"^[A-Za-z][0-9]{8}$")


def _filters() -> Filters:
    """The ward (ONS code), status and financial year asked for: 400 when malformed, 404 for a
    ward that does not exist."""
    code, status, year = (request.args.get(k, "") for k in ("ward", "status", "year"))
    ward = None
    if code:
        if not WARD_CODE.match(code):
            abort(400, description="ward must be an ONS ward code, like E05014098")
        ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
        if ward is None:
            abort(404, description="no such ward")
    if status and status not in set(DeliveryStatus):
        abort(400, description="unknown status")
    if year and not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        abort(400, description=f"year must be the year a financial year starts, {MIN_YEAR} to {MAX_YEAR}")
    return Filters(
        ward=ward, status=DeliveryStatus(status) if status else None, year=int(year) if year else None
    )


def _items(decisions: list[CommissioningDecision]) -> list[dict]:
    votes = vote_summaries(decisions)
    delivered = commissioning.latest_delivery(c.id for d in decisions for c in d.commitments)
    return [decision_json(d, votes[d.consultation_id], delivered) for d in decisions]


@bp.get("/commissioning")
def commissioning_list():
    """Commissioning decisions, latest first."""
    decisions, more = page_of(commissioning_record.decisions_query(_filters(), with_options=True))
    return paginated(_items(list(decisions)), more, "api.commissioning_list")


@bp.get("/commissioning/<int:decision_id>")
def commissioning_decision(decision_id: int):
    """One commissioning decision."""
    decision = db.session.get(CommissioningDecision, decision_id)
    if decision is None:
        abort(404)
    return jsonify(_items([decision])[0])


@bp.get("/commissioning/ocds.json")
def commissioning_ocds():
    """The record as an OCDS 1.1 release package (narrowed by the same filters)."""
    body = ocds.dumps(ocds_package(_filters()))
    return Response(body, mimetype="application/json")


@bp.get("/commissioning/ocds/extension.json")
def commissioning_ocds_extension():
    """The local OCDS extension the package declares."""
    return jsonify(ocds.local_extension())


@bp.get("/commissioning/ocds/release-schema.json")
def commissioning_ocds_extension_schema():
    """The local extension's release schema patch."""
    return jsonify(ocds.local_extension_schema())


FILTER_PARAMS = [
    {
        "name": "ward",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "pattern": "^[A-Za-z][0-9]{8}$"},
        "description": "A ward's ONS code: decisions for that ward and borough-wide ones.",
    },
    {
        "name": "status",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": [s.value for s in DeliveryStatus]},
    },
    {
        "name": "year",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        "description": "A financial year by the year it starts: 2026 is 1 April 2026 to 31 March 2027.",
    },
]

OPENAPI_PATHS = {
    "/commissioning": {
        "get": {
            "summary": "Commissioning decisions, latest first",
            "parameters": [LIST_PAGE_PARAM, *FILTER_PARAMS],
            "responses": {
                "200": {
                    "description": "A page of decisions",
                    "content": {
                        "application/json": {
                            "schema": list_schema("#/components/schemas/CommissioningDecision")
                        }
                    },
                },
                "400": {"description": "A malformed ward code, an unknown status or a year out of range"},
                "404": {"description": "No such ward"},
            },
        }
    },
    "/commissioning/{decision_id}": {
        "get": {
            "summary": "One commissioning decision",
            "parameters": [
                {"name": "decision_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {
                    "description": "The decision",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/CommissioningDecision"}}
                    },
                },
                "404": {"description": "No such decision"},
            },
        }
    },
    "/commissioning/ocds.json": {
        "get": {
            "summary": "The commissioning record as an Open Contracting Data Standard 1.1 release package",
            "parameters": FILTER_PARAMS,
            "responses": {
                "200": {
                    "description": "An OCDS release package",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": {"description": "A malformed ward code, an unknown status or a year out of range"},
                "404": {"description": "No such ward"},
            },
        }
    },
}

OPENAPI_SCHEMAS = {
    "CommissioningDecision": {
        "type": "object",
        "required": [
            "id",
            "url",
            "ocid",
            "consultation",
            "vote",
            "provider",
            "value_pence",
            "value_gbp",
            "status",
            "social_value",
        ],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "ocid": {"type": "string"},
            "consultation": {"type": "object"},
            "vote": {
                "type": "object",
                "description": "What the vote chose and whether the decision followed it "
                "(with the reason when not).",
            },
            "options": {"type": "array", "items": {"type": "object"}},
            "provider": {"type": "object"},
            "procurement_route": {"type": "string"},
            "value_pence": {"type": "integer", "minimum": 0},
            "value_gbp": {"type": "string", "description": 'The value in pounds, exactly, like "1234.57".'},
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "review_date": {"type": "string", "format": "date"},
            "decided_on": {"type": "string", "format": "date"},
            "financial_year": {"type": "string"},
            "cabinet_member": {"type": "string"},
            "status": {"type": "string", "enum": [s.value for s in DeliveryStatus]},
            "social_value": {"type": "array", "items": {"type": "object"}},
        },
    }
}
