"""Installable on a phone: the service worker keeps pages a resident read for offline reading,
never personal pages, and never a form submission."""

from __future__ import annotations

import pytest


def _controlled(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")


@pytest.mark.browser
def test_pages_read_online_are_available_offline_and_others_show_the_offline_page(new_page):
    page = new_page(width=320, height=640)
    page.goto("/wards/")
    _controlled(page)
    page.goto("/wards/E05014098")
    page.context.set_offline(True)
    page.goto("/wards/E05014098")
    assert page.locator("h1").inner_text() == "Brixton Windrush"
    page.goto("/wards/E05014099")
    assert page.locator("h1").inner_text() == "You are offline"
    page.context.set_offline(False)


@pytest.mark.browser
def test_personal_pages_are_not_kept_offline(new_page):
    page = new_page(width=320, height=640, as_="resident")
    page.goto("/")
    _controlled(page)
    page.goto("/account/")
    assert page.locator("h1").inner_text() == "Your account"
    page.context.set_offline(True)
    page.goto("/account/")
    assert page.locator("h1").inner_text() == "You are offline"
    page.context.set_offline(False)


@pytest.mark.browser
def test_a_form_sent_offline_is_not_answered_from_the_cache(new_page, live_server):
    page = new_page(width=320, height=640)
    page.goto("/sign-in")
    _controlled(page)
    page.goto("/sign-in")
    page.context.set_offline(True)
    page.fill("#email", "someone@example.org")
    page.fill("#password", "whatever it may be")
    page.click("form[novalidate] button[type=submit]", no_wait_after=True)
    page.wait_for_timeout(1000)
    # The POST went to the (absent) network: the browser shows its own error, not a kept page.
    assert not page.url.startswith(live_server.url) or page.locator("main h1").count() == 0
    page.context.set_offline(False)
