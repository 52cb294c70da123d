"""Small helpers every blueprint uses: 404/403 loading, safe redirects, the error summary."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from werkzeug.routing import IntegerConverter

from participate.extensions import db
from participate.security import is_safe_next


def get_or_404(model, ident):
    """Load a row by primary key or answer 404."""
    obj = db.session.get(model, ident) if ident is not None else None
    if obj is None:
        abort(404)
    return obj


def require(allowed: bool) -> None:
    """Answer 403 unless the permission check passed."""
    if not allowed:
        abort(403)


def next_url(default_endpoint: str = "main.home", **values) -> str:
    """Where to go after a form: `next` when it stays on this site, else the default."""
    target = request.values.get("next")
    if is_safe_next(target):
        return target
    return url_for(default_endpoint, **values)


def redirect_next(default_endpoint: str = "main.home", **values):
    """Redirect to `next` when it is safe, else to the default."""
    return redirect(next_url(default_endpoint, **values))


def form_view(view):
    """Mark a view whose FlaskForm checks the CSRF token itself.

    The global check would answer 400 and lose what was typed; the form instead shows the page
    again with the answers kept and a translated message, and still refuses the request.
    """
    from participate.extensions import csrf

    view.csrf_in_form = True
    return csrf.exempt(view)


# The largest id an INTEGER primary key holds on PostgreSQL (and far inside SQLite's range).
MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """`<int:...>` in routes: a whole number from 0 to MAX_ROW_ID (anything else does not match: 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


# Beyond this page every list is empty anyway; capping keeps OFFSET inside the database's range.
MAX_PAGE = 100_000


def page_number() -> int:
    """The `?page=` asked for: 1 when missing or not a positive number, at most MAX_PAGE."""
    try:
        return min(max(int(request.args.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1
