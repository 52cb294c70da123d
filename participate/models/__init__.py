"""The domain model, one module per aggregate; importing this package registers every table."""

from participate.models.base import Base, utcnow
from participate.models.outbox import OutboxMessage
from participate.models.users import Role, RoleGrant, User
from participate.models.wards import Ward

__all__ = ["Base", "OutboxMessage", "Role", "RoleGrant", "User", "Ward", "utcnow"]
