"""People and what they may do: users, and the roles granted to them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.models.base import Base, UTCDateTime, utcnow
from participate.models.wards import Ward


class Role(enum.StrEnum):
    """A role granted through RoleGrant; residents need no grant."""

    COUNCILLOR = "councillor"
    OFFICER = "officer"
    ADMIN = "admin"


class User(UserMixin, Base):
    """A person with an account: a resident, and possibly a councillor, officer or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint holds whatever the letter case typed.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    postcode: Mapped[str | None] = mapped_column(String(8))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    residency_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    residency_verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session identifier: raising it signs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in: the TOTP secret (encrypted with a key derived from SECRET_KEY), when it
    # was turned on, and the last time step used, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None]

    ward: Mapped[Ward | None] = relationship(lazy="joined", foreign_keys=[ward_id])
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        lazy="selectin",
        foreign_keys="RoleGrant.user_id",
        cascade="all, delete-orphan",
    )

    def get_id(self) -> str:
        """Return the session identifier: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """An erased account cannot sign in."""
        return self.erased_at is None

    @property
    def public_name(self) -> str:
        """The name shown beside what the user wrote ("former resident" once erased)."""
        if self.erased_at is not None:
            from flask_babel import gettext

            return gettext("former resident")
        return self.display_name

    @property
    def is_email_verified(self) -> bool:
        """Whether the user has opened a verification link for their current email."""
        return self.email_verified_at is not None

    @property
    def is_residency_verified(self) -> bool:
        """Whether an officer has confirmed the user lives in their ward."""
        return self.residency_verified_at is not None

    def is_suspended(self, now: datetime | None = None) -> bool:
        """Whether an admin's suspension is in force."""
        return self.suspended_until is not None and self.suspended_until > (now or utcnow())

    @property
    def has_two_factor(self) -> bool:
        """Whether the user signs in with a second factor (TOTP)."""
        return self.totp_enabled_at is not None

    @property
    def holds_staff_role(self) -> bool:
        """Whether any role is granted, whether or not it can be used yet."""
        return bool(self.grants)

    @property
    def active_grants(self) -> list[RoleGrant]:
        """The roles the user can use: staff roles need two-factor sign-in first."""
        return self.grants if self.has_two_factor else []

    def has_role(self, role: Role) -> bool:
        """Whether the user holds and can use the role anywhere."""
        return any(g.role == role for g in self.active_grants)

    @property
    def is_officer(self) -> bool:
        return self.has_role(Role.OFFICER)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def is_councillor(self) -> bool:
        return self.has_role(Role.COUNCILLOR)

    @property
    def is_staff(self) -> bool:
        """Councillors, officers and admins who can use their role."""
        return bool(self.active_grants)

    @property
    def councillor_ward_ids(self) -> frozenset[int]:
        """The wards this user is a councillor of (and can act in)."""
        return frozenset(
            g.ward_id for g in self.active_grants if g.role == Role.COUNCILLOR and g.ward_id is not None
        )

    @property
    def role_names(self) -> list[str]:
        """The distinct roles granted (usable or not yet), most powerful first."""
        order = [Role.ADMIN, Role.OFFICER, Role.COUNCILLOR]
        return [r.value for r in order if any(g.role == r for g in self.grants)]

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RecoveryCode(Base):
    """A one-time code that replaces the authenticator app once (stored hashed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoleGrant(Base):
    """A role granted to a user: councillor of one ward, officer, or admin."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    ward: Mapped[Ward | None] = relationship(lazy="joined")
