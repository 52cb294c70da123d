"""Light pages: no request to any other host, and each page's first load (HTML, CSS, JS, fonts,
images) is at most 75 KB as transferred, measured from the browser's own network events."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.pages import PAGE_TYPES

BUDGET = 75 * 1024


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "who"), PAGE_TYPES, ids=[p[0] for p in PAGE_TYPES])
def test_first_load_is_light_and_stays_on_this_host(new_page, resolve, live_server, name, path, who):
    path = resolve(path)
    page = new_page(width=320, height=640, as_=who)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    own = urlsplit(live_server.url).netloc
    foreign = [r.url for r in requests if urlsplit(r.url).netloc not in (own, "")]
    assert foreign == [], f"{name} asked other hosts for {foreign}"
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    assert total <= BUDGET, f"{name}: first load {total} bytes > {BUDGET}"
