"""Options appraisal: putting options forward in the options phase (cost in pounds, provider type,
social value from the checklist), merging duplicates, ruling options out, and stance counts."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import (
    AuditEntry,
    Group,
    Membership,
    Option,
    OptionStatus,
    Phase,
    ProviderType,
    SocialValueMeasure,
    Stance,
)
from participate.services.social_value import load_checklist
from tests.deliberation_support import (
    HOME,
    make_comment,
    make_consultation,
    make_option,
)


@pytest.fixture
def checklist(app):
    load_checklist()
    db.session.commit()
    return {m.code: m for m in db.session.scalars(sa.select(SocialValueMeasure))}


def _option_count():
    return db.session.scalar(sa.select(sa.func.count(Option.id)))


def test_a_resident_in_scope_puts_an_option_forward_with_cost_and_social_value(
    client, people, wards, checklist
):
    consultation = make_consultation(wards=[wards[HOME]])
    db.session.commit()
    client.sign_in(people["resident in ward"])
    form = client.get(f"/consultations/{consultation.id}/options/new").get_data(as_text=True)
    assert "London Living Wage" in form and "Social enterprise" in form
    response = client.post(
        f"/consultations/{consultation.id}/options/new",
        {
            "title": "Youth club at the Rec",
            "description": "Weekday evenings, run with local youth workers.",
            "provider_type": "social_enterprise",
            "estimated_cost": "£12,500.50",
            "social_values": [str(checklist["LBH-3"].id), str(checklist["NT10"].id)],
        },
    )
    assert response.status_code == 302, client.last_html[:3000]
    option = db.session.scalar(sa.select(Option))
    assert option.estimated_cost_pence == 1_250_050
    assert option.provider_type == ProviderType.SOCIAL_ENTERPRISE
    assert {m.code for m in option.social_values} == {"LBH-3", "NT10"}
    assert option.ward_id == wards[HOME].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "£12,500.50" in page and "Weeks of apprenticeships" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12abc", "Enter an amount in pounds"),
        ("12.3456", "Enter an amount in pounds"),
        ("-5", "Enter an amount in pounds"),
        ("25,000,000", "£20,000,000 or less"),
    ],
)
def test_a_cost_that_is_not_an_amount_is_explained(client, people, wards, typed, message):
    consultation = make_consultation(wards=[wards[HOME]])
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/consultations/{consultation.id}/options/new")
    html = client.post(
        f"/consultations/{consultation.id}/options/new",
        {"title": "Idea", "description": "Text", "provider_type": "private", "estimated_cost": typed},
    ).get_data(as_text=True)
    assert message in html and f'value="{typed}"' in html
    assert _option_count() == 0


@pytest.mark.parametrize("phase", ["upcoming", "voting", "closed"])
def test_no_options_outside_the_options_phase(client, people, wards, phase):
    consultation = make_consultation(
        wards=[wards[HOME]],
        phase=Phase.OPTIONS if phase == "upcoming" else Phase(phase),
        upcoming=phase == "upcoming",
    )
    db.session.commit()
    client.sign_in(people["resident in ward"])
    client.get(f"/consultations/{consultation.id}")
    response = client.post(
        f"/consultations/{consultation.id}/options/new",
        {"title": "Late idea", "description": "My late idea, typed with care", "provider_type": "private"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Options can" in html and "Nothing has been saved" in html
    assert "My late idea, typed with care" in html
    assert _option_count() == 0


def test_a_resident_out_of_scope_cannot_put_options_forward(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    db.session.commit()
    client.sign_in(people["resident out of ward"])
    client.get("/")
    response = client.post(
        f"/consultations/{consultation.id}/options/new",
        {"title": "Idea", "description": "Text", "provider_type": "private"},
    )
    assert response.status_code == 403 and _option_count() == 0


def test_a_group_organiser_puts_an_option_forward_for_their_group(client, people, wards, make_user):
    consultation = make_consultation(wards=[wards[HOME]])
    organiser = people["resident out of ward"]
    group = Group(name="Windrush Growers", focus="food_growing", description="We grow food.")
    group.wards = [wards[HOME]]
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=organiser.id, role="organiser"))
    db.session.commit()
    client.sign_in(organiser)
    assert "Windrush Growers" in client.get(f"/consultations/{consultation.id}/options/new").get_data(
        as_text=True
    )
    client.post(
        f"/consultations/{consultation.id}/options/new",
        {
            "title": "Community garden",
            "description": "Run by us",
            "provider_type": "community_led",
            "group": str(group.id),
        },
    )
    option = db.session.scalar(sa.select(Option))
    assert option.group_id == group.id
    assert "Windrush Growers" in client.get(f"/consultations/{consultation.id}/options/{option.id}").get_data(
        as_text=True
    )


def test_an_officer_merges_a_duplicate_which_then_points_to_the_survivor(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    survivor = make_option(consultation, people["resident in ward"], title="Youth club")
    duplicate = make_option(consultation, people["councillor of this ward"], title="A club for teenagers")
    earlier = make_option(
        consultation, people["resident in ward"], title="Teen club", status=OptionStatus.MERGED
    )
    earlier.merged_into_id = duplicate.id
    db.session.commit()
    client.sign_in(people["officer"])
    base = f"/consultations/{consultation.id}/options/{duplicate.id}"
    assert "Youth club" in client.get(f"{base}/merge").get_data(as_text=True)
    assert client.post(f"{base}/merge", {"survivor": str(survivor.id)}).status_code == 302
    for option in (duplicate, earlier):
        db.session.refresh(option)
        assert (option.status, option.merged_into_id) == (OptionStatus.MERGED, survivor.id)
    page = client.get(base).get_data(as_text=True)
    assert "This option was merged into" in page and f"/options/{survivor.id}" in page
    listing = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Options (1)" in listing and "Merged or ineligible (2)" in listing
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_id == duplicate.id)) == (
        "option.merge"
    )


def test_an_officer_rules_an_option_out_with_a_public_reason_and_can_undo_it(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    option = make_option(consultation, people["resident in ward"], title="Ice rink")
    db.session.commit()
    client.sign_in(people["officer"])
    base = f"/consultations/{consultation.id}/options/{option.id}"
    client.get(f"{base}/ineligible")
    assert "Say why" in client.post(f"{base}/ineligible", {"reason": ""}).get_data(as_text=True)
    client.post(f"{base}/ineligible", {"reason": "Costs more than the whole budget."})
    db.session.refresh(option)
    assert option.status == OptionStatus.INELIGIBLE
    client.sign_out()
    assert "Costs more than the whole budget." in client.get(base).get_data(as_text=True)
    client.sign_in(people["officer"])
    client.get(base)
    client.post(f"{base}/reinstate")
    db.session.refresh(option)
    assert (option.status, option.ineligible_reason) == (OptionStatus.ACTIVE, None)


def test_councillors_and_residents_do_not_appraise_options(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    option = make_option(consultation, people["resident in ward"])
    db.session.commit()
    client.sign_in(people["councillor of this ward"])
    client.get("/")
    base = f"/consultations/{consultation.id}/options/{option.id}"
    assert client.post(f"{base}/ineligible", {"reason": "No"}).status_code == 403
    db.session.refresh(option)
    assert option.status == OptionStatus.ACTIVE


def test_appraisal_is_refused_once_voting_has_opened(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    option = make_option(consultation, people["resident in ward"])
    db.session.commit()
    client.sign_in(people["officer"])
    client.get("/")
    response = client.post(
        f"/consultations/{consultation.id}/options/{option.id}/ineligible", {"reason": "No"}
    )
    assert "only be appraised while the consultation is in its options phase" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    db.session.refresh(option)
    assert option.status == OptionStatus.ACTIVE


def test_each_option_shows_how_many_comments_are_for_against_and_neutral(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    option = make_option(consultation, people["resident in ward"], title="Youth club")
    other = make_option(consultation, people["resident in ward"], title="Street lights")
    for stance in (Stance.FOR, Stance.FOR, Stance.AGAINST, Stance.NEUTRAL):
        make_comment(people["councillor of this ward"], option, stance=stance)
    from participate.models import utcnow

    make_comment(people["councillor of this ward"], option, stance=Stance.FOR, hidden_at=utcnow())
    make_comment(people["councillor of this ward"], other, stance=Stance.AGAINST)
    db.session.commit()

    def counts(html, option_id):
        start = html.index(f'id="option-{option_id}"') if option_id else 0
        part = html[start:]
        return [
            int(part.split(f"stance--{s}")[1].split('stance__count">')[1].split("<")[0])
            for s in ("for", "against", "neutral")
        ]

    listing = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert counts(listing, option.id) == [2, 1, 1]
    assert counts(listing, other.id) == [0, 1, 0]
    page = client.get(f"/consultations/{consultation.id}/options/{option.id}").get_data(as_text=True)
    assert counts(page, None) == [2, 1, 1]


def test_options_of_every_provider_type_are_offered_and_shown(client, people, wards):
    consultation = make_consultation(wards=[wards[HOME]])
    for kind in ProviderType:
        make_option(consultation, people["resident in ward"], title=f"By {kind.value}", provider_type=kind)
    db.session.commit()
    html = unescape(client.get(f"/consultations/{consultation.id}").get_data(as_text=True))
    for label in (
        "In-house",
        "Arm's-length body",
        "Private company",
        "Social enterprise",
        "Voluntary and community organisation",
        "Community-led",
    ):
        assert label in html, label
