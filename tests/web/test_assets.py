"""Static files are fingerprinted and cached for a year; responses are compressed."""

from __future__ import annotations

import re


def test_static_addresses_carry_a_content_hash_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/site.css\?v=[0-9a-f]{12})"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the fingerprint, nothing promises the file will not change.
    assert "immutable" not in client.get("/static/css/site.css").headers.get("Cache-Control", "")


def test_pages_and_stylesheets_are_compressed(client):
    for path in ("/", "/static/css/site.css"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("Content-Encoding") == "gzip"
        assert "Accept-Encoding" in response.headers.get("Vary", "")
