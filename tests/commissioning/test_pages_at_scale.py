"""The ward page and the borough report at demo scale: what they show, in a bounded number of SQL
queries that does not grow with the number of decisions, commitments and updates."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.commissioning.conftest import BRIXTON, CLAPHAM

WARD_PAGE_QUERIES = 22
REPORT_QUERIES = 8


def test_ward_page_shows_the_ward_s_decisions_their_status_and_delivery(client, closed_vote, decide):
    from tests.commissioning.test_ocds import _post_update

    mine = decide(closed_vote(title="Lights for Railton Road", ward_codes=(BRIXTON,)))
    decide(closed_vote(title="Clapham only", ward_codes=(CLAPHAM,)))
    everywhere = decide(closed_vote(title="Borough fund", ward_codes=(), is_borough_wide=True))
    _post_update(mine)
    page = client.get(f"/wards/{BRIXTON}").get_data(as_text=True)
    assert "What the council commissioned" in page
    assert f'href="/commissioning/{mine.id}"' in page and f'href="/commissioning/{everywhere.id}"' in page
    assert "Clapham only" not in page
    assert "Delivering" in page and "Volunteering hours for local community projects" in page
    assert "45 hours" in page and "of 120 hours" in page


def _counts(client, url) -> int:
    from tests.support import query_counter

    client.get(url)  # warm caches (translations, templates) outside the count
    with query_counter() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _add_many(n: int) -> None:
    """Copy the demo's decisions onto more closed consultations, with commitments and updates."""
    from participate.extensions import db
    from participate.models import CommissioningDecision, Consultation, Option, Phase, StoredResult, User
    from participate.services import commissioning
    from participate.services.commissioning import CommitmentDraft, DecisionDraft, ProgressDraft

    template = db.session.scalars(sa.select(CommissioningDecision).order_by(CommissioningDecision.id)).first()
    officer = db.session.get(User, template.recorded_by_id)
    stored = db.session.get(StoredResult, template.consultation_id)
    for i in range(n):
        consultation = Consultation(
            title=f"More work {i}",
            outcome_statement="More.",
            phase=Phase.CLOSED,
            wards=list(template.consultation.wards) or [],
            is_borough_wide=template.consultation.is_borough_wide,
            options_open_at=template.consultation.options_open_at,
            voting_open_at=template.consultation.voting_open_at,
            voting_close_at=template.consultation.voting_close_at,
        )
        option = Option(
            consultation=consultation, title="Do it", description="Do it.", provider_type="in_house"
        )
        db.session.add_all([consultation, option])
        db.session.flush()
        db.session.add(
            StoredResult(consultation_id=consultation.id, ballot_count=0, result_json=stored.result_json)
        )
        decision = commissioning.record_decision(
            officer,
            consultation,
            DecisionDraft(
                option_ids=[option.id],
                provider_name=template.provider_name,
                provider_kind=template.provider_kind,
                procurement_route=template.procurement_route,
                value_pence=10_001 + i,
                start_date=template.start_date,
                end_date=template.end_date,
                review_date=template.review_date,
                decided_on=template.decided_on,
                cabinet_member="Cllr Test",
                departure_reason="Testing at scale.",
                commitments=[
                    CommitmentDraft(c.measure_id, c.target, c.is_enforceable) for c in template.commitments
                ],
            ),
        )
        values = {c.id: c.target / 2 for c in decision.commitments}
        commissioning.post_update(
            officer,
            decision,
            ProgressDraft(template.decided_on, decision.status, "Half way.", values),
            notify=False,
        )
    db.session.commit()


@pytest.mark.slow
def test_ward_page_and_report_at_demo_scale_run_a_bounded_number_of_queries(client, runner):
    from participate.extensions import db
    from participate.models import CommissioningDecision
    from participate.services.commissioning_record import financial_year

    assert runner.invoke(args=["demo"]).exit_code == 0
    decisions = db.session.scalars(sa.select(CommissioningDecision)).all()
    assert len(decisions) >= 6 and any(d.departs_from_vote for d in decisions)
    assert any(d.updates for d in decisions) and len({d.provider_kind for d in decisions}) >= 3
    ward = decisions[0].consultation.wards[0].code if decisions[0].consultation.wards else "E05014110"
    year = financial_year(decisions[0].decided_on)
    ward_page = _counts(client, f"/wards/{ward}")
    report = _counts(client, f"/commissioning/report?year={year}")
    record = _counts(client, "/commissioning/")
    print(f"queries at demo scale: ward page {ward_page}, report {report}, record {record}")
    assert ward_page <= WARD_PAGE_QUERIES and report <= REPORT_QUERIES
    _add_many(12)
    assert _counts(client, f"/wards/{ward}") <= ward_page
    assert _counts(client, f"/commissioning/report?year={year}") <= report
    assert _counts(client, "/commissioning/") <= record
