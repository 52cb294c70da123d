"""Administration of people: find an account, confirm a resident's ward, grant and revoke roles,
and read the audit log of staff actions."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from participate.extensions import db
from participate.forms import Form, offer_wards, ward_field
from participate.models import AuditEntry, Role, RoleGrant, User
from participate.permissions.accounts import (
    can_manage_users,
    can_read_audit_log,
    can_verify_residents,
    can_view_people,
)
from participate.security import no_store
from participate.services import accounts
from participate.web import form_view, get_or_404, page_number, require

bp = Blueprint("people", __name__, url_prefix="/admin")
bp.after_request(no_store)
PER_PAGE = 50

ROLE_LABELS = {
    Role.COUNCILLOR: _l("Councillor"),
    Role.OFFICER: _l("Council officer"),
    Role.ADMIN: _l("Administrator"),
}


class GrantForm(Form):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired(message=_l("Select a role"))],
    )
    ward = ward_field()

    def validate(self, extra_validators=None) -> bool:
        # A ward is needed only for a councillor.
        if self.role.data != Role.COUNCILLOR.value:
            self.ward.validators = []
            self.ward.data = None
        return super().validate(extra_validators)


@bp.get("/")
@login_required
def index():
    """What staff can administer."""
    require(can_view_people(current_user))
    return render_template("admin/index.html")


@bp.get("/users")
@login_required
def users():
    """Find people by name or email address."""
    require(can_view_people(current_user))
    q = (request.args.get("q") or "").strip()
    query = select(User).where(User.erased_at.is_(None))
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(or_(func.lower(User.email).like(like, escape="\\"),
                                func.lower(User.display_name).like(like, escape="\\")))  # fmt: skip
    page = page_number()
    rows = db.session.scalars(query.order_by(User.id).limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template(
        "admin/users.html", people=rows[:PER_PAGE], q=q, page=page, more=len(rows) > PER_PAGE
    )


@bp.get("/users/<int:user_id>")
@login_required
def user(user_id: int):
    """One account: its details, roles and what staff can do about it."""
    person = get_or_404(User, user_id)
    require(can_view_people(current_user))
    form = GrantForm()
    offer_wards(form)
    return render_template("admin/user.html", person=person, form=form, labels=ROLE_LABELS)


@bp.post("/users/<int:user_id>/roles")
@login_required
@form_view
def grant(user_id: int):
    """Grant a role (admins only)."""
    person = get_or_404(User, user_id)
    require(can_manage_users(current_user))
    form = GrantForm()
    offer_wards(form)
    if form.validate_on_submit():
        role = Role(form.role.data)
        ward = form.wards_by_id.get(form.ward.data) if role == Role.COUNCILLOR else None
        accounts.grant_role(person, role, ward=ward, granted_by=current_user)
        db.session.commit()
        flash(_("The role has been granted. It works once they sign in with two-factor."), "success")
        return redirect(url_for("people.user", user_id=person.id))
    return render_template("admin/user.html", person=person, form=form, labels=ROLE_LABELS), 400


@bp.post("/users/<int:user_id>/roles/<int:grant_id>/revoke")
@login_required
def revoke(user_id: int, grant_id: int):
    """Take a role away (admins only; never your own admin role)."""
    person = get_or_404(User, user_id)
    grant_row = get_or_404(RoleGrant, grant_id)
    require(can_manage_users(current_user) and grant_row.user_id == person.id)
    if person.id == current_user.id and grant_row.role == Role.ADMIN:
        flash(_("You cannot take away your own administrator role. Ask another administrator."), "error")
    else:
        accounts.revoke_role(person, grant_row)
        db.session.commit()
        flash(_("The role has been taken away."), "success")
    return redirect(url_for("people.user", user_id=person.id))


@bp.post("/users/<int:user_id>/end-sessions")
@login_required
def end_sessions(user_id: int):
    """Sign a person out of every browser and device at once (admins only), e.g. when their
    account may be in someone else's hands."""
    person = get_or_404(User, user_id)
    require(can_manage_users(current_user))
    accounts.end_every_session(person)
    db.session.commit()
    flash(
        _(
            "%(name)s has been signed out everywhere: every session they had has ended.",
            name=person.display_name,
        ),
        "success",
    )
    return redirect(url_for("people.user", user_id=person.id))


@bp.post("/users/<int:user_id>/verify-residency")
@login_required
def verify_residency(user_id: int):
    """Record that the council has confirmed the resident lives in their ward."""
    person = get_or_404(User, user_id)
    require(can_verify_residents(current_user) and person.ward_id is not None)
    accounts.verify_residency(person, current_user)
    db.session.commit()
    flash(_("The resident's ward is confirmed."), "success")
    return redirect(url_for("people.user", user_id=person.id))


@bp.get("/audit")
@login_required
def audit():
    """The audit log of staff actions, newest first (admins only)."""
    require(can_read_audit_log(current_user))
    query = select(AuditEntry)
    action = (request.args.get("action") or "").strip()
    if action:
        query = query.where(AuditEntry.action == action)
    actor = request.args.get("actor", type=int)
    if actor:
        query = query.where(AuditEntry.actor_id == actor)
    page = page_number()
    rows = db.session.scalars(
        query.order_by(AuditEntry.id.desc()).limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)
    ).all()
    actors = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({r.actor_id for r in rows if r.actor_id})))
    }
    details = {r.id: json.loads(r.details) if r.details else {} for r in rows}
    return render_template(
        "admin/audit.html", entries=rows[:PER_PAGE], actors=actors, details=details, page=page,
        more=len(rows) > PER_PAGE, action=action,
    )  # fmt: skip


from participate.sections import section  # noqa: E402


@section("account", order=90)
def _admin_link(user):
    if not can_view_people(user):
        return None
    return render_template("admin/_account_section.html")
