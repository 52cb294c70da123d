"""Times as residents say them (Europe/London wall-clock time) and as they are stored (aware UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class NonexistentTime(ValueError):
    """A wall-clock time skipped when the clocks go forward (e.g. 01:30 on the last Sunday of March)."""


def to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a London date and time.

    A time that does not exist (the hour skipped in March) raises NonexistentTime; a time that
    happens twice (the hour repeated in October) is taken as the first, in British Summer Time.
    """
    local = datetime.combine(day, at).replace(tzinfo=LONDON, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(f"{day} {at} does not exist in Europe/London")
    return instant


def in_london(instant: datetime) -> datetime:
    """An aware instant as London wall-clock time."""
    return instant.astimezone(LONDON)


def start_of_day(day: date) -> datetime:
    """The UTC instant London's day begins."""
    return datetime.combine(day, time()).replace(tzinfo=LONDON).astimezone(UTC)


def start_of_month(year: int, month: int) -> datetime:
    """The UTC instant a London calendar month begins."""
    return start_of_day(date(year, month, 1))


def months_back(now: datetime, count: int) -> list[tuple[date, datetime, datetime]]:
    """The last `count` London calendar months up to the current one: (first day, start, end) in UTC."""
    today = in_london(now).date()
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    result = []
    for first in firsts:
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        result.append((first, start_of_day(first), start_of_day(following)))
    return result


def tomorrow_ends(now: datetime) -> datetime:
    """The UTC instant the London day after `now`'s ends."""
    return start_of_day(in_london(now).date() + timedelta(days=2))
