"""Progress until review: officers post dated updates; residents who took part or follow are told."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.commissioning.conftest import BRIXTON, CLAPHAM, date_parts


def _update_form(decision, **overrides) -> dict:
    data = {**date_parts("update_date", date(2026, 9, 1)), "status": "delivering", "note": "The hub opened."}
    for n, _c in enumerate(decision.commitments):
        data[f"delivered-{n}-value"] = ""
    data.update(overrides)
    return data


def _updates():
    from participate.extensions import db
    from participate.models import ProgressUpdate

    db.session.expire_all()
    return db.session.scalars(sa.select(ProgressUpdate)).all()


@pytest.mark.parametrize("role", ["anonymous", "resident", "councillor", "officer without two-factor"])
def test_only_officers_and_admins_may_post_progress(client, make_user, closed_vote, decide, role):
    decision = decide(closed_vote())
    if role != "anonymous":
        client.sign_in(make_user(role=role.split()[0], two_factor=False if "without" in role else None))
    url = f"/commissioning/{decision.id}/progress"
    get, post = client.get(url), client.post(url, _update_form(decision))
    if role == "anonymous":
        assert get.status_code == post.status_code == 302
    else:
        assert get.status_code == post.status_code == 403
    assert _updates() == []
    page = client.get(f"/commissioning/{decision.id}").get_data(as_text=True)
    assert "Post a progress update" not in page


def test_officer_posts_a_dated_update_with_delivery_against_each_target(client, officer, closed_vote, decide):
    decision = decide(
        closed_vote(), commitments=[("NT29", "120", True), ("NT18", "5000", False), ("LBH-1", "1", False)]
    )
    client.sign_in(officer)
    url = f"/commissioning/{decision.id}/progress"
    form = client.get(url).get_data(as_text=True)
    assert "Volunteering hours for local community projects" in form
    note = "Opened on **Monday**. <script>alert(1)</script>[Photos](https://example.org/p)"
    data = _update_form(decision, note=note)
    data.update({"delivered-0-value": "45.5", "delivered-1-value": "£1,250.01", "delivered-2-value": "met"})
    response = client.post(url, data)
    assert response.status_code == 302
    (update,) = _updates()
    assert update.update_date == date(2026, 9, 1) and update.status.value == "delivering"
    assert update.note == note  # stored as written
    assert "<script>" not in update.note_html and "<strong>Monday</strong>" in update.note_html
    delivered = {row.commitment.measure.code: row.delivered for row in update.delivered}
    assert delivered == {"NT29": 45.5, "NT18": 125_001, "LBH-1": 1}
    page = client.get(f"/commissioning/{decision.id}").get_data(as_text=True)
    assert "<strong>Monday</strong>" in page and "<script>alert" not in page
    assert "45.5 hours" in page and "£1,250.01" in page and "met" in page
    assert "Delivering" in page


def test_an_update_dated_before_the_decision_is_refused(client, officer, closed_vote, decide):
    decision = decide(closed_vote())
    client.sign_in(officer)
    data = _update_form(decision, **date_parts("update_date", date(2026, 1, 1)))
    page = client.post(f"/commissioning/{decision.id}/progress", data).get_data(as_text=True)
    assert "cannot be dated before the decision was taken" in page and "The hub opened." in page
    assert _updates() == []


def test_negative_or_wordy_delivery_is_refused_with_the_answers_kept(client, officer, closed_vote, decide):
    decision = decide(closed_vote())
    client.sign_in(officer)
    page = client.post(
        f"/commissioning/{decision.id}/progress", _update_form(decision, **{"delivered-0-value": "-3"})
    )
    assert "a number that is 0 or more" in page.get_data(as_text=True)
    assert _updates() == []


def test_residents_who_took_part_or_follow_the_ward_are_told_of_progress(
    client, officer, make_user, closed_vote, decide
):
    from participate.extensions import db
    from participate.models import (
        Ballot,
        Follow,
        Notification,
        NotificationKind,
        OutboxMessage,
        Participation,
    )
    from participate.services import notifications
    from tests.commissioning.test_ocds import _post_update

    voter = make_user(email="voter@example.org")
    linked_voter = make_user(email="ballot@example.org")
    follower = make_user(email="follower@example.org", wards=[CLAPHAM])
    quiet = make_user(email="quiet@example.org")
    digest = make_user(email="digest@example.org")
    elsewhere = make_user(email="elsewhere@example.org", wards=[CLAPHAM])
    consultation = closed_vote(ward_codes=(BRIXTON,))
    for person in (voter, quiet, digest):
        db.session.add(Participation(consultation_id=consultation.id, user_id=person.id))
    ballot = db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation.id)).first()
    ballot.voter_id = linked_voter.id
    db.session.add(Follow(user_id=follower.id, ward_id=consultation.wards[0].id))
    db.session.add(Follow(user_id=elsewhere.id, ward_id=db.session.merge(elsewhere).ward_id))
    notifications.set_frequency(db.session.merge(quiet), NotificationKind.PROGRESS, notifications.OFF)
    notifications.set_frequency(db.session.merge(digest), NotificationKind.PROGRESS, notifications.DAILY)
    db.session.commit()
    decision = decide(consultation)
    _post_update(decision)
    mailed = {m.to_address: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert set(mailed) == {"voter@example.org", "ballot@example.org", "follower@example.org"}
    told = {n.user_id for n in db.session.scalars(sa.select(Notification))}
    assert told == {voter.id, linked_voter.id, follower.id, digest.id}  # the digest waits for the day
    message = mailed["voter@example.org"]
    assert consultation.title in message.subject
    assert (
        f"/commissioning/{decision.id}" in message.body_text and "45 hours / 120 hours" in message.body_text
    )
    assert message.unsubscribe_url and "/unsubscribe/" in message.unsubscribe_url
    assert message.unsubscribe_url in message.body_text
