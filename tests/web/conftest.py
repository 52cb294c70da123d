"""Fixtures for the page tests: the app with its page cache on, in this process or in Redis."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.support import redis_reachable


@pytest.fixture
def cached_app(make_app, app, tmp_path, monkeypatch):
    """The app with the page cache on, current for the test, so its commits bump the generation
    (the test database and wards come from `app`). Its instance folder, and so its generation
    file, is its own: tests running in parallel do not invalidate each other's pages."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    application = make_app(PAGE_CACHE=True)
    with application.app_context():
        yield application


@pytest.fixture
def redis_cached_app(make_app, app):
    """The app with the page cache in Redis (db 15, keys of its own), current for the test."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_reachable(redis_url):
        pytest.skip(f"no Redis server at {redis_url}")
    prefix = f"test-{uuid.uuid4().hex}"
    application = make_app(PAGE_CACHE=True, REDIS_URL=redis_url, PAGE_CACHE_PREFIX=prefix)
    with application.app_context():
        yield application
    import redis

    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
