"""Moderation by ward: flags, the queue of a councillor's own wards, hiding (never deleting) and
restoring, dismissing flags, locking, suspensions, the public log, and 403 for other wards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import (
    Announcement,
    Comment,
    Flag,
    FlagReason,
    Group,
    ModerationAction,
    ModerationVerb,
    OutboxMessage,
    User,
    utcnow,
)
from participate.services import moderation
from tests.deliberation_support import (
    HOME,
    OTHER,
    make_comment,
    make_consultation,
    make_option,
    make_proposal,
)


@pytest.fixture(autouse=True)
def _addresses(app):
    """Services called directly build the addresses in their notifications as a request would."""
    with app.test_request_context():
        yield


@pytest.fixture
def thread(people, wards):
    """An option of a HOME consultation with a comment by a resident."""
    consultation = make_consultation(wards=[wards[HOME]])
    option = make_option(consultation, people["resident in ward"], title="Youth club")
    comment = make_comment(people["resident in ward"], option, body="Rude words about a neighbour")
    db.session.commit()
    return option, comment


def test_a_flag_with_its_reason_reaches_the_queue_of_the_wards_councillors_only(client, people, thread):
    option, comment = thread
    client.sign_in(people["resident out of ward"])
    page = client.get(f"/consultations/{option.consultation_id}/options/{option.id}").get_data(as_text=True)
    assert f"/moderation/flag/comment/{comment.id}" in page
    client.get(f"/moderation/flag/comment/{comment.id}")
    client.post(f"/moderation/flag/comment/{comment.id}", {"reason": "abuse", "note": "Insults a neighbour"})
    client.post(f"/moderation/flag/comment/{comment.id}", {"reason": "abuse", "note": "Again"})
    [flag] = db.session.scalars(sa.select(Flag)).all()
    assert (flag.target_type, flag.target_id, flag.reason) == ("comment", comment.id, FlagReason.ABUSE)
    assert [w.code for w in flag.wards] == [HOME]
    client.sign_out()

    for role, sees in [
        ("councillor of this ward", True),
        ("officer", True),
        ("admin", True),
        ("councillor of another ward", False),
    ]:
        client.sign_in(people[role])
        queue = client.get("/moderation/").get_data(as_text=True)
        assert ("Rude words about a neighbour" in queue) is sees, role
        assert ("Insults a neighbour" in queue) is sees, role
        client.sign_out()
    client.sign_in(people["resident in ward"])
    assert client.get("/moderation/").status_code == 403


def test_hiding_keeps_the_text_with_who_when_and_why_and_restoring_brings_it_back(client, people, thread):
    option, comment = thread
    moderation.flag(people["resident out of ward"], comment, FlagReason.ABUSE, None)
    db.session.commit()
    councillor = people["councillor of this ward"]
    client.sign_in(councillor)
    form = client.get(f"/moderation/comment/{comment.id}/hide").get_data(as_text=True)
    assert "Rude words about a neighbour" in form and "Abusive" in form
    empty = client.post(f"/moderation/comment/{comment.id}/hide", {"reason": ""})
    assert "Give a reason" in empty.get_data(as_text=True)
    client.post(f"/moderation/comment/{comment.id}/hide", {"reason": "Personal attack on a neighbour"})
    db.session.refresh(comment)
    assert comment.body == "Rude words about a neighbour"
    assert comment.hidden_by_id == councillor.id and comment.hidden_reason == "Personal attack on a neighbour"
    assert comment.hidden_at is not None
    assert db.session.scalar(sa.select(Flag.resolution)) == "hidden"

    url = f"/consultations/{option.consultation_id}/options/{option.id}"
    assert "Rude words" in client.get(url).get_data(as_text=True), "moderators still read it"
    client.sign_out()
    public = client.get(url).get_data(as_text=True)
    assert "Hidden by a moderator: Personal attack on a neighbour" in public
    assert "Rude words" not in public

    client.sign_in(councillor)
    client.get(f"/moderation/comment/{comment.id}/restore")
    client.post(f"/moderation/comment/{comment.id}/restore", {"reason": "Apologised; context clarified"})
    db.session.refresh(comment)
    assert comment.hidden_at is None
    client.sign_out()
    assert "Rude words about a neighbour" in client.get(url).get_data(as_text=True)
    verbs = db.session.scalars(sa.select(ModerationAction.verb).order_by(ModerationAction.id)).all()
    assert verbs == [ModerationVerb.HIDE, ModerationVerb.RESTORE]


@pytest.mark.parametrize("verb", ["hide", "restore", "dismiss", "lock", "unlock"])
def test_a_crafted_request_from_a_councillor_of_another_ward_gets_403_and_changes_nothing(
    client, people, thread, verb
):
    option, comment = thread
    moderation.flag(people["resident in ward"], option, FlagReason.SPAM, None)
    if verb in ("restore", "unlock"):
        moderation.hide(people["officer"], comment, "Earlier hidden")
        moderation.set_locked(people["officer"], option, True, "Earlier locked")
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(ModerationAction.id)))
    target = f"comment/{comment.id}" if verb in ("hide", "restore") else f"option/{option.id}"
    client.sign_in(people["councillor of another ward"])
    assert client.get(f"/moderation/{target}/{verb}").status_code == 403
    # A valid CSRF token from another page, and a well-formed form: still refused.
    client.get("/moderation/")
    assert client.post(f"/moderation/{target}/{verb}", {"reason": "Because I can"}).status_code == 403
    assert client.get(f"/moderation/?ward={HOME}").status_code == 403
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(ModerationAction.id))) == before
    assert (db.session.get(Comment, comment.id).hidden_at is None) is (verb not in ("restore", "unlock"))
    assert db.session.scalar(sa.select(sa.func.count(Flag.id)).where(Flag.resolved_at.is_(None))) == 1


def test_dismissing_flags_resolves_them_and_logs_the_reason(client, people, thread):
    option, comment = thread
    moderation.flag(people["resident out of ward"], comment, FlagReason.OFF_TOPIC, None)
    db.session.commit()
    client.sign_in(people["officer"])
    client.get(f"/moderation/comment/{comment.id}/dismiss")
    client.post(f"/moderation/comment/{comment.id}/dismiss", {"reason": "On topic: it is about the club"})
    assert db.session.scalar(sa.select(Flag.resolution)) == "dismissed"
    assert "no open flags" in client.get("/moderation/").get_data(as_text=True)
    again = client.post(f"/moderation/comment/{comment.id}/dismiss", {"reason": "Twice"})
    assert "There are no open flags on this" in again.get_data(as_text=True)


def test_locking_stops_new_comments_and_unlocking_allows_them_again(client, people, thread):
    option, _comment = thread
    councillor = people["councillor of this ward"]
    client.sign_in(councillor)
    client.get(f"/moderation/option/{option.id}/lock")
    client.post(f"/moderation/option/{option.id}/lock", {"reason": "Cooling off"})
    db.session.refresh(option)
    assert option.is_locked
    refused = client.post(f"/discussion/option/{option.id}", {"body": "More", "stance": "for"})
    assert refused.status_code == 409
    client.get(f"/moderation/option/{option.id}/unlock")
    client.post(f"/moderation/option/{option.id}/unlock", {"reason": "Calm again"})
    client.get(f"/consultations/{option.consultation_id}/options/{option.id}")
    assert (
        client.post(f"/discussion/option/{option.id}", {"body": "More", "stance": "for"}).status_code == 302
    )


def test_the_public_log_lists_every_action_its_reason_and_role_but_never_the_hidden_text(
    client, people, thread, wards
):
    option, comment = thread
    moderation.hide(people["councillor of this ward"], comment, "Personal attack")
    moderation.set_locked(people["officer"], option, True, "Cooling off")
    elsewhere = make_proposal(people["resident out of ward"], wards[OTHER], title="Elsewhere")
    moderation.hide(people["councillor of another ward"], elsewhere, "Spam in Clapham Park")
    borough = make_consultation(borough_wide=True)
    moderation.set_locked(people["officer"], borough, True, "Borough-wide pause")
    db.session.commit()
    html = client.get(f"/wards/{HOME}/moderation-log").get_data(as_text=True)
    assert "Personal attack" in html and "Ward councillor" in html
    assert "Cooling off" in html and "Council officer" in html
    assert "Borough-wide pause" in html and "borough-wide" in html
    assert "Rude words" not in html and "Spam in Clapham Park" not in html
    assert f"#comment-{comment.id}" in html
    assert "Spam in Clapham Park" in client.get(f"/wards/{OTHER}/moderation-log").get_data(as_text=True)
    assert f"/wards/{HOME}/moderation-log" in client.get(f"/wards/{HOME}").get_data(as_text=True)


def test_an_admin_suspends_an_account_for_a_period(client, people, thread, wards):
    option, _comment = thread
    resident = people["resident in ward"]
    client.sign_in(people["councillor of this ward"])
    assert client.get(f"/admin/users/{resident.id}/suspend").status_code == 403
    client.sign_out()
    client.sign_in(people["admin"])
    client.get(f"/admin/users/{resident.id}/suspend")
    client.post(
        f"/admin/users/{resident.id}/suspend", {"days": "7", "reason": "Repeated abuse after warnings"}
    )
    db.session.refresh(resident)
    left = resident.suspended_until - utcnow()
    assert resident.is_suspended() and timedelta(days=6, hours=23) < left <= timedelta(days=7)
    [action] = db.session.scalars(sa.select(ModerationAction)).all()
    assert (action.verb, action.target_type, action.moderator_role) == (
        ModerationVerb.SUSPEND,
        "user",
        "admin",
    )
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "suspended"))
    assert mail.to_address == resident.email and "Repeated abuse" in mail.body_text
    log = client.get(f"/wards/{HOME}/moderation-log").get_data(as_text=True)
    assert "Account suspended" in log and resident.display_name not in log
    client.sign_out()
    client.sign_in(resident)
    client.get(f"/consultations/{option.consultation_id}/options/{option.id}")
    assert client.post(f"/discussion/option/{option.id}", {"body": "Hi", "stance": "for"}).status_code == 403
    client.sign_out()
    client.sign_in(people["admin"])
    page = client.get(f"/admin/users/{resident.id}/suspend").get_data(as_text=True)
    token = re.search(r'name="lift-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        f"/admin/users/{resident.id}/lift-suspension",
        {"lift-reason": "Appeal accepted", "lift-csrf_token": token},
        csrf=False,
    )
    db.session.refresh(resident)
    assert not resident.is_suspended()


def test_admins_cannot_suspend_themselves_or_other_admins(client, people, make_user):
    client.sign_in(people["admin"])
    assert client.get(f"/admin/users/{people['admin'].id}/suspend").status_code == 403
    other_admin = make_user(role="admin")
    assert client.get(f"/admin/users/{other_admin.id}/suspend").status_code == 403


def test_groups_and_announcements_use_the_same_moderation(app, client, people, wards):
    """The mechanism takes any Hideable with ward_ids; the queue and log list them too."""
    group = Group(name="Windrush Growers", focus="food_growing", description="We grow.", description_html="")
    group.wards = [wards[HOME]]
    db.session.add(group)
    db.session.flush()
    news = Announcement(
        group_id=group.id, author_id=people["resident in ward"].id, body="Buy pills", body_html=""
    )
    db.session.add(news)
    db.session.flush()
    moderation.flag(people["resident out of ward"], group, FlagReason.SPAM, "Not a real group")
    moderation.flag(people["resident out of ward"], news, FlagReason.SPAM, None)
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Windrush Growers" in queue and "Not a real group" in queue and "announcement" in queue
    client.get(f"/moderation/announcement/{news.id}/hide")
    client.post(f"/moderation/announcement/{news.id}/hide", {"reason": "Advertising"})
    db.session.refresh(news)
    assert news.is_hidden and news.body == "Buy pills"
    client.sign_out()
    client.sign_in(people["councillor of another ward"])
    assert client.post(f"/moderation/group/{group.id}/hide", {"reason": "x"}).status_code == 403
    assert "Advertising" in client.get(f"/wards/{HOME}/moderation-log").get_data(as_text=True)


def test_hidden_content_stays_in_the_database_whoever_asks(people, thread):
    _option, comment = thread
    moderation.hide(people["officer"], comment, "Spam")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 1
    assert (
        db.session.scalar(sa.select(User.id).where(User.id == comment.hidden_by_id)) == people["officer"].id
    )
