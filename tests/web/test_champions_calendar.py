"""iCalendar feeds: they parse with `icalendar`, and their times are right across British Summer Time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from participate.extensions import db
from participate.models import utcnow
from participate.services import events
from tests.champions_factories import make_event, make_group, utc

LONDON = ZoneInfo("Europe/London")


def _last_sunday(year: int, month: int) -> int:
    return max(d for d in range(25, 32) if date(year, month, d).weekday() == 6)


def _feed(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.get_data())


def test_an_event_feed_parses_and_says_what_and_where(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser, title="Seed swap", place="Brixton Library", capacity=10)
    cal = _feed(client, f"/events/{event.id}.ics")
    assert str(cal["version"]) == "2.0" and "participate" in str(cal["prodid"])
    [entry] = cal.walk("VEVENT")
    assert str(entry["summary"]) == "Seed swap" and str(entry["location"]) == "Brixton Library"
    assert str(entry["uid"]).startswith(f"event-{event.id}@")
    assert str(entry["status"]) == "CONFIRMED" and int(entry["sequence"]) == 0
    assert f"/groups/{group.id}/events/{event.id}" in str(entry["url"])
    assert entry.decoded("dtstart") == event.starts_at and entry.decoded("dtend") == event.ends_at


def test_times_are_right_on_both_sides_of_the_changes_to_and_from_summer_time(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    year = utcnow().year + 1
    march, october = _last_sunday(year, 3), _last_sunday(year, 10)
    # 10:00 London time on the days either side of each change.
    cases = {
        "before spring": (utc(year, 3, march - 1, 10, 0), 10),
        "after spring": (utc(year, 3, march, 9, 0), 10),
        "before autumn": (utc(year, 10, october - 1, 9, 0), 10),
        "after autumn": (utc(year, 10, october, 10, 0), 10),
        # Across the night the clocks go back: 00:30 BST to 01:30 GMT is two hours, and 01:30
        # happens twice that night, so the end must not be read as the first 01:30.
        "over the change": (utc(year, 10, october - 1, 23, 30), 0),
    }
    for title, (starts, _hour) in cases.items():
        make_event(group, organiser, title=title, starts_at=starts, hours=2)
    cal = _feed(client, f"/groups/{group.id}.ics")
    entries = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    for title, (starts, hour) in cases.items():
        entry = entries[title]
        start = entry.decoded("dtstart")
        assert start.astimezone(UTC) == starts, title
        assert start.hour == hour and start.tzinfo is not None, title
        assert entry.decoded("dtend").astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=2), title
    for title in ("before spring", "after spring", "before autumn", "after autumn", "over the change"):
        assert entries[title]["dtstart"].params["TZID"] == "Europe/London", title
    over = entries["over the change"]
    assert over.decoded("dtend") == utc(year, 10, october, 1, 30)
    assert over.decoded("dtend").astimezone(LONDON).hour == 1


def test_the_vtimezone_agrees_with_the_tz_database_also_read_strictly_by_rfc_5545(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    make_event(group, organiser)
    cal = _feed(client, f"/groups/{group.id}.ics")
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"
    # As icalendar reads it:
    as_tz = zone.to_tz()
    # As RFC 5545 defines it: each onset is DTSTART (local time before the change, in
    # TZOFFSETFROM) repeated by its RRULE.
    onsets = []
    for part in zone.walk():
        if part.name not in ("STANDARD", "DAYLIGHT"):
            continue
        local_start = part.decoded("dtstart")
        offset_from, offset_to = part.decoded("tzoffsetfrom"), part.decoded("tzoffsetto")
        locals_ = [local_start]
        if "rrule" in part:
            rule = rrulestr(part["rrule"].to_ical().decode(), dtstart=local_start)
            locals_ += rule.between(datetime(2024, 1, 1), datetime(2032, 1, 1))
        for rdates in part.get("rdate", []) if isinstance(part.get("rdate"), list) else [part.get("rdate")]:
            locals_ += [d.dt for d in getattr(rdates, "dts", [])]
        for local in locals_:
            onsets.append(((local - offset_from).replace(tzinfo=UTC), offset_to))
    onsets.sort()

    def strict_offset(instant):
        offset = timedelta(0)
        for onset, to in onsets:
            if onset <= instant:
                offset = to
        return offset

    instant = datetime(2025, 1, 1, tzinfo=UTC)
    while instant < datetime(2031, 12, 1, tzinfo=UTC):
        expected = instant.astimezone(LONDON).utcoffset()
        assert instant.astimezone(as_tz).utcoffset() == expected, instant
        assert strict_offset(instant) == expected, instant
        instant += timedelta(minutes=30)


def test_a_cancelled_event_stays_in_the_group_feed_marked_cancelled(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    event = make_event(group, organiser)
    events.cancel_event(event)
    db.session.commit()
    [entry] = _feed(client, f"/groups/{group.id}.ics").walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED" and int(entry["sequence"]) == 1


def test_the_group_feed_leaves_out_events_long_past(client, make_user):
    organiser = make_user()
    group = make_group(organiser)
    make_event(group, organiser, title="Long ago", starts_at=utcnow() - timedelta(days=200))
    make_event(group, organiser, title="Soon")
    titles = {str(e["summary"]) for e in _feed(client, f"/groups/{group.id}.ics").walk("VEVENT")}
    assert titles == {"Soon"}


def test_feeds_of_unknown_events_and_groups_are_not_found(client):
    assert client.get("/events/999.ics").status_code == 404
    assert client.get("/groups/999.ics").status_code == 404
