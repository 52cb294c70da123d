"""Notifications through the outbox: replies, new options, phase changes and moderation; each user's
choice of what and how often (at once or a daily digest); one-click unsubscribe without signing in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import (
    Follow,
    Notification,
    NotificationKind,
    NotificationSetting,
    OutboxMessage,
    Phase,
)
from participate.services import notifications
from participate.services.mail import send_due
from tests.deliberation_support import HOME, make_comment, make_consultation, make_option
from tests.support import links_in


@pytest.fixture
def option(people, wards):
    consultation = make_consultation(wards=[wards[HOME]], title="Safe evenings")
    found = make_option(consultation, people["officer"], title="Youth club")
    db.session.commit()
    return found


def _outbox(user):
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
    ).all()


def test_a_reply_is_mailed_at_once_with_a_one_click_unsubscribe(app, client, people, option, smtp_server):
    author = people["resident in ward"]
    parent = make_comment(author, option, body="Opening hours?")
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get(f"/consultations/{option.consultation_id}/options/{option.id}")
    client.post(
        f"/discussion/option/{option.id}",
        {"body": "Until 9pm on weekdays.", "stance": "neutral", "reply_to": parent.id},
    )
    [message] = _outbox(author)
    assert message.kind == "notify-reply" and message.unsubscribe_url
    app.config.update(smtp_server.config())
    send_due()
    [mail] = smtp_server.to(author.email)
    assert "Cllr Here replied to your comment" in mail.subject
    assert "Until 9pm on weekdays." in mail.body and "#comment-" in mail.body
    assert mail.message["List-Unsubscribe"] == f"<{message.unsubscribe_url}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    # Replying to yourself tells nobody.
    client.post(
        f"/discussion/option/{option.id}", {"body": "Thanks all", "stance": "for", "reply_to": parent.id}
    )
    assert len(_outbox(people["councillor of this ward"])) == 0


def test_followers_hear_of_new_options_and_phase_changes_but_not_of_their_own(
    client, people, option, make_user
):
    follower = make_user(wards=[HOME], name="Fay Follower")
    db.session.add(Follow(user_id=follower.id, consultation_id=option.consultation_id))
    db.session.commit()
    proposer = people["resident in ward"]
    client.sign_in(proposer)
    client.get(f"/consultations/{option.consultation_id}/options/new")
    client.post(
        f"/consultations/{option.consultation_id}/options/new",
        {"title": "Street lights", "description": "Brighter paths", "provider_type": "in_house"},
    )
    [new_option] = _outbox(follower)
    assert new_option.kind == "notify-new_option" and "Street lights" in new_option.body_text
    assert _outbox(proposer) == []
    # Putting an option forward makes you a follower: you hear when voting opens.
    client.sign_out()
    client.sign_in(people["officer"])
    client.get(f"/consultations/{option.consultation_id}")
    client.post(f"/consultations/{option.consultation_id}/phase", {"to": "voting"})
    assert [m.kind for m in _outbox(follower)] == ["notify-new_option", "notify-phase_change"]
    assert [m.kind for m in _outbox(proposer)] == ["notify-phase_change"]
    assert "Voting has opened" in _outbox(proposer)[0].body_text


def test_authors_hear_of_moderation_with_the_reason(client, people, option):
    comment = make_comment(people["resident in ward"], option, body="Off topic rant")
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get(f"/moderation/comment/{comment.id}/hide")
    client.post(f"/moderation/comment/{comment.id}/hide", {"reason": "Off topic: about parking"})
    [message] = _outbox(people["resident in ward"])
    assert message.kind == "notify-moderation" and "Off topic: about parking" in message.body_text
    assert "Off topic rant" not in message.body_text


def test_each_user_chooses_what_to_get_and_how_often(app, client, people, option, runner):
    author = people["resident in ward"]
    client.sign_in(author)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Replies to your comments" in page and "In a daily summary" in page
    choices = {kind.value: "immediate" for kind in NotificationKind}
    choices.update({"reply": "daily", "moderation": "off"})
    assert client.post("/account/notifications", choices).status_code == 302
    assert notifications.settings_for(author)[NotificationKind.REPLY] == "daily"
    bad = client.post("/account/notifications", {**choices, "reply": "hourly"})
    assert bad.status_code == 400 and "Choose how often" in bad.get_data(as_text=True)
    assert notifications.settings_for(author)[NotificationKind.REPLY] == "daily"
    client.sign_out()

    first = make_comment(author, option, body="First")
    second = make_comment(author, option, body="Second")
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get(f"/consultations/{option.consultation_id}/options/{option.id}")
    for parent in (first, second):
        client.post(
            f"/discussion/option/{option.id}",
            {"body": f"Re {parent.body}", "stance": "for", "reply_to": parent.id},
        )
    client.get(f"/moderation/comment/{first.id}/hide")
    client.post(f"/moderation/comment/{first.id}/hide", {"reason": "Test"})
    assert _outbox(author) == [], "daily replies wait; moderation mail is off"
    waiting = db.session.scalars(sa.select(Notification).where(Notification.user_id == author.id)).all()
    assert len(waiting) == 2 and all(n.mailed_at is None for n in waiting)

    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    [digest] = _outbox(author)
    assert digest.kind == "notify-digest" and "2 updates" in digest.subject
    assert "Re First" in digest.body_text and "Re Second" in digest.body_text and digest.unsubscribe_url
    runner.invoke(args=["send-digests"])
    assert len(_outbox(author)) == 1, "a notification is mailed once"


def test_the_unsubscribe_link_works_without_signing_in_and_a_get_changes_nothing(client, people):
    user = people["resident in ward"]
    with client.app.test_request_context():
        token = notifications.unsubscribe_token(user, NotificationKind.REPLY)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop these emails" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(NotificationSetting.id))) == 0
    done = client.post(f"/unsubscribe/{token}", csrf=False)
    assert done.status_code == 200 and "no longer get emails" in done.get_data(as_text=True)
    settings = notifications.settings_for(user)
    assert settings[NotificationKind.REPLY] == "off" and settings[NotificationKind.NEW_OPTION] == "immediate"


def test_one_click_unsubscribe_from_a_mail_program_needs_no_csrf_token_but_a_valid_signature(client, people):
    user = people["resident in ward"]
    with client.app.test_request_context():
        token = notifications.unsubscribe_token(user, NotificationKind.PHASE_CHANGE)
    response = client.post(f"/unsubscribe/{token}", {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert notifications.settings_for(user)[NotificationKind.PHASE_CHANGE] == "off"
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/unsubscribe/{tampered}", csrf=False).status_code == 400
    everything = client.post(f"/unsubscribe/{token}", {"scope": "all"}, csrf=False)
    assert "any notification emails" in everything.get_data(as_text=True)
    assert set(notifications.settings_for(user).values()) == {"off"}


def test_no_notification_is_made_for_a_kind_turned_off(app, people, option):
    user = people["resident in ward"]
    notifications.set_frequency(user, NotificationKind.PHASE_CHANGE, "off")
    db.session.add(Follow(user_id=user.id, consultation_id=option.consultation_id))
    db.session.commit()
    from participate.services.consultations import advance_phase

    with app.test_request_context():
        advance_phase(option.consultation, people["officer"], to=Phase.VOTING)
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_the_links_in_a_notification_lead_back_to_the_site(app, client, people, option, smtp_server):
    author = people["resident in ward"]
    parent = make_comment(author, option, body="Question")
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get(f"/consultations/{option.consultation_id}/options/{option.id}")
    client.post(f"/discussion/option/{option.id}", {"body": "Answer", "stance": "for", "reply_to": parent.id})
    app.config.update(smtp_server.config())
    send_due()
    [mail] = smtp_server.to(author.email)
    links = links_in(mail.body)
    assert any("/unsubscribe/" in link for link in links) and any(
        "/account/notifications" in link for link in links
    )
    unsubscribe = next(link for link in links if "/unsubscribe/" in link).split("localhost", 1)[1]
    client.sign_out()
    assert client.post(unsubscribe, csrf=False).status_code == 200
    assert notifications.settings_for(author)[NotificationKind.REPLY] == "off"
