"""Sign-in and reset are rate-limited, also across app processes sharing Redis."""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest

from participate.extensions import limiter
from tests.support import CSRF_RE, AppProcess, Client, redis_reachable


@pytest.fixture
def limited_app(make_app, app):
    application = make_app(RATELIMIT_ENABLED=True, SIGN_IN_LIMIT="5 per minute", RESET_LIMIT="3 per minute")
    limiter.reset()
    yield application
    limiter.reset()


def test_too_many_sign_in_attempts_get_429(limited_app):
    client = Client(limited_app)
    client.get("/sign-in")
    codes = []
    for i in range(7):
        response = client.post("/sign-in", {"email": f"someone{i}@example.org", "password": "x"})
        codes.append(response.status_code)
    assert codes[:5] == [200] * 5
    assert codes[5:] == [429, 429]
    assert "Too many attempts" in response.get_data(as_text=True)


def test_too_many_reset_requests_get_429(limited_app):
    client = Client(limited_app)
    client.get("/reset")
    codes = [client.post("/reset", {"email": "a@example.org"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


class Browser:
    """A minimal HTTP client with cookies, for talking to app processes."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()),
        )

    def csrf(self, url):
        with self.opener.open(url) as r:
            return CSRF_RE.search(r.read().decode()).group(1)

    def post(self, url, data) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(url, body) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.mark.redis
def test_sign_in_limit_holds_across_two_app_processes_with_redis(app_config, _migrated):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_reachable(redis_url):
        pytest.skip(f"no Redis server at {redis_url}")
    env = {
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "SIGN_IN_LIMIT": "6 per minute",
    }
    first, second = AppProcess(env).start(), AppProcess(env)
    try:
        second.start()
        browser = Browser()
        codes = []
        for i in range(8):
            target = (first, second)[i % 2]
            token = browser.csrf(target.url + "/sign-in")
            codes.append(
                browser.post(
                    target.url + "/sign-in", {"email": "x@example.org", "password": "y", "csrf_token": token}
                )
            )
        # Each process alone would allow 6; together they share one count of 6.
        assert codes[:6] == [200] * 6
        assert codes[6:] == [429, 429]
    finally:
        first.stop()
        second.stop()
