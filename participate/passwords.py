"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from zxcvbn import zxcvbn

from participate.extensions import db

# A password whose estimated guesses fall below this is among common passwords or simple patterns.
MIN_GUESSES_LOG10 = 6
# The longest password zxcvbn accepts.
ZXCVBN_MAX_LENGTH = 72
# Words of this service itself that a password must not be built from (ASVS 6.1.2), besides the
# council's name (`COUNCIL_NAME`), the names of its wards and the person's own email and name.
SERVICE_WORDS = ("participate", "council", "ward")
# Shorter pieces of a name ("st", "and", "of") say nothing about the place and are left in.
MIN_CONTEXT_WORD_LENGTH = 3
_WORD = re.compile(r"\w+")


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


def context_words(user_inputs: list[str] | tuple = ()) -> list[str]:
    """The words a password must not be built from: the person's details, the council's name, the
    service's own words and the ward names, in lower case, split into words."""
    from participate.models import Ward

    phrases = [*user_inputs, current_app.config["COUNCIL_NAME"], *SERVICE_WORDS]
    phrases += db.session.scalars(select(Ward.name)).all()
    words = []
    for phrase in phrases:
        for word in _WORD.findall((phrase or "").lower()):
            if len(word) >= MIN_CONTEXT_WORD_LENGTH and word not in words:
                words.append(word)
    return words


def _guesses_log10(password: str, words: list[str]) -> float:
    # zxcvbn refuses anything longer than 72 characters (it raises); past that, judge the first 72.
    return zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)["guesses_log10"]


def _without(password: str, words: list[str]) -> str:
    """The password in lower case with every context word taken out (longest words first)."""
    rest = password.lower()
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return rest


def password_problem(password: str, user_inputs: list[str] | tuple = ()) -> str | None:
    """Return why a new password is refused (`too_short`, `too_common`), or None when it is fine.

    A password is too common when zxcvbn guesses it easily, given the context words as well, or
    when what is left once the context words are taken out is easily guessed: "Lambeth participate
    2026" is refused, a few unrelated words with the ward's name among them are not.
    """
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        return "too_short"
    words = context_words([u for u in user_inputs if u])
    if _guesses_log10(password, words) < MIN_GUESSES_LOG10:
        return "too_common"
    if _guesses_log10(_without(password, words).strip(), words) < MIN_GUESSES_LOG10:
        return "too_common"
    return None
