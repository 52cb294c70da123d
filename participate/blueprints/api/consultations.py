"""Consultations and their options in the API."""

from __future__ import annotations

from flask import abort, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participate.blueprints.api import LIST_PAGE_PARAM, absolute, bp, list_schema, page_of, paginated
from participate.extensions import db
from participate.models import Consultation, Option, Phase, Ward
from participate.services import consultations as consultation_service
from participate.services import options as option_service


def _iso(moment):
    return moment.isoformat() if moment else None


def consultation_json(consultation: Consultation, option_count: int) -> dict:
    """A consultation as the API shows it."""
    return {
        "id": consultation.id,
        "title": consultation.title,
        "outcome_statement": consultation.outcome_statement,
        "phase": consultation.phase.value,
        "is_borough_wide": consultation.is_borough_wide,
        "wards": [w.code for w in consultation.wards],
        "options_open_at": _iso(consultation.options_open_at),
        "voting_open_at": _iso(consultation.voting_open_at),
        "voting_close_at": _iso(consultation.voting_close_at),
        "method": consultation.method.value,
        "max_approvals": consultation.max_approvals,
        "credits": consultation.credits,
        "allow_negative": consultation.allow_negative,
        "budget_pence": consultation.budget_pence,
        "options_count": option_count,
        "proposal_url": absolute("proposals.show", proposal_id=consultation.proposal_id)
        if consultation.proposal_id
        else None,
        "options_url": absolute("api.consultation_options", consultation_id=consultation.id),
        "url": absolute("consultations.show", consultation_id=consultation.id),
    }


def option_json(option: Option, stances: dict) -> dict:
    """An option as the API shows it; a hidden one keeps only the moderator's reason."""
    shown = not option.is_hidden
    return {
        "id": option.id,
        "external_id": option.external_id,
        "title": option.title if shown else None,
        "description": option.description if shown else None,
        "provider_type": option.provider_type.value,
        "estimated_cost_pence": option.estimated_cost_pence,
        "status": option.status.value,
        "is_hidden": not shown,
        "hidden_reason": option.hidden_reason,
        "merged_into": option.merged_into_id,
        "ineligible_reason": option.ineligible_reason,
        "social_value": [{"code": m.code, "name": m.name} for m in option.social_values],
        "stances": {stance.value: count for stance, count in stances.items()},
        "url": absolute("consultations.option", consultation_id=option.consultation_id, option_id=option.id),
    }


def _get(consultation_id: int) -> Consultation:
    found = db.session.get(Consultation, consultation_id)
    if found is None:
        abort(404)
    return found


@bp.get("/consultations")
def consultations():
    """Every consultation, newest first; `?ward=` those concerning a ward, `?phase=` one phase."""
    query = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    code = request.args.get("ward", "")
    if code:
        ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
        if ward is None:
            abort(404)
        query = query.where(consultation_service.covering_ward(ward.id))
    phase = request.args.get("phase", "")
    if phase:
        if phase not in set(Phase):
            abort(400)
        query = query.where(Consultation.phase == phase)
    rows, more = page_of(query)
    counts = consultation_service.option_counts(c.id for c in rows)
    return paginated([consultation_json(c, counts.get(c.id, 0)) for c in rows], more, "api.consultations")


@bp.get("/consultations/<int:consultation_id>")
def consultation(consultation_id: int):
    """One consultation."""
    found = _get(consultation_id)
    return jsonify(consultation_json(found, consultation_service.option_counts([found.id]).get(found.id, 0)))


@bp.get("/consultations/<int:consultation_id>/options")
def consultation_options(consultation_id: int):
    """A consultation's options, with the stances their discussions take."""
    found = _get(consultation_id)
    rows, more = page_of(
        select(Option)
        .where(Option.consultation_id == found.id)
        .options(selectinload(Option.social_values))
        .order_by(Option.id)
    )
    stances = option_service.stance_counts(o.id for o in rows)
    return paginated(
        [option_json(o, stances[o.id]) for o in rows],
        more,
        "api.consultation_options",
        consultation_id=found.id,
    )


