"""A user's own account: profile, details, email change (re-verified) and password change."""

from __future__ import annotations

import sqlalchemy as sa

from participate.extensions import db
from participate.models import OutboxMessage, User
from participate.services.mail import send_due
from tests.support import PASSWORD, Client, links_in


def test_profile_needs_signing_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_profile_shows_what_the_platform_holds(client, make_user):
    user = make_user(role="councillor", wards=["E05014098", "E05014101"], name="Cllr Bea")
    client.sign_in(user)
    html = client.get("/account/").get_data(as_text=True)
    assert "Cllr Bea" in html and user.email in html
    assert "Councillor for Brixton Windrush" in html and "Councillor for Clapham Park" in html


def test_change_details_keeps_input_on_error_and_saves_when_valid(client, make_user, wards):
    user = make_user()
    client.sign_in(user)
    client.get("/account/details")
    bad = client.post(
        "/account/details",
        {"display_name": "New Name", "postcode": "nope", "ward": str(wards["E05014101"].id), "locale": "es"},
    )
    assert "Enter a real postcode" in bad.get_data(as_text=True)
    assert 'value="New Name"' in bad.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name != "New Name"
    ok = client.post(
        "/account/details",
        {
            "display_name": "New Name",
            "postcode": "se11 5qy",
            "ward": str(wards["E05014101"].id),
            "locale": "es",
        },
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.postcode, user.ward.code, user.locale) == (
        "New Name",
        "SE11 5QY",
        "E05014101",
        "es",
    )
    # Moving ward drops the council's confirmation of residence.
    assert user.residency_verified_at is None


def test_change_email_is_confirmed_from_the_new_address(app, client, make_user, smtp_server):
    user = make_user(email="old@example.org")
    client.sign_in(user)
    client.get("/account/email")
    wrong = client.post("/account/email", {"email": "new@example.org", "current_password": "nope"})
    assert "Your current password is not right" in wrong.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0

    client.post("/account/email", {"email": "New@Example.org", "current_password": PASSWORD})
    db.session.refresh(user)
    assert user.email == "old@example.org", "the address changes only once confirmed"
    app.config.update(smtp_server.config())
    send_due()
    [mail] = smtp_server.to("new@example.org")
    [link] = [u for u in links_in(mail.body) if "/email/confirm/" in u]
    path = link.split("localhost", 1)[1]
    assert client.post(path).status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.org" and user.email_verified_at is not None
    # The same link cannot be used twice.
    assert client.post(path).status_code == 400


def test_change_email_to_a_taken_address_warns_its_owner_and_changes_nothing(app, client, make_user):
    user = make_user(email="mine@example.org")
    make_user(email="theirs@example.org")
    client.sign_in(user)
    client.get("/account/email")
    response = client.post("/account/email", {"email": "theirs@example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    [message] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert message.to_address == "theirs@example.org" and message.kind == "email-taken"
    db.session.refresh(user)
    assert user.email == "mine@example.org"


def test_change_password_signs_out_other_sessions_but_not_this_one(app, client, make_user):
    user = make_user()
    other = Client(app)
    other.sign_in(user)
    client.sign_in(user)
    client.get("/account/password")
    weak = client.post("/account/password", {"current_password": PASSWORD, "password": "tooshort"})
    assert "at least 12 characters" in weak.get_data(as_text=True)
    done = client.post(
        "/account/password", {"current_password": PASSWORD, "password": "a completely new passphrase"}
    )
    assert done.status_code == 302
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    db.session.refresh(user)
    assert user.session_version == 2


def test_remember_me_keeps_a_session_and_a_new_password_ends_it(app, make_user):
    user = make_user()
    client = Client(app)
    client.get("/sign-in")
    client.post("/sign-in", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.http.get_cookie("remember_token") is not None
    # Drop the session cookie: the remember cookie alone signs the browser in again.
    client.http.delete_cookie("session")
    assert client.get("/account/").status_code == 200
    from participate.services import accounts

    accounts.set_password(db.session.get(User, user.id), "yet another long passphrase")
    db.session.commit()
    client.http.delete_cookie("session")
    assert client.get("/account/").status_code == 302


def test_password_hash_is_argon2id_and_upgraded_when_parameters_change(app, client, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    old = user.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    client.sign_in(user)
    db.session.refresh(user)
    assert user.password_hash != old and "t=2" in user.password_hash
