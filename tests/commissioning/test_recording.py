"""Recording a decision: pre-filled from the vote, checked before saving, departures explained."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.commissioning.conftest import answers


def _decisions():
    from participate.extensions import db
    from participate.models import CommissioningDecision

    db.session.expire_all()
    return db.session.scalars(sa.select(CommissioningDecision)).all()


def test_form_is_prefilled_with_the_option_the_vote_ranked_first(client, officer, closed_vote, checklist):
    consultation = closed_vote()
    winner = consultation.options[1]
    client.sign_in(officer)
    page = client.get(f"/commissioning/consultations/{consultation.id}/decision").get_data(as_text=True)
    assert (
        f'value="{winner.id}" checked' in page
        or f'checked id="options-1" name="options" type="checkbox" value="{winner.id}"' in page
    )
    assert 'value="2500.00"' in page  # the winning option's estimated cost, as pounds
    assert "What the vote chose" in page and winner.title in page


def test_officer_checks_answers_before_the_decision_is_saved(client, officer, closed_vote, checklist):
    consultation = closed_vote()
    winner = consultation.options[1]
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    data = answers([winner.id])
    data.update(
        {
            "commitments-0-measure": str(checklist["NT29"].id),
            "commitments-0-target": "120",
            "commitments-0-is_enforceable": "y",
        }
    )
    check = client.post(url, {**data, "step": "check"})
    page = check.get_data(as_text=True)
    assert check.status_code == 200 and "Check the decision before you record it" in page
    assert "£1,234.57" in page and "Brixton Youth Trust" in page
    assert _decisions() == []  # nothing is saved before the officer confirms
    change = client.post(url, {**data, "step": "change"}).get_data(as_text=True)
    assert 'value="Brixton Youth Trust"' in change  # Change goes back to the form with the answers kept
    saved = client.post(url, {**data, "step": "save"})
    assert saved.status_code == 302
    (decision,) = _decisions()
    assert decision.value_pence == 123_457 and not decision.departs_from_vote
    assert [o.id for o in decision.options] == [winner.id]
    assert decision.commitments[0].measure.code == "NT29" and decision.commitments[0].is_enforceable
    assert saved.headers["Location"].endswith(f"/commissioning/{decision.id}")


def test_departure_from_the_vote_without_a_reason_is_refused_and_nothing_is_saved(
    client, officer, closed_vote, checklist
):
    consultation = closed_vote()
    loser = consultation.options[2]
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    for step in ("check", "save"):
        response = client.post(url, {**answers([loser.id]), "departure_reason": "   ", "step": step})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "differ from what the vote chose: say why" in page
        assert 'value="Brixton Youth Trust"' in page  # what was typed is kept
    assert _decisions() == []


def test_the_reason_for_departing_from_the_vote_is_public_beside_the_vote(
    client, officer, closed_vote, checklist, make_user
):
    consultation = closed_vote()
    loser = consultation.options[2]
    reason = "The winning site failed its structural survey; the second choice can open this year."
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    assert (
        client.post(url, {**answers([loser.id]), "departure_reason": reason, "step": "save"}).status_code
        == 302
    )
    (decision,) = _decisions()
    assert decision.departs_from_vote and decision.departure_reason == reason
    client.sign_out()
    page = client.get(f"/commissioning/{decision.id}").get_data(as_text=True)
    assert "This decision departs from the vote" in page and reason in page
    assert consultation.options[1].title in page  # what residents voted for, beside it
    ward = client.get("/wards/E05014098").get_data(as_text=True)
    assert "Departs from the vote" in ward and reason[:60] in ward
    api = client.get(f"/api/v1/commissioning/{decision.id}").get_json()
    assert api["vote"]["followed"] is False and api["vote"]["departure_reason"] == reason


def test_the_database_refuses_a_departure_without_a_reason(app, decide, closed_vote):
    from participate.extensions import db
    from participate.models import CommissioningDecision

    decision = decide(closed_vote())
    for blank in (None, "", "   "):
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.update(CommissioningDecision)
                .where(CommissioningDecision.id == decision.id)
                .values(departs_from_vote=True, departure_reason=blank)
            )
            db.session.flush()
        db.session.rollback()


def test_service_refuses_a_departure_without_a_reason(app, decide, closed_vote):
    from participate.services.commissioning import CommissioningError

    consultation = closed_vote()
    with pytest.raises(CommissioningError) as refused:
        decide(consultation, option_ids=[consultation.options[0].id])
    assert refused.value.code == "reason_required"


def test_either_budget_rule_s_funded_set_follows_the_vote(app, make_consultation, decide):
    from participate.services import commissioning
    from tests.commissioning.conftest import add_ballots, close

    consultation = make_consultation(costs=[60_000_00, 50_000_00, 45_000_00], budget_pence=100_000_00)
    a, b, c = (o.id for o in consultation.options)
    add_ballots(consultation, [{a: 1}, {a: 1}, {a: 1, b: 1}, {b: 1, c: 1}, {c: 1}])
    consultation = close(consultation)
    choice = commissioning.vote_choice(consultation)
    assert choice.rule == "equal_shares" and choice.option_ids
    for funded in choice.accepted:
        assert not commissioning.departs_from(choice, funded)
    assert commissioning.departs_from(choice, [a, b, c])


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "councillor", "officer without two-factor", "admin without two-factor"]
)
def test_only_officers_and_admins_may_record_a_decision(client, make_user, closed_vote, checklist, role):
    consultation = closed_vote()
    url = f"/commissioning/consultations/{consultation.id}/decision"
    if role != "anonymous":
        name = role.split()[0]
        user = make_user(role=name, two_factor=False if "without" in role else None)
        client.sign_in(user)
    get = client.get(url)
    post = client.post(url, {**answers([consultation.options[1].id]), "step": "save"})
    if role == "anonymous":
        assert get.status_code == post.status_code == 302 and "/sign-in" in post.headers["Location"]
    else:
        assert get.status_code == post.status_code == 403
    assert _decisions() == []


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_record_decisions(client, make_user, closed_vote, checklist, role):
    consultation = closed_vote()
    client.sign_in(make_user(role=role))
    url = f"/commissioning/consultations/{consultation.id}/decision"
    assert client.post(url, {**answers([consultation.options[1].id]), "step": "save"}).status_code == 302
    assert len(_decisions()) == 1


def test_a_vote_still_open_cannot_be_decided(client, officer, make_consultation, checklist):
    consultation = make_consultation(phase="voting")
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    assert client.get(url).status_code == 409
    assert client.post(url, {**answers([consultation.options[0].id]), "step": "save"}).status_code == 409
    assert _decisions() == []


def test_a_community_group_provider_must_be_chosen_from_the_groups(client, officer, closed_vote, checklist):
    consultation = closed_vote()
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    data = answers(
        [consultation.options[1].id], provider_kind="community_group", provider_name="", provider_group="999"
    )
    page = client.post(url, {**data, "step": "save"}).get_data(as_text=True)
    assert "Choose the group from the list" in page
    assert _decisions() == []


def test_bad_dates_and_amounts_get_clear_messages(client, officer, closed_vote, checklist):
    from datetime import date

    from tests.commissioning.conftest import date_parts

    consultation = closed_vote()
    client.sign_in(officer)
    url = f"/commissioning/consultations/{consultation.id}/decision"
    data = answers([consultation.options[1].id], value="12.3456", **date_parts("end_date", date(2026, 1, 1)))
    data["review_date-month"] = "13"
    page = client.post(url, {**data, "step": "check"}).get_data(as_text=True)
    assert "Enter an amount in pounds and pence, like 1,234.57" in page
    assert "The end date must be the same as or after the start date" in page
    assert "the review date must be a real date" in page.lower()
    assert 'value="12.3456"' in page
    assert _decisions() == []


def test_results_page_leads_officers_to_record_and_everyone_to_the_decision(
    client, officer, closed_vote, decide, make_user
):
    consultation = closed_vote()
    url = f"/consultations/{consultation.id}/results"
    client.sign_in(make_user())
    assert "Record the commissioning decision" not in client.get(url).get_data(as_text=True)
    client.sign_out()
    client.sign_in(officer)
    page = client.get(url).get_data(as_text=True)
    assert f'href="/commissioning/consultations/{consultation.id}/decision"' in page
    decision = decide(consultation)
    client.sign_out()
    page = client.get(url).get_data(as_text=True)
    assert f'href="/commissioning/{decision.id}"' in page
