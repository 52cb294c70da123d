"""Fixtures for voting: consultations and options made directly from the models, and voters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

BRIXTON = "E05014098"
CLAPHAM = "E05014101"


@pytest.fixture
def make_consultation(app, wards):
    """Create a consultation with options: make_consultation(method="quadratic", options=3, ...)."""
    from participate.extensions import db
    from participate.models import Consultation, Option, Phase, ProviderType, VotingMethod, utcnow

    def factory(
        method: str = "approval",
        phase: str = "voting",
        ward_codes=(BRIXTON,),
        options=3,
        costs=None,
        title="Somewhere safe for young people in the evenings",
        **attrs,
    ):
        now = utcnow()
        attrs.setdefault("options_open_at", now - timedelta(days=30))
        attrs.setdefault("voting_open_at", now - timedelta(days=2))
        attrs.setdefault("voting_close_at", now + timedelta(days=12))
        consultation = Consultation(
            title=title,
            outcome_statement="Young people have somewhere safe to go in the evenings.",
            method=VotingMethod(method),
            phase=Phase(phase),
            wards=[wards[c] for c in ward_codes],
            **attrs,
        )
        db.session.add(consultation)
        titles = options if isinstance(options, list) else [f"Option {i + 1}" for i in range(options)]
        for i, text in enumerate(titles):
            db.session.add(
                Option(
                    consultation=consultation,
                    title=text,
                    description=f"What option {i + 1} would do.",
                    provider_type=ProviderType.COMMUNITY_LED,
                    estimated_cost_pence=(costs[i] if costs else None),
                )
            )
        db.session.commit()
        return consultation

    return factory


@pytest.fixture
def make_voter(make_user):
    """A verified resident who registered well before voting opened (in Brixton by default)."""
    from participate.models import utcnow

    def factory(ward=BRIXTON, **attrs):
        attrs.setdefault("created_at", utcnow() - timedelta(days=60))
        return make_user(wards=[ward], **attrs)

    return factory


@pytest.fixture
def voter(make_voter):
    return make_voter()


def option_ids(consultation) -> list[int]:
    """The consultation's option ids, in order."""
    from participate.extensions import db
    from participate.models import Option

    return list(
        db.session.scalars(
            sa.select(Option.id).where(Option.consultation_id == consultation.id).order_by(Option.id)
        )
    )


def snapshot() -> tuple:
    """Everything voting stores, to show that a refused ballot changed nothing."""
    from participate.extensions import db
    from participate.models import Ballot, BallotEntry, Participation

    db.session.expire_all()
    ballots = db.session.execute(
        sa.select(Ballot.id, Ballot.receipt, Ballot.voter_id, Ballot.ward_id, Ballot.updated_at).order_by(
            Ballot.id
        )
    ).all()
    entries = db.session.execute(
        sa.select(BallotEntry.ballot_id, BallotEntry.option_id, BallotEntry.votes).order_by(
            BallotEntry.ballot_id, BallotEntry.option_id
        )
    ).all()
    participations = db.session.execute(sa.select(Participation.user_id, Participation.consultation_id)).all()
    return ballots, entries, participations


def add_ballots(consultation, ballots, ward_ids=None) -> list[str]:
    """Store ballots ({option id: votes}) directly, without voters, as an import would; the receipts."""
    from participate.extensions import db
    from participate.models import Ballot, BallotEntry
    from participate.services.receipts import new_receipt

    receipts = [new_receipt() for _ in ballots]
    wards = ward_ids or [None] * len(ballots)
    db.session.execute(
        sa.insert(Ballot),
        [
            {"consultation_id": consultation.id, "receipt": r, "ward_id": w}
            for r, w in zip(receipts, wards, strict=True)
        ],
    )
    ids = dict(
        db.session.execute(sa.select(Ballot.receipt, Ballot.id).where(Ballot.receipt.in_(receipts))).all()
    )
    entries = [
        {"ballot_id": ids[r], "option_id": o, "votes": v}
        for r, ballot in zip(receipts, ballots, strict=True)
        for o, v in ballot.items()
    ]
    if entries:
        db.session.execute(sa.insert(BallotEntry), entries)
    db.session.commit()
    return receipts


def close(consultation):
    """Move a consultation to closed and store its result, as the phase service does."""
    from participate.extensions import db
    from participate.models import Phase
    from participate.services.results import on_consultation_closed

    consultation = db.session.merge(consultation)
    consultation.phase = Phase.CLOSED
    on_consultation_closed(consultation)
    db.session.commit()
    return consultation
