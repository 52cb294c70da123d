"""The community benefit checklist: the social value measures options claim and contracts commit to.

The checklist ships in `participate/data/social_value_checklist.csv`; a migration loads it into a
fresh database, and `load_checklist()` adds any item that is missing (the demo and tests call it).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from participate.extensions import db
from participate.models import SocialValueMeasure

CHECKLIST = Path(__file__).resolve().parent.parent / "data" / "social_value_checklist.csv"

# Items without a code of their own get one from their framework and their place in the file.
FRAMEWORK_PREFIXES = {
    "Lambeth responsible procurement": "LBH",
    "National TOMs": "TOMS",
    "PPN 06/20 Social Value Model": "PPN",
}


def _prefix(framework: str) -> str:
    if framework in FRAMEWORK_PREFIXES:
        return FRAMEWORK_PREFIXES[framework]
    letters = "".join(word[0] for word in framework.split() if word[:1].isalnum()).upper()
    return letters[:8] or "SV"


def checklist_rows(path: Path = CHECKLIST) -> list[dict]:
    """Read the checklist into rows of code, name, unit, theme and framework (no database needed).

    Codes are stable: an item's own code (e.g. NT10), else its framework's prefix and its number
    among that framework's uncoded items in file order (e.g. LBH-3).
    """
    rows, counters, seen = [], {}, set()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for record in csv.DictReader(fh):
            framework = (record.get("framework") or "").strip()
            code = (record.get("code") or "").strip()
            if not code:
                prefix = _prefix(framework)
                counters[prefix] = counters.get(prefix, 0) + 1
                code = f"{prefix}-{counters[prefix]}"
            if code in seen:
                raise ValueError(f"{path.name}: the code {code} appears twice")
            seen.add(code)
            rows.append(
                {
                    "code": code[:20],
                    "name": (record.get("measure_or_outcome") or "").strip()[:300],
                    "unit": (record.get("unit") or "").strip()[:40] or "description",
                    "theme": (record.get("theme") or "").strip()[:120] or None,
                    "framework": framework[:120] or None,
                }
            )
    return rows


def load_checklist(path: Path = CHECKLIST) -> int:
    """Add the checklist items that are not in the database yet; return how many were added."""
    existing = set(db.session.scalars(select(SocialValueMeasure.code)))
    added = 0
    for row in checklist_rows(path):
        if row["code"] not in existing:
            db.session.add(SocialValueMeasure(**row, is_active=True))
            added += 1
    db.session.flush()
    return added


def active_measures() -> list[SocialValueMeasure]:
    """The checklist items an option may claim, grouped by framework in file order."""
    return list(
        db.session.scalars(
            select(SocialValueMeasure)
            .where(SocialValueMeasure.is_active)
            .order_by(SocialValueMeasure.framework, SocialValueMeasure.id)
        )
    )
