"""Events: organisers schedule them, residents RSVP, the waiting list moves up, attendees are reminded.

Places are counted in `Event.going_count` and taken with one conditional UPDATE
(`… SET going_count = going_count + 1 WHERE going_count < capacity`). The database applies it
atomically — PostgreSQL re-checks the condition after waiting for a concurrent update of the row,
SQLite runs one writer at a time — so when two people take the last place at the same moment
exactly one gets it and the other joins the waiting list. A check constraint backs this up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from participate.extensions import db
from participate.london import tomorrow_ends
from participate.models import Event, Group, NotificationKind, NotificationSetting, Rsvp, User, utcnow
from participate.sanitize import clean_text, render_markdown
from participate.services import mail

# A place that came this close to the start is not followed by a reminder: the mail about the
# place (or the RSVP itself) was moments ago.
REMINDER_MIN_NOTICE = timedelta(hours=12)


class EventActionRefused(Exception):
    """A change the rules do not allow; `message` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _event_link(event: Event) -> str | None:
    try:
        return url_for("champions.event", group_id=event.group_id, event_id=event.id, _external=True)
    except RuntimeError:  # outside a request and without SERVER_NAME: the mail goes without a link
        return None


def _tell(users, event: Event, kind: str, subject, template: str) -> int:
    link = _event_link(event)
    sent = 0
    for user in users:
        if mail.queue_for_user(
            user,
            kind=kind,
            subject=subject,
            template=template,
            context={"user": user, "event": event, "link": link},
        ):
            sent += 1
    return sent


def schedule_event(
    actor: User, group: Group, *, title, starts_at, ends_at, place, description, capacity
) -> Event:
    """An organiser puts an event in the group's calendar."""
    text = clean_text(description or "").strip()
    event = Event(
        group_id=group.id,
        title=clean_text(title).strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=clean_text(place).strip(),
        description=text,
        description_html=str(render_markdown(text)) if text else "",
        capacity=capacity,
        going_count=0,
        created_by_id=actor.id,
    )
    db.session.add(event)
    db.session.flush()
    return event


def edit_event(event: Event, *, title, starts_at, ends_at, place, description, capacity) -> list[Rsvp]:
    """Change an event; a larger capacity moves people up from the waiting list (returned).

    People with a place or on the waiting list are told when the time or the place changes.
    """
    # The capacity changes only if it still holds everyone who has a place (checked in the
    # UPDATE itself, so a place taken meanwhile is counted).
    holds_everyone = Event.id == event.id
    if capacity is not None:
        holds_everyone = holds_everyone & (Event.going_count <= capacity)
    changed = db.session.execute(
        update(Event)
        .where(holds_everyone)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(event)
    if not changed:
        raise EventActionRefused(
            lazy_ngettext(
                "%(num)s person already has a place, so the capacity cannot be less than that.",
                "%(num)s people already have a place, so the capacity cannot be less than that.",
                event.going_count,
            )
        )
    moved = (
        starts_at != event.starts_at or ends_at != event.ends_at or clean_text(place).strip() != event.place
    )
    text = clean_text(description or "").strip()
    event.title = clean_text(title).strip()
    event.starts_at, event.ends_at = starts_at, ends_at
    event.place = clean_text(place).strip()
    event.description = text
    event.description_html = str(render_markdown(text)) if text else ""
    event.sequence = Event.sequence + 1
    db.session.flush()
    db.session.refresh(event)
    promoted = promote_waiting(event)
    if moved:
        _tell(
            _answered(event, (Rsvp.GOING, Rsvp.WAITING)),
            event,
            "event_changed",
            lambda: _l("Changed: %(title)s", title=event.title),
            "emails/event_changed.txt",
        )
    return promoted


def cancel_event(event: Event) -> int:
    """Cancel an event (it stays, marked cancelled); everyone with a place or waiting is told."""
    if event.cancelled_at is not None:
        return 0
    event.cancelled_at = utcnow()
    event.sequence = Event.sequence + 1
    db.session.flush()
    db.session.refresh(event)
    return _tell(
        _answered(event, (Rsvp.GOING, Rsvp.WAITING)),
        event,
        "event_cancelled",
        lambda: _l("Cancelled: %(title)s", title=event.title),
        "emails/event_cancelled.txt",
    )


def _answered(event: Event, statuses) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Rsvp, Rsvp.user_id == User.id)
            .where(Rsvp.event_id == event.id, Rsvp.status.in_(statuses))
            .order_by(Rsvp.status_at)
        )
    )


