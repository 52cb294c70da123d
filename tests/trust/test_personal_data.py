"""Votes as special-category data, and personal data rights: certification cuts the voter–ballot
link (the recount still matches), a resident downloads everything held about them, and erasure
leaves no personal data in any table while contributions and counted ballots stay."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa

from participate.extensions import db
from participate.models import (
    Ballot,
    Base,
    Comment,
    Consultation,
    Participation,
    User,
    utcnow,
)
from participate.services import champions, events, groups
from tests.deliberation_support import make_comment, make_proposal
from tests.support import ROOT
from tests.voting.conftest import close, option_ids
from tests.voting.test_recount import _whole_board_json


def _cast(client, consultation, approve):
    client.get(f"/consultations/{consultation.id}/ballot")
    response = client.post(
        f"/consultations/{consultation.id}/ballot",
        {"consultation": consultation.id, "approve": [str(a) for a in approve], "action": "cast"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_certifying_a_result_unlinks_every_ballot_yet_the_recount_still_matches(
    app, client, make_consultation, make_voter, make_user, tmp_path
):
    consultation = make_consultation(options=3)
    a, b, c = option_ids(consultation)
    voters = [make_voter(email=f"v{i}@example.org") for i in range(4)]
    for i, person in enumerate(voters):
        from tests.support import Client

        browser = Client(app)
        browser.sign_in(person)
        _cast(browser, consultation, [a, b] if i % 2 else [c])
    consultation = close(consultation)
    before = client.get(f"/api/v1/consultations/{consultation.id}/results").json

    resident = make_voter(email="not.staff@example.org")
    client.sign_in(resident)
    assert client.post(f"/consultations/{consultation.id}/certify").status_code == 403
    client.sign_out()
    unprepared = make_user(role="officer", two_factor=False, email="no.2fa@example.org")
    client.sign_in(unprepared)
    assert client.post(f"/consultations/{consultation.id}/certify").status_code == 403
    client.sign_out()

    officer = make_user(role="officer", email="certifier@example.org")
    client.sign_in(officer)
    assert client.post(f"/consultations/{consultation.id}/certify").status_code == 302
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert consultation.certified_at is not None
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation.id)).all()
    assert len(ballots) == 4 and all(b.voter_id is None for b in ballots)
    took_part = set(db.session.scalars(sa.select(Participation.user_id)))
    assert {v.id for v in voters} <= took_part
    # Nothing else ties a voter to a ballot: no column of any table holds both.
    for person in voters:
        assert person.id not in {b.voter_id for b in ballots}
    assert client.post(f"/consultations/{consultation.id}/certify").status_code == 403  # once only

    after = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    assert after["options"] == before["options"] and after["ballots"] == before["ballots"] == 4
    # The bulletin board alone still gives the certified result.
    board = tmp_path / "board.json"
    board.write_text(json.dumps(_whole_board_json(client, consultation)))
    recount = subprocess.run(
        [sys.executable, "tools/recount.py", str(board)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert recount.returncode == 0, recount.stderr
    counted = json.loads(recount.stdout)
    assert counted["ballots"] == 4
    assert [(o["id"], o["votes"]) for o in counted["options"]] == [
        (o["id"], o["votes"]) for o in after["options"]
    ]


def _a_full_life(app, client, make_consultation, make_voter, make_user, wards):
    """A resident who proposes, comments, joins a group, goes to an event and votes."""
    person = make_voter(email="amara.osei@example.org", name="Amara Osei", postcode="SW2 1RW")
    person.postcode = "SW2 1RW"
    proposal = make_proposal(person, wards["E05014098"], title="A safe place for teenagers")
    make_comment(person, proposal, body="I can help run it on Fridays.")
    organiser = make_user(email="org@example.org")
    profile = champions.answer_open_call(
        organiser, ward=wards["E05014098"], statement="Food growing", interests=[], availability=None,
        is_public=True, may_contact=True,
    )  # fmt: skip
    group = groups.start_group(
        organiser, profile, name="Effra growers", focus="food_growing", wards=[wards["E05014098"]],
        description="We grow food.", meeting_place="The garden",
    )  # fmt: skip
    groups.join_group(person, group, is_public=False)
    event = events.schedule_event(
        organiser, group, title="Planting day", starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=2), place="The garden", description="", capacity=1,
    )  # fmt: skip
    events.rsvp(person, event)
    waiting = make_user(email="waiting@example.org")
    events.rsvp(waiting, event)
    db.session.commit()
    consultation = make_consultation(options=2)
    client.sign_in(person)
    _cast(client, consultation, option_ids(consultation)[:1])
    return person, proposal, group, event, consultation


def test_a_resident_downloads_everything_held_about_them(
    app, client, make_consultation, make_voter, make_user, wards
):
    person, proposal, group, event, consultation = _a_full_life(
        app, client, make_consultation, make_voter, make_user, wards
    )
    page = client.get("/account/data")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    response = client.get("/account/data.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "amara.osei@example.org"
    assert "password_hash" not in data["account"] and "totp_secret" not in data["account"]
    assert [p["title"] for p in data["outcome_proposals"]] == ["A safe place for teenagers"]
    assert any(c["body"] == "I can help run it on Fridays." for c in data["comments"])
    assert [m["group_id"] for m in data["memberships"]] == [group.id]
    assert [r["event_id"] for r in data["rsvps"]] == [event.id]
    [ballot] = data["ballots"]
    assert ballot["consultation_id"] == consultation.id and len(ballot["entries"]) == 1
    assert ballot["receipt"] in page.get_data(as_text=True)


def _every_string(exclude_table=None):
    for table in Base.metadata.sorted_tables:
        string_columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        if not string_columns:
            continue
        for row in db.session.execute(sa.select(*string_columns)).all():
            for column, value in zip(string_columns, row, strict=True):
                if value:
                    yield table.name, column.name, value


def test_erasure_leaves_no_personal_data_in_any_table_and_keeps_contributions(
    app, client, make_consultation, make_voter, make_user, wards
):
    person, proposal, group, event, consultation = _a_full_life(
        app, client, make_consultation, make_voter, make_user, wards
    )
    person_id = person.id
    client.get("/account/erase")
    wrong = client.post("/account/erase", {"current_password": "not my password"})
    assert "Your current password is not right" in wrong.get_data(as_text=True)
    assert (
        client.post("/account/erase", {"current_password": "correct horse battery staple"}).status_code == 302
    )
    assert client.get("/account/").status_code == 302, "signed out"

    db.session.expire_all()
    personal = ["amara.osei@example.org", "Amara Osei", "SW2 1RW"]
    leaks = [(t, c) for t, c, v in _every_string() if any(p.lower() in str(v).lower() for p in personal)]
    assert leaks == []
    row = db.session.get(User, person_id)
    for column in ("email", "password_hash", "postcode", "ward_id", "totp_secret", "last_sign_in_at"):
        assert getattr(row, column) is None, column
    assert row.display_name == "" and row.erased_at is not None
    # No row about the person remains, only rows of what they wrote.
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys) and table.name != "users":
                count = db.session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(column == person_id)
                )
                if count:
                    assert table.name in {"outcome_proposals", "comments", "supports", "options"}, table.name
    # What they wrote stays, under "former resident"; their ballot stays counted, linked to nobody.
    assert db.session.scalar(sa.select(sa.func.count(Comment.id)).where(Comment.author_id == person_id)) == 1
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "A safe place for teenagers" in page and "former resident" in page
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation.id)).all()
    assert len(ballots) == 1 and ballots[0].voter_id is None
    # The place they held at the event went to the first person waiting.
    from participate.models import Rsvp

    statuses = dict(
        db.session.execute(sa.select(Rsvp.user_id, Rsvp.status).where(Rsvp.event_id == event.id)).all()
    )
    assert list(statuses.values()) == ["going"]


def test_purge_removes_accounts_never_confirmed_after_30_days(app, runner, make_user):
    old = make_user(email="old.unverified@example.org", verified=False)
    old.created_at = utcnow() - timedelta(days=31)
    recent = make_user(email="new.unverified@example.org", verified=False)
    kept = make_user(email="confirmed@example.org")
    kept.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "1 unverified accounts removed" in result.output
    emails = set(db.session.scalars(sa.select(User.email)))
    assert emails == {recent.email, kept.email}
