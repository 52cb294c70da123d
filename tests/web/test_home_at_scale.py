"""The home page (signed out and signed in) and the proposal lists run the same number of SQL
queries with ten times the proposals, consultations, options, comments, groups and events."""

from __future__ import annotations

import pytest

from participate.extensions import db
from participate.models import ProposalCategory
from tests.champions_factories import make_event, make_group
from tests.deliberation_support import (
    HOME,
    OTHER,
    make_comment,
    make_consultation,
    make_option,
    make_proposal,
)

CATEGORY = list(ProposalCategory)[0].value
URLS = [
    "/",
    "/proposals/",
    "/proposals/?sort=supported&page=2",
    f"/proposals/?ward={HOME}&category={CATEGORY}",
    f"/wards/{HOME}/proposals?sort=category",
]


def _grow(units: int, start: int, people, wards, organiser):
    """Per unit: 12 proposals in two wards, two open consultations with three options and five
    comments each, and a group with two coming events."""
    authors = [people["resident in ward"], people["councillor of this ward"]]
    for n in range(start, start + units):
        for k in range(12):
            make_proposal(
                authors[k % 2] if k % 3 else people["resident out of ward"],
                wards[HOME] if k % 3 else wards[OTHER],
                title=f"Outcome {n}-{k}",
                support_count=k % 5,
                category=list(ProposalCategory)[k % len(ProposalCategory)],
            )
        for k in range(2):
            consultation = make_consultation(wards=[wards[HOME]], title=f"Consultation {n}-{k}")
            for m in range(3):
                make_option(consultation, authors[0], title=f"Option {n}-{k}-{m}")
            for m in range(5):
                make_comment(authors[m % 2], consultation, body=f"Comment {n}-{k}-{m}")
        db.session.commit()
        group = make_group(organiser, name=f"Growers {n}")
        for _ in range(2):
            make_event(group, organiser)


def _counts(client, count_queries, viewer):
    if viewer is not None:
        client.sign_in(viewer)
    counts = []
    for url in URLS:
        client.get(url)  # warm up the session and caches
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(statements))
    if viewer is not None:
        client.sign_out()
    return counts


@pytest.mark.parametrize("viewer", [None, "resident in ward"])
def test_home_and_proposal_lists_run_the_same_queries_with_ten_times_the_data(
    client, people, wards, make_user, count_queries, viewer
):
    organiser = make_user(name="Gita Grower")
    who = people[viewer] if viewer else None
    _grow(1, 0, people, wards, organiser)
    small = _counts(client, count_queries, who)
    _grow(9, 1, people, wards, organiser)
    large = _counts(client, count_queries, who)
    assert large == small, dict(zip(URLS, zip(small, large, strict=True), strict=True))
    assert max(large) <= 15, dict(zip(URLS, large, strict=True))
    # The data really is ten times larger, and the pages show it.
    assert "120 proposals" in client.get("/proposals/").get_data(as_text=True)
