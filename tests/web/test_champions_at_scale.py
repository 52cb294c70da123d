"""At the seed's scale (the real demo: about 500 champions, 60 groups, 5,000 residents, hundreds of
events) the busy pages run a small, fixed number of SQL queries – none per row."""

from __future__ import annotations

import sqlalchemy as sa

from participate.extensions import db
from participate.models import ChampionProfile, Event, Group, Membership, Rsvp, User
from participate.services import groups
from tests.support import Client


def test_busy_pages_at_demo_scale_run_a_bounded_number_of_queries(app, runner, make_user, count_queries):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    count = lambda model: db.session.scalar(sa.select(sa.func.count(model.id)))  # noqa: E731
    assert count(ChampionProfile) >= 490 and count(Group) >= 60 and count(User) >= 5000
    assert count(Event) >= 500 and count(Membership) >= 5000 and count(Rsvp) >= 10000

    biggest = db.session.scalar(sa.select(Group).order_by(Group.member_count.desc()).limit(1))
    smallest = db.session.scalar(
        sa.select(Group).where(Group.archived_at.is_(None)).order_by(Group.member_count).limit(1)
    )
    event = db.session.scalar(sa.select(Event).where(Event.group_id == biggest.id).order_by(Event.id.desc()))
    organiser = make_user(name="Scale Organiser")
    for group in (biggest, smallest):
        groups.make_organiser(groups.join_group(organiser, group, is_public=True))
    db.session.commit()
    pages = {
        "group list": "/groups/",
        "group list, second page": "/groups/?page=2",
        "group list, filtered": "/groups/?ward=1&interest=food_growing&q=e",
        "biggest group": f"/groups/{biggest.id}",
        "smallest group": f"/groups/{smallest.id}",
        "event": f"/groups/{biggest.id}/events/{event.id}",
        "members (organiser)": f"/groups/{biggest.id}/members",
        "home": "/",
        "open call": "/champions/",
        "ward": "/wards/E05014098",
        "group feed": f"/groups/{biggest.id}.ics",
        "API by ward": "/api/v1/champions/figures/wards",
    }
    # The ward and home pages carry every feature's section (proposals, consultations, decisions …).
    bounds = {"biggest group": 16, "smallest group": 16, "event": 14, "ward": 22, "home": 16}
    client = Client(app)
    client.sign_in(organiser)
    measured = {}
    for name, url in pages.items():
        with count_queries() as statements:
            assert client.get(url).status_code == 200, url
        measured[name] = len(statements)
        assert len(statements) <= bounds.get(name, 12), (name, len(statements))
    assert measured["biggest group"] == measured["smallest group"]

    officer = Client(app)
    officer.sign_in(make_user(role="officer"))
    for url, bound in (
        ("/support-office/", 20),
        ("/support-office/?measure=events_held", 20),
        ("/support-office/champions", 10),
        ("/support-office/champions?page=3", 10),
        ("/support-office/groups", 10),
        ("/support-office/events", 10),
        ("/support-office/figures.csv?by=month", 10),
    ):
        with count_queries() as statements:
            assert officer.get(url).status_code == 200, url
        assert len(statements) <= bound, (url, len(statements))
