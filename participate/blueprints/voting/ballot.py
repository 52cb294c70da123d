"""The ballot page: cast or change a ballot, check the credits first, and see the receipt."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from participate.blueprints.voting import bp
from participate.blueprints.voting.messages import (
    NO_VOTE,
    approvals_message,
    credits_left_message,
    problem_message,
    vote_cost_message,
)
from participate.extensions import db
from participate.forms import CSRF_MESSAGE, Form
from participate.models import Ballot, Consultation, VotingMethod
from participate.permissions.voting import can_view_ballot_by_receipt, why_cannot_vote
from participate.services import ballots
from participate.services.receipts import normalise
from participate.services.results import counted_options
from participate.voting import rules as voting_rules
from participate.web import form_view, get_or_404


class BallotForm(Form):
    """The ballot's CSRF token and honeypot; its votes are read from the request by option."""


@dataclass
class Typed:
    """What the voter sent, kept to show it again: ticked option ids, or typed votes by option."""

    ticked: set[str] = field(default_factory=set)
    votes: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)


def read_typed(consultation: Consultation, form) -> Typed:
    """Turn the submitted fields into (option, votes) pairs exactly as sent, duplicates included."""
    typed = Typed()
    if consultation.method == VotingMethod.APPROVAL:
        for value in form.getlist("approve"):
            typed.ticked.add(value)
            typed.pairs.append((value, 1))
        return typed
    for key in form:
        if key.startswith("votes-"):
            option = key.removeprefix("votes-")
            for value in form.getlist(key):
                typed.votes.setdefault(option, value)
                typed.pairs.append((option, value))
    return typed


def typed_from_ballot(consultation: Consultation, ballot: Ballot | None) -> Typed:
    """The voter's stored ballot as the form shows it."""
    typed = Typed()
    if ballot is None:
        return typed
    for option_id, votes in ballots.entries_of(ballot).items():
        if consultation.method == VotingMethod.APPROVAL:
            typed.ticked.add(str(option_id))
        else:
            typed.votes[str(option_id)] = str(votes)
    return typed


def _spent(typed: Typed) -> int | None:
    """Credits the typed votes would cost, or None while some value is not a whole number."""
    total = 0
    for value in typed.votes.values():
        votes = voting_rules.parse_votes(value)
        if votes is None:
            return None
        total += voting_rules.cost(votes)
    return total


def _render(
    consultation, options, typed, *, form, existing, reason=None, errors=(), checked=False, status=200
):
    titles = {o.id: o.title for o in options}
    spent = _spent(typed) if consultation.method == VotingMethod.QUADRATIC else None
    costs = {}
    for option, value in typed.votes.items():
        votes = voting_rules.parse_votes(value)
        costs[option] = voting_rules.cost(votes) if votes else None
    return render_template(
        "voting/ballot.html",
        consultation=consultation,
        options=options,
        typed=typed,
        form=form,
        existing=existing,
        reason=reason,
        reason_text=NO_VOTE[reason] if reason else None,
        errors=list(errors),
        field_errors={anchor: message for message, anchor in reversed(list(errors))},
        titles=titles,
        spent=spent,
        credits_text=(
            credits_left_message(spent, consultation.credits, over=spent > consultation.credits)
            if spent is not None
            else None
        ),
        checked=checked,
        max_votes=math.isqrt(consultation.credits),
        vote_costs=costs,
        vote_cost_message=vote_cost_message,
        vote_cost_template=vote_cost_message("{credits}"),
        credits_initial=credits_left_message(0, consultation.credits),
        credits_ok_template=credits_left_message("{spent}", "{credits}"),
        credits_over_template=credits_left_message("{spent}", "{credits}", over=True),
        approvals_text=approvals_message(len(typed.ticked), consultation.max_approvals or 0),
        approvals_template=approvals_message("{given}", consultation.max_approvals or 0),
    ), status


