"""Voting: the ballot, receipts, the bulletin board and results of each consultation."""

from __future__ import annotations

from flask import Blueprint, current_app, url_for

bp = Blueprint("voting", __name__)


def consultation_page(consultation_id: int) -> str | None:
    """The consultation's own page, when the feature that shows it is installed."""
    if "consultations.show" in current_app.view_functions:
        return url_for("consultations.show", consultation_id=consultation_id)
    return None


@bp.app_context_processor
def _links():
    return {"consultation_page": consultation_page}


# Importing the views registers their routes and sections on `bp`.
from participate.blueprints.voting import ballot, board, results, sections  # noqa: E402, F401
