"""Who may record commissioning decisions, post their progress, and edit the checklist.

The record itself is public: anyone may read decisions, the borough report and the open data.
"""

from __future__ import annotations

from participate.models import CommissioningDecision, Consultation, Phase
from participate.permissions.accounts import is_signed_in


def is_commissioner(user) -> bool:
    """Officers (commissioners) and admins, with two-factor sign-in (their roles need it)."""
    return is_signed_in(user) and (user.is_officer or user.is_admin)


def can_record_decision(user, consultation: Consultation) -> bool:
    """Officers and admins record the decision of a closed consultation that has none yet."""
    return is_commissioner(user) and consultation.phase == Phase.CLOSED and consultation.decision is None


def can_post_progress(user, decision: CommissioningDecision) -> bool:
    """Officers and admins post progress on a commissioned piece of work."""
    return is_commissioner(user)


def can_edit_checklist(user) -> bool:
    """Admins add measures to the community benefit checklist and withdraw them."""
    return is_signed_in(user) and user.is_admin
