"""The commissioning record: what the council commissioned after each vote, and how it is going.

Pages: the record (`index`), each decision (`show`), recording a decision (`record.py`), progress
(`progress.py`), the checklist (`checklist.py`), the borough report (`report.py`), CSV and the
Atom feed (`feeds.py`), the ward page's section (`sections.py`) and `export-ocds` (`commands.py`).
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from participate.extensions import db
from participate.models import CommissioningDecision, DeliveryStatus, SocialValueMeasure, Ward
from participate.permissions.commissioning import can_post_progress
from participate.services import commissioning, commissioning_record
from participate.services.commissioning_labels import labels_context, unit_label
from participate.services.commissioning_record import MAX_YEAR, MIN_YEAR
from participate.templating import money
from participate.web import get_or_404, page_number

bp = Blueprint("commissioning", __name__, url_prefix="/commissioning", cli_group=None)
bp.app_context_processor(labels_context)
NAV = [(50, "commissioning.index", _l("Commissioning"))]


@bp.app_template_filter("measure_amount")
def measure_amount(value: Decimal | None, measure: SocialValueMeasure) -> str:
    """A target or delivery in the reader's language: money, met or not, or a number and its unit."""
    if value is None:
        return "–"
    if measure.is_money:
        return money(int(value))
    if measure.is_qualitative:
        return _("met") if value >= 1 else _("not met yet")
    from flask_babel import format_decimal

    return f"{format_decimal(value)} {unit_label(measure)}"


@bp.app_template_global()
def consultation_url(consultation_id: int) -> str:
    """The consultation's page, where deliberation is installed, else its results."""
    if "consultations.show" in current_app.view_functions:
        return url_for("consultations.show", consultation_id=consultation_id)
    return url_for("voting.results", consultation_id=consultation_id)


def filters_from_request() -> commissioning_record.Filters:
    """The ward, status and financial year a list is narrowed to (unknown values are ignored)."""
    code = (request.args.get("ward") or "").upper()
    ward = db.session.scalar(select(Ward).where(Ward.code == code)) if code else None
    status = request.args.get("status", "")
    year = request.args.get("year", "")
    return commissioning_record.Filters(
        ward=ward,
        status=DeliveryStatus(status) if status in set(DeliveryStatus) else None,
        year=int(year) if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR else None,
    )


@bp.get("/")
def index():
    """Every decision on record, latest first, by ward, status and financial year."""
    filters = filters_from_request()
    page = page_number()
    decisions, more = commissioning_record.page_of_decisions(filters, page)
    delivered = commissioning.latest_delivery(c.id for d in decisions for c in d.commitments)
    return render_template(
        "commissioning/index.html",
        decisions=decisions,
        delivered=delivered,
        filters=filters,
        page=page,
        more=more,
        wards=db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)).all(),
        years=commissioning_record.years_with_decisions(),
        year_label=commissioning_record.year_label,
    )


@bp.get("/<int:decision_id>")
def show(decision_id: int):
    """One decision: the vote beside what was commissioned, the provider, commitments and progress."""
    decision = get_or_404(CommissioningDecision, decision_id)
    choice = commissioning.vote_choice(decision.consultation)
    voted = {o.id: o for o in decision.consultation.options}
    updates = commissioning_record.updates_of([decision.id])[decision.id]
    return render_template(
        "commissioning/show.html",
        decision=decision,
        consultation=decision.consultation,
        voted=[voted[i] for i in choice.option_ids if i in voted],
        choice=choice,
        updates=updates,
        delivered=commissioning.latest_delivery(c.id for c in decision.commitments),
        may_post=can_post_progress(current_user, decision),
    )


# Importing the view modules registers their routes on `bp`.
from participate.blueprints.commissioning import (  # noqa: E402, F401
    checklist,
    commands,
    feeds,
    progress,
    record,
    report,
    sections,
)
