"""Results pages: the ranking with a chart drawn on the server, turnout, wards, budget rules."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from participate.blueprints.voting import bp
from participate.blueprints.voting.messages import FUNDING_REASONS, STAGES
from participate.extensions import db
from participate.models import Consultation
from participate.permissions.voting import can_certify_result, can_view_results
from participate.services.certification import CertificationError, certify
from participate.services.results import result_for, with_addresses
from participate.web import get_or_404, require

CHART_WIDTH = 320
CHART_ROW = 44
LABEL_CHARS = 42


def _document(consultation_id: int) -> tuple[Consultation, dict]:
    consultation = get_or_404(Consultation, consultation_id)
    require(can_view_results(current_user, consultation))
    return consultation, with_addresses(result_for(consultation))


def bar_chart(rows: list[tuple[str, int]], width: int = CHART_WIDTH) -> dict:
    """Geometry of a horizontal bar chart: one row per (label, value), negative values leftwards."""
    values = [v for _, v in rows] or [0]
    low, high = min(0, *values), max(0, *values)
    span = (high - low) or 1
    room = width - 56  # space kept for the number after the longest bar
    zero = round((0 - low) / span * room, 2)
    bars = []
    for i, (label, value) in enumerate(rows):
        end = round((value - low) / span * room, 2)
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
        bars.append(
            {
                "label": short,
                "full": label,
                "value": value,
                "y": i * CHART_ROW,
                "x": min(zero, end),
                "width": max(abs(end - zero), 1 if value else 0),
                "text_x": max(zero, end) + 4,
            }
        )
    return {"width": width, "height": max(len(rows), 1) * CHART_ROW, "zero": zero, "bars": bars}


@bp.get("/consultations/<int:consultation_id>/results")
def results(consultation_id: int):
    """The ranking, votes, turnout overall and by ward, and what the budget funds."""
    consultation, document = _document(consultation_id)
    titles = {o["id"]: o["title"] for o in document["options"]}
    chart = bar_chart([(f"{o['rank']}. {o['title']}", o["votes"]) for o in document["options"]])
    return render_template(
        "voting/results.html",
        consultation=consultation,
        result=document,
        titles=titles,
        chart=chart,
        reasons=FUNDING_REASONS,
        stages=STAGES,
    )


@bp.get("/consultations/<int:consultation_id>/results.json")
def results_json(consultation_id: int):
    """The result document, as the API gives it."""
    _consultation, document = _document(consultation_id)
    response = jsonify(document)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation_id}-results.json"'
    )
    return response


CSV_COLUMNS = [
    "scope",
    "ward",
    "ballots",
    "eligible",
    "rank",
    "option_id",
    "external_id",
    "title",
    "votes",
    "votes_for",
    "votes_against",
    "cost_pence",
    "funded_greedy",
    "funded_equal_shares",
]


def result_csv(document: dict) -> str:
    """The result as CSV: the whole consultation first, then each ward (votes and rank only)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    funded = document.get("funded")
    options = {o["id"]: o for o in document["options"]}

    def mark(rule, option_id):
        return "" if funded is None else int(option_id in funded[rule])

    for o in document["options"]:
        writer.writerow(
            ["all", "", document["ballots"], document["eligible"], o["rank"], o["id"], o["external_id"] or "",
             o["title"], o["votes"], o["votes_for"], o["votes_against"], o["cost_pence"],
             mark("greedy", o["id"]), mark("equal_shares", o["id"])]
        )  # fmt: skip
    for ward in document["by_ward"]:
        for o in ward["options"]:
            option = options[o["id"]]
            writer.writerow(
                ["ward", ward["ward"], ward["ballots"], ward["eligible"], o["rank"], o["id"],
                 option["external_id"] or "", option["title"], o["votes"], "", "", option["cost_pence"],
                 "", ""]
            )  # fmt: skip
    return out.getvalue()


@bp.get("/consultations/<int:consultation_id>/results.csv")
def results_csv(consultation_id: int):
    """The result as a spreadsheet."""
    _consultation, document = _document(consultation_id)
    response = Response(result_csv(document), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation_id}-results.csv"'
    )
    return response


@bp.post("/consultations/<int:consultation_id>/certify", endpoint="certify")
def certify_result(consultation_id: int):
    """Certify the result (officers and admins): it becomes final and ballots lose their voters."""
    consultation = get_or_404(Consultation, consultation_id)
    require(can_certify_result(current_user, consultation))
    try:
        unlinked = certify(consultation, current_user)
    except CertificationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The result is certified. %(n)s ballots are no longer linked to their voters.", n=unlinked),
              "success")  # fmt: skip
    return redirect(url_for("voting.results", consultation_id=consultation.id))
