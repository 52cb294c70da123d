"""The moderation queue and the public moderation log, each a bounded number of queries per page.

Flags and actions carry the wards whose councillors see them (`flag_wards`,
`moderation_action_wards`), so a councillor's queue and a ward's log are plain joins; the targets
of a page are then loaded with one query per kind of content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from participate.extensions import db
from participate.models import MODERATABLE, Comment, Flag, ModerationAction, Option, User, Ward
from participate.models.moderation import flag_wards, moderation_action_wards
from participate.services.moderation import LOCKABLE, TARGET_LABELS, target_url


@dataclass
class Described:
    """What a moderator needs to see of any target: a title, its text (sanitised HTML) and author."""

    title: str | None
    html: str
    author: User | None
    context: str | None = None


def describe(target) -> Described:
    """Describe any moderatable target (comments by their discussion's title)."""
    from markupsafe import Markup

    html = getattr(target, "body_html", None) or getattr(target, "description_html", None) or ""
    author = getattr(target, "author", None) or getattr(target, "proposer", None)
    thread = getattr(target, "thread", None) if hasattr(target, "parent_id") else None
    group = (
        getattr(target, "group", None)
        if hasattr(target, "group_id") and not hasattr(target, "title")
        else None
    )
    title = getattr(target, "title", None) or getattr(target, "name", None)
    context = thread.title if thread is not None else (group.name if group is not None else None)
    # *_html columns hold only what sanitize.render_markdown produced from the stored text.
    return Described(title=title, html=Markup(html), author=author, context=context)  # nosec B704


@dataclass
class QueueItem:
    """One flagged piece of content and its open flags."""

    target_type: str
    target: object
    flags: list[Flag] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(TARGET_LABELS.get(self.target_type, self.target_type))

    @property
    def url(self) -> str | None:
        return target_url(self.target)

    @property
    def described(self) -> Described:
        return describe(self.target)

    @property
    def wards(self) -> list[Ward]:
        seen = {w.id: w for f in self.flags for w in f.wards}
        return sorted(seen.values(), key=lambda w: w.name)

    @property
    def first_flagged_at(self) -> datetime:
        return min(f.created_at for f in self.flags)


def _with_thread(query):
    return query.options(
        selectinload(Comment.proposal),
        selectinload(Comment.consultation),
        selectinload(Comment.option).selectinload(Option.consultation),
    )


# How each kind of content is loaded so that showing it and linking to it needs no more queries.
LOADERS = {
    "comment": _with_thread,
    "option": lambda q: q.options(selectinload(Option.consultation), selectinload(Option.proposer)),
}


def load_targets(keys) -> dict[tuple[str, int], object]:
    """Load many targets, one query per kind: {(type, id): target}."""
    by_type: dict[str, set[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, set()).add(target_id)
    found = {}
    for target_type, ids in by_type.items():
        model = {**MODERATABLE, **LOCKABLE}.get(target_type)
        if model is None:
            continue
        query = select(model).where(model.id.in_(ids))
        query = LOADERS.get(target_type, lambda q: q)(query)
        for target in db.session.scalars(query):
            found[(target_type, target.id)] = target
    return found


def _councillor_scope(column, user: User, ward_id: int | None, table):
    """Conditions that keep rows in the user's wards (officers and admins: every ward)."""
    conditions = []
    if ward_id is not None:
        conditions.append(exists().where(column == table.c[0], table.c.ward_id == ward_id))
    if not (user.is_officer or user.is_admin):
        mine = list(user.councillor_ward_ids) or [0]
        conditions.append(exists().where(column == table.c[0], table.c.ward_id.in_(mine)))
    return conditions


def queue_page(user: User, page: int = 1, per_page: int = 20, ward_id: int | None = None):
    """The flagged content a moderator may act on, oldest flag first: (items, has_more)."""
    first = func.min(Flag.created_at).label("first")
    grouped = (
        select(Flag.target_type, Flag.target_id, first)
        .where(Flag.resolved_at.is_(None), *_councillor_scope(Flag.id, user, ward_id, flag_wards))
        .group_by(Flag.target_type, Flag.target_id)
        .order_by(first, Flag.target_type, Flag.target_id)
        .limit(per_page + 1)
        .offset((max(page, 1) - 1) * per_page)
    )
    rows = db.session.execute(grouped).all()
    has_more = len(rows) > per_page
    keys = [(r.target_type, r.target_id) for r in rows[:per_page]]
    if not keys:
        return [], False
    targets = load_targets(keys)
    flags = db.session.scalars(
        select(Flag)
        .where(Flag.resolved_at.is_(None), or_(*_key_conditions(keys)))
        .order_by(Flag.created_at, Flag.id)
    ).all()
    items = {key: QueueItem(key[0], targets[key]) for key in keys if key in targets}
    for found in flags:
        item = items.get((found.target_type, found.target_id))
        if item is not None:
            item.flags.append(found)
    return [items[k] for k in keys if k in items], has_more


def _key_conditions(keys):
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, []).append(target_id)
    return [and_(Flag.target_type == t, Flag.target_id.in_(ids)) for t, ids in by_type.items()]


def open_flag_count(user: User) -> int:
    """How many pieces of content wait in the user's queue."""
    grouped = (
        select(Flag.target_type, Flag.target_id)
        .where(Flag.resolved_at.is_(None), *_councillor_scope(Flag.id, user, None, flag_wards))
        .group_by(Flag.target_type, Flag.target_id)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(grouped)) or 0


@dataclass
class LogEntry:
    """One line of the public log: the action and where its target is (never its text)."""

    action: ModerationAction
    url: str | None

    @property
    def label(self) -> str:
        return str(TARGET_LABELS.get(self.action.target_type, self.action.target_type))


def log_page(ward: Ward | None, page: int = 1, per_page: int = 50):
    """A ward's moderation log (with borough-wide actions), newest first: (entries, has_more).

    Without a ward: every action.
    """
    query = select(ModerationAction)
    if ward is not None:
        in_ward = exists().where(
            moderation_action_wards.c.action_id == ModerationAction.id,
            moderation_action_wards.c.ward_id == ward.id,
        )
        borough_wide = ~exists().where(moderation_action_wards.c.action_id == ModerationAction.id)
        query = query.where(or_(in_ward, borough_wide))
    query = (
        query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(per_page + 1)
        .offset((max(page, 1) - 1) * per_page)
    )
    actions = db.session.scalars(query).all()
    has_more = len(actions) > per_page
    actions = actions[:per_page]
    targets = load_targets((a.target_type, a.target_id) for a in actions if a.target_type != "user")
    entries = []
    for action in actions:
        target = targets.get((action.target_type, action.target_id))
        entries.append(LogEntry(action, target_url(target) if target is not None else None))
    return entries, has_more
