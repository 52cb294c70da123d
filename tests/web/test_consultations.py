"""Consultations: who opens them and for which wards, phase dates and voting settings, phases that
only move forward (logged with who and when), and residents seeing the ones that concern them."""

from __future__ import annotations

import importlib.util
import sys
import types
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import Consultation, Follow, Notification, Phase, PhaseChange, VotingMethod, utcnow
from tests.deliberation_support import (
    HOME,
    OTHER,
    make_consultation,
    make_proposal,
)


def _dates(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _form(wards, **overrides):
    today = utcnow().date()
    data = {
        "title": "Somewhere safe for young people",
        "outcome_statement": "Young people have *somewhere safe* to go in the evenings.",
        "scope": "wards",
        "wards": [str(w.id) for w in wards],
        **_dates("options_open", today),
        **_dates("voting_open", today + timedelta(days=14)),
        **_dates("voting_close", today + timedelta(days=21)),
        "method": "approval",
        "max_approvals": "3",
        "credits": "100",
        "budget": "£25,000",
    }
    data.update(overrides)
    return data


def test_an_officer_opens_a_consultation_adopting_a_proposal(client, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME], title="Safe evenings")
    db.session.commit()
    officer = people["officer"]
    client.sign_in(officer)
    prefilled = client.get(f"/consultations/new?proposal={proposal.id}").get_data(as_text=True)
    assert 'value="Safe evenings"' in prefilled and "adopts the residents" in prefilled
    response = client.post(
        "/consultations/new", _form([wards[HOME], wards[OTHER]], proposal_id=str(proposal.id))
    )
    assert response.status_code == 302, client.last_html[:3000]
    consultation = db.session.scalar(sa.select(Consultation))
    assert consultation.proposal_id == proposal.id and consultation.phase == Phase.OPTIONS
    assert {w.code for w in consultation.wards} == {HOME, OTHER} and not consultation.is_borough_wide
    assert (consultation.method, consultation.max_approvals, consultation.budget_pence) == (
        VotingMethod.APPROVAL,
        3,
        2_500_000,
    )
    # Voting closes at 23:59 London time on the day chosen.
    assert (
        consultation.voting_close_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).hour == 23
    )
    [opened] = db.session.scalars(sa.select(PhaseChange)).all()
    assert (opened.from_phase, opened.to_phase, opened.changed_by_id) == (None, "options", officer.id)
    assert db.session.scalar(sa.select(Follow.user_id)) == officer.id
    assert "Adopted" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_quadratic_settings_are_kept_and_approval_settings_dropped(client, people, wards):
    client.sign_in(people["officer"])
    client.get("/consultations/new")
    client.post(
        "/consultations/new",
        _form([], scope="borough", method="quadratic", credits="49", allow_negative="y", budget=""),
    )
    consultation = db.session.scalar(sa.select(Consultation))
    assert consultation.is_borough_wide and consultation.wards == []
    assert (consultation.method, consultation.credits, consultation.allow_negative) == (
        VotingMethod.QUADRATIC,
        49,
        True,
    )
    assert consultation.max_approvals is None and consultation.budget_pence is None


def test_mistakes_in_the_consultation_form_are_explained_and_what_was_typed_is_kept(client, people, wards):
    client.sign_in(people["officer"])
    client.get("/consultations/new")
    today = utcnow().date()
    html = client.post(
        "/consultations/new",
        _form(
            [],
            **_dates("voting_open", today),
            **{"voting_close-day": "31", "voting_close-month": "2", "voting_close-year": "2031"},
            budget="lots",
        ),
    ).get_data(as_text=True)
    for message in (
        "Choose at least one ward",
        "Voting must open after the day options open",
        "Enter a real date",
        "Enter an amount in pounds",
    ):
        assert message in html, message
    assert 'value="31"' in html and 'value="Somewhere safe for young people"' in html
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_a_councillor_opens_consultations_only_for_wards_they_represent(client, people, wards, make_user):
    councillor = people["councillor of this ward"]
    client.sign_in(councillor)
    form = client.get("/consultations/new").get_data(as_text=True)
    assert "The whole borough" not in form and "Clapham Park" not in form
    client.post("/consultations/new", _form([wards[HOME]]))
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 1
    # A crafted request for another ward, or the whole borough, is refused.
    assert client.post("/consultations/new", _form([wards[HOME], wards[OTHER]])).status_code == 403
    assert client.post("/consultations/new", _form([], scope="borough")).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 1
    client.sign_out()
    client.sign_in(people["resident in ward"])
    assert client.get("/consultations/new").status_code == 403
    client.sign_out()
    both = make_user(role="councillor", wards=[HOME, OTHER])
    client.sign_in(both)
    client.get("/consultations/new")
    assert client.post("/consultations/new", _form([wards[HOME], wards[OTHER]])).status_code == 302


def test_phases_only_move_forward_and_each_change_is_logged_with_who_and_when(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    db.session.commit()
    officer = people["officer"]
    client.sign_in(officer)
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Open voting now" in page
    assert client.post(f"/consultations/{consultation.id}/phase", {"to": "voting"}).status_code == 302
    db.session.refresh(consultation)
    assert consultation.phase == Phase.VOTING
    [change] = db.session.scalars(sa.select(PhaseChange)).all()
    assert (change.from_phase, change.to_phase, change.changed_by_id) == ("options", "voting", officer.id)
    assert change.changed_at <= utcnow()

    backwards = client.post(f"/consultations/{consultation.id}/phase", {"to": "options"})
    message = client.get(backwards.headers["Location"]).get_data(as_text=True)
    assert "Phases only move forward" in message
    db.session.refresh(consultation)
    assert consultation.phase == Phase.VOTING
    assert db.session.scalar(sa.select(sa.func.count(PhaseChange.id))) == 1

    client.post(f"/consultations/{consultation.id}/phase", {"to": "closed"})
    db.session.refresh(consultation)
    assert consultation.phase == Phase.CLOSED and consultation.voting_close_at <= utcnow()
    again = client.post(f"/consultations/{consultation.id}/phase", {"to": "closed"})
    assert "already in its closed phase" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PhaseChange.id))) == 2


