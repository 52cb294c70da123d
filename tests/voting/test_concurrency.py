"""Twenty simultaneous submissions by one voter on PostgreSQL leave one ballot and a consistent count."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import support

pytestmark = pytest.mark.postgres
SUBMISSIONS = 20


@pytest.fixture
def pg_app(make_app, database_url):
    """An app on PostgreSQL: the test database when it is one, else a fresh one on loopback."""
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR

    pool = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": SUBMISSIONS + 5, "max_overflow": 0}}
    if database_url.startswith("postgresql"):
        app = make_app(**pool)
        with app.app_context():
            support.load_test_wards()
            yield app
            support.empty_database()
            from participate.extensions import db

            db.engine.dispose()
        return
    if not support.pg_reachable():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    server = support.pg_url(support.DEFAULT_PG)
    name = f"participate_concurrency_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        app = make_app(SQLALCHEMY_DATABASE_URI=url, **pool)
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            support.load_test_wards()
            yield app
            from participate.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _setup(app):
    from participate.extensions import db
    from participate.models import Consultation, Option, Phase, ProviderType, Ward, utcnow

    now = utcnow()
    ward = db.session.scalar(sa.select(Ward).where(Ward.code == "E05014098"))
    consultation = Consultation(
        title="Concurrent ballots",
        outcome_statement="One ballot per voter, whatever happens.",
        method="quadratic",
        credits=100,
        phase=Phase.VOTING,
        options_open_at=now - timedelta(days=9),
        voting_open_at=now - timedelta(days=1),
        voting_close_at=now + timedelta(days=1),
        wards=[ward],
    )
    options = [
        Option(
            consultation=consultation,
            title=f"Option {i}",
            description="",
            provider_type=ProviderType.IN_HOUSE,
        )
        for i in range(4)
    ]
    db.session.add_all([consultation, *options])
    db.session.commit()
    voter = support.UserFactory({"E05014098": ward})(created_at=now - timedelta(days=30))
    return consultation.id, [o.id for o in options], voter


def test_twenty_simultaneous_submissions_leave_one_ballot_and_a_consistent_tally(pg_app):
    from participate.extensions import db
    from participate.models import Ballot, BallotEntry, Participation
    from participate.services.results import compute

    consultation_id, ids, voter = _setup(pg_app)
    # Each submission is different, so the stored ballot shows which one won, entirely.
    ballots = [{ids[i % 4]: 1 + i % 7, ids[(i + 1) % 4]: 1 + (i * 3) % 5} for i in range(SUBMISSIONS)]
    clients = []
    for _ in range(SUBMISSIONS):
        client = support.Client(pg_app)
        client.sign_in(voter)
        client.get(f"/consultations/{consultation_id}/ballot")
        clients.append(client)
    barrier = threading.Barrier(SUBMISSIONS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(client, ballot):
        data = {"consultation": consultation_id, **{f"votes-{o}": str(v) for o, v in ballot.items()}}
        data["csrf_token"] = client.csrf_token()
        try:
            barrier.wait(timeout=30)
            statuses.append(
                client.post(f"/consultations/{consultation_id}/ballot", data, csrf=False).status_code
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, ballots, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert statuses == [302] * SUBMISSIONS
    db.session.expire_all()
    stored = db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation_id)).all()
    assert len(stored) == 1 and stored[0].voter_id == voter.id
    entries = dict(
        db.session.execute(
            sa.select(BallotEntry.option_id, BallotEntry.votes).where(BallotEntry.ballot_id == stored[0].id)
        ).all()
    )
    assert entries in ballots  # one submission's ballot, whole, never a mixture
    assert db.session.scalar(sa.select(sa.func.count(Participation.id))) == 1
    from participate.models import Consultation

    result = compute(db.session.get(Consultation, consultation_id))
    assert result["ballots"] == 1
    assert {o["id"]: o["votes"] for o in result["options"] if o["votes"]} == entries
