"""Two-factor sign-in, staff roles that need it, session rotation, time-outs and signing out everywhere."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from participate.extensions import db
from participate.models import RecoveryCode, User
from tests.support import PASSWORD, Client


def _enable(client, user):
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret" lang="en">([A-Z2-7]+)</code>', page).group(1)
    assert "<svg" in page  # the QR code, drawn on the server
    wrong = client.post("/account/two-factor", {"code": "000000"})
    assert "The code is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_resident_turns_on_two_factor_and_then_needs_a_code(client, make_user):
    user = make_user()
    client.sign_in(user)
    secret, codes = _enable(client, user)
    client.sign_out()

    client.get("/sign-in")
    first = client.post("/sign-in", {"email": user.email, "password": PASSWORD})
    assert first.headers["Location"].endswith("/sign-in/two-factor")
    assert client.get("/account/").status_code == 302, "the password alone must not sign in"
    client.get("/sign-in/two-factor")
    assert client.post("/sign-in/two-factor", {"code": "123456"}).status_code == 200
    # The code that turned two-factor on was this time step's: a new code is the next one.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/sign-in/two-factor", {"code": code}).status_code == 302
    assert client.get("/account/").status_code == 200

    # The same code cannot be used twice (a replay).
    other = Client(client.app)
    other.get("/sign-in")
    other.post("/sign-in", {"email": user.email, "password": PASSWORD})
    other.get("/sign-in/two-factor")
    replay = other.post("/sign-in/two-factor", {"code": code})
    assert replay.status_code == 200 and "The code is not right" in replay.get_data(as_text=True)
    # A recovery code works once.
    assert other.post("/sign-in/two-factor", {"code": codes[0].upper()}).status_code == 302
    used = db.session.scalars(sa.select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 1


def test_a_recovery_code_works_only_once(app, make_user):
    user = make_user(two_factor=True)
    code = user.recovery_codes[0]
    first, second = Client(app), Client(app)
    for client in (first, second):
        client.get("/sign-in")
        client.post("/sign-in", {"email": user.email, "password": PASSWORD})
        client.get("/sign-in/two-factor")
    assert first.post("/sign-in/two-factor", {"code": code}).status_code == 302
    assert second.post("/sign-in/two-factor", {"code": code}).status_code == 200


def test_staff_roles_work_only_with_two_factor(make_user):
    officer = make_user(role="officer", two_factor=False)
    assert officer.holds_staff_role and not officer.is_officer and not officer.is_staff
    councillor = make_user(role="councillor", wards=["E05014098"])
    assert councillor.is_councillor and councillor.councillor_ward_ids


def test_staff_without_two_factor_are_told_to_set_it_up_and_cannot_turn_it_off(client, make_user):
    officer = make_user(role="officer", two_factor=False)
    client.sign_in(officer)
    assert "set up two-factor sign-in" in client.get("/").get_data(as_text=True)
    secret, _codes = _enable(client, officer)
    db.session.refresh(officer)
    assert officer.is_officer
    client.post("/account/two-factor/off")
    db.session.refresh(officer)
    assert officer.has_two_factor


def test_signing_in_starts_a_new_session(app, make_user):
    user = make_user()
    client = Client(app)
    client.get("/sign-in")
    with client.http.session_transaction() as sess:
        sess["planted"] = "by someone else"
    before = client.csrf_token()
    client.post("/sign-in", {"email": user.email, "password": PASSWORD})
    with client.http.session_transaction() as sess:
        assert "planted" not in sess
    client.get("/")
    assert client.csrf_token() != before


def test_staff_sessions_time_out_after_30_minutes_idle_and_12_hours(app, make_user):
    officer = make_user(role="officer")
    client = Client(app)
    client.sign_in(officer)
    assert client.get("/account/").status_code == 200
    with client.http.session_transaction() as sess:
        sess["seen_at"] = int(time.time()) - 31 * 60
    response = client.get("/account/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]

    client.sign_in(officer)
    with client.http.session_transaction() as sess:
        sess["signed_in_at"] = int(time.time()) - 12 * 3600 - 1
    assert client.get("/account/").status_code == 302


def test_residents_sessions_do_not_time_out_like_staff(app, make_user):
    resident = make_user()
    client = Client(app)
    client.sign_in(resident)
    with client.http.session_transaction() as sess:
        sess["seen_at"] = int(time.time()) - 31 * 60
    assert client.get("/account/").status_code == 200


def test_staff_are_never_remembered(app, make_user):
    officer = make_user(role="officer")
    client = Client(app)
    client.get("/sign-in")
    client.post("/sign-in", {"email": officer.email, "password": PASSWORD, "remember": "y"})
    client.get("/sign-in/two-factor")
    client.post("/sign-in/two-factor", {"code": officer.recovery_codes.pop()})
    assert client.http.get_cookie("remember_token") is None


def test_sign_out_everywhere_ends_every_session(app, make_user):
    user = make_user()
    phone, laptop = Client(app), Client(app)
    phone.sign_in(user)
    laptop.sign_in(user)
    response = laptop.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert phone.get("/account/").status_code == 302
    assert laptop.get("/account/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == 2


def _codes_of(user_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user_id)))


def test_turning_two_factor_off_needs_the_current_password(app, make_user):
    user = make_user(two_factor=True)
    client, other = Client(app), Client(app)
    other.sign_in(user)
    client.sign_in(user)
    page = client.get("/account/two-factor/off").get_data(as_text=True)
    # Asks for the password; offers to sign out the other devices, ticked to begin with.
    assert 'name="current_password"' in page
    assert re.search(r'<input [^>]*\bchecked id="sign_out_elsewhere"', page)

    # Without the password, then with a wrong one: refused, explained, nothing changed, the box kept.
    missing = client.post("/account/two-factor/off", {"sign_out_elsewhere": "y"})
    assert missing.status_code == 200 and "Enter your current password" in missing.get_data(as_text=True)
    assert re.search(r'\bchecked id="sign_out_elsewhere"', missing.get_data(as_text=True)), (
        "the ticked box kept"
    )
    wrong = client.post("/account/two-factor/off", {"current_password": "not my password at all"})
    text = wrong.get_data(as_text=True)
    assert "Your current password is not right" in text and "not my password at all" not in text
    assert re.search(r'<input [^>]*id="sign_out_elsewhere"', text), "the box is still offered"
    assert not re.search(r'\bchecked id="sign_out_elsewhere"', text), "the unticked box stays unticked"
    db.session.expire_all()
    assert db.session.get(User, user.id).has_two_factor and len(_codes_of(user.id)) == 10
    assert other.get("/account/").status_code == 200

    done = client.post("/account/two-factor/off", {"current_password": PASSWORD, "sign_out_elsewhere": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/account/")
    db.session.expire_all()
    assert not db.session.get(User, user.id).has_two_factor and _codes_of(user.id) == set()
    # This browser stays signed in; the other device is signed out.
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302


def test_replacing_recovery_codes_needs_the_current_password(app, make_user):
    user = make_user(two_factor=True)
    client, other = Client(app), Client(app)
    other.sign_in(user)
    client.sign_in(user)
    before = _codes_of(user.id)
    client.get("/account/two-factor/recovery-codes")
    missing = client.post("/account/two-factor/recovery-codes", {})
    assert "Enter your current password" in missing.get_data(as_text=True)
    wrong = client.post("/account/two-factor/recovery-codes", {"current_password": "a wrong password!"})
    assert "Your current password is not right" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert _codes_of(user.id) == before

    # The right password, keeping the other device signed in.
    done = client.post("/account/two-factor/recovery-codes", {"current_password": PASSWORD})
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10
    db.session.expire_all()
    after = _codes_of(user.id)
    assert len(after) == 10 and not after & before
    assert other.get("/account/").status_code == 200
    assert client.get("/account/").status_code == 200


def test_replacing_recovery_codes_can_sign_out_the_other_devices(app, make_user):
    user = make_user(two_factor=True)
    client, other = Client(app), Client(app)
    other.sign_in(user)
    client.sign_in(user)
    client.get("/account/two-factor/recovery-codes")
    done = client.post(
        "/account/two-factor/recovery-codes", {"current_password": PASSWORD, "sign_out_elsewhere": "y"}
    )
    assert done.status_code == 200 and "Other devices have been signed out." in done.get_data(as_text=True)
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302


def test_staff_cannot_turn_two_factor_off_even_with_their_password(app, make_user):
    officer = make_user(role="officer")
    client = Client(app)
    client.sign_in(officer)
    assert "/account/two-factor/off" not in client.get("/account/two-factor").get_data(as_text=True)
    response = client.post(
        "/account/two-factor/off", {"current_password": PASSWORD, "sign_out_elsewhere": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).has_two_factor