def test_residents_cannot_move_phases(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/consultations/{consultation.id}")
    assert client.post(f"/consultations/{consultation.id}/phase", {"to": "voting"}).status_code == 403
    db.session.refresh(consultation)
    assert consultation.phase == Phase.OPTIONS


def test_settings_change_before_voting_only(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]], title="Old title")
    voting = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    form = client.get(f"/consultations/{consultation.id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in form
    client.post(f"/consultations/{consultation.id}/edit", _form([wards[HOME]], title="New title"))
    db.session.refresh(consultation)
    assert consultation.title == "New title"
    assert client.get(f"/consultations/{voting.id}/edit").status_code == 302


def test_residents_see_the_consultations_that_concern_them_on_their_home_page(client, people, wards):
    make_consultation(wards=[wards[HOME]], title="Only for Brixton Windrush")
    make_consultation(wards=[wards[OTHER]], title="Only for Clapham Park")
    make_consultation(borough_wide=True, title="For the whole borough")
    make_consultation(wards=[wards[HOME]], phase=Phase.CLOSED, title="Already closed")
    db.session.commit()
    signed_out = client.get("/").get_data(as_text=True)
    assert "Open consultations" in signed_out and "Only for Clapham Park" in signed_out
    assert "Already closed" not in signed_out
    client.sign_in(people["resident in ward"])
    home = client.get("/").get_data(as_text=True)
    assert "Only for Brixton Windrush" in home and "For the whole borough" in home
    assert "Only for Clapham Park" not in home and "Already closed" not in home
    ward_page = client.get(f"/wards/{HOME}").get_data(as_text=True)
    assert "Only for Brixton Windrush" in ward_page and "For the whole borough" in ward_page


def test_the_list_of_consultations_filters_by_ward_and_phase(client, wards):
    make_consultation(wards=[wards[HOME]], title="Home options")
    make_consultation(wards=[wards[OTHER]], phase=Phase.VOTING, title="Other voting")
    db.session.commit()
    everything = client.get("/consultations/").get_data(as_text=True)
    assert "Home options" in everything and "Other voting" in everything
    by_ward = client.get(f"/consultations/?ward={OTHER}").get_data(as_text=True)
    assert "Other voting" in by_ward and "Home options" not in by_ward
    by_phase = client.get("/consultations/?phase=options").get_data(as_text=True)
    assert "Home options" in by_phase and "Other voting" not in by_phase


def test_the_schedule_moves_consultations_whose_dates_have_passed(runner, people, wards):
    due = make_consultation(wards=[wards[HOME]])
    due.voting_open_at = utcnow() - timedelta(minutes=1)
    overdue = make_consultation(wards=[wards[HOME]])
    overdue.voting_open_at = utcnow() - timedelta(days=2)
    overdue.voting_close_at = utcnow() - timedelta(days=1)
    waiting = make_consultation(wards=[wards[HOME]])
    db.session.add(Follow(user_id=people["resident in ward"].id, consultation_id=due.id))
    db.session.commit()
    result = runner.invoke(args=["advance-phases"])
    assert result.exit_code == 0, result.output
    for consultation in (due, overdue, waiting):
        db.session.refresh(consultation)
    assert (due.phase, overdue.phase, waiting.phase) == (Phase.VOTING, Phase.CLOSED, Phase.OPTIONS)
    changes = db.session.scalars(sa.select(PhaseChange).order_by(PhaseChange.id)).all()
    assert [(c.consultation_id, c.to_phase, c.changed_by_id) for c in changes] == [
        (due.id, "voting", None),
        (overdue.id, "voting", None),
        (overdue.id, "closed", None),
    ]
    [told] = db.session.scalars(sa.select(Notification)).all()
    assert told.user_id == people["resident in ward"].id and "voting" in told.subject.lower()
    assert "http://localhost/consultations/" in told.url
    # Running again changes nothing.
    assert runner.invoke(args=["advance-phases"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(PhaseChange.id))) == 3


@pytest.fixture
def results_module():
    """A stand-in for the results feature, which stores a result when a consultation closes."""
    name = "participate.services.results"
    assert importlib.util.find_spec(name) is None or name in sys.modules
    module = types.ModuleType(name)
    module.__spec__ = importlib.util.spec_from_loader(name, loader=None)
    module.closed = []
    module.on_consultation_closed = module.closed.append
    sys.modules[name] = module
    yield module
    del sys.modules[name]


def test_closing_a_consultation_hands_it_to_the_results_feature_where_installed(app, people, wards):
    from participate.services.consultations import advance_phase

    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    with app.test_request_context():
        advance_phase(consultation, people["officer"], to=Phase.CLOSED)
    assert consultation.phase == Phase.CLOSED


def test_closing_calls_on_consultation_closed_when_the_results_module_exists(
    app, people, wards, results_module
):
    from participate.services.consultations import advance_phase

    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    with app.test_request_context():
        advance_phase(consultation, people["officer"], to=Phase.CLOSED)
    assert results_module.closed == [consultation]
