"""Signed, expiring links: email verification, password reset, email change, unsubscribe."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class LinkError(Exception):
    """A link that is expired (`expired`) or was altered or already used (`invalid`)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # HMAC-SHA-256 rather than itsdangerous's default SHA-1 (ASVS 11.4.3); a link signed otherwise is refused.
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=f"participate.{purpose}",
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def fingerprint(value: str | None) -> str:
    """A short digest of a value whose change must invalidate a link (e.g. the password hash)."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make(purpose: str, payload: dict) -> str:
    """Sign a payload for one purpose."""
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int | None = None) -> dict:
    """Return the payload of a token, or raise LinkError."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError("expired") from exc
    except BadSignature as exc:
        raise LinkError("invalid") from exc
