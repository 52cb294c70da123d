"""Hardening the review of OWASP ASVS 5.0 relies on: password rules, request limits, signing out,
and the security events written to the log."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from participate.extensions import db, limiter
from participate.models import User
from tests.support import PASSWORD, Client

SECURITY_LOG = "participate.security"


def _register(client, wards, password):
    client.get("/register")
    return client.post(
        "/register",
        {
            "email": "long.password@example.org",
            "display_name": "Long Password",
            "password": password,
            "postcode": "SW2 1RW",
            "ward": str(wards["E05014098"].id),
            "locale": "en",
        },
    )


def test_a_password_of_64_characters_and_any_composition_is_accepted_and_checked_exactly(app, wards):
    # 64 characters and more, spaces, punctuation and letters from any script: no composition rules.
    password = "Ein Kiez, zwei Häuser: ñandú و كتاب — 2024 ✓ " + "and a little more to reach far"
    assert len(password) >= 64
    client = Client(app)
    assert _register(client, wards, password).status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == "long.password@example.org"))
    assert user is not None
    client.sign_out()
    for altered in (password[:64], password.upper(), password.strip() + "  ", password[:-1]):
        other = Client(app)
        other.get("/sign-in")
        refused = other.post("/sign-in", {"email": user.email, "password": altered})
        assert refused.status_code == 200, f"an altered password signed in: {altered!r}"
    other = Client(app)
    other.get("/sign-in")
    assert other.post("/sign-in", {"email": user.email, "password": password}).status_code == 302


def test_a_common_password_or_one_made_of_the_users_own_details_is_refused(app, wards):
    client = Client(app)
    for weak in ("password12345", "long.password@example.org", "Long Password 1"):
        page = _register(client, wards, weak)
        assert "too easy to guess" in page.get_data(as_text=True), weak
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_password_made_of_the_councils_own_words_is_refused(app, wards):
    # The council's name, the service's name and ward names, with a year or a number: easy to guess
    # for anyone who knows where the account is, though zxcvbn alone scores them as strong.
    client = Client(app)
    for weak in ("Lambeth participate 2026", "Stockwell Lambeth 2026", "brixtonhill-council-99"):
        page = _register(client, wards, weak)
        assert "too easy to guess" in page.get_data(as_text=True), weak
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    # A ward's name among a few unrelated words is fine.
    page = _register(client, wards, "Stockwell marmalade tugboat quietly")
    assert "too easy to guess" not in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_a_request_larger_than_a_mebibyte_is_refused_before_it_is_read(client):
    client.get("/sign-in")
    response = client.post("/sign-in", {"email": "a@example.org", "password": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_the_trace_method_is_not_supported(client):
    assert client.request("TRACE", "/").status_code == 405
    assert client.request("TRACE", "/sign-in").status_code == 405


def test_signing_out_starts_a_new_session_and_asks_the_browser_to_forget_its_copies(client, make_user):
    client.sign_in(make_user())
    client.post("/language", {"lang": "pl"})
    token_before = client.csrf_token()
    response = client.sign_out()
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/account/").status_code == 302
    page = client.get("/")
    assert 'lang="pl"' in page.get_data(as_text=True), "the chosen language is kept"
    assert client.csrf_token() != token_before, "the old session's CSRF token was kept"


def test_sign_ins_refusals_and_sign_outs_are_logged_without_secrets(client, make_user, caplog):
    user = make_user()
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    client.get("/sign-in")
    client.post("/sign-in", {"email": user.email, "password": "not the password at all"})
    client.post("/sign-in", {"email": "nobody@example.org", "password": "not the password at all"})
    client.sign_in(user)
    client.sign_out()
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == SECURITY_LOG]
    messages = [m for _, m in lines]
    assert messages[0].startswith(f"sign-in-refused user={user.id} method='password' ip='127.0.0.1'")
    assert messages[1].startswith("sign-in-refused user=None")
    assert messages[2].startswith(f"sign-in user={user.id} method='password' two_factor=False")
    assert messages[3].startswith(f"sign-out user={user.id}")
    assert [level for level, _ in lines[:2]] == [logging.WARNING, logging.WARNING]
    for message in messages:
        assert user.email not in message and PASSWORD not in message and "not the password" not in message


def test_a_wrong_second_factor_code_is_logged(client, make_user, caplog):
    user = make_user(two_factor=True)
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    client.get("/sign-in")
    client.post("/sign-in", {"email": user.email, "password": PASSWORD})
    client.get("/sign-in/two-factor")
    client.post("/sign-in/two-factor", {"code": "000000"})
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    assert any(m.startswith(f"second-factor-refused user={user.id} method='password'") for m in messages)


def test_refused_access_and_a_missing_csrf_token_are_logged(client, make_user, caplog):
    resident = make_user()
    client.sign_in(resident)
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/sign-out", csrf=False).status_code == 400
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    refused = f"access-refused user={resident.id} endpoint='people.audit' request_method='GET'"
    assert any(m.startswith(refused) for m in messages), messages
    assert any(m.startswith(f"csrf-refused user={resident.id}") for m in messages)


def test_rate_limit_refusals_are_logged_without_the_address_tried(make_app, caplog):
    limited = make_app(RATELIMIT_ENABLED=True, SIGN_IN_LIMIT="2 per minute")
    limiter.reset()
    try:
        caplog.set_level(logging.INFO, logger=SECURITY_LOG)
        client = Client(limited)
        client.get("/sign-in")
        codes = [
            client.post("/sign-in", {"email": "tried@example.org", "password": "a guess"}).status_code
            for _ in range(3)
        ]
    finally:
        limiter.reset()
    assert codes == [200, 200, 429]
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    refused = [m for m in messages if m.startswith("rate-limit-refused")]
    assert refused == [
        "rate-limit-refused user=None endpoint='auth.sign_in' request_method='POST' ip='127.0.0.1'"
    ]
    assert not any("tried@example.org" in m or "a guess" in m for m in messages)


def test_a_filled_honeypot_is_logged_once_without_what_was_typed(client, wards, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    client.get("/register")
    response = client.post(
        "/register",
        {
            "email": "bot@example.org",
            "display_name": "Bot",
            "password": "a fine long passphrase for a bot",
            "postcode": "SW2 1RW",
            "ward": str(wards["E05014098"].id),
            "locale": "en",
            "website": "http://spam.example",
        },
    )
    assert "Check your email" in response.get_data(as_text=True)
    records = [r for r in caplog.records if r.name == SECURITY_LOG]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.WARNING, "honeypot-refused user=None endpoint='auth.register' ip='127.0.0.1'")
    ]


def test_a_log_line_cannot_be_forged_through_what_a_visitor_sends(app, caplog):
    from participate.login import log_event

    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        log_event("sign-in-refused", None, endpoint="x\nsign-in user=1")
    [message] = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    assert "\n" not in message and message.startswith("sign-in-refused user=None endpoint='x\\n")


def test_changing_the_password_or_the_email_needs_the_current_password(client, make_user):
    user = make_user()
    client.sign_in(user)
    old_hash, old_email = user.password_hash, user.email
    client.get("/account/password")
    wrong = {"current_password": "not my password at all", "password": "a completely new passphrase"}
    assert client.post("/account/password", wrong).status_code == 200
    client.get("/account/email")
    client.post("/account/email", {"current_password": "not my password at all", "email": "new@example.org"})
    db.session.refresh(user)
    assert (user.password_hash, user.email, user.session_version) == (old_hash, old_email, 1)
    assert client.get("/account/").status_code == 200


def _refused_sign_in_ip(app, caplog, forwarded_for):
    client = Client(app)
    client.get("/sign-in")
    caplog.clear()
    client.post(
        "/sign-in",
        {"email": "nobody@example.org", "password": "not the password"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    [message] = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOG]
    return message.rsplit("ip=", 1)[1]


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(make_app, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    direct = make_app(TRUSTED_PROXIES=0, RATELIMIT_ENABLED=False)
    assert _refused_sign_in_ip(direct, caplog, "203.0.113.9") == "'127.0.0.1'"
    # Behind one proxy, only the address that proxy added counts, not one the visitor sent ahead.
    proxied = make_app(TRUSTED_PROXIES=1, RATELIMIT_ENABLED=False)
    assert _refused_sign_in_ip(proxied, caplog, "198.51.100.7, 203.0.113.9") == "'203.0.113.9'"


def test_an_unexpected_error_shows_a_plain_page_without_details(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    assert app.debug is False, "debug mode is never on unless FLASK_DEBUG asks for it"

    @app.get("/fails-for-the-test")
    def fails():
        raise RuntimeError("secret detail: SELECT password_hash FROM users")

    response = Client(app).get("/fails-for-the-test")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, something went wrong" in body
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_password_fields_are_masked_and_open_to_password_managers(client, make_user):
    import re

    pages = {"/register": "new-password", "/sign-in": "current-password"}
    for path, autocomplete in pages.items():
        html = client.get(path).get_data(as_text=True)
        [field] = re.findall(r'<input[^>]*name="password"[^>]*>', html)
        assert 'type="password"' in field and f'autocomplete="{autocomplete}"' in field, path
        assert "onpaste" not in html
    client.sign_in(make_user())
    for path in ("/account/password", "/account/email", "/account/erase"):
        html = client.get(path).get_data(as_text=True)
        [field] = re.findall(r'<input[^>]*name="current_password"[^>]*>', html)
        assert 'type="password"' in field and 'autocomplete="current-password"' in field, path
        # Every signed-in page offers signing out.
        assert 'action="/sign-out"' in html, path


def test_a_static_folder_is_not_listed(client):
    assert client.get("/static/css/").status_code == 404
    assert client.get("/static/").status_code == 404
