"""The domain model, one module per aggregate; importing this package registers every table."""

from participate.models.audit import AuditEntry
from participate.models.ballots import Ballot, BallotEntry, Participation, StoredResult
from participate.models.base import Base, utcnow
from participate.models.commissioning import (
    CommissioningDecision,
    CommitmentProgress,
    DeliveryStatus,
    ProcurementRoute,
    ProgressUpdate,
    ProviderKind,
    SocialValueCommitment,
    SocialValueMeasure,
)
from participate.models.deliberation import (
    PHASE_ORDER,
    Comment,
    Consultation,
    Follow,
    Notification,
    NotificationKind,
    NotificationSetting,
    Option,
    OptionStatus,
    OutcomeProposal,
    Phase,
    PhaseChange,
    ProposalCategory,
    ProposalRevision,
    ProviderType,
    Stance,
    Support,
    VotingMethod,
)
from participate.models.groups import Announcement, ChampionProfile, Event, Group, Interest, Membership, Rsvp
from participate.models.moderation import Flag, FlagReason, Hideable, ModerationAction, ModerationVerb
from participate.models.outbox import OutboxMessage
from participate.models.users import RecoveryCode, Role, RoleGrant, User
from participate.models.wards import Ward

# Everything a flag can point at, by the name used in Flag.target_type and ModerationAction.
MODERATABLE = {
    "proposal": OutcomeProposal,
    "option": Option,
    "comment": Comment,
    "group": Group,
    "announcement": Announcement,
}

__all__ = [
    "Announcement",
    "AuditEntry",
    "Ballot",
    "BallotEntry",
    "Base",
    "ChampionProfile",
    "Comment",
    "CommissioningDecision",
    "CommitmentProgress",
    "Consultation",
    "DeliveryStatus",
    "Event",
    "Flag",
    "FlagReason",
    "Follow",
    "Group",
    "Hideable",
    "Interest",
    "MODERATABLE",
    "Membership",
    "ModerationAction",
    "ModerationVerb",
    "Notification",
    "NotificationKind",
    "NotificationSetting",
    "Option",
    "OptionStatus",
    "OutboxMessage",
    "OutcomeProposal",
    "PHASE_ORDER",
    "Participation",
    "Phase",
    "PhaseChange",
    "ProcurementRoute",
    "ProgressUpdate",
    "ProposalCategory",
    "ProposalRevision",
    "ProviderKind",
    "ProviderType",
    "RecoveryCode",
    "Role",
    "RoleGrant",
    "Rsvp",
    "SocialValueCommitment",
    "SocialValueMeasure",
    "Stance",
    "StoredResult",
    "Support",
    "User",
    "VotingMethod",
    "Ward",
    "utcnow",
]
