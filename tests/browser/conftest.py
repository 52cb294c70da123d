"""Browser tests: the demo served by gunicorn on loopback, driven by the machine's Chromium.

Skipped, with a message saying so, only where no Chromium is installed.
"""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa

from tests.support import ROOT, AppProcess

SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"


@pytest.fixture(scope="session")
def live_server(chromium, demo):
    """The demo served by gunicorn on a loopback port."""
    server = AppProcess({**demo["env"], "RATELIMIT_ENABLED": "false"}, workers=2).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def signed_in_states(browser, live_server, demo):
    """Cookies of a signed-in browser per demo account, made once (codes work only once)."""
    states = {}

    def state_for(role: str):
        if role not in states:
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, demo["accounts"][role])
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state_for


@pytest.fixture
def new_page(browser, live_server, signed_in_states):
    """Open a page in a fresh context: new_page(width=320, lang="ar", js=False, as_="officer")."""
    contexts = []

    def factory(width=1280, height=800, lang="en", js=True, as_=None):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=lang,
            java_script_enabled=js,
            base_url=live_server.url,
            extra_http_headers={"Accept-Language": lang},
            storage_state=signed_in_states(as_) if as_ else None,
        )
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


def sign_in(page, account: dict) -> None:
    """Sign in through the form (and the second factor, with the account's key)."""
    page.goto("/sign-in")
    page.fill("#email", account["email"])
    page.fill("#password", account["password"])
    page.click("form[novalidate] button[type=submit]")
    if page.url.endswith("/sign-in/two-factor"):
        code = pyotp.TOTP(account["key"]).now()
        page.fill("#code", code)
        page.click("form[novalidate] button[type=submit]")
        if "/sign-in/two-factor" in page.url:  # the code was used a moment ago: take the next one
            import time

            page.fill("#code", pyotp.TOTP(account["key"]).at(time.time() + 30))
            page.click("form[novalidate] button[type=submit]")
    assert "/sign-in" not in page.url, page.content()[:2000]


@pytest.fixture(scope="session", autouse=True)
def _screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def resolve(live_database, demo):
    """Turn a page type's address (a path, or a finder over the demo database) into a path."""
    engine = sa.create_engine(live_database)
    cache = {}

    def path_of(address):
        if isinstance(address, str):
            return address
        if address not in cache:
            with engine.connect() as conn:
                cache[address] = address(conn)
        return cache[address]

    yield path_of
    engine.dispose()
