"""Links to commissioning: a group's organiser puts an option forward in a consultation of the group's
wards that is taking options; the option shows the group as its proposer."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participate.extensions import db
from participate.models import Consultation, Option, Phase, ProviderType, utcnow
from participate.permissions.champions import can_propose_option_for_group
from participate.services import groups
from tests.champions_factories import join, make_group, ward
from tests.support import Client


def _consultation(title, ward_codes=(), phase=Phase.OPTIONS, borough_wide=False):
    now = utcnow()
    consultation = Consultation(
        title=title,
        outcome_statement="Young people have somewhere safe to go.",
        phase=phase,
        is_borough_wide=borough_wide,
        options_open_at=now - timedelta(days=3),
        voting_open_at=now + timedelta(days=20),
        voting_close_at=now + timedelta(days=40),
        wards=[ward(c) for c in ward_codes],
    )
    db.session.add(consultation)
    db.session.commit()
    return consultation


def test_an_organiser_puts_an_option_forward_and_the_group_is_its_proposer(app, make_user):
    organiser = make_user()
    group = make_group(organiser, wards=("E05014098",))
    ours = _consultation("A greener Windrush", ("E05014098", "E05014101"))
    borough = _consultation("A greener borough", borough_wide=True)
    _consultation("Elsewhere", ("E05014117",))
    _consultation("Already voting", ("E05014098",), phase=Phase.VOTING)
    client = Client(app)
    client.sign_in(organiser)
    form = client.get(f"/groups/{group.id}/options/new").get_data(as_text=True)
    assert "A greener Windrush" in form and "A greener borough" in form
    assert "Elsewhere" not in form and "Already voting" not in form
    response = client.post(
        f"/groups/{group.id}/options/new",
        {
            "consultation": str(ours.id),
            "title": "A community orchard on the estate",
            "description": "We would plant and look after **twelve** fruit trees.",
            "provider_type": "community_led",
            "cost": "£1,250.50",
        },
    )
    assert response.status_code == 302
    option = db.session.scalar(sa.select(Option))
    assert option.group_id == group.id and option.group.name == group.name
    assert option.consultation_id == ours.id and option.proposer_id == organiser.id
    assert option.provider_type == ProviderType.COMMUNITY_LED and option.estimated_cost_pence == 125050
    assert "<strong>twelve</strong>" in option.description_html
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Options this group has put forward" in page and "A community orchard on the estate" in page
    assert can_propose_option_for_group(organiser, group, borough)


def test_mistakes_are_explained_and_nothing_is_put_forward(app, make_user):
    organiser = make_user()
    group = make_group(organiser)
    ours = _consultation("A greener Windrush", ("E05014098",))
    elsewhere = _consultation("Elsewhere", ("E05014117",))
    client = Client(app)
    client.sign_in(organiser)
    client.get(f"/groups/{group.id}/options/new")
    bad_cost = client.post(
        f"/groups/{group.id}/options/new",
        {"consultation": str(ours.id), "title": "Orchard", "description": "Trees", "cost": "lots"},
    ).get_data(as_text=True)
    assert "Enter the cost in pounds" in bad_cost and 'value="Orchard"' in bad_cost
    wrong = client.post(
        f"/groups/{group.id}/options/new",
        {"consultation": str(elsewhere.id), "title": "Orchard", "description": "Trees"},
    ).get_data(as_text=True)
    assert "Select a consultation from the list" in wrong
    missing = client.post(
        f"/groups/{group.id}/options/new", {"consultation": "", "title": "", "description": ""}
    )
    assert "Select the consultation" in missing.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Option.id))) == 0


def test_only_organisers_of_an_open_group_put_options_forward(app, make_user):
    organiser, member = make_user(), make_user()
    group = make_group(organiser)
    join(member, group)
    consultation = _consultation("A greener Windrush", ("E05014098",))
    assert can_propose_option_for_group(organiser, group, consultation)
    assert not can_propose_option_for_group(member, group, consultation)
    group.archived_at = utcnow()
    db.session.commit()
    assert not can_propose_option_for_group(organiser, group, consultation)
    client = Client(app)
    client.sign_in(organiser)
    assert client.get(f"/groups/{group.id}/options/new").status_code == 403


def test_the_group_page_offers_it_only_when_a_consultation_is_taking_options(app, make_user):
    organiser = make_user()
    group = make_group(organiser)
    client = Client(app)
    client.sign_in(organiser)
    assert "Put an option forward" not in client.get(f"/groups/{group.id}").get_data(as_text=True)
    _consultation("A greener Windrush", ("E05014098",))
    assert "Put an option forward" in client.get(f"/groups/{group.id}").get_data(as_text=True)


def test_an_option_names_the_group_that_put_it_forward_unless_the_group_is_hidden(app, make_user):
    from flask import render_template_string

    organiser = make_user()
    group = make_group(organiser, name="Windrush <Growers>")
    consultation = _consultation("A greener Windrush", ("E05014098",))
    option = groups.propose_option_for_group(
        organiser,
        group,
        consultation,
        title="Orchard",
        description="Trees",
        provider_type=ProviderType.COMMUNITY_LED,
        estimated_cost_pence=None,
    )
    db.session.commit()
    template = '{% from "champions/_proposer.html" import group_proposer %}{{ group_proposer(option) }}'
    with app.test_request_context():
        shown = render_template_string(template, option=option)
    assert f'href="/groups/{group.id}"' in shown and "Windrush &lt;Growers&gt;" in shown
    group.hidden_at = utcnow()
    db.session.commit()
    with app.test_request_context():
        hidden = render_template_string(template, option=option)
    assert "Put forward by a community group" in hidden and "Growers" not in hidden
