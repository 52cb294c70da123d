"""Community groups: champions start them, residents join and leave, organisers run them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from participate.extensions import db
from participate.models import (
    Announcement,
    ChampionProfile,
    Consultation,
    Event,
    Group,
    Interest,
    Membership,
    Option,
    Phase,
    ProviderType,
    User,
    Ward,
    utcnow,
)
from participate.models.deliberation import consultation_wards
from participate.models.groups import group_wards
from participate.sanitize import clean_text, render_markdown


class GroupActionRefused(Exception):
    """An action the rules do not allow; `message` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def membership_of(user, group: Group) -> Membership | None:
    """The user's membership of the group, if any."""
    if user is None or getattr(user, "id", None) is None or group is None:
        return None
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def _describe(group: Group, *, name, focus, wards, description, meeting_place) -> None:
    group.name = clean_text(name).strip()
    group.focus = Interest(focus)
    group.wards = list(wards)
    group.description = clean_text(description).strip()
    group.description_html = str(render_markdown(group.description))
    group.meeting_place = clean_text(meeting_place or "").strip() or None


def start_group(
    actor: User,
    profile: ChampionProfile,
    *,
    name: str,
    focus: Interest,
    wards: Iterable[Ward],
    description: str,
    meeting_place: str | None,
) -> Group:
    """A champion starts a group and becomes its first organiser (named if they agreed as a champion)."""
    group = Group(created_by_id=actor.id, member_count=1)
    _describe(
        group, name=name, focus=focus, wards=wards, description=description, meeting_place=meeting_place
    )
    db.session.add(group)
    db.session.flush()
    db.session.add(
        Membership(
            group_id=group.id, user_id=actor.id, role=Membership.ORGANISER, is_public=bool(profile.is_public)
        )
    )
    db.session.flush()
    return group


def edit_group(group: Group, *, name, focus, wards, description, meeting_place) -> None:
    """Change what the group says about itself."""
    _describe(
        group, name=name, focus=focus, wards=wards, description=description, meeting_place=meeting_place
    )
    group.updated_at = utcnow()
    db.session.flush()


def archive_group(group: Group) -> list[Event]:
    """Close the group: its upcoming events are cancelled (attendees are told), nothing is deleted."""
    from participate.services import events

    now = utcnow()
    cancelled = [
        e
        for e in db.session.scalars(
            select(Event).where(
                Event.group_id == group.id, Event.starts_at > now, Event.cancelled_at.is_(None)
            )
        )
    ]
    for event in cancelled:
        events.cancel_event(event)
    group.archived_at = now
    db.session.flush()
    return cancelled


def reopen_group(group: Group) -> None:
    """Open an archived group again."""
    group.archived_at = None
    group.updated_at = utcnow()
    db.session.flush()


def join_group(user: User, group: Group, *, is_public: bool) -> Membership:
    """Add the user to the group as a member (named on its page only if they said so)."""
    membership = Membership(group_id=group.id, user_id=user.id, role=Membership.MEMBER, is_public=is_public)
    db.session.add(membership)
    group.member_count = Group.member_count + 1
    db.session.flush()
    return membership


def _organiser_count(group: Group) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.group_id == group.id, Membership.role == Membership.ORGANISER
        )
    )


def _remove(membership: Membership) -> None:
    group = db.session.get(Group, membership.group_id)
    db.session.delete(membership)
    group.member_count = Group.member_count - 1
    db.session.flush()


def leave_group(membership: Membership) -> None:
    """The member leaves; the only organiser must hand over (or archive the group) first."""
    if membership.is_organiser and _organiser_count(membership.group) == 1:
        raise GroupActionRefused(
            _l(
                "You are this group's only organiser. Make another member an organiser first, "
                "or archive the group."
            )
        )
    _remove(membership)


def set_naming(membership: Membership, is_public: bool) -> None:
    """The member chooses whether their name is shown on the group's page."""
    membership.is_public = bool(is_public)
    db.session.flush()


def make_organiser(membership: Membership) -> None:
    """An organiser makes a member a co-organiser."""
    membership.role = Membership.ORGANISER
    db.session.flush()


def step_down_as_organiser(membership: Membership) -> None:
    """An organiser becomes a member again, unless they are the only one."""
    if _organiser_count(membership.group) == 1:
        raise GroupActionRefused(
            _l("You are this group's only organiser. Make another member an organiser first.")
        )
    membership.role = Membership.MEMBER
    db.session.flush()


def remove_member(actor: User, membership: Membership) -> None:
    """An organiser removes someone else from the group."""
    if membership.user_id == actor.id:
        raise GroupActionRefused(_l("To leave the group yourself, use “Leave this group”."))
    _remove(membership)


def post_announcement(actor: User, group: Group, body: str) -> Announcement:
    """An organiser posts news to the group's page (stored as typed, shown through the sanitiser)."""
    text = clean_text(body).strip()
    announcement = Announcement(
        group_id=group.id, author_id=actor.id, body=text, body_html=str(render_markdown(text))
    )
    db.session.add(announcement)
    db.session.flush()
    return announcement


def consultations_open_to(group: Group) -> list[Consultation]:
    """Consultations in their options phase that cover at least one of the group's wards."""
    ward_ids = [w.id for w in group.wards]
    in_wards = select(consultation_wards.c.consultation_id).where(consultation_wards.c.ward_id.in_(ward_ids))
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.phase == Phase.OPTIONS,
                or_(Consultation.is_borough_wide, Consultation.id.in_(in_wards)),
            )
            .order_by(Consultation.voting_open_at, Consultation.id)
        )
    )


