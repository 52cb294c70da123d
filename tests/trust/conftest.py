"""Fixtures for the trust tests: the voting factories, shared."""

from tests.voting.conftest import make_consultation, make_voter, voter  # noqa: F401
