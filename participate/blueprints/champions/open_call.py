"""The open call: what being a champion means, and the form to become one, change it or step down."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participate.blueprints.champions import bp
from participate.blueprints.champions.forms import OpenCallForm
from participate.extensions import db
from participate.forms import ConfirmForm, offer_wards
from participate.models import Interest
from participate.permissions.champions import can_answer_open_call, can_change_champion_profile
from participate.services import champions, figures
from participate.web import form_view, require


@bp.get("/champions/")
def open_call():
    """The public page of the open call, with the borough's figures and, when signed in, your status."""
    profile = champions.profile_of(current_user) if current_user.is_authenticated else None
    neighbours = []
    if current_user.is_authenticated and current_user.ward is not None:
        neighbours = champions.public_champions(current_user.ward, limit=12)
    return render_template(
        "champions/open_call.html",
        profile=profile if profile is not None and profile.stepped_down_at is None else None,
        totals=figures.totals(),
        neighbours=neighbours,
        interests=champions.interests_of(p.id for p in neighbours),
    )


@bp.route("/champions/join", methods=["GET", "POST"])
@login_required
@form_view
def join():
    """Answer the open call, or change your answer."""
    require(can_answer_open_call(current_user))
    profile = champions.active_profile_of(current_user)
    form = OpenCallForm(obj=profile)
    offer_wards(form)
    if form.validate_on_submit() and not form.is_bot():
        champions.answer_open_call(
            current_user,
            ward=form.wards_by_id[form.ward.data],
            statement=form.statement.data,
            interests=[Interest(v) for v in form.interests.data],
            availability=form.availability.data,
            is_public=form.is_public.data,
            may_contact=form.may_contact.data,
        )
        db.session.commit()
        if profile is None:
            flash(_("Thank you: you are now a green community champion."), "success")
        else:
            flash(_("Your answers have been saved."), "success")
        return redirect(url_for("champions.open_call"))
    if not form.is_submitted():
        form.ward.data = profile.ward_id if profile else current_user.ward_id
        if profile is not None:
            form.interests.data = [i.value for i in champions.interests_of([profile.id])[profile.id]]
    return render_template("champions/join.html", form=form, profile=profile)


@bp.route("/champions/step-down", methods=["GET", "POST"])
@login_required
@form_view
def step_down():
    """Stop being a champion (after a confirmation)."""
    profile = champions.active_profile_of(current_user)
    if profile is None:
        abort(404)
    require(can_change_champion_profile(current_user, profile))
    form = ConfirmForm()
    if form.validate_on_submit():
        champions.step_down(profile)
        db.session.commit()
        flash(_("You are no longer a green community champion. Thank you for all you did."), "success")
        return redirect(url_for("champions.open_call"))
    return render_template("champions/step_down.html", form=form)
