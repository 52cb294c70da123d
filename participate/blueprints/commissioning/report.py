"""The borough report, per financial year: spending by provider kind and by ward, the shares to SMEs
and to the voluntary, community and social enterprise sector, social value committed against
delivered, and how often decisions followed the vote; each table also as CSV."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from participate import charts
from participate.blueprints.commissioning import bp
from participate.blueprints.commissioning.feeds import DECISION_COLUMNS, csv_response, decision_row
from participate.models import ProviderKind, utcnow
from participate.services import commissioning_record, commissioning_report
from participate.services.commissioning import pounds, quantity
from participate.services.commissioning_labels import KIND_LABELS, measure_name
from participate.services.commissioning_record import MAX_YEAR, MIN_YEAR, financial_year

TABLES = ("kinds", "wards", "social-value", "decisions")


def _year() -> int:
    """The financial year asked for (`?year=2026`), else the current one."""
    text = request.args.get("year", "")
    if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return financial_year(utcnow().date())


def whole_pounds(pence: int) -> int:
    """Pence to the nearest pound, for a chart's bars (tables keep every penny)."""
    return (pence + 50) // 100


def _charts(report) -> dict:
    ward_name = {r.key: (r.name or _("Borough-wide")) for r in report.by_ward}
    return {
        "kinds": charts.horizontal_bars(
            [(str(KIND_LABELS[ProviderKind(r.key)]), whole_pounds(r.pence)) for r in report.by_kind]
        ),
        "wards": charts.horizontal_bars([(ward_name[r.key], whole_pounds(r.pence)) for r in report.by_ward]),
        "social_value": charts.horizontal_bars(
            [
                (measure_name(r.measure), round(r.share * 100))
                for r in report.social_value
                if r.share is not None
            ]
        ),
        "vote": charts.horizontal_bars(
            [(_("Followed the vote"), report.followed), (_("Departed from it"), len(report.departed))]
        ),
    }


@bp.get("/report")
def report():
    """The borough report for one financial year."""
    year = _year()
    built = commissioning_report.build(year)
    years = sorted(
        set(commissioning_record.years_with_decisions()) | {year, financial_year(utcnow().date())},
        reverse=True,
    )
    return render_template(
        "commissioning/report.html",
        report=built,
        charts=_charts(built) if built.decisions else None,
        years=years,
        year_label=commissioning_record.year_label,
        tables=TABLES,
    )


def _rows(table: str, built) -> list[list]:
    if table == "kinds":
        return [["provider_kind", "decisions", "value_pence", "value_gbp", "share"]] + [
            [r.key, r.decisions, r.pence, pounds(r.pence), f"{r.pence / built.total_pence:.4f}"]
            for r in built.by_kind
        ]
    if table == "wards":
        return [["ward", "name", "decisions", "value_pence", "value_gbp"]] + [
            [r.key, r.name, r.decisions, r.pence, pounds(r.pence)] for r in built.by_ward
        ]
    if table == "social-value":
        return [["code", "measure", "unit", "commitments", "enforceable", "committed", "delivered"]] + [
            [
                r.measure.code,
                r.measure.name,
                r.measure.unit,
                r.commitments,
                r.enforceable,
                quantity(r.committed, r.measure),
                quantity(r.delivered, r.measure),
            ]  # fmt: skip
            for r in built.social_value
        ]
    return [DECISION_COLUMNS] + [decision_row(d) for d in built.decisions]


@bp.get("/report/<table>.csv")
def report_csv(table: str):
    """One table of the borough report as CSV (money in pence and in pounds, exactly)."""
    if table not in TABLES:
        abort(404)
    year = _year()
    built = commissioning_report.build(year)
    return csv_response(_rows(table, built), f"commissioning-{table}-{year}-{(year + 1) % 100:02d}.csv")
