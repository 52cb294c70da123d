"""axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page type, on a phone and a laptop, in
English and Arabic (right to left); a screenshot of each at 320px for people to look at."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS
from tests.browser.pages import PAGE_TYPES

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"phone": (320, 640), "laptop": (1280, 800)}
AXE = Axe()


def violations(page) -> list[str]:
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in result.response["violations"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("name", "path", "who"), PAGE_TYPES, ids=[p[0] for p in PAGE_TYPES])
def test_no_wcag_violations(new_page, resolve, name, path, who, viewport, lang):
    path = resolve(path)
    width, height = VIEWPORTS[viewport]
    page = new_page(width=width, height=height, lang=lang, as_=who)
    separator = "&" if "?" in path else "?"
    response = page.goto(f"{path}{separator}lang={lang}")
    assert response.status < 500
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    if viewport == "phone" and lang in ("en", "ar"):
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-320.png"), full_page=True)
    found = violations(page)
    assert not found, "\\n".join(found)
