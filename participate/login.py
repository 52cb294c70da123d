"""Sessions: loading the signed-in user, and what an anonymous visitor looks like."""

from __future__ import annotations

import logging
import time

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user, login_user, logout_user

from participate.extensions import db, login_manager

# Security events (sign-ins, refusals, sign-outs) go to this logger, one line each, without secrets
# or email addresses: the account id, the method, the address the request came from.
security_log = logging.getLogger("participate.security")


def log_event(event: str, user=None, **fields) -> None:
    """Write one security event: `event user=<id> key=value … ip=<address>` (values quoted by repr)."""
    parts = [f"user={getattr(user, 'id', None)}"]
    parts += [f"{key}={value!r}" for key, value in sorted(fields.items())]
    parts.append(f"ip={request.remote_addr!r}" if request else "ip=None")
    level = logging.WARNING if event.endswith("refused") else logging.INFO
    security_log.log(level, "%s %s", event, " ".join(parts))


# Staff sessions end after this long idle, and after this long in all (ASVS 7.3).
STAFF_IDLE_SECONDS = 30 * 60
STAFF_MAX_SECONDS = 12 * 60 * 60
# How long a password may wait for its second factor.
SECOND_FACTOR_SECONDS = 5 * 60


class Anonymous(AnonymousUserMixin):
    """A visitor who has not signed in: no roles, no ward."""

    id = None
    ward_id = None
    grants: list = []
    is_officer = is_admin = is_councillor = is_staff = holds_staff_role = has_two_factor = False
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


def _fresh_session() -> None:
    """Start a new session (a new cookie, new CSRF token), keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def end_session() -> None:
    """Sign out of this browser: forget the user and every value the session held but the language."""
    if current_user.is_authenticated:
        log_event("sign-out", current_user)
    logout_user()
    _fresh_session()


def start_session(user, remember: bool = False, method: str = "password") -> None:
    """Sign a user in after every factor has been checked."""
    from participate.services import accounts

    _fresh_session()
    # Staff are never remembered: their sessions must time out.
    login_user(user, remember=remember and not user.holds_staff_role)
    now = int(time.time())
    session["signed_in_at"] = now
    session["seen_at"] = now
    session["auth_method"] = method
    accounts.record_sign_in(user)
    log_event("sign-in", user, method=method, two_factor=user.has_two_factor)


def await_second_factor(user, remember: bool, next_url: str | None, method: str = "password") -> None:
    """Remember that the first factor passed; the second-factor page finishes signing in."""
    _fresh_session()
    session["second_factor"] = {
        "uid": user.id,
        "version": user.session_version,
        "remember": bool(remember),
        "next": next_url or "",
        "method": method,
        "at": int(time.time()),
    }


def pending_second_factor():
    """The user waiting for their second factor, or None when there is none or it waited too long."""
    from participate.models import User

    pending = session.get("second_factor")
    if not pending or time.time() - pending.get("at", 0) > SECOND_FACTOR_SECONDS:
        return None, None
    user = db.session.get(User, pending["uid"])
    if user is None or user.session_version != pending["version"] or not user.is_active:
        return None, None
    return user, pending


def enforce_staff_session_limits():
    """Sign staff out after 30 minutes idle or 12 hours in all."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    # Remembered for the audit log, which would otherwise reload the user after a view's commit.
    g.holds_staff_role = current_user.holds_staff_role
    if not g.holds_staff_role:
        return None
    now = time.time()
    started, seen = session.get("signed_in_at"), session.get("seen_at")
    if not started or now - started > STAFF_MAX_SECONDS or (seen and now - seen > STAFF_IDLE_SECONDS):
        log_event("session-expired", current_user)
        logout_user()
        _fresh_session()
        flash(
            _("For security, staff sessions end after 30 minutes without activity. Please sign in again."),
            "info",
        )
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    session["seen_at"] = int(now)
    return None


def init_app(app: Flask) -> None:
    """Wire the loader into Flask-Login and the session limits into every request."""
    login_manager.user_loader(load_user)
    app.before_request(enforce_staff_session_limits)
    login_manager.anonymous_user = Anonymous
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
