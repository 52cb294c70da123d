"""Open data: the JSON API (paginated, by ward, status and year), CSV, and a valid Atom feed."""

from __future__ import annotations

import csv
import io
from datetime import date
from xml.etree import ElementTree as ET

from tests.commissioning.conftest import BRIXTON, CLAPHAM

ATOM = "{http://www.w3.org/2005/Atom}"


def test_api_lists_decisions_with_their_page_and_filters_by_ward_status_and_year(client, closed_vote, decide):
    from participate.models import DeliveryStatus

    brixton = decide(closed_vote(title="Brixton hub", ward_codes=(BRIXTON,)), decided_on=date(2026, 4, 1))
    clapham = decide(
        closed_vote(title="Clapham trees", ward_codes=(CLAPHAM,)),
        decided_on=date(2026, 3, 31),
        status=DeliveryStatus.PLANNED,
    )
    borough = decide(
        closed_vote(title="Everywhere", ward_codes=(), is_borough_wide=True), decided_on=date(2027, 1, 5)
    )
    everything = client.get("/api/v1/commissioning").get_json()
    assert [i["id"] for i in everything["items"]] == [borough.id, brixton.id, clapham.id]
    assert everything["next"] is None
    item = everything["items"][1]
    assert item["url"] == f"http://localhost/commissioning/{brixton.id}"
    assert item["consultation"]["wards"] == [BRIXTON] and item["financial_year"] == "2026/27"

    def ids(query):
        return [i["id"] for i in client.get(f"/api/v1/commissioning?{query}").get_json()["items"]]

    assert ids(f"ward={BRIXTON}") == [borough.id, brixton.id]  # borough-wide decisions concern every ward
    assert ids(f"ward={CLAPHAM.lower()}") == [borough.id, clapham.id]
    assert ids("status=planned") == [clapham.id]
    assert ids("year=2026") == [borough.id, brixton.id]  # 1 April 2026 to 31 March 2027
    assert ids("year=2025") == [clapham.id]
    for bad in ("ward=Brixton", "status=lost", "year=last", "year=1999"):
        assert client.get(f"/api/v1/commissioning?{bad}").status_code == 400
    assert client.get("/api/v1/commissioning?ward=E00000000").status_code == 404


def test_api_pages_hold_fifty_decisions_and_link_the_next(client, closed_vote, decide, monkeypatch):
    from participate.blueprints import api

    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    made = [decide(closed_vote(title=f"Vote {n}"), decided_on=date(2026, 5, n + 1)) for n in range(3)]
    first = client.get("/api/v1/commissioning").get_json()
    assert [i["id"] for i in first["items"]] == [made[2].id, made[1].id]
    second = client.get(first["next"].removeprefix("http://localhost")).get_json()
    assert [i["id"] for i in second["items"]] == [made[0].id] and second["next"] is None


def test_decisions_csv_has_exact_money_and_quotes_formula_like_text(client, closed_vote, decide):
    decide(closed_vote(), provider_name='=HYPERLINK("http://evil")')
    rows = list(
        csv.DictReader(io.StringIO(client.get("/commissioning/decisions.csv").get_data(as_text=True)))
    )
    assert rows[0]["provider_name"].startswith("'=")
    assert rows[0]["value_pence"] == "123457" and rows[0]["value_gbp"] == "1234.57"


def test_atom_feed_of_decisions_and_updates_is_valid_atom(client, closed_vote, decide):
    from tests.commissioning.test_ocds import _post_update

    decision = decide(closed_vote(title="Youth hub"))
    _post_update(decision)
    response = client.get("/commissioning/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/commissioning/feed.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{required}").text or "").strip(), required
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == 2  # each entry has its own id
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert any(t.startswith("Progress") for t in titles) and any(t.startswith("Decision") for t in titles)


def test_openapi_describes_the_commissioning_paths(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/commissioning", "/commissioning/{decision_id}", "/commissioning/ocds.json"} <= set(
        spec["paths"]
    )
    from openapi_spec_validator import validate

    validate(spec)
