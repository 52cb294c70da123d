"""Registration, email verification, sign-in and password reset, end to end over real SMTP."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from participate import tokens
from participate.extensions import db
from participate.models import OutboxMessage, User
from participate.services.mail import send_due
from tests.support import PASSWORD, links_in

GOOD = {
    "email": "Amara.Osei@Example.org",
    "display_name": "Amara O.",
    "password": "brixton market on saturday",
    "postcode": "sw2 1rw",
    "locale": "en",
}


def form(wards, **changes):
    data = {**GOOD, "ward": str(wards["E05014098"].id)}
    data.update(changes)
    return data


def deliver(app, smtp_server):
    """Run the outbox worker against the loopback SMTP server."""
    app.config.update(smtp_server.config())
    return send_due()


def counts():
    return (
        db.session.scalar(sa.select(sa.func.count(User.id))),
        db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))),
    )


def test_register_verify_sign_in_and_out_over_real_smtp(app, client, wards, smtp_server):
    client.get("/register")
    response = client.post("/register", form(wards))
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)

    assert deliver(app, smtp_server)["sent"] == 1
    [mail] = smtp_server.to("amara.osei@example.org")
    assert mail.subject == "Confirm your email address"
    [link] = [u for u in links_in(mail.body) if "/verify/" in u]

    user = db.session.scalar(sa.select(User).where(User.email == "amara.osei@example.org"))
    assert user.postcode == "SW2 1RW" and user.ward.code == "E05014098"
    assert user.email_verified_at is None

    path = link.split("localhost", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Confirm my email address" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at is None, "opening the link (a GET) must change nothing"
    assert client.post(path).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None

    client.sign_out()
    assert client.get("/account/").status_code == 302
    client.get("/sign-in")
    signed_in = client.post("/sign-in", {"email": "AMARA.OSEI@example.org", "password": GOOD["password"]})
    assert signed_in.status_code == 302
    profile = client.get("/account/")
    assert profile.status_code == 200 and "amara.osei@example.org" in profile.get_data(as_text=True)
    client.sign_out()
    assert client.get("/account/").status_code == 302


def test_password_reset_over_real_smtp(app, client, make_user, smtp_server):
    user = make_user(email="reset.me@example.org")
    client.get("/reset")
    response = client.post("/reset", {"email": "Reset.Me@example.org"})
    assert "If <strong>Reset.Me@example.org</strong>" in response.get_data(as_text=True)
    deliver(app, smtp_server)
    [mail] = smtp_server.to("reset.me@example.org")
    [link] = [u for u in links_in(mail.body) if "/reset/" in u]
    path = link.split("localhost", 1)[1]

    assert client.get(path).status_code == 200
    new_password = "four unrelated garden words"
    assert client.post(path, {"password": new_password}).status_code == 302
    # The link works once: the password it was made for has changed.
    again = client.post(path, {"password": "another long passphrase here"})
    assert again.status_code == 400 and "not valid" in again.get_data(as_text=True)

    client.get("/sign-in")
    assert client.post("/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/sign-in", {"email": user.email, "password": new_password}).status_code == 302


def test_reset_answers_the_same_whether_or_not_the_address_exists(client, make_user):
    make_user(email="known@example.org")
    client.get("/reset")
    known = client.post("/reset", {"email": "known@example.org"}).get_data(as_text=True)
    client.get("/reset")
    unknown = client.post("/reset", {"email": "nobody@example.org"}).get_data(as_text=True)
    strip = lambda html: html.replace("known@example.org", "X").replace("nobody@example.org", "X")  # noqa: E731
    # Only the CSRF token in the footer differs between the two pages.
    import re

    token = re.compile(r'name="csrf_token" value="[^"]+"')
    assert token.sub("", strip(known)) == token.sub("", strip(unknown))
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_sign_in_answers_the_same_whether_or_not_the_address_exists(client, make_user):
    user = make_user()
    client.get("/sign-in")
    wrong = client.post("/sign-in", {"email": user.email, "password": "not the password at all"})
    client.get("/sign-in")
    unknown = client.post("/sign-in", {"email": "nobody@example.org", "password": "whatever it is"})
    assert wrong.status_code == unknown.status_code == 200
    message = "The email address or password is not right."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


BAD_REGISTRATIONS = [
    (
        "duplicate email in another letter case",
        {"email": "TAKEN@example.ORG"},
        "email",
        "An account with this email address already exists. Sign in, or reset your password.",
    ),
    (
        "password too short",
        {"password": "short pass"},
        "password",
        "Password must be at least %(n)s characters long",
    ),
    (
        "common password",
        {"password": "passwordpassword"},
        "password",
        "This password is too easy to guess: it is a common password or a simple pattern. "
        "Try a few unrelated words.",
    ),
    ("unknown ward", {"ward": "999999"}, "ward", "Select a ward from the list"),
    ("ward that is not a number", {"ward": "Brixton"}, "ward", "Select a ward from the list"),
    ("malformed postcode", {"postcode": "SW2 1R"}, "postcode", "Enter a real postcode, like SW2 1RW"),
    (
        "not an email",
        {"email": "amara@"},
        "email",
        "Enter an email address in the correct format, like name@example.com",
    ),
    ("empty name", {"display_name": "  "}, "display_name", "Enter the name to show next to what you write"),
]


@pytest.mark.parametrize("lang", ["en", "pl"])
@pytest.mark.parametrize(
    ("case", "changes", "field", "msgid"), BAD_REGISTRATIONS, ids=[c[0] for c in BAD_REGISTRATIONS]
)
def test_bad_registration_is_refused_with_a_translated_message_and_keeps_what_was_typed(
    app, client, wards, make_user, lang, case, changes, field, msgid
):
    make_user(email="taken@example.org")
    before = counts()
    client.get(f"/register?lang={lang}")
    data = form(wards, **changes)
    response = client.post(f"/register?lang={lang}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    with force_locale(lang):
        expected = gettext(msgid, n=12) if "%(n)s" in msgid else gettext(msgid)
    if lang != "en":
        assert expected != msgid, f"{msgid!r} is not translated into {lang}"
    assert expected.replace("'", "&#39;") in html
    assert 'class="error-summary"' in html
    # What was typed is kept, except the password.
    for name in ("display_name", "postcode"):
        if data[name].strip():
            assert f'value="{data[name]}"' in html
    assert data["password"] not in html
    assert counts() == before


def test_registration_without_csrf_token_is_refused_keeps_input_and_changes_nothing(client, wards):
    before = counts()
    client.get("/register")
    for token in (False, "forged-token"):
        response = client.post("/register", form(wards), csrf=token)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "This form had expired or did not come from this site" in html
        assert 'value="Amara O."' in html
    assert counts() == before


def test_registration_honeypot_quietly_refuses_bots(client, wards):
    before = counts()
    client.get("/register")
    response = client.post("/register", form(wards, website="http://spam.example"))
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert counts() == before


def _verify_path(user):
    return "/verify/" + tokens.make("verify", {"uid": user.id, "email": user.email})


def test_tampered_verification_link_is_refused_and_changes_nothing(app, client, make_user):
    user = make_user(verified=False)
    with app.test_request_context():
        path = _verify_path(user)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    page = client.get(tampered)
    assert "This link is not valid" in page.get_data(as_text=True)
    response = client.post(tampered)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_expired_verification_link_is_refused_in_polish(app, client, make_user):
    user = make_user(verified=False)
    with app.test_request_context():
        path = _verify_path(user)
    app.config["VERIFY_LINK_MAX_AGE"] = 1
    time.sleep(2.1)
    response = client.post(path + "?lang=pl", {})
    assert response.status_code == 400
    with force_locale("pl"):
        expected = gettext("This link has expired.")
    assert expected != "This link has expired."
    assert expected in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_verification_link_for_an_old_address_is_refused(app, client, make_user):
    user = make_user(verified=False)
    with app.test_request_context():
        path = _verify_path(user)
    user.email = "moved@example.org"
    db.session.commit()
    assert client.post(path).status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None
