"""Reading and writing Pabulib files."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from voting_data import ALL, CAMBRIDGE, DATA, DIEPPE, TOULOUSE, WARSZAWA, parsed

from participate.voting import pabulib
from participate.voting.pabulib import PabulibError, PabulibFile, PabulibProject, PabulibVote

SCORING = """META
key;value
description;A small scored vote
budget;100
vote_type;{vote_type}
PROJECTS
project_id;cost;name
1;60;"Benches; and bins"
2;40.5;Trees
3;30;Lights
VOTES
voter_id;vote;points;age
a;1,2;3,1;30
b;3;2;None
c;2,3;1,4;41
"""


def _pabutools_view(text: str):
    from pabutools.election.pabulib import parse_pabulib_from_string

    instance, profile = parse_pabulib_from_string(text)
    projects = {p.name: p.cost for p in instance}
    ballots = sorted(
        sorted((p.name, ballot[p] if hasattr(ballot, "get") else 1) for p in ballot) for ballot in profile
    )
    return instance.budget_limit, projects, ballots


@pytest.mark.parametrize("name", ALL)
def test_parse_dump_parse_round_trip_is_identical(name):
    data = parsed(name)
    again = pabulib.loads(pabulib.dumps(data))
    assert again == data


def test_parse_keeps_projects_votes_and_their_other_columns():
    data = parsed(WARSZAWA)
    assert data.vote_type == "approval"
    assert data.budget == 24_186_815
    assert len(data.projects) == 83 and len(data.votes) == 61_668
    first = data.projects[0]
    assert (first.project_id, first.cost) == ("214", 4_800_000)
    assert first.name.startswith("Zakup")
    assert first.extra["category"] == "health and welfare"
    vote = data.votes[0]
    assert vote.voter_id == "217759"
    assert vote.vote == ("1822", "322", "1992", "1589", "1114")
    assert vote.points is None
    assert vote.extra == {
        "age": "42",
        "sex": "M",
        "voting_method": "internet",
        "neighborhood": "Ursynów",
    }


def test_quoted_fields_survive_the_round_trip():
    data = parsed(TOULOUSE)
    quoted = [p for p in data.projects if '"' in (p.name or "")]
    assert quoted, "Toulouse has project names with quotes"
    again = pabulib.loads(pabulib.dumps(data))
    assert [p.name for p in again.projects] == [p.name for p in data.projects]


@pytest.mark.parametrize("name", [DIEPPE, CAMBRIDGE, TOULOUSE])
def test_pabutools_reads_our_output_as_it_reads_the_original(name):
    original = (DATA / name).read_text(encoding="utf-8-sig")
    ours = pabulib.dumps(parsed(name))
    assert _pabutools_view(ours) == _pabutools_view(original)


def test_scoring_file_gives_points_as_utilities():
    data = pabulib.loads(SCORING.format(vote_type="scoring"))
    assert data.votes[0].points == (Fraction(3), Fraction(1))
    assert data.votes[1].extra == {"age": "None"}
    assert data.projects[0].name == "Benches; and bins"
    assert data.projects[1].cost == Fraction(81, 2)
    assert pabulib.loads(pabulib.dumps(data)) == data


@pytest.mark.parametrize("vote_type", ["scoring", "cumulative"])
def test_pabutools_reads_our_scored_output(vote_type):
    text = SCORING.format(vote_type=vote_type)
    ours = pabulib.dumps(pabulib.loads(text))
    assert _pabutools_view(ours) == _pabutools_view(text)


@pytest.mark.parametrize("empty", ["c;;;41", "c;None;None;41"])
def test_empty_scored_ballot_is_read_and_written_so_pabutools_reads_it(empty):
    text = SCORING.format(vote_type="scoring").replace("c;2,3;1,4;41", empty)
    data = pabulib.loads(text)
    assert data.votes[2].vote == () and data.votes[2].points == ()
    ours = pabulib.dumps(data)
    assert pabulib.loads(ours) == data
    budget, projects, ballots = _pabutools_view(ours)
    assert ballots.count([]) == 1


def test_election_refuses_costs_that_are_not_whole_numbers():
    data = pabulib.loads(SCORING.format(vote_type="scoring"))
    with pytest.raises(PabulibError) as caught:
        data.to_election()
    assert caught.value.code == "not_a_whole_number"
    assert "cost of project 2" in str(caught.value)


def test_election_from_a_scored_file_uses_the_points():
    text = SCORING.format(vote_type="cumulative").replace("40.5", "40")
    election = pabulib.loads(text).to_election()
    assert election.costs == {"1": 60, "2": 40, "3": 30}
    assert election.ballots == [{"1": 3, "2": 1}, {"3": 2}, {"2": 1, "3": 4}]


def test_election_from_an_approval_file_gives_utility_one():
    election = parsed(DIEPPE).to_election()
    assert election.budget == 180_000
    assert len(election.ballots) == 378
    assert election.ballots[0] == {"779": 1, "792": 1, "783": 1, "785": 1}


def test_ordinal_files_are_refused_with_a_code_naming_the_vote_type():
    with pytest.raises(PabulibError) as caught:
        pabulib.loads(SCORING.format(vote_type="ordinal"))
    assert caught.value.code == "unsupported_vote_type"
    assert "'ordinal'" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t.replace("a;1,2;3,1;30", "a;1,9;3,1;30"), "unknown_project"),
        (lambda t: t.replace("budget;100\n", ""), "missing_meta"),
        (lambda t: t.replace("3;30;Lights", "3;thirty;Lights"), "not_a_number"),
        (lambda t: t.replace("3;30;Lights", "3;30"), "bad_row"),
        (lambda t: t.replace("a;1,2;3,1;30", "a;1,2;3;30"), "bad_row"),
        (lambda t: t.replace("3;30;Lights", "1;30;Lights"), "duplicate_project"),
        (lambda t: t.replace("project_id;cost;name", "cost;project_id;name"), "bad_header"),
        (lambda t: t.split("VOTES")[0], "missing_section"),
        (lambda t: "hello\n" + t, "no_section"),
    ],
)
def test_malformed_files_are_refused_with_a_code(change, code):
    with pytest.raises(PabulibError) as caught:
        pabulib.loads(change(SCORING.format(vote_type="scoring")))
    assert caught.value.code == code


def test_selected_column_is_read_when_present():
    assert parsed(DIEPPE).selected() is None
    assert len(parsed(WARSZAWA).selected()) == 17


# ---------------------------------------------------------------------------------------------

text = (
    st.text(alphabet=st.sampled_from(list("abcXYZ019 ;,\"'éłż-_/")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
ident = st.text(alphabet=st.sampled_from(list("abc0123456789-_")), min_size=1, max_size=6)


@st.composite
def pabulib_files(draw):
    ids = draw(st.lists(ident, min_size=1, max_size=6, unique=True))
    scored = draw(st.booleans())
    projects = tuple(
        PabulibProject(
            pid,
            Fraction(draw(st.integers(1, 10**7)), draw(st.sampled_from([1, 2, 4, 5, 10, 3]))),
            draw(text),
            {"category": draw(text)},
        )
        for pid in ids
    )
    votes = []
    for number in range(draw(st.integers(0, 6))):
        vote = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))))
        points = tuple(Fraction(draw(st.integers(1, 9))) for _ in vote) if scored else None
        votes.append(PabulibVote(str(number), vote, points, {"district": draw(text)}))
    meta = {"description": draw(text), "budget": str(draw(st.integers(1, 10**8)))}
    meta["vote_type"] = "scoring" if scored else "approval"
    vote_columns = ("voter_id", "vote", "points", "district") if scored else ("voter_id", "vote", "district")
    return PabulibFile(
        meta,
        ("project_id", "cost", "name", "category"),
        projects,
        vote_columns,
        tuple(votes),
    )


@settings(max_examples=150)
@given(data=pabulib_files())
def test_any_file_round_trips(data):
    assert pabulib.loads(pabulib.dumps(data)) == data
