"""Who may act at all, and who may manage accounts."""

from __future__ import annotations

from participate.models import User, utcnow


def is_signed_in(user) -> bool:
    """Whether the visitor has signed in."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_participate(user) -> bool:
    """A signed-in user with a confirmed address who is not suspended (the base of every action)."""
    return is_signed_in(user) and user.is_email_verified and not user.is_suspended(utcnow())


def can_manage_users(user) -> bool:
    """Admins grant roles and suspend accounts."""
    return is_signed_in(user) and user.is_admin


def can_verify_residents(user) -> bool:
    """Officers (and admins) confirm that residents live in their ward."""
    return is_signed_in(user) and (user.is_officer or user.is_admin)


def can_view_user(user, other: User) -> bool:
    """Users see their own account; officers and admins see anyone's."""
    return is_signed_in(user) and (user.id == other.id or user.is_officer or user.is_admin)


def can_view_people(user) -> bool:
    """Officers and admins look people up (to confirm residence, answer questions, grant roles)."""
    return is_signed_in(user) and (user.is_officer or user.is_admin)


def can_read_audit_log(user) -> bool:
    """Only admins read the audit log of staff actions."""
    return is_signed_in(user) and user.is_admin
