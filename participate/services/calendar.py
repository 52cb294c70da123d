"""iCalendar (RFC 5545) feeds of events, built with the `icalendar` library.

Times are written as Europe/London wall-clock times with the VTIMEZONE that defines them, so a
calendar shows "10:00" on both sides of a change to or from British Summer Time (an instant in
the hour that happens twice when the clocks go back is written in UTC, which is unambiguous). The VTIMEZONE is
the standard rule-based definition (the clocks change at 01:00 UTC on the last Sundays of March
and October), with each onset given in the local time it is reached from, as RFC 5545 says.
No person is named in a feed: events carry only what the group published.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as VEvent

from participate.london import LONDON
from participate.models import Event, Group, utcnow

PRODID = "-//participate//green community champions//EN"


def london_vtimezone() -> Timezone:
    """The VTIMEZONE of Europe/London since 1996 (EU summer-time rules)."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1996, 3, 31, 1, 0))
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _as_written(instant: datetime) -> datetime:
    """London wall-clock time, except in the hour the clocks go back: a local time there happens
    twice and RFC 5545 reads it as the first, so such an instant is written in UTC instead."""
    local = instant.astimezone(LONDON)
    if local.replace(fold=0).astimezone(UTC) != instant.astimezone(UTC):
        return instant.astimezone(UTC)
    return local


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    cal.add_component(london_vtimezone())
    return cal


def _uid(event: Event) -> str:
    host = current_app.config.get("SERVER_NAME") or "participate"
    return f"event-{event.id}@{host}"


def _vevent(event: Event, stamp: datetime) -> VEvent:
    link = url_for("champions.event", group_id=event.group_id, event_id=event.id, _external=True)
    entry = VEvent()
    entry.add("uid", _uid(event))
    entry.add("dtstamp", stamp)
    entry.add("created", event.created_at)
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("dtstart", _as_written(event.starts_at))
    entry.add("dtend", _as_written(event.ends_at))
    entry.add("location", event.place)
    entry.add("description", f"{event.description}\n\n{link}".strip())
    entry.add("url", link)
    entry.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    entry.add("transp", "OPAQUE")
    return entry


def event_feed(event: Event) -> bytes:
    """One event as a calendar file."""
    cal = _calendar(event.title)
    cal.add_component(_vevent(event, utcnow()))
    return cal.to_ical()


def group_feed(group: Group, events: Iterable[Event]) -> bytes:
    """A group's events as a calendar to subscribe to (cancelled ones say so, so calendars drop them)."""
    cal = _calendar(group.name)
    stamp = utcnow()
    for event in events:
        cal.add_component(_vevent(event, stamp))
    return cal.to_ical()
