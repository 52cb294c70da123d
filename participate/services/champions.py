"""The open call: residents become green community champions, change what they said, or step down."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from participate.extensions import db
from participate.models import ChampionProfile, Interest, User, Ward, utcnow
from participate.models.groups import champion_interests
from participate.sanitize import clean_text

INTEREST_LABELS = {
    Interest.FOOD_GROWING: _l("Food growing"),
    Interest.COMMUNITY_ENERGY: _l("Community energy"),
    Interest.WASTE_AND_RECYCLING: _l("Waste and recycling"),
    Interest.CLEAN_AIR: _l("Clean air"),
    Interest.BIODIVERSITY: _l("Biodiversity and green spaces"),
    Interest.OTHER: _l("Other"),
}


def interest_label(value) -> str:
    """The translated name of an interest (its code when unknown)."""
    try:
        return str(INTEREST_LABELS[Interest(value)])
    except ValueError:
        return str(value)


def profile_of(user) -> ChampionProfile | None:
    """The user's champion profile, also when they have stepped down."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))


def active_profile_of(user) -> ChampionProfile | None:
    """The user's profile while they are a champion."""
    profile = profile_of(user)
    return profile if profile is not None and profile.stepped_down_at is None else None


def interests_of(profile_ids: Iterable[int]) -> dict[int, list[Interest]]:
    """The interests of several champions in one query, in the order of INTEREST_LABELS."""
    ids = list(profile_ids)
    found: dict[int, list[Interest]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(champion_interests.c.champion_id, champion_interests.c.interest).where(
            champion_interests.c.champion_id.in_(ids)
        )
    )
    order = list(INTEREST_LABELS)
    for champion_id, interest in rows:
        found[champion_id].append(Interest(interest))
    for values in found.values():
        values.sort(key=order.index)
    return found


def _set_interests(profile: ChampionProfile, interests: Iterable[Interest]) -> None:
    db.session.execute(delete(champion_interests).where(champion_interests.c.champion_id == profile.id))
    rows = [{"champion_id": profile.id, "interest": Interest(i).value} for i in dict.fromkeys(interests)]
    if rows:
        db.session.execute(insert(champion_interests), rows)


def answer_open_call(
    user: User,
    *,
    ward: Ward,
    statement: str,
    interests: Iterable[Interest],
    availability: str | None,
    is_public: bool,
    may_contact: bool,
) -> ChampionProfile:
    """Make the user a champion (again, if they had stepped down) with what they said they want to do."""
    profile = profile_of(user)
    now = utcnow()
    if profile is None:
        profile = ChampionProfile(user_id=user.id, created_at=now)
        db.session.add(profile)
    else:
        profile.updated_at = now
    profile.stepped_down_at = None
    profile.ward_id = ward.id
    profile.statement = clean_text(statement).strip()
    profile.availability = clean_text(availability or "").strip() or None
    profile.is_public = bool(is_public)
    profile.may_contact = bool(may_contact)
    db.session.flush()
    _set_interests(profile, interests)
    return profile


def step_down(profile: ChampionProfile) -> None:
    """Stop being a champion; the profile is kept (for the figures) and no longer listed anywhere."""
    if profile.stepped_down_at is None:
        profile.stepped_down_at = utcnow()
        profile.is_public = False
        profile.may_contact = False


def public_champions(ward: Ward | None = None, limit: int = 200) -> list[ChampionProfile]:
    """Champions who agreed to be named, newest first (optionally in one ward)."""
    query = (
        select(ChampionProfile)
        .join(User, User.id == ChampionProfile.user_id)
        .where(ChampionProfile.is_public, ChampionProfile.stepped_down_at.is_(None), User.erased_at.is_(None))
        .order_by(ChampionProfile.created_at.desc(), ChampionProfile.id.desc())
        .limit(limit)
    )
    if ward is not None:
        query = query.where(ChampionProfile.ward_id == ward.id)
    return list(db.session.scalars(query))
