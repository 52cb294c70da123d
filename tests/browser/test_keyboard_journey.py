"""A new resident's journey with the keyboard alone, with and without JavaScript: register →
confirm the address from the mail → sign in → read a consultation → comment → cast an approval
ballot → change it → cast a quadratic ballot, fixing an over-budget entry from the error
message → look up the receipt. Focus is always visible and never lost."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from tests.browser.pages import _open_vote

FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {lost: true};
  const s = getComputedStyle(el);
  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadowed = s.boxShadow && s.boxShadow !== 'none';
  const highlighted = s.backgroundColor === 'rgb(255, 221, 0)';
  return {lost: false, visible: outlined || shadowed || highlighted,
          tag: el.tagName, id: el.id, name: el.getAttribute('name'),
          text: (el.textContent || '').trim().slice(0, 40),
          href: el.getAttribute('href'), inSummary: !!el.closest('.error-summary'),
          type: el.getAttribute('type'), value: el.value};
}
"""


class Keyboard:
    """Moves through a page with Tab, checking that focus stays visible, and types."""

    def __init__(self, page):
        self.page = page

    def tab_to(self, matches, limit: int = 400) -> dict:
        """Press Tab until the focused element matches; every stop on the way must show focus."""
        visited, wrapped = [], False
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(FOCUS_STATE)
            if state["lost"]:
                # Past the last element focus goes to the browser itself; the next Tab comes back to
                # the top of the page. Twice round without a match: it is not there.
                if wrapped:
                    break
                wrapped = True
                continue
            assert state["visible"], f"focus is not visible on {state}"
            visited.append(state["id"] or state["href"] or state["text"])
            if matches(state):
                return state
        raise AssertionError(f"never reached the element with the keyboard on {self.page.url}: {visited}")

    def field(self, element_id: str, text: str | None = None):
        self.tab_to(lambda s: s["id"] == element_id)
        if text is not None:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)

    def choose(self, name: str, value: str):
        """Choose a radio button as keyboard users do: Tab into the group, then the arrow keys."""
        self.tab_to(lambda s: s["name"] == name)
        for _ in range(10):
            state = self.page.evaluate(FOCUS_STATE)
            if state["value"] == value:
                assert self.page.evaluate("document.activeElement.checked")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no {name} radio with the value {value}")

    def press_button(self, label: str):
        self.tab_to(lambda s: s["tag"] == "BUTTON" and label in s["text"])
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def follow_link(self, href_part: str):
        self.tab_to(lambda s: s["tag"] == "A" and href_part in (s["href"] or ""))
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def _verification_link(engine, email: str) -> str:
    with engine.connect() as conn:
        body = conn.execute(
            sa.text("SELECT body_text FROM outbox_messages WHERE to_address = :e AND kind = 'verify' "
                    "ORDER BY id DESC"), {"e": email}
        ).scalar()  # fmt: skip
    return re.search(r"https?://\S+/verify/\S+", body).group(0)


@pytest.mark.browser
@pytest.mark.parametrize("js", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_new_resident_goes_from_registering_to_their_receipt_with_the_keyboard_alone(
    new_page, live_server, live_database, js
):
    engine = sa.create_engine(live_database)
    with engine.connect() as conn:
        approval = _open_vote("approval")(conn)
        quadratic = _open_vote("quadratic")(conn)
    email = f"keyboard-{uuid.uuid4().hex[:8]}@example.org"
    page = new_page(width=1280, height=800, js=js)
    keys = Keyboard(page)

    # Register.
    page.goto("/register")
    keys.field("email", email)
    keys.field("display_name", "Kay Board")
    keys.field("password", "walking the effra river path")
    keys.field("postcode", "SW2 1RW")
    keys.field("ward")
    page.keyboard.type("Brixton Windrush")
    keys.press_button("Create account")
    assert "Check your email" in page.content()

    # Confirm the address with the link from the mail, then sign out and in again.
    page.goto(_verification_link(engine, email).replace("http://localhost", live_server.url))
    keys.press_button("Confirm my email address")
    keys.press_button("Sign out")
    keys.follow_link("/sign-in")
    keys.field("email", email)
    keys.field("password", "walking the effra river path")
    keys.press_button("Sign in")
    assert "/sign-in" not in page.url

    # Read a consultation and comment on it.
    keys.follow_link("/consultations/")
    keys.follow_link(f"/consultations/{approval}")
    keys.field("body", "I would use the youth hub with my children.")
    keys.choose("stance", "for")
    keys.press_button("Post comment")
    assert "I would use the youth hub with my children." in page.content()

    # Cast an approval ballot, then change it.
    page.goto(f"/consultations/{approval}/ballot")
    boxes = page.locator('input[name="approve"]')
    first, second, third = (boxes.nth(i).get_attribute("id") for i in range(3))
    for box in (first, second):
        keys.tab_to(lambda s, box=box: s["id"] == box)
        page.keyboard.press("Space")
    keys.press_button("Cast my ballot")
    assert "/receipt/" in page.url
    receipt = re.search(r"/receipt/([2-9A-Z-]+)", page.url).group(1)
    page.goto(f"/consultations/{approval}/ballot")
    for box in (second, third):
        keys.tab_to(lambda s, box=box: s["id"] == box)
        page.keyboard.press("Space")
    keys.press_button("Change my ballot")
    assert f"/receipt/{receipt}" in page.url, "a changed ballot keeps its receipt"

    # A quadratic ballot over budget is refused; the error message leads back to the field.
    page.goto(f"/consultations/{quadratic}/ballot")
    inputs = page.locator('input[name^="votes-"]')
    a, b = inputs.nth(0).get_attribute("id"), inputs.nth(1).get_attribute("id")
    keys.field(a, "8")
    keys.field(b, "8")
    keys.press_button("Cast my ballot")
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    if js:
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    keys.tab_to(lambda s: s["tag"] == "A" and s["inSummary"])
    page.keyboard.press("Enter")
    # Over budget is a problem of the whole ballot: the link moves focus to the options.
    assert page.evaluate("document.activeElement.id") in (a, b, "ballot-options"), (
        "the error link moves focus"
    )
    assert "over" in summary.inner_text().lower() or "credits" in summary.inner_text().lower()
    keys.field(b, "5")
    keys.press_button("Cast my ballot")
    assert "/receipt/" in page.url
    quadratic_receipt = re.search(r"/receipt/([2-9A-Z-]+)", page.url).group(1)

    # Look the receipt up.
    page.goto("/receipts")
    keys.field("receipt", quadratic_receipt.lower().replace("-", " "))
    keys.press_button("Find my ballot")
    assert quadratic_receipt in page.content()
    engine.dispose()
