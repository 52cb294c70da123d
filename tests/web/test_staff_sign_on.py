"""Staff single sign-on against a real OpenID Connect provider (the certified `oidc-provider` package
run by Node.js on loopback): a staff account is matched by verified email; a wrong state, a replayed
code and an expired code are refused."""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

from tests.support import ROOT, Client, free_port

OIDC_DIR = ROOT / "tests" / "oidc"
CALLBACK = "http://localhost/sign-in/staff/callback"


class Provider:
    """The oidc-provider server in a Node.js process."""

    def __init__(self, accounts: dict, code_ttl: int = 60):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PORT": str(self.port),
            "CLIENT_ID": "participate",
            "CLIENT_SECRET": "a-test-client-secret-of-enough-length",
            "REDIRECT_URI": CALLBACK,
            "ACCOUNTS": json.dumps(accounts),
            "CODE_TTL": str(code_ttl),
        }
        self.proc = subprocess.Popen(
            ["node", "server.mjs"], cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the OpenID provider did not start")

    def config(self) -> dict:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": "participate",
            "OIDC_CLIENT_SECRET": "a-test-client-secret-of-enough-length",
        }

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    def log_in(self, authorize_url: str, sub: str) -> str:
        """Play the person at the provider: log in as `sub`, consent; return the callback address."""
        browser = requests.Session()
        url = authorize_url
        for _ in range(12):
            response = browser.get(url, allow_redirects=False) if url else None
            if response.status_code in (302, 303):
                url = urllib.parse.urljoin(url, response.headers["Location"])
                if url.startswith(CALLBACK):
                    return url
                continue
            page = response.text
            action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
            prompt = re.search(r'name="prompt" value="(\w+)"', page).group(1)
            data = (
                {"prompt": prompt, "login": sub, "password": "anything"}
                if prompt == "login"
                else {"prompt": prompt}
            )
            posted = browser.post(urllib.parse.urljoin(url, action), data=data, allow_redirects=False)
            url = urllib.parse.urljoin(url, posted.headers["Location"])
            if url.startswith(CALLBACK):
                return url
        raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="module")
def node_ready():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js is not installed: the staff sign-on tests need it to run the OpenID provider")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=OIDC_DIR, check=True)
    return True


@pytest.fixture
def staff(make_user):
    return {
        "officer": make_user(role="officer", email="olu.officer@lambeth.example"),
        "resident": make_user(email="rahma@example.org"),
    }


@pytest.fixture
def provider(node_ready, staff):
    accounts = {
        "staff-1": {"email": "Olu.Officer@lambeth.example", "email_verified": True},
        "resident-1": {"email": "rahma@example.org", "email_verified": True},
        "unverified": {"email": "olu.officer@lambeth.example", "email_verified": False},
    }
    server = Provider(accounts)
    yield server
    server.stop()


