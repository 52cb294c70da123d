"""Consultations (commissioning cycles): the list, each page, opening and changing one, its phases.

Options and their appraisal are in `option_pages.py`; the forms in `forms.py`.
"""

from __future__ import annotations

import click
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participate.blueprints.consultations.forms import ConsultationForm, london_day
from participate.deliberation_web import CommentForm, comment_notice, forbid_unless, labels_context
from participate.extensions import db
from participate.models import Consultation, OutcomeProposal, Phase, PhaseChange, Ward, utcnow
from participate.permissions.deliberation import (
    can_add_option,
    can_comment,
    can_create_consultation,
    can_edit_consultation,
    can_follow,
    can_manage_consultation,
    option_closed_reason,
)
from participate.sections import section
from participate.services import consultations, discussion, options
from participate.services.consultations import PhaseError
from participate.web import form_view, get_or_404
from participate.web import page_number as _page_number

bp = Blueprint("consultations", __name__, url_prefix="/consultations", cli_group=None)
bp.app_context_processor(labels_context)
NAV = [(30, "consultations.index", _l("Consultations"))]


@section("home", order=10)
def home_section():
    """The consultations that concern a signed-in resident (or every open one)."""
    ward = current_user.ward if current_user.is_authenticated else None
    found = consultations.open_for_ward(ward.id if ward else None, limit=10 if ward else 5)
    counts = consultations.option_counts(c.id for c in found)
    return render_template("consultations/_home_section.html", consultations=found, counts=counts, ward=ward)


@section("ward", order=20)
def ward_section(ward: Ward):
    """The consultations that concern a ward, on its page."""
    found, more = consultations.list_consultations(ward=ward, per_page=10)
    counts = consultations.option_counts(c.id for c in found)
    return render_template(
        "consultations/_ward_section.html", consultations=found, counts=counts, ward=ward, more=more
    )


@bp.get("/")
def index():
    """Every consultation, open ones first; by ward and phase."""
    code = request.args.get("ward", "")
    ward = db.session.scalar(select(Ward).where(Ward.code == code.upper())) if code else None
    phase = request.args.get("phase", "")
    phase = Phase(phase) if phase in set(Phase) else None
    page = _page_number()
    found, more = consultations.list_consultations(ward=ward, phase=phase, page=page)
    wards = db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)).all()
    return render_template(
        "consultations/index.html",
        consultations=found,
        counts=consultations.option_counts(c.id for c in found),
        more=more,
        page=page,
        ward=ward,
        phase=phase,
        wards=wards,
        can_create=can_create_consultation(current_user),
    )


@bp.get("/<int:consultation_id>")
def show(consultation_id: int):
    """A consultation: its outcome, phases, options with their stance counts, and its discussion."""
    consultation = get_or_404(Consultation, consultation_id)
    all_options = options.options_of(consultation)
    changes = db.session.scalars(
        select(PhaseChange)
        .where(PhaseChange.consultation_id == consultation.id)
        .options(selectinload(PhaseChange.changed_by))
        .order_by(PhaseChange.id)
    ).all()
    now = utcnow()
    roots = discussion.comment_tree(consultation)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        options=all_options,
        counts=options.stance_counts(o.id for o in all_options),
        roots=roots,
        comment_count=discussion.count_nodes(roots),
        changes=changes,
        following=consultations.is_following(current_user, consultation),
        comment_form=CommentForm() if can_comment(current_user, consultation) else None,
        comment_notice=comment_notice(current_user, consultation),
        may_add_option=can_add_option(current_user, consultation, now),
        option_refusal=option_closed_reason(consultation, now),
        now=now,
    )


def _offer_wards(form: ConsultationForm) -> None:
    query = select(Ward).where(Ward.is_current).order_by(Ward.name)
    if not (current_user.is_officer or current_user.is_admin):
        query = query.where(Ward.id.in_(current_user.councillor_ward_ids))
        form.scope.choices = [c for c in form.scope.choices if c.value == "wards"]
    form.offer_wards(db.session.scalars(query).all())


def _forbid_crafted_scope() -> None:
    """Answer 403 to a request for wards (or a scope) the form never offered this user."""
    if request.method != "POST":
        return
    borough = request.form.get("scope") == "borough"
    ward_ids = {int(v) for v in request.form.getlist("wards") if v.isdigit()}
    forbid_unless(can_create_consultation(current_user, set() if borough else ward_ids, borough))


def _adopted_proposal(form: ConsultationForm) -> OutcomeProposal | None:
    raw = form.proposal_id.data or request.args.get("proposal", "")
    proposal = db.session.get(OutcomeProposal, int(raw)) if str(raw).isdigit() else None
    return proposal if proposal is not None and not proposal.is_hidden else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
