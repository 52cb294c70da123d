"""Threaded discussion: replies, stances, Markdown, 15-minute edits, deletion by the author, locked
and closed threads, and the abuse guards (rate limit, honeypot, the same comment twice)."""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participate.extensions import db, limiter
from participate.models import Comment, Phase, Stance, utcnow
from tests.deliberation_support import (
    HOME,
    make_comment,
    make_consultation,
    make_option,
    make_proposal,
)
from tests.support import Client


def _comments():
    return db.session.scalars(sa.select(Comment).order_by(Comment.id)).all()


@pytest.fixture
def option(people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    found = make_option(consultation, people["resident in ward"])
    db.session.commit()
    return found


def _thread_url(option):
    return f"/consultations/{option.consultation_id}/options/{option.id}"


def test_residents_comment_and_reply_in_threads_at_least_two_levels_deep(client, people, option):
    client.sign_in(people["resident in ward"])
    client.get(_thread_url(option))
    first = client.post(f"/discussion/option/{option.id}", {"body": "Top level", "stance": "for"})
    assert first.status_code == 302 and re.search(r"#comment-\d+$", first.headers["Location"])
    [top] = _comments()
    client.get(f"/discussion/option/{option.id}?reply_to={top.id}")
    client.post(
        f"/discussion/option/{option.id}", {"body": "Second level", "stance": "against", "reply_to": top.id}
    )
    second = _comments()[-1]
    client.post(
        f"/discussion/option/{option.id}", {"body": "Third level", "stance": "neutral", "reply_to": second.id}
    )
    third = _comments()[-1]
    assert (top.depth, second.depth, third.depth) == (0, 1, 2)
    assert (second.parent_id, third.parent_id) == (top.id, second.id)
    assert [c.stance for c in _comments()] == [Stance.FOR, Stance.AGAINST, Stance.NEUTRAL]
    html = client.get(_thread_url(option)).get_data(as_text=True)
    # Each reply is inside its parent's list item.
    outer = html[html.index(f'id="comment-{top.id}"') :]
    assert outer.index(f'id="comment-{second.id}"') < outer.index(f'id="comment-{third.id}"')
    assert outer.index("comments--replies") < outer.index(f'id="comment-{second.id}"')


def test_a_reply_past_the_deepest_level_joins_its_parents_replies(client, people, option):
    author = people["resident in ward"]
    chain = [make_comment(author, option, body="level 0")]
    for level in range(1, 4):
        chain.append(make_comment(author, option, body=f"level {level}", parent=chain[-1]))
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get(_thread_url(option))
    client.post(
        f"/discussion/option/{option.id}", {"body": "Deeper", "stance": "neutral", "reply_to": chain[3].id}
    )
    deeper = _comments()[-1]
    assert (deeper.parent_id, deeper.depth) == (chain[2].id, 3)


def test_markdown_is_sanitised_with_safe_links_and_no_images(client, people, option):
    client.sign_in(people["resident in ward"])
    client.get(_thread_url(option))
    client.post(
        f"/discussion/option/{option.id}",
        {
            "body": "See [the plan](https://example.org/plan) ![x](https://evil.example/x.png) <b>raw</b>",
            "stance": "for",
        },
    )
    html = client.get(_thread_url(option)).get_data(as_text=True)
    assert '<a href="https://example.org/plan" rel="nofollow ugc noopener">the plan</a>' in html
    assert "<img" not in html and "<b>raw</b>" not in html


def test_authors_edit_their_comment_for_15_minutes_only(client, people, option):
    author = people["resident in ward"]
    fresh = make_comment(author, option, body="Tpyo here")
    old = make_comment(author, option, body="Written long ago", created_at=utcnow() - timedelta(minutes=16))
    db.session.commit()
    client.sign_in(author)
    page = client.get(_thread_url(option)).get_data(as_text=True)
    assert f"/comments/{fresh.id}/edit" in page and f"/comments/{old.id}/edit" not in page
    client.get(f"/comments/{fresh.id}/edit")
    client.post(f"/comments/{fresh.id}/edit", {"body": "Typo fixed", "stance": "for"})
    db.session.refresh(fresh)
    assert (fresh.body, fresh.stance) == ("Typo fixed", Stance.FOR) and fresh.edited_at is not None
    late = client.post(f"/comments/{old.id}/edit", {"body": "Changed", "stance": "for"})
    assert "15 minutes" in client.get(late.headers["Location"]).get_data(as_text=True)
    db.session.refresh(old)
    assert old.body == "Written long ago"
    client.sign_out()
    client.sign_in(people["councillor of this ward"])
    assert client.post(f"/comments/{fresh.id}/edit", {"body": "Not mine", "stance": "for"}).status_code == 403


def test_an_author_deletes_their_comment_replies_stay_and_moderators_can_still_read_it(
    client, people, option
):
    author = people["resident in ward"]
    parent = make_comment(author, option, body="Something I regret")
    reply = make_comment(people["councillor of this ward"], option, body="A reply that stays", parent=parent)
    db.session.commit()
    client.sign_in(people["resident out of ward"])
    assert client.post(f"/comments/{parent.id}/delete").status_code == 403
    client.sign_out()
    client.sign_in(author)
    assert "Delete your comment?" in client.get(f"/comments/{parent.id}/delete").get_data(as_text=True)
    client.post(f"/comments/{parent.id}/delete")
    db.session.refresh(parent)
    assert parent.deleted_at is not None and parent.body == "Something I regret"
    client.sign_out()
    public = client.get(_thread_url(option)).get_data(as_text=True)
    assert "deleted by its author" in public and "Something I regret" not in public
    assert "A reply that stays" in public and db.session.get(Comment, reply.id) is not None
    client.sign_in(people["councillor of this ward"])
    assert "Something I regret" in client.get(_thread_url(option)).get_data(as_text=True)


def test_a_locked_thread_takes_no_comments_with_a_message_and_the_text_kept(client, people, option):
    option.is_locked = True
    db.session.commit()
    client.sign_in(people["resident in ward"])
    page = client.get(_thread_url(option)).get_data(as_text=True)
    assert "locked this discussion" in page and f'action="/discussion/option/{option.id}"' not in page
    response = client.post(f"/discussion/option/{option.id}", {"body": "My considered view", "stance": "for"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "A moderator has locked this discussion" in html and "My considered view" in html
    assert _comments() == []


def test_a_closed_consultation_takes_no_comments(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.CLOSED)
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/consultations/{consultation.id}")
    response = client.post(f"/discussion/consultation/{consultation.id}", {"body": "Late", "stance": "for"})
    assert response.status_code == 409 and "has closed" in response.get_data(as_text=True)
    assert _comments() == []


def test_residents_of_other_wards_do_not_comment_on_a_wards_proposal(client, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    db.session.commit()
    client.sign_in(people["resident out of ward"])
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Residents of the area concerned" in page
    assert (
        client.post(f"/discussion/proposal/{proposal.id}", {"body": "Hi", "stance": "for"}).status_code == 403
    )
    client.sign_out()
    client.sign_in(people["suspended"])
    assert "suspended until" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert (
        client.post(f"/discussion/proposal/{proposal.id}", {"body": "Hi", "stance": "for"}).status_code == 403
    )
    assert _comments() == []


def test_the_same_comment_sent_twice_within_a_minute_is_stored_once(client, people, option):
    client.sign_in(people["resident in ward"])
    client.get(_thread_url(option))
    data = {"body": "Double click!", "stance": "for"}
    first = client.post(f"/discussion/option/{option.id}", data)
    second = client.post(f"/discussion/option/{option.id}", data)
    assert first.headers["Location"] == second.headers["Location"]
    assert "already sent this comment" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert len(_comments()) == 1
    # A minute later, the same words are a new comment.
    only = _comments()[0]
    only.created_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    client.post(f"/discussion/option/{option.id}", data)
    assert len(_comments()) == 2


def test_the_honeypot_quietly_refuses_bots(client, people, option):
    client.sign_in(people["resident in ward"])
    client.get(_thread_url(option))
    response = client.post(
        f"/discussion/option/{option.id}",
        {"body": "Buy now", "stance": "for", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert "Your comment has been posted" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _comments() == []


@pytest.fixture
def limited(make_app, app):
    application = make_app(RATELIMIT_ENABLED=True, POST_LIMIT="3 per minute")
    limiter.reset()
    yield application
    limiter.reset()


def test_posting_is_rate_limited_per_user_and_the_refused_text_is_kept(limited, people, option, caplog):
    caplog.set_level(logging.INFO, logger="participate.security")
    client = Client(limited)
    client.sign_in(people["resident in ward"])
    client.get(_thread_url(option))
    codes = [
        client.post(f"/discussion/option/{option.id}", {"body": f"Comment {n}", "stance": "for"}).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert "faster than we allow" in client.last_html and "Comment 3" in client.last_html
    assert len(_comments()) == 3
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rate-limit-refused")]
    assert refused == [
        f"rate-limit-refused user={people['resident in ward'].id} endpoint='discussion.comment' "
        "request_method='POST' ip='127.0.0.1'"
    ]
    # The limit is per person: a neighbour can still post.
    other = Client(limited)
    other.sign_in(people["councillor of this ward"])
    other.get(_thread_url(option))
    assert other.post(f"/discussion/option/{option.id}", {"body": "Mine", "stance": "for"}).status_code == 302


@pytest.mark.postgres
def test_the_same_comment_sent_twice_at_the_same_moment_is_stored_once(app, people, option):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite writes one at a time)")
    from participate.models import Option, User
    from participate.services import discussion

    author_id, option_id = people["resident in ward"].id, option.id
    barrier, created = threading.Barrier(2), []

    def post():
        with app.test_request_context():
            author, thread = db.session.get(User, author_id), db.session.get(Option, option_id)
            barrier.wait()
            created.append(discussion.post_comment(author, thread, body="Same words", stance=Stance.FOR)[1])
            db.session.commit()

    workers = [threading.Thread(target=post) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert sorted(created) == [False, True]
    assert len(_comments()) == 1
