"""Results: the stable document, turnout by ward, the stored copy, pages, downloads and query counts."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.voting.conftest import BRIXTON, CLAPHAM, add_ballots, close, option_ids


def _ward_id(wards, code):
    return wards[code].id


@pytest.fixture
def counted(make_consultation, make_voter, wards, client):
    """A closed two-ward approval vote with a budget: 3 voters cast through the page, 5 imported."""
    consultation = make_consultation(
        ward_codes=(BRIXTON, CLAPHAM),
        options=["Youth club", "Street lights", "Sports pitch"],
        costs=[40_000_00, 25_000_00, 50_000_00],
        budget_pence=70_000_00,
    )
    a, b, c = option_ids(consultation)
    for ward, ticks in ((BRIXTON, [a, b]), (BRIXTON, [a]), (CLAPHAM, [c, b])):
        voter = make_voter(ward=ward)
        client.sign_in(voter)
        client.post(
            f"/consultations/{consultation.id}/ballot",
            {"consultation": consultation.id, "approve": [str(t) for t in ticks]},
        )
        client.sign_out()
    make_voter(ward=CLAPHAM)  # eligible, did not vote
    add_ballots(consultation, [{a: 1}, {c: 1}, {c: 1, a: 1}, {}, {b: 1}], [_ward_id(wards, CLAPHAM)] * 5)
    return close(consultation), (a, b, c)


def test_result_document_has_the_stable_shape_and_the_right_numbers(client, counted):
    consultation, (a, b, c) = counted
    result = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert set(result["consultation"]) >= {"id", "title", "method", "phase", "url"}
    assert result["consultation"]["method"] == "approval" and result["consultation"]["phase"] == "closed"
    assert result["consultation"]["url"].startswith("http://localhost/consultations/")
    assert result["ballots"] == 8 and result["eligible"] == 4
    votes = {o["id"]: o["votes"] for o in result["options"]}
    assert votes == {a: 4, b: 3, c: 3}
    for option in result["options"]:
        assert set(option) >= {
            "id",
            "external_id",
            "title",
            "votes",
            "votes_for",
            "votes_against",
            "rank",
            "cost_pence",
        }
    # b and c tie on 3 approvals and 3 voters; b is cheaper, so it ranks above c.
    assert [o["id"] for o in result["options"]] == [a, b, c]
    assert [o["rank"] for o in result["options"]] == [1, 2, 3]
    assert "lower estimated cost" in result["tie_break"]
    wards = {w["ward"]: w for w in result["by_ward"]}
    assert set(wards) == {BRIXTON, CLAPHAM}
    assert (wards[BRIXTON]["ballots"], wards[BRIXTON]["eligible"]) == (2, 2)
    assert (wards[CLAPHAM]["ballots"], wards[CLAPHAM]["eligible"]) == (6, 2)
    assert {o["id"]: o["votes"] for o in wards[BRIXTON]["options"]} == {a: 2, b: 1, c: 0}
    assert set(result["funded"]) == {"greedy", "equal_shares"}


def test_funded_appears_only_where_there_is_a_budget(client, make_consultation, make_voter):
    consultation = close(make_consultation(phase="voting"))
    result = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert "funded" not in result and "budget" not in result


def test_eligible_counts_exactly_the_residents_who_may_vote(app, make_consultation, make_voter, make_user):
    from participate.extensions import db
    from participate.models import User, utcnow
    from participate.permissions.voting import can_vote
    from participate.services.results import compute

    consultation = make_consultation(ward_codes=(BRIXTON,))
    now = utcnow()
    make_voter()
    make_voter()
    make_voter(verified=False)
    make_voter(suspended_until=now + timedelta(days=1))
    make_voter(suspended_until=now - timedelta(days=1))  # suspension over: eligible again
    make_voter(ward=CLAPHAM)
    make_voter(created_at=now - timedelta(hours=2))  # registered after voting opened
    make_voter(erased_at=now - timedelta(days=1), email=None)
    users = db.session.scalars(sa.select(User)).all()
    expected = sum(1 for u in users if can_vote(u, consultation) and u.erased_at is None)
    assert expected == 3
    assert compute(consultation)["eligible"] == expected


def test_results_are_hidden_while_voting_unless_shown_live(client, make_consultation):
    hidden = make_consultation()
    live = make_consultation(results_live=True)
    assert client.get(f"/consultations/{hidden.id}/results").status_code == 403
    assert client.get(f"/api/v1/consultations/{hidden.id}/results").status_code == 403
    assert client.get(f"/consultations/{live.id}/results").status_code == 200
    assert client.get(f"/api/v1/consultations/{live.id}/results").json["final"] is False
    assert client.get("/api/v1/consultations/999999/results").status_code == 404


def test_closed_consultation_results_come_from_the_stored_copy(client, counted):
    from participate.extensions import db
    from participate.models import StoredResult

    consultation, (a, b, c) = counted
    stored = db.session.get(StoredResult, consultation.id)
    assert stored.ballot_count == 8
    add_ballots(consultation, [{a: 1}])  # a ballot appearing after close is not in the published result
    assert client.get(f"/api/v1/consultations/{consultation.id}/results").json["ballots"] == 8


def test_results_page_shows_chart_table_turnout_wards_and_budget(client, counted):
    consultation, (a, b, c) = counted
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert '<svg class="bar-chart"' in page and 'aria-describedby="ranking-table"' in page
    assert page.count('class="bar-chart__bar') == 3
    assert '<table id="ranking-table" class="results-table">' in page
    assert "Turnout" in page and "Brixton Windrush" in page and "Clapham Park" in page
    assert "All wards" in page  # each ward's ranking beside the whole
    assert "What the budget funds" in page and "Equal shares" in page
    assert "Final result" in page


def test_budget_section_says_why_an_option_is_not_funded(client, make_consultation):
    consultation = make_consultation(options=3, costs=[60_00, 50_00, 200_00], budget_pence=100_00)
    a, b, c = option_ids(consultation)
    add_ballots(consultation, [{a: 1, b: 1}, {a: 1}, {a: 1}, {c: 1}])
    consultation = close(consultation)
    result = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert result["funded"]["greedy"] == [a]
    reasons = {r["id"]: r["reason"] for r in result["budget"]["greedy"]["not_funded"]}
    assert reasons == {b: "not_enough_budget_left", c: "costs_more_than_budget"}
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert "When its turn came, less money was left than it costs." in page
    assert "It costs more than the whole budget." in page


def test_csv_and_json_downloads_carry_the_same_numbers(client, counted):
    consultation, (a, b, c) = counted
    api = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert client.get(f"/consultations/{consultation.id}/results.json").json == api
    response = client.get(f"/consultations/{consultation.id}/results.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    whole = [r for r in rows if r["scope"] == "all"]
    assert [(int(r["option_id"]), int(r["votes"]), int(r["rank"])) for r in whole] == [
        (o["id"], o["votes"], o["rank"]) for o in api["options"]
    ]
    assert {r["ward"] for r in rows if r["scope"] == "ward"} == {BRIXTON, CLAPHAM}


def test_openapi_describes_results_and_bulletin_board(client):
    doc = client.get("/api/v1/openapi.json").json
    assert "/consultations/{consultation_id}/results" in doc["paths"]
    assert "/consultations/{consultation_id}/bulletin-board" in doc["paths"]
    assert {"Result", "ResultOption", "BulletinBoard"} <= set(doc["components"]["schemas"])


def test_results_match_their_openapi_schema(client, counted):
    import jsonschema

    consultation, _ = counted
    doc = client.get("/api/v1/openapi.json").json
    schema = {**doc["components"]["schemas"]["Result"], "components": doc["components"]}
    resolver_doc = {"components": doc["components"], **schema}
    result = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    jsonschema.validate(result, resolver_doc)


def _ten_thousand(consultation, wards):
    rng = random.Random(4)
    ids = option_ids(consultation)
    ward_ids = [wards[BRIXTON].id, wards[CLAPHAM].id]
    ballots = [{o: 1 for o in rng.sample(ids, rng.randint(0, 3))} for _ in range(10_000)]
    add_ballots(consultation, ballots, [rng.choice(ward_ids) for _ in ballots])


@pytest.mark.slow
@pytest.mark.parametrize("closed", [False, True], ids=["live", "stored"])
def test_results_pages_with_10000_ballots_run_a_bounded_number_of_queries(
    client, make_consultation, wards, count_queries, closed
):
    consultation = make_consultation(
        ward_codes=(BRIXTON, CLAPHAM),
        options=8,
        costs=[10_00 * (i + 1) for i in range(8)],
        budget_pence=150_00,
        results_live=True,
    )
    _ten_thousand(consultation, wards)
    if closed:
        consultation = close(consultation)
    for url in ("", ".json", ".csv"):
        with count_queries() as queries:
            response = client.get(f"/consultations/{consultation.id}/results{url}")
        assert response.status_code == 200
        assert len(queries) <= (6 if closed else 14), [q[:80] for q in queries]
    with count_queries() as queries:
        result = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert result["ballots"] == 10_000
    assert len(queries) <= (6 if closed else 14)
