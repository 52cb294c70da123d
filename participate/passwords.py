"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

# A password whose estimated guesses fall below this is among common passwords or simple patterns.
MIN_GUESSES_LOG10 = 6
# The longest password zxcvbn accepts.
ZXCVBN_MAX_LENGTH = 72


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password with the configured argon2id parameters."""
    return _hasher().hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash (False for accounts without a password)."""
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the configured ones."""
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str, user_inputs: list[str] | tuple = ()) -> str | None:
    """Return why a new password is refused (`too_short`, `too_common`), or None when it is fine."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        return "too_short"
    # zxcvbn refuses anything longer than 72 characters (it raises); past that, judge the first 72.
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
    if result["guesses_log10"] < MIN_GUESSES_LOG10:
        return "too_common"
    return None
