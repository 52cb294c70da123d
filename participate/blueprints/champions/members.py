"""What only a group's organisers do: manage members, post announcements, archive, propose options."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participate.blueprints.champions import bp
from participate.blueprints.champions.forms import AnnouncementForm, OptionForm
from participate.blueprints.champions.loading import group_or_404
from participate.extensions import db
from participate.forms import ConfirmForm
from participate.models import Membership, ProviderType
from participate.permissions.champions import can_manage_group, can_propose_option_for_group, can_run_group
from participate.services import groups
from participate.web import form_view, get_or_404, require


def _member_of(group, membership_id: int) -> Membership:
    membership = get_or_404(Membership, membership_id)
    if membership.group_id != group.id:
        abort(404)
    return membership


def _back(group_id: int, view: str = "champions.members"):
    return redirect(url_for(view, group_id=group_id))


@bp.get("/groups/<int:group_id>/members")
@login_required
def members(group_id: int):
    """The organisers' list of every member, with what each has agreed to."""
    group = group_or_404(group_id)
    require(can_manage_group(current_user, group))
    return render_template(
        "champions/members.html", group=group, members=groups.members_for_organisers(group)
    )


@bp.post("/groups/<int:group_id>/members/<int:membership_id>/organiser")
def make_organiser(group_id: int, membership_id: int):
    """Make a member a co-organiser."""
    group = group_or_404(group_id)
    require(can_manage_group(current_user, group))
    membership = _member_of(group, membership_id)
    groups.make_organiser(membership)
    db.session.commit()
    flash(_("%(name)s is now an organiser.", name=membership.user.display_name), "success")
    return _back(group_id)


@bp.post("/groups/<int:group_id>/members/<int:membership_id>/remove")
def remove_member(group_id: int, membership_id: int):
    """Remove someone from the group."""
    group = group_or_404(group_id)
    require(can_manage_group(current_user, group))
    membership = _member_of(group, membership_id)
    name = membership.user.display_name
    try:
        groups.remove_member(current_user, membership)
    except groups.GroupActionRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _back(group_id)
    db.session.commit()
    flash(_("%(name)s has been removed from the group.", name=name), "success")
    return _back(group_id)


@bp.post("/groups/<int:group_id>/step-down")
def step_down_as_organiser(group_id: int):
    """An organiser becomes an ordinary member again."""
    group = group_or_404(group_id)
    membership = groups.membership_of(current_user, group)
    require(can_manage_group(current_user, group, membership))
    try:
        groups.step_down_as_organiser(membership)
    except groups.GroupActionRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return _back(group_id)
    db.session.commit()
    flash(_("You are no longer an organiser of this group."), "success")
    return _back(group_id, "champions.group")


@bp.route("/groups/<int:group_id>/archive", methods=["GET", "POST"])
@login_required
@form_view
def archive(group_id: int):
    """Archive the group, after a confirmation that says what happens to its events."""
    group = group_or_404(group_id)
    require(can_manage_group(current_user, group))
    if group.archived_at is not None:
        return _back(group_id, "champions.group")
    form = ConfirmForm()
    if form.validate_on_submit():
        cancelled = groups.archive_group(group)
        db.session.commit()
        flash(_("The group has been archived."), "success")
        if cancelled:
            flash(_("Its upcoming events were cancelled and the people going were told."), "info")
        return _back(group_id, "champions.group")
    return render_template("champions/archive.html", group=group, form=form)


@bp.post("/groups/<int:group_id>/reopen")
def reopen(group_id: int):
    """Open an archived group again."""
    group = group_or_404(group_id)
    require(can_manage_group(current_user, group) and group.hidden_at is None)
    groups.reopen_group(group)
    db.session.commit()
    flash(_("The group is open again."), "success")
    return _back(group_id, "champions.group")


@bp.route("/groups/<int:group_id>/announcements/new", methods=["GET", "POST"])
@login_required
@form_view
def new_announcement(group_id: int):
    """An organiser posts an announcement on the group's page."""
    group = group_or_404(group_id)
    require(can_run_group(current_user, group))
    form = AnnouncementForm()
    if form.validate_on_submit() and not form.is_bot():
        groups.post_announcement(current_user, group, form.body.data)
        db.session.commit()
        flash(_("Your announcement is on the group's page."), "success")
        return redirect(url_for("champions.group", group_id=group.id, _anchor="announcements"))
    return render_template("champions/announcement_form.html", group=group, form=form)


@bp.route("/groups/<int:group_id>/options/new", methods=["GET", "POST"])
@login_required
@form_view
def propose_option(group_id: int):
    """An organiser puts an option forward, on the group's behalf, in a consultation of its wards."""
    group = group_or_404(group_id)
    membership = groups.membership_of(current_user, group)
    require(can_run_group(current_user, group, membership))
    open_ones = groups.consultations_open_to(group)
    form = OptionForm()
    form.consultations_by_id = {c.id: c for c in open_ones}
    form.consultation.choices = [("", _("Select a consultation"))] + [(c.id, c.title) for c in open_ones]
    if form.validate_on_submit() and not form.is_bot():
        consultation = form.consultations_by_id[form.consultation.data]
        require(can_propose_option_for_group(current_user, group, consultation, membership))
        groups.propose_option_for_group(
            current_user,
            group,
            consultation,
            title=form.title.data,
            description=form.description.data,
            provider_type=ProviderType(form.provider_type.data),
            estimated_cost_pence=form.cost_pence(),
        )
        db.session.commit()
        flash(
            _("The option has been put forward in “%(consultation)s”.", consultation=consultation.title),
            "success",
        )
        return redirect(url_for("champions.group", group_id=group.id, _anchor="options"))
    return render_template("champions/option_form.html", group=group, form=form, consultations=open_ones)
