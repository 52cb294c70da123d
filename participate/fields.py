"""Form fields made of several boxes, after the GOV.UK Design System: a date as day, month and year,
a time as hour and minute. What was typed is kept as typed, so a page with an error shows it again."""

from __future__ import annotations

from datetime import date, time

from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation


class _PartsField(Field):
    """A field whose value is typed into several boxes named `<name>-<part>`."""

    PARTS: tuple[str, ...] = ()

    def __init__(self, label=None, validators=None, *, required: bool = False, messages=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.messages = messages or {}
        self.problem = None
        self.bad_parts: set[str] = set()
        self.raw = dict.fromkeys(self.PARTS, "")

    def part_id(self, part: str) -> str:
        """The first box carries the field's own id, so the error summary's link lands on it."""
        return self.id if part == self.PARTS[0] else f"{self.id}-{part}"

    def part_name(self, part: str) -> str:
        return f"{self.name}-{part}"

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data
        self.raw = self._raw_from(data) if data is not None else dict.fromkeys(self.PARTS, "")
        if formdata is not None and any(self.part_name(p) in formdata for p in self.PARTS):
            self.raw = {p: (formdata.get(self.part_name(p)) or "").strip()[:8] for p in self.PARTS}
            self.data, self.problem, self.bad_parts = self._parse(self.raw)

    def pre_validate(self, form):
        if self.problem:
            raise StopValidation(str(self.messages[self.problem]))

    def _raw_from(self, data) -> dict[str, str]:
        raise NotImplementedError

    def _parse(self, raw: dict[str, str]):
        raise NotImplementedError

    def _missing(self, raw: dict[str, str]):
        """(None, problem, parts) when boxes are empty, or None when all are filled in."""
        empty = {p for p in self.PARTS if not raw[p]}
        if empty == set(self.PARTS):
            return (
                None,
                ("required" if self.required else None),
                (set(self.PARTS) if self.required else set()),
            )
        return None


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


class DateInput(_PartsField):
    """A date typed as day, month and year; `messages` names the problems: required, day, month,
    year, real (not a real date), year_digits."""

    PARTS = ("day", "month", "year")

    def _raw_from(self, data: date) -> dict[str, str]:
        return {"day": str(data.day), "month": str(data.month), "year": str(data.year)}

    def _parse(self, raw):
        empty = self._missing(raw)
        if empty is not None:
            return empty
        for part in self.PARTS:
            if not raw[part]:
                return None, part, {part}
        day, month, year = (_number(raw[p]) for p in self.PARTS)
        if year is not None and len(raw["year"]) != 4:
            return None, "year_digits", {"year"}
        if None in (day, month, year):
            return None, "real", {p for p in self.PARTS if _number(raw[p]) is None}
        try:
            return date(year, month, day), None, set()
        except ValueError:
            return None, "real", set(self.PARTS)


class TimeInput(_PartsField):
    """A time on the 24-hour clock typed as hour and minute (an empty minute means o'clock);
    `messages` names the problems: required, real."""

    PARTS = ("hour", "minute")

    def _raw_from(self, data: time) -> dict[str, str]:
        return {"hour": str(data.hour), "minute": f"{data.minute:02d}"}

    def _parse(self, raw):
        empty = self._missing(raw)
        if empty is not None:
            return empty
        if not raw["hour"]:
            return None, "required", {"hour"}
        hour, minute = _number(raw["hour"]), _number(raw["minute"] or "0")
        if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
            bad = {p for p, v in (("hour", hour), ("minute", minute)) if v is None}
            return None, "real", bad or set(self.PARTS)
        return time(hour, minute), None, set()
