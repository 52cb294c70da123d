"""Outcome proposals: each ward's list and search, proposing, editing, supporting, and their page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.deliberation_web import (
    POSTING_TOO_FAST,
    CommentForm,
    ProposalForm,
    comment_notice,
    forbid_unless,
    labels_context,
    posting_allowed,
)
from participate.extensions import db
from participate.models import OutcomeProposal, ProposalCategory, ProposalRevision, Ward
from participate.permissions.deliberation import (
    can_comment,
    can_edit_proposal,
    can_propose_outcome,
    can_support_proposal,
    can_view_proposal_history,
    proposal_edit_closed_reason,
)
from participate.sections import section
from participate.services import discussion, proposals
from participate.web import form_view, get_or_404
from participate.web import page_number as _page_number

bp = Blueprint("proposals", __name__)
bp.app_context_processor(labels_context)


def _ward(code: str) -> Ward:
    ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
    if ward is None:
        abort(404)
    return ward


def _list_args() -> dict:
    """The sort, category and page asked for (anything unknown falls back to the default)."""
    sort = request.args.get("sort", "newest")
    category = request.args.get("category", "")
    return {
        "sort": sort if sort in proposals.SORTS else "newest",
        "category": ProposalCategory(category) if category in set(ProposalCategory) else None,
        "page": _page_number(),
    }


@section("ward", order=10)
def ward_section(ward: Ward):
    """The ward's proposals, sorted and paginated, on the ward's page."""
    args = _list_args()
    page = proposals.list_proposals(ward, **args)
    return render_template(
        "proposals/_ward_section.html", ward=ward, page=page, args=args, endpoint="wards.show"
    )


@section("home", order=20)
def home_section():
    """The newest proposals in a signed-in resident's ward."""
    if not current_user.is_authenticated or current_user.ward is None:
        return None
    page = proposals.list_proposals(current_user.ward, per_page=5)
    return render_template("proposals/_home_section.html", ward=current_user.ward, page=page)


@bp.get("/proposals/")
def index():
    """Search every ward's proposals."""
    args = _list_args()
    q = request.args.get("q", "").strip()[:200]
    ward_code = request.args.get("ward", "")
    ward = db.session.scalar(select(Ward).where(Ward.code == ward_code.upper())) if ward_code else None
    page = proposals.list_proposals(ward, q=q, **args)
    wards = db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)).all()
    return render_template("proposals/index.html", page=page, args=args, q=q, ward=ward, wards=wards)


@bp.get("/wards/<code>/proposals")
def ward_list(code: str):
    """A ward's proposals: newest, most supported or by category, and a search."""
    ward = _ward(code)
    args = _list_args()
    q = request.args.get("q", "").strip()[:200]
    page = proposals.list_proposals(ward, q=q, **args)
    return render_template("proposals/ward.html", ward=ward, page=page, args=args, q=q)


@bp.route("/wards/<code>/proposals/new", methods=["GET", "POST"])
@login_required
@form_view
def new(code: str):
    """Propose an outcome for your ward."""
    ward = _ward(code)
    forbid_unless(can_propose_outcome(current_user, ward))
    form = ProposalForm()
    status = 200
    if form.validate_on_submit():
        if form.is_bot():
            flash(_("Thank you: your proposal has been published."), "success")
            return redirect(url_for(".ward_list", code=ward.code))
        if posting_allowed(current_user):
            proposal, created = proposals.create_proposal(
                current_user, ward, title=form.title.data, body=form.body.data, category=form.category_value
            )
            db.session.commit()
            flash(
                _("Thank you: your proposal has been published.")
                if created
                else _("You had already sent this proposal: it is published once."),
                "success",
            )
            return redirect(url_for(".show", proposal_id=proposal.id))
        form.form_errors.append(POSTING_TOO_FAST)
        status = 429
    return render_template("proposals/form.html", form=form, ward=ward, proposal=None), status


@bp.get("/proposals/<int:proposal_id>")
def show(proposal_id: int):
    """A proposal, its supports and its discussion."""
    proposal = get_or_404(OutcomeProposal, proposal_id)
    newest = request.args.get("comments") == "newest"
    roots = discussion.comment_tree(proposal, newest_first=newest)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        roots=roots,
        newest=newest,
        supported=proposals.has_supported(current_user, proposal),
        comment_form=CommentForm() if can_comment(current_user, proposal) else None,
        comment_notice=comment_notice(current_user, proposal),
        edit_refusal=proposal_edit_closed_reason(proposal) if proposal.author_id == current_user.id else None,
    )


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit(proposal_id: int):
    """Change a proposal until its first support or comment; every version is kept."""
    proposal = get_or_404(OutcomeProposal, proposal_id)
    forbid_unless(proposal.author_id == current_user.id)
    refusal = proposal_edit_closed_reason(proposal)
    if refusal:
        flash(str(refusal), "error")
        return redirect(url_for(".show", proposal_id=proposal.id))
    forbid_unless(can_edit_proposal(current_user, proposal))
    form = ProposalForm(obj=proposal)
    if request.method == "GET":
        form.category.data = proposal.category.value if proposal.category else ""
    if form.validate_on_submit():
        proposals.edit_proposal(
            proposal, title=form.title.data, body=form.body.data, category=form.category_value
        )
        db.session.commit()
        flash(_("Your proposal has been changed."), "success")
        return redirect(url_for(".show", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, ward=proposal.ward, proposal=proposal)


@bp.get("/proposals/<int:proposal_id>/history")
@login_required
def history(proposal_id: int):
    """Every earlier version of a proposal (for the ward's moderators and its author)."""
    proposal = get_or_404(OutcomeProposal, proposal_id)
    forbid_unless(can_view_proposal_history(current_user, proposal))
    revisions = db.session.scalars(
        select(ProposalRevision)
        .where(ProposalRevision.proposal_id == proposal.id)
        .order_by(ProposalRevision.id.desc())
    ).all()
    return render_template("proposals/history.html", proposal=proposal, revisions=revisions)


@bp.post("/proposals/<int:proposal_id>/support")
@login_required
def support(proposal_id: int):
    """Support a proposal (once)."""
    proposal = get_or_404(OutcomeProposal, proposal_id)
    forbid_unless(can_support_proposal(current_user, proposal))
    if proposals.support(current_user, proposal):
        db.session.commit()
        flash(_("You support this proposal."), "success")
    else:
        flash(_("You already support this proposal."), "info")
    return redirect(url_for(".show", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/withdraw-support")
@login_required
def withdraw_support(proposal_id: int):
    """Withdraw your support."""
    proposal = get_or_404(OutcomeProposal, proposal_id)
    if proposals.withdraw_support(current_user, proposal):
        db.session.commit()
        flash(_("You no longer support this proposal."), "success")
    return redirect(url_for(".show", proposal_id=proposal.id))
