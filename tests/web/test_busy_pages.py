"""The busiest pages run a fixed number of SQL queries, however many options, comments, proposals or
flags there are."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import (
    Comment,
    FlagReason,
    Option,
    OutcomeProposal,
    ProposalCategory,
    ProviderType,
    SocialValueMeasure,
    Stance,
    utcnow,
)
from participate.sanitize import render_markdown
from participate.services import moderation
from participate.services.social_value import load_checklist
from tests.deliberation_support import HOME, make_consultation, make_proposal


def _comments(authors, thread_kw, count, start=0):
    """`count` comments on one thread: a third top-level, the rest replies two levels deep."""
    made = []
    for n in range(count):
        parent = made[-1] if n % 3 and made else None
        comment = Comment(
            author_id=authors[n % len(authors)].id,
            body=f"Comment {start + n} with **some** text",
            body_html=render_markdown(f"Comment {start + n} with **some** text"),
            stance=list(Stance)[n % 3],
            parent_id=parent.id if parent else None,
            depth=min(parent.depth + 1, 3) if parent else 0,
            ward_id=authors[n % len(authors)].ward_id,
            hidden_at=utcnow() if n % 17 == 0 else None,
            hidden_reason="Spam" if n % 17 == 0 else None,
            **thread_kw,
        )
        db.session.add(comment)
        db.session.flush()
        made.append(comment)
    return made


def _options(consultation, proposer, count, measures):
    options = []
    for n in range(count):
        option = Option(
            consultation_id=consultation.id,
            title=f"Option {n}",
            description="What would be done",
            description_html="<p>What would be done</p>",
            provider_type=list(ProviderType)[n % len(ProviderType)],
            estimated_cost_pence=100_000 * (n + 1),
            proposer_id=proposer.id,
            ward_id=proposer.ward_id,
        )
        option.social_values = measures[n % 3 : n % 3 + 2]
        db.session.add(option)
        options.append(option)
    db.session.flush()
    return options


@pytest.fixture
def viewers(people):
    return [None, people["resident in ward"], people["councillor of this ward"], people["officer"]]


def _queries(client, count_queries, url, viewer):
    if viewer is not None:
        client.sign_in(viewer)
    client.get(url)  # warm up the session and caches
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    if viewer is not None:
        client.sign_out()
    return len(statements)


def test_a_consultation_with_60_options_and_300_comments_runs_a_fixed_number_of_queries(
    client, people, wards, viewers, count_queries
):
    load_checklist()
    measures = list(db.session.scalars(sa.select(SocialValueMeasure)))
    authors = [people["resident in ward"], people["councillor of this ward"], people["officer"]]
    consultation = make_consultation(wards=[wards[HOME]])
    url = f"/consultations/{consultation.id}"

    def grow(options, comments):
        """Add options and comments (half on the consultation, half on the first options)."""
        made = _options(consultation, authors[0], options, measures)
        _comments(authors, {"consultation_id": consultation.id}, comments // 2, start=comments)
        for n, option in enumerate(made[: comments // 10]):
            _comments(authors, {"option_id": option.id}, 5, start=10_000 + comments + 5 * n)
        db.session.commit()
        return [_queries(client, count_queries, url, v) for v in viewers]

    half = grow(30, 150)
    full = grow(30, 150)
    assert full == half, (half, full)
    assert max(full) <= 14, full
    html = client.get(url).get_data(as_text=True)
    assert "Options (60)" in html and "Discussion (150 comments)" in html
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 300


def test_an_option_with_300_comments_runs_a_fixed_number_of_queries(
    client, people, wards, viewers, count_queries
):
    authors = [people["resident in ward"], people["councillor of this ward"], people["resident out of ward"]]
    consultation = make_consultation(borough_wide=True)
    option = _options(consultation, authors[0], 1, [])[0]
    url = f"/consultations/{consultation.id}/options/{option.id}"
    _comments(authors, {"option_id": option.id}, 150)
    db.session.commit()
    half = [_queries(client, count_queries, url, v) for v in viewers]
    _comments(authors, {"option_id": option.id}, 150, start=150)
    db.session.commit()
    full = [_queries(client, count_queries, url, v) for v in viewers]
    # Every feature adds its section to the ward page; together they stay a small fixed number.
    assert full == half and max(full) <= 20, (half, full)


def test_a_proposal_with_300_comments_runs_a_fixed_number_of_queries(
    client, people, wards, viewers, count_queries
):
    authors = [people["resident in ward"], people["councillor of this ward"]]
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    url = f"/proposals/{proposal.id}"
    _comments(authors, {"proposal_id": proposal.id}, 150)
    db.session.commit()
    half = [_queries(client, count_queries, url, v) for v in viewers]
    _comments(authors, {"proposal_id": proposal.id}, 150, start=150)
    db.session.commit()
    full = [_queries(client, count_queries, url, v) for v in viewers]
    assert full == half and max(full) <= 10, (half, full)


def test_a_ward_page_with_200_proposals_runs_a_fixed_number_of_queries(
    client, people, wards, viewers, count_queries
):
    authors = [people["resident in ward"], people["councillor of this ward"]]
    urls = [f"/wards/{HOME}", f"/wards/{HOME}?sort=supported&page=3", f"/wards/{HOME}/proposals?q=outcome"]

    def grow(count):
        db.session.add_all(
            OutcomeProposal(
                ward_id=wards[HOME].id,
                author_id=authors[n % 2].id,
                title=f"Outcome {n}",
                body="Text",
                body_html="<p>Text</p>",
                support_count=n % 11,
                category=list(ProposalCategory)[n % 5],
            )
            for n in range(count)
        )
        for n in range(6):
            make_consultation(wards=[wards[HOME]], title=f"Consultation {count}-{n}")
        db.session.commit()
        return [_queries(client, count_queries, url, v) for url in urls for v in viewers]

    half = grow(100)
    full = grow(100)
    # Every feature adds its section to the ward page; together they stay a small fixed number.
    assert full == half and max(full) <= 20, (half, full)
    assert "200 proposals" in client.get(urls[0]).get_data(as_text=True)


def test_the_moderation_queue_and_log_run_a_fixed_number_of_queries(
    client, app, people, wards, count_queries
):
    reporters = [people["resident out of ward"], people["admin"]]
    author = people["resident in ward"]
    consultation = make_consultation(wards=[wards[HOME]])
    option = _options(consultation, author, 1, [])[0]
    viewers = [people["councillor of this ward"], people["officer"]]
    urls = ["/moderation/", f"/wards/{HOME}/moderation-log"]

    def grow(count):
        """Flag proposals, options and comments, and hide some of the comments."""
        with app.test_request_context():
            for n in range(count):
                extra = make_proposal(author, wards[HOME], title=f"Flagged {count}-{n}")
                for reporter in reporters:
                    moderation.flag(reporter, extra, FlagReason.SPAM, "Selling things")
                more = _options(consultation, author, 1, [])[0]
                moderation.flag(reporters[0], more, FlagReason.OFF_TOPIC, None)
            for comment in _comments([author], {"option_id": option.id}, count, start=1000 * count):
                moderation.flag(reporters[0], comment, FlagReason.ABUSE, None)
                if not comment.is_hidden:
                    moderation.hide(people["councillor of this ward"], comment, "Abuse")
        db.session.commit()
        return [_queries(client, count_queries, url, v) for url in urls for v in viewers]

    half = grow(20)
    full = grow(20)
    assert full == half and max(full) <= 16, (half, full)
