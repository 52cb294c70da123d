"""Migrations bring an empty SQLite and an empty PostgreSQL database to head, match the models,
and go back down."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from participate import MIGRATIONS_DIR, create_app
from participate.extensions import db
from tests.support import DEFAULT_PG, pg_reachable, pg_url


def _check(url: str, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        db.engine.dispose()


def test_migrations_on_an_empty_sqlite_database(tmp_path):
    _check(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_migrations_on_an_empty_postgresql_database(tmp_path):
    if not pg_reachable():
        pytest.skip(f"no PostgreSQL server at {DEFAULT_PG}")
    admin = sa.create_engine(pg_url(DEFAULT_PG), isolation_level="AUTOCOMMIT")
    name = f"participate_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _check(pg_url(DEFAULT_PG).set(database=name).render_as_string(hide_password=False), tmp_path)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_every_revision_has_a_docstring_and_a_real_downgrade():
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text()
        assert source.startswith('"""') and not source.startswith('"""\n'), path.name
        body = source.split("def downgrade():", 1)[1]
        assert "pass" not in body.split("\n", 2)[1], f"{path.name} has an empty downgrade()"
