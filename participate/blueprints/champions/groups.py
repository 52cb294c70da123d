"""Groups: the list and its search, a group's page, starting and editing a group, joining and leaving."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from participate.blueprints.champions import bp
from participate.blueprints.champions.forms import GroupForm, JoinGroupForm, NamingForm
from participate.blueprints.champions.loading import (
    group_or_404,
    int_arg,
    interest_arg,
    page_number,
    per_page,
)
from participate.extensions import db
from participate.models import Event, Interest, Rsvp, utcnow
from participate.permissions.champions import (
    can_choose_naming,
    can_join_group,
    can_leave_group,
    can_manage_group,
    can_start_group,
)
from participate.services import champions, groups, wards
from participate.web import form_view, require


@bp.get("/groups/", endpoint="groups")
def groups_index():
    """Every open group, searchable by ward, interest and words."""
    search = groups.GroupSearch(
        ward_id=int_arg("ward"),
        interest=interest_arg(),
        text=request.args.get("q", "")[:100],
        include_archived=request.args.get("archived") == "1",
    )
    page = page_number()
    found, more = groups.search_groups(search, page, per_page())
    return render_template(
        "champions/groups.html",
        groups=found,
        more=more,
        page=page,
        search=search,
        wards=wards.current_wards(),
        next_events=groups.next_events(g.id for g in found),
        may_start=can_start_group(current_user),
    )


def _ward_choices(form) -> dict:
    current = {w.id: w for w in wards.current_wards()}
    form.wards.choices = [(w.id, w.name) for w in current.values()]
    return current


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
@form_view
def new_group():
    """A champion starts a group."""
    profile = champions.active_profile_of(current_user)
    require(can_start_group(current_user, profile))
    form = GroupForm()
    by_id = _ward_choices(form)
    if form.validate_on_submit() and not form.is_bot():
        group = groups.start_group(
            current_user,
            profile,
            name=form.name.data,
            focus=Interest(form.focus.data),
            wards=[by_id[i] for i in form.wards.data],
            description=form.description.data,
            meeting_place=form.meeting_place.data,
        )
        db.session.commit()
        flash(_("Your group has been started. Invite your neighbours to join it."), "success")
        return redirect(url_for("champions.group", group_id=group.id))
    if not form.is_submitted():
        form.wards.data = [profile.ward_id]
    return render_template("champions/group_form.html", form=form, group=None)


@bp.get("/groups/<int:group_id>")
def group(group_id: int):
    """A group's page: what it does, its events, its organisers' announcements and its members."""
    grp = group_or_404(group_id)
    membership = groups.membership_of(current_user, grp)
    hidden = grp.hidden_at is not None
    upcoming = [] if hidden else groups.next_events([grp.id], limit_per_group=10)[grp.id]
    answers = {}
    if current_user.is_authenticated and upcoming:
        answers = {
            r.event_id: r
            for r in db.session.scalars(
                select(Rsvp).where(
                    Rsvp.user_id == current_user.id, Rsvp.event_id.in_([e.id for e in upcoming])
                )
            )
        }
    past = (
        []
        if hidden
        else db.session.scalars(
            select(Event)
            .where(Event.group_id == grp.id, Event.starts_at <= utcnow(), Event.cancelled_at.is_(None))
            .order_by(Event.starts_at.desc())
            .limit(5)
        ).all()
    )
    manages = can_manage_group(current_user, grp, membership)
    return render_template(
        "champions/group.html",
        group=grp,
        membership=membership,
        manages=manages,
        upcoming=upcoming,
        answers=answers,
        past=past,
        announcements=[] if hidden else groups.announcements_of(grp),
        members=groups.member_names(grp),
        options=[] if hidden else groups.options_of(grp),
        open_consultations=groups.consultations_open_to(grp) if manages and not hidden else [],
        join_form=JoinGroupForm(),
        naming_form=NamingForm(obj=membership) if membership else None,
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit_group(group_id: int):
    """Organisers change what the group says about itself."""
    grp = group_or_404(group_id)
    require(can_manage_group(current_user, grp))
    form = GroupForm(obj=grp)
    by_id = _ward_choices(form)
    if form.validate_on_submit() and not form.is_bot():
        groups.edit_group(
            grp,
            name=form.name.data,
            focus=Interest(form.focus.data),
            wards=[by_id[i] for i in form.wards.data],
            description=form.description.data,
            meeting_place=form.meeting_place.data,
        )
        db.session.commit()
        flash(_("The group's details have been saved."), "success")
        return redirect(url_for("champions.group", group_id=grp.id))
    if not form.is_submitted():
        form.wards.data = [w.id for w in grp.wards]
        form.focus.data = grp.focus.value
    return render_template("champions/group_form.html", form=form, group=grp)


@bp.post("/groups/<int:group_id>/join")
def join_group(group_id: int):
    """Join a group (as a member; named on its page only if you ticked the box)."""
    grp = group_or_404(group_id)
    require(can_join_group(current_user, grp))
    form = JoinGroupForm()
    if form.validate_on_submit() and not form.is_bot():
        try:
            groups.join_group(current_user, grp, is_public=form.is_public.data)
            db.session.commit()
        except IntegrityError:  # the same person pressed twice: they are a member already
            db.session.rollback()
        flash(_("You have joined %(group)s.", group=grp.name), "success")
    return redirect(url_for("champions.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/leave")
def leave_group(group_id: int):
    """Leave a group."""
    grp = group_or_404(group_id)
    membership = groups.membership_of(current_user, grp)
    require(can_leave_group(current_user, membership))
    try:
        groups.leave_group(membership)
    except groups.GroupActionRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(url_for("champions.group", group_id=group_id))
    db.session.commit()
    flash(_("You have left %(group)s.", group=grp.name), "success")
    return redirect(url_for("champions.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/naming")
def naming(group_id: int):
    """A member chooses whether their name is shown on the group's page."""
    grp = group_or_404(group_id)
    membership = groups.membership_of(current_user, grp)
    require(can_choose_naming(current_user, membership))
    form = NamingForm()
    if form.validate_on_submit():
        groups.set_naming(membership, form.is_public.data)
        db.session.commit()
        if form.is_public.data:
            flash(_("Your name is now shown on the group's page."), "success")
        else:
            flash(_("Your name is no longer shown on the group's page."), "success")
    return redirect(url_for("champions.group", group_id=group_id))
