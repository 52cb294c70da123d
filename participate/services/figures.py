"""The figures the council reports about green community champions: in all, by ward, by interest, by month.

- champions: residents who answered the open call and have not stepped down;
- groups: groups that are neither archived nor hidden by a moderator;
- residents involved: distinct people who are members of a group or had a place at an event
  that has taken place (groups hidden by a moderator are left out);
- events held: events that have started and were not cancelled.

Each breakdown is a fixed number of grouped queries, whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, distinct, func, literal_column, select, union_all

from participate.extensions import db
from participate.london import months_back
from participate.models import ChampionProfile, Event, Group, Interest, Membership, Rsvp, User, Ward, utcnow
from participate.models.groups import champion_interests, group_wards

MEASURES = ("champions", "groups", "residents", "events_held")


@dataclass
class Figures:
    """The four figures for one ward, one interest, one month, or the whole borough."""

    champions: int = 0
    groups: int = 0
    residents: int = 0
    events_held: int = 0

    def get(self, measure: str) -> int:
        return getattr(self, measure)


@dataclass
class Row:
    """A line of a breakdown: what it is about, and its figures."""

    key: object
    figures: Figures


def _active_champions():
    return ChampionProfile.stepped_down_at.is_(None)


def _open_groups():
    return (Group.archived_at.is_(None)) & (Group.hidden_at.is_(None))


def _held(now: datetime):
    return (Event.cancelled_at.is_(None)) & (Event.starts_at <= now) & (Group.hidden_at.is_(None))


def _involvement(now: datetime):
    """(user_id, group_id, at) for every membership and every place at a held event."""
    members = (
        select(Membership.user_id, Membership.group_id, Membership.joined_at.label("at"))
        .join(Group, Group.id == Membership.group_id)
        .where(Group.hidden_at.is_(None))
    )
    attendees = (
        select(Rsvp.user_id, Event.group_id, Event.starts_at.label("at"))
        .join(Event, Event.id == Rsvp.event_id)
        .join(Group, Group.id == Event.group_id)
        .where(Rsvp.status == Rsvp.GOING, _held(now))
    )
    return union_all(members, attendees).subquery("involvement")


def totals(now: datetime | None = None) -> Figures:
    """The borough's figures, in one query."""
    now = now or utcnow()
    inv = _involvement(now)
    row = db.session.execute(
        select(
            select(func.count(ChampionProfile.id)).where(_active_champions()).scalar_subquery(),
            select(func.count(Group.id)).where(_open_groups()).scalar_subquery(),
            select(func.count(distinct(inv.c.user_id))).scalar_subquery(),
            select(func.count(Event.id))
            .join(Group, Group.id == Event.group_id)
            .where(_held(now))
            .scalar_subquery(),
        )
    ).one()
    return Figures(*[int(v or 0) for v in row])


def _fill(rows: dict, measure: str, pairs) -> None:
    for key, value in pairs:
        if key in rows:
            setattr(rows[key].figures, measure, int(value or 0))


def by_ward(now: datetime | None = None) -> list[Row]:
    """The figures of every current ward (a group working in several wards counts in each)."""
    now = now or utcnow()
    wards = db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)).all()
    rows = {w.id: Row(w, Figures()) for w in wards}
    inv = _involvement(now)
    queries = {
        "champions": select(ChampionProfile.ward_id, func.count(ChampionProfile.id))
        .where(_active_champions())
        .group_by(ChampionProfile.ward_id),
        "groups": select(group_wards.c.ward_id, func.count(Group.id))
        .join(Group, Group.id == group_wards.c.group_id)
        .where(_open_groups())
        .group_by(group_wards.c.ward_id),
        "residents": select(User.ward_id, func.count(distinct(inv.c.user_id)))
        .join(User, User.id == inv.c.user_id)
        .group_by(User.ward_id),
        "events_held": select(group_wards.c.ward_id, func.count(Event.id))
        .join(Group, Group.id == group_wards.c.group_id)
        .join(Event, Event.group_id == Group.id)
        .where(_held(now))
        .group_by(group_wards.c.ward_id),
    }
    for measure, query in queries.items():
        _fill(rows, measure, db.session.execute(query))
    return list(rows.values())


def by_interest(now: datetime | None = None) -> list[Row]:
    """The figures of every interest (a champion with several interests counts in each)."""
    now = now or utcnow()
    rows = {i.value: Row(i, Figures()) for i in Interest}
    inv = _involvement(now)
    queries = {
        "champions": select(champion_interests.c.interest, func.count(ChampionProfile.id))
        .join(ChampionProfile, ChampionProfile.id == champion_interests.c.champion_id)
        .where(_active_champions())
        .group_by(champion_interests.c.interest),
        "groups": select(Group.focus, func.count(Group.id)).where(_open_groups()).group_by(Group.focus),
        "residents": select(Group.focus, func.count(distinct(inv.c.user_id)))
        .join(Group, Group.id == inv.c.group_id)
        .group_by(Group.focus),
        "events_held": select(Group.focus, func.count(Event.id))
        .join(Group, Group.id == Event.group_id)
        .where(_held(now))
        .group_by(Group.focus),
    }
    for measure, query in queries.items():
        _fill(rows, measure, ((getattr(k, "value", k), v) for k, v in db.session.execute(query)))
    return list(rows.values())


def monthly(now: datetime | None = None, months: int = 12) -> list[Row]:
    """For each of the last `months` London calendar months: champions who joined, groups started,
    residents taking part (joining a group or at an event that month) and events held."""
    now = now or utcnow()
    spans = months_back(now, months)
    rows: dict[date, Row] = {first: Row(first, Figures()) for first, _s, _e in spans}
    begin = spans[0][1]

    def bucket(column):
        # The month's position in `spans`; grouped by its label, so the CASE is written once.
        return case(*[((column >= s) & (column < e), n) for n, (_f, s, e) in enumerate(spans)]).label("month")

    inv = _involvement(now)
    month_of = {
        "champions": bucket(ChampionProfile.created_at),
        "groups": bucket(Group.created_at),
        "residents": bucket(inv.c.at),
        "events_held": bucket(Event.starts_at),
    }
    queries = {
        "champions": select(month_of["champions"], func.count(ChampionProfile.id)).where(
            ChampionProfile.created_at >= begin
        ),
        "groups": select(month_of["groups"], func.count(Group.id)).where(
            Group.created_at >= begin, Group.hidden_at.is_(None)
        ),
        "residents": select(month_of["residents"], func.count(distinct(inv.c.user_id))).where(
            inv.c.at >= begin
        ),
        "events_held": select(month_of["events_held"], func.count(Event.id))
        .join(Group, Group.id == Event.group_id)
        .where(_held(now), Event.starts_at >= begin),
    }
    firsts = [first for first, _s, _e in spans]
    for measure, query in queries.items():
        pairs = db.session.execute(query.group_by(literal_column("month"))).all()
        _fill(rows, measure, ((firsts[n], v) for n, v in pairs if n is not None))
    return list(rows.values())
