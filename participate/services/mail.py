"""The outbox: queue mail as rows, then deliver what is due over SMTP with retries."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from participate.extensions import db
from participate.models import OutboxMessage, User, utcnow

# A message claimed by a worker that died is offered again after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)


def queue(
    *,
    to: str,
    kind: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
    locale: str = "en",
    user: User | None = None,
    send_after: datetime | None = None,
) -> OutboxMessage:
    """Render a message in the recipient's language and add it to the outbox."""
    with force_locale(locale):
        body = render_template(template, **context)
        title = str(subject())
    message = OutboxMessage(
        to_address=to,
        user_id=user.id if user else None,
        kind=kind,
        subject=title,
        body_text=body,
        send_after=send_after or utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def queue_for_user(user: User, **kwargs) -> OutboxMessage | None:
    """Queue a message to a user's address in their language (nothing for erased accounts)."""
    if not user.email or user.erased_at:
        return None
    return queue(to=user.email, user=user, locale=user.locale or "en", **kwargs)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _due(now: datetime):
    """SQL condition: the message is due, or was claimed by a worker that has not finished in time."""
    return or_(
        (OutboxMessage.status == OutboxMessage.PENDING) & (OutboxMessage.send_after <= now),
        (OutboxMessage.status == OutboxMessage.SENDING) & (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim_due(limit: int = 50, now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due messages for this worker and commit the claim.

    On PostgreSQL the rows are taken with FOR UPDATE SKIP LOCKED, so any number of workers can
    run at once and each message is claimed by exactly one of them. SQLite ignores FOR UPDATE and
    reads outside a transaction, so two workers may read the same due rows: the claim therefore
    repeats the due condition and keeps only the rows it changed. SQLite runs one write at a time,
    so the second worker's update finds those rows already claimed and takes none of them.

    Delivery is exactly once between workers that run to completion, and at least once when one
    does not: a worker that stops between handing a message to the SMTP server and committing its
    SENT status (killed, out of memory, the database gone) leaves it SENDING, and once
    CLAIM_TIMEOUT has passed another worker sends it again. A worker that takes longer than
    CLAIM_TIMEOUT over one batch opens the same window: keep `--batch` small enough to send well
    within it.
    """
    now = now or utcnow()
    due = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(due))
    claimed: list[int] = []
    if ids:
        claimed = list(
            db.session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), _due(now))
                .values(status=OutboxMessage.SENDING, claimed_at=now)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
    db.session.commit()
    return sorted(claimed, key=ids.index)


def _to_email(message: OutboxMessage) -> EmailMessage:
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="participate")
    if message.kind.startswith("notify"):
        email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        # RFC 8058 one-click unsubscribe: mail programs POST "List-Unsubscribe=One-Click" here.
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    return email


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    if cfg["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            cfg["MAIL_SERVER"], cfg["MAIL_PORT"], context=ssl.create_default_context(), timeout=30
        )
    else:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if cfg["MAIL_USERNAME"]:
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
    return smtp


def send_due(limit: int = 50, echo: Callable[[str], None] = print) -> dict[str, int]:
    """Deliver the due messages once; return how many were sent, retried and given up."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    ids = claim_due(limit)
    if not ids:
        return counts
    cfg = current_app.config
    smtp = None
    if cfg["MAIL_SERVER"]:
        try:
            smtp = _connect()
        except (OSError, smtplib.SMTPException) as exc:
            _release(ids, f"connect: {exc}", counts)
            return counts
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            try:
                if smtp is None:
                    # Development without SMTP: show the message instead of sending it.
                    echo(_to_email(message).as_string())
                else:
                    smtp.send_message(_to_email(message))
            except (OSError, smtplib.SMTPException) as exc:
                _fail(message, str(exc), counts)
            else:
                message.status = OutboxMessage.SENT
                message.sent_at = utcnow()
                counts["sent"] += 1
            db.session.commit()
    finally:
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    return counts


def _fail(message: OutboxMessage, error: str, counts: dict[str, int]) -> None:
    message.attempts += 1
    message.last_error = error[:500]
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = OutboxMessage.FAILED
        counts["failed"] += 1
    else:
        message.status = OutboxMessage.PENDING
        message.send_after = utcnow() + backoff(message.attempts)
        counts["retry"] += 1


def _release(ids: list[int], error: str, counts: dict[str, int]) -> None:
    for message_id in ids:
        _fail(db.session.get(OutboxMessage, message_id), error, counts)
    db.session.commit()
