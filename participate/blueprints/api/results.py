"""Results and bulletin boards of consultations in the API."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user

from participate.blueprints.api import LIST_PAGE_PARAM, absolute, bp, page_number
from participate.extensions import db
from participate.models import Consultation
from participate.permissions.voting import can_view_bulletin_board, can_view_results
from participate.services import bulletin
from participate.services.results import counted_options, result_for, with_addresses

BOARD_PAGE_SIZE = 500
BOARD_PAGE_MAX = 2000


def _per_page() -> int:
    """Ballots per page: `?per_page=` between 1 and BOARD_PAGE_MAX, else BOARD_PAGE_SIZE."""
    try:
        return min(max(int(request.args.get("per_page", BOARD_PAGE_SIZE)), 1), BOARD_PAGE_MAX)
    except ValueError:
        return BOARD_PAGE_SIZE


def _consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    return consultation


@bp.get("/consultations/<int:consultation_id>/results")
def results(consultation_id: int):
    """The result of a consultation (final once closed; live only where the consultation says)."""
    consultation = _consultation(consultation_id)
    if not can_view_results(current_user, consultation):
        abort(403)
    return jsonify(with_addresses(result_for(consultation)))


@bp.get("/consultations/<int:consultation_id>/bulletin-board")
def bulletin_board(consultation_id: int):
    """Every ballot by receipt, a page at a time, with what a recount needs on every page."""
    consultation = _consultation(consultation_id)
    if not can_view_bulletin_board(current_user, consultation):
        abort(403)
    number, size = page_number(), _per_page()
    items, more = bulletin.page(consultation, number, size)
    for item in items:
        item["url"] = absolute("voting.receipt", consultation_id=consultation.id, receipt=item["receipt"])
    rules = bulletin.board_rules(consultation, counted_options(consultation))
    rules["url"] = absolute("voting.bulletin_board", consultation_id=consultation.id)
    rules["csv_url"] = absolute("voting.bulletin_board_csv", consultation_id=consultation.id)
    rules["results_url"] = absolute("api.results", consultation_id=consultation.id)
    return jsonify(
        consultation=rules,
        ballots=bulletin.count(consultation),
        items=items,
        next=absolute("api.bulletin_board", consultation_id=consultation.id, page=number + 1, per_page=size)
        if more
        else None,
    )


_ID = {"name": "consultation_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ERRORS = {
    "403": {
        "description": "Not public yet: results before voting closes (unless shown live), "
        "ballots before it closes",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "404": {
        "description": "No such consultation",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
}

OPENAPI_SCHEMAS = {
    "ResultOption": {
        "type": "object",
        "required": [
            "id",
            "external_id",
            "title",
            "votes",
            "votes_for",
            "votes_against",
            "rank",
            "cost_pence",
        ],
        "properties": {
            "id": {"type": "integer"},
            "external_id": {"type": ["string", "null"], "description": "e.g. the Pabulib project id"},
            "title": {"type": "string"},
            "votes": {"type": "integer", "description": "Approvals, or net votes (for minus against)"},
            "votes_for": {"type": "integer"},
            "votes_against": {"type": "integer"},
            "voters_for": {"type": "integer"},
            "voters_against": {"type": "integer"},
            "share_for": {"type": "number", "description": "Voters in favour / ballots"},
            "rank": {"type": "integer", "minimum": 1, "description": "Strict: ties broken by tie_break"},
            "tied_on_votes": {"type": "boolean"},
            "cost_pence": {"type": ["integer", "null"]},
        },
    },
    "BudgetRule": {
        "type": "object",
        "required": ["funded", "spent_pence", "not_funded"],
        "properties": {
            "funded": {"type": "array", "items": {"type": "integer"}, "description": "In the order chosen"},
            "spent_pence": {"type": "integer"},
            "not_funded": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "reason"],
                    "properties": {
                        "id": {"type": "integer"},
                        "reason": {
                            "type": "string",
                            "enum": [
                                "costs_more_than_budget",
                                "no_support",
                                "not_enough_budget_left",
                                "supporters_could_not_afford",
                                "no_cost_estimate",
                            ],
                        },
                    },
                },
            },
            "budget_increase_percent": {"type": ["integer", "null"]},
        },
    },
    "Result": {
        "type": "object",
        "required": ["consultation", "ballots", "eligible", "options", "tie_break", "by_ward"],
        "properties": {
            "consultation": {
                "type": "object",
                "required": ["id", "title", "method", "phase", "url"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "method": {"type": "string", "enum": ["approval", "quadratic"]},
                    "phase": {"type": "string", "enum": ["options", "voting", "closed"]},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            "ballots": {"type": "integer"},
            "eligible": {
                "type": ["integer", "null"],
                "description": "Null for a vote without an electorate here",
            },
            "turnout": {"type": ["number", "null"]},
            "options": {"type": "array", "items": {"$ref": "#/components/schemas/ResultOption"}},
            "tie_break": {"type": "string"},
            "by_ward": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ward", "ballots", "eligible", "options"],
                    "properties": {
                        "ward": {"type": "string", "description": "ONS code"},
                        "name": {"type": "string"},
                        "ballots": {"type": "integer"},
                        "eligible": {"type": ["integer", "null"]},
                        "turnout": {"type": ["number", "null"]},
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "votes"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "votes": {"type": "integer"},
                                    "rank": {"type": "integer"},
                                },
                            },
                        },
                    },
                },
            },
            "funded": {
                "type": "object",
                "description": "Only where the consultation has a budget",
                "required": ["greedy", "equal_shares"],
                "properties": {
                    "greedy": {"type": "array", "items": {"type": "integer"}},
                    "equal_shares": {"type": "array", "items": {"type": "integer"}},
                },
            },
            "budget": {
                "type": "object",
                "properties": {
                    "budget_pence": {"type": "integer"},
                    "greedy": {"$ref": "#/components/schemas/BudgetRule"},
                    "equal_shares": {"$ref": "#/components/schemas/BudgetRule"},
                },
            },
            "final": {"type": "boolean"},
            "computed_at": {"type": "string", "format": "date-time"},
        },
    },
    "BulletinBoard": {
        "type": "object",
        "required": ["consultation", "ballots", "items", "next"],
        "properties": {
            "consultation": {
                "type": "object",
                "description": "The rules of the count and the options, so the board alone can be recounted",
            },
            "ballots": {"type": "integer"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["receipt", "entries", "url"],
                    "properties": {
                        "receipt": {"type": "string"},
                        "url": {
                            "type": "string",
                            "format": "uri",
                            "description": "The ballot's receipt page",
                        },
                        "entries": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["option", "votes"],
                                "properties": {"option": {"type": "integer"}, "votes": {"type": "integer"}},
                            },
                        },
                    },
                },
            },
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    },
}

OPENAPI_PATHS = {
    "/consultations/{consultation_id}/results": {
        "get": {
            "summary": "The result of a consultation",
            "operationId": "getResults",
            "parameters": [_ID],
            "responses": {
                "200": {
                    "description": "The result",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}},
                },
                **_ERRORS,
            },
        }
    },
    "/consultations/{consultation_id}/bulletin-board": {
        "get": {
            "summary": "Every ballot of a closed consultation, by receipt",
            "operationId": "getBulletinBoard",
            "parameters": [
                _ID,
                LIST_PAGE_PARAM,
                {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": BOARD_PAGE_MAX,
                        "default": BOARD_PAGE_SIZE,
                    },
                    "description": "Ballots per page.",
                },
            ],
            "responses": {
                "200": {
                    "description": "A page of ballots",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/BulletinBoard"}}
                    },
                },
                **_ERRORS,
            },
        }
    },
}
