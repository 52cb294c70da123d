"""The support office: every champion, group and event, and the figures the council reports.

Only officers and admins see it; everyone else gets a 403 page that says so.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from participate import charts
from participate.blueprints.champions import bp
from participate.blueprints.champions.loading import int_arg, interest_arg, page_number
from participate.extensions import db
from participate.models import ChampionProfile, Event, Group, Membership, User, utcnow
from participate.models.groups import champion_interests, group_wards
from participate.permissions.champions import can_see_support_office
from participate.services import champions, events, figures, wards
from participate.web import require

OFFICE_PAGE = 50


@bp.before_request
def _office_only():
    # Every support-office address refuses anyone but officers and admins (signed out too: the
    # 403 page offers to sign in) before doing any work.
    if request.endpoint and request.endpoint.startswith("champions.office"):
        require(can_see_support_office(current_user))


def measure_labels() -> dict[str, str]:
    return {
        "champions": _("Champions"),
        "groups": _("Groups"),
        "residents": _("Residents involved"),
        "events_held": _("Events held"),
    }


def _measure() -> str:
    asked = request.args.get("measure", "residents")
    return asked if asked in figures.MEASURES else "residents"


def _label(row) -> str:
    key = row.key
    if hasattr(key, "name") and hasattr(key, "code"):
        return key.name
    if hasattr(key, "year"):
        return format_date(key, "MMM yyyy")
    return champions.interest_label(key)


@bp.get("/support-office/", endpoint="office")
def office():
    """The dashboard: headline figures, and by ward, by interest and by month, each drawn and tabled."""
    measure = _measure()
    now = utcnow()
    ward_rows, interest_rows, month_rows = (
        figures.by_ward(now),
        figures.by_interest(now),
        figures.monthly(now),
    )

    def chart(rows, kind):
        if kind == "bars":
            return charts.horizontal_bars([(_label(r), r.figures.get(measure)) for r in rows])
        items = [(format_date(r.key, "MMM"), r.figures.get(measure)) for r in rows]
        years = [str(r.key.year) if n == 0 or r.key.month == 1 else "" for n, r in enumerate(rows)]
        return charts.columns(items, sublabels=years)

    return render_template(
        "support_office/index.html",
        totals=figures.totals(now),
        measure=measure,
        measures=measure_labels(),
        breakdowns=[
            ("ward", _("By ward"), ward_rows, chart(ward_rows, "bars")),
            ("interest", _("By interest"), interest_rows, chart(interest_rows, "bars")),
            ("month", _("By month"), month_rows, chart(month_rows, "columns")),
        ],
        label=_label,
    )


def _csv(rows: list[list], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    # A spreadsheet would run text that starts like a formula: make it plain text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/support-office/figures.csv", endpoint="office_figures_csv")
def figures_csv():
    """The figures of one breakdown (ward, interest or month) as CSV."""
    by = request.args.get("by", "ward")
    now = utcnow()
    if by == "ward":
        rows = figures.by_ward(now)
        head, keys = ["ward_code", "ward"], [[r.key.code, r.key.name] for r in rows]
    elif by == "interest":
        rows = figures.by_interest(now)
        head, keys = ["interest", "label"], [[r.key.value, champions.interest_label(r.key)] for r in rows]
    elif by == "month":
        rows = figures.monthly(now)
        head, keys = ["month"], [[r.key.strftime("%Y-%m")] for r in rows]
    else:
        abort(404)
    body = [head + list(figures.MEASURES)]
    body += [k + [r.figures.get(m) for m in figures.MEASURES] for k, r in zip(keys, rows, strict=True)]
    return _csv(body, f"champion-figures-by-{by}-{now:%Y-%m-%d}.csv")


def _champion_query():
    query = (
        select(ChampionProfile)
        .join(User, User.id == ChampionProfile.user_id)
        .where(ChampionProfile.stepped_down_at.is_(None))
        .order_by(ChampionProfile.created_at.desc(), ChampionProfile.id.desc())
    )
    if ward_id := int_arg("ward"):
        query = query.where(ChampionProfile.ward_id == ward_id)
    if interest := interest_arg():
        query = query.where(
            ChampionProfile.id.in_(
                select(champion_interests.c.champion_id).where(
                    champion_interests.c.interest == interest.value
                )
            )
        )
    return query


@bp.get("/support-office/champions", endpoint="office_champions")
def office_champions():
    """Every champion; contact details only for those who agreed to be contacted."""
    page = page_number()
    rows = db.session.scalars(_champion_query().limit(OFFICE_PAGE + 1).offset((page - 1) * OFFICE_PAGE)).all()
    shown = rows[:OFFICE_PAGE]
    total = db.session.scalar(select(func.count()).select_from(_champion_query().order_by(None).subquery()))
    return render_template(
        "support_office/champions.html",
        champions=shown,
        interests=champions.interests_of(p.id for p in shown),
        total=total,
        page=page,
        more=len(rows) > OFFICE_PAGE,
        wards=wards.current_wards(),
        ward_id=int_arg("ward"),
        interest=interest_arg(),
    )


@bp.get("/support-office/champions.csv", endpoint="office_champions_csv")
def office_champions_csv():
    """The champion directory as CSV (email only for those who agreed to be contacted)."""
    found = db.session.scalars(_champion_query()).all()
    interests = champions.interests_of(p.id for p in found)
    body = [
        [
            "name",
            "ward_code",
            "ward",
            "interests",
            "statement",
            "availability",
            "listed_publicly",
            "email",
            "since",
        ]
    ]
    for p in found:
        body.append(
            [
                p.user.display_name,
                p.ward.code,
                p.ward.name,
                ";".join(i.value for i in interests.get(p.id, [])),
                p.statement,
                p.availability or "",
                "yes" if p.is_public else "no",
                p.user.email if p.may_contact else "",
                p.created_at.date().isoformat(),
            ]
        )
    return _csv(body, f"champions-{utcnow():%Y-%m-%d}.csv")


@bp.get("/support-office/groups", endpoint="office_groups")
def office_groups():
    """Every group, archived and hidden ones too, with their organisers."""
    page = page_number()
    query = select(Group).order_by(func.lower(Group.name), Group.id)
    if ward_id := int_arg("ward"):
        query = query.where(
            Group.id.in_(select(group_wards.c.group_id).where(group_wards.c.ward_id == ward_id))
        )
    rows = db.session.scalars(query.limit(OFFICE_PAGE + 1).offset((page - 1) * OFFICE_PAGE)).all()
    shown = rows[:OFFICE_PAGE]
    organisers: dict[int, list[str]] = {g.id: [] for g in shown}
    for group_id, name in db.session.execute(
        select(Membership.group_id, User.display_name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id.in_(list(organisers)), Membership.role == Membership.ORGANISER)
        .order_by(Membership.joined_at)
    ):
        organisers[group_id].append(name)
    return render_template(
        "support_office/groups.html",
        groups=shown,
        organisers=organisers,
        page=page,
        more=len(rows) > OFFICE_PAGE,
        wards=wards.current_wards(),
        ward_id=int_arg("ward"),
    )


@bp.get("/support-office/events", endpoint="office_events")
def office_events():
    """Every event, upcoming first (or past ones with ?when=past), with places and waiting lists."""
    page = page_number()
    past = request.args.get("when") == "past"
    now = utcnow()
    query = select(Event).options(joinedload(Event.group))
    if past:
        query = query.where(Event.starts_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.starts_at > now).order_by(Event.starts_at, Event.id)
    rows = db.session.scalars(query.limit(OFFICE_PAGE + 1).offset((page - 1) * OFFICE_PAGE)).unique().all()
    shown = rows[:OFFICE_PAGE]
    return render_template(
        "support_office/events.html",
        events=shown,
        waiting=events.waiting_counts(e.id for e in shown),
        page=page,
        more=len(rows) > OFFICE_PAGE,
        past=past,
    )
