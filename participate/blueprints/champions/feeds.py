"""iCalendar feeds: one per event and one per group (never for a group hidden by a moderator)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort
from sqlalchemy import or_, select

from participate.blueprints.champions import bp
from participate.blueprints.champions.loading import group_or_404
from participate.extensions import db
from participate.models import Event, utcnow
from participate.services import calendar
from participate.web import get_or_404

# A group's feed keeps recent events too (cancelled ones say so), so subscribed calendars update.
FEED_HISTORY = timedelta(days=90)


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    """One event, to add to a calendar."""
    event = get_or_404(Event, event_id)
    if event.group.hidden_at is not None:
        abort(404)
    return _ics(calendar.event_feed(event), f"event-{event.id}.ics")


@bp.get("/groups/<int:group_id>.ics")
def group_ics(group_id: int):
    """A group's events, to subscribe to."""
    group = group_or_404(group_id)
    if group.hidden_at is not None:
        abort(404)
    since = utcnow() - FEED_HISTORY
    found = db.session.scalars(
        select(Event)
        .where(Event.group_id == group.id, or_(Event.starts_at >= since, Event.ends_at >= since))
        .order_by(Event.starts_at)
    ).all()
    return _ics(calendar.group_feed(group, found), f"group-{group.id}.ics")
