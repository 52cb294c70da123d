"""Factories for the deliberation tests: proposals, consultations in any phase, options, comments,
and one user of every role around a home ward."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participate.extensions import db
from participate.login import Anonymous
from participate.models import (
    Comment,
    Consultation,
    Option,
    OutcomeProposal,
    Phase,
    ProviderType,
    Stance,
    VotingMethod,
    utcnow,
)
from participate.sanitize import render_markdown
from tests.support import PASSWORD

HOME = "E05014098"  # Brixton Windrush
OTHER = "E05014101"  # Clapham Park
THIRD = "E05014099"  # a ward neither belongs to

ROLES = (
    "anonymous",
    "unverified",
    "resident in ward",
    "resident out of ward",
    "suspended",
    "councillor of this ward",
    "councillor of another ward",
    "officer",
    "admin",
)


def _person(wards, name, role="resident", verified=True, **attrs):
    from participate.services import accounts

    user = accounts.create_user(
        email=f"{name.lower().replace(' ', '.')}@example.org",
        display_name=name,
        password=PASSWORD,
        role=role,
        wards=[wards[code] for code in attrs.pop("codes")],
        verified=verified,
    )
    for key, value in attrs.items():
        setattr(user, key, value)
    if role != "resident":
        # Staff roles work only with two-factor sign-in.
        import pyotp

        from participate.services import two_factor

        secret = pyotp.random_base32()
        user.recovery_codes = two_factor.enable(user, secret, pyotp.TOTP(secret).now())
    return user


@pytest.fixture
def people(wards):
    """One user of every role, around the ward HOME (made with one commit)."""
    later = utcnow() + timedelta(days=3)
    found = {
        "anonymous": Anonymous(),
        "unverified": _person(wards, "Una Verified", verified=False, codes=[HOME]),
        "resident in ward": _person(wards, "Rita Resident", codes=[HOME]),
        "resident out of ward": _person(wards, "Otto Outside", codes=[OTHER]),
        "suspended": _person(wards, "Sam Suspended", codes=[HOME], suspended_until=later),
        "councillor of this ward": _person(wards, "Cllr Here", role="councillor", codes=[HOME]),
        "councillor of another ward": _person(wards, "Cllr Elsewhere", role="councillor", codes=[OTHER]),
        "officer": _person(wards, "Olu Officer", role="officer", codes=[THIRD]),
        "admin": _person(wards, "Ada Admin", role="admin", codes=[THIRD]),
    }
    db.session.commit()
    return found


# The factories flush; a test commits (once) before a request needs to see what they made.


def make_proposal(author, ward, title="Somewhere safe for young people", body="We need a youth club.", **kw):
    proposal = OutcomeProposal(
        ward_id=ward.id, author_id=author.id, title=title, body=body, body_html=render_markdown(body), **kw
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def make_consultation(wards=(), phase=Phase.OPTIONS, borough_wide=False, creator=None, upcoming=False, **kw):
    """A consultation whose dates agree with its phase."""
    now = utcnow()
    day = timedelta(days=1)
    dates = {
        Phase.OPTIONS: (now - day, now + 7 * day, now + 14 * day),
        Phase.VOTING: (now - 8 * day, now - day, now + 7 * day),
        Phase.CLOSED: (now - 16 * day, now - 9 * day, now - day),
    }[phase]
    if upcoming:
        dates = (now + day, now + 7 * day, now + 14 * day)
    consultation = Consultation(
        title=kw.pop("title", "Somewhere safe for young people"),
        outcome_statement="Young people have somewhere safe to go.",
        outcome_html=render_markdown("Young people have somewhere safe to go."),
        phase=phase,
        is_borough_wide=borough_wide,
        options_open_at=dates[0],
        voting_open_at=dates[1],
        voting_close_at=dates[2],
        method=kw.pop("method", VotingMethod.APPROVAL),
        created_by_id=creator.id if creator else None,
        **kw,
    )
    consultation.wards = list(wards)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def make_option(consultation, proposer, title="Youth club", provider_type=ProviderType.COMMUNITY_LED, **kw):
    option = Option(
        consultation_id=consultation.id,
        title=title,
        description=kw.pop("description", "Open on weekday evenings."),
        description_html=render_markdown("Open on weekday evenings."),
        provider_type=provider_type,
        proposer_id=proposer.id if proposer else None,
        ward_id=proposer.ward_id if proposer else None,
        **kw,
    )
    db.session.add(option)
    db.session.flush()
    return option


def make_comment(author, thread, body="I agree.", parent=None, stance=Stance.NEUTRAL, **kw):
    column = {OutcomeProposal: "proposal_id", Consultation: "consultation_id", Option: "option_id"}[
        type(thread)
    ]
    comment = Comment(
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        stance=stance,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        ward_id=author.ward_id,
        **{column: thread.id},
        **kw,
    )
    db.session.add(comment)
    db.session.flush()
    return comment
