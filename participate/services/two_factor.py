"""Two-factor sign-in with TOTP (RFC 6238) and one-time recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from participate.extensions import db
from participate.models import RecoveryCode, User, utcnow

ISSUER = "participate"
RECOVERY_CODES = 10
# Unambiguous letters and digits, read aloud or typed from paper without confusion.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"participate-totp", info=b"totp-secret").derive(
        current_app.config["SECRET_KEY"].encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or str(user.id), issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The address as an SVG QR code (made here from our own data, so safe to embed)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")
    # Safe HTML: drawn by segno from our own otpauth address.
    return Markup(svg)  # nosec B704


def secret_of(user: User) -> str | None:
    """The user's decrypted TOTP secret."""
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        return None


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step a code belongs to (this one or its neighbours), or None."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    for offset in (0, -1, 1):
        moment = now + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor on when the code proves the app has the secret; return new recovery codes."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = _fernet().encrypt(secret.encode()).decode()
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return replace_recovery_codes(user)


def disable(user: User) -> None:
    """Turn two-factor off (residents only; staff roles then stop working)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    for code in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(code)


def _hash(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{normalised}".encode()).hexdigest()


def replace_recovery_codes(user: User) -> list[str]:
    """Make a new set of recovery codes (the old ones stop working); return them to show once."""
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def check(user: User, code: str) -> bool:
    """Accept a current TOTP code (once) or an unused recovery code (then spent)."""
    secret = secret_of(user)
    if secret is None:
        return False
    step = _matching_step(secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # the same code (or an older one) again: a replay
        user.totp_last_step = step
        return True
    wanted = _hash(code)
    for stored in db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ):
        if hmac.compare_digest(stored.code_hash, wanted):
            stored.used_at = utcnow()
            return True
    return False


def recovery_codes_left(user: User) -> int:
    """How many recovery codes are unused."""
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )
