"""Privacy: a champion or member who did not agree to be named appears in no public page, feed or API
response. Every response reachable from the home page (pages, iCalendar feeds, the API) is fetched
and searched for their name, by a visitor and by a signed-in resident of the same groups."""

from __future__ import annotations

import html
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

from participate.extensions import db
from participate.models import Rsvp, utcnow
from participate.services import events, groups
from tests.champions_factories import join, make_champion, make_event, make_group
from tests.support import Client

HIDDEN = "Zelda Hiddenname"
VISIBLE = "Victor Visiblename"
HREF = re.compile(r'href="([^"]+)"')
LIMIT = 600


def _world(make_user):
    """Zelda agreed to nothing: a champion, organiser of one group, member of another, author of
    announcements, going to events and waiting for one. Victor agreed to be named everywhere."""
    hidden = make_user(name=HIDDEN, email="zelda@example.org", wards=["E05014098"])
    make_champion(hidden, public=False, contact=False)
    visible = make_user(name=VISIBLE, email="victor@example.org", wards=["E05014098"])
    make_champion(visible, public=True)
    hers = make_group(hidden, name="Zelda's Growers", wards=("E05014098",))
    his = make_group(visible, name="Victor's Repair Café", wards=("E05014098", "E05014101"))
    join(hidden, his, public=False)
    groups.post_announcement(hidden, hers, "Our first seed swap is on Saturday.")
    db.session.commit()
    full = make_event(his, visible, title="Repair café", capacity=1)
    events.rsvp(visible, full)
    events.rsvp(hidden, full)  # waiting
    for group, organiser in ((hers, hidden), (his, visible)):
        upcoming = make_event(group, organiser, title="Planting day")
        events.rsvp(hidden, upcoming)
        held = make_event(group, organiser, title="Litter pick", starts_at=utcnow() - timedelta(days=4))
        db.session.add(Rsvp(event_id=held.id, user_id=hidden.id, status="going"))
    db.session.commit()
    resident = make_user(name="Curious Resident", wards=["E05014098"])
    join(resident, hers)
    join(resident, his)
    return resident


def _links(response) -> list[str]:
    if response.mimetype == "application/json":
        found = []

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and value.startswith("http://localhost/"):
                found.append(value.removeprefix("http://localhost"))

        walk(response.get_json())
        return found
    if response.mimetype != "text/html":
        return []
    return [html.unescape(h) for h in HREF.findall(response.get_data(as_text=True))]


def _crawl(client) -> dict[str, str]:
    """Every same-site response reachable from the home page and the API's entry points."""
    seen: dict[str, str] = {}
    queue = deque(["/", "/api/v1/champions/figures", "/api/v1/wards"])
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("/static/"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen or "lang=" in url:
            continue
        response = client.get(url)
        seen[url] = response.get_data(as_text=True)
        if response.status_code == 200:
            queue.extend(_links(response))
    return seen


def _check(client):
    pages = _crawl(client)
    leaks = [url for url, body in pages.items() if "Hiddenname" in body or "zelda@example.org" in body]
    assert not leaks, f"{HIDDEN} appears in {leaks}"
    kinds = {
        "group page": any(re.fullmatch(r"/groups/\d+", u) for u in pages),
        "event page": any(re.fullmatch(r"/groups/\d+/events/\d+", u) for u in pages),
        "group feed": any(re.fullmatch(r"/groups/\d+\.ics", u) for u in pages),
        "event feed": any(re.fullmatch(r"/events/\d+\.ics", u) for u in pages),
        "ward page": "/wards/E05014098" in pages,
        "API": "/api/v1/champions/figures/wards" in pages,
    }
    assert all(kinds.values()), kinds
    # The crawl reaches the places names are shown: the one who agreed is there.
    assert any(VISIBLE in body for body in pages.values())
    return pages


def test_a_champion_who_did_not_agree_is_named_nowhere_a_visitor_can_reach(app, make_user):
    _world(make_user)
    pages = _check(Client(app))
    assert len(pages) > 30


def test_nor_anywhere_another_resident_of_the_same_groups_can_reach(app, make_user):
    resident = _world(make_user)
    client = Client(app)
    client.sign_in(resident)
    pages = _check(client)
    assert "/account/" in pages
