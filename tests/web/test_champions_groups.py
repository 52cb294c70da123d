"""Groups: champions start them, residents join and leave, only organisers manage them, lists search."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import Announcement, Event, Group, Interest, Membership, OutboxMessage, utcnow
from participate.services import groups
from tests.champions_factories import join, make_champion, make_event, make_group


def _group_form(ward_rows, **overrides):
    data = {
        "name": "Loughborough Junction Growers",
        "focus": "food_growing",
        "wards": [str(ward_rows["E05014104"].id), str(ward_rows["E05014098"].id)],
        "description": "We grow **vegetables** on the estate.",
        "meeting_place": "Loughborough Farm",
    }
    data.update(overrides)
    return data


def test_a_champion_starts_a_group_and_becomes_its_organiser(client, make_user, wards):
    user = make_user()
    make_champion(user, public=True)
    client.sign_in(user)
    client.get("/groups/new")
    response = client.post("/groups/new", _group_form(wards))
    assert response.status_code == 302
    group = db.session.scalar(sa.select(Group))
    assert response.headers["Location"].endswith(f"/groups/{group.id}")
    assert group.focus == Interest.FOOD_GROWING and group.member_count == 1
    assert {w.code for w in group.wards} == {"E05014104", "E05014098"}
    assert "<strong>vegetables</strong>" in group.description_html
    [membership] = db.session.scalars(sa.select(Membership)).all()
    assert membership.user_id == user.id and membership.is_organiser
    assert membership.is_public, "a champion listed publicly is named on the groups they start"


def test_a_resident_who_is_not_a_champion_cannot_start_a_group(client, make_user, wards):
    client.sign_in(make_user())
    assert client.get("/groups/new").status_code == 403
    assert client.post("/groups/new", _group_form(wards)).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Group.id))) == 0


def test_starting_a_group_with_mistakes_explains_them_and_keeps_what_was_typed(client, make_user, wards):
    user = make_user()
    make_champion(user)
    client.sign_in(user)
    client.get("/groups/new")
    html = client.post("/groups/new", _group_form(wards, name="", wards=[])).get_data(as_text=True)
    assert "Enter the name of the group" in html and "Select at least one ward" in html
    assert "Loughborough Farm" in html and "We grow **vegetables** on the estate." in html
    assert db.session.scalar(sa.select(sa.func.count(Group.id))) == 0


def test_any_resident_joins_and_leaves_and_the_count_follows(client, make_user):
    group = make_group(make_user())
    resident = make_user(wards=["E05014110"])
    client.sign_in(resident)
    client.get(f"/groups/{group.id}")
    assert client.post(f"/groups/{group.id}/join", {"is_public": "y"}).status_code == 302
    db.session.refresh(group)
    assert group.member_count == 2
    assert groups.membership_of(resident, group).is_public
    # Pressing again changes nothing.
    client.post(f"/groups/{group.id}/join", {"is_public": "y"})
    db.session.refresh(group)
    assert group.member_count == 2
    assert client.post(f"/groups/{group.id}/leave").status_code == 302
    db.session.refresh(group)
    assert group.member_count == 1 and groups.membership_of(resident, group) is None


def test_the_only_organiser_is_asked_to_hand_over_before_leaving(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    join(make_user(), group)
    client.sign_in(organiser)
    client.post(f"/groups/{group.id}/leave")
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "You are this group&#39;s only organiser" in html
    assert groups.membership_of(organiser, group) is not None


def test_organisers_add_a_co_organiser_who_can_then_manage(client, make_user):
    organiser, member = make_user(), make_user()
    group = make_group(organiser)
    membership = join(member, group)
    client.sign_in(organiser)
    client.get(f"/groups/{group.id}/members")
    assert client.post(f"/groups/{group.id}/members/{membership.id}/organiser").status_code == 302
    db.session.refresh(membership)
    assert membership.is_organiser
    co = type(client)(client.app)
    co.sign_in(member)
    assert co.get(f"/groups/{group.id}/edit").status_code == 200
    # Now the first organiser can step down, and leave.
    client.post(f"/groups/{group.id}/step-down")
    assert not groups.membership_of(organiser, group).is_organiser


def test_organisers_remove_a_member(client, make_user):
    organiser, member = make_user(), make_user(name="Removed Ray")
    group = make_group(organiser)
    membership = join(member, group, public=True)
    client.sign_in(organiser)
    client.get(f"/groups/{group.id}/members")
    assert client.post(f"/groups/{group.id}/members/{membership.id}/remove").status_code == 302
    db.session.refresh(group)
    assert group.member_count == 1 and groups.membership_of(member, group) is None
    assert "Removed Ray" not in type(client)(client.app).get(f"/groups/{group.id}").get_data(as_text=True)


@pytest.fixture
def outsiders(make_user, wards):
    """Everyone who is not an organiser of the group: signed out, resident, member, another group's
    organiser, councillor, officer and admin."""

    def build(group):
        member = make_user(name="Plain Member")
        join(member, group)
        other_organiser = make_user()
        make_group(other_organiser, name="Another group")
        return {
            "signed out": None,
            "resident": make_user(),
            "member": member,
            "organiser of another group": other_organiser,
            "councillor of the ward": make_user(role="councillor", wards=["E05014098"]),
            "officer": make_user(role="officer"),
            "admin": make_user(role="admin"),
        }

    return build


def _management_requests(group, membership, event):
    g, m, e = group.id, membership.id, event.id
    return [
        ("GET", f"/groups/{g}/edit", None),
        ("POST", f"/groups/{g}/edit", {"name": "Taken over", "focus": "other", "description": "x"}),
        ("GET", f"/groups/{g}/members", None),
        ("POST", f"/groups/{g}/members/{m}/organiser", {}),
        ("POST", f"/groups/{g}/members/{m}/remove", {}),
        ("GET", f"/groups/{g}/archive", None),
        ("POST", f"/groups/{g}/archive", {}),
        ("POST", f"/groups/{g}/reopen", {}),
        ("GET", f"/groups/{g}/announcements/new", None),
        ("POST", f"/groups/{g}/announcements/new", {"body": "Taken over"}),
        ("GET", f"/groups/{g}/events/new", None),
        ("POST", f"/groups/{g}/events/new", {"title": "Taken over"}),
        ("GET", f"/groups/{g}/events/{e}/edit", None),
        ("POST", f"/groups/{g}/events/{e}/edit", {"title": "Taken over"}),
        ("GET", f"/groups/{g}/events/{e}/cancel", None),
        ("POST", f"/groups/{g}/events/{e}/cancel", {}),
        ("GET", f"/groups/{g}/options/new", None),
        ("POST", f"/groups/{g}/options/new", {"title": "Taken over"}),
    ]


def test_only_organisers_manage_a_group_everyone_else_gets_a_clear_403(app, make_user, outsiders):
    from tests.support import Client

    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=5)
    people = outsiders(group)
    victim = make_user(name="Victim Member")
    membership = join(victim, group)
    before = db.session.scalar(sa.select(sa.func.count(Announcement.id)))
    for who, user in people.items():
        client = Client(app)
        if user is not None:
            client.sign_in(user)
        for method, url, data in _management_requests(group, membership, event):
            response = client.get(url) if method == "GET" else client.post(url, data)
            if user is None and response.status_code == 302:
                # Pages with a form send a signed-out visitor to sign in first (and back after).
                assert "/sign-in" in response.headers["Location"], (who, url)
                continue
            assert response.status_code == 403, (who, method, url, response.status_code)
            assert "You cannot do that" in response.get_data(as_text=True)
    db.session.expire_all()
    assert group.name == "Windrush Growers" and group.archived_at is None
    assert membership.role == Membership.MEMBER and groups.membership_of(victim, group) is not None
    assert event.cancelled_at is None and event.title == "Seed swap"
    assert db.session.scalar(sa.select(sa.func.count(Announcement.id))) == before
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 1


def test_archiving_cancels_upcoming_events_and_tells_the_people_going(client, make_user):
    organiser, attendee = make_user(), make_user(email="going@example.org")
    group = make_group(organiser)
    event = make_event(group, organiser)
    from participate.services import events

    events.rsvp(attendee, event)
    db.session.commit()
    client.sign_in(organiser)
    assert "upcoming events will be cancelled" in client.get(f"/groups/{group.id}/archive").get_data(
        as_text=True
    )
    assert client.post(f"/groups/{group.id}/archive").status_code == 302
    db.session.refresh(group)
    db.session.refresh(event)
    assert group.archived_at is not None and event.cancelled_at is not None
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "going@example.org"))
    assert mail.kind == "event_cancelled" and "Seed swap" in mail.subject
    # Archived: no longer listed, nobody can join, and the organisers can open it again.
    assert "Windrush Growers" not in client.get("/groups/").get_data(as_text=True)
    assert "Windrush Growers" in client.get("/groups/?archived=1").get_data(as_text=True)
    other = type(client)(client.app)
    other.sign_in(make_user())
    assert other.post(f"/groups/{group.id}/join").status_code == 403
    client.post(f"/groups/{group.id}/reopen")
    db.session.refresh(group)
    assert group.archived_at is None


def test_groups_are_listed_and_searched_by_ward_interest_and_words(client, make_user, wards):
    make_group(make_user(), name="Windrush Growers", wards=("E05014098",), focus=Interest.FOOD_GROWING)
    make_group(make_user(), name="Clapham Solar", wards=("E05014101",), focus=Interest.COMMUNITY_ENERGY)
    make_group(
        make_user(),
        name="Brixton Repair Café",
        wards=("E05014098", "E05014101"),
        focus=Interest.WASTE_AND_RECYCLING,
    )

    def names(query=""):
        html = client.get(f"/groups/{query}").get_data(as_text=True)
        return {n for n in ("Windrush Growers", "Clapham Solar", "Brixton Repair Café") if n in html}

    assert names() == {"Windrush Growers", "Clapham Solar", "Brixton Repair Café"}
    assert names(f"?ward={wards['E05014101'].id}") == {"Clapham Solar", "Brixton Repair Café"}
    assert names("?interest=community_energy") == {"Clapham Solar"}
    assert names(f"?ward={wards['E05014098'].id}&interest=food_growing") == {"Windrush Growers"}
    assert names("?q=repair") == {"Brixton Repair Café"}
    assert names("?q=100%25") == set()
    assert names("?interest=nonsense&ward=abc") == {
        "Windrush Growers",
        "Clapham Solar",
        "Brixton Repair Café",
    }


def test_group_page_names_only_members_who_agreed_and_counts_everyone(client, make_user):
    organiser = make_user(name="Open Olu")
    group = make_group(organiser, public=True)
    join(make_user(name="Named Nadia"), group, public=True)
    join(make_user(name="Quiet Quentin"), group, public=False)
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "This group has 3 members." in html and "1 of them chose not to be named." in html
    assert "Open Olu" in html and "Named Nadia" in html
    assert "Quiet Quentin" not in html


def test_a_member_changes_whether_they_are_named(client, make_user):
    group = make_group(make_user())
    member = make_user(name="Changing Chidi")
    join(member, group, public=False)
    client.sign_in(member)
    client.post(f"/groups/{group.id}/naming", {"is_public": "y"})
    anonymous = type(client)(client.app)
    assert "Changing Chidi" in anonymous.get(f"/groups/{group.id}").get_data(as_text=True)
    client.post(f"/groups/{group.id}/naming", {})
    assert "Changing Chidi" not in anonymous.get(f"/groups/{group.id}").get_data(as_text=True)


def test_announcements_go_through_the_sanitiser(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    client.sign_in(organiser)
    client.get(f"/groups/{group.id}/announcements/new")
    client.post(
        f"/groups/{group.id}/announcements/new",
        {"body": "**Seed swap** moved <script>alert(1)</script> see https://example.org/x"},
    )
    announcement = db.session.scalar(sa.select(Announcement))
    assert "<script>" in announcement.body, "stored as typed"
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "<strong>Seed swap</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'rel="nofollow ugc noopener"' in html


def test_empty_announcement_is_refused_with_a_message(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    client.sign_in(organiser)
    client.get(f"/groups/{group.id}/announcements/new")
    html = client.post(f"/groups/{group.id}/announcements/new", {"body": "  "}).get_data(as_text=True)
    assert "Write the announcement" in html
    assert db.session.scalar(sa.select(sa.func.count(Announcement.id))) == 0


def test_hidden_group_shows_the_moderators_reason_and_drops_out_of_lists(client, make_user):
    from participate.services import events

    organiser = make_user()
    group = make_group(organiser, name="Spammy Group")
    event = make_event(group, organiser, title="Spammy Event")
    attendee = make_user()
    join(attendee, group)
    events.rsvp(attendee, event)
    group.hidden_at, group.hidden_reason = utcnow(), "Advertising"
    db.session.commit()
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Advertising" in html
    assert "Spammy Group" not in html and "We grow food together." not in html
    assert "Spammy Group" not in client.get("/groups/").get_data(as_text=True)
    assert "Spammy Group" not in client.get("/wards/E05014098").get_data(as_text=True)
    assert client.get(f"/groups/{group.id}.ics").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    event_html = client.get(f"/groups/{group.id}/events/{event.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Advertising" in event_html and "Spammy Event" not in event_html
    assert client.get("/api/v1/champions/figures").get_json()["groups"] == 0
    member = type(client)(client.app)
    member.sign_in(attendee)
    account = member.get("/account/").get_data(as_text=True)
    assert "Hidden group" in account and "Spammy" not in account


def test_hidden_announcement_shows_the_reason_in_place_of_its_text(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    groups.post_announcement(organiser, group, "Buy my miracle compost")
    announcement = groups.post_announcement(organiser, group, "Insults")
    announcement.hidden_at, announcement.hidden_reason = utcnow(), "Abusive"
    db.session.commit()
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Hidden by a moderator: Abusive" in html
    assert "Insults" not in html and "Buy my miracle compost" in html


def test_ward_page_lists_its_groups_and_only_the_champions_who_agreed(client, make_user):
    make_group(make_user(name="Public Pat"), name="Windrush Growers", public=True)
    make_champion(make_user(name="Private Pru"), public=False)
    make_group(make_user(wards=["E05014101"]), name="Clapham Solar", wards=("E05014101",))
    html = client.get("/wards/E05014098").get_data(as_text=True)
    assert "Windrush Growers" in html and "Clapham Solar" not in html
    assert "Public Pat" in html and "Private Pru" not in html


def test_account_page_shows_champion_status_groups_and_rsvps(client, make_user):
    from participate.services import events

    user = make_user()
    make_champion(user)
    organiser = make_user()
    group = make_group(organiser, name="Clapham Solar")
    join(user, group)
    event = make_event(group, organiser, title="Solar open meeting", capacity=1)
    events.rsvp(make_user(), event)
    events.rsvp(user, event)
    db.session.commit()
    client.sign_in(user)
    html = client.get("/account/").get_data(as_text=True)
    assert "Champion since" in html
    assert "Clapham Solar" in html
    assert "Solar open meeting" in html and "number 1 on the waiting list" in html


def test_group_page_runs_the_same_number_of_queries_with_more_members_and_events(
    client, make_user, count_queries
):
    organiser = make_user()
    group = make_group(organiser)
    url = f"/groups/{group.id}"
    viewer = make_user()
    join(viewer, group)
    make_event(group, organiser, title="First event")
    groups.post_announcement(organiser, group, "First news")
    db.session.commit()
    client.sign_in(viewer)

    def queries():
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = queries()
    for n in range(12):
        member = make_user()
        join(member, group, public=n % 2 == 0)
        make_event(group, organiser, title=f"Event {n}", capacity=10)
        groups.post_announcement(organiser, group, f"News {n}")
    db.session.commit()
    assert queries() == few <= 16
