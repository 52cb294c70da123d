"""Events: scheduling in London time with GOV.UK date and time inputs, RSVPs, the waiting list."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from participate.extensions import db
from participate.london import in_london
from participate.models import Event, OutboxMessage, Rsvp, utcnow
from participate.services import events
from tests.champions_factories import make_event, make_group, utc
from tests.support import Client


def _event_form(day, month, year, start=("10", "00"), end=("12", "30"), **overrides):
    data = {
        "title": "Seed swap",
        "date-day": str(day),
        "date-month": str(month),
        "date-year": str(year),
        "starts-hour": start[0],
        "starts-minute": start[1],
        "ends-hour": end[0],
        "ends-minute": end[1],
        "place": "Brixton Library",
        "description": "Bring seeds in envelopes.",
        "capacity": "20",
    }
    data.update(overrides)
    return data


def _last_sunday(year: int, month: int) -> int:
    return max(d for d in range(25, 32) if date(year, month, d).weekday() == 6)


def _next_year():
    return in_london(utcnow()).year + 1


def _organiser_client(app, make_user):
    organiser = make_user()
    group = make_group(organiser)
    client = Client(app)
    client.sign_in(organiser)
    return client, group, organiser


def test_times_are_entered_in_london_time_and_stored_in_utc_across_summer_time(app, make_user):
    client, group, _ = _organiser_client(app, make_user)
    year = _next_year()
    client.get(f"/groups/{group.id}/events/new")
    # The last Sunday of March: clocks go forward at 01:00 GMT.
    march, october = _last_sunday(year, 3), _last_sunday(year, 10)
    for day, month in ((march - 1, 3), (march, 3), (october - 1, 10), (october, 10), (15, 1), (15, 7)):
        response = client.post(
            f"/groups/{group.id}/events/new", _event_form(day, month, year, title=f"{day}/{month}")
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    stored = {e.title: e for e in db.session.scalars(sa.select(Event))}
    assert stored[f"{march - 1}/3"].starts_at == utc(year, 3, march - 1, 10, 0)  # GMT
    assert stored[f"{march}/3"].starts_at == utc(year, 3, march, 9, 0)  # BST from that morning
    assert stored[f"{october - 1}/10"].starts_at == utc(year, 10, october - 1, 9, 0)  # still BST
    assert stored[f"{october}/10"].starts_at == utc(year, 10, october, 10, 0)  # GMT again
    assert stored["15/7"].ends_at == utc(year, 7, 15, 11, 30)
    assert stored["15/1"].capacity == 20 and stored["15/1"].place == "Brixton Library"


def test_a_time_skipped_when_the_clocks_go_forward_is_refused_with_a_reason(app, make_user):
    client, group, _ = _organiser_client(app, make_user)
    year = _next_year()
    march = _last_sunday(year, 3)
    client.get(f"/groups/{group.id}/events/new")
    html = client.post(
        f"/groups/{group.id}/events/new", _event_form(march, 3, year, start=("1", "30"), end=("3", "00"))
    ).get_data(as_text=True)
    assert "This time does not exist in London" in html
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_date_and_time_mistakes_are_explained_and_what_was_typed_is_kept(app, make_user):
    client, group, _ = _organiser_client(app, make_user)
    client.get(f"/groups/{group.id}/events/new")
    year = _next_year()
    cases = [
        (_event_form(31, 2, year), "The date of the event must be a real date"),
        (_event_form("", 5, year), "The date of the event must include a day"),
        (_event_form(3, 5, "26"), "The year must include 4 numbers"),
        (_event_form("", "", ""), "Enter the date of the event"),
        (_event_form(3, 5, year, start=("25", "00")), "The start time must be a real time"),
        (_event_form(3, 5, year, end=("", "")), "Enter the end time"),
        (_event_form(3, 5, year, start=("14", "00"), end=("13", "00")), "The event must end after it starts"),
        (_event_form(3, 5, year - 3), "The event must start in the future"),
        (_event_form(3, 5, year, capacity="lots"), "Enter the number of places as a whole number"),
        (_event_form(3, 5, year, place=""), "Enter where the event takes place"),
    ]
    for data, message in cases:
        html = client.post(f"/groups/{group.id}/events/new", data).get_data(as_text=True)
        assert message in html, message
        assert 'class="error-summary"' in html
    html = client.post(f"/groups/{group.id}/events/new", _event_form(31, 2, year)).get_data(as_text=True)
    assert 'name="date-day" type="text" inputmode="numeric" value="31"' in html
    assert 'value="Bring seeds in envelopes."' in html or "Bring seeds in envelopes." in html
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_an_event_ending_on_a_later_day_uses_the_end_date(app, make_user):
    client, group, _ = _organiser_client(app, make_user)
    year = _next_year()
    client.get(f"/groups/{group.id}/events/new")
    data = _event_form(14, 8, year, start=("18", "00"), end=("02", "00"), title="Night bat walk")
    data.update({"end_date-day": "15", "end_date-month": "8", "end_date-year": str(year)})
    assert client.post(f"/groups/{group.id}/events/new", data).status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert (event.starts_at, event.ends_at) == (utc(year, 8, 14, 17, 0), utc(year, 8, 15, 1, 0))


def test_editing_shows_london_times_and_changing_the_time_tells_attendees(app, make_user):
    client, group, organiser = _organiser_client(app, make_user)
    year = _next_year()
    event = make_event(group, organiser, starts_at=utc(year, 7, 4, 9, 0), capacity=5)  # 10:00 BST
    events.rsvp(make_user(email="going@example.org"), event)
    db.session.commit()
    html = client.get(f"/groups/{group.id}/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="starts-hour" type="text" inputmode="numeric" value="10"' in html
    data = _event_form(4, 7, year, start=("11", "00"), end=("13", "00"), capacity="5")
    assert client.post(f"/groups/{group.id}/events/{event.id}/edit", data).status_code == 302
    db.session.refresh(event)
    assert event.starts_at == utc(year, 7, 4, 10, 0) and event.sequence == 1
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "going@example.org"))
    assert mail.kind == "event_changed" and "11:00" in mail.body_text


def test_rsvp_under_capacity_gives_a_place(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=2)
    resident = make_user()
    client.sign_in(resident)
    client.get(f"/groups/{group.id}/events/{event.id}")
    assert client.post(f"/groups/{group.id}/events/{event.id}/rsvp").status_code == 302
    db.session.refresh(event)
    assert event.going_count == 1
    assert events.answer_of(resident, event).status == Rsvp.GOING
    html = client.get(f"/groups/{group.id}/events/{event.id}").get_data(as_text=True)
    assert "You have a place." in html and "1 of 2 taken" in html
    # Answering again changes nothing.
    client.post(f"/groups/{group.id}/events/{event.id}/rsvp")
    db.session.refresh(event)
    assert event.going_count == 1


def test_rsvp_at_capacity_joins_the_waiting_list_in_order(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    for user in (first, second, third):
        events.rsvp(user, event)
        db.session.commit()
    assert [events.answer_of(u, event).status for u in (first, second, third)] == [
        "going",
        "waiting",
        "waiting",
    ]
    db.session.refresh(event)
    assert event.going_count == 1 and event.is_full
    client.sign_in(third)
    html = client.get(f"/groups/{group.id}/events/{event.id}").get_data(as_text=True)
    assert "You are number 2 on the waiting list." in html


def test_cancelling_a_place_promotes_the_first_on_the_waiting_list_and_tells_them(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    going, next_one, later = make_user(), make_user(email="next@example.org"), make_user()
    for user in (going, next_one, later):
        events.rsvp(user, event)
        db.session.commit()
    client.sign_in(going)
    client.get(f"/groups/{group.id}/events/{event.id}")
    assert client.post(f"/groups/{group.id}/events/{event.id}/rsvp/cancel").status_code == 302
    db.session.expire_all()
    assert events.answer_of(going, event).status == Rsvp.CANCELLED
    assert events.answer_of(next_one, event).status == Rsvp.GOING
    assert events.answer_of(later, event).status == Rsvp.WAITING
    assert events.waiting_position(events.answer_of(later, event)) == 1
    assert event.going_count == 1
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "next@example.org"))
    assert mail.kind == "event_place" and "Seed swap" in mail.subject
    assert f"/groups/{group.id}/events/{event.id}" in mail.body_text


def test_leaving_the_waiting_list_promotes_nobody(make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    going, waiting = make_user(), make_user()
    events.rsvp(going, event)
    events.rsvp(waiting, event)
    db.session.commit()
    assert events.cancel_rsvp(events.answer_of(waiting, event)) == []
    db.session.commit()
    db.session.expire_all()
    assert events.answer_of(going, event).status == Rsvp.GOING and event.going_count == 1


def test_a_cancelled_answer_can_rsvp_again_at_the_end_of_the_list(make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    a, b, c = make_user(), make_user(), make_user()
    for user in (a, b, c):
        events.rsvp(user, event)
    events.cancel_rsvp(events.answer_of(a, event))
    again = events.rsvp(a, event)
    db.session.commit()
    assert again.status == Rsvp.WAITING and events.waiting_position(again) == 2


def test_raising_the_capacity_moves_people_up_and_lowering_below_the_places_taken_is_refused(app, make_user):
    client, group, organiser = _organiser_client(app, make_user)
    year = _next_year()
    event = make_event(group, organiser, starts_at=utc(year, 6, 6, 9, 0), capacity=1)
    people = [make_user() for _ in range(3)]
    for user in people:
        events.rsvp(user, event)
    db.session.commit()
    refused = client.post(
        f"/groups/{group.id}/events/{event.id}/edit", _event_form(6, 6, year, capacity="0", end=("12", "00"))
    )
    assert "Enter the number of places" in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/groups/{group.id}/events/{event.id}/edit",
            _event_form(6, 6, year, capacity="3", end=("12", "00")),
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert [events.answer_of(u, event).status for u in people] == ["going"] * 3
    lower = client.post(
        f"/groups/{group.id}/events/{event.id}/edit", _event_form(6, 6, year, capacity="2", end=("12", "00"))
    )
    assert lower.status_code == 400
    assert "3 people already have a place" in lower.get_data(as_text=True)
    db.session.expire_all()
    assert event.capacity == 3


def test_organisers_cancel_an_event_and_everyone_answered_is_told(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    events.rsvp(make_user(email="a@example.org"), event)
    events.rsvp(make_user(email="b@example.org"), event)
    db.session.commit()
    client.sign_in(organiser)
    assert "This cannot be undone" in client.get(f"/groups/{group.id}/events/{event.id}/cancel").get_data(
        as_text=True
    )
    client.post(f"/groups/{group.id}/events/{event.id}/cancel")
    db.session.refresh(event)
    assert event.cancelled_at is not None and event.sequence == 1
    kinds = db.session.execute(sa.select(OutboxMessage.to_address, OutboxMessage.kind)).all()
    assert sorted(kinds) == [("a@example.org", "event_cancelled"), ("b@example.org", "event_cancelled")]
    resident = Client(client.app)
    resident.sign_in(make_user())
    assert resident.post(f"/groups/{group.id}/events/{event.id}/rsvp").status_code == 403


def test_organisers_see_who_is_going_and_nobody_else_does(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, capacity=1)
    events.rsvp(make_user(name="Going Gita"), event)
    events.rsvp(make_user(name="Waiting Wes"), event)
    db.session.commit()
    url = f"/groups/{group.id}/events/{event.id}"
    assert "Going Gita" not in client.get(url).get_data(as_text=True)
    client.sign_in(make_user())
    assert "Going Gita" not in client.get(url).get_data(as_text=True)
    organiser_client = Client(client.app)
    organiser_client.sign_in(organiser)
    html = organiser_client.get(url).get_data(as_text=True)
    assert "Going Gita" in html and "Waiting Wes" in html


def test_past_events_take_no_answers(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, starts_at=utcnow() - timedelta(days=2))
    client.sign_in(make_user())
    assert client.post(f"/groups/{group.id}/events/{event.id}/rsvp").status_code == 403


def test_an_event_is_found_only_under_its_own_group(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    other = make_group(make_user(), name="Other")
    event = make_event(group, organiser)
    assert client.get(f"/groups/{other.id}/events/{event.id}").status_code == 404
    assert client.get(f"/groups/{group.id}/events/{event.id + 99}").status_code == 404


def test_removing_the_limit_gives_everyone_waiting_a_place(app, make_user):
    client, group, organiser = _organiser_client(app, make_user)
    year = _next_year()
    event = make_event(group, organiser, starts_at=utc(year, 6, 6, 9, 0), capacity=1)
    people = [make_user() for _ in range(3)]
    for user in people:
        events.rsvp(user, event)
    db.session.commit()
    data = _event_form(6, 6, year, capacity="", end=("12", "00"))
    assert client.post(f"/groups/{group.id}/events/{event.id}/edit", data).status_code == 302
    db.session.expire_all()
    assert event.capacity is None and event.going_count == 3
    assert [events.answer_of(u, event).status for u in people] == ["going"] * 3
    mails = db.session.scalars(sa.select(OutboxMessage.kind)).all()
    assert mails.count("event_place") == 2