@form_view
def new():
    """Open a consultation, optionally adopting a resident's proposal."""
    forbid_unless(can_create_consultation(current_user))
    _forbid_crafted_scope()
    form = ConsultationForm()
    _offer_wards(form)
    proposal = _adopted_proposal(form)
    if request.method == "GET" and proposal is not None:
        form.title.data, form.outcome_statement.data = proposal.title, proposal.body
        form.wards.data, form.proposal_id.data = [proposal.ward_id], str(proposal.id)
    if form.is_submitted() and (form.validate() & form.check_dates(utcnow())):
        settings = form.settings()
        forbid_unless(
            can_create_consultation(current_user, {w.id for w in settings.wards}, settings.is_borough_wide)
        )
        consultation = consultations.create_consultation(current_user, settings, proposal)
        db.session.commit()
        flash(_("The consultation is open."), "success")
        return redirect(url_for(".show", consultation_id=consultation.id))
    return render_template("consultations/form.html", form=form, proposal=proposal, consultation=None)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit(consultation_id: int):
    """Change a consultation before voting opens."""
    consultation = get_or_404(Consultation, consultation_id)
    forbid_unless(can_manage_consultation(current_user, consultation))
    if not can_edit_consultation(current_user, consultation):
        flash(_("Voting has opened, so the consultation's settings can no longer change."), "error")
        return redirect(url_for(".show", consultation_id=consultation.id))
    _forbid_crafted_scope()
    form = ConsultationForm(obj=consultation)
    _offer_wards(form)
    if request.method == "GET":
        _fill(form, consultation)
    if form.is_submitted() and (form.validate() & form.check_dates(utcnow())):
        settings = form.settings()
        forbid_unless(
            can_create_consultation(current_user, {w.id for w in settings.wards}, settings.is_borough_wide)
        )
        consultations.update_consultation(current_user, consultation, settings)
        db.session.commit()
        flash(_("The consultation has been changed."), "success")
        return redirect(url_for(".show", consultation_id=consultation.id))
    return render_template(
        "consultations/form.html", form=form, proposal=consultation.proposal, consultation=consultation
    )


def _fill(form: ConsultationForm, consultation: Consultation) -> None:
    form.scope.data = "borough" if consultation.is_borough_wide else "wards"
    form.wards.data = [w.id for w in consultation.wards]
    form.method.data = consultation.method.value
    for field, moment in (
        (form.options_open, consultation.options_open_at),
        (form.voting_open, consultation.voting_open_at),
        (form.voting_close, consultation.voting_close_at),
    ):
        day = london_day(moment)
        field.data, field.raw = day, {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if consultation.budget_pence:
        form.budget.data = f"{consultation.budget_pence / 100:.2f}".removesuffix(".00")


@bp.post("/<int:consultation_id>/phase")
@login_required
def advance(consultation_id: int):
    """Move the consultation to its next phase now (phases never move back)."""
    consultation = get_or_404(Consultation, consultation_id)
    forbid_unless(can_manage_consultation(current_user, consultation))
    wanted = request.form.get("to", "")
    try:
        consultations.advance_phase(
            consultation, current_user, utcnow(), to=Phase(wanted) if wanted in set(Phase) else None
        )
    except PhaseError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The consultation has moved to its next phase."), "success")
    return redirect(url_for(".show", consultation_id=consultation_id))


@bp.post("/<int:consultation_id>/follow")
@login_required
def follow(consultation_id: int):
    """Follow a consultation: hear about new options and phase changes."""
    consultation = get_or_404(Consultation, consultation_id)
    forbid_unless(can_follow(current_user, consultation))
    consultations.follow(current_user, consultation)
    db.session.commit()
    flash(_("You follow this consultation: we will email you about new options and phases."), "success")
    return redirect(url_for(".show", consultation_id=consultation.id))


@bp.post("/<int:consultation_id>/unfollow")
@login_required
def unfollow(consultation_id: int):
    """Stop following a consultation."""
    consultation = get_or_404(Consultation, consultation_id)
    consultations.unfollow(current_user, consultation)
    db.session.commit()
    flash(_("You no longer follow this consultation."), "success")
    return redirect(url_for(".show", consultation_id=consultation.id))


@bp.cli.command("advance-phases")
def advance_phases_command() -> None:
    """Move consultations whose phase dates have passed (run from cron, e.g. every 5 minutes)."""
    with current_app.test_request_context():
        changes = consultations.advance_due()
        db.session.commit()
    for change in changes:
        click.echo(f"consultation {change.consultation_id}: {change.from_phase} -> {change.to_phase}")
    click.echo(f"{len(changes)} phase changes.", err=True)


# The option pages register their routes on `bp`.
from participate.blueprints.consultations import option_pages  # noqa: E402,F401