def _take_place(event: Event) -> bool:
    """Take one place if one is free, atomically; True when it was taken."""
    result = db.session.execute(
        update(Event)
        .where(Event.id == event.id, or_(Event.capacity.is_(None), Event.going_count < Event.capacity))
        .values(going_count=Event.going_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(event, ["going_count"])
    return result.rowcount == 1


def _give_back_place(event: Event) -> None:
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(going_count=Event.going_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(event, ["going_count"])


def answer_of(user, event: Event) -> Rsvp | None:
    """The user's RSVP to the event, if any (cancelled ones included)."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id))


def rsvp(user: User, event: Event) -> Rsvp:
    """Say you are going: a place when one is free, otherwise the end of the waiting list.

    Answering again while going or waiting changes nothing. Two requests by the same person at
    once make the second fail on the (event, user) unique constraint; the view reports that.
    """
    existing = answer_of(user, event)
    if existing is not None and existing.status in (Rsvp.GOING, Rsvp.WAITING):
        return existing
    now = utcnow()
    status = Rsvp.GOING if _take_place(event) else Rsvp.WAITING
    if existing is None:
        existing = Rsvp(event_id=event.id, user_id=user.id, created_at=now)
        db.session.add(existing)
    existing.status = status
    existing.status_at = now
    existing.updated_at = now
    existing.reminded_at = None
    db.session.flush()
    return existing


def cancel_rsvp(answer: Rsvp) -> list[Rsvp]:
    """Give up a place or leave the waiting list; a freed place goes to the first person waiting.

    Returns the answers moved up from the waiting list (each is told by mail).
    """
    now = utcnow()
    freed = db.session.execute(
        update(Rsvp)
        .where(Rsvp.id == answer.id, Rsvp.status == Rsvp.GOING)
        .values(status=Rsvp.CANCELLED, status_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not freed:
        db.session.execute(
            update(Rsvp)
            .where(Rsvp.id == answer.id, Rsvp.status == Rsvp.WAITING)
            .values(status=Rsvp.CANCELLED, status_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.expire(answer)
    if not freed:
        return []
    event = db.session.get(Event, answer.event_id)
    _give_back_place(event)
    return promote_waiting(event)


def promote_waiting(event: Event) -> list[Rsvp]:
    """Give free places to the people waiting, first come first served, and tell them."""
    promoted: list[Rsvp] = []
    if event.cancelled_at is not None or event.starts_at <= utcnow():
        return promoted
    while True:
        first = db.session.scalar(
            select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status == Rsvp.WAITING)
            .order_by(Rsvp.status_at, Rsvp.id)
            .limit(1)
        )
        if first is None or not _take_place(event):
            break
        now = utcnow()
        moved = db.session.execute(
            update(Rsvp)
            .where(Rsvp.id == first.id, Rsvp.status == Rsvp.WAITING)
            .values(status=Rsvp.GOING, status_at=now, updated_at=now, reminded_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.expire(first)
        if not moved:  # they left the waiting list meanwhile: the place stays free for the next
            _give_back_place(event)
            continue
        promoted.append(first)
    if promoted:
        _tell(
            [r.user for r in promoted],
            event,
            "event_place",
            lambda: _l("You have a place: %(title)s", title=event.title),
            "emails/event_place.txt",
        )
    return promoted


def waiting_position(answer: Rsvp) -> int | None:
    """Where someone is on the waiting list (1 = next to get a place)."""
    if answer is None or answer.status != Rsvp.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count(Rsvp.id)).where(
            Rsvp.event_id == answer.event_id,
            Rsvp.status == Rsvp.WAITING,
            or_(
                Rsvp.status_at < answer.status_at,
                (Rsvp.status_at == answer.status_at) & (Rsvp.id < answer.id),
            ),
        )
    )
    return ahead + 1


def waiting_positions(answers) -> dict[int, int]:
    """The waiting-list positions of several answers, in one query (answer id → position)."""
    ids = [a.id for a in answers if a.status == Rsvp.WAITING]
    if not ids:
        return {}
    ahead = aliased(Rsvp)
    count_ahead = (
        select(func.count(ahead.id))
        .where(
            ahead.event_id == Rsvp.event_id,
            ahead.status == Rsvp.WAITING,
            or_(ahead.status_at < Rsvp.status_at, (ahead.status_at == Rsvp.status_at) & (ahead.id < Rsvp.id)),
        )
        .scalar_subquery()
    )
    rows = db.session.execute(select(Rsvp.id, count_ahead).where(Rsvp.id.in_(ids)))
    return {answer_id: n + 1 for answer_id, n in rows}


def waiting_counts(event_ids) -> dict[int, int]:
    """How many people wait for each event, in one query."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Rsvp.event_id, func.count(Rsvp.id))
        .where(Rsvp.event_id.in_(ids), Rsvp.status == Rsvp.WAITING)
        .group_by(Rsvp.event_id)
    )
    return dict(rows.all())


def attendees(event: Event) -> tuple[list[Rsvp], list[Rsvp]]:
    """For the organisers: who has a place, and the waiting list in order."""
    rows = list(
        db.session.scalars(
            select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status.in_((Rsvp.GOING, Rsvp.WAITING)))
            .order_by(Rsvp.status_at, Rsvp.id)
        )
    )
    return [r for r in rows if r.status == Rsvp.GOING], [r for r in rows if r.status == Rsvp.WAITING]


def _due_for_reminder(now: datetime) -> list[int]:
    """The places (answer ids) at events starting by the end of tomorrow that still need a reminder."""
    due_events = (
        select(Event.id)
        .join(Group, Group.id == Event.group_id)
        .where(
            Event.starts_at > now,
            Event.starts_at <= tomorrow_ends(now),
            Event.cancelled_at.is_(None),
            Group.hidden_at.is_(None),
            Group.archived_at.is_(None),
        )
    )
    opted_out = exists().where(
        NotificationSetting.user_id == Rsvp.user_id,
        NotificationSetting.kind == NotificationKind.EVENT_REMINDER,
        NotificationSetting.frequency == "off",
    )
    candidates = db.session.execute(
        select(Rsvp.id, Rsvp.status_at, Event.starts_at)
        .join(Event, Event.id == Rsvp.event_id)
        .where(
            Rsvp.event_id.in_(due_events), Rsvp.status == Rsvp.GOING, Rsvp.reminded_at.is_(None), ~opted_out
        )
    ).all()
    return [i for i, since, starts in candidates if since <= starts - REMINDER_MIN_NOTICE]


def queue_reminders(now: datetime | None = None) -> int:
    """Queue the day-before reminder for everyone with a place at an event starting by the end of tomorrow.

    Each answer is claimed with a conditional UPDATE before its mail is queued, so running this
    again (or twice at once) never sends a second reminder. People who turned event reminders
    off, and places taken less than REMINDER_MIN_NOTICE before the start, are skipped.
    """
    now = now or utcnow()
    eligible = _due_for_reminder(now)
    if not eligible:
        return 0
    claimed = db.session.execute(
        update(Rsvp)
        .where(Rsvp.id.in_(eligible), Rsvp.status == Rsvp.GOING, Rsvp.reminded_at.is_(None))
        .values(reminded_at=now)
        .returning(Rsvp.id)
        .execution_options(synchronize_session=False)
    )
    ids = [row[0] for row in claimed]
    if not ids:
        return 0
    answers = db.session.scalars(
        select(Rsvp).options(joinedload(Rsvp.event)).where(Rsvp.id.in_(ids)).order_by(Rsvp.event_id)
    ).all()
    sent = 0
    for answer in answers:
        event = answer.event
        event.reminders_queued_at = now
        sent += _tell(
            [answer.user],
            event,
            "event_reminder",
            lambda event=event: _l("Reminder: %(title)s", title=event.title),
            "emails/event_reminder.txt",
        )
    db.session.flush()
    return sent
