"""What champions and groups add to the home page, each ward's page and the user's account page."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from participate.extensions import db
from participate.models import Event, Group, Rsvp, utcnow
from participate.models.groups import group_wards
from participate.permissions.champions import can_see_support_office
from participate.sections import section
from participate.services import champions, events, figures, groups


@section("home", order=40)
def home_figures():
    """The headline figures of the champions' work, and where to join in."""
    return render_template("champions/_home.html", totals=figures.totals())


@section("ward", order=60)
def ward_groups_and_champions(ward):
    """The groups working in the ward, its coming events, and the champions who agreed to be named."""
    in_ward = select(group_wards.c.group_id).where(group_wards.c.ward_id == ward.id)
    found = db.session.scalars(
        select(Group)
        .where(Group.id.in_(in_ward), Group.hidden_at.is_(None), Group.archived_at.is_(None))
        .order_by(Group.member_count.desc(), Group.name)
        .limit(12)
    ).all()
    coming = db.session.scalars(
        select(Event)
        .join(Group, Group.id == Event.group_id)
        .where(
            Event.group_id.in_(in_ward),
            Event.starts_at > utcnow(),
            Event.cancelled_at.is_(None),
            Group.hidden_at.is_(None),
            Group.archived_at.is_(None),
        )
        .order_by(Event.starts_at)
        .limit(5)
    ).all()
    named = champions.public_champions(ward, limit=60)
    return render_template(
        "champions/_ward.html",
        ward=ward,
        groups=found,
        events=coming,
        champions=named,
        interests=champions.interests_of(p.id for p in named),
    )


@section("account", order=40)
def account_champion_groups_rsvps(user):
    """Your champion status, your groups and the events you are going to or waiting for."""
    profile = champions.active_profile_of(user)
    answers = db.session.scalars(
        select(Rsvp)
        .join(Event, Event.id == Rsvp.event_id)
        .join(Group, Group.id == Event.group_id)
        .options(contains_eager(Rsvp.event))
        .where(
            Rsvp.user_id == user.id,
            Rsvp.status.in_((Rsvp.GOING, Rsvp.WAITING)),
            Event.starts_at > utcnow(),
            Group.hidden_at.is_(None),
        )
        .order_by(Event.starts_at)
    ).all()
    return render_template(
        "champions/_account.html",
        profile=profile,
        interests=champions.interests_of([profile.id]).get(profile.id, []) if profile else [],
        memberships=groups.groups_of_user(user),
        answers=answers,
        positions=events.waiting_positions(answers),
        office=can_see_support_office(user),
    )
