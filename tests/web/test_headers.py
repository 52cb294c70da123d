"""Security headers on every response, and cookie flags."""

from __future__ import annotations

import pytest

from tests.support import Client

PAGES = [
    "/",
    "/register",
    "/sign-in",
    "/reset",
    "/healthz",
    "/no-such-page",
    "/static/css/site.css",
    "/verify/bad-token",
]


def assert_security_headers(response):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    assert_security_headers(client.get(path))


def test_error_and_refused_responses_carry_them_too(client):
    assert_security_headers(client.post("/sign-out", csrf=False))  # 400: no CSRF token
    assert_security_headers(client.request("PUT", "/"))  # 405
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://participate.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    response = client.sign_in(user)
    cookie = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session=")]
    assert cookie and "HttpOnly" in cookie[0] and "SameSite=Lax" in cookie[0]
    assert "Secure" not in cookie[0]


def test_cookies_are_secure_in_production(make_app, app, make_user, monkeypatch):
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    secure_app = make_app(SESSION_COOKIE_SECURE=None)
    assert secure_app.config["SESSION_COOKIE_SECURE"] is not False
    from participate.config import from_environment

    assert from_environment(secure_app.instance_path)["SESSION_COOKIE_SECURE"] is True
    user = make_user()
    client = Client(make_app(SESSION_COOKIE_SECURE=True))
    client.get("/sign-in", base_url="https://localhost")
    response = client.post(
        "/sign-in",
        {"email": user.email, "password": "correct horse battery staple"},
        base_url="https://localhost",
    )
    # Over HTTPS the cookie takes the __Host- prefix: Secure, the whole site, no Domain.
    cookie = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("__Host-session=")]
    assert cookie, "the session cookie over HTTPS is not named __Host-session"
    assert "Secure" in cookie[0] and "Path=/;" in cookie[0] + ";" and "Domain=" not in cookie[0]


def test_cookies_take_the_host_prefix_over_https(make_app, make_user, monkeypatch):
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    from participate.config import from_environment

    settings = from_environment(make_app().instance_path)
    assert settings["SESSION_COOKIE_NAME"] == "__Host-session"
    assert settings["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"
    user = make_user()
    client = Client(make_app(**{k: settings[k] for k in ("SESSION_COOKIE_NAME", "REMEMBER_COOKIE_NAME")},
                             SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True))  # fmt: skip
    client.get("/sign-in", base_url="https://localhost")
    response = client.post(
        "/sign-in",
        {"email": user.email, "password": "correct horse battery staple", "remember": "y"},
        base_url="https://localhost",
    )
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie"]
    remember = [c for c in cookies if c.startswith("__Host-remember_token=")]
    assert remember and "Secure" in remember[0] and "HttpOnly" in remember[0] and "Domain=" not in remember[0]
    assert not [c for c in cookies if c.startswith(("session=", "remember_token="))]
