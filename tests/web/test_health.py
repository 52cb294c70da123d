"""/healthz answers 200 when the database is reachable and 503 when it is not."""

from __future__ import annotations

from tests.support import Client


def test_healthz_is_200_with_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(make_app, app, tmp_path):
    broken = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}},
    )
    response = Client(broken).get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
