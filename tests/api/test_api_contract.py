"""The public API as an attack surface: a valid OpenAPI 3.1 description, ETags and cache headers,
CORS for reading only, and schemathesis finding no server error and no response off the schema."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.support import AppProcess


def test_openapi_description_is_valid_openapi_3_1(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    for path in (
        "/wards",
        "/consultations",
        "/consultations/{consultation_id}/results",
        "/consultations/{consultation_id}/bulletin-board",
    ):
        assert any(p.rstrip("/") == path or p.startswith(path.split("{")[0]) for p in spec["paths"]), path


def test_api_responses_carry_etags_and_answer_304_when_unchanged(client):
    first = client.get("/api/v1/wards")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/wards", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    changed = client.get("/api/v1/wards?page=2", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_api_refuses_every_method_but_reading(client):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.request(method, "/api/v1/wards")
        assert response.status_code in (400, 405)
        assert response.headers.get("Access-Control-Allow-Origin") is None


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory):
    """The demo served by gunicorn, for schemathesis to call over HTTP."""
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    instance = tmp_path_factory.mktemp("schemathesis")
    env = {"DATABASE_URL": f"sqlite:///{instance / 'demo.sqlite3'}", "INSTANCE_PATH": str(instance),
           "RATELIMIT_ENABLED": "false"}  # fmt: skip
    subprocess.run([sys.executable, "-m", "flask", "--app", "participate", "demo"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, capture_output=True, timeout=600)  # fmt: skip
    server = AppProcess(env, workers=2).start()
    yield server
    server.stop()


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(served_demo):
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(served_demo.url + "/api/v1/openapi.json")
    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def check(case):
            response = case.call()
            case.validate_response(response)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, not only the first
            failures.append(f"{op.method.upper()} {op.path}: {str(exc)[:400]}")
    assert failures == []
