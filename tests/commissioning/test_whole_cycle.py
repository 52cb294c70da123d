"""The whole cooperative commissioning cycle through the pages, as the people in it would do it:
an outcome is proposed, adopted into a consultation, options are put forward, residents vote, the
vote closes, an officer records the decision and reports progress, and the ward page, the API and
the OCDS export all show it."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from tests.commissioning.conftest import BRIXTON, answers, date_parts


def _dates(prefix, day):
    return date_parts(prefix, day)


def test_outcome_to_consultation_to_vote_to_decision_to_progress_shows_everywhere(
    client, make_user, checklist, runner
):
    from participate.extensions import db
    from participate.models import (
        CommissioningDecision,
        Consultation,
        OutboxMessage,
        OutcomeProposal,
        Phase,
        StoredResult,
        utcnow,
    )

    long_ago = utcnow() - timedelta(days=90)
    proposer = make_user(name="Precious Proposer", created_at=long_ago)
    voters = [make_user(name=f"Voter {n}", created_at=long_ago) for n in range(3)]
    officer = make_user(role="officer", name="Olu Officer")
    brixton_id = db.session.merge(proposer).ward_id

    # 1. A resident proposes an outcome for their ward.
    client.sign_in(proposer)
    assert (
        client.post(
            f"/wards/{BRIXTON}/proposals/new",
            {
                "title": "Somewhere safe in the evenings",
                "body": "A youth space near the estate.",
                "category": "young_people",
            },
        ).status_code
        == 302
    )
    proposal = db.session.scalar(sa.select(OutcomeProposal))
    client.sign_out()

    # 2. An officer adopts it into a consultation.
    client.sign_in(officer)
    today = utcnow().date()
    response = client.post(
        "/consultations/new",
        {
            "title": "Somewhere safe in the evenings",
            "outcome_statement": "Young people have somewhere safe to go in the evenings.",
            "proposal_id": str(proposal.id),
            "scope": "wards",
            "wards": [str(brixton_id)],
            **_dates("options_open", today),
            **_dates("voting_open", today + timedelta(days=14)),
            **_dates("voting_close", today + timedelta(days=21)),
            "method": "approval",
            "max_approvals": "2",
            "credits": "100",
            "budget": "",
        },
    )
    assert response.status_code == 302, client.last_html[:2000]
    consultation = db.session.scalar(sa.select(Consultation))
    client.sign_out()

    # 3. Residents put options forward.
    client.sign_in(proposer)
    for title, kind, cost in (
        ("Youth club at the Rec", "voluntary_community", "£1,234.57"),
        ("Street lights", "in_house", "£0.01"),
    ):
        assert (
            client.post(
                f"/consultations/{consultation.id}/options/new",
                {
                    "title": title,
                    "description": f"{title}, every weekday.",
                    "provider_type": kind,
                    "estimated_cost": cost,
                },
            ).status_code
            == 302
        ), client.last_html[:2000]
    client.sign_out()
    db.session.expire_all()
    club, lights = sorted(db.session.merge(consultation).options, key=lambda o: o.id)

    # 4. Voting opens; residents vote on the ballot page; voting closes and the result is stored.
    client.sign_in(officer)
    assert client.post(f"/consultations/{consultation.id}/phase", {"to": "voting"}).status_code == 302
    client.sign_out()
    for n, voter in enumerate(voters):
        client.sign_in(voter)
        chosen = [str(club.id)] if n < 2 else [str(lights.id)]
        cast = client.post(
            f"/consultations/{consultation.id}/ballot",
            {"consultation": consultation.id, "approve": chosen, "action": "cast"},
        )
        assert cast.status_code == 302, client.last_html[:2000]
        client.sign_out()
    client.sign_in(officer)
    assert client.post(f"/consultations/{consultation.id}/phase", {"to": "closed"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).phase == Phase.CLOSED
    assert db.session.get(StoredResult, consultation.id).ballot_count == 3

    # 5. The officer records the decision, pre-filled with the option the vote ranked first.
    url = f"/commissioning/consultations/{consultation.id}/decision"
    form = client.get(url).get_data(as_text=True)
    assert 'value="1234.57"' in form
    data = answers([club.id], value="£1,234.57")
    data.update({"commitments-0-measure": str(checklist["NT29"].id), "commitments-0-target": "120"})
    assert "Check the decision" in client.post(url, {**data, "step": "check"}).get_data(as_text=True)
    saved = client.post(url, {**data, "step": "save"})
    assert saved.status_code == 302
    decision = db.session.scalar(sa.select(CommissioningDecision))
    assert not decision.departs_from_vote and decision.value_pence == 123_457

    # 6. Progress is reported; the voters hear of it.
    progress = {"status": "delivering", "note": "The club opened its doors.", "delivered-0-value": "30"}
    progress.update(date_parts("update_date", today))
    assert client.post(f"/commissioning/{decision.id}/progress", progress).status_code == 302
    told = {
        m.to_address
        for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "notify-progress"))
    }
    assert {db.session.merge(v).email for v in voters} <= told
    client.sign_out()

    # 7. The ward page, the API and the OCDS export all show it.
    ward = client.get(f"/wards/{BRIXTON}").get_data(as_text=True)
    assert f'href="/commissioning/{decision.id}"' in ward
    assert "Delivering" in ward and "£1,234.57" in ward and "30 hours" in ward
    assert "Somewhere safe in the evenings" in ward
    api = client.get(f"/api/v1/commissioning?ward={BRIXTON}").get_json()["items"]
    assert [(i["id"], i["status"], i["value_gbp"]) for i in api] == [(decision.id, "delivering", "1234.57")]
    assert api[0]["url"].endswith(f"/commissioning/{decision.id}") and api[0]["vote"]["followed"] is True
    assert api[0]["vote"]["ballots"] == 3 and api[0]["consultation"]["url"].endswith(
        f"/consultations/{consultation.id}"
    )
    db.session.expire_all()  # the command runs in this test's session: forget what it read before
    result = runner.invoke(args=["export-ocds"])
    assert result.exit_code == 0
    (release,) = json.loads(result.output, parse_float=Decimal)["releases"]
    assert release["ocid"] == f"ocds-participate-lambeth-{consultation.id}"
    assert release["tag"] == ["planning", "tender", "award", "contract", "implementation"]
    assert release["awards"][0]["value"]["amount"] == Decimal("1234.57")
    milestone = release["contracts"][0]["implementation"]["milestones"][0]
    assert milestone["description"] == "The club opened its doors." and milestone["type"] == "reporting"
    assert release["planning"]["vote"]["optionsChosen"] == ["Youth club at the Rec"]
