"""Who may answer the open call, run groups and events, RSVP, and see the support office.

Checks that depend on a membership or a champion profile look it up when it is not given; views
and templates that already hold it pass it in, so a page asks the database once.
"""

from __future__ import annotations

from participate.models import Membership, Phase, utcnow
from participate.permissions.accounts import can_participate, is_signed_in

_LOOK_UP = object()


def _membership(user, group, membership):
    if membership is not _LOOK_UP:
        return membership
    from participate.services.groups import membership_of

    return membership_of(user, group)


def _profile(user, profile):
    if profile is not _LOOK_UP:
        return profile
    from participate.services.champions import active_profile_of

    return active_profile_of(user)


def is_group_open(group) -> bool:
    """A group that is neither archived nor hidden by a moderator."""
    return group is not None and group.archived_at is None and group.hidden_at is None


def is_champion(user, profile=_LOOK_UP) -> bool:
    """Whether the user is a green community champion (answered the call, has not stepped down)."""
    if not is_signed_in(user):
        return False
    found = _profile(user, profile)
    return found is not None and found.stepped_down_at is None and found.user_id == user.id


def can_answer_open_call(user) -> bool:
    """Any resident who may take part can answer the open call (or change their answer)."""
    return can_participate(user)


def can_change_champion_profile(user, profile) -> bool:
    """Champions change or step down from their own profile only."""
    return is_signed_in(user) and profile is not None and profile.user_id == user.id


def can_start_group(user, profile=_LOOK_UP) -> bool:
    """Champions start groups."""
    return can_participate(user) and is_champion(user, profile)


def can_join_group(user, group, membership=_LOOK_UP) -> bool:
    """Any resident who may take part joins an open group they are not in yet."""
    return can_participate(user) and is_group_open(group) and _membership(user, group, membership) is None


def can_leave_group(user, membership) -> bool:
    """Members leave on their own (the only organiser is asked to hand over first)."""
    return is_signed_in(user) and membership is not None and membership.user_id == user.id


def can_choose_naming(user, membership) -> bool:
    """Members choose for themselves whether their name is shown on the group's page."""
    return is_signed_in(user) and membership is not None and membership.user_id == user.id


def can_manage_group(user, group, membership=_LOOK_UP) -> bool:
    """Only the group's organisers manage it: members, details, announcements and events."""
    if not can_participate(user) or group is None:
        return False
    found = _membership(user, group, membership)
    return found is not None and found.role == Membership.ORGANISER and found.group_id == group.id


def can_run_group(user, group, membership=_LOOK_UP) -> bool:
    """Organisers of a group that is open post announcements and schedule events."""
    return is_group_open(group) and can_manage_group(user, group, membership)


def can_rsvp(user, event) -> bool:
    """Residents who may take part answer events that are still to come and not cancelled."""
    return (
        can_participate(user)
        and event is not None
        and event.cancelled_at is None
        and event.starts_at > utcnow()
        and is_group_open(event.group)
    )


def can_see_support_office(user) -> bool:
    """Officers (and admins) see the support office; nobody else."""
    return is_signed_in(user) and (user.is_officer or user.is_admin)


def can_see_champion_contact(user, profile) -> bool:
    """The support office sees a champion's contact details only when the champion agreed."""
    return can_see_support_office(user) and profile is not None and bool(profile.may_contact)


def can_propose_option_for_group(user, group, consultation, membership=_LOOK_UP) -> bool:
    """A group's organiser proposes an option in a consultation of the group's wards, in its options phase."""
    if consultation is None or consultation.phase != Phase.OPTIONS:
        return False
    if not consultation.is_borough_wide and not (consultation.ward_ids & group.ward_ids):
        return False
    return can_run_group(user, group, membership)
