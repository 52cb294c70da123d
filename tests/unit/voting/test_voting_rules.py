"""Ballot validation: every valid ballot accepted, every fault reported, all at once."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participate.voting.rules import (
    PROBLEM_CODES,
    ApprovalRules,
    Problem,
    QuadraticRules,
    cost,
    credits_spent,
    parse_votes,
    validate,
)

OPTIONS = list(range(1, 13))


def codes(result) -> Counter:
    return Counter(result.codes())


# ---------------------------------------------------------------------------------------------
# Behaviours


def test_quadratic_ballot_over_budget_reports_how_much():
    result = validate(QuadraticRules(credits=100), OPTIONS, [(1, "8"), (2, "6"), (3, 2)])
    assert result.problems == (Problem("over_budget", {"credits": 100, "spent": 104, "over_by": 4}),)
    assert result.entries is None


def test_quadratic_ballot_spending_exactly_the_credits_is_valid():
    result = validate(QuadraticRules(credits=100), OPTIONS, [(1, "8"), (2, "6")])
    assert result.ok
    assert result.entries == {1: 8, 2: 6}


def test_approval_ballot_over_the_limit_reports_limit_and_count():
    result = validate(ApprovalRules(max_approvals=2), OPTIONS, [(1, 1), (2, "1"), (3, "1")])
    assert result.problems == (Problem("too_many_approvals", {"max": 2, "given": 3}),)


def test_approval_votes_must_be_zero_or_one():
    result = validate(ApprovalRules(), OPTIONS, [(1, 2), (2, "-1"), (3, 1)])
    assert result.codes() == ["approval_not_zero_or_one"] * 2
    assert [p.option_id for p in result.problems] == [1, 2]
    assert result.problems[0].params == {"votes": 2}


def test_text_from_the_form_is_read_as_whole_numbers():
    result = validate(
        QuadraticRules(allow_negative=True), OPTIONS, [(1, " 3 "), (2, "+2"), (3, "-1"), (4, "")]
    )
    assert result.ok
    assert result.entries == {1: 3, 2: 2, 3: -1}


@pytest.mark.parametrize("value", ["2.5", "abc", "1e3", "٣", "3 4", True, 2.5, float("nan"), [1]])
def test_values_that_are_not_whole_numbers_are_refused(value):
    result = validate(QuadraticRules(), OPTIONS, [(1, value)])
    assert result.codes() == ["not_an_integer"]
    assert result.problems[0].option_id == 1


def test_whole_floats_and_blanks_are_accepted():
    assert parse_votes(2.0) == 2
    assert parse_votes(None) == 0
    assert parse_votes("   ") == 0
    assert parse_votes("9" * 40) is None


def test_negative_votes_need_the_rules_to_allow_them():
    refused = validate(QuadraticRules(), OPTIONS, [(1, -2)])
    assert refused.problems == (Problem("negative_not_allowed", {"votes": -2}, 1),)
    allowed = validate(QuadraticRules(allow_negative=True), OPTIONS, [(1, -2)])
    assert allowed.entries == {1: -2}


def test_unknown_options_are_reported_with_the_id_given():
    result = validate(ApprovalRules(), OPTIONS, [(99, 1), ("x", 1), ("3", 1)])
    assert result.codes() == ["unknown_option", "unknown_option"]
    assert [p.option_id for p in result.problems] == [99, "x"]


def test_an_option_named_twice_is_reported_once_with_the_count():
    result = validate(ApprovalRules(), OPTIONS, [(1, 1), (1, 0), (1, 1)])
    assert result.problems == (Problem("duplicate_option", {"count": 3}, 1),)


def test_every_problem_on_a_ballot_is_reported_at_once():
    entries = [(1, "8"), (2, "8"), (3, "abc"), (3, 1), (77, 1), (4, -1)]
    result = validate(QuadraticRules(credits=100), OPTIONS, entries)
    assert codes(result) == Counter(
        {
            "duplicate_option": 1,
            "not_an_integer": 1,
            "unknown_option": 1,
            "negative_not_allowed": 1,
            "over_budget": 1,
        }
    )
    over = next(p for p in result.problems if p.code == "over_budget")
    # The first value for option 3 was unreadable, so its second value (1) counts.
    assert over.params == {"credits": 100, "spent": 64 + 64 + 1 + 1, "over_by": 30}


def test_empty_approval_ballot_is_a_valid_abstention():
    for entries in ([], [(1, 0), (2, "")]):
        result = validate(ApprovalRules(), OPTIONS, entries)
        assert result.ok
        assert result.entries == {}


def test_empty_quadratic_ballot_is_a_valid_abstention():
    assert validate(QuadraticRules(), OPTIONS, [(1, 0)]).entries == {}


def test_empty_ballot_is_refused_when_the_rules_require_a_vote():
    for rules in (ApprovalRules(allow_empty=False), QuadraticRules(allow_empty=False)):
        result = validate(rules, OPTIONS, [(1, "0")])
        assert result.problems == (Problem("empty_ballot"),)


def test_valid_ballot_drops_zero_entries():
    result = validate(ApprovalRules(max_approvals=3), OPTIONS, [(1, 1), (2, 0), (5, "1")])
    assert result.entries == {1: 1, 5: 1}


def test_quadratic_cost_is_the_square_of_the_votes():
    assert [cost(v) for v in (0, 1, 2, 3, -3)] == [0, 1, 4, 9, 9]
    assert credits_spent({1: 3, 2: -4}) == 25
    assert credits_spent([(1, 2), (2, 2)]) == 8


def test_rules_refuse_nonsense_limits():
    with pytest.raises(ValueError):
        ApprovalRules(max_approvals=0)
    with pytest.raises(ValueError):
        QuadraticRules(credits=-1)


def test_result_to_dict_is_plain_data():
    d = validate(ApprovalRules(max_approvals=1), OPTIONS, [(1, 1), (2, 1)]).to_dict()
    assert d == {
        "ok": False,
        "problems": [{"code": "too_many_approvals", "params": {"max": 1, "given": 2}, "option_id": None}],
        "entries": None,
    }


# ---------------------------------------------------------------------------------------------
# Properties


def _as_form_value(draw, votes: int):
    # The same number as the form might send it.
    return draw(st.sampled_from([votes, str(votes), f" {votes} ", f"+{votes}" if votes >= 0 else str(votes)]))


@st.composite
def valid_approval(draw):
    limit = draw(st.none() | st.integers(1, len(OPTIONS)))
    chosen = draw(st.lists(st.sampled_from(OPTIONS), unique=True, max_size=len(OPTIONS)))
    approvals = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    if limit is not None:
        # Keep at most `limit` approvals.
        count = 0
        for i, a in enumerate(approvals):
            if a:
                count += 1
                approvals[i] = count <= limit
    entries = [(o, _as_form_value(draw, int(a))) for o, a in zip(chosen, approvals, strict=True)]
    expected = {o: 1 for o, a in zip(chosen, approvals, strict=True) if a}
    return ApprovalRules(max_approvals=limit), entries, expected


@st.composite
def valid_quadratic(draw):
    credits = draw(st.integers(0, 200))
    negative = draw(st.booleans())
    chosen = draw(st.lists(st.sampled_from(OPTIONS), unique=True, max_size=len(OPTIONS)))
    left = credits
    expected = {}
    entries = []
    for option in chosen:
        top = int(left**0.5)
        votes = draw(st.integers(-top if negative else 0, top))
        left -= votes * votes
        entries.append((option, _as_form_value(draw, votes)))
        if votes:
            expected[option] = votes
    return QuadraticRules(credits=credits, allow_negative=negative), entries, expected


@settings(max_examples=300)
@given(case=valid_approval() | valid_quadratic())
def test_any_valid_ballot_is_accepted(case):
    rules, entries, expected = case
    result = validate(rules, OPTIONS, entries)
    assert result.ok, result.problems
    assert result.entries == expected


FAULTS = ("unknown", "not_integer", "duplicate", "approval_value", "negative", "over_budget")


@settings(max_examples=400)
@given(
    method=st.sampled_from(["approval", "quadratic"]),
    faults=st.lists(st.sampled_from(FAULTS), min_size=1, max_size=6),
    data=st.data(),
)
def test_any_invalid_ballot_is_refused_with_every_fault_reported(method, faults, data):
    # Start from a valid ballot on options 1-6, then place each fault on options 7-12 (or on
    # ids that do not exist) so that every fault is separate and its code is known in advance.
    if method == "approval":
        faults = [f for f in faults if f not in ("negative", "over_budget")] or ["unknown"]
    else:
        faults = [f for f in faults if f != "approval_value"] or ["unknown"]
    base_options = data.draw(st.lists(st.sampled_from(OPTIONS[:6]), unique=True, max_size=6))
    if method == "approval":
        rules = ApprovalRules()
        entries = [(o, 1) for o in base_options]
        spent = 0
    else:
        rules = QuadraticRules(credits=100)
        entries = [(o, 2) for o in base_options]  # at most 6 * 4 = 24 credits
        spent = 4 * len(base_options)
    fresh = iter(OPTIONS[6:])
    expected = Counter()
    for i, fault in enumerate(faults):
        if fault == "unknown":
            entries.append((1000 + i, 1))
            expected["unknown_option"] += 1
        elif fault == "not_integer":
            bad = data.draw(st.sampled_from(["2.5", "abc", "", "1/2", "x1"]))
            if bad == "":
                continue  # blank is a valid zero; not a fault after all
            entries.append((next(fresh, 1000 + i), bad))
            expected["not_an_integer"] += 1
            if entries[-1][0] >= 1000:
                expected["unknown_option"] += 1
        elif fault == "duplicate":
            option = next(fresh, None)
            if option is None:
                continue
            entries += [(option, 0), (option, 0)]
            expected["duplicate_option"] += 1
        elif fault == "approval_value":
            option = next(fresh, None)
            if option is None:
                continue
            entries.append((option, data.draw(st.sampled_from([2, -1, "3", "-2"]))))
            expected["approval_not_zero_or_one"] += 1
        elif fault == "negative":
            option = next(fresh, None)
            if option is None:
                continue
            entries.append((option, -1))
            spent += 1
            expected["negative_not_allowed"] += 1
        elif fault == "over_budget":
            option = next(fresh, None)
            if option is None:
                continue
            entries.append((option, 9))
            spent += 81
    if method == "quadratic" and spent > 100:
        expected["over_budget"] = 1
    if not expected:
        return
    order = data.draw(st.permutations(range(len(entries))))
    result = validate(rules, OPTIONS, [entries[i] for i in order])
    assert not result.ok
    assert result.entries is None
    assert codes(result) == expected
    assert set(result.codes()) <= set(PROBLEM_CODES)
    if "over_budget" in expected:
        over = next(p for p in result.problems if p.code == "over_budget")
        assert over.params == {"credits": 100, "spent": spent, "over_by": spent - 100}
