"""Comments on proposals, consultations and options: posting, replying, editing and deleting.

The discussion is shown on each thing's own page; a comment form there posts here. When something
is wrong, the comment's own page shows the problem with the text kept.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participate.deliberation_web import (
    POSTING_TOO_FAST,
    CommentForm,
    forbid_unless,
    labels_context,
    posting_allowed,
)
from participate.extensions import db
from participate.models import Comment, Stance
from participate.permissions.deliberation import (
    can_delete_comment,
    can_edit_comment,
    can_join_discussion,
    comment_closed_reason,
)
from participate.services import discussion
from participate.services.discussion import THREAD_KINDS, DiscussionError
from participate.services.moderation import target_url
from participate.web import form_view, get_or_404

bp = Blueprint("discussion", __name__)
bp.app_context_processor(labels_context)


def _thread(kind: str, thread_id: int):
    model = THREAD_KINDS.get(kind)
    if model is None:
        abort(404)
    return get_or_404(model, thread_id)


def _parent(thread, kind: str) -> Comment | None:
    raw = request.values.get("reply_to", "")
    if not raw:
        return None
    parent = db.session.get(Comment, int(raw)) if raw.isdigit() else None
    if parent is None or getattr(parent, f"{kind}_id") != thread.id:
        abort(404)
    return parent


def _refusal(thread, parent: Comment | None) -> str | None:
    reason = comment_closed_reason(thread)
    if reason is None and parent is not None and (parent.is_hidden or parent.is_deleted or parent.is_locked):
        reason = _("This comment takes no replies.")
    return reason


def _page(form, thread, kind, parent, refusal=None, status=200):
    return render_template(
        "discussion/comment.html",
        form=form,
        thread=thread,
        thread_url=target_url(thread),
        kind=kind,
        parent=parent,
        refusal=refusal,
    ), status


@bp.route("/discussion/<kind>/<int:thread_id>", methods=["GET", "POST"])
@login_required
@form_view
def comment(kind: str, thread_id: int):
    """Write a comment, or a reply to one (`reply_to`)."""
    thread = _thread(kind, thread_id)
    parent = _parent(thread, kind)
    forbid_unless(can_join_discussion(current_user, thread))
    form = CommentForm()
    refusal = _refusal(thread, parent)
    if refusal:
        if form.is_submitted():
            form.validate()
        return _page(form, thread, kind, parent, refusal, 409)
    if not form.validate_on_submit():
        return _page(form, thread, kind, parent)
    if form.is_bot():
        flash(_("Your comment has been posted."), "success")
        return redirect(target_url(thread))
    if not posting_allowed(current_user):
        form.form_errors.append(POSTING_TOO_FAST)
        return _page(form, thread, kind, parent, status=429)
    try:
        posted, created = discussion.post_comment(
            current_user, thread, body=form.body.data, stance=Stance(form.stance.data), parent=parent
        )
    except DiscussionError as exc:
        db.session.rollback()
        return _page(form, thread, kind, parent, str(exc), 409)
    db.session.commit()
    flash(
        _("Your comment has been posted.")
        if created
        else _("You had already sent this comment: it is posted once."),
        "success",
    )
    return redirect(target_url(posted))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@form_view
def edit(comment_id: int):
    """Correct your comment within 15 minutes of posting it."""
    found = get_or_404(Comment, comment_id)
    forbid_unless(found.author_id == current_user.id)
    if not can_edit_comment(current_user, found):
        reason = comment_closed_reason(found.thread) or _(
            "A comment can only be changed in the 15 minutes after it was posted."
        )
        flash(str(reason), "error")
        return redirect(target_url(found))
    form = CommentForm(obj=found)
    if request.method == "GET":
        form.stance.data = found.stance.value
    if form.validate_on_submit():
        try:
            discussion.edit_comment(found, body=form.body.data, stance=Stance(form.stance.data))
        except DiscussionError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Your comment has been changed."), "success")
            return redirect(target_url(found))
    return render_template("discussion/edit.html", form=form, comment=found)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int):
    """Delete your comment: it shows as deleted by its author and its replies stay."""
    found = get_or_404(Comment, comment_id)
    forbid_unless(can_delete_comment(current_user, found))
    if request.method == "GET":
        return render_template("discussion/delete.html", comment=found)
    discussion.delete_comment(found)
    db.session.commit()
    flash(_("Your comment has been deleted."), "success")
    return redirect(target_url(found))


@bp.get("/comments/<int:comment_id>")
def show(comment_id: int):
    """Where a comment is: its place in its discussion."""
    return redirect(target_url(get_or_404(Comment, comment_id)))
