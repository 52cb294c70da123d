"""The permission table: every role × every action × every phase, written out by hand.

The expectations below are the rules as residents, councillors and officers were promised them;
they are not computed from the code under test.
"""

from __future__ import annotations

import pytest

from participate.extensions import db
from participate.models import Phase
from participate.permissions import deliberation as rules
from participate.permissions import moderation as mod
from tests.deliberation_support import (
    HOME,
    ROLES,
    make_comment,
    make_consultation,
    make_option,
    make_proposal,
)

EVERYONE = set(ROLES)
PARTICIPANTS = EVERYONE - {"anonymous", "unverified", "suspended"}
CONFIRMED = EVERYONE - {"anonymous", "unverified"}
TAKE_PART = {"resident in ward", "councillor of this ward", "officer", "admin"}
LIVES_HERE = {"resident in ward", "councillor of this ward"}
MODERATORS = {"councillor of this ward", "officer", "admin"}
STAFF = {"officer", "admin"}
NOBODY: set[str] = set()

# Actions that do not depend on a consultation's phase.
UNPHASED = {
    "propose an outcome for the ward": LIVES_HERE,
    "support a neighbour's proposal": LIVES_HERE,
    "comment on a proposal": TAKE_PART,
    "flag a proposal": PARTICIPANTS,
    "moderate a proposal": MODERATORS,
    "read a proposal's earlier versions": MODERATORS,
    "open a consultation for the ward": MODERATORS,
    "open a borough-wide consultation": STAFF,
    "see a moderation queue": MODERATORS | {"councillor of another ward"},
    "suspend a resident": {"admin"},
}

PHASES = ("upcoming", "options", "voting", "closed")

# Actions on a consultation of the ward HOME, by phase ("upcoming": options phase, before options open).
PHASED = {
    "change the consultation": {
        "upcoming": MODERATORS,
        "options": MODERATORS,
        "voting": NOBODY,
        "closed": NOBODY,
    },
    "move the consultation on a phase": {
        "upcoming": MODERATORS,
        "options": MODERATORS,
        "voting": MODERATORS,
        "closed": NOBODY,
    },
    "put an option forward": {"upcoming": NOBODY, "options": TAKE_PART, "voting": NOBODY, "closed": NOBODY},
    "merge or rule out an option": {"upcoming": STAFF, "options": STAFF, "voting": NOBODY, "closed": NOBODY},
    "comment on the consultation": {
        "upcoming": TAKE_PART,
        "options": TAKE_PART,
        "voting": TAKE_PART,
        "closed": NOBODY,
    },
    "comment on an option": {
        "upcoming": TAKE_PART,
        "options": TAKE_PART,
        "voting": TAKE_PART,
        "closed": NOBODY,
    },
    "reply to a comment": {
        "upcoming": TAKE_PART,
        "options": TAKE_PART,
        "voting": TAKE_PART,
        "closed": NOBODY,
    },
    "follow the consultation": dict.fromkeys(PHASES, CONFIRMED),
    "flag an option": dict.fromkeys(PHASES, PARTICIPANTS),
    "flag a comment": dict.fromkeys(PHASES, PARTICIPANTS),
    "moderate an option": dict.fromkeys(PHASES, MODERATORS),
    "moderate a comment": dict.fromkeys(PHASES, MODERATORS),
    "lock the consultation's discussion": dict.fromkeys(PHASES, MODERATORS),
}


@pytest.fixture
def world(people, wards):
    """A proposal by a neighbour in HOME, and a consultation of HOME in each phase with an option and
    a comment by a neighbour."""
    from participate.services import accounts

    neighbour = accounts.create_user(
        email="nia@example.org", display_name="Nia Neighbour", wards=[wards[HOME]], verified=True
    )
    home = wards[HOME]
    things = {"proposal": make_proposal(neighbour, home), "neighbour": neighbour, "home": home}
    for phase in PHASES:
        consultation = make_consultation(
            wards=[home],
            phase=Phase.OPTIONS if phase == "upcoming" else Phase(phase),
            upcoming=phase == "upcoming",
        )
        option = make_option(consultation, neighbour)
        things[phase] = (consultation, option, make_comment(neighbour, option))
    db.session.commit()
    return things


