"""`flask --app participate send-reminders`: the day-before reminder, once per person, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participate.extensions import db
from participate.london import in_london, to_utc
from participate.models import NotificationKind, NotificationSetting, OutboxMessage, Rsvp, utcnow
from participate.services import events
from participate.services.mail import send_due
from tests.champions_factories import make_event, make_group


def _tomorrow_at(hour: int):
    from datetime import time

    return to_utc(in_london(utcnow()).date() + timedelta(days=1), time(hour, 0))


def _reminders():
    return db.session.execute(
        sa.select(OutboxMessage.to_address, OutboxMessage.subject).where(
            OutboxMessage.kind == "event_reminder"
        )
    ).all()


def test_reminders_go_once_to_everyone_with_a_place_tomorrow(app, runner, make_user, smtp_server):
    organiser = make_user()
    group = make_group(organiser)
    tomorrow = make_event(group, organiser, title="Seed swap", starts_at=_tomorrow_at(18), capacity=2)
    later = make_event(group, organiser, title="Bat walk", starts_at=utcnow() + timedelta(days=4))
    cancelled = make_event(group, organiser, title="Called off", starts_at=_tomorrow_at(11))
    going = make_user(email="going@example.org")
    also_going = make_user(email="also@example.org")
    waiting = make_user(email="waiting@example.org")
    quiet = make_user(email="quiet@example.org")
    for user in (going, also_going, waiting):
        events.rsvp(user, tomorrow)
    events.rsvp(quiet, later)
    events.rsvp(quiet, cancelled)
    events.cancel_event(cancelled)
    # Answers made well before the event (the RSVP itself was not moments ago).
    db.session.execute(sa.update(Rsvp).values(status_at=utcnow() - timedelta(days=3)))
    db.session.commit()

    first = runner.invoke(args=["send-reminders", "--base-url", "https://participate.example.org"])
    assert first.exit_code == 0, first.output
    assert "2 reminders queued." in first.output
    assert sorted(a for a, _s in _reminders()) == ["also@example.org", "going@example.org"]
    assert all(s == "Reminder: Seed swap" for _a, s in _reminders())

    # Running it again (cron every hour) sends nothing new.
    second = runner.invoke(args=["send-reminders"])
    assert "0 reminders queued." in second.output and len(_reminders()) == 2

    app.config.update(smtp_server.config())
    send_due()
    [mail] = smtp_server.to("going@example.org")
    assert mail.subject == "Reminder: Seed swap"
    assert f"https://participate.example.org/groups/{group.id}/events/{tomorrow.id}" in mail.body
    assert "18:00" in mail.body and "Windrush Square" in mail.body


def test_someone_moved_up_after_the_reminders_went_gets_theirs_on_the_next_run(runner, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, starts_at=_tomorrow_at(19), capacity=1)
    first, second = make_user(email="first@example.org"), make_user(email="second@example.org")
    events.rsvp(first, event)
    events.rsvp(second, event)
    db.session.execute(sa.update(Rsvp).values(status_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    runner.invoke(args=["send-reminders"])
    assert [a for a, _s in _reminders()] == ["first@example.org"]
    events.cancel_rsvp(events.answer_of(first, event))
    db.session.execute(
        sa.update(Rsvp).where(Rsvp.status == Rsvp.GOING).values(status_at=utcnow() - timedelta(days=1))
    )
    db.session.commit()
    runner.invoke(args=["send-reminders"])
    assert sorted(a for a, _s in _reminders()) == ["first@example.org", "second@example.org"]


def test_no_reminder_for_people_who_turned_them_off_or_got_their_place_moments_before(runner, make_user):
    organiser = make_user()
    group = make_group(organiser)
    soon = make_event(group, organiser, starts_at=utcnow() + timedelta(hours=5))
    tomorrow = make_event(group, organiser, starts_at=_tomorrow_at(20))
    just_now = make_user(email="justnow@example.org")
    opted_out = make_user(email="off@example.org")
    events.rsvp(just_now, soon)
    events.rsvp(opted_out, tomorrow)
    db.session.execute(
        sa.update(Rsvp).where(Rsvp.user_id == opted_out.id).values(status_at=utcnow() - timedelta(days=3))
    )
    db.session.add(
        NotificationSetting(user_id=opted_out.id, kind=NotificationKind.EVENT_REMINDER, frequency="off")
    )
    db.session.commit()
    result = runner.invoke(args=["send-reminders"])
    assert "0 reminders queued." in result.output and _reminders() == []
