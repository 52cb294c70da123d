"""Outcome proposals: proposing for your ward, supporting once, editing until the first support or
comment (every version kept), the ward's list sorted and paginated, and search."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participate.extensions import db
from participate.models import OutcomeProposal, ProposalCategory, ProposalRevision, Support
from tests.deliberation_support import (
    HOME,
    make_comment,
    make_consultation,
    make_proposal,
)


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_resident_proposes_an_outcome_for_their_ward_and_it_is_listed(client, people):
    client.sign_in(people["resident in ward"])
    form = client.get(f"/wards/{HOME}/proposals/new")
    assert form.status_code == 200 and "Propose an outcome" in form.get_data(as_text=True)
    response = client.post(
        f"/wards/{HOME}/proposals/new",
        {
            "title": "Cleaner air by the school",
            "body": "Fewer cars at **drop-off**.",
            "category": "environment",
        },
    )
    assert response.status_code == 302
    proposal = db.session.scalar(sa.select(OutcomeProposal))
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert proposal.category == ProposalCategory.ENVIRONMENT
    assert (
        proposal.body == "Fewer cars at **drop-off**." and "<strong>drop-off</strong>" in proposal.body_html
    )
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Cleaner air by the school" in page and "<strong>drop-off</strong>" in page
    assert "Cleaner air by the school" in client.get(f"/wards/{HOME}").get_data(as_text=True)


def test_a_proposal_with_problems_is_explained_keeps_what_was_typed_and_saves_nothing(client, people):
    client.sign_in(people["resident in ward"])
    client.get(f"/wards/{HOME}/proposals/new")
    response = client.post(f"/wards/{HOME}/proposals/new", {"title": "", "body": "My carefully written text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the outcome you want" in html and "There is a problem" in html
    assert "My carefully written text" in html
    assert _count(OutcomeProposal) == 0


def test_only_residents_of_the_ward_propose_for_it(client, people):
    client.sign_in(people["resident out of ward"])
    assert client.get(f"/wards/{HOME}/proposals/new").status_code == 403
    response = client.post(f"/wards/{HOME}/proposals/new", {"title": "Mine", "body": "Not my ward"})
    assert response.status_code == 403 and _count(OutcomeProposal) == 0


def test_a_neighbour_supports_once_and_can_withdraw_but_the_author_cannot_support(client, people, make_user):
    author = people["resident in ward"]
    proposal = make_proposal(author, people["resident in ward"].ward)
    db.session.commit()
    neighbour = make_user(wards=[HOME])
    client.sign_in(neighbour)
    client.get(f"/proposals/{proposal.id}")
    assert client.post(f"/proposals/{proposal.id}/support").status_code == 302
    client.post(f"/proposals/{proposal.id}/support")
    db.session.refresh(proposal)
    assert proposal.support_count == 1 and _count(Support) == 1
    assert "1 supporter" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    client.post(f"/proposals/{proposal.id}/withdraw-support")
    db.session.refresh(proposal)
    assert proposal.support_count == 0 and _count(Support) == 0
    client.sign_out()
    client.sign_in(author)
    client.get(f"/proposals/{proposal.id}")
    assert client.post(f"/proposals/{proposal.id}/support").status_code == 403


def test_the_author_edits_until_the_first_support_and_every_version_is_kept(client, people, make_user):
    author = people["resident in ward"]
    proposal = make_proposal(author, author.ward, title="First title", body="First text")
    db.session.commit()
    client.sign_in(author)
    client.get(f"/proposals/{proposal.id}/edit")
    response = client.post(
        f"/proposals/{proposal.id}/edit", {"title": "Second title", "body": "Second text", "category": ""}
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert (proposal.title, proposal.body) == ("Second title", "Second text")
    [revision] = db.session.scalars(sa.select(ProposalRevision)).all()
    assert (revision.title, revision.body) == ("First title", "First text")
    history = client.get(f"/proposals/{proposal.id}/history").get_data(as_text=True)
    assert "First text" in history and "Second text" in history

    # Moderators of the ward read the history; other residents do not.
    client.sign_out()
    client.sign_in(people["councillor of this ward"])
    assert "First text" in client.get(f"/proposals/{proposal.id}/history").get_data(as_text=True)
    client.sign_out()
    client.sign_in(people["resident out of ward"])
    assert client.get(f"/proposals/{proposal.id}/history").status_code == 403

    # Once somebody supports it, it can no longer change: a clear message, nothing changed.
    client.sign_out()
    client.sign_in(make_user(wards=[HOME]))
    client.get(f"/proposals/{proposal.id}")
    client.post(f"/proposals/{proposal.id}/support")
    client.sign_out()
    client.sign_in(author)
    client.get(f"/proposals/{proposal.id}")
    refused = client.post(
        f"/proposals/{proposal.id}/edit", {"title": "Third", "body": "Third", "category": ""}
    )
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "has supports or comments, so it can no longer be changed" in page
    db.session.refresh(proposal)
    assert proposal.title == "Second title" and _count(ProposalRevision) == 1


def test_a_comment_also_ends_editing(client, people):
    author = people["resident in ward"]
    proposal = make_proposal(author, author.ward)
    proposal.comment_count = 1
    make_comment(people["councillor of this ward"], proposal)
    db.session.commit()
    client.sign_in(author)
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 302


def test_the_ward_page_lists_proposals_newest_most_supported_and_by_category_in_pages(client, people, wards):
    from datetime import timedelta

    from participate.models import utcnow

    author, ward = people["resident in ward"], wards[HOME]
    now = utcnow()
    for n in range(25):
        make_proposal(
            author,
            ward,
            title=f"Outcome number {n:02d}",
            support_count=n % 7,
            created_at=now - timedelta(hours=n),
            category=ProposalCategory.HOUSING if n % 2 else ProposalCategory.GREEN_SPACES,
        )
    make_proposal(author, wards["E05014101"], title="Somewhere else entirely")
    db.session.commit()

    def titles(url):
        return re.findall(r"Outcome number \d\d", client.get(url).get_data(as_text=True))

    newest = titles(f"/wards/{HOME}")
    assert newest[:3] == ["Outcome number 00", "Outcome number 01", "Outcome number 02"] and len(newest) == 20
    assert titles(f"/wards/{HOME}?page=2") == [f"Outcome number {n}" for n in range(20, 25)]
    supported = titles(f"/wards/{HOME}?sort=supported")
    assert supported[:2] == ["Outcome number 06", "Outcome number 13"]
    by_category = client.get(f"/wards/{HOME}?sort=category").get_data(as_text=True)
    assert by_category.index("Parks and green spaces") < by_category.index("Housing")
    housing = titles(f"/wards/{HOME}?category=housing")
    assert housing and all(int(t[-2:]) % 2 for t in housing)
    assert "Somewhere else entirely" not in client.get(f"/wards/{HOME}").get_data(as_text=True)


def test_search_finds_words_in_titles_and_texts_in_any_case(client, people, wards):
    author = people["resident in ward"]
    make_proposal(author, wards[HOME], title="A youth club", body="Open late on FRIDAYS")
    make_proposal(author, wards[HOME], title="Street trees", body="More shade on Acre Lane")
    make_proposal(author, wards[HOME], title="100% recycled benches", body="Made locally")
    make_proposal(author, wards["E05014101"], title="Youth football", body="On the common")
    db.session.commit()
    html = client.get(f"/wards/{HOME}/proposals?q=fridays+YOUTH").get_data(as_text=True)
    assert "A youth club" in html and "Street trees" not in html and "Youth football" not in html
    assert "Street trees" in client.get(f"/wards/{HOME}/proposals?q=acre").get_data(as_text=True)
    # Wildcards typed in a search are taken literally.
    literal = client.get(f"/wards/{HOME}/proposals?q=%25").get_data(as_text=True)
    assert "100% recycled benches" in literal and "Street trees" not in literal
    everywhere = client.get("/proposals/?q=youth").get_data(as_text=True)
    assert "A youth club" in everywhere and "Youth football" in everywhere


def test_an_adopted_proposal_says_so_and_links_to_its_consultation(client, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    consultation = make_consultation(wards=[wards[HOME]], proposal_id=proposal.id, title="Youth provision")
    db.session.commit()
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Adopted" in html and f'href="/consultations/{consultation.id}"' in html
    assert f'href="/proposals/{proposal.id}"' in client.get(f"/consultations/{consultation.id}").get_data(
        as_text=True
    )
