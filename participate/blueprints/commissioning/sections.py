"""What the commissioning record adds to each ward's page: decisions, their status and delivery."""

from __future__ import annotations

from flask import render_template

from participate.sections import section
from participate.services import commissioning, commissioning_record

WARD_LIMIT = 8


@section("ward", order=30)
def ward_decisions(ward, **_context):
    """What the council commissioned for the ward (and borough-wide), how it goes, its social value,
    and the closed votes whose decision is still to come."""
    filters = commissioning_record.Filters(ward=ward)
    decisions, more = commissioning_record.page_of_decisions(filters, per_page=WARD_LIMIT)
    delivered = commissioning.latest_delivery(c.id for d in decisions for c in d.commitments)
    return render_template(
        "commissioning/_ward_section.html",
        ward=ward,
        decisions=decisions,
        delivered=delivered,
        more=more,
        awaiting=commissioning_record.awaiting_decision(ward),
    )
