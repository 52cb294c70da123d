"""What voting adds to the account page (your ballots and receipts) and to each ward's page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import or_, select

from participate.extensions import db
from participate.models import Consultation, Phase, Ward
from participate.models.deliberation import consultation_wards as consultation_wards_table
from participate.sections import section
from participate.services.ballots import ballots_of_voter

WARD_LIMIT = 10


@section("account", order=40)
def account_ballots(**_context):
    """The signed-in voter's ballots, each with its receipt."""
    if not current_user.is_authenticated:
        return None
    rows = ballots_of_voter(current_user)
    return render_template("voting/_account_section.html", rows=rows)


@section("ward", order=40)
def ward_votes(ward: Ward, **_context):
    """Votes open to the ward's residents now, and the latest results."""
    rows = db.session.scalars(
        select(Consultation)
        .where(Consultation.phase.in_([Phase.VOTING, Phase.CLOSED]))
        .where(
            or_(
                Consultation.is_borough_wide,
                Consultation.id.in_(
                    select(consultation_wards_table.c.consultation_id).where(
                        consultation_wards_table.c.ward_id == ward.id
                    )
                ),
            )
        )
        .order_by(Consultation.voting_close_at.desc())
        .limit(WARD_LIMIT)
    ).all()
    if not rows:
        return None
    return render_template(
        "voting/_ward_section.html",
        ward=ward,
        voting=[c for c in rows if c.phase == Phase.VOTING],
        closed=[c for c in rows if c.phase == Phase.CLOSED],
    )
