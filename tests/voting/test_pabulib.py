"""Pabulib in and out: real instances imported, funded as pabutools funds them, and round-tripped."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests import support

DATA = support.ROOT / "tests" / "data" / "pabulib"
SMALL = [
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
    "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb",
]


def _import(runner, path) -> int:
    result = runner.invoke(args=["import-pabulib", str(path)])
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().splitlines()[-1])


def _funded_by_project(consultation_id: int) -> dict[str, list[str]]:
    from participate.extensions import db
    from participate.models import Consultation, Option
    from participate.services.results import stored

    external = dict(
        db.session.execute(
            sa.select(Option.id, Option.external_id).where(Option.consultation_id == consultation_id)
        ).all()
    )
    result = stored(db.session.get(Consultation, consultation_id))
    return {rule: [external[i] for i in ids] for rule, ids in result["funded"].items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", SMALL)
def test_imported_instance_funds_what_pabutools_funds_from_the_file(runner, name):
    from participate.extensions import db
    from participate.models import Ballot, Consultation, Option, Phase
    from participate.voting import pabulib, pabutools_reference

    data = pabulib.load(DATA / name)
    consultation_id = _import(runner, DATA / name)
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation.phase == Phase.CLOSED and consultation.budget_pence == int(data.budget * 100)
    options = db.session.scalars(sa.select(Option).where(Option.consultation_id == consultation_id)).all()
    assert {o.external_id: o.estimated_cost_pence for o in options} == {
        p.project_id: int(p.cost * 100) for p in data.projects
    }
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation_id)).all()
    assert len(ballots) == len(data.votes)
    assert all(b.voter_id is None and b.ward_id is None and len(b.receipt) == 14 for b in ballots)
    election = data.to_election()
    expected = {
        "greedy": [str(p) for p in pabutools_reference.greedy(election)],
        "equal_shares": [str(p) for p in pabutools_reference.equal_shares(election)],
    }
    funded = _funded_by_project(consultation_id)
    assert {rule: sorted(ids) for rule, ids in funded.items()} == {
        rule: sorted(ids) for rule, ids in expected.items()
    }


@pytest.mark.slow
def test_export_then_import_gives_the_same_consultation(runner, tmp_path):
    from participate.extensions import db
    from participate.models import Consultation
    from participate.services.results import stored

    first = _import(runner, DATA / SMALL[0])
    exported = tmp_path / "dieppe.pb"
    result = runner.invoke(args=["export-pabulib", str(first), "--output", str(exported)])
    assert result.exit_code == 0, result.output
    second = _import(runner, exported)

    def summary(consultation_id):
        document = stored(db.session.get(Consultation, consultation_id))
        return (
            document["ballots"],
            [(o["external_id"], o["votes"], o["rank"], o["cost_pence"]) for o in document["options"]],
            _funded_by_project(consultation_id),
            document["budget"]["budget_pence"],
        )

    assert summary(second) == summary(first)
    # The same file again, to stdout: the voters are named by their receipts.
    printed = runner.invoke(args=["export-pabulib", str(second)])
    assert printed.exit_code == 0 and printed.stdout.startswith("META\n")
    assert "vote_type;approval" in printed.stdout and "budget;180000" in printed.stdout


def test_import_refuses_other_vote_types_clearly(runner, tmp_path):
    from participate.extensions import db
    from participate.models import Consultation

    cumulative = tmp_path / "cumulative.pb"
    cumulative.write_text(
        "META\nkey;value\ndescription;test\nnum_projects;2\nnum_votes;1\nbudget;100\nvote_type;cumulative\n"
        "PROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote;points\nv1;1,2;3,2\n"
    )
    result = runner.invoke(args=["import-pabulib", str(cumulative)])
    assert result.exit_code != 0
    assert "vote type is 'cumulative'" in result.output and "approval" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_import_shows_progress_on_stderr_and_only_the_id_on_stdout(runner):
    result = runner.invoke(args=["import-pabulib", str(DATA / SMALL[0])])
    assert result.exit_code == 0
    assert result.stdout.strip().isdigit()
    assert "ballots stored" in result.stderr and "Computing equal shares" in result.stderr


def test_imported_vote_has_a_bulletin_board_and_no_electorate(client, runner):
    consultation_id = _import(runner, DATA / SMALL[0])
    result = client.get(f"/api/v1/consultations/{consultation_id}/results").json
    assert result["eligible"] is None and result["by_ward"] == [] and result["ballots"] == 378
    board = client.get(f"/api/v1/consultations/{consultation_id}/bulletin-board").json
    assert board["ballots"] == 378
    page = client.get(f"/consultations/{consultation_id}/results").get_data(as_text=True)
    assert "What the budget funds" in page
    json.dumps(result)


def test_export_refuses_a_quadratic_consultation(runner, make_consultation):
    consultation = make_consultation(method="quadratic", phase="closed", budget_pence=100_00, costs=[1, 2, 3])
    result = runner.invoke(args=["export-pabulib", str(consultation.id)])
    assert result.exit_code != 0 and "only approval consultations" in result.output
