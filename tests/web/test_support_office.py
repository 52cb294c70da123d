"""The support office: officers and admins only; every champion, group and event; the reported figures."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import ChampionProfile, Interest, Rsvp, utcnow
from participate.services import events, figures
from tests.champions_factories import join, make_champion, make_event, make_group
from tests.support import Client

OFFICE_PAGES = [
    "/support-office/",
    "/support-office/?measure=groups",
    "/support-office/champions",
    "/support-office/champions.csv",
    "/support-office/groups",
    "/support-office/events",
    "/support-office/events?when=past",
    "/support-office/figures.csv?by=ward",
    "/support-office/figures.csv?by=interest",
    "/support-office/figures.csv?by=month",
]


@pytest.mark.parametrize("role", [None, "resident", "champion", "councillor"])
def test_only_officers_and_admins_see_the_support_office_everyone_else_gets_a_clear_403(app, make_user, role):
    client = Client(app)
    if role is not None:
        user = make_user(role="resident" if role == "champion" else role)
        if role == "champion":
            make_champion(user)
        client.sign_in(user)
    for url in OFFICE_PAGES:
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert "You cannot do that" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_see_every_page_of_the_support_office(app, make_user, role):
    organiser = make_user()
    group = make_group(organiser)
    make_event(group, organiser)
    client = Client(app)
    client.sign_in(make_user(role=role))
    for url in OFFICE_PAGES:
        assert client.get(url).status_code == 200, url


def _community(make_user):
    """A small borough: champions with and without consent, groups, members and events."""
    now = utcnow()
    agreed = make_user(name="Agreeing Ada", email="ada@example.org", wards=["E05014098"])
    make_champion(agreed, public=True, contact=True, interests=(Interest.FOOD_GROWING, Interest.CLEAN_AIR))
    private = make_user(name="Private Priya", email="priya@example.org", wards=["E05014101"])
    make_champion(
        private, ward_code="E05014101", public=False, contact=False, interests=(Interest.BIODIVERSITY,)
    )
    stepped = make_user(email="gone@example.org")
    profile = make_champion(stepped)
    profile.stepped_down_at = now
    growers = make_group(agreed, name="Windrush Growers", wards=("E05014098", "E05014101"))
    wildlife = make_group(private, name="Clapham Wildlife", wards=("E05014101",), focus=Interest.BIODIVERSITY)
    member = make_user(wards=["E05014101"])
    join(member, growers)
    join(member, wildlife)
    attendee = make_user(wards=["E05014110"])
    held = make_event(growers, agreed, starts_at=now - timedelta(days=3), capacity=10)
    db.session.add(
        Rsvp(event_id=held.id, user_id=attendee.id, status="going", status_at=now - timedelta(days=5))
    )
    held.going_count = 1
    make_event(wildlife, private)  # upcoming: not held
    cancelled = make_event(wildlife, private, starts_at=now - timedelta(days=1))
    cancelled.cancelled_at = now - timedelta(days=2)
    db.session.commit()
    return {"growers": growers, "wildlife": wildlife}


def test_the_figures_count_what_the_council_reports(app, make_user, wards):
    _community(make_user)
    totals = figures.totals()
    # Champions: Ada and Priya (one stepped down). Groups: two. Residents involved: Ada, Priya,
    # the member (in two groups, counted once) and the attendee. Events held: one.
    assert (totals.champions, totals.groups, totals.residents, totals.events_held) == (2, 2, 4, 1)
    by_ward = {r.key.code: r.figures for r in figures.by_ward()}
    assert (
        by_ward["E05014098"].champions,
        by_ward["E05014098"].groups,
        by_ward["E05014098"].events_held,
    ) == (1, 1, 1)
    assert (by_ward["E05014101"].champions, by_ward["E05014101"].groups) == (1, 2)
    assert by_ward["E05014101"].residents == 2  # Priya and the member live there
    assert by_ward["E05014110"].residents == 1  # the attendee
    by_interest = {r.key: r.figures for r in figures.by_interest()}
    assert (
        by_interest[Interest.FOOD_GROWING].champions == 1 and by_interest[Interest.CLEAN_AIR].champions == 1
    )
    assert by_interest[Interest.FOOD_GROWING].residents == 3  # Ada, the member, the attendee
    assert by_interest[Interest.BIODIVERSITY].groups == 1
    months = figures.monthly()
    assert len(months) == 12 and months[-1].figures.champions == 3  # joined this month, stepped down or not
    assert sum(m.figures.events_held for m in months) == 1


def test_monthly_figures_fall_in_london_calendar_months(app, make_user):
    from participate.london import to_utc

    user = make_user()
    profile = make_champion(user)
    now = utcnow()
    # 00:30 on 1 July in London (summer time) is still 30 June in UTC.
    year = now.year - 1
    profile.created_at = to_utc(date(year, 7, 1), time(0, 30))
    db.session.commit()
    months = {r.key: r.figures.champions for r in figures.monthly(now, months=24)}
    assert months[date(year, 7, 1)] == 1
    assert months[date(year, 6, 1)] == 0


def test_dashboard_draws_each_breakdown_and_tables_the_same_numbers(client, make_user):
    _community(make_user)
    client.sign_in(make_user(role="officer"))
    html = client.get("/support-office/?measure=residents").get_data(as_text=True)
    assert html.count("<svg") == 3 and 'role="img"' in html
    assert "Residents involved – By ward" in html
    # The chart's value for Clapham Park and the table's are the same number.
    assert ">Clapham Park</text>" in html and '<th scope="row">Clapham Park</th>' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "style=" not in html


def test_figures_are_exported_as_csv(client, make_user):
    _community(make_user)
    client.sign_in(make_user(role="officer"))
    response = client.get("/support-office/figures.csv?by=ward")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 25
    clapham = next(r for r in rows if r["ward_code"] == "E05014101")
    assert (clapham["champions"], clapham["groups"], clapham["residents"]) == ("1", "2", "2")
    by_month = list(
        csv.DictReader(io.StringIO(client.get("/support-office/figures.csv?by=month").get_data(as_text=True)))
    )
    assert len(by_month) == 12 and by_month[-1]["month"] == utcnow().strftime("%Y-%m")
    assert client.get("/support-office/figures.csv?by=nonsense").status_code == 404


def test_champion_directory_shows_contact_details_only_for_those_who_agreed(client, make_user):
    _community(make_user)
    client.sign_in(make_user(role="officer"))
    html = client.get("/support-office/champions").get_data(as_text=True)
    assert "Agreeing Ada" in html and "Private Priya" in html
    assert "ada@example.org" in html
    assert "priya@example.org" not in html and "Did not agree to be contacted." in html
    assert "gone@example.org" not in html
    rows = list(
        csv.DictReader(io.StringIO(client.get("/support-office/champions.csv").get_data(as_text=True)))
    )
    emails = {r["name"]: r["email"] for r in rows}
    assert emails == {"Agreeing Ada": "ada@example.org", "Private Priya": ""}


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, make_user):
    user = make_user(name="=HYPERLINK(1)")
    make_champion(user)
    db.session.execute(sa.update(ChampionProfile).values(statement="@SUM(A1)"))
    db.session.commit()
    client.sign_in(make_user(role="officer"))
    [row] = list(
        csv.DictReader(io.StringIO(client.get("/support-office/champions.csv").get_data(as_text=True)))
    )
    assert row["name"] == "'=HYPERLINK(1)" and row["statement"] == "'@SUM(A1)"


def test_groups_and_events_pages_list_everything_with_places_and_waiting_lists(client, make_user):
    community = _community(make_user)
    organiser = make_user()
    full = make_event(community["growers"], organiser, title="Full event", capacity=1)
    events.rsvp(make_user(), full)
    events.rsvp(make_user(), full)
    community["wildlife"].archived_at = utcnow()
    db.session.commit()
    client.sign_in(make_user(role="admin"))
    groups_html = client.get("/support-office/groups").get_data(as_text=True)
    assert (
        "Windrush Growers" in groups_html and "Clapham Wildlife" in groups_html and "archived" in groups_html
    )
    assert "Agreeing Ada" in groups_html  # organisers are named to the office
    events_html = client.get("/support-office/events").get_data(as_text=True)
    assert "Full event" in events_html
    past_html = client.get("/support-office/events?when=past").get_data(as_text=True)
    assert "Seed swap" in past_html and "Full event" not in past_html


def test_home_page_shows_the_headline_figures(client, make_user):
    _community(make_user)
    html = client.get("/").get_data(as_text=True)
    assert "Green community champions" in html
    assert '<span class="figures__number">4</span> residents involved' in html
    assert '<span class="figures__number">1</span> event held' in html
