"""The public JSON API under /api/v1/: read-only, paginated, described by an OpenAPI document.

Each module of this package adds its routes to `bp` and describes them in `OPENAPI_PATHS` (and
`OPENAPI_SCHEMAS`); /api/v1/openapi.json puts the descriptions together.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, current_app, jsonify, request, url_for

from participate.web import page_number

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PAGE_SIZE = 50


def absolute(endpoint: str, **values) -> str:
    """The absolute address of a page or API resource."""
    return url_for(endpoint, _external=True, **values)


def paginated(items: list, has_more: bool, endpoint: str, **values):
    """A list response: `{"items": [...], "next": url-or-null}`."""
    page = page_number()
    args = {**request.args.to_dict(), **values}
    args["page"] = page + 1
    return jsonify(items=items, next=absolute(endpoint, **args) if has_more else None)


def page_of(query, size: int | None = None):
    """Run a select for the requested page; return (rows, has_more)."""
    from participate.extensions import db

    size = size or PAGE_SIZE
    page = page_number()
    rows = db.session.scalars(query.limit(size + 1).offset((page - 1) * size)).all()
    return rows[:size], len(rows) > size


@bp.after_request
def _open_data_headers(response):
    """CORS for reading only; an ETag and a short public cache life on every successful GET."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET"
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
        response.headers.setdefault("Cache-Control", "public, max-age=60")
        response.add_etag()
        response.make_conditional(request)
    return response


def _modules():
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    ]


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    paths, schemas = {}, {}
    for module in _modules():
        paths.update(getattr(module, "OPENAPI_PATHS", {}))
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return jsonify(
        {
            "openapi": "3.1.0",
            "info": {
                "title": f"participate – {current_app.config['COUNCIL_NAME']}",
                "version": "1",
                "description": "Open data of the cooperative commissioning cycle: wards, consultations, "
                "options, results, ballots by receipt, commissioning records and community figures.",
                "license": {"name": "Open Government Licence v3.0", "identifier": "OGL-UK-3.0"},
            },
            "servers": [{"url": absolute("api.openapi").rsplit("/openapi.json", 1)[0]}],
            "paths": paths,
            "components": {"schemas": schemas},
        }
    )


LIST_PAGE_PARAM = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
    "description": "Page number, from 1.",
}


def list_schema(item_ref: str) -> dict:
    """The schema of a paginated list of items."""
    return {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    }


# Importing the modules registers their routes on `bp`.
_modules()
