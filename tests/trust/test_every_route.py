"""Checks that cover every route by construction: walk `app.url_map` over the demo data and
assert that every POST refuses a request without a valid CSRF token and changes nothing, that
every route not meant for the public refuses an anonymous visitor, that no `next=` sends anyone
off-site, that every response carries the security headers, and that bandit finds nothing of
medium or high severity."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
import sqlalchemy as sa

from tests.support import ROOT, Client
from tests.web.test_headers import assert_security_headers

# Pages anyone may read without signing in. Adding a route forces a decision here.
PUBLIC = {
    "main.home", "main.healthz", "static", "pages.accessibility", "pages.privacy", "pages.offline",
    "pages.manifest", "pages.service_worker", "wards.index", "wards.show", "proposals.index",
    "proposals.show", "proposals.ward_list", "consultations.index", "consultations.show",
    "consultations.option", "voting.results", "voting.results_csv", "voting.results_json",
    "voting.bulletin_board", "voting.bulletin_board_csv", "voting.receipts", "voting.receipt",
    "voting.ballot", "champions.open_call", "champions.groups", "champions.group", "champions.group_ics",
    "champions.event", "champions.event_ics", "discussion.show", "moderation.ward_log",
    "auth.register", "auth.sign_in", "auth.reset_request", "auth.reset", "auth.verify",
    "auth.second_factor", "sso.start", "sso.callback", "notifications.unsubscribe",
    "account.confirm_email", "commissioning.index", "commissioning.show", "commissioning.decisions_csv",
}  # fmt: skip
PUBLIC_PREFIXES = ("api.", "commissioning.public_", "commissioning.feed", "commissioning.report")

# POSTs that need no signed-in user: signing in, registering, links from mail, the language choice.
PUBLIC_POSTS = {
    "auth.register", "auth.sign_in", "auth.reset_request", "auth.reset", "auth.verify_confirm",
    "auth.second_factor", "auth.sign_out", "main.set_language", "notifications.unsubscribe_post",
    "account.confirm_email_post",
}  # fmt: skip

# A POST that carries its own proof instead of a CSRF token: RFC 8058 one-click unsubscribe, made
# by mail programs, authorised by the signed token in its address (tested with a bad signature).
SIGNED_INSTEAD_OF_CSRF = {"notifications.unsubscribe_post"}


def _public(endpoint: str) -> bool:
    return endpoint in PUBLIC or endpoint.startswith(PUBLIC_PREFIXES)


@pytest.fixture(scope="module")
def site(demo, live_database):
    """The app over the demo data, in this process."""
    from participate import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_database, "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        yield app
        from participate.extensions import db

        db.engine.dispose()


def _one(app, model, *where):
    from participate.extensions import db

    return db.session.scalar(sa.select(model).where(*where).order_by(model.id).limit(1))


def _values(app, rule) -> dict | None:
    """Values for a route's arguments that name real, consistent rows of the demo."""
    from participate import models as m

    args = set(rule.arguments)
    values: dict = {}
    if {"consultation_id", "option_id"} <= args:
        option = _one(app, m.Option, m.Option.status == "active")
        values.update(consultation_id=option.consultation_id, option_id=option.id)
    elif "consultation_id" in args:
        values["consultation_id"] = _one(app, m.Consultation, m.Consultation.phase == "closed").id
    if {"group_id", "event_id"} <= args:
        event = _one(app, m.Event)
        values.update(group_id=event.group_id, event_id=event.id)
    elif {"group_id", "membership_id"} <= args:
        membership = _one(app, m.Membership, m.Membership.role == "member")
        values.update(group_id=membership.group_id, membership_id=membership.id)
    elif "group_id" in args:
        values["group_id"] = _one(app, m.Group).id
    if "event_id" in args and "event_id" not in values:
        values["event_id"] = _one(app, m.Event).id
    if {"user_id", "grant_id"} <= args:
        grant = _one(app, m.RoleGrant, m.RoleGrant.role == "councillor")
        values.update(user_id=grant.user_id, grant_id=grant.id)
    elif "user_id" in args:
        values["user_id"] = _one(app, m.User, m.User.email.like("resident-%")).id
    if "receipt" in args:
        ballot = _one(app, m.Ballot, m.Ballot.consultation_id == values["consultation_id"])
        values["receipt"] = ballot.receipt
    simple = {
        "proposal_id": lambda: _one(app, m.OutcomeProposal).id,
        "comment_id": lambda: _one(app, m.Comment, m.Comment.deleted_at.is_(None)).id,
        "code": lambda: "E05014098",
        "token": lambda: "not-a-real-token",
        "filename": lambda: "css/site.css",
        "kind": lambda: "proposal",
        "thread_id": lambda: _one(app, m.OutcomeProposal).id,
        "target_type": lambda: "comment",
        "target_id": lambda: _one(app, m.Comment, m.Comment.deleted_at.is_(None)).id,
        "verb": lambda: "hide",
        "decision_id": lambda: _one(app, m.CommissioningDecision).id,
        "update_id": lambda: _one(app, m.ProgressUpdate).id,
        "measure_id": lambda: _one(app, m.SocialValueMeasure).id,
        "table": lambda: "kinds",
    }
    for name in args - set(values):
        if name not in simple:
            pytest.fail(f"route {rule.rule}: no demo value for <{name}>: teach _values about it")
        try:
            values[name] = simple[name]()
        except AttributeError:
            return None  # the demo has no such row (a feature without demo data yet)
    return values


def _routes(app, method):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if method in rule.methods:
            yield rule


# Columns a refused request may still touch: signing in notes the time; the log records attempts.
VOLATILE = {("users", "last_sign_in_at"), ("users", "totp_last_step"), ("recovery_codes", "used_at")}


