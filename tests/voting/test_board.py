"""The bulletin board (HTML, JSON, CSV) and the receipt lookup."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.voting.conftest import add_ballots, close, option_ids


@pytest.fixture
def board(make_consultation, voter, client):
    """A closed quadratic vote: one ballot cast by a signed-in voter, 120 imported."""
    consultation = make_consultation(method="quadratic", options=3, allow_negative=True)
    a, b, c = option_ids(consultation)
    client.sign_in(voter)
    location = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, f"votes-{a}": "3", f"votes-{c}": "-2"},
    ).headers["Location"]
    own = re.search(r"/receipt/(.+)$", location).group(1)
    client.sign_out()
    others = add_ballots(consultation, [{a: 1, b: (i % 5) - 2} if i % 5 != 2 else {a: 1} for i in range(120)])
    return close(consultation), (a, b, c), own, others


def test_board_is_closed_until_voting_closes(client, make_consultation):
    consultation = make_consultation()
    assert client.get(f"/consultations/{consultation.id}/bulletin-board").status_code == 403
    assert client.get(f"/consultations/{consultation.id}/bulletin-board.csv").status_code == 403
    assert client.get(f"/api/v1/consultations/{consultation.id}/bulletin-board").status_code == 403


def test_board_html_lists_every_ballot_by_receipt_a_page_at_a_time(client, board, voter):
    consultation, (a, b, c), own, others = board
    first = client.get(f"/consultations/{consultation.id}/bulletin-board").get_data(as_text=True)
    second = client.get(f"/consultations/{consultation.id}/bulletin-board?page=2").get_data(as_text=True)
    listed = re.findall(r'<tr id="r-([^"]+)"', first) + re.findall(r'<tr id="r-([^"]+)"', second)
    assert sorted(listed) == sorted([own, *others]) and listed == sorted(listed)
    assert "Page 1 of 2" in first and 'rel="next"' in first and 'rel="prev"' in second
    # No identity: neither the voter's name nor email appears.
    assert voter.display_name not in first + second and voter.email not in first + second


def test_board_opens_at_the_page_of_a_receipt(client, board):
    consultation, _ids, own, others = board
    last = sorted([own, *others])[-1]
    page = client.get(f"/consultations/{consultation.id}/bulletin-board?receipt={last.lower()}")
    html = page.get_data(as_text=True)
    assert f'<tr id="r-{last}" class="board__found" aria-current="true">' in html and "Page 2 of 2" in html


def test_board_json_is_paginated_and_carries_the_rules_of_the_count(client, board):
    consultation, (a, b, c), own, others = board
    url = f"/api/v1/consultations/{consultation.id}/bulletin-board?per_page=50"
    pages = []
    while url:
        page = client.get(url).json
        pages.append(page)
        url = page["next"].replace("http://localhost", "") if page["next"] else None
    assert [len(p["items"]) for p in pages] == [50, 50, 21], [p["next"] for p in pages]
    assert pages[0]["ballots"] == 121
    items = [i for p in pages for i in p["items"]]
    assert [i["receipt"] for i in items] == sorted([own, *others])
    mine = next(i for i in items if i["receipt"] == own)
    assert mine["entries"] == [{"option": a, "votes": 3}, {"option": c, "votes": -2}]
    assert set(mine) == {"receipt", "entries", "url"}  # no voter, ward or time
    assert mine["url"] == f"http://localhost/consultations/{consultation.id}/receipt/{own}"
    about = pages[0]["consultation"]
    assert about["method"] == "quadratic" and about["allow_negative"] is True
    assert [o["id"] for o in about["options"]] == [a, b, c]


def test_board_csv_is_streamed_with_one_line_per_ballot(client, board):
    consultation, (a, b, c), own, others = board
    response = client.get(f"/consultations/{consultation.id}/bulletin-board.csv")
    assert response.mimetype == "text/csv" and response.was_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["receipt", str(a), str(b), str(c)]
    assert len(rows) == 122
    assert [own, "3", "0", "-2"] in rows


def test_receipt_lookup_finds_a_ballot_on_the_board(client, board):
    consultation, (a, b, c), own, _others = board
    typed = own.lower().replace("-", " ")
    response = client.get(f"/receipts?receipt={typed}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}/receipt/{own}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert own in page and "Option 1" in page and "3 votes" in page and "-2 votes" in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter the receipt code you were given when you voted"),
        ("ABC", "Enter the receipt as it was shown"),
        ("2222-2222-2222", "No ballot has the receipt 2222-2222-2222"),
    ],
)
def test_receipt_lookup_explains_what_is_wrong_and_keeps_what_was_typed(client, typed, message):
    response = client.get(f"/receipts?receipt={typed}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert f'value="{typed}"' in page


def test_receipt_lookup_of_an_open_vote_says_to_wait(client, make_consultation, make_voter):
    consultation = make_consultation()
    a, *_ = option_ids(consultation)
    (receipt,) = add_ballots(consultation, [{a: 1}])
    response = client.get(f"/receipts?receipt={receipt}")
    assert response.status_code == 400 and "Ballots are published when voting closes" in response.get_data(
        as_text=True
    )