def propose_option_for_group(
    actor: User,
    group: Group,
    consultation: Consultation,
    *,
    title: str,
    description: str,
    provider_type: ProviderType,
    estimated_cost_pence: int | None,
) -> Option:
    """Put an option forward in a consultation on the group's behalf: the group is its proposer."""
    text = clean_text(description).strip()
    option = Option(
        consultation_id=consultation.id,
        title=clean_text(title).strip(),
        description=text,
        description_html=str(render_markdown(text)),
        provider_type=ProviderType(provider_type),
        estimated_cost_pence=estimated_cost_pence,
        proposer_id=actor.id,
        group_id=group.id,
    )
    db.session.add(option)
    db.session.flush()
    return option


# Reading: lists and the group page.


@dataclass
class GroupSearch:
    """What the group list is filtered by."""

    ward_id: int | None = None
    interest: Interest | None = None
    text: str = ""
    include_archived: bool = False


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_groups(search: GroupSearch, page: int, per_page: int) -> tuple[list[Group], bool]:
    """A page of groups (never hidden ones) matching the search, by name; and whether more follow."""
    query = select(Group).where(Group.hidden_at.is_(None))
    if not search.include_archived:
        query = query.where(Group.archived_at.is_(None))
    if search.ward_id:
        query = query.where(
            Group.id.in_(select(group_wards.c.group_id).where(group_wards.c.ward_id == search.ward_id))
        )
    if search.interest:
        query = query.where(Group.focus == search.interest)
    if search.text.strip():
        pattern = _like(search.text.strip().lower())
        query = query.where(
            or_(
                func.lower(Group.name).like(pattern, escape="\\"),
                func.lower(Group.description).like(pattern, escape="\\"),
                func.lower(Group.meeting_place).like(pattern, escape="\\"),
            )
        )
    rows = list(
        db.session.scalars(
            query.order_by(func.lower(Group.name), Group.id).limit(per_page + 1).offset((page - 1) * per_page)
        )
    )
    return rows[:per_page], len(rows) > per_page


def next_events(group_ids: Iterable[int], limit_per_group: int = 1) -> dict[int, list[Event]]:
    """The next upcoming events of several groups, in one query."""
    ids = list(group_ids)
    found: dict[int, list[Event]] = {i: [] for i in ids}
    if not ids:
        return found
    ranked = (
        select(
            Event.id,
            func.row_number()
            .over(partition_by=Event.group_id, order_by=(Event.starts_at, Event.id))
            .label("n"),
        )
        .where(Event.group_id.in_(ids), Event.starts_at > utcnow(), Event.cancelled_at.is_(None))
        .subquery()
    )
    query = (
        select(Event)
        .join(ranked, ranked.c.id == Event.id)
        .where(ranked.c.n <= limit_per_group)
        .order_by(Event.starts_at)
    )
    for event in db.session.scalars(query):
        found[event.group_id].append(event)
    return found


@dataclass
class MemberNames:
    """Who may be named on a group's page, and how many members there are in all."""

    names: list[tuple[str, bool]]  # (display name, is organiser)
    named: int
    total: int


def member_names(group: Group, limit: int = 60) -> MemberNames:
    """The names of members who agreed to be named (organisers first), and the counts."""
    named_count, total = db.session.execute(
        select(
            func.coalesce(func.sum(case((Membership.is_public, 1), else_=0)), 0), func.count(Membership.id)
        ).where(Membership.group_id == group.id)
    ).one()
    rows = db.session.execute(
        select(User.display_name, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, Membership.is_public, User.erased_at.is_(None))
        .order_by(case((Membership.role == Membership.ORGANISER, 0), else_=1), Membership.joined_at)
        .limit(limit)
    ).all()
    return MemberNames([(name, role == Membership.ORGANISER) for name, role in rows], named_count, total)


def announcements_of(group: Group, limit: int = 10) -> list[tuple[Announcement, str | None]]:
    """The group's latest announcements, each with its author's name when they agreed to be named."""
    named = and_(Membership.is_public, User.erased_at.is_(None))
    rows = db.session.execute(
        select(Announcement, case((named, User.display_name), else_=None))
        .outerjoin(
            Membership,
            and_(Membership.group_id == Announcement.group_id, Membership.user_id == Announcement.author_id),
        )
        .outerjoin(User, User.id == Announcement.author_id)
        .where(Announcement.group_id == group.id)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        .limit(limit)
    ).all()
    return [(a, name) for a, name in rows]


def options_of(group: Group) -> list[Option]:
    """The options the group has put forward, newest first."""
    return list(
        db.session.scalars(
            select(Option)
            .options(joinedload(Option.consultation))
            .where(Option.group_id == group.id)
            .order_by(Option.created_at.desc(), Option.id.desc())
        )
    )


def members_for_organisers(group: Group) -> list[Membership]:
    """Every member, for the organisers' management page (organisers first, then by joining)."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.group_id == group.id)
            .order_by(case((Membership.role == Membership.ORGANISER, 0), else_=1), Membership.joined_at)
        )
    )


def groups_of_user(user: User) -> list[tuple[Group, Membership]]:
    """The groups the user belongs to, with their membership."""
    rows = db.session.execute(
        select(Group, Membership)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id)
        .order_by(func.lower(Group.name))
    ).all()
    return [(g, m) for g, m in rows]
