"""Resident accounts: registration, verification, signing in, password reset, email change, roles."""

from __future__ import annotations

import re
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from participate import passwords, tokens
from participate.extensions import db
from participate.models import Role, RoleGrant, User, Ward, utcnow
from participate.services import mail

# The shape of a UK postcode (BS 7666), written with or without the space.
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$")

# Checked against when an address is unknown, so a sign-in takes as long either way.
_DUMMY_HASH: dict[str, str] = {}


def normalise_email(email: str) -> str:
    """Return the address trimmed and lower-cased (addresses are matched in any letter case)."""
    return (email or "").strip().lower()


def normalise_postcode(postcode: str) -> str | None:
    """Return the postcode in its standard form (`SW2 1RW`), or None when it is not one."""
    compact = re.sub(r"\s+", "", (postcode or "").upper())
    if not POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def find_by_email(email: str) -> User | None:
    """The account with this address, in any letter case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    """Whether an account already uses this address."""
    return db.session.scalar(select(func.count(User.id)).where(User.email == normalise_email(email))) > 0


def register(*, email: str, display_name: str, password: str, postcode: str, ward: Ward, locale: str) -> User:
    """Create a resident's account and queue the verification mail."""
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        postcode=normalise_postcode(postcode),
        ward=ward,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    """Queue a mail with a signed link that proves the user reads this address."""
    token = tokens.make("verify", {"uid": user.id, "email": user.email})
    mail.queue_for_user(
        user,
        kind="verify",
        subject=lambda: _l("Confirm your email address"),
        template="emails/verify.txt",
        context={"user": user, "link": url_for("auth.verify", token=token, _external=True)},
    )


def verify_email(token: str, max_age: int) -> User:
    """Mark the address in a verification link as verified; raise LinkError when it is not valid."""
    payload = tokens.read("verify", token, max_age=max_age)
    user = db.session.get(User, payload.get("uid", 0))
    if user is None or user.email != payload.get("email") or not user.is_active:
        raise tokens.LinkError("invalid")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this address and password, or None (same cost either way)."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = passwords.hash_password("not a real password, only for timing")
        passwords.check_password(_DUMMY_HASH["hash"], password)
        return None
    if not passwords.check_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def record_sign_in(user: User) -> None:
    """Note when the user last signed in."""
    user.last_sign_in_at = utcnow()


def request_password_reset(email: str) -> None:
    """Queue a reset link when the address has an account; do nothing visible otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make("reset", {"uid": user.id, "fp": tokens.fingerprint(user.password_hash)})
    mail.queue_for_user(
        user,
        kind="reset",
        subject=lambda: _l("Reset your password"),
        template="emails/reset.txt",
        context={"user": user, "link": url_for("auth.reset", token=token, _external=True)},
    )


def user_for_reset(token: str, max_age: int) -> User:
    """The user a reset link is for; raise LinkError when it is expired, altered or used."""
    payload = tokens.read("reset", token, max_age=max_age)
    user = db.session.get(User, payload.get("uid", 0))
    # The link carries a digest of the old hash, so it stops working once the password changes.
    if user is None or not user.is_active or payload.get("fp") != tokens.fingerprint(user.password_hash):
        raise tokens.LinkError("invalid")
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and sign the user out of every other session."""
    user.password_hash = passwords.hash_password(password)
    end_every_session(user)


def end_every_session(user: User) -> None:
    """Make every session cookie of the user stop working (a view may sign its own browser in again)."""
    user.session_version += 1


def reset_password(user: User, password: str) -> None:
    """Set the password chosen through a reset link; the link also proved the address."""
    set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def request_email_change(user: User, new_email: str) -> None:
    """Send a confirmation link to the new address (or a warning, when it already has an account)."""
    new_email = normalise_email(new_email)
    owner = find_by_email(new_email)
    if owner is not None:
        # Saying so on the page would tell anyone which addresses have accounts.
        mail.queue(
            to=new_email,
            user=owner,
            locale=owner.locale or "en",
            kind="email-taken",
            subject=lambda: _l("Someone tried to use your email address"),
            template="emails/email_taken.txt",
            context={"user": owner},
        )
        return
    token = tokens.make(
        "email-change", {"uid": user.id, "new": new_email, "fp": tokens.fingerprint(user.email)}
    )
    mail.queue(
        to=new_email,
        user=user,
        locale=user.locale or "en",
        kind="email-change",
        subject=lambda: _l("Confirm your new email address"),
        template="emails/email_change.txt",
        context={
            "user": user,
            "new_email": new_email,
            "link": url_for("account.confirm_email", token=token, _external=True),
        },
    )


def confirm_email_change(token: str, max_age: int) -> User:
    """Switch the account to the address in the link; raise LinkError when it is not valid."""
    payload = tokens.read("email-change", token, max_age=max_age)
    user = db.session.get(User, payload.get("uid", 0))
    new_email = payload.get("new", "")
    if (
        user is None
        or not user.is_active
        or payload.get("fp") != tokens.fingerprint(user.email)
        or email_taken(new_email)
    ):
        raise tokens.LinkError("invalid")
    user.email = new_email
    user.email_verified_at = utcnow()
    return user


def update_profile(user: User, *, display_name: str, postcode: str, ward: Ward, locale: str) -> None:
    """Change the name, address and language a user has given."""
    if ward.id != user.ward_id:
        # An officer's confirmation of residence was for the old ward.
        user.residency_verified_at = None
        user.residency_verified_by_id = None
    user.display_name = display_name.strip()
    user.postcode = normalise_postcode(postcode)
    user.ward = ward
    user.locale = locale


def create_user(
    *,
    email: str,
    display_name: str | None = None,
    password: str | None = None,
    role: str = "resident",
    wards: list[Ward] | tuple = (),
    verified: bool = False,
    locale: str = "en",
    granted_by: User | None = None,
) -> User:
    """Create an account with a role (for the command line and the demo)."""
    email = normalise_email(email)
    home = wards[0] if wards else None
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=passwords.hash_password(password) if password else None,
        ward=home,
        locale=locale,
    )
    if verified:
        user.email_verified_at = utcnow()
        user.residency_verified_at = utcnow() if home else None
    db.session.add(user)
    db.session.flush()
    if role != "resident":
        targets = wards if role == Role.COUNCILLOR.value else [None]
        for ward in targets:
            grant_role(user, Role(role), ward=ward, granted_by=granted_by)
    return user


def grant_role(
    user: User, role: Role, *, ward: Ward | None = None, granted_by: User | None = None
) -> RoleGrant:
    """Grant a role (a councillor's role is for one ward); granting twice returns the first grant."""
    if role == Role.COUNCILLOR and ward is None:
        raise ValueError("a councillor's role needs a ward")
    ward_id = ward.id if (ward is not None and role == Role.COUNCILLOR) else None
    for grant in user.grants:
        if grant.role == role and grant.ward_id == ward_id:
            return grant
    grant = RoleGrant(role=role, ward_id=ward_id, granted_by_id=granted_by.id if granted_by else None)
    user.grants.append(grant)
    db.session.flush()
    return grant


def revoke_role(user: User, grant: RoleGrant) -> None:
    """Take a role away."""
    user.grants.remove(grant)
    db.session.flush()


def verify_residency(user: User, officer: User, when: datetime | None = None) -> None:
    """Record that an officer confirmed the user lives in their ward."""
    user.residency_verified_at = when or utcnow()
    user.residency_verified_by_id = officer.id
