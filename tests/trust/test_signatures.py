"""Signatures use HMAC-SHA-256: the session cookie and every signed link. The same content signed with
the right key but with SHA-1 (itsdangerous's default) is refused."""

from __future__ import annotations

import hashlib

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from participate import tokens
from participate.extensions import db
from participate.models import User
from participate.security import SessionCookies
from tests.support import Client


def _client_with_session_cookie(app, interface, user) -> Client:
    """A browser whose session cookie says `user` is signed in, signed by `interface`."""
    with app.test_request_context():
        value = interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})
    client = Client(app)
    client.http.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    return client


def test_a_session_cookie_signed_with_sha1_is_refused_and_one_signed_with_sha256_is_accepted(app, make_user):
    user = make_user()
    sha1 = _client_with_session_cookie(app, SecureCookieSessionInterface(), user)
    assert sha1.get("/account/").status_code == 302, "a SHA-1 signature must not be believed"
    sha256 = _client_with_session_cookie(app, SessionCookies(), user)
    assert sha256.get("/account/").status_code == 200
    assert app.session_interface.digest_method is hashlib.sha256


def test_the_session_cookie_the_app_sets_is_signed_with_sha256(app, make_user):
    user = make_user()
    client = Client(app)
    client.sign_in(user)
    cookie = client.http.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    with app.test_request_context():
        assert SessionCookies().get_signing_serializer(app).loads(cookie)["_user_id"] == user.get_id()
        with pytest.raises(BadSignature):
            SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)


def _sha1_link(app, purpose: str, payload: dict) -> str:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=f"participate.{purpose}").dumps(payload)


def test_a_link_signed_with_sha1_is_refused_and_one_signed_with_sha256_is_accepted(app, client, make_user):
    user = make_user(verified=False)
    payload = {"uid": user.id, "email": user.email}
    with app.app_context():
        sha256 = tokens.make("verify", payload)
        assert tokens.read("verify", sha256) == payload
        sha1 = _sha1_link(app, "verify", payload)
        with pytest.raises(tokens.LinkError) as refused:
            tokens.read("verify", sha1)
        assert refused.value.reason == "invalid"

    # Through the page a resident opens from the mail: refused, nothing changed; then accepted.
    client.get(f"/verify/{sha1}")
    assert client.post(f"/verify/{sha1}").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is None
    client.get(f"/verify/{sha256}")
    assert client.post(f"/verify/{sha256}").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None
