"""Who may flag content, moderate it (by ward), and suspend accounts.

A target is any object that mixes in `Hideable` (or, for a lock, has `is_locked`) and exposes
`ward_ids`: the wards whose councillors moderate it. Officers and admins moderate everywhere.
"""

from __future__ import annotations

from participate.permissions.accounts import can_participate, is_signed_in


def _author_id(target) -> int | None:
    for name in ("author_id", "proposer_id", "created_by_id"):
        if hasattr(target, name):
            return getattr(target, name)
    return None


def can_flag(user, target) -> bool:
    """Any user with a confirmed address reports content that is still shown (not their own)."""
    return (
        can_participate(user)
        and not getattr(target, "is_hidden", False)
        and getattr(target, "deleted_at", None) is None
        and _author_id(target) != user.id
    )


def can_moderate(user, target) -> bool:
    """Councillors moderate content in their own wards; officers and admins everywhere."""
    if not can_participate(user):
        return False
    if user.is_officer or user.is_admin:
        return True
    return bool(target.ward_ids & user.councillor_ward_ids)


def can_moderate_somewhere(user) -> bool:
    """Whether `can_moderate` can be true for this user for any target: a page asks once, then
    asks `can_moderate` of each of its things only when it can."""
    return can_participate(user) and (user.is_officer or user.is_admin or bool(user.councillor_ward_ids))


def can_see_moderation_queue(user) -> bool:
    """Councillors (for their wards), officers and admins have a moderation queue."""
    return can_participate(user) and (user.is_councillor or user.is_officer or user.is_admin)


def can_suspend_user(user, other) -> bool:
    """Admins suspend (and reinstate) accounts other than their own and other admins'."""
    return (
        is_signed_in(user)
        and user.is_admin
        and not user.is_suspended()
        and other.id != user.id
        and not other.is_admin
    )
