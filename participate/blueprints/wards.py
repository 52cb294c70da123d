"""Wards: the list, and each ward's page, which the features fill with sections."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participate.extensions import db
from participate.models import Ward

bp = Blueprint("wards", __name__, url_prefix="/wards")
NAV = [(20, "wards.index", _l("Wards"))]


def ward_by_code(code: str) -> Ward:
    """The ward with this ONS code, or 404."""
    ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
    if ward is None:
        abort(404)
    return ward


@bp.get("/")
def index():
    """Every current ward of the council."""
    wards = db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)).all()
    return render_template("wards/index.html", wards=wards)


@bp.get("/<code>")
def show(code: str):
    """A ward's page: what each feature has to say about this ward."""
    ward = ward_by_code(code)
    return render_template("wards/show.html", ward=ward)
