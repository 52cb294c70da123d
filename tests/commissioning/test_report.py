"""The borough report per financial year: spending by provider kind and ward, SME and community
shares, social value committed and delivered, following the vote; charts, tables and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.commissioning.conftest import BRIXTON, CLAPHAM


def test_financial_years_run_from_april_to_march():
    from participate.services.commissioning_record import financial_year, year_bounds, year_label

    assert financial_year(date(2026, 3, 31)) == 2025 and financial_year(date(2026, 4, 1)) == 2026
    assert year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert year_label(2026) == "2026/27" and year_label(2099) == "2099/00"


def test_shared_decisions_are_split_between_wards_to_the_penny():
    from participate.services.commissioning_report import split_pence

    assert split_pence(100, 3) == [34, 33, 33]
    assert split_pence(1, 2) == [1, 0]
    assert sum(split_pence(123_457, 7)) == 123_457


def test_report_sums_spending_shares_social_value_and_departures_for_the_year(
    client, closed_vote, decide, checklist
):
    from participate.models import ProviderKind
    from tests.commissioning.test_ocds import _post_update

    hub = decide(
        closed_vote(title="Hub", ward_codes=(BRIXTON,)),
        value_pence=100_000,
        provider_is_sme=True,
        commitments=[("NT29", "100", True)],
    )
    trees_vote = closed_vote(title="Trees", ward_codes=(BRIXTON, CLAPHAM))
    decide(
        trees_vote,
        option_ids=[trees_vote.options[0].id],
        departure_reason="Cheaper and ready sooner.",
        value_pence=50_001,
        provider_kind=ProviderKind.PRIVATE,
        provider_is_sme=False,
        commitments=[("NT29", "20", False)],
    )
    decide(closed_vote(title="Last year"), decided_on=date(2026, 3, 31), value_pence=999)
    _post_update(hub)  # 45 hours delivered against the hub's 100
    page = client.get("/commissioning/report?year=2026").get_data(as_text=True)
    assert "Borough commissioning report 2026/27" in page
    assert "£1,500.01" in page and "Last year" not in page
    assert "67%" in page  # £1,000 of £1,500.01 to SMEs, and to the community sector
    assert "Cheaper and ready sooner." in page and "1 of 2 decisions" in page
    assert page.count('<svg class="chart__svg"') == 4
    kinds = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/kinds.csv?year=2026").get_data(as_text=True))
        )
    )
    assert {(r["provider_kind"], r["value_pence"]) for r in kinds} == {
        ("voluntary_community", "100000"),
        ("private", "50001"),
    }
    wards = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/wards.csv?year=2026").get_data(as_text=True))
        )
    )
    assert {(r["ward"], r["value_pence"]) for r in wards} == {
        (BRIXTON, str(100_000 + 25_001)),
        (CLAPHAM, "25000"),
    }
    value = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/social-value.csv?year=2026").get_data(as_text=True))
        )
    )
    assert [(r["code"], r["committed"], r["delivered"], r["enforceable"]) for r in value] == [
        ("NT29", "120", "45", "1")
    ]
    earlier = client.get("/commissioning/report?year=2025").get_data(as_text=True)
    assert "£9.99" in earlier and "Hub" not in earlier
    assert client.get("/commissioning/report/nothing.csv").status_code == 404


def test_report_of_a_year_without_decisions_says_so(client):
    page = client.get("/commissioning/report?year=2030").get_data(as_text=True)
    assert "No decision was recorded in this financial year." in page
