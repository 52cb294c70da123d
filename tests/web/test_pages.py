"""The accessibility statement, the privacy notice, and what makes the site installable."""

from __future__ import annotations

import json


def test_accessibility_statement_follows_the_regulations_and_is_linked_from_every_page(client):
    statement = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "How we tested this website",
    ):
        assert heading in statement
    for page in ("/", "/sign-in", "/wards/", "/no-such-page"):
        assert 'href="/accessibility"' in client.get(page).get_data(as_text=True)


def test_privacy_notice_states_the_lawful_basis_retention_and_who_sees_what(client):
    notice = client.get("/privacy").get_data(as_text=True)
    assert "Article 6(1)(e)" in notice and "Article 9(2)(g)" in notice
    assert "30 days" in notice and "the link is cut" in notice


def test_manifest_and_icons_make_it_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert 'rel="manifest"' in client.get("/").get_data(as_text=True)


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"


def test_personal_pages_are_never_stored_and_signed_in_pages_stay_private(client, make_user):
    client.sign_in(make_user())
    assert client.get("/account/").headers["Cache-Control"] == "no-store"
    assert client.get("/wards/").headers["Cache-Control"] == "private, no-cache"
