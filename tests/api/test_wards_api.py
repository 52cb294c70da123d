"""Wards in the public API and their pages."""

from __future__ import annotations


def test_wards_list_is_paginated_with_absolute_urls(client, app, monkeypatch):
    import participate.blueprints.api as api

    monkeypatch.setattr(api, "PAGE_SIZE", 10)
    first = client.get("/api/v1/wards").json
    assert len(first["items"]) == 10
    assert first["items"][0]["url"].startswith("http://localhost/wards/E05")
    assert first["next"].endswith("/api/v1/wards?page=2")
    third = client.get("/api/v1/wards?page=3").json
    assert len(third["items"]) == 5 and third["next"] is None
    assert client.get("/api/v1/wards?page=nonsense").json["items"] == first["items"]


def test_one_ward_and_a_missing_one(client):
    ward = client.get("/api/v1/wards/e05014098").json
    assert ward["name"] == "Brixton Windrush" and ward["url"].endswith("/wards/E05014098")
    missing = client.get("/api/v1/wards/E05999999")
    assert missing.status_code == 404 and missing.json["status"] == 404


def test_api_is_open_to_other_sites_for_reading_only(client):
    response = client.get("/api/v1/wards")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET"
    assert client.post("/api/v1/wards", csrf=False).status_code in (400, 405)


def test_openapi_document_lists_the_wards_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert {"/wards", "/wards/{code}"} <= set(doc["paths"])


def test_ward_pages(client):
    index = client.get("/wards/").get_data(as_text=True)
    assert index.count('href="/wards/E05') == 25
    page = client.get("/wards/E05014098")
    assert page.status_code == 200 and "<h1>Brixton Windrush</h1>" in page.get_data(as_text=True)
    assert client.get("/wards/E05000416").status_code == 404  # not loaded: an old boundary
