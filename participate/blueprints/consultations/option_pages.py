"""Options: each option's page and discussion, putting one forward, and the officers' appraisal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.blueprints.consultations import bp
from participate.blueprints.consultations.forms import IneligibleForm, MergeForm, OptionForm
from participate.deliberation_web import (
    POSTING_TOO_FAST,
    CommentForm,
    comment_notice,
    forbid_unless,
    posting_allowed,
)
from participate.extensions import db
from participate.models import Consultation, Group, Membership, Option, utcnow
from participate.permissions.deliberation import (
    can_add_option,
    can_appraise_option,
    can_comment,
    option_closed_reason,
)
from participate.services import consultations, discussion, options, social_value
from participate.services.consultations import PhaseError
from participate.services.options import AppraisalError
from participate.web import form_view, get_or_404


def _option(consultation_id: int, option_id: int) -> Option:
    option = get_or_404(Option, option_id)
    if option.consultation_id != consultation_id:
        abort(404)
    return option


@bp.get("/<int:consultation_id>/options/<int:option_id>")
def option(consultation_id: int, option_id: int):
    """An option: what would be done, by whom, its cost, social value, stances and discussion."""
    found = _option(consultation_id, option_id)
    roots = discussion.comment_tree(found)
    return render_template(
        "consultations/option.html",
        consultation=found.consultation,
        option=found,
        counts=options.stance_counts([found.id])[found.id],
        roots=roots,
        comment_count=discussion.count_nodes(roots),
        following=consultations.is_following(current_user, found.consultation),
        comment_form=CommentForm() if can_comment(current_user, found) else None,
        comment_notice=comment_notice(current_user, found),
    )


def _organised_groups(user) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == "organiser",
                Group.archived_at.is_(None),
                Group.hidden_at.is_(None),
            )
            .order_by(Group.name)
        )
    )


@bp.route("/<int:consultation_id>/options/new", methods=["GET", "POST"])
@login_required
@form_view
def new_option(consultation_id: int):
    """Put an option forward (in the options phase)."""
    consultation = get_or_404(Consultation, consultation_id)
    now = utcnow()
    refusal = option_closed_reason(consultation, now)
    forbid_unless(refusal is not None or can_add_option(current_user, consultation, now))
    form = OptionForm()
    form.offer(social_value.active_measures(), _organised_groups(current_user))
    if refusal:
        if form.is_submitted():
            form.validate()
        return render_template(
            "consultations/option_form.html", form=form, consultation=consultation, refusal=refusal
        ), 409
    status = 200
    if form.validate_on_submit():
        if form.is_bot():
            flash(_("Thank you: your option has been added."), "success")
            return redirect(url_for(".show", consultation_id=consultation.id))
        if posting_allowed(current_user):
            return _add(form, consultation)
        form.form_errors.append(POSTING_TOO_FAST)
        status = 429
    return render_template(
        "consultations/option_form.html", form=form, consultation=consultation, refusal=None
    ), status


def _add(form: OptionForm, consultation: Consultation):
    try:
        added, created = options.add_option(
            current_user,
            consultation,
            title=form.title.data,
            description=form.description.data,
            provider_type=form.provider,
            estimated_cost_pence=form.estimated_cost.pence,
            measures=[form.measures_by_id[i] for i in form.social_values.data],
            group=form.groups_by_id.get(form.group.data),
        )
    except PhaseError as exc:
        db.session.rollback()
        return render_template(
            "consultations/option_form.html", form=form, consultation=consultation, refusal=str(exc)
        ), 409
    db.session.commit()
    flash(
        _("Thank you: your option has been added.")
        if created
        else _("You had already sent this option: it is added once."),
        "success",
    )
    return redirect(url_for(".option", consultation_id=consultation.id, option_id=added.id))


def _appraisal_refused(found: Option):
    """Send officers back with the reason when the consultation is past its options phase."""
    forbid_unless(current_user.is_officer or current_user.is_admin)
    if not can_appraise_option(current_user, found):
        flash(_("Options can only be appraised while the consultation is in its options phase."), "error")
        return redirect(url_for(".option", consultation_id=found.consultation_id, option_id=found.id))
    return None


@bp.route("/<int:consultation_id>/options/<int:option_id>/merge", methods=["GET", "POST"])
@login_required
@form_view
def merge(consultation_id: int, option_id: int):
    """Merge a duplicate option into the one that stays."""
    found = _option(consultation_id, option_id)
    refused = _appraisal_refused(found)
    if refused:
        return refused
    form = MergeForm()
    form.offer([o for o in options.options_of(found.consultation) if o.is_active and o.id != found.id])
    if form.validate_on_submit():
        try:
            options.merge_option(current_user, found, form.options_by_id[form.survivor.data])
        except (AppraisalError, PhaseError) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The option has been merged."), "success")
            return redirect(url_for(".option", consultation_id=consultation_id, option_id=found.id))
    return render_template(
        "consultations/merge.html", form=form, option=found, consultation=found.consultation
    )


@bp.route("/<int:consultation_id>/options/<int:option_id>/ineligible", methods=["GET", "POST"])
@login_required
@form_view
def ineligible(consultation_id: int, option_id: int):
    """Mark an option ineligible, with a public reason."""
    found = _option(consultation_id, option_id)
    refused = _appraisal_refused(found)
    if refused:
        return refused
    form = IneligibleForm()
    if form.validate_on_submit():
        try:
            options.mark_ineligible(current_user, found, form.reason.data)
        except (AppraisalError, PhaseError) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The option has been marked ineligible."), "success")
            return redirect(url_for(".option", consultation_id=consultation_id, option_id=found.id))
    return render_template(
        "consultations/ineligible.html", form=form, option=found, consultation=found.consultation
    )


@bp.post("/<int:consultation_id>/options/<int:option_id>/reinstate")
@login_required
def reinstate(consultation_id: int, option_id: int):
    """Put a merged or ineligible option back on the ballot."""
    found = _option(consultation_id, option_id)
    refused = _appraisal_refused(found)
    if refused:
        return refused
    try:
        options.reinstate(current_user, found)
    except (AppraisalError, PhaseError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The option is back on the ballot."), "success")
    return redirect(url_for(".option", consultation_id=consultation_id, option_id=found.id))
