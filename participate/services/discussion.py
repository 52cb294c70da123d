"""Threaded discussion of proposals, consultations and options: posting, editing, deleting, reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from participate.extensions import db
from participate.models import (
    Comment,
    Consultation,
    NotificationKind,
    Option,
    OutcomeProposal,
    Stance,
    User,
    utcnow,
)
from participate.permissions.deliberation import comment_closed_reason
from participate.sanitize import clean_text, render_markdown
from participate.services import notifications
from participate.services.proposals import DUPLICATE_WINDOW, lock_author

# Replies nest this deep; a reply to the deepest level joins its parent's replies.
MAX_DEPTH = 3
THREAD_KINDS = {"proposal": OutcomeProposal, "consultation": Consultation, "option": Option}


class DiscussionError(Exception):
    """A comment that cannot be posted or changed now; the message says why."""


def thread_kind(thread) -> str:
    """The name of a discussion's kind: proposal, consultation or option."""
    for name, model in THREAD_KINDS.items():
        if isinstance(thread, model):
            return name
    raise TypeError(f"{type(thread).__name__} has no discussion")


def _thread_column(thread):
    return getattr(Comment, f"{thread_kind(thread)}_id")


def post_comment(
    author: User,
    thread,
    *,
    body: str,
    stance: Stance = Stance.NEUTRAL,
    parent: Comment | None = None,
    now: datetime | None = None,
) -> tuple[Comment, bool]:
    """Add a comment (or a reply) to an open discussion; return (comment, created).

    The same text sent again by its author within a minute is stored once.
    """
    now = now or utcnow()
    reason = comment_closed_reason(thread)
    if reason:
        raise DiscussionError(reason)
    if parent is not None and (parent.is_hidden or parent.is_deleted or parent.is_locked):
        raise DiscussionError(_("This comment takes no replies."))
    while parent is not None and parent.depth >= MAX_DEPTH:
        parent = parent.parent
    body = clean_text(body).strip()
    column = _thread_column(thread)
    lock_author(author)
    earlier = _sent_a_moment_ago(author, thread, parent, body, now)
    if earlier is not None:
        return earlier, False
    comment = Comment(
        author_id=author.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        stance=stance,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        ward_id=author.ward_id,
        **{column.key: thread.id},
    )
    db.session.add(comment)
    if isinstance(thread, OutcomeProposal):
        thread.comment_count = OutcomeProposal.comment_count + 1
    db.session.flush()
    if parent is not None and parent.author_id != author.id:
        _tell_parent_author(comment, parent, thread, now)
    return comment, True


def _sent_a_moment_ago(author, thread, parent, body, now) -> Comment | None:
    """The same comment from the same person in the same place within a minute, if any."""
    return db.session.scalar(
        select(Comment).where(
            Comment.author_id == author.id,
            _thread_column(thread) == thread.id,
            Comment.parent_id == parent.id if parent else Comment.parent_id.is_(None),
            Comment.body == body,
            Comment.created_at >= now - DUPLICATE_WINDOW,
        )
    )


def _tell_parent_author(comment: Comment, parent: Comment, thread, now: datetime) -> None:
    from participate.services.moderation import target_url

    notifications.notify(
        [parent.author],
        NotificationKind.REPLY,
        subject=lambda: _("%(name)s replied to your comment", name=comment.author.display_name),
        template="emails/notify/reply.txt",
        context={"comment": comment, "parent": parent, "thread_title": thread_title(thread)},
        url=target_url(comment, external=True),
        now=now,
    )


def thread_title(thread) -> str:
    """The title of what a discussion is about."""
    return thread.title


def edit_comment(comment: Comment, *, body: str, stance: Stance, now: datetime | None = None) -> bool:
    """Correct a comment (its author, within 15 minutes); False when nothing changed."""
    reason = comment_closed_reason(comment.thread)
    if reason:
        raise DiscussionError(reason)
    body = clean_text(body).strip()
    if body == comment.body and stance == comment.stance:
        return False
    comment.body, comment.body_html, comment.stance = body, render_markdown(body), stance
    comment.edited_at = now or utcnow()
    db.session.flush()
    return True


def delete_comment(comment: Comment, now: datetime | None = None) -> None:
    """Delete a comment at its author's request: shown as deleted, replies kept, text kept for
    moderators."""
    if comment.is_deleted:
        raise DiscussionError(_("This comment has already been deleted."))
    comment.deleted_at = now or utcnow()
    db.session.flush()


@dataclass
class Node:
    """A comment and its replies, for showing a discussion as a tree."""

    comment: Comment
    children: list[Node] = field(default_factory=list)


def comment_tree(thread, newest_first: bool = False) -> list[Node]:
    """Every comment of a discussion as a tree, in one query (replies oldest first)."""
    comments = db.session.scalars(
        select(Comment).where(_thread_column(thread) == thread.id).order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {c.id: Node(c) for c in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.children if parent else roots).append(node)
    if newest_first:
        roots.reverse()
    return roots


def count_nodes(nodes: list[Node]) -> int:
    """How many comments a list of trees holds."""
    return sum(1 + count_nodes(n.children) for n in nodes)