def _problem_links(problems, consultation) -> list[tuple[str, str]]:
    """Each problem's message and the field it links to in the error summary."""
    options = ballots.ballot_options(consultation)
    titles = {o.id: o.title for o in options}
    prefix = "approve-" if consultation.method == VotingMethod.APPROVAL else "votes-"
    links = []
    for problem in problems:
        anchor = f"{prefix}{problem.option_id}" if problem.option_id in titles else "ballot-options"
        links.append((problem_message(problem, titles), anchor))
    return links


@bp.route("/consultations/<int:consultation_id>/ballot", methods=["GET", "POST"])
@form_view
def ballot(consultation_id: int):
    """Show the ballot (GET) or cast it (POST); a refused ballot comes back as it was typed.

    A ballot that is cast reads only what casting needs: the options and the stored ballot are
    loaded to draw the page, which a successful POST does not.
    """
    consultation = get_or_404(Consultation, consultation_id)
    reason = why_cannot_vote(current_user, consultation)
    form = BallotForm()

    def page(typed, **kwargs):
        options = ballots.ballot_options(consultation)
        existing = ballots.ballot_of(current_user, consultation)
        if typed is None:
            typed = typed_from_ballot(consultation, existing)
        return _render(consultation, options, typed, form=form, existing=existing, **kwargs)

    if request.method == "GET":
        return page(None, reason=reason)
    typed = read_typed(consultation, request.form)
    if reason is not None:
        return page(typed, reason=reason, status=403)
    if not form.validate_on_submit():
        return page(typed, errors=[(CSRF_MESSAGE, "ballot-options")], status=400)
    if request.form.get("consultation") != str(consultation_id):
        message = _(
            "This ballot was sent for a different consultation, so nothing was saved. "
            "Check your answers and send it again."
        )
        return page(typed, errors=[(message, "ballot-options")], status=400)
    if request.form.get("action") == "check":
        try:
            ballots.check_ballot(consultation, typed.pairs)
        except ballots.BallotRefused as refused:
            links = _problem_links(refused.problems, consultation)
            return page(typed, errors=links, checked=True, status=400)
        return page(typed, checked=True)
    try:
        result = ballots.cast_ballot(current_user, consultation, typed.pairs)
    except ballots.NotEligible as refused:
        db.session.rollback()
        return page(typed, reason=refused.reason, status=403)
    except ballots.BallotRefused as refused:
        db.session.rollback()
        links = _problem_links(refused.problems, consultation)
        return page(typed, errors=links, status=400)
    receipt, changed = result.ballot.receipt, result.changed
    db.session.commit()
    # Nothing loaded before the commit is read after it: that would cost a query per object.
    flash(_("Your ballot has been changed.") if changed else _("Your ballot has been cast."), "success")
    return redirect(url_for("voting.receipt", consultation_id=consultation_id, receipt=receipt))


@bp.get("/consultations/<int:consultation_id>/receipt/<receipt>")
def receipt(consultation_id: int, receipt: str):
    """A ballot by its receipt: its voter's until voting closes, then anyone's."""
    consultation = get_or_404(Consultation, consultation_id)
    code = normalise(receipt)
    found = None
    if code is not None:
        found = db.session.scalar(
            db.select(Ballot).where(Ballot.consultation_id == consultation.id, Ballot.receipt == code)
        )
    # Not found and not allowed look the same: a receipt's existence is not revealed early.
    if found is None or not can_view_ballot_by_receipt(current_user, consultation, found):
        abort(404)
    if code != receipt:
        return redirect(url_for("voting.receipt", consultation_id=consultation.id, receipt=code))
    options = {o.id: o for o in counted_options(consultation)}
    entries = ballots.entries_of(found)
    return render_template(
        "voting/receipt.html",
        consultation=consultation,
        ballot=found,
        entries=[(options[o], v) for o, v in entries.items() if o in options],
        is_own=current_user.is_authenticated and found.voter_id == current_user.id,
        can_change=why_cannot_vote(current_user, consultation) is None,
    )