def _start(client) -> str:
    response = client.get("/sign-in/staff")
    assert response.status_code == 302
    location = response.headers["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    # Authorisation code flow with PKCE, a state and a nonce.
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    return location


def _callback_path(url: str) -> str:
    return url.split("localhost", 1)[1]


def test_staff_member_signs_in_through_the_identity_provider(make_app, provider, staff):
    app = make_app(**provider.config())
    client = Client(app)
    assert "Sign in with your council account" in client.get("/sign-in").get_data(as_text=True)
    back = provider.log_in(_start(client), "staff-1")
    response = client.get(_callback_path(back))
    # The officer has two-factor sign-in: the platform still asks for it.
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in/two-factor")
    client.get("/sign-in/two-factor")
    assert (
        client.post("/sign-in/two-factor", {"code": staff["officer"].recovery_codes.pop()}).status_code == 302
    )
    profile = client.get("/account/").get_data(as_text=True)
    assert "olu.officer@lambeth.example" in profile and "Council officer" in profile


def test_a_wrong_state_is_refused(make_app, provider):
    client = Client(make_app(**provider.config()))
    back = provider.log_in(_start(client), "staff-1")
    forged = re.sub(r"state=[^&]+", "state=forged-state", back)
    response = client.get(_callback_path(forged))
    assert response.status_code == 400 and "did not work" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_a_replayed_code_is_refused(make_app, provider, staff):
    app = make_app(**provider.config())
    first = Client(app)
    back = provider.log_in(_start(first), "staff-1")
    assert first.get(_callback_path(back)).status_code == 302
    # An attacker who saw the address replays the code with a session of their own.
    attacker = Client(app)
    _start(attacker)
    with first.http.session_transaction() as stolen:
        state_keys = {k: v for k, v in stolen.items() if k.startswith("_state_")}
    with attacker.http.session_transaction() as sess:
        sess.update(state_keys)
    replay = attacker.get(_callback_path(back))
    assert replay.status_code == 400
    assert attacker.get("/account/").status_code == 302


def test_an_expired_code_is_refused(make_app, node_ready, staff):
    server = Provider(
        {"staff-1": {"email": "olu.officer@lambeth.example", "email_verified": True}}, code_ttl=1
    )
    try:
        client = Client(make_app(**server.config()))
        back = server.log_in(_start(client), "staff-1")
        time.sleep(2.5)
        response = client.get(_callback_path(back))
        assert response.status_code == 400
        assert client.get("/account/").status_code == 302
    finally:
        server.stop()


def test_an_unverified_email_or_a_non_staff_account_is_refused(make_app, provider):
    app = make_app(**provider.config())
    client = Client(app)
    back = provider.log_in(_start(client), "unverified")
    assert client.get(_callback_path(back)).status_code == 400
    client = Client(app)
    back = provider.log_in(_start(client), "resident-1")
    refused = client.get(_callback_path(back))
    assert refused.status_code == 403 and "no staff account" in refused.get_data(as_text=True)


def test_staff_sign_on_is_off_without_configuration(client):
    assert client.get("/sign-in/staff").status_code == 404
    assert "council account" not in client.get("/sign-in").get_data(as_text=True)


class LoopbackServer:
    """A tiny HTTP server on loopback: answers from `routes` (path → (status, headers, body)) and
    records every request it receives."""

    def __init__(self, routes: dict | None = None):
        self.routes = routes or {}
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                server.requests.append((self.command, self.path.split("?")[0]))
                status, headers, body = server.routes.get(self.path.split("?")[0], (404, {}, b""))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _json(document: dict) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(document).encode()


@pytest.mark.parametrize("redirected", ["discovery", "token", "keys"])
def test_calls_to_the_provider_never_follow_a_redirect(make_app, make_user, redirected):
    """Whichever call the provider answers with a redirect, the server elsewhere is never contacted
    and nobody is signed in."""
    make_user(role="officer", email="olu.officer@lambeth.example")
    elsewhere = LoopbackServer()
    issuer = LoopbackServer()
    try:
        moved = {
            "discovery": "/.well-known/openid-configuration",
            "token": "/token",
            "keys": "/jwks",
        }[redirected]
        issuer.routes.update(
            {
                "/.well-known/openid-configuration": _json(
                    {
                        "issuer": issuer.url,
                        "authorization_endpoint": issuer.url + "/authorize",
                        "token_endpoint": issuer.url + "/token",
                        "jwks_uri": issuer.url + "/jwks",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                ),
                # A token response with an ID token: checking it needs the provider's keys.
                "/token": _json(
                    {"access_token": "an-access-token", "token_type": "Bearer", "id_token": "a.b.c"}
                ),
                "/jwks": _json({"keys": []}),
            }
        )
        issuer.routes[moved] = (302, {"Location": elsewhere.url + moved}, b"")
        client = Client(
            make_app(
                OIDC_ISSUER=issuer.url,
                OIDC_CLIENT_ID="participate",
                OIDC_CLIENT_SECRET="a-test-client-secret-of-enough-length",
            )
        )
        start = client.get("/sign-in/staff")
        if redirected == "discovery":
            assert start.status_code == 502 and "did not work" in start.get_data(as_text=True)
        else:
            assert start.status_code == 302
            state = urllib.parse.parse_qs(urllib.parse.urlsplit(start.headers["Location"]).query)["state"][0]
            back = client.get(f"/sign-in/staff/callback?code=a-code&state={state}")
            assert back.status_code == 400 and "did not work" in back.get_data(as_text=True)
        assert ("POST" if redirected == "token" else "GET", moved) in issuer.requests
        assert elsewhere.requests == [], "a redirect from the provider was followed"
        assert client.get("/account/").status_code == 302
    finally:
        issuer.stop()
        elsewhere.stop()


def test_an_unreachable_provider_is_refused_with_a_page(make_app):
    client = Client(
        make_app(
            OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
            OIDC_CLIENT_ID="participate",
            OIDC_CLIENT_SECRET="a-test-client-secret-of-enough-length",
        )
    )
    response = client.get("/sign-in/staff")
    assert response.status_code == 502 and "did not work" in response.get_data(as_text=True)
