"""Casting and changing ballots through the ballot page."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.voting.conftest import CLAPHAM, option_ids, snapshot

RECEIPT_RE = re.compile(r"/receipt/([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})")


def _stored(consultation):
    from participate.extensions import db
    from participate.models import Ballot, BallotEntry

    db.session.expire_all()
    return db.session.execute(
        sa.select(Ballot.voter_id, Ballot.ward_id, BallotEntry.option_id, BallotEntry.votes)
        .join(BallotEntry, BallotEntry.ballot_id == Ballot.id, isouter=True)
        .where(Ballot.consultation_id == consultation.id)
        .order_by(BallotEntry.option_id)
    ).all()


def test_approval_ballot_is_cast_and_the_receipt_page_shows_it(client, make_consultation, voter):
    consultation = make_consultation(options=["Youth club", "Street lights", "Sports pitch"])
    a, b, c = option_ids(consultation)
    client.sign_in(voter)
    page = client.get(f"/consultations/{consultation.id}/ballot").get_data(as_text=True)
    assert 'type="checkbox"' in page and "Youth club" in page
    response = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, "approve": [str(a), str(c)], "action": "cast"},
    )
    assert response.status_code == 302
    receipt = RECEIPT_RE.search(response.headers["Location"]).group(1)
    rows = _stored(consultation)
    assert [(r.option_id, r.votes) for r in rows] == [(a, 1), (c, 1)]
    assert rows[0].voter_id == voter.id and rows[0].ward_id == voter.ward_id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert receipt in page and "Your ballot has been cast" in page
    assert "Youth club" in page and "Sports pitch" in page and "Street lights" not in page


def test_quadratic_ballot_is_cast_with_its_votes(client, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=3, credits=100)
    a, b, c = option_ids(consultation)
    client.sign_in(voter)
    page = client.get(f"/consultations/{consultation.id}/ballot").get_data(as_text=True)
    assert f'id="votes-{a}"' in page and "Check my credits" in page
    response = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, f"votes-{a}": "6", f"votes-{b}": "", f"votes-{c}": " 8 "},
    )
    assert response.status_code == 302
    assert [(r.option_id, r.votes) for r in _stored(consultation)] == [(a, 6), (c, 8)]


def test_changing_a_ballot_replaces_its_entries_and_keeps_its_receipt(client, make_consultation, voter):
    from participate.extensions import db
    from participate.models import Ballot, Participation

    consultation = make_consultation(method="quadratic", options=3)
    a, b, c = option_ids(consultation)
    client.sign_in(voter)
    url = f"/consultations/{consultation.id}/ballot"
    first = client.post(url, {"consultation": consultation.id, f"votes-{a}": "5", f"votes-{b}": "5"})
    second = client.post(url, {"consultation": consultation.id, f"votes-{c}": "3"})
    assert RECEIPT_RE.search(first.headers["Location"]).group(1) == RECEIPT_RE.search(
        second.headers["Location"]
    ).group(1)
    assert [(r.option_id, r.votes) for r in _stored(consultation)] == [(c, 3)]
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Participation.id))) == 1
    ballot = db.session.scalar(sa.select(Ballot))
    assert ballot.updated_at is not None
    assert "Your ballot has been changed" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_the_ballot_page_shows_the_voters_current_ballot(client, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=2)
    a, b = option_ids(consultation)
    client.sign_in(voter)
    client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, f"votes-{b}": "4"}
    )
    page = client.get(f"/consultations/{consultation.id}/ballot").get_data(as_text=True)
    assert re.search(rf'id="votes-{b}" name="votes-{b}" value="4"', page)
    assert "Change my ballot" in page and "You voted on" in page


def test_check_my_credits_shows_the_total_and_saves_nothing(client, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=2, credits=50)
    a, b = option_ids(consultation)
    client.sign_in(voter)
    before = snapshot()
    response = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, f"votes-{a}": "3", f"votes-{b}": "4", "action": "check"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Credits used: 25 of 50. Credits left: 25." in page
    assert "It has not been cast yet" in page
    assert 'value="3"' in page and 'value="4"' in page
    assert snapshot() == before


def test_check_my_credits_over_budget_lists_the_problem_and_saves_nothing(client, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=2, credits=50)
    a, b = option_ids(consultation)
    client.sign_in(voter)
    before = snapshot()
    response = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, f"votes-{a}": "5", f"votes-{b}": "6", "action": "check"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your votes cost 61 credits, which is 11 more than your 50." in page
    assert "Credits used: 61 of 50. That is 11 too many" in page
    assert 'href="#ballot-options"' in page
    assert snapshot() == before


def test_ballot_of_a_multi_ward_consultation_records_the_voters_ward(client, make_consultation, make_voter):
    consultation = make_consultation(ward_codes=("E05014098", CLAPHAM))
    a, *_ = option_ids(consultation)
    voter = make_voter(ward=CLAPHAM)
    client.sign_in(voter)
    client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, "approve": str(a)}
    )
    assert _stored(consultation)[0].ward_id == voter.ward_id


def test_an_empty_approval_ballot_counts_as_taking_part(client, make_consultation, voter):
    consultation = make_consultation()
    client.sign_in(voter)
    response = client.post(f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id})
    assert response.status_code == 302
    rows = _stored(consultation)
    assert len(rows) == 1 and rows[0].option_id is None
    assert "No options chosen" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_receipt_page_is_private_until_voting_closes(client, app, make_consultation, voter, make_voter):
    from participate.extensions import db
    from participate.models import Phase

    consultation = make_consultation()
    a, *_ = option_ids(consultation)
    client.sign_in(voter)
    url = client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, "approve": str(a)}
    ).headers["Location"]
    assert client.get(url).status_code == 200
    other = type(client)(app)
    assert other.get(url).status_code == 404
    other.sign_in(make_voter())
    assert other.get(url).status_code == 404
    consultation = db.session.merge(consultation)
    consultation.phase = Phase.CLOSED
    db.session.commit()
    assert type(client)(app).get(url).status_code == 200


def test_receipt_appears_on_the_voters_account_page(client, make_consultation, voter):
    consultation = make_consultation(title="Lights on Railton Road")
    a, *_ = option_ids(consultation)
    client.sign_in(voter)
    location = client.post(
        f"/consultations/{consultation.id}/ballot", {"consultation": consultation.id, "approve": str(a)}
    ).headers["Location"]
    receipt = RECEIPT_RE.search(location).group(1)
    page = client.get("/account/").get_data(as_text=True)
    assert "Your ballots" in page and receipt in page and "Lights on Railton Road" in page


def test_casting_and_changing_a_ballot_run_a_few_statements_and_none_after_the_commit(
    client, make_consultation, voter, count_queries
):
    """A busy vote is bound by the ballot POST: nothing it does not need, nothing loaded twice."""
    consultation = make_consultation(options=12)
    ids = option_ids(consultation)
    client.sign_in(voter)
    url = f"/consultations/{consultation.id}/ballot"
    client.get(url)

    token = client.csrf_token()

    def cast(choice):
        data = {"consultation": consultation.id, "approve": [str(i) for i in choice]}
        with count_queries() as statements:
            response = client.post(url, data, csrf=token)
        assert response.status_code == 302
        return [" ".join(s.split()) for s in statements]

    first, change = cast(ids[:3]), cast(ids[4:9])
    for statements in (first, change):
        last_write = max(i for i, s in enumerate(statements) if s.startswith(("INSERT", "UPDATE", "DELETE")))
        # Only the transaction's end may follow the last write (SQLite's COMMIT is not a statement).
        assert all(s.startswith(("RELEASE", "COMMIT")) for s in statements[last_write + 1 :]), statements
    assert len(first) <= 13, first
    assert len(change) <= 10, change
    assert not any(s.startswith("SELECT options.id, options.consultation_id") for s in change), (
        "the ballot's options were loaded in full, though only the page shows them"
    )
