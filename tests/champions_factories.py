"""Factories for the champions tests: champions, groups, members and events made through the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participate.extensions import db
from participate.models import Interest, Ward, utcnow
from participate.services import champions, events, groups


def ward(code: str) -> Ward:
    from sqlalchemy import select

    return db.session.scalar(select(Ward).where(Ward.code == code))


def make_champion(
    user, *, ward_code="E05014098", public=True, contact=True, interests=(Interest.FOOD_GROWING,)
):
    """Make the user a champion through the open-call service."""
    profile = champions.answer_open_call(
        user,
        ward=ward(ward_code),
        statement="I want to plant fruit trees on our estate.",
        interests=interests,
        availability="Saturday mornings",
        is_public=public,
        may_contact=contact,
    )
    db.session.commit()
    return profile


def make_group(
    organiser, *, name="Windrush Growers", wards=("E05014098",), focus=Interest.FOOD_GROWING, public=None
):
    """A group started by `organiser` (made a champion if needed)."""
    profile = champions.active_profile_of(organiser) or make_champion(
        organiser, public=True if public is None else public
    )
    group = groups.start_group(
        organiser,
        profile,
        name=name,
        focus=focus,
        wards=[ward(c) for c in wards],
        description="We grow food together.",
        meeting_place="Brixton Library",
    )
    db.session.commit()
    return group


def join(user, group, public=False):
    membership = groups.join_group(user, group, is_public=public)
    db.session.commit()
    return membership


def make_event(
    group, organiser, *, starts_at=None, hours=2, capacity=None, title="Seed swap", place="Windrush Square"
):
    """An event (tomorrow at noon UTC unless said otherwise)."""
    starts_at = starts_at or (utcnow() + timedelta(days=3)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    event = events.schedule_event(
        organiser,
        group,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=place,
        description="Bring seeds.",
        capacity=capacity,
    )
    db.session.commit()
    return event


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
