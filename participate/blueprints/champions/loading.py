"""Loading what a URL names (404 when it does not exist) and reading list parameters."""

from __future__ import annotations

from flask import abort, current_app, request

from participate.models import Event, Group, Interest
from participate.web import (
    get_or_404,
    page_number,  # noqa: F401  (used by the champions views)
)


def group_or_404(group_id: int) -> Group:
    """The group, or 404."""
    return get_or_404(Group, group_id)


def event_or_404(group_id: int, event_id: int) -> Event:
    """The event of this group, or 404 (an event is only found under its own group)."""
    event = get_or_404(Event, event_id)
    if event.group_id != group_id:
        abort(404)
    return event


def per_page() -> int:
    return current_app.config.get("PER_PAGE", 20)


def int_arg(name: str) -> int | None:
    """A positive whole number from the query string, or None."""
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def interest_arg(name: str = "interest") -> Interest | None:
    """An interest from the query string, or None."""
    try:
        return Interest(request.args.get(name, ""))
    except ValueError:
        return None
