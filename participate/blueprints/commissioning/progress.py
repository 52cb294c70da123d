"""Posting progress on commissioned work (officers and admins): status, a note, and delivery."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from participate.blueprints.commissioning import bp
from participate.blueprints.commissioning.forms import ProgressForm
from participate.extensions import db
from participate.models import CommissioningDecision, DeliveryStatus, utcnow
from participate.permissions.commissioning import can_post_progress
from participate.services import commissioning
from participate.services.commissioning import CommissioningError, ProgressDraft
from participate.web import form_view, get_or_404, require

REFUSALS = {
    "update_before_decision": _l("The update cannot be dated before the decision was taken."),
    "delivered": _l("Report delivery against this decision's own commitments, as 0 or more."),
}


def _prefill(decision: CommissioningDecision) -> MultiDict:
    """Today's date, the current status and the latest delivery figures."""
    today = utcnow().date()
    data = MultiDict(
        {
            f"update_date-{p}": str(v)
            for p, v in (("day", today.day), ("month", today.month), ("year", today.year))
        }
    )
    data["status"] = decision.status.value
    latest = commissioning.latest_delivery(c.id for c in decision.commitments)
    for n, commitment in enumerate(decision.commitments):
        value = latest.get(commitment.id)
        if value is None:
            continue
        if commitment.measure.is_qualitative:
            data[f"delivered-{n}-value"] = "met" if value >= 1 else "not_met"
        else:
            data[f"delivered-{n}-value"] = commissioning.quantity(value, commitment.measure)
    return data


@bp.route("/<int:decision_id>/progress", methods=["GET", "POST"])
@login_required
@form_view
def progress(decision_id: int):
    """Post a dated progress update on a decision."""
    decision = get_or_404(CommissioningDecision, decision_id)
    require(can_post_progress(current_user, decision))
    if request.method == "GET":
        form = ProgressForm(formdata=_prefill(decision), meta={"csrf": False})
    else:
        form = ProgressForm()
    form.bind_commitments(decision.commitments)
    if request.method == "POST" and form.validate():
        draft = ProgressDraft(
            update_date=form.update_date.data,
            status=DeliveryStatus(form.status.data),
            note=form.note.data,
            delivered=form.delivered_values(),
        )
        try:
            commissioning.post_update(current_user, decision, draft)
        except CommissioningError as refused:
            form.form_errors.append(str(REFUSALS.get(refused.code, refused.code)))
        else:
            db.session.commit()
            flash(
                _("The update is published, and residents who took part or follow the ward are told."),
                "success",
            )
            return redirect(url_for("commissioning.show", decision_id=decision.id, _anchor="progress"))
    return render_template("commissioning/progress.html", decision=decision, form=form)
