"""Counting and ranking: order-free, additive per ballot, and a strict documented ranking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participate.voting.rules import ApprovalRules, QuadraticRules
from participate.voting.tally import (
    TIE_BREAK,
    Aggregate,
    tally,
    tally_from_aggregates,
)

OPTIONS = [3, 5, 8, 13, 21, 34]


def approval_ballots(max_size=40):
    ballot = st.dictionaries(st.sampled_from(OPTIONS), st.sampled_from([0, 1]))
    return st.lists(ballot, max_size=max_size)


def quadratic_ballots(max_size=40):
    ballot = st.dictionaries(st.sampled_from(OPTIONS), st.integers(-4, 4))
    return st.lists(ballot, max_size=max_size)


# Few distinct costs (and missing ones) so that the cost step of the tie-break is exercised.
costs_strategy = st.dictionaries(st.sampled_from(OPTIONS), st.none() | st.sampled_from([500, 900]))

cases = st.one_of(
    st.tuples(st.just("approval"), approval_ballots()),
    st.tuples(st.just("quadratic"), quadratic_ballots()),
)


def naive_aggregates(ballots) -> dict[int, Aggregate]:
    """Per-option sums the slow, obvious way."""
    out = {}
    for option in OPTIONS:
        values = [b.get(option, 0) for b in ballots]
        out[option] = Aggregate(
            votes=sum(values),
            votes_for=sum(v for v in values if v > 0),
            votes_against=sum(-v for v in values if v < 0),
            n_for=sum(1 for v in values if v > 0),
            n_against=sum(1 for v in values if v < 0),
        )
    return out


def totals(result) -> dict[int, Aggregate]:
    return {
        o.option_id: Aggregate(o.votes, o.votes_for, o.votes_against, o.n_for, o.n_against)
        for o in result.options
    }


# ---------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=200)
@given(case=cases, costs=costs_strategy, data=st.data())
def test_tally_does_not_depend_on_ballot_order(case, costs, data):
    method, ballots = case
    shuffled = data.draw(st.permutations(ballots))
    assert tally(method, OPTIONS, shuffled, costs) == tally(method, OPTIONS, ballots, costs)


@settings(max_examples=200)
@given(case=cases, data=st.data())
def test_changing_one_ballot_changes_the_tally_by_exactly_that_ballot(case, data):
    method, ballots = case
    if not ballots:
        ballots = [{}]
    index = data.draw(st.integers(0, len(ballots) - 1))
    values = st.sampled_from([0, 1]) if method == "approval" else st.integers(-4, 4)
    replacement = data.draw(st.dictionaries(st.sampled_from(OPTIONS), values))
    changed = [*ballots[:index], replacement, *ballots[index + 1 :]]
    before = totals(tally(method, OPTIONS, ballots))
    after = totals(tally(method, OPTIONS, changed))
    old, new = naive_aggregates([ballots[index]]), naive_aggregates([replacement])
    for option in OPTIONS:
        for field in Aggregate._fields:
            delta = getattr(after[option], field) - getattr(before[option], field)
            assert delta == getattr(new[option], field) - getattr(old[option], field)
    assert tally(method, OPTIONS, changed).n_ballots == len(ballots)


@settings(max_examples=200)
@given(case=cases, costs=costs_strategy)
def test_counts_match_a_plain_recount(case, costs):
    method, ballots = case
    result = tally(method, OPTIONS, ballots, costs)
    assert totals(result) == naive_aggregates(ballots)
    assert result.n_ballots == len(ballots)
    for o in result.options:
        assert o.share_for == (o.n_for / len(ballots) if ballots else 0.0)
        assert o.cost == costs.get(o.option_id)


def _strictly_before(a, b) -> bool:
    """TIE_BREAK, stated comparison by comparison."""
    if a.votes != b.votes:
        return a.votes > b.votes
    if a.n_for != b.n_for:
        return a.n_for > b.n_for
    if a.cost != b.cost:
        if a.cost is None or b.cost is None:
            return b.cost is None
        return a.cost < b.cost
    return a.option_id < b.option_id


@settings(max_examples=300)
@given(case=cases, costs=costs_strategy)
def test_ranking_is_a_strict_total_order_following_the_tie_break(case, costs):
    method, ballots = case
    result = tally(method, OPTIONS, ballots, costs)
    assert [o.rank for o in result.options] == list(range(1, len(OPTIONS) + 1))
    assert sorted(result.ranking) == sorted(OPTIONS)
    options = result.options
    for i, a in enumerate(options):
        for b in options[i + 1 :]:
            assert _strictly_before(a, b)
            assert not _strictly_before(b, a)
    for o in options:
        same = [p for p in options if p.votes == o.votes and p is not o]
        assert o.tied_on_votes == bool(same)


@settings(max_examples=200)
@given(case=cases, costs=costs_strategy)
def test_aggregates_path_builds_the_same_tally(case, costs):
    method, ballots = case
    sums = {o: a for o, a in naive_aggregates(ballots).items() if a != Aggregate()}
    from_sums = tally_from_aggregates(method, OPTIONS, sums, len(ballots), costs)
    assert from_sums == tally(method, OPTIONS, ballots, costs)


# ---------------------------------------------------------------------------------------------
# Behaviours


def test_approval_counts_approvals_and_the_share_of_voters():
    ballots = [{3: 1, 5: 1}, {3: 1}, {}, {5: 0}]
    result = tally("approval", [3, 5], ballots)
    first, second = result.options
    assert (first.option_id, first.votes, first.share_for) == (3, 2, 0.5)
    assert (second.option_id, second.votes, second.share_for) == (5, 1, 0.25)


def test_quadratic_counts_net_votes_for_against_and_voters():
    ballots = [{3: 4, 5: -2}, {3: -1, 5: 3}, {5: 1}]
    result = tally(QuadraticRules(allow_negative=True), [3, 5], ballots)
    three = result.result(3)
    five = result.result(5)
    assert (three.votes, three.votes_for, three.votes_against) == (3, 4, 1)
    assert (three.n_for, three.n_against) == (1, 1)
    assert (five.votes, five.votes_for, five.votes_against) == (2, 4, 2)
    assert (five.n_for, five.n_against) == (2, 1)
    assert result.ranking == [3, 5]
    assert result.options[1].decided_by == "votes"


def test_tie_on_votes_goes_to_more_voters_in_favour():
    # Both options get 4 net votes; option 5 from more people.
    result = tally("quadratic", [3, 5], [{3: 4}, {5: 2}, {5: 2}])
    assert result.ranking == [5, 3]
    assert all(o.tied_on_votes for o in result.options)
    assert result.options[1].decided_by == "voters_in_favour"


def test_tie_on_votes_and_voters_goes_to_the_cheaper_option_then_the_earlier_one():
    ballots = [{3: 1, 5: 1, 8: 1, 13: 1}]
    costs = {3: 900, 5: 500, 8: None, 13: 500}
    result = tally(ApprovalRules(), [3, 5, 8, 13], ballots, costs)
    assert result.ranking == [5, 13, 3, 8]
    assert [o.decided_by for o in result.options] == [None, "option_id", "cost", "cost"]


def test_tied_flag_is_only_set_for_options_sharing_their_votes():
    result = tally("approval", [3, 5, 8], [{3: 1, 5: 1}, {3: 1}])
    assert {o.option_id: o.tied_on_votes for o in result.options} == {3: False, 5: False, 8: False}


def test_no_ballots_ranks_by_cost_then_option():
    result = tally("approval", [8, 3, 5], [], {8: 100})
    assert result.ranking == [8, 3, 5]
    assert all(o.share_for == 0.0 for o in result.options)


def test_ballot_naming_an_unknown_option_is_refused():
    with pytest.raises(ValueError, match="unknown option 99"):
        tally("approval", [3, 5], [{3: 1}, {99: 1}])


def test_approval_tally_refuses_votes_against():
    with pytest.raises(ValueError, match="against"):
        tally("approval", [3], [{3: -1}])


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        tally("borda", [3], [])


def test_aggregates_accept_tuples_and_mappings_and_reject_unknown_options():
    as_tuple = tally_from_aggregates("quadratic", [3, 5], {3: (2, 3, 1, 2, 1)}, 3)
    as_mapping = tally_from_aggregates(
        "quadratic",
        [3, 5],
        {3: {"votes": 2, "votes_for": 3, "votes_against": 1, "n_for": 2, "n_against": 1}},
        3,
    )
    assert as_tuple == as_mapping
    assert as_tuple.result(5).votes == 0
    with pytest.raises(ValueError, match="unknown options"):
        tally_from_aggregates("quadratic", [3], {4: (1, 1, 0, 1, 0)}, 1)


def test_tie_break_wording_names_every_criterion():
    for words in ("net votes", "voters in favour", "estimated cost", "put forward first"):
        assert words in TIE_BREAK
    d = tally("approval", [3], [{3: 1}]).to_dict()
    assert d["tie_break"] == TIE_BREAK
    assert d["options"][0]["option_id"] == 3
    assert d["options"][0]["rank"] == 1


def test_option_ids_far_apart_are_counted_and_checked_too():
    ids = [7, 10**12, 10**15]
    result = tally("approval", ids, [{10**12: 1, 7: 1}, {10**12: 1}])
    assert result.ranking == [10**12, 7, 10**15]
    with pytest.raises(ValueError, match="unknown option 8"):
        tally("approval", ids, [{7: 1}, {8: 1}])
    with pytest.raises(ValueError, match="unknown option 2"):
        tally("approval", [3, 5], [{2: 1}])


def test_ballots_may_be_any_mapping():
    from types import MappingProxyType

    ballots = [MappingProxyType({3: 2}), {5: 1}]
    assert tally("quadratic", [3, 5], ballots).ranking == [3, 5]
