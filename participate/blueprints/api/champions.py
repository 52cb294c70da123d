"""Champion and group figures in the API: the borough's, and each ward's. No person is named here."""

from __future__ import annotations

from flask import jsonify

from participate.blueprints.api import (
    LIST_PAGE_PARAM,
    PAGE_SIZE,
    absolute,
    bp,
    list_schema,
    page_number,
    paginated,
)
from participate.services import figures

DEFINITIONS = (
    "champions: residents who answered the open call and have not stepped down; groups: groups that "
    "are neither archived nor hidden by a moderator; residents_involved: distinct people who are "
    "members of a group or had a place at an event that has taken place; events_held: events that "
    "have started and were not cancelled."
)


def _numbers(f: figures.Figures) -> dict:
    return {
        "champions": f.champions,
        "groups": f.groups,
        "residents_involved": f.residents,
        "events_held": f.events_held,
    }


@bp.get("/champions/figures")
def champion_figures():
    """The borough's headline figures."""
    return jsonify(
        {
            **_numbers(figures.totals()),
            "by_ward": absolute("api.champion_figures_by_ward"),
            "url": absolute("champions.open_call"),
        }
    )


@bp.get("/champions/figures/wards")
def champion_figures_by_ward():
    """The figures of every current ward, by ward name."""
    rows = figures.by_ward()
    page = page_number()
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    items = [
        {
            "ward": row.key.code,
            "name": row.key.name,
            **_numbers(row.figures),
            "url": absolute("wards.show", code=row.key.code),
        }
        for row in shown
    ]
    return paginated(items, len(rows) > page * PAGE_SIZE, "api.champion_figures_by_ward")


_NUMBERS = {
    "champions": {"type": "integer", "minimum": 0},
    "groups": {"type": "integer", "minimum": 0},
    "residents_involved": {"type": "integer", "minimum": 0},
    "events_held": {"type": "integer", "minimum": 0},
}

OPENAPI_SCHEMAS = {
    "ChampionFigures": {
        "type": "object",
        "description": DEFINITIONS,
        "required": [*_NUMBERS, "by_ward", "url"],
        "properties": {
            **_NUMBERS,
            "by_ward": {"type": "string", "format": "uri"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "WardChampionFigures": {
        "type": "object",
        "description": "A ward's figures (a group working in several wards counts in each; residents "
        "count in the ward they live in). " + DEFINITIONS,
        "required": ["ward", "name", *_NUMBERS, "url"],
        "properties": {
            "ward": {"type": "string", "description": "ONS (GSS) code", "pattern": "^[A-Z][0-9]{8}$"},
            "name": {"type": "string"},
            **_NUMBERS,
            "url": {"type": "string", "format": "uri", "description": "The ward's page"},
        },
    },
    "WardChampionFiguresList": list_schema("#/components/schemas/WardChampionFigures"),
}


def _ok(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


OPENAPI_PATHS = {
    "/champions/figures": {
        "get": {
            "summary": "Green community champion figures for the borough",
            "operationId": "getChampionFigures",
            "responses": {"200": _ok("The borough's figures", "ChampionFigures")},
        }
    },
    "/champions/figures/wards": {
        "get": {
            "summary": "Green community champion figures by ward",
            "operationId": "listChampionFiguresByWard",
            "parameters": [LIST_PAGE_PARAM],
            "responses": {"200": _ok("A page of wards with their figures", "WardChampionFiguresList")},
        }
    },
}
