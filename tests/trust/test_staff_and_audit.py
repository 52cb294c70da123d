"""Staff administration, the audit log of every staff action, and staff who have not set up
two-factor sign-in being unable to act."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import AuditEntry, Flag, Role, User
from tests.deliberation_support import make_comment, make_proposal
from tests.support import Client


def test_every_staff_action_is_in_the_audit_log_with_who_when_and_where(app, make_user, wards):
    admin = make_user(role="admin", email="ada@example.org")
    resident = make_user(email="rita@example.org")
    client = Client(app)
    client.sign_in(admin)
    client.get(f"/admin/users/{resident.id}")
    response = client.post(
        f"/admin/users/{resident.id}/roles",
        {"role": "councillor", "ward": str(wards["E05014098"].id)},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 302
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "people.grant")).all()
    assert entry.actor_id == admin.id and entry.ip_address == "203.0.113.7"
    assert (entry.target_type, entry.target_id) == ("user", resident.id)
    assert '"status": 302' in entry.details and "password" not in entry.details
    db.session.expire_all()
    assert db.session.get(User, resident.id).role_names == ["councillor"]

    # Residents' own actions are not staff actions.
    other = make_user(email="other@example.org")
    resident_client = Client(app)
    resident_client.sign_in(other)
    resident_client.post("/language", {"lang": "pl"})
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.actor_id == other.id)) == 0
    )
    # Staff signing in is recorded too.
    assert "auth.second_factor" in set(db.session.scalars(sa.select(AuditEntry.action)))

    log = client.get("/admin/audit").get_data(as_text=True)
    assert "people.grant" in log and "203.0.113.7" in log


def test_the_audit_log_is_append_only(app, make_user):
    make_user(role="admin")
    from participate.audit import record

    record("test.action", None, details={"x": 1})
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry))
    entry.action = "changed"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(PermissionError):
        db.session.delete(db.session.scalar(sa.select(AuditEntry)))
        db.session.commit()
    db.session.rollback()


def test_only_admins_read_the_audit_log_and_grant_roles(app, make_user):
    target = make_user(email="target@example.org")
    for role, code in (("resident", 403), ("councillor", 403), ("officer", 403)):
        client = Client(app)
        client.sign_in(make_user(role=role))
        assert client.get("/admin/audit").status_code == code
        assert client.post(f"/admin/users/{target.id}/roles", {"role": "admin"}).status_code == 403
    anonymous = Client(app)
    assert anonymous.get("/admin/audit").status_code == 302
    assert db.session.get(User, target.id).role_names == []


def test_officers_confirm_residents_wards(app, make_user):
    officer = make_user(role="officer")
    resident = make_user(email="ward.check@example.org", verified=False)
    resident.email_verified_at = sa.func.now()
    db.session.commit()
    client = Client(app)
    client.sign_in(officer)
    found = client.get("/admin/users?q=WARD.CHECK").get_data(as_text=True)
    assert "ward.check@example.org" in found
    assert client.post(f"/admin/users/{resident.id}/verify-residency").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).residency_verified_by_id == officer.id


def test_an_admin_cannot_take_away_their_own_admin_role(app, make_user):
    admin = make_user(role="admin")
    client = Client(app)
    client.sign_in(admin)
    [grant] = admin.grants
    client.post(f"/admin/users/{admin.id}/roles/{grant.id}/revoke")
    db.session.expire_all()
    assert db.session.get(User, admin.id).role_names == ["admin"]


def test_staff_without_two_factor_cannot_moderate(app, make_user, wards):
    brixton = wards["E05014098"]
    author = make_user(email="author@example.org")
    proposal = make_proposal(author, brixton)
    comment = make_comment(author, proposal, body="A comment to moderate.")
    db.session.commit()
    unprepared = make_user(role="councillor", wards=["E05014098"], two_factor=False, email="c1@example.org")
    ready = make_user(role="councillor", wards=["E05014098"], email="c2@example.org")
    assert unprepared.holds_staff_role and not unprepared.is_councillor

    client = Client(app)
    client.sign_in(unprepared)
    assert client.get("/moderation/").status_code == 403
    refused = client.post(f"/moderation/comment/{comment.id}/hide", {"reason": "Abusive"})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(type(comment), comment.id).hidden_at is None

    client = Client(app)
    client.sign_in(ready)
    done = client.post(f"/moderation/comment/{comment.id}/hide", {"reason": "Abusive"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(comment), comment.id).hidden_at is not None
    assert Flag is not None and Role.COUNCILLOR in {g.role for g in ready.grants}


def test_an_admin_ends_a_residents_sessions_and_it_is_audited(app, make_user):
    admin = make_user(role="admin")
    resident = make_user(email="lost.phone@example.org", display_name="Rosa Parks")
    residents_browser = Client(app)
    residents_browser.sign_in(resident)
    assert residents_browser.get("/account/").status_code == 200
    client = Client(app)
    client.sign_in(admin)
    page = client.get(f"/admin/users/{resident.id}").get_data(as_text=True)
    assert f"/admin/users/{resident.id}/end-sessions" in page
    response = client.post(f"/admin/users/{resident.id}/end-sessions")
    assert response.status_code == 302
    client.get(response.headers["Location"])
    assert "Rosa Parks has been signed out everywhere" in client.last_html
    # The resident's browser still holds its cookie, and it no longer signs anybody in.
    assert residents_browser.get("/account/").status_code == 302
    # The admin's own session is untouched.
    assert client.get(f"/admin/users/{resident.id}").status_code == 200
    ended = sa.select(AuditEntry).where(AuditEntry.action == "people.end_sessions")
    [entry] = db.session.scalars(ended).all()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "user", resident.id)


def test_only_admins_end_someone_elses_sessions_and_only_with_a_csrf_token(app, make_user):
    target = make_user(email="target@example.org")
    version = target.session_version
    targets_browser = Client(app)
    targets_browser.sign_in(target)
    for role in ("resident", "councillor", "officer"):
        client = Client(app)
        client.sign_in(make_user(role=role))
        client.get("/")
        assert client.post(f"/admin/users/{target.id}/end-sessions").status_code == 403
    admin = Client(app)
    admin.sign_in(make_user(role="admin"))
    admin.get(f"/admin/users/{target.id}")
    assert admin.post(f"/admin/users/{target.id}/end-sessions", csrf=False).status_code == 400
    assert targets_browser.get("/account/").status_code == 200, "a refused request ended the sessions"
    db.session.expire_all()
    assert db.session.get(User, target.id).session_version == version
