"""Events: scheduling, editing and cancelling them (organisers), and RSVPs (residents)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from participate.blueprints.champions import bp
from participate.blueprints.champions.forms import EventForm
from participate.blueprints.champions.loading import event_or_404, group_or_404
from participate.extensions import db
from participate.forms import ConfirmForm
from participate.models import Rsvp, utcnow
from participate.permissions.accounts import is_signed_in
from participate.permissions.champions import can_manage_group, can_rsvp, can_run_group
from participate.services import events, groups
from participate.web import form_view, require


def _to_event(event):
    return redirect(url_for("champions.event", group_id=event.group_id, event_id=event.id))


@bp.route("/groups/<int:group_id>/events/new", methods=["GET", "POST"])
@login_required
@form_view
def new_event(group_id: int):
    """An organiser schedules an event."""
    group = group_or_404(group_id)
    require(can_run_group(current_user, group))
    form = EventForm()
    if form.validate_on_submit() and not form.is_bot():
        event = events.schedule_event(
            current_user,
            group,
            title=form.title.data,
            starts_at=form.starts_at,
            ends_at=form.ends_at,
            place=form.place.data,
            description=form.description.data,
            capacity=form.places(),
        )
        db.session.commit()
        flash(_("The event is in the group's calendar."), "success")
        return _to_event(event)
    if not form.is_submitted() and group.meeting_place:
        form.place.data = group.meeting_place
    return render_template("champions/event_form.html", group=group, form=form, event=None)


@bp.get("/groups/<int:group_id>/events/<int:event_id>")
def event(group_id: int, event_id: int):
    """An event's page: when and where, places left, and your answer."""
    ev = event_or_404(group_id, event_id)
    group = ev.group
    membership = groups.membership_of(current_user, group)
    answer = events.answer_of(current_user, ev)
    manages = can_manage_group(current_user, group, membership)
    going, waiting = events.attendees(ev) if manages else ([], [])
    return render_template(
        "champions/event.html",
        event=ev,
        group=group,
        answer=answer if answer is not None and answer.status != Rsvp.CANCELLED else None,
        position=events.waiting_position(answer),
        waiting_count=len(waiting) if manages else events.waiting_counts([ev.id]).get(ev.id, 0),
        manages=manages,
        runs=can_run_group(current_user, group, membership),
        going=going,
        waiting=waiting,
        is_past=ev.starts_at <= utcnow(),
        form=ConfirmForm(),
    )


@bp.route("/groups/<int:group_id>/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit_event(group_id: int, event_id: int):
    """An organiser changes an event; people going or waiting are told if the time or place changes."""
    ev = event_or_404(group_id, event_id)
    require(can_run_group(current_user, ev.group) and ev.cancelled_at is None)
    form = EventForm(obj=ev)
    form.original_start = ev.starts_at
    if form.validate_on_submit() and not form.is_bot():
        try:
            promoted = events.edit_event(
                ev,
                title=form.title.data,
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                place=form.place.data,
                description=form.description.data,
                capacity=form.places(),
            )
        except events.EventActionRefused as refused:
            db.session.rollback()
            form.capacity.errors.append(str(refused.message))
            return render_template("champions/event_form.html", group=ev.group, form=form, event=ev), 400
        db.session.commit()
        flash(_("The event has been changed."), "success")
        if promoted:
            flash(
                ngettext(
                    "%(num)s person moved up from the waiting list.",
                    "%(num)s people moved up from the waiting list.",
                    len(promoted),
                ),
                "info",
            )
        return _to_event(ev)
    if not form.is_submitted():
        form.fill_from(ev)
    return render_template("champions/event_form.html", group=ev.group, form=form, event=ev)


@bp.route("/groups/<int:group_id>/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
@form_view
def cancel_event(group_id: int, event_id: int):
    """An organiser cancels an event, after a confirmation; people going or waiting are told."""
    ev = event_or_404(group_id, event_id)
    require(can_manage_group(current_user, ev.group) and ev.cancelled_at is None)
    form = ConfirmForm()
    if form.validate_on_submit():
        events.cancel_event(ev)
        db.session.commit()
        flash(_("The event has been cancelled and the people going have been told."), "success")
        return _to_event(ev)
    return render_template("champions/event_cancel.html", event=ev, group=ev.group, form=form)


@bp.post("/groups/<int:group_id>/events/<int:event_id>/rsvp")
def rsvp(group_id: int, event_id: int):
    """Say you are going: a place if one is free, otherwise the waiting list."""
    ev = event_or_404(group_id, event_id)
    require(can_rsvp(current_user, ev))
    try:
        answer = events.rsvp(current_user, ev)
        status = answer.status
        db.session.commit()
    except IntegrityError:  # the same person pressed twice at once: the first answer stands
        db.session.rollback()
        answer = events.answer_of(current_user, ev)
        status = answer.status if answer else None
    if status == Rsvp.GOING:
        flash(_("You have a place. We will remind you the day before."), "success")
    elif status == Rsvp.WAITING:
        flash(
            _("The event is full, so you are on the waiting list. We will email you if a place comes up."),
            "info",
        )
    return _to_event(ev)


@bp.post("/groups/<int:group_id>/events/<int:event_id>/rsvp/cancel")
def cancel_rsvp(group_id: int, event_id: int):
    """Give up your place (the first person waiting gets it) or leave the waiting list."""
    ev = event_or_404(group_id, event_id)
    answer = events.answer_of(current_user, ev)
    require(is_signed_in(current_user) and answer is not None and ev.starts_at > utcnow())
    was = answer.status
    events.cancel_rsvp(answer)
    db.session.commit()
    if was == Rsvp.GOING:
        flash(_("You have given up your place. Thank you for letting someone else have it."), "success")
    elif was == Rsvp.WAITING:
        flash(_("You have left the waiting list."), "success")
    return _to_event(ev)
