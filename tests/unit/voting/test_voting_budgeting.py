"""The budgeting engine against pabutools: live on small elections, recorded on large ones."""

from __future__ import annotations

import hashlib
from importlib.metadata import version

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from voting_data import (
    ALL,
    CAMBRIDGE,
    DATA,
    DIEPPE,
    LARGE,
    MOKOTOW,
    SMALL,
    election,
    live_pabutools,
    parsed,
)

from participate.voting import pabutools_reference
from participate.voting.budgeting import REASONS, Election, equal_shares, greedy

SATS = ("cost", "cardinal")
RULES = {"greedy": greedy, "equal_shares": equal_shares}


# ---------------------------------------------------------------------------------------------
# Random small elections, built to produce the awkward cases: exact ties between projects (few
# distinct costs, repeated ballots), projects costing 1, projects costing more than the whole
# budget, voters supporting nothing, no voters at all, and ids whose text order ("10" < "9")
# differs from their numeric order.


@st.composite
def elections(draw, sat: str) -> Election:
    budget = draw(st.integers(1, 60))
    ids = draw(st.lists(st.integers(0, 30), min_size=1, max_size=8, unique=True))
    pool = draw(st.lists(st.integers(1, 2 * budget + 2), min_size=1, max_size=3))
    cost = st.one_of(
        st.sampled_from(pool),
        st.just(1),
        st.integers(budget + 1, 2 * budget + 2),
        st.integers(1, budget),
    )
    costs = {pid: draw(cost) for pid in ids}
    utility = st.just(1) if sat == "cost" else st.integers(1, 3)
    ballot = st.dictionaries(st.sampled_from(ids), utility, max_size=len(ids))
    templates = draw(st.lists(ballot, min_size=1, max_size=3))
    n = draw(st.integers(0, 10))
    ballots = [dict(draw(st.one_of(st.sampled_from(templates), ballot, st.just({})))) for _ in range(n)]
    return Election(budget, costs, ballots)


