"""The ballot page in a real Chromium: 320px wide, with and without JavaScript, keyboard and axe."""

from __future__ import annotations

import pytest

from tests import support
from tests.voting.conftest import option_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(app_config):
    server = support.AppProcess(
        {"DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"], "RATELIMIT_ENABLED": "false"}
    ).start()
    yield server
    server.stop()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _signed_in_page(browser, site, voter, javascript=True):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{site.url}/sign-in")
    page.fill("#email", voter.email)
    page.fill("#password", support.PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_quadratic_ballot_counts_credits_as_the_voter_types_and_fits_320px(
    browser, site, make_consultation, voter
):
    consultation = make_consultation(method="quadratic", options=4, credits=100)
    a, b, *_ = option_ids(consultation)
    page = _signed_in_page(browser, site, voter)
    page.goto(f"{site.url}/consultations/{consultation.id}/ballot")
    assert _fits(page)
    status = page.locator("#credits-status")
    assert status.get_attribute("aria-live") == "polite"
    page.locator(f"#votes-{a}").focus()
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    expect(page.locator("#credits-status")).to_contain_text("61")
    assert status.inner_text() == "Credits used: 61 of 100. Credits left: 39."
    assert page.locator(f"[data-cost-for='votes-{b}']").inner_text() == "Credits for these votes: 25."
    page.locator(f"#votes-{b}").fill("7")
    expect(page.locator("#credits-status")).to_contain_text("85")
    assert "That is 1 too many" not in status.inner_text()
    page.locator(f"#votes-{b}").fill("8")
    expect(page.locator("#credits-status")).to_contain_text("100")
    page.locator(f"#votes-{b}").fill("9")
    expect(page.locator("#credits-status")).to_contain_text("117")
    assert "That is 17 too many" in status.inner_text()
    assert "credits-status--over" in status.get_attribute("class")
    page.locator(f"#votes-{b}").fill("8")
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_url("**/receipt/**")
    assert "Your ballot has been cast" in page.content() and _fits(page)


def test_ballot_works_without_javascript_and_keeps_a_refused_ballot(browser, site, make_consultation, voter):
    consultation = make_consultation(method="quadratic", options=3, credits=50)
    a, b, c = option_ids(consultation)
    page = _signed_in_page(browser, site, voter, javascript=False)
    page.goto(f"{site.url}/consultations/{consultation.id}/ballot")
    page.fill(f"#votes-{a}", "5")
    page.fill(f"#votes-{b}", "6")
    page.get_by_role("button", name="Check my credits").click()
    assert "Credits used: 61 of 50." in page.locator("#credits-status").inner_text()
    summary = page.locator(".error-summary")
    assert "Your votes cost 61 credits, which is 11 more than your 50." in summary.inner_text()
    assert page.input_value(f"#votes-{a}") == "5" and page.input_value(f"#votes-{b}") == "6"
    assert _fits(page)
    page.fill(f"#votes-{b}", "4")
    page.get_by_role("button", name="Cast my ballot").click()
    assert "/receipt/" in page.url


def test_approval_ballot_fits_and_counts_choices(browser, site, make_consultation, voter):
    consultation = make_consultation(options=5, max_approvals=2, costs=[10_000_00] * 5)
    ids = option_ids(consultation)
    page = _signed_in_page(browser, site, voter)
    page.goto(f"{site.url}/consultations/{consultation.id}/ballot")
    assert _fits(page)
    page.check(f"#approve-{ids[0]}")
    page.check(f"#approve-{ids[1]}")
    page.check(f"#approve-{ids[2]}")
    expect(page.locator("#credits-status")).to_contain_text("3 of")
    assert page.locator("#credits-status").inner_text() == "Options chosen: 3 of up to 2."
    page.get_by_role("button", name="Cast my ballot").click()
    assert (
        "You can choose up to 2 options, but you chose 3. Untick 1."
        in page.locator(".error-summary").inner_text()
    )
    assert page.is_checked(f"#approve-{ids[2]}")


def test_ballot_and_results_pages_have_no_serious_accessibility_problems(
    browser, site, make_consultation, voter
):
    from axe_playwright_python.sync_playwright import Axe

    consultation = make_consultation(method="quadratic", options=3, results_live=True)
    page = _signed_in_page(browser, site, voter)
    axe = Axe()
    for path in ("ballot", "results"):
        page.goto(f"{site.url}/consultations/{consultation.id}/{path}")
        violations = [
            v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert violations == [], [(v["id"], v["nodes"][0]["html"]) for v in violations]
