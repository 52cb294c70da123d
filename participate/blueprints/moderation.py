"""Moderation by ward: flagging, the moderators' queue, their actions and the public log.

Councillors act only in their own wards (a request about another ward's content answers 403,
however it was made); officers and admins act everywhere. Every action is in the public log.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.deliberation_web import (
    POSTING_TOO_FAST,
    FlagForm,
    ReasonForm,
    forbid_unless,
    labels_context,
    posting_allowed,
)
from participate.extensions import db
from participate.models import FlagReason, Hideable, Ward
from participate.permissions.moderation import can_flag, can_moderate, can_see_moderation_queue
from participate.sections import section
from participate.security import is_safe_next
from participate.services import moderation, moderation_lists
from participate.services.moderation import ModerationError, target_url
from participate.web import form_view
from participate.web import page_number as _page_number

bp = Blueprint("moderation", __name__)
bp.app_context_processor(labels_context)

# What each action page does, and what it needs of its target.
VERBS = {
    "hide": lambda m, t, r: moderation.hide(m, t, r),
    "restore": lambda m, t, r: moderation.restore(m, t, r),
    "dismiss": lambda m, t, r: moderation.dismiss_flags(m, t, r),
    "lock": lambda m, t, r: moderation.set_locked(m, t, True, r),
    "unlock": lambda m, t, r: moderation.set_locked(m, t, False, r),
}


def _target(target_type: str, target_id: int):
    target = moderation.load_target(target_type, target_id)
    if target is None:
        abort(404)
    return target


@section("account", order=40)
def account_section(user):
    """A moderator's way to their queue."""
    if not can_see_moderation_queue(user):
        return None
    return render_template("moderation/_account_section.html", waiting=moderation_lists.open_flag_count(user))


@section("ward", order=90)
def ward_section(ward: Ward):
    """A link to the ward's public moderation log."""
    return render_template("moderation/_ward_section.html", ward=ward)


@bp.get("/moderation/")
@login_required
def queue():
    """Flagged content in the moderator's wards (every ward for officers and admins)."""
    forbid_unless(can_see_moderation_queue(current_user))
    code = request.args.get("ward", "")
    ward = db.session.scalar(select(Ward).where(Ward.code == code.upper())) if code else None
    if ward is not None and not (current_user.is_officer or current_user.is_admin):
        forbid_unless(ward.id in current_user.councillor_ward_ids)
    page = _page_number()
    items, more = moderation_lists.queue_page(current_user, page, ward_id=ward.id if ward else None)
    query = select(Ward).order_by(Ward.name)
    if not (current_user.is_officer or current_user.is_admin):
        query = query.where(Ward.id.in_(current_user.councillor_ward_ids))
    return render_template(
        "moderation/queue.html",
        items=items,
        more=more,
        page=page,
        ward=ward,
        wards=db.session.scalars(query).all(),
    )


@bp.route("/moderation/flag/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@form_view
def flag(target_type: str, target_id: int):
    """Report content to the ward's moderators."""
    target = _target(target_type, target_id)
    forbid_unless(isinstance(target, Hideable) and can_flag(current_user, target))
    form = FlagForm()
    status = 200
    if form.validate_on_submit():
        if form.is_bot():
            flash(_("Thank you: the moderators will look at it."), "success")
            return redirect(target_url(target) or url_for("main.home"))
        if posting_allowed(current_user):
            moderation.flag(current_user, target, FlagReason(form.reason.data), form.note.data)
            db.session.commit()
            flash(_("Thank you: the moderators will look at it."), "success")
            return redirect(target_url(target) or url_for("main.home"))
        form.form_errors.append(POSTING_TOO_FAST)
        status = 429
    return render_template("moderation/flag.html", form=form, target=target, target_type=target_type), status


@bp.route("/moderation/<target_type>/<int:target_id>/<verb>", methods=["GET", "POST"])
@login_required
@form_view
def act(target_type: str, target_id: int, verb: str):
    """Hide, restore, dismiss the flags on, lock or unlock something, with a public reason."""
    if verb not in VERBS:
        abort(404)
    target = _target(target_type, target_id)
    if verb in ("hide", "restore") and not isinstance(target, Hideable):
        abort(404)
    forbid_unless(can_moderate(current_user, target))
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            VERBS[verb](current_user, target, form.reason.data)
        except ModerationError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Done: the moderation log shows what you did and why."), "success")
            back = request.form.get("next")
            return redirect(back if is_safe_next(back) else target_url(target) or url_for(".queue"))
    return render_template(
        "moderation/act.html",
        form=form,
        target=target,
        target_type=target_type,
        verb=verb,
        flags=moderation.open_flags(target) if isinstance(target, Hideable) else [],
        described=moderation_lists.describe(target),
        back=request.values.get("next", ""),
    )


@bp.get("/wards/<code>/moderation-log")
def ward_log(code: str):
    """A ward's public moderation log: every action, its reason and the moderator's role."""
    ward = db.session.scalar(select(Ward).where(Ward.code == code.upper()))
    if ward is None:
        abort(404)
    page = _page_number()
    entries, more = moderation_lists.log_page(ward, page)
    return render_template("moderation/log.html", ward=ward, entries=entries, more=more, page=page)