@pytest.mark.parametrize("sat", SATS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_greedy_matches_pabutools_on_random_elections(sat, data):
    e = data.draw(elections(sat))
    assert list(greedy(e, sat).funded) == pabutools_reference.greedy(e, sat)


@pytest.mark.parametrize("sat", SATS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_equal_shares_matches_pabutools_on_random_elections(sat, data):
    e = data.draw(elections(sat))
    expected = pabutools_reference.equal_shares(e, sat)
    # Both engines: floats with exact settling of close calls, and fractions throughout.
    assert list(equal_shares(e, sat, engine="float").funded) == expected
    assert list(equal_shares(e, sat, engine="exact").funded) == expected


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(30, 120),
    shape=st.lists(st.integers(1, 4), min_size=6, max_size=14),
    seed=st.integers(0, 2**32 - 1),
)
def test_float_engine_matches_pabutools_with_many_identical_ballots(n, shape, seed):
    # Many identical ballots and repeated costs: the floats must hand every tie to exact
    # arithmetic, and the result must still be pabutools'.
    import random

    rng = random.Random(seed)
    costs = {pid: 10 * c for pid, c in enumerate(shape)}
    groups = [{p: 1 for p in costs if rng.random() < 0.4} for _ in range(4)]
    ballots = [dict(rng.choice(groups)) for _ in range(n)]
    e = Election(sum(costs.values()) // 2, costs, ballots)
    supported = {p for ballot in ballots for p in ballot}
    # When every supported project fits, pabutools steps through 100 x voters runs; that case
    # has its own test, and here it would only make the test slow.
    assume(sum(costs[p] for p in supported) > e.budget)
    assert list(equal_shares(e, engine="float").funded) == pabutools_reference.equal_shares(e)


# ---------------------------------------------------------------------------------------------
# Real elections


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("sat", SATS)
@pytest.mark.parametrize("name", SMALL)
def test_engine_matches_live_pabutools_on_dieppe_and_cambridge(name, sat, rule):
    ours = RULES[rule](election(name), sat)
    assert tuple(str(p) for p in ours.funded) == live_pabutools(name, sat, rule)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("sat", SATS)
@pytest.mark.parametrize("name", SMALL)
def test_recorded_reference_agrees_with_live_pabutools(reference, name, sat, rule):
    # Guards reference.json against drifting from what pabutools actually returns.
    recorded = reference["instances"][name][sat][rule]["funded"]
    assert tuple(recorded) == live_pabutools(name, sat, rule)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("sat", SATS)
@pytest.mark.parametrize("name", LARGE)
def test_engine_reproduces_recorded_pabutools_on_large_instances(reference, name, sat, rule):
    ours = RULES[rule](election(name), sat)
    recorded = reference["instances"][name][sat][rule]["funded"]
    assert [str(p) for p in ours.funded] == recorded


def test_reference_file_describes_the_data_and_the_calls(reference):
    assert reference["pabutools_version"] == version("pabutools")
    assert reference["pabutools_fractions"] == "gmpy2"
    for sat in SATS:
        assert reference["calls"][sat] == pabutools_reference.calls(sat)
    assert set(reference["instances"]) == set(ALL)
    for name in ALL:
        entry = reference["instances"][name]
        assert entry["sha256"] == hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        for sat in SATS:
            assert set(entry[sat]) == set(RULES)


def test_conversion_matches_pabutools_own_reading_of_the_file():
    from pabutools.election import parse_pabulib

    for name in SMALL:
        instance, profile = parse_pabulib(str(DATA / name))
        e = election(name)
        assert instance.budget_limit == e.budget
        assert {p.name: p.cost for p in instance} == {str(k): v for k, v in e.costs.items()}
        theirs = sorted(sorted(p.name for p in ballot) for ballot in profile)
        ours = sorted(sorted(str(p) for p in ballot) for ballot in e.ballots)
        assert theirs == ours


def test_mokotow_greedy_reproduces_the_official_selection():
    data = parsed(MOKOTOW)
    outcome = greedy(data.to_election())
    official = data.selected()
    assert official is not None and len(official) == 23
    assert set(outcome.funded) == set(official)
    assert outcome.spent == 8_714_851


def test_small_instances_fund_within_budget_and_explain_the_rest():
    for name in (DIEPPE, CAMBRIDGE):
        e = election(name)
        for sat in SATS:
            for rule in RULES.values():
                outcome = rule(e, sat)
                assert outcome.spent == sum(e.costs[p] for p in outcome.funded) <= e.budget
                assert set(outcome.funded) | set(outcome.not_funded) == set(e.costs)
                assert not set(outcome.funded) & set(outcome.not_funded)
                assert set(outcome.not_funded.values()) <= set(REASONS)


# ---------------------------------------------------------------------------------------------
# Behaviours on hand-made elections


def _minority_election() -> Election:
    # Six voters want A1, A2 and A3; four want B. Every project costs 33 of a budget of 100.
    majority = [{"A1": 1, "A2": 1, "A3": 1}] * 6
    minority = [{"B": 1}] * 4
    return Election(100, {"A1": 33, "A2": 33, "A3": 33, "B": 33}, majority + minority)


def test_greedy_funds_the_most_approved_projects_first():
    outcome = greedy(_minority_election())
    assert outcome.funded == ("A1", "A2", "A3")
    assert outcome.not_funded == {"B": "not_enough_budget_left"}
    assert outcome.stage == {"A1": "greedy", "A2": "greedy", "A3": "greedy"}


def test_equal_shares_gives_a_minority_its_fair_share_where_greedy_does_not():
    e = _minority_election()
    outcome = equal_shares(e)
    assert outcome.funded == ("A1", "A2", "B")
    assert list(outcome.funded) == pabutools_reference.equal_shares(e)
    assert outcome.not_funded == {"A3": "supporters_could_not_afford"}
    # Shares had to rise by 10% of the budget before the majority could pay for A2.
    assert outcome.budget_increase_percent == 10
    assert set(outcome.stage.values()) == {"equal_shares"}


def test_equal_shares_tops_up_greedily_when_shares_run_out():
    # One voter each for two projects of 6 in a budget of 10: shares of 5 never reach 6
    # before both together would overspend, so the leftover budget is filled greedily.
    e = Election(10, {"x": 6, "y": 6}, [{"x": 1}, {"y": 1}])
    outcome = equal_shares(e)
    assert outcome.funded == ("x",)
    assert outcome.stage == {"x": "completion"}
    assert outcome.not_funded == {"y": "supporters_could_not_afford"}
    assert list(outcome.funded) == pabutools_reference.equal_shares(e)


def test_ties_go_to_the_project_whose_id_sorts_first_as_text():
    # 10 sorts before 9 as text, which is how pabutools breaks the tie.
    e = Election(5, {9: 5, 10: 5}, [{9: 1, 10: 1}])
    assert greedy(e).funded == (10,)
    assert equal_shares(e).funded == (10,)
    assert pabutools_reference.greedy(e) == [10]


def test_project_costing_more_than_the_budget_is_explained():
    e = Election(10, {"big": 11, "small": 4}, [{"big": 1, "small": 1}])
    for rule in RULES.values():
        outcome = rule(e)
        assert outcome.not_funded["big"] == "costs_more_than_budget"
        assert "small" in outcome.funded


def test_greedy_funds_an_unsupported_project_that_still_fits_as_pabutools_does():
    e = Election(10, {"liked": 6, "ignored": 4, "too_big_ignored": 7}, [{"liked": 1}])
    outcome = greedy(e)
    assert outcome.funded == ("liked", "ignored")
    assert outcome.not_funded == {"too_big_ignored": "no_support"}
    assert list(outcome.funded) == pabutools_reference.greedy(e)


def test_voters_supporting_nothing_still_hold_a_share_of_the_budget():
    # Two abstainers hold half the shares, so the supporters alone cannot pay at first.
    with_abstainers = Election(10, {"p": 6}, [{"p": 1}, {"p": 1}, {}, {}])
    outcome = equal_shares(with_abstainers)
    assert outcome.funded == ("p",)
    assert outcome.budget_increase_percent == 20
    assert list(outcome.funded) == pabutools_reference.equal_shares(with_abstainers)


def test_room_for_an_unsupported_project_takes_equal_shares_to_its_last_step():
    # Both supported projects fit with room to spare for the unsupported one, so pabutools
    # raises the shares all the way (100% of the budget per voter) before topping up.
    e = Election(100, {"a": 30, "b": 40, "nobody": 20}, [{"a": 1}, {"b": 1}, {"a": 1, "b": 1}])
    outcome = equal_shares(e)
    assert outcome.budget_increase_percent == 300
    assert outcome.funded == ("a", "b", "nobody")
    assert outcome.stage["nobody"] == "completion"
    assert list(outcome.funded) == pabutools_reference.equal_shares(e)
    # The same holds for a large electorate, where the steps are many but need not all be run.
    many = Election(100, e.costs, e.ballots * 2000)
    assert equal_shares(many).budget_increase_percent == 600_000


def test_cardinal_satisfaction_weighs_stronger_support():
    e = Election(10, {"a": 10, "b": 10}, [{"a": 3}, {"b": 1}, {"b": 1}])
    assert greedy(e, "cardinal").funded == ("a",)
    assert greedy(e, "cost").funded == ("b",)


def test_no_voters_means_greedy_in_name_order():
    e = Election(10, {"b": 5, "a": 5, "c": 5}, [])
    assert equal_shares(e).funded == ("a", "b")
    assert list(equal_shares(e).funded) == pabutools_reference.equal_shares(e)


def test_outcome_to_dict_is_plain_data():
    d = equal_shares(_minority_election()).to_dict()
    assert d["funded"] == ["A1", "A2", "B"]
    assert d["spent"] == 99
    assert d["not_funded"] == {"A3": "supporters_could_not_afford"}


@pytest.mark.parametrize(
    ("budget", "costs", "ballots", "message"),
    [
        (0, {"a": 1}, [], "budget"),
        (10, {"a": 0}, [], "cost"),
        (10, {"a": 2.5}, [], "cost"),
        (10, {1: 1, "1": 2}, [], "share the id text"),
        (10, {"a": 1}, [{"b": 1}], "unknown project"),
        (10, {"a": 1}, [{"a": -1}], "utilit"),
        (10, {"a": 1}, [{"a": True}], "utilit"),
    ],
)
def test_election_refuses_malformed_input(budget, costs, ballots, message):
    with pytest.raises(ValueError, match=message):
        Election(budget, costs, ballots)


def test_from_votes_keeps_only_votes_in_favour():
    e = Election.from_votes(10, {1: 5, 2: 5}, [{1: 3, 2: -2}, {2: 0}])
    assert e.ballots == [{1: 3}, {}]


def test_unknown_satisfaction_and_engine_are_refused():
    e = _minority_election()
    with pytest.raises(ValueError, match="satisfaction"):
        greedy(e, "borda")
    with pytest.raises(ValueError, match="engine"):
        equal_shares(e, engine="gpu")


def test_ballots_may_be_any_mapping():
    from types import MappingProxyType

    plain = Election(10, {"a": 5, "b": 6}, [{"a": 1}, {"b": 1}, {"a": 1}])
    proxied = Election(10, plain.costs, [MappingProxyType(b) for b in plain.ballots])
    for rule in RULES.values():
        assert rule(proxied).funded == rule(plain).funded == ("a",)
