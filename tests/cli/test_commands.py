"""The command-line tools: import-wards, create-user, send-mail and demo."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import sqlalchemy as sa

from participate.extensions import db
from participate.models import OutboxMessage, Role, User, Ward, utcnow
from participate.services import mail
from tests.support import free_port


def test_import_wards_loads_any_councils_wards_and_updates_them(runner, tmp_path):
    csv = tmp_path / "wards.csv"
    csv.write_text("name,code\nAbbey,E05000026\nAlibon,E05000027\n")
    result = runner.invoke(args=["import-wards", str(csv)])
    assert result.exit_code == 0, result.output
    assert "2 wards created" in result.output
    csv.write_text("name,code\nAbbey Ward,E05000026\n")
    result = runner.invoke(args=["import-wards", str(csv), "--retire-missing"])
    assert "1 updated" in result.output
    abbey = db.session.scalar(sa.select(Ward).where(Ward.code == "E05000026"))
    alibon = db.session.scalar(sa.select(Ward).where(Ward.code == "E05000027"))
    assert abbey.name == "Abbey Ward" and alibon.is_current is False


def test_import_wards_takes_the_newest_boundary_set(runner, wards):
    assert len(wards) == 25
    assert "E05000416" not in wards  # Bishop's, a 2002-2022 ward
    assert wards["E05014098"].name == "Brixton Windrush"


def test_import_wards_refuses_a_bad_file_and_changes_nothing(runner, tmp_path):
    before = db.session.scalar(sa.select(sa.func.count(Ward.id)))
    for content, message in [
        ("ward,id\nA,1\n", "needs a name column"),
        ("name,code\nAbbey,NOTACODE1\n", "is not an ONS code"),
        ("name,code\nAbbey,E05000026\nAbbey,E05000026\n", "appears twice"),
    ]:
        csv = tmp_path / "bad.csv"
        csv.write_text(content)
        result = runner.invoke(args=["import-wards", str(csv)])
        assert result.exit_code != 0 and message in result.output
    assert db.session.scalar(sa.select(sa.func.count(Ward.id))) == before


def test_create_user_with_roles_and_repeated_wards(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "Cllr@Example.org",
            "--role",
            "councillor",
            "--ward",
            "E05014098",
            "--ward",
            "e05014101",
            "--password",
            "a long enough passphrase",
            "--verified",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "cllr@example.org"))
    assert {g.ward.code for g in user.grants} == {"E05014098", "E05014101"}
    assert all(g.role == Role.COUNCILLOR for g in user.grants)
    assert user.is_email_verified

    result = runner.invoke(args=["create-user", "boss@example.org", "--role", "admin"])
    assert result.exit_code == 0
    boss = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert boss.role_names == ["admin"]
    # The role is granted, but works only once its holder signs in with two factors.
    assert not boss.is_admin


def test_create_user_refuses_bad_requests(runner):
    cases = [
        (["create-user", "a@example.org", "--role", "councillor"], "needs at least one --ward"),
        (["create-user", "a@example.org", "--ward", "E99999999"], "no ward with the code"),
        (["create-user", "a@example.org", "--password", "short"], "at least 12 characters"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output
    runner.invoke(args=["create-user", "a@example.org"])
    result = runner.invoke(args=["create-user", "A@EXAMPLE.org"])
    assert result.exit_code != 0 and "already exists" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def _queue(n=1):
    with db.session.no_autoflush:
        for i in range(n):
            db.session.add(
                OutboxMessage(
                    to_address=f"r{i}@example.org", kind="test", subject=f"Hello {i}", body_text="Body"
                )
            )
    db.session.commit()


def test_send_mail_prints_messages_when_no_smtp_is_configured(runner):
    _queue(2)
    result = runner.invoke(args=["send-mail"])
    assert "Subject: Hello 0" in result.output and "Subject: Hello 1" in result.output
    assert "2 sent" in result.output
    statuses = set(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {"sent"}


def test_send_mail_delivers_over_smtp(app, runner, smtp_server):
    app.config.update(smtp_server.config())
    _queue(3)
    result = runner.invoke(args=["send-mail"])
    assert "3 sent" in result.output
    assert sorted(m.subject for m in smtp_server.messages) == ["Hello 0", "Hello 1", "Hello 2"]
    # Nothing is sent twice.
    runner.invoke(args=["send-mail"])
    assert len(smtp_server.messages) == 3


def test_send_mail_keeps_messages_and_retries_with_backoff_when_smtp_is_down(app, runner, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing listens there
    _queue(1)
    result = runner.invoke(args=["send-mail"])
    assert "1 to retry later" in result.output
    db.session.expire_all()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert message.send_after > utcnow() + timedelta(seconds=50)
    # Not yet due: a second run sends nothing.
    app.config.update(smtp_server.config())
    runner.invoke(args=["send-mail"])
    assert smtp_server.messages == []
    message.send_after = utcnow() - timedelta(seconds=1)
    db.session.commit()
    runner.invoke(args=["send-mail"])
    assert [m.subject for m in smtp_server.messages] == ["Hello 0"]


def test_backoff_grows_and_is_capped():
    assert [mail.backoff(n).total_seconds() // 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert mail.backoff(30) == timedelta(hours=6)


def test_a_message_that_keeps_failing_is_given_up(app, runner):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    _queue(1)
    for _ in range(2):
        runner.invoke(args=["send-mail"])
        db.session.expire_all()
        message = db.session.scalar(sa.select(OutboxMessage))
        message.send_after = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert db.session.scalar(sa.select(OutboxMessage.status)) == "failed"
    assert smtplib  # the failure came from a real refused connection


def test_demo_runs_twice_without_harm(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.participate.example" in first.output
    users = db.session.scalar(sa.select(sa.func.count(User.id)))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users
    wards = db.session.scalars(sa.select(Ward).where(Ward.is_current)).all()
    residents = db.session.scalars(sa.select(User.ward_id).where(User.email.like("resident-%"))).all()
    assert len(wards) == 25 and {w.id for w in wards} <= set(residents)
    roles = {r for u in db.session.scalars(sa.select(User)) for r in u.role_names}
    assert roles == {"admin", "officer", "councillor"}
