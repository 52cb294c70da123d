"""The bulletin board (HTML and CSV) and the receipt lookup."""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from participate.blueprints.voting import bp
from participate.extensions import db
from participate.models import Ballot, Consultation
from participate.permissions.voting import can_view_ballot_by_receipt, can_view_bulletin_board
from participate.services import bulletin
from participate.services.receipts import normalise
from participate.services.results import counted_options
from participate.web import get_or_404, require
from participate.web import page_number as _page_number

BOARD_PAGE_SIZE = 100


def _page_of_receipt(consultation: Consultation, receipt: str, size: int) -> int:
    before = db.session.scalar(
        select(func.count(Ballot.id)).where(
            Ballot.consultation_id == consultation.id, Ballot.receipt < receipt
        )
    )
    return before // size + 1


@bp.get("/consultations/<int:consultation_id>/bulletin-board")
def bulletin_board(consultation_id: int):
    """Every ballot by receipt, a page at a time; `?receipt=` opens the page that lists it."""
    consultation = get_or_404(Consultation, consultation_id)
    require(can_view_bulletin_board(current_user, consultation))
    size = current_app.config.get("BULLETIN_BOARD_PAGE_SIZE", BOARD_PAGE_SIZE)
    wanted = normalise(request.args.get("receipt", ""))
    number = _page_of_receipt(consultation, wanted, size) if wanted else _page_number()
    items, more = bulletin.page(consultation, number, size)
    total = bulletin.count(consultation)
    options = counted_options(consultation)
    return render_template(
        "voting/bulletin_board.html",
        consultation=consultation,
        items=items,
        titles={o.id: o.title for o in options},
        page=number,
        pages=max((total + size - 1) // size, 1),
        more=more,
        total=total,
        wanted=wanted if wanted and any(i["receipt"] == wanted for i in items) else None,
    )


@bp.get("/consultations/<int:consultation_id>/bulletin-board.csv")
def bulletin_board_csv(consultation_id: int):
    """The whole board as CSV, streamed: a receipt, then the votes for each option by number."""
    consultation = get_or_404(Consultation, consultation_id)
    require(can_view_bulletin_board(current_user, consultation))
    option_ids = [o.id for o in counted_options(consultation)]
    response = Response(stream_with_context(bulletin.csv_rows(consultation, option_ids)), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.id}-bulletin-board.csv"'
    )
    return response


@bp.get("/receipts")
def receipts():
    """Look up a ballot by its receipt (a GET form: looking changes nothing)."""
    typed = request.args.get("receipt", "")
    error = None
    if "receipt" in request.args:
        code = normalise(typed)
        found = bulletin.find(None, typed) if code else None
        if not typed.strip():
            error = _("Enter the receipt code you were given when you voted")
        elif code is None:
            error = _(
                "Enter the receipt as it was shown: 12 letters and numbers, like 7KQM-X3PD-9FW2. "
                "Receipts never use the letters I, L or O or the numbers 0 or 1."
            )
        elif found is None:
            error = _("No ballot has the receipt %(code)s. Check the code and try again.", code=code)
        else:
            consultation = db.session.get(Consultation, found.consultation_id)
            if can_view_ballot_by_receipt(current_user, consultation, found):
                return redirect(url_for("voting.receipt", consultation_id=consultation.id, receipt=code))
            error = _(
                "This receipt belongs to a ballot in a vote that is still open. Ballots are published "
                "when voting closes; check again then."
            )
    return render_template("voting/receipts.html", typed=typed, error=error), (400 if error else 200)
