"""Which mails a user gets and how often, the one-click unsubscribe, and the daily digest command."""

from __future__ import annotations

import click
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate import tokens
from participate.extensions import csrf, db
from participate.forms import LINK_PROBLEMS, Form
from participate.models import Consultation, Follow, NotificationKind
from participate.sections import section
from participate.services import notifications
from participate.services.notifications import FREQUENCIES, KIND_LABELS

bp = Blueprint("notifications", __name__, cli_group=None)

FREQUENCY_LABELS = {
    "immediate": lambda: _("At once"),
    "daily": lambda: _("In a daily summary"),
    "off": lambda: _("Never"),
}


@section("account", order=30)
def account_section(user):
    """The account page's links to notification settings and followed consultations."""
    followed = db.session.scalars(
        select(Consultation)
        .join(Follow, Follow.consultation_id == Consultation.id)
        .where(Follow.user_id == user.id)
        .order_by(Consultation.created_at.desc())
        .limit(20)
    ).all()
    return render_template("notifications/_account_section.html", followed=followed)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """Choose, for each kind of mail, whether to get it at once, in a daily summary, or never."""
    current = notifications.settings_for(current_user)
    problems = {}
    if request.method == "POST":
        chosen = {kind: request.form.get(kind.value, "") for kind in NotificationKind}
        problems = {kind for kind, value in chosen.items() if value not in FREQUENCIES}
        if not problems:
            for kind, value in chosen.items():
                if current[kind] != value:
                    notifications.set_frequency(current_user, kind, value)
            db.session.commit()
            flash(_("Your choices have been saved."), "success")
            return redirect(url_for(".settings"))
        current = {**current, **{k: v for k, v in chosen.items() if k not in problems}}
    return render_template(
        "notifications/settings.html",
        current=current,
        problems=problems,
        kinds=list(NotificationKind),
        kind_labels=KIND_LABELS,
        frequency_labels={k: f() for k, f in FREQUENCY_LABELS.items()},
        frequencies=FREQUENCIES,
        form=Form(),
    ), (400 if problems else 200)


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Confirm stopping a kind of mail, without signing in (a GET changes nothing)."""
    try:
        user, kind = notifications.read_unsubscribe_token(token)
    except tokens.LinkError as exc:
        return render_template("notifications/unsubscribe.html", problem=LINK_PROBLEMS[exc.reason]), 400
    return render_template(
        "notifications/unsubscribe.html",
        problem=None,
        token=token,
        user=user,
        kind=kind,
        kind_label=KIND_LABELS.get(kind) if kind else None,
        done=False,
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    """Stop a kind of mail. Mail programs post here in one click (RFC 8058): the signed token in
    the address proves who it is for, so this needs no CSRF token and no session."""
    try:
        user, kind = notifications.read_unsubscribe_token(token)
    except tokens.LinkError as exc:
        return render_template("notifications/unsubscribe.html", problem=LINK_PROBLEMS[exc.reason]), 400
    if request.form.get("scope") == "all":
        kind = None
    notifications.unsubscribe(user, kind)
    db.session.commit()
    return render_template(
        "notifications/unsubscribe.html",
        problem=None,
        token=token,
        user=user,
        kind=kind,
        kind_label=KIND_LABELS.get(kind) if kind else None,
        done=True,
    )


@bp.cli.command("send-digests")
def send_digests_command() -> None:
    """Gather waiting notifications into one mail per user (run daily from cron, then send-mail)."""
    with current_app.test_request_context():
        queued = notifications.send_digests()
        db.session.commit()
    click.echo(f"{queued} daily summaries queued.", err=True)
