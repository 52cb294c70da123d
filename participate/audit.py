"""The audit log: every state change a member of staff makes is recorded, by construction.

Every POST by a user who holds a staff role is written to `audit_entries` after the response is
made: who, what (the endpoint and the objects it named), the outcome, when, and from which
address. Commands run from the shell record themselves through `record()`.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from participate.extensions import db
from participate.models import AuditEntry

log = logging.getLogger(__name__)

# Form fields never written to the log (secrets, and the free text people type).
SECRET_FIELDS = {"csrf_token", "password", "current_password", "code", "website"}


def record(action: str, actor=None, *, target_type=None, target_id=None, details=None, ip=None) -> None:
    """Add an audit entry to the session (the caller commits)."""
    db.session.add(
        AuditEntry(
            actor_id=getattr(actor, "id", None),
            action=action[:60],
            target_type=target_type,
            target_id=target_id,
            ip_address=ip,
            details=json.dumps(details, sort_keys=True, default=str) if details else None,
        )
    )


def _staff_post(response):
    if request.method != "POST" or request.endpoint in (None, "static"):
        return response
    if g.get("holds_staff_role") is False:
        return response  # signed in when the request began, and holding no role (see login.py)
    user = current_user._get_current_object() if current_user else None
    if user is None or not getattr(user, "holds_staff_role", False):
        return response
    args = dict(request.view_args or {})
    target_type, target_id = None, None
    for key, value in args.items():
        if key.endswith("_id") and isinstance(value, int):
            target_type, target_id = key[:-3], value
    fields = sorted(k for k in request.form if k not in SECRET_FIELDS)
    details = {"status": response.status_code, "args": args, "fields": fields}
    try:
        # The view has committed (or rolled back) its own work: the log entry is its own commit.
        db.session.rollback()
        record(request.endpoint, user, target_type=target_type, target_id=target_id, details=details,
               ip=request.remote_addr)  # fmt: skip
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not write the audit entry for %s", request.endpoint)
    return response


def init_app(app: Flask) -> None:
    """Record every staff POST."""
    app.after_request(_staff_post)
