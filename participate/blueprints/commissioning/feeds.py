"""The record as files: decisions as CSV (money as exact pence and as pounds), and an Atom feed of
decisions and progress updates (RFC 4287) for feed readers and other sites."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time
from xml.etree import ElementTree as ET

from flask import Response, current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participate.blueprints.commissioning import bp, filters_from_request
from participate.extensions import db
from participate.models import CommissioningDecision, ProgressUpdate
from participate.services import commissioning_record
from participate.services.commissioning import pounds
from participate.services.commissioning_record import financial_year, year_label

FEED_SIZE = 50
CSV_LIMIT = 10_000
ATOM = "http://www.w3.org/2005/Atom"

DECISION_COLUMNS = [
    "id",
    "url",
    "consultation_id",
    "consultation_title",
    "wards",
    "decided_on",
    "financial_year",
    "provider_name",
    "provider_kind",
    "provider_is_sme",
    "procurement_route",
    "value_pence",
    "value_gbp",
    "start_date",
    "end_date",
    "review_date",
    "status",
    "follows_vote",
    "departure_reason",
    "cabinet_member",
    "social_value_commitments",
]


def cell(value):
    """A CSV cell a spreadsheet shows as text: anything that starts like a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(rows: list[list], filename: str) -> Response:
    """A CSV download (UTF-8, one header row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sme(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def decision_row(d: CommissioningDecision) -> list:
    """One decision as a CSV row (columns in DECISION_COLUMNS)."""
    c = d.consultation
    return [
        d.id,
        url_for("commissioning.show", decision_id=d.id, _external=True),
        c.id,
        c.title,
        "borough" if c.is_borough_wide else " ".join(w.code for w in c.wards),
        d.decided_on.isoformat(),
        year_label(financial_year(d.decided_on)),
        d.provider_name,
        d.provider_kind.value,
        _sme(d.provider_is_sme),
        d.procurement_route.value,
        d.value_pence,
        pounds(d.value_pence),
        d.start_date.isoformat(),
        d.end_date.isoformat(),
        d.review_date.isoformat(),
        d.status.value,
        "no" if d.departs_from_vote else "yes",
        d.departure_reason or "",
        d.cabinet_member,
        "; ".join(cm.measure.code for cm in d.commitments),
    ]


@bp.get("/decisions.csv")
def decisions_csv():
    """The decisions (narrowed like the record's page) as CSV."""
    filters = filters_from_request()
    found = db.session.scalars(commissioning_record.decisions_query(filters).limit(CSV_LIMIT)).all()
    return csv_response([DECISION_COLUMNS] + [decision_row(d) for d in found], "commissioning-decisions.csv")


def _at(day) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _text(parent, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _entry(feed, *, entry_id: str, title: str, link: str, updated: datetime, summary: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", entry_id)
    _text(entry, "title", title)
    ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": link})
    _text(entry, "updated", updated.isoformat())
    _text(entry, "summary", summary)


def _entries():
    decisions = db.session.scalars(
        select(CommissioningDecision).order_by(CommissioningDecision.created_at.desc()).limit(FEED_SIZE)
    ).all()
    updates = db.session.scalars(
        select(ProgressUpdate)
        .options(joinedload(ProgressUpdate.decision))
        .order_by(ProgressUpdate.created_at.desc())
        .limit(FEED_SIZE)
    ).all()
    items = [("decision", d.created_at, d) for d in decisions] + [
        ("update", u.created_at, u) for u in updates
    ]
    return sorted(items, key=lambda i: i[1], reverse=True)[:FEED_SIZE]


def _decision_entry(root, decision: CommissioningDecision, moment: datetime) -> None:
    link = url_for("commissioning.show", decision_id=decision.id, _external=True)
    kind = decision.provider_kind.value.replace("_", " ")
    summary = f"Commissioned from {decision.provider_name} ({kind}) for £{pounds(decision.value_pence)}."
    if decision.departs_from_vote:
        summary += f" Departs from the vote: {decision.departure_reason}"
    title = f"Decision: {decision.consultation.title}"
    _entry(root, entry_id=link, title=title, link=link, updated=moment, summary=summary)


def _update_entry(root, update: ProgressUpdate, moment: datetime) -> None:
    link = url_for(
        "commissioning.show", decision_id=update.decision_id, _external=True, _anchor=f"update-{update.id}"
    )
    title = f"Progress ({update.status.value.replace('_', ' ')}): {update.decision.consultation.title}"
    _entry(root, entry_id=link, title=title, link=link, updated=moment, summary=update.note)


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the latest decisions and progress updates (in English, the record's language)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    home = url_for("commissioning.index", _external=True)
    council = current_app.config["COUNCIL_NAME"]
    _text(root, "id", url_for("commissioning.feed", _external=True))
    _text(root, "title", f"{council}: commissioning decisions and progress")
    ET.SubElement(
        root,
        f"{{{ATOM}}}link",
        {
            "rel": "self",
            "type": "application/atom+xml",
            "href": url_for("commissioning.feed", _external=True),
        },
    )
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": home})
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", council)
    items = _entries()
    _text(root, "updated", (items[0][1] if items else _at(datetime.now(UTC).date())).isoformat())
    for kind, moment, item in items:
        (_decision_entry if kind == "decision" else _update_entry)(root, item, moment)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
