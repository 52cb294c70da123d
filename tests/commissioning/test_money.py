"""Money is integer pence from the form to the database, the pages, the report, CSV, the API and
OCDS: awkward amounts like £1,234.57 and £0.01 never gain or lose a penny."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.commissioning.conftest import answers


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£1,234.57", 123_457),
        ("1234.57", 123_457),
        ("0.01", 1),
        ("£0.01", 1),
        ("1234.5", 123_450),
        ("1,000,000", 100_000_000),
        (" 12 ", 1_200),
        ("0", 0),
        ("19.99", 1_999),
        ("1.234,57", 123_457),  # as written in Portuguese, Spanish and Polish
        ("1\u202f234,57", 123_457),  # as written in French
        ("12,5", 1_250),
    ],
)
def test_pounds_typed_are_read_as_exact_pence(typed, pence):
    from participate.services.commissioning import parse_pounds

    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed", ["", "-5", "1.2345", "1,2345", "£", "1e3", "ten", "NaN", "0.1.2", "1,000.5.0", "10000000000.01"]
)
def test_amounts_that_are_not_pounds_and_pence_are_refused(typed):
    from participate.services.commissioning import parse_pounds

    with pytest.raises(ValueError):
        parse_pounds(typed)


@given(st.integers(min_value=0, max_value=10**12))
def test_pence_written_as_pounds_read_back_to_the_same_pence(pence):
    from participate.services.commissioning import parse_pounds, pounds

    assert parse_pounds(pounds(pence)) == pence
    assert Decimal(pounds(pence)) * 100 == pence


def test_awkward_amounts_survive_every_path_to_the_penny(client, officer, closed_vote, checklist, runner):
    from participate.extensions import db
    from participate.models import CommissioningDecision

    client.sign_in(officer)
    made = {}
    for typed, pence, title in (("£1,234.57", 123_457, "Youth hub"), ("£0.01", 1, "Peppercorn lease")):
        consultation = closed_vote(title=title)
        data = answers([consultation.options[1].id], value=typed)
        data.update({"commitments-0-measure": str(checklist["NT18"].id), "commitments-0-target": typed})
        check = client.post(
            f"/commissioning/consultations/{consultation.id}/decision", {**data, "step": "check"}
        )
        assert typed in check.get_data(as_text=True)
        saved = client.post(
            f"/commissioning/consultations/{consultation.id}/decision", {**data, "step": "save"}
        )
        assert saved.status_code == 302
        decision = db.session.scalar(
            __import__("sqlalchemy")
            .select(CommissioningDecision)
            .where(CommissioningDecision.consultation_id == consultation.id)
        )
        made[pence] = decision
        # The database keeps pence, for the contract and for a money target.
        assert decision.value_pence == pence
        assert decision.commitments[0].target == Decimal(pence)
        page = client.get(f"/commissioning/{decision.id}").get_data(as_text=True)
        assert typed in page
    total = "£1,234.58"
    report = client.get("/commissioning/report?year=2026").get_data(as_text=True)
    assert report.count(total) >= 3  # the headline, the kinds table and the wards table
    year = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/decisions.csv?year=2026").get_data(as_text=True))
        )
    )
    assert sorted(r["value_gbp"] for r in year) == ["0.01", "1234.57"]
    kinds = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/kinds.csv?year=2026").get_data(as_text=True))
        )
    )
    assert [(r["value_pence"], r["value_gbp"]) for r in kinds] == [("123458", "1234.58")]
    wards = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/wards.csv?year=2026").get_data(as_text=True))
        )
    )
    assert sum(int(r["value_pence"]) for r in wards) == 123_458
    value = list(
        csv.DictReader(
            io.StringIO(client.get("/commissioning/report/social-value.csv?year=2026").get_data(as_text=True))
        )
    )
    assert value[0]["committed"] == "1234.58"
    rows = list(
        csv.DictReader(io.StringIO(client.get("/commissioning/decisions.csv").get_data(as_text=True)))
    )
    assert sorted((r["value_pence"], r["value_gbp"]) for r in rows) == [("1", "0.01"), ("123457", "1234.57")]
    api = {i["value_pence"]: i for i in client.get("/api/v1/commissioning").get_json()["items"]}
    assert api[123_457]["value_gbp"] == "1234.57" and api[1]["value_gbp"] == "0.01"
    assert api[1]["social_value"][0]["target"] == "0.01"
    text = runner.invoke(args=["export-ocds"]).output
    assert '"amount": 1234.57' in text and '"amount": 0.01' in text
    package = json.loads(text, parse_float=Decimal)
    amounts = {r["contracts"][0]["value"]["amount"] for r in package["releases"]} | {
        r["contracts"][0]["agreedMetrics"][0]["observations"][0]["value"]["amount"]
        for r in package["releases"]
    }
    assert amounts == {Decimal("1234.57"), Decimal("0.01")}
    assert all(r["contracts"][0]["value"]["currency"] == "GBP" for r in package["releases"])


def test_ocds_amounts_always_have_two_decimal_places(app):
    from participate.services.commissioning_ocds import dumps, money

    text = dumps({"a": money(500), "b": money(1), "c": money(123_450), "d": money(0)}, indent=None)
    assert text == (
        '{"a": {"amount": 5.00, "currency": "GBP"}, "b": {"amount": 0.01, "currency": "GBP"}, '
        '"c": {"amount": 1234.50, "currency": "GBP"}, "d": {"amount": 0.00, "currency": "GBP"}}'
    )
