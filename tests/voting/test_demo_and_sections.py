"""The voting demo step, and what voting adds to the ward and account pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.voting.conftest import BRIXTON, CLAPHAM, close


@pytest.mark.slow
def test_demo_adds_open_and_closed_votes_with_thousands_of_ballots_once(runner, client):
    from participate.extensions import db
    from participate.models import Ballot, Consultation, StoredResult

    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = dict(
        db.session.execute(
            sa.select(Consultation.title, sa.func.count(Ballot.id))
            .join(Ballot, Ballot.consultation_id == Consultation.id, isouter=True)
            .group_by(Consultation.title)
        ).all()
    )
    consultations = db.session.scalars(sa.select(Consultation)).all()
    methods_open = {c.method.value for c in consultations if c.phase.value == "voting"}
    closed = [c for c in consultations if c.phase.value == "closed"]
    assert methods_open == {"approval", "quadratic"}
    assert closed and all(db.session.get(StoredResult, c.id) for c in closed)
    assert sum(counts[c.title] for c in closed) > 3000
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == len(consultations)
    biggest = max(closed, key=lambda c: counts[c.title])
    page = client.get(f"/consultations/{biggest.id}/results")
    assert page.status_code == 200 and "Turnout" in page.get_data(as_text=True)
    board = client.get(f"/consultations/{biggest.id}/bulletin-board")
    assert board.status_code == 200


def test_ward_page_lists_open_votes_and_results_of_the_ward(client, make_consultation):
    open_vote = make_consultation(title="Lights for Railton Road", ward_codes=(BRIXTON,))
    make_consultation(title="Clapham only", ward_codes=(CLAPHAM,))
    done = close(make_consultation(title="Closed in Brixton", ward_codes=(BRIXTON,)))
    page = client.get(f"/wards/{BRIXTON}").get_data(as_text=True)
    assert f'href="/consultations/{open_vote.id}/ballot"' in page
    assert f'href="/consultations/{done.id}/results"' in page
    assert "Clapham only" not in page


def test_account_page_says_when_the_voter_has_not_voted_yet(client, voter):
    client.sign_in(voter)
    page = client.get("/account/").get_data(as_text=True)
    assert "Your ballots" in page and "You have not voted yet." in page