_URI = {"type": "string", "format": "uri"}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_INT = {"type": ["integer", "null"]}

OPENAPI_SCHEMAS = {
    "Consultation": {
        "type": "object",
        "required": ["id", "title", "phase", "method", "wards", "is_borough_wide", "url", "options_url"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "outcome_statement": {"type": "string", "description": "Markdown, as written"},
            "phase": {"type": "string", "enum": [p.value for p in Phase]},
            "is_borough_wide": {"type": "boolean"},
            "wards": {"type": "array", "items": {"type": "string"}, "description": "ONS codes in scope"},
            "options_open_at": _TIME,
            "voting_open_at": _TIME,
            "voting_close_at": _TIME,
            "method": {"type": "string", "enum": ["approval", "quadratic"]},
            "max_approvals": _NULLABLE_INT,
            "credits": {"type": "integer"},
            "allow_negative": {"type": "boolean"},
            "budget_pence": _NULLABLE_INT,
            "options_count": {"type": "integer", "description": "Options on the ballot"},
            "proposal_url": {"type": ["string", "null"], "format": "uri"},
            "options_url": _URI,
            "url": _URI,
        },
    },
    "ConsultationList": list_schema("#/components/schemas/Consultation"),
    "Option": {
        "type": "object",
        "required": ["id", "title", "provider_type", "status", "is_hidden", "stances", "url"],
        "properties": {
            "id": {"type": "integer"},
            "external_id": {"type": ["string", "null"]},
            "title": {"type": ["string", "null"], "description": "null when hidden by a moderator"},
            "description": {"type": ["string", "null"]},
            "provider_type": {
                "type": "string",
                "enum": [
                    "in_house",
                    "arms_length",
                    "private",
                    "social_enterprise",
                    "voluntary_community",
                    "community_led",
                ],
            },
            "estimated_cost_pence": _NULLABLE_INT,
            "status": {"type": "string", "enum": ["active", "merged", "ineligible"]},
            "is_hidden": {"type": "boolean"},
            "hidden_reason": {"type": ["string", "null"]},
            "merged_into": _NULLABLE_INT,
            "ineligible_reason": {"type": ["string", "null"]},
            "social_value": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "name"],
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                },
            },
            "stances": {
                "type": "object",
                "properties": {k: {"type": "integer"} for k in ("for", "against", "neutral")},
            },
            "url": _URI,
        },
    },
    "OptionList": list_schema("#/components/schemas/Option"),
}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


_ID = {"name": "consultation_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NOT_FOUND = _json("#/components/schemas/Error", "No such consultation")

OPENAPI_PATHS = {
    "/consultations": {
        "get": {
            "summary": "List consultations",
            "operationId": "listConsultations",
            "parameters": [
                LIST_PAGE_PARAM,
                {
                    "name": "ward",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "ONS code: consultations concerning this ward (and borough-wide ones).",
                },
                {
                    "name": "phase",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": [p.value for p in Phase]},
                },
            ],
            "responses": {
                "200": _json("#/components/schemas/ConsultationList", "A page of consultations"),
                "404": _json("#/components/schemas/Error", "No such ward"),
            },
        }
    },
    "/consultations/{consultation_id}": {
        "get": {
            "summary": "One consultation",
            "operationId": "getConsultation",
            "parameters": [_ID],
            "responses": {
                "200": _json("#/components/schemas/Consultation", "The consultation"),
                "404": _NOT_FOUND,
            },
        }
    },
    "/consultations/{consultation_id}/options": {
        "get": {
            "summary": "A consultation's options",
            "operationId": "listConsultationOptions",
            "parameters": [_ID, LIST_PAGE_PARAM],
            "responses": {
                "200": _json("#/components/schemas/OptionList", "A page of options"),
                "404": _NOT_FOUND,
            },
        }
    },
}
