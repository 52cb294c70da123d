"""Pabulib instances and pabutools results shared by the counting-rule tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from participate.voting import pabulib
from participate.voting.election import Election

DATA = Path(__file__).resolve().parents[2] / "data" / "pabulib"
DIEPPE = "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb"
CAMBRIDGE = "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb"
TOULOUSE = "France_Toulouse_2024.pb"
AMSTERDAM = "Netherlands_Amsterdam_252.pb"
MOKOTOW = "Poland_Warszawa_2024_Mokotow.pb"
WARSZAWA = "Poland_Warszawa_2026.pb"
SMALL = (DIEPPE, CAMBRIDGE)
LARGE = (TOULOUSE, AMSTERDAM, MOKOTOW, WARSZAWA)
ALL = SMALL + LARGE


@cache
def parsed(name: str) -> pabulib.PabulibFile:
    """A Pabulib instance from tests/data/pabulib, parsed once per test run."""
    return pabulib.load(DATA / name)


@cache
def election(name: str) -> Election:
    """The budgeting election of a Pabulib instance, built once per test run."""
    return parsed(name).to_election()


def load_reference() -> dict:
    """The recorded pabutools results in tests/data/pabulib/reference.json."""
    return json.loads((DATA / "reference.json").read_text(encoding="utf-8"))


@cache
def live_pabutools(name: str, sat: str, rule: str) -> tuple[str, ...]:
    """pabutools' funded projects for an instance, computed live once per test run."""
    from participate.voting import pabutools_reference

    return tuple(str(p) for p in getattr(pabutools_reference, rule)(election(name), sat))
