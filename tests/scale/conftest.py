"""Fixtures for the multi-process tests: a fresh PostgreSQL database of their own, whatever
database the rest of the run uses, migrated, with the wards loaded, and dropped afterwards."""

from __future__ import annotations

import os

import pytest

from tests import support


def pg_server():
    """The PostgreSQL server to make databases on: TEST_DATABASE_URL's, or the local default."""
    return support.pg_url(os.environ.get("TEST_DATABASE_URL", "").strip() or support.DEFAULT_PG)


@pytest.fixture
def pg_database():
    """The address of a new, empty PostgreSQL database, dropped after the test."""
    server = pg_server()
    if not support.pg_reachable(server.render_as_string(hide_password=False)):
        pytest.skip(
            f"no PostgreSQL server answers at {server.render_as_string()}: multi-process test skipped"
        )
    with support.fresh_pg_database(server, "participate_scale") as url:
        yield url


def migrated_app(database_url: str, instance, **overrides):
    """An app on this database, brought to the latest migration, with the wards loaded."""
    from flask_migrate import upgrade

    from participate import MIGRATIONS_DIR, create_app

    app = create_app({**support.app_settings(database_url, instance), **overrides})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        support.load_test_wards()
    return app


def dispose(app) -> None:
    """Close the app's database connections (before its database is dropped)."""
    from participate.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
