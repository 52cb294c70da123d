"""Fixtures for the counting-rule tests."""

from __future__ import annotations

import pytest
from voting_data import load_reference


@pytest.fixture(scope="session")
def reference() -> dict:
    """The recorded pabutools results in tests/data/pabulib/reference.json."""
    return load_reference()