def _unphased(action, user, world):
    proposal, home, neighbour = world["proposal"], world["home"], world["neighbour"]
    return {
        "propose an outcome for the ward": lambda: rules.can_propose_outcome(user, home),
        "support a neighbour's proposal": lambda: rules.can_support_proposal(user, proposal),
        "comment on a proposal": lambda: rules.can_comment(user, proposal),
        "flag a proposal": lambda: mod.can_flag(user, proposal),
        "moderate a proposal": lambda: mod.can_moderate(user, proposal),
        "read a proposal's earlier versions": lambda: rules.can_view_proposal_history(user, proposal),
        "open a consultation for the ward": lambda: rules.can_create_consultation(user, {home.id}),
        "open a borough-wide consultation": lambda: rules.can_create_consultation(
            user, (), borough_wide=True
        ),
        "see a moderation queue": lambda: mod.can_see_moderation_queue(user),
        "suspend a resident": lambda: mod.can_suspend_user(user, neighbour),
    }[action]()


def _phased(action, user, consultation, option, comment):
    return {
        "change the consultation": lambda: rules.can_edit_consultation(user, consultation),
        "move the consultation on a phase": lambda: rules.can_advance_phase(user, consultation),
        "put an option forward": lambda: rules.can_add_option(user, consultation),
        "merge or rule out an option": lambda: rules.can_appraise_option(user, option),
        "comment on the consultation": lambda: rules.can_comment(user, consultation),
        "comment on an option": lambda: rules.can_comment(user, option),
        "reply to a comment": lambda: rules.can_reply(user, comment),
        "follow the consultation": lambda: rules.can_follow(user, consultation),
        "flag an option": lambda: mod.can_flag(user, option),
        "flag a comment": lambda: mod.can_flag(user, comment),
        "moderate an option": lambda: mod.can_moderate(user, option),
        "moderate a comment": lambda: mod.can_moderate(user, comment),
        "lock the consultation's discussion": lambda: mod.can_moderate(user, consultation),
    }[action]()


@pytest.mark.parametrize("action", sorted(UNPHASED))
def test_permission_table_for_actions_without_a_phase(action, people, world):
    allowed = {role for role in ROLES if _unphased(action, people[role], world)}
    assert allowed == UNPHASED[action], action


@pytest.mark.parametrize("action", sorted(PHASED))
def test_permission_table_for_each_phase(action, people, world):
    allowed = {
        phase: {role for role in ROLES if _phased(action, people[role], *world[phase])} for phase in PHASES
    }
    assert allowed == PHASED[action], action


def test_every_role_and_phase_is_in_the_table():
    assert all(set(by_phase) == set(PHASES) for by_phase in PHASED.values())
    assert all(expected <= EVERYONE for expected in UNPHASED.values())


def test_councillors_moderate_a_borough_wide_discussion_by_the_authors_ward(people, wards):
    consultation = make_consultation(borough_wide=True)
    from_home = make_comment(people["resident in ward"], consultation)
    from_elsewhere = make_comment(people["resident out of ward"], consultation)
    here, elsewhere = people["councillor of this ward"], people["councillor of another ward"]
    assert mod.can_moderate(here, from_home) and not mod.can_moderate(here, from_elsewhere)
    assert mod.can_moderate(elsewhere, from_elsewhere) and not mod.can_moderate(elsewhere, from_home)
    # The consultation itself belongs to no single ward: officers and admins lock it.
    assert not mod.can_moderate(here, consultation) and mod.can_moderate(people["officer"], consultation)


def test_a_consultation_across_two_wards_is_moderated_by_both_and_opened_only_by_a_councillor_of_both(
    people, wards, make_user
):
    both = make_consultation(wards=[wards[HOME], wards["E05014101"]])
    comment = make_comment(people["resident in ward"], both)
    assert mod.can_moderate(people["councillor of this ward"], comment)
    assert mod.can_moderate(people["councillor of another ward"], comment)
    assert not rules.can_create_consultation(people["councillor of this ward"], {w.id for w in both.wards})
    assert not rules.can_manage_consultation(people["councillor of this ward"], both)
    of_both = make_user(role="councillor", wards=[HOME, "E05014101"])
    assert rules.can_manage_consultation(of_both, both)
