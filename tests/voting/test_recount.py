"""The published result can be recounted from the bulletin board alone, and `tally` prints it."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from tests import support
from tests.voting.conftest import BRIXTON, CLAPHAM, add_ballots, close, option_ids

RECOUNT = support.ROOT / "tools" / "recount.py"


def _recount(*args) -> dict:
    done = subprocess.run([sys.executable, str(RECOUNT), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _same_count(recounted: dict, published: dict) -> None:
    """Every field the recount computes equals the published one."""
    assert recounted["ballots"] == published["ballots"]
    assert recounted["tie_break"] == published["tie_break"]
    keys = set(recounted["options"][0])
    assert [{k: o[k] for k in keys} for o in published["options"]] == recounted["options"]
    assert recounted.get("funded") == published.get("funded")


@pytest.fixture(params=["approval", "quadratic"])
def published(request, make_consultation, wards):
    """A closed vote with a budget and 600 varied ballots, including ties and empty ballots."""
    rng = random.Random(7)
    method = request.param
    consultation = make_consultation(
        method=method,
        ward_codes=(BRIXTON, CLAPHAM),
        options=6,
        costs=[30_00, 45_00, 45_00, 80_00, None, 20_00],
        budget_pence=150_00,
        allow_negative=method == "quadratic",
        max_approvals=4 if method == "approval" else None,
    )
    ids = option_ids(consultation)
    ballots = []
    for _ in range(600):
        chosen = rng.sample(ids, rng.randint(0, 4))
        if method == "approval":
            ballots.append(dict.fromkeys(chosen, 1))
        else:
            ballots.append({o: rng.choice([-3, -1, 1, 2, 4]) for o in chosen[:3]})
    add_ballots(consultation, ballots, [rng.choice([wards[BRIXTON].id, wards[CLAPHAM].id]) for _ in ballots])
    return close(consultation)


def _whole_board_json(client, consultation) -> dict:
    url = f"/api/v1/consultations/{consultation.id}/bulletin-board?per_page=250"
    pages = []
    while url:
        pages.append(client.get(url).json)
        url = pages[-1]["next"].replace("http://localhost", "") if pages[-1]["next"] else None
    return {**pages[0], "items": [i for p in pages for i in p["items"]], "next": None}


def test_tally_command_prints_exactly_the_api_result(client, runner, published):
    api = client.get(f"/api/v1/consultations/{published.id}/results").json
    result = runner.invoke(args=["tally", str(published.id), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api
    as_csv = runner.invoke(args=["tally", str(published.id), "--format", "csv"])
    assert as_csv.output == client.get(f"/consultations/{published.id}/results.csv").get_data(as_text=True)
    assert runner.invoke(args=["tally", "999999"]).exit_code != 0


def test_recount_script_reproduces_the_published_result_from_the_json_board(client, published, tmp_path):
    api = client.get(f"/api/v1/consultations/{published.id}/results").json
    board = tmp_path / "board.json"
    board.write_text(json.dumps(_whole_board_json(client, published)))
    _same_count(_recount(str(board)), api)


def test_recount_script_reproduces_the_published_result_from_the_csv_board(client, published, tmp_path):
    api = client.get(f"/api/v1/consultations/{published.id}/results").json
    board = tmp_path / "board.csv"
    board.write_text(client.get(f"/consultations/{published.id}/bulletin-board.csv").get_data(as_text=True))
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(client.get(f"/api/v1/consultations/{published.id}/bulletin-board?per_page=1").json)
    )
    _same_count(_recount(str(board), "--rules", str(rules)), api)


def test_recount_script_refuses_an_incomplete_board(client, published, tmp_path):
    board = tmp_path / "page1.json"
    board.write_text(
        json.dumps(client.get(f"/api/v1/consultations/{published.id}/bulletin-board?per_page=10").json)
    )
    done = subprocess.run(
        [sys.executable, str(RECOUNT), str(board)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0 and "give every page" in done.stderr


def test_recount_script_refuses_a_ballot_that_breaks_the_rules(client, published, tmp_path):
    data = _whole_board_json(client, published)
    first = data["consultation"]["options"][0]["id"]
    data["items"][0]["entries"] = [{"option": first, "votes": 11}]  # 121 credits, or not an approval
    board = tmp_path / "tampered.json"
    board.write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, str(RECOUNT), str(board)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0 and "breaks the rules" in done.stderr


@pytest.mark.slow
def test_recount_script_reads_the_board_from_the_running_site(app_config, client, published):
    api = client.get(f"/api/v1/consultations/{published.id}/results").json
    server = support.AppProcess({"DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"]}).start()
    try:
        recounted = _recount(f"{server.url}/api/v1/consultations/{published.id}/bulletin-board?per_page=100")
    finally:
        server.stop()
    _same_count(recounted, api)
