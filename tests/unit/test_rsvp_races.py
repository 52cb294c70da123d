"""Places at events under concurrency: threads with their own connections, on SQLite and on the local
PostgreSQL (skipped only when no server answers), whatever database the rest of the run uses."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import Event, Interest, Rsvp, User, utcnow
from participate.services import champions, events, groups
from tests.support import DEFAULT_PG, WARDS_CSV, pg_reachable, pg_url

CONTENDERS = 8


def _migrated_app(url: str):
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR, create_app
    from participate.services.wards import import_wards

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "races", "MAIL_SERVER": None}
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        import_wards(WARDS_CSV)
        db.session.commit()
    return app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race_app(request, tmp_path_factory):
    """An app on a database of its own, of each kind."""
    if request.param == "sqlite":
        app = _migrated_app(f"sqlite:///{tmp_path_factory.mktemp('races') / 'races.sqlite3'}")
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    if not pg_reachable():
        pytest.skip(f"no PostgreSQL server at {DEFAULT_PG}")
    admin = sa.create_engine(pg_url(DEFAULT_PG), isolation_level="AUTOCOMMIT")
    name = f"participate_races_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        app = _migrated_app(pg_url(DEFAULT_PG).set(database=name).render_as_string(hide_password=False))
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _setup(app, capacity: int, going: int, waiting: int = 0, contenders: int = CONTENDERS, days: float = 5):
    """An event with `going` places taken and `waiting` people waiting; returns ids."""
    with app.app_context():
        tag = uuid.uuid4().hex[:8]

        def person(n):
            user = User(
                email=f"{tag}-{n}@example.org", display_name=f"Person {n}", email_verified_at=utcnow()
            )
            db.session.add(user)
            db.session.flush()
            return user

        organiser = person("organiser")
        ward = db.session.scalar(sa.select(champions.Ward).limit(1))
        profile = champions.answer_open_call(
            organiser,
            ward=ward,
            statement="x",
            interests=[Interest.OTHER],
            availability=None,
            is_public=False,
            may_contact=False,
        )
        group = groups.start_group(
            organiser,
            profile,
            name=tag,
            focus=Interest.OTHER,
            wards=[ward],
            description="x",
            meeting_place=None,
        )
        starts = utcnow() + timedelta(days=days)
        event = events.schedule_event(
            organiser,
            group,
            title="Last place",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Hall",
            description="",
            capacity=capacity,
        )
        early = [person(f"early-{n}") for n in range(going + waiting)]
        for user in early:
            events.rsvp(user, event)
        db.session.commit()
        late = [person(f"late-{n}").id for n in range(contenders)]
        db.session.commit()
        return event.id, [u.id for u in early], late


def _at_once(app, work, ids):
    """Run work(user_id) in one thread per id, released together; return their results."""
    barrier = threading.Barrier(len(ids))

    def run(user_id):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                return work(user_id)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return list(pool.map(run, ids))


def _statuses(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        rows = db.session.execute(
            sa.select(Rsvp.user_id, Rsvp.status)
            .where(Rsvp.event_id == event_id)
            .order_by(Rsvp.status_at, Rsvp.id)
        ).all()
        return event.going_count, dict(rows)


def _take(app, event_id):
    def work(user_id):
        user, event = db.session.get(User, user_id), db.session.get(Event, event_id)
        answer = events.rsvp(user, event)
        status = answer.status
        db.session.commit()
        return status

    return work


def test_people_taking_the_last_place_at_the_same_moment_exactly_one_gets_it(race_app):
    event_id, _early, late = _setup(race_app, capacity=5, going=4)
    results = _at_once(race_app, _take(race_app, event_id), late)
    assert results.count(Rsvp.GOING) == 1, results
    assert results.count(Rsvp.WAITING) == CONTENDERS - 1
    going_count, statuses = _statuses(race_app, event_id)
    assert going_count == 5
    assert sum(1 for s in statuses.values() if s == Rsvp.GOING) == 5


def test_a_crowd_at_once_fills_the_places_exactly_and_the_rest_wait(race_app):
    event_id, _early, late = _setup(race_app, capacity=3, going=0)
    results = _at_once(race_app, _take(race_app, event_id), late)
    assert results.count(Rsvp.GOING) == 3 and results.count(Rsvp.WAITING) == CONTENDERS - 3
    assert _statuses(race_app, event_id)[0] == 3


def test_a_freed_place_goes_to_the_first_waiting_even_when_someone_new_answers_at_that_moment(race_app):
    # One place, taken; one person waiting; the holder cancels while newcomers answer.
    event_id, (holder, first_waiting), late = _setup(race_app, capacity=1, going=1, waiting=1, contenders=4)

    def work(user_id):
        if user_id == holder:
            with db.session.no_autoflush:
                answer = db.session.scalar(
                    sa.select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == holder)
                )
            events.cancel_rsvp(answer)
            db.session.commit()
            return "cancelled"
        return _take(race_app, event_id)(user_id)

    results = _at_once(race_app, work, [holder, *late])
    assert results[0] == "cancelled" and all(r == Rsvp.WAITING for r in results[1:]), results
    going_count, statuses = _statuses(race_app, event_id)
    assert going_count == 1 and statuses[first_waiting] == Rsvp.GOING and statuses[holder] == Rsvp.CANCELLED


def test_several_places_freed_at_once_each_go_to_the_next_waiting_once(race_app):
    event_id, early, _late = _setup(race_app, capacity=3, going=3, waiting=4, contenders=0)
    holders, waiting = early[:3], early[3:]

    def cancel(user_id):
        answer = db.session.scalar(sa.select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id))
        promoted = events.cancel_rsvp(answer)
        db.session.commit()
        return len(promoted)

    assert sum(_at_once(race_app, cancel, holders)) == 3
    going_count, statuses = _statuses(race_app, event_id)
    assert going_count == 3
    assert [statuses[u] for u in waiting] == [Rsvp.GOING, Rsvp.GOING, Rsvp.GOING, Rsvp.WAITING]


def test_the_database_refuses_more_places_than_the_capacity(race_app):
    event_id, _early, _late = _setup(race_app, capacity=2, going=2, contenders=0)
    with race_app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.update(Event).where(Event.id == event_id).values(going_count=3))
            db.session.flush()
        db.session.rollback()


def test_reminder_runs_at_the_same_moment_queue_each_reminder_once(race_app):
    from participate.models import OutboxMessage

    event_id, early, _late = _setup(race_app, capacity=10, going=6, contenders=0, days=1)
    with race_app.app_context():
        db.session.execute(
            sa.update(Rsvp).where(Rsvp.event_id == event_id).values(status_at=utcnow() - timedelta(days=3))
        )
        db.session.commit()

    def run(_n):
        queued = events.queue_reminders()
        db.session.commit()
        return queued

    assert sum(_at_once(race_app, run, list(range(4)))) == 6
    with race_app.app_context():
        recipients = db.session.scalars(
            sa.select(OutboxMessage.user_id).where(OutboxMessage.kind == "event_reminder")
        ).all()
    assert sorted(recipients) == sorted(early)
