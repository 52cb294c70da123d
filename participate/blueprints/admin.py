"""Administration: suspending accounts for a period, and lifting a suspension (admins only)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from participate.deliberation_web import ReasonForm, forbid_unless
from participate.extensions import db
from participate.models import User, utcnow
from participate.permissions.moderation import can_suspend_user
from participate.security import is_safe_next
from participate.services import moderation
from participate.services.moderation import ModerationError
from participate.web import form_view, get_or_404

bp = Blueprint("admin", __name__, url_prefix="/admin")


class SuspendForm(ReasonForm):
    """How long an account is suspended, and why (the reason is in the public log)."""

    days = IntegerField(
        _l("For how many days?"),
        default=7,
        validators=[
            InputRequired(message=_l("Enter a number of days")),
            NumberRange(min=1, max=3650, message=_l("Enter a number of days from 1 to 3,650")),
        ],
        render_kw={"inputmode": "numeric"},
    )


def _back(user: User) -> str:
    back = request.form.get("next")
    return back if is_safe_next(back) else url_for(".suspend", user_id=user.id)


@bp.route("/users/<int:user_id>/suspend", methods=["GET", "POST"])
@login_required
@form_view
def suspend(user_id: int):
    """Suspend an account: it can still read, but cannot take part until the suspension ends."""
    user = get_or_404(User, user_id)
    forbid_unless(can_suspend_user(current_user, user))
    form = SuspendForm()
    if form.validate_on_submit():
        now = utcnow()
        moderation.suspend(current_user, user, now + timedelta(days=form.days.data), form.reason.data, now)
        db.session.commit()
        flash(_("The account is suspended. The moderation log records it, without naming anyone."), "success")
        return redirect(_back(user))
    return render_template(
        "admin/suspend.html",
        form=form,
        user=user,
        lift_form=ReasonForm(prefix="lift"),
        next=request.values.get("next", ""),
    )


@bp.post("/users/<int:user_id>/lift-suspension")
@login_required
@form_view
def lift_suspension(user_id: int):
    """End a suspension early."""
    user = get_or_404(User, user_id)
    forbid_unless(can_suspend_user(current_user, user))
    lift_form = ReasonForm(prefix="lift")
    if lift_form.validate_on_submit():
        try:
            moderation.lift_suspension(current_user, user, lift_form.reason.data)
        except ModerationError as exc:
            db.session.rollback()
            lift_form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The suspension has been lifted."), "success")
            return redirect(_back(user))
    return render_template(
        "admin/suspend.html", form=SuspendForm(formdata=None), user=user, lift_form=lift_form, next=""
    ), 400
