"""Wards in the API."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from participate.blueprints.api import LIST_PAGE_PARAM, absolute, bp, list_schema, page_of, paginated
from participate.extensions import db
from participate.models import Ward


def ward_json(ward: Ward) -> dict:
    """A ward as the API shows it."""
    return {
        "code": ward.code,
        "name": ward.name,
        "councillors": ward.councillors,
        "is_current": ward.is_current,
        "url": absolute("wards.show", code=ward.code),
    }


@bp.get("/wards")
def wards():
    """Every ward, current ones first, by name."""
    rows, more = page_of(select(Ward).order_by(Ward.is_current.desc(), Ward.name))
    return paginated([ward_json(w) for w in rows], more, "api.wards")


@bp.get("/wards/<code>")
def ward(code: str):
    """One ward by its ONS code."""
    found = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
    if found is None:
        abort(404)
    return jsonify(ward_json(found))


OPENAPI_SCHEMAS = {
    "Ward": {
        "type": "object",
        "required": ["code", "name", "url", "is_current"],
        "properties": {
            "code": {"type": "string", "description": "ONS (GSS) code", "pattern": "^[A-Z][0-9]{8}$"},
            "name": {"type": "string"},
            "councillors": {"type": ["integer", "null"]},
            "is_current": {"type": "boolean"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "WardList": list_schema("#/components/schemas/Ward"),
    "Error": {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    },
}

OPENAPI_PATHS = {
    "/wards": {
        "get": {
            "summary": "List wards",
            "operationId": "listWards",
            "parameters": [LIST_PAGE_PARAM],
            "responses": {
                "200": {
                    "description": "A page of wards",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WardList"}}},
                }
            },
        }
    },
    "/wards/{code}": {
        "get": {
            "summary": "One ward",
            "operationId": "getWard",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "The ward",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ward"}}},
                },
                "404": {
                    "description": "No such ward",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        }
    },
}
