"""Two `send-mail` workers running at once against a real SMTP server deliver each message once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests import support
from tests.scale.conftest import dispose, migrated_app

MESSAGES = 300
OUTBOX_ID = re.compile(r"<[^>]*outbox-(\d+)@participate>")
SENT = re.compile(r"^(\d+) sent, (\d+) to retry later, (\d+) given up\.$", re.M)


def database(request, backend: str, tmp_path) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("pg_database")
    return f"sqlite:///{tmp_path / 'outbox.sqlite3'}"


def queue_messages(app, n: int) -> list[int]:
    """Queue n password-reset messages, each to its own address; their outbox ids."""
    from participate.extensions import db
    from participate.services import mail

    ids = []
    with app.test_request_context():
        for i in range(n):
            message = mail.queue(
                to=f"resident{i}@example.org",
                kind="reset",
                subject=lambda: "Reset your password",
                template="emails/reset.txt",
                context={
                    "user": SimpleNamespace(display_name=f"Resident {i}"),
                    "link": f"http://127.0.0.1/reset/{i}",
                },
            )
            ids.append(message.id)
        db.session.commit()
    return ids


def start_worker(database_url: str, smtp: support.SMTPServer, instance) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "participate", "send-mail", "--loop", "--batch", "10"],
        cwd=support.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def test_two_send_mail_workers_deliver_each_message_exactly_once(request, backend, tmp_path):
    from participate.extensions import db
    from participate.models import OutboxMessage

    url = database(request, backend, tmp_path)
    app = migrated_app(url, tmp_path / "instance")
    try:
        ids = queue_messages(app, MESSAGES)
        smtp = support.SMTPServer(delay=0.02)  # a relay that takes a moment: the workers overlap
        smtp.start()
        try:
            started = time.monotonic()
            workers = [start_worker(url, smtp, tmp_path / "instance") for _ in range(2)]
            outputs = [w.communicate(timeout=120) for w in workers]
            elapsed = time.monotonic() - started
        finally:
            smtp.stop()
        for worker, (_out, err) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, err
        sent = [int(SENT.search(err).group(1)) for _out, err in outputs]
        print(f"{backend}: {MESSAGES} messages, workers sent {sent} in {elapsed:.1f} s")
        # Both workers took part: the race was real.
        assert all(n > 0 for n in sent), sent
        assert sum(sent) == MESSAGES

        delivered = [int(OUTBOX_ID.search(m.message["Message-ID"]).group(1)) for m in smtp.messages]
        assert len(delivered) == MESSAGES
        assert sorted(delivered) == sorted(ids)  # every message, none twice
        recipients = sorted(r for m in smtp.messages for r in m.recipients)
        assert recipients == sorted(f"resident{i}@example.org" for i in range(MESSAGES))

        with app.app_context():
            rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by("status"))
            assert dict(rows.all()) == {OutboxMessage.SENT: MESSAGES}
    finally:
        dispose(app)


def test_a_worker_that_read_the_same_due_messages_claims_none_of_those_already_claimed(app, make_app):
    """The race, made certain: worker B claims everything between worker A's read and A's claim.

    Runs on the test database (SQLite or PostgreSQL). On SQLite both read the same rows; on
    PostgreSQL B skips the rows A has locked. Either way no message is claimed twice.
    """
    from participate.extensions import db
    from participate.services.mail import claim_due

    ids = queue_messages(app, 5)
    other = make_app()
    taken_by_other: list[int] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGES") and not taken_by_other:
            with other.app_context():
                taken_by_other.extend(claim_due(limit=5) or [-1])
                db.session.remove()

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        taken = claim_due(limit=5)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    mine = [i for i in taken_by_other if i != -1]
    assert not set(taken) & set(mine), (taken, mine)
    assert sorted(taken + mine) == sorted(ids)
