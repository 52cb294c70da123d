"""Sessions: loading the signed-in user, and what an anonymous visitor looks like."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from participate.extensions import db, login_manager


class Anonymous(AnonymousUserMixin):
    """A visitor who has not signed in: no roles, no ward."""

    id = None
    ward_id = None
    grants: list = []
    is_officer = is_admin = is_councillor = is_staff = False
    is_email_verified = is_residency_verified = False
    councillor_ward_ids: frozenset[int] = frozenset()
    locale = None

    def is_suspended(self, now=None) -> bool:
        return False

    def has_role(self, role) -> bool:
        return False


def load_user(session_id: str):
    """Return the user for a session identifier, or None when it is stale or malformed."""
    from participate.models import User

    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def init_app(app: Flask) -> None:
    """Wire the loader into Flask-Login."""
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
