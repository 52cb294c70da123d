"""The open call: the public page, becoming a champion in your own words, changing it, stepping down."""

from __future__ import annotations

import re

import sqlalchemy as sa

from participate.extensions import db
from participate.models import ChampionProfile, Interest
from participate.services import champions
from tests.champions_factories import make_champion


def _answers(wards, **overrides):
    data = {
        "ward": str(wards["E05014101"].id),
        "statement": "Start a seed swap at the library and plant fruit trees on our estate.",
        "interests": ["food_growing", "biodiversity"],
        "availability": "Saturday mornings",
        "is_public": "y",
        "may_contact": "y",
    }
    data.update(overrides)
    return data


def test_open_call_page_explains_the_call_to_everyone(client):
    html = client.get("/champions/").get_data(as_text=True)
    assert "Become a green community champion" in html
    assert "support office" in html
    assert "Sign in to become a champion" in html


def test_becoming_a_champion_needs_signing_in(client):
    response = client.get("/champions/join")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_unconfirmed_resident_is_refused_with_a_403(client, make_user):
    client.sign_in(make_user(verified=False))
    assert client.get("/champions/join").status_code == 403


def test_resident_becomes_a_champion_in_their_own_words(client, make_user, wards):
    user = make_user()
    client.sign_in(user)
    client.get("/champions/join")
    response = client.post("/champions/join", _answers(wards))
    assert response.status_code == 302
    profile = db.session.scalar(sa.select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    assert profile.statement.startswith("Start a seed swap")
    assert profile.ward.code == "E05014101"
    assert profile.availability == "Saturday mornings"
    assert profile.is_public and profile.may_contact
    assert champions.interests_of([profile.id])[profile.id] == [Interest.FOOD_GROWING, Interest.BIODIVERSITY]
    html = client.get("/champions/").get_data(as_text=True)
    assert "You are a green community champion." in html


def test_missing_answers_are_explained_and_what_was_typed_is_kept(client, make_user, wards):
    user = make_user()
    client.sign_in(user)
    client.get("/champions/join")
    response = client.post(
        "/champions/join", _answers(wards, statement="   ", interests=[], availability="Weekday evenings")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Say what you would like to do" in html
    assert "Select at least one interest" in html
    assert 'value="Weekday evenings"' in html
    assert db.session.scalar(sa.select(sa.func.count(ChampionProfile.id))) == 0


def test_unknown_interest_is_refused(client, make_user, wards):
    client.sign_in(make_user())
    client.get("/champions/join")
    response = client.post("/champions/join", _answers(wards, interests=["crypto"]))
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(ChampionProfile.id))) == 0


def test_champion_changes_their_answers_and_privacy_choices(client, make_user, wards):
    user = make_user()
    profile = make_champion(user, public=True, contact=True)
    client.sign_in(user)
    page = client.get("/champions/join").get_data(as_text=True)
    assert "I want to plant fruit trees" in page
    assert re.search(r'<input checked[^>]*value="food_growing"', page)
    assert not re.search(r'<input checked[^>]*value="clean_air"', page)
    client.post(
        "/champions/join",
        _answers(
            wards,
            statement="Run a repair café.",
            interests=["waste_and_recycling"],
            is_public="",
            may_contact="",
        ),
    )
    db.session.refresh(profile)
    assert profile.statement == "Run a repair café."
    assert not profile.is_public and not profile.may_contact
    assert champions.interests_of([profile.id])[profile.id] == [Interest.WASTE_AND_RECYCLING]


def test_champion_steps_down_after_confirming_and_is_no_longer_listed(client, make_user, wards):
    user = make_user(name="Stepping Stella")
    profile = make_champion(user, public=True)
    assert "Stepping Stella" in client.get("/wards/E05014098").get_data(as_text=True)
    client.sign_in(user)
    assert "Step down" in client.get("/champions/step-down").get_data(as_text=True)
    assert client.post("/champions/step-down").status_code == 302
    db.session.refresh(profile)
    assert profile.stepped_down_at is not None and not profile.is_public
    assert "Stepping Stella" not in client.get("/wards/E05014098").get_data(as_text=True)
    # Answering again makes them a champion again, with the same profile kept.
    client.get("/champions/join")
    client.post("/champions/join", _answers(wards))
    db.session.refresh(profile)
    assert profile.stepped_down_at is None


def test_stepping_down_without_being_a_champion_is_not_found(client, make_user):
    client.sign_in(make_user())
    assert client.get("/champions/step-down").status_code == 404


def test_step_down_needs_the_csrf_token(client, make_user):
    user = make_user()
    profile = make_champion(user)
    client.sign_in(user)
    response = client.post("/champions/step-down", csrf=False)
    assert "This form had expired or did not come from this site" in response.get_data(as_text=True)
    db.session.refresh(profile)
    assert profile.stepped_down_at is None