def _counts(app) -> dict:
    """A digest of every row of every table (the audit log and sign-in bookkeeping aside)."""
    import hashlib

    from participate.extensions import db
    from participate.models import Base

    db.session.expire_all()
    digests = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "audit_entries":
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


@pytest.fixture(scope="module")
def admin(site, demo) -> Client:
    """The demo's admin, signed in once (a code from the app works only once)."""
    account = demo["accounts"]["admin"]
    client = Client(site)
    client.get("/sign-in")
    client.post("/sign-in", {"email": account["email"], "password": account["password"]})
    client.get("/sign-in/two-factor")
    for moment in (time.time(), time.time() + 30):
        done = client.post("/sign-in/two-factor", {"code": pyotp.TOTP(account["key"]).at(moment)})
        if done.status_code == 302:
            return client
    pytest.fail("could not sign in as the demo's admin")


def test_every_post_refuses_a_request_without_a_valid_csrf_token_and_changes_nothing(site, demo, admin):
    from flask import url_for

    before = _counts(site)
    problems = []
    account = demo["accounts"]["resident"]
    data = {
        "reason": "x",
        "body": "x",
        "title": "x",
        "email": account["email"],
        "password": account["password"],
    }
    for rule in _routes(site, "POST"):
        if rule.endpoint in SIGNED_INSTEAD_OF_CSRF:
            continue
        values = _values(site, rule)
        if values is None:
            continue
        with site.test_request_context():
            url = url_for(rule.endpoint, **values)
        for token in (False, "forged-token"):
            # Sign-in, registration and the like are tried by a visitor who is not signed in.
            client = Client(site) if rule.endpoint in PUBLIC_POSTS else admin
            response = client.post(url, data, csrf=token)
            assert_security_headers(response)
            if getattr(site.view_functions[rule.endpoint], "csrf_in_form", False):
                # The form itself refuses: the page comes back with the message and nothing saved.
                back_to_sign_in = response.headers.get("Location", "").endswith("/sign-in")
                ok = (
                    response.status_code < 500
                    and response.status_code not in (301, 302, 303)
                    or (
                        response.status_code == 302 and (rule.endpoint not in PUBLIC_POSTS or back_to_sign_in)
                    )
                )
            else:
                ok = response.status_code == 400
            if not ok:
                problems.append(f"{rule.endpoint} ({url}, token={token!r}): {response.status_code}")
            if rule.endpoint in PUBLIC_POSTS and client.get("/account/").status_code == 200:
                problems.append(f"{rule.endpoint}: signed in without a CSRF token")
    assert problems == [], "\n".join(problems)
    assert _counts(site) == before, "a request without a valid CSRF token changed the database"


def test_one_click_unsubscribe_needs_its_signature_instead(site):
    client = Client(site)
    response = client.post("/unsubscribe/not-a-real-token", csrf=False)
    assert response.status_code in (400, 404)


def test_every_route_not_meant_for_the_public_refuses_an_anonymous_visitor(site):
    from flask import url_for

    anonymous = Client(site)
    token = anonymous.csrf_token()
    before = _counts(site)
    problems = []
    for rule in _routes(site, "GET"):
        values = _values(site, rule)
        if values is None:
            continue
        with site.test_request_context():
            url = url_for(rule.endpoint, **values)
        response = anonymous.get(url)
        assert_security_headers(response)
        if response.status_code >= 500:
            problems.append(f"{rule.endpoint}: server error {response.status_code}")
        elif not _public(rule.endpoint) and response.status_code == 200:
            problems.append(f"{rule.endpoint} ({url}) answers an anonymous visitor")
    for rule in _routes(site, "POST"):
        if rule.endpoint in PUBLIC_POSTS:
            continue
        values = _values(site, rule)
        if values is None:
            continue
        with site.test_request_context():
            url = url_for(rule.endpoint, **values)
        response = anonymous.post(url, {"reason": "x", "body": "x"}, csrf=token)
        location = response.headers.get("Location", "")
        if not (
            response.status_code in (401, 403) or (response.status_code == 302 and "/sign-in" in location)
        ):
            problems.append(f"POST {rule.endpoint} ({url}): {response.status_code} {location}")
    assert problems == [], "\n".join(problems)
    assert _counts(site) == before


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example"])
def test_no_next_parameter_redirects_off_site(site, demo, admin, target):
    from flask import url_for

    account = demo["accounts"]["resident"]
    problems = []
    attempts = []
    for rule in _routes(site, "GET"):
        attempts += [("anonymous GET", Client(site), rule, None), ("admin GET", admin, rule, None)]
    for rule in _routes(site, "POST"):
        if rule.endpoint in PUBLIC_POSTS:
            # Public forms, sent properly (with the token and right answers) by a visitor.
            data = {"next": target, "email": account["email"], "password": account["password"], "lang": "pl"}
            attempts.append(("visitor POST", Client(site), rule, data))
    for who, client, rule, data in attempts:
        values = _values(site, rule)
        if values is None:
            continue
        with site.test_request_context():
            url = url_for(rule.endpoint, next=target, **values)
        response = client.get(url) if data is None else client.post(url, data)
        location = response.headers.get("Location", "")
        # Where the browser goes: this site only (an address carried inside our own `next`
        # is fine, as it is checked again when used).
        where = urlsplit(urljoin("http://localhost/", location))
        if location and (where.netloc != "localhost" or location.startswith(("//", "/\\"))):
            problems.append(f"{who} {rule.endpoint} -> {location}")
    assert problems == [], "\n".join(problems)


def test_bandit_finds_nothing_of_medium_or_high_severity():
    done = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "participate", "-ll", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert [f"{r['filename']}:{r['line_number']} {r['test_id']}" for r in report["results"]] == []
