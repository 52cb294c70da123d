"""Small pieces of the champions feature: London time, the GOV.UK date and time boxes, chart scales."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from participate import charts
from participate.fields import DateInput, TimeInput
from participate.london import NonexistentTime, months_back, start_of_month, to_utc, tomorrow_ends


def test_london_times_become_utc_on_both_sides_of_summer_time():
    assert to_utc(date(2027, 1, 15), time(10)) == datetime(2027, 1, 15, 10, tzinfo=UTC)
    assert to_utc(date(2027, 7, 15), time(10)) == datetime(2027, 7, 15, 9, tzinfo=UTC)
    # 01:30 on 31 October 2027 happens twice: the first (summer time) is taken.
    assert to_utc(date(2027, 10, 31), time(1, 30)) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_the_hour_skipped_in_march_does_not_exist():
    with pytest.raises(NonexistentTime):
        to_utc(date(2027, 3, 28), time(1, 30))
    assert to_utc(date(2027, 3, 28), time(2, 0)) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def test_months_and_days_are_london_ones():
    assert start_of_month(2027, 7) == datetime(2027, 6, 30, 23, 0, tzinfo=UTC)
    spans = months_back(datetime(2027, 2, 10, tzinfo=UTC), 3)
    assert [first for first, _s, _e in spans] == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    assert spans[0][2] == spans[1][1]
    # At 23:30 UTC on 30 June it is already 1 July in London: tomorrow ends at midnight on 2 July.
    assert tomorrow_ends(datetime(2027, 6, 30, 23, 30, tzinfo=UTC)) == datetime(2027, 7, 2, 23, 0, tzinfo=UTC)


class _Form(Form):
    when = DateInput(
        "When",
        required=True,
        messages={k: k for k in ("required", "day", "month", "year", "real", "year_digits")},
    )
    at = TimeInput("At", required=True, messages={"required": "required", "real": "real"})
    maybe = DateInput("Maybe", messages={k: k for k in ("day", "month", "year", "real", "year_digits")})


def _form(**boxes):
    return _Form(MultiDict({k.replace("_", "-", 1): v for k, v in boxes.items()}))


@pytest.mark.parametrize(
    ("day", "month", "year", "problem"),
    [
        ("3", "5", "2027", None),
        ("", "5", "2027", "day"),
        ("3", "", "2027", "month"),
        ("3", "5", "", "year"),
        ("31", "2", "2027", "real"),
        ("x", "5", "2027", "real"),
        ("3", "5", "27", "year_digits"),
        ("", "", "", "required"),
        ("٣", "5", "2027", "real"),
    ],
)
def test_date_boxes_name_the_problem(day, month, year, problem):
    form = _form(when_day=day, when_month=month, when_year=year, at_hour="10", at_minute="")
    assert form.validate() is (problem is None)
    assert (form.when.errors[0] if form.when.errors else None) == problem
    assert form.when.raw == {"day": day, "month": month, "year": year}
    if problem is None:
        assert form.when.data == date(2027, 5, 3) and form.at.data == time(10, 0)


def test_an_optional_date_left_empty_is_none_and_time_boxes_check_the_clock():
    form = _form(when_day="3", when_month="5", when_year="2027", at_hour="24", at_minute="00")
    assert not form.validate() and form.at.errors == ["real"] and form.maybe.data is None


def test_chart_scales_are_round_and_bars_are_proportional():
    assert [charts.nice_max(v) for v in (0, 1, 7, 10, 11, 180, 4244)] == [1, 1, 10, 10, 20, 200, 5000]
    chart = charts.horizontal_bars([("A", 50), ("B", 100), ("C", 0)])
    a, b, c = chart.bars
    assert b.width == pytest.approx(a.width * 2) and c.width == 0
    assert [value for _pos, value in chart.ticks][-1] == 100
    columns = charts.columns([("Jan", 3), ("Feb", 6)], sublabels=["2027", ""])
    assert columns.bars[1].height == pytest.approx(columns.bars[0].height * 2)
    assert columns.bars[0].sublabel == "2027"
