"""The community benefit checklist: admins add measures and withdraw them (never delete used ones)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.blueprints.commissioning import bp
from participate.blueprints.commissioning.forms import MeasureForm
from participate.extensions import db
from participate.models import SocialValueMeasure
from participate.permissions.commissioning import can_edit_checklist
from participate.services import commissioning
from participate.services.commissioning import CommissioningError
from participate.web import form_view, get_or_404, require


def _page(form: MeasureForm, status: int = 200):
    measures = db.session.scalars(
        select(SocialValueMeasure).order_by(SocialValueMeasure.framework, SocialValueMeasure.id)
    ).all()
    in_use = commissioning.measures_in_use()
    return render_template(
        "commissioning/checklist.html", measures=measures, in_use=in_use, form=form
    ), status


@bp.route("/checklist", methods=["GET", "POST"])
@login_required
@form_view
def checklist():
    """The checklist, and a form to add a measure to it."""
    require(can_edit_checklist(current_user))
    form = MeasureForm()
    if form.validate_on_submit():
        try:
            measure = commissioning.add_measure(
                current_user,
                code=form.code.data,
                name=form.name.data,
                unit=form.unit.data,
                theme=form.theme.data,
            )
        except CommissioningError:
            form.code.errors.append(_("Another measure has this code: choose another"))
            return _page(form, 400)
        db.session.commit()
        flash(_("%(code)s is on the checklist.", code=measure.code), "success")
        return redirect(url_for("commissioning.checklist"))
    return _page(form, 400 if form.errors else 200)


@bp.post("/checklist/<int:measure_id>/withdraw")
@login_required
def withdraw_measure(measure_id: int):
    """Stop offering a measure for new commitments (those made keep it)."""
    measure = get_or_404(SocialValueMeasure, measure_id)
    require(can_edit_checklist(current_user))
    commissioning.set_measure_active(current_user, measure, False)
    db.session.commit()
    flash(_("%(code)s is no longer offered for new commitments.", code=measure.code), "success")
    return redirect(url_for("commissioning.checklist"))


@bp.post("/checklist/<int:measure_id>/offer")
@login_required
def offer_measure(measure_id: int):
    """Offer a withdrawn measure again."""
    measure = get_or_404(SocialValueMeasure, measure_id)
    require(can_edit_checklist(current_user))
    commissioning.set_measure_active(current_user, measure, True)
    db.session.commit()
    flash(_("%(code)s is offered again.", code=measure.code), "success")
    return redirect(url_for("commissioning.checklist"))


@bp.post("/checklist/<int:measure_id>/delete")
@login_required
def delete_measure(measure_id: int):
    """Delete a measure nothing uses yet; one in use can only be withdrawn."""
    measure = get_or_404(SocialValueMeasure, measure_id)
    require(can_edit_checklist(current_user))
    code = measure.code
    try:
        commissioning.remove_measure(current_user, measure)
    except CommissioningError:
        flash(_("%(code)s is in use, so it can only be withdrawn.", code=code), "error")
        return redirect(url_for("commissioning.checklist"))
    db.session.commit()
    flash(_("%(code)s is deleted.", code=code), "success")
    return redirect(url_for("commissioning.checklist"))
