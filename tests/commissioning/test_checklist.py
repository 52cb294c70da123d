"""The community benefit checklist: admins add and withdraw measures; used ones are never deleted;
shipped measures' names are translated, an admin's own keep their name."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


def _measure(code):
    from participate.extensions import db
    from participate.models import SocialValueMeasure

    db.session.expire_all()
    return db.session.scalar(sa.select(SocialValueMeasure).where(SocialValueMeasure.code == code))


@pytest.mark.parametrize("role", ["resident", "councillor", "officer"])
def test_only_admins_edit_the_checklist(client, make_user, checklist, role):
    client.sign_in(make_user(role=role))
    assert client.get("/commissioning/checklist").status_code == 403
    response = client.post("/commissioning/checklist", {"code": "X1", "name": "X", "unit": "hours"})
    assert response.status_code == 403 and _measure("X1") is None
    assert client.post(f"/commissioning/checklist/{checklist['NT29'].id}/withdraw").status_code == 403
    assert _measure("NT29").is_active


def test_admin_adds_a_measure_and_a_duplicate_code_is_refused(client, make_user, checklist):
    client.sign_in(make_user(role="admin"))
    data = {
        "code": "LOCAL-7",
        "name": "Trees planted with residents",
        "unit": "trees",
        "theme": "Environment",
    }
    assert client.post("/commissioning/checklist", data).status_code == 302
    added = _measure("LOCAL-7")
    assert added.name == "Trees planted with residents" and added.is_active and not added.is_money
    again = client.post("/commissioning/checklist", {**data, "code": "local-7", "name": "Other"})
    assert again.status_code == 400 and "Another measure has this code" in again.get_data(as_text=True)
    assert 'value="Other"' in again.get_data(as_text=True)


def test_a_withdrawn_measure_is_not_offered_and_a_used_one_cannot_be_deleted(
    client, make_user, checklist, closed_vote, decide, officer
):
    decision = decide(closed_vote(), commitments=[("NT29", "10", False)])
    client.sign_in(make_user(role="admin"))
    used = checklist["NT29"]
    assert client.post(f"/commissioning/checklist/{used.id}/delete").status_code == 302
    assert _measure("NT29") is not None  # in use: kept
    assert client.post(f"/commissioning/checklist/{used.id}/withdraw").status_code == 302
    assert not _measure("NT29").is_active
    consultation = closed_vote(title="Another")
    client.sign_out()
    client.sign_in(officer)
    form = client.get(f"/commissioning/consultations/{consultation.id}/decision").get_data(as_text=True)
    assert f'value="{used.id}"' not in form and f'value="{checklist["NT18"].id}"' in form
    # The contract that committed to it still shows it.
    page = client.get(f"/commissioning/{decision.id}").get_data(as_text=True)
    assert "Volunteering hours for local community projects" in page


def test_an_unused_measure_can_be_deleted(client, make_user, checklist):
    client.sign_in(make_user(role="admin"))
    client.post("/commissioning/checklist", {"code": "TYPO", "name": "Typo", "unit": "hours"})
    assert client.post(f"/commissioning/checklist/{_measure('TYPO').id}/delete").status_code == 302
    assert _measure("TYPO") is None


def test_shipped_measure_names_are_translated_and_admin_measures_keep_theirs(app, checklist):
    from flask_babel import force_locale

    from participate.models import SocialValueMeasure
    from participate.services.commissioning_labels import MEASURE_NAMES, measure_name

    # Every shipped measure has a translatable name.
    assert set(MEASURE_NAMES) == set(checklist)
    own = SocialValueMeasure(code="LOCAL-1", name="Litter picks", unit="events")
    with app.test_request_context("/"), force_locale("en"):
        assert measure_name(checklist["LBH-3"]) == "Paying the London Living Wage"
        assert measure_name(own) == "Litter picks"
