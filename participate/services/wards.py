"""Wards as data: load any council's wards from a CSV file."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from participate.extensions import db
from participate.models import Ward

NAME_COLUMNS = ("name", "ward_name", "WD22NM", "WD23NM", "WD24NM")
CODE_COLUMNS = ("code", "gss_code", "WD22CD", "WD23CD", "WD24CD")
GSS_PREFIX = "E05"


class WardFileError(ValueError):
    """A ward file that cannot be read: says which line and why."""


@dataclass
class ImportResult:
    """What an import did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    boundary_set: str | None = None


def _pick(row: dict, names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name].strip()
    return ""


def read_ward_file(path: Path, boundary_set: str | None = None) -> tuple[list[dict], str | None]:
    """Read rows of name and ONS code; with a `set` column keep only one set (the newest by default)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        headers = reader.fieldnames or []
        if not any(h in headers for h in NAME_COLUMNS) or not any(h in headers for h in CODE_COLUMNS):
            raise WardFileError(
                f"{path.name}: needs a name column ({', '.join(NAME_COLUMNS)}) "
                f"and a code column ({', '.join(CODE_COLUMNS)})"
            )
        rows = list(reader)
    if "set" in headers:
        sets = sorted({r["set"] for r in rows if r.get("set")})
        chosen = (boundary_set or max(sets, key=lambda s: s[:4])) if sets else None
        if boundary_set and boundary_set not in sets:
            raise WardFileError(f"{path.name}: no rows in set {boundary_set!r} (sets: {sets})")
        rows = [r for r in rows if r.get("set") == chosen]
    else:
        chosen = None
    wards, seen = [], set()
    for number, row in enumerate(rows, start=2):
        name, code = _pick(row, NAME_COLUMNS), _pick(row, CODE_COLUMNS).upper()
        if not name or not code:
            raise WardFileError(f"{path.name}, line {number}: a ward needs a name and a code")
        if len(code) != 9 or not code[0].isalpha() or not code[1:].isdigit():
            raise WardFileError(f"{path.name}, line {number}: {code!r} is not an ONS code")
        if code in seen:
            raise WardFileError(f"{path.name}, line {number}: {code} appears twice")
        seen.add(code)
        councillors = (row.get("councillors") or "").strip()
        wards.append({"name": name, "code": code, "councillors": int(councillors) if councillors else None})
    if not wards:
        raise WardFileError(f"{path.name}: no wards found")
    return wards, chosen


def import_wards(path: Path, boundary_set: str | None = None, retire_missing: bool = False):
    """Create or update the wards in a file; optionally retire wards the file no longer lists."""
    rows, chosen = read_ward_file(path, boundary_set)
    existing = {w.code: w for w in db.session.scalars(select(Ward))}
    result = ImportResult(boundary_set=chosen)
    for row in rows:
        ward = existing.get(row["code"])
        if ward is None:
            db.session.add(Ward(**row, is_current=True))
            result.created.append(row["code"])
        else:
            ward.name = row["name"]
            ward.councillors = row["councillors"] if row["councillors"] else ward.councillors
            ward.is_current = True
            result.updated.append(row["code"])
    if retire_missing:
        listed = {r["code"] for r in rows}
        for code, ward in existing.items():
            if code not in listed and ward.is_current:
                ward.is_current = False
                result.retired.append(code)
    db.session.flush()
    return result


def current_wards() -> list[Ward]:
    """The wards offered to residents, by name."""
    return list(db.session.scalars(select(Ward).where(Ward.is_current).order_by(Ward.name)))
