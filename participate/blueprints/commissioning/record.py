"""Recording a decision: a form pre-filled from the vote, then "check your answers", then saved.

The form is stateless: the check page carries every answer in hidden fields, its "Change"
buttons send them back to the form, and "Save" checks them all again before anything is stored.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from participate.blueprints.commissioning import bp
from participate.blueprints.commissioning.forms import DecisionForm
from participate.extensions import db
from participate.models import (
    Consultation,
    DeliveryStatus,
    Group,
    Option,
    Phase,
    ProcurementRoute,
    ProviderKind,
    ProviderType,
    SocialValueMeasure,
    utcnow,
)
from participate.permissions.commissioning import is_commissioner
from participate.services import commissioning
from participate.services.commissioning import CommissioningError, DecisionDraft
from participate.web import form_view, get_or_404, require

REFUSALS = {
    "not_closed": _l("A decision can be recorded once voting has closed."),
    "already_decided": _l("A decision has already been recorded for this consultation."),
    "options": _l("Choose options of this consultation."),
    "end_before_start": _l("The end date must be the same as or after the start date."),
    "review_before_start": _l("The review date must be the same as or after the start date."),
    "value": _l("Enter a contract value of £0 or more."),
    "group": _l("Choose a group that is on this site and not hidden."),
    "measure_twice": _l("Each measure can be committed to once."),
    "measure": _l("Choose measures from the checklist."),
    "reason_required": _l(
        "The options chosen differ from what the vote chose: say why, so residents can read it."
    ),
}


def _choices(consultation: Consultation):
    options = list(
        db.session.scalars(
            select(Option)
            .where(Option.consultation_id == consultation.id, Option.hidden_at.is_(None))
            .order_by(Option.id)
        )
    )
    groups = list(
        db.session.scalars(
            select(Group).where(Group.hidden_at.is_(None), Group.archived_at.is_(None)).order_by(Group.name)
        )
    )
    measures = list(
        db.session.scalars(
            select(SocialValueMeasure)
            .where(SocialValueMeasure.is_active)
            .order_by(SocialValueMeasure.framework, SocialValueMeasure.id)
        )
    )
    return options, groups, measures


def _prefill(consultation: Consultation, options: list[Option], choice) -> MultiDict:
    """The vote's choice and what its options say: the provider kind, the cost, the dates."""
    chosen = [o for o in options if o.id in choice.option_ids]
    kinds = {o.provider_type for o in chosen}
    today = utcnow().date()
    data = MultiDict([("options", str(o.id)) for o in chosen])
    if len(kinds) == 1:
        data["provider_kind"] = ProviderKind(next(iter(kinds)).value).value
    if chosen and all(o.estimated_cost_pence is not None for o in chosen):
        data["value"] = commissioning.pounds(sum(o.estimated_cost_pence for o in chosen))
    if len(chosen) == 1 and chosen[0].group is not None:
        data["provider_kind"] = ProviderKind.COMMUNITY_GROUP.value
        data["provider_group"] = str(chosen[0].group_id)
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        data[f"decided_on-{part}"] = str(value)
    data["provider_is_sme"] = "unknown"
    data["status"] = DeliveryStatus.PLANNED.value
    return data


def _draft(form: DecisionForm) -> DecisionDraft:
    kind = ProviderKind(form.provider_kind.data)
    group = form.groups_by_id.get(form.provider_group.data) if kind == ProviderKind.COMMUNITY_GROUP else None
    return DecisionDraft(
        option_ids=list(form.options.data),
        provider_name=form.provider_name.data or (group.name if group else ""),
        provider_kind=kind,
        provider_group_id=group.id if group else None,
        provider_is_sme={"yes": True, "no": False}.get(form.provider_is_sme.data),
        procurement_route=ProcurementRoute(form.procurement_route.data),
        value_pence=form.value.pence,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        review_date=form.review_date.data,
        decided_on=form.decided_on.data,
        cabinet_member=form.cabinet_member.data,
        departure_reason=form.departure_reason.data or None,
        status=DeliveryStatus(form.status.data),
        commitments=form.commitment_drafts(),
    )


def _carried(formdata) -> list[tuple[str, str]]:
    """The answers a check page carries in hidden fields (not the token or the step)."""
    return [(k, v) for k, v in formdata.items(multi=True) if k not in ("csrf_token", "step", "website")]


def _form_page(consultation, form, choice, options):
    return render_template(
        "commissioning/record.html",
        consultation=consultation,
        form=form,
        choice=choice,
        voted=[o for o in options if o.id in choice.option_ids],
    )


def _check_page(consultation, form, draft, choice, options):
    """Every answer, to check before saving (carried in hidden fields)."""
    return render_template(
        "commissioning/check.html",
        consultation=consultation,
        form=form,
        draft=draft,
        carried=_carried(request.form),
        departs=commissioning.departs_from(choice, draft.option_ids),
        voted=[o for o in options if o.id in choice.option_ids],
        chosen=[o for o in options if o.id in draft.option_ids],
        group=form.groups_by_id.get(draft.provider_group_id),
        measures=form.measures_by_id,
    )


@bp.route("/consultations/<int:consultation_id>/decision", methods=["GET", "POST"])
@login_required
@form_view
def record(consultation_id: int):
    """Record the decision of a closed consultation (officers and admins)."""
    consultation = get_or_404(Consultation, consultation_id)
    require(is_commissioner(current_user))
    if consultation.decision is not None:
        flash(str(REFUSALS["already_decided"]), "info")
        return redirect(url_for("commissioning.show", decision_id=consultation.decision.id))
    if consultation.phase != Phase.CLOSED:
        return render_template("commissioning/not_closed.html", consultation=consultation), 409
    choice = commissioning.vote_choice(consultation)
    options, groups, measures = _choices(consultation)
    step = request.form.get("step", "")
    if request.method == "GET":
        form = DecisionForm(formdata=_prefill(consultation, options, choice), meta={"csrf": False})
        form.offer(options, groups, measures, choice)
        return _form_page(consultation, form, choice, options)
    rows = None
    if step == "more":
        count = sum(1 for k in request.form if k.startswith("commitments-") and k.endswith("-measure"))
        rows = min(count + 1, 30)
    form = DecisionForm(request.form)
    if rows:
        while len(form.commitments) < rows:
            form.commitments.append_entry()
    form.offer(options, groups, measures, choice)
    if step in ("change", "more"):
        return _form_page(consultation, form, choice, options)
    if not form.validate():
        return _form_page(consultation, form, choice, options)
    draft = _draft(form)
    if step != "save":
        return _check_page(consultation, form, draft, choice, options)
    try:
        decision = commissioning.record_decision(current_user, consultation, draft)
    except CommissioningError as refused:
        form.form_errors.append(str(REFUSALS.get(refused.code, refused.code)))
        return _form_page(consultation, form, choice, options)
    db.session.commit()
    flash(_("The decision is on the public record."), "success")
    return redirect(url_for("commissioning.show", decision_id=decision.id))


# Options and their provider types share values with ProviderKind (all but the community group).
assert {t.value for t in ProviderType} <= {k.value for k in ProviderKind}
