"""Every list's filter and sort has an index, in the migrated database; on SQLite the key list
queries are read through those indexes, not by scanning the table and sorting it."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa

from participate.extensions import db
from participate.models import Phase
from participate.services import bulletin, discussion, proposals
from tests.deliberation_support import HOME, make_consultation, make_proposal

# table: the column lists that must lead some index (a list filter, then its sort).
IMPORTANT = {
    "outcome_proposals": [
        ("ward_id", "created_at"),
        ("ward_id", "support_count"),
        ("ward_id", "category", "created_at"),
        ("created_at",),
        ("support_count", "created_at"),
    ],
    "consultations": [("phase",)],
    "consultation_wards": [("ward_id",)],
    "comments": [
        ("proposal_id", "created_at"),
        ("consultation_id", "created_at"),
        ("option_id", "created_at"),
        ("author_id", "created_at"),
    ],
    "options": [("consultation_id",)],
    "groups": [("focus",)],
    "group_wards": [("ward_id",)],
    "events": [("starts_at",), ("group_id", "starts_at")],
    "announcements": [("group_id", "created_at")],
    "commissioning_decisions": [("decided_on",)],
    "outbox_messages": [("status", "send_after")],
    "audit_entries": [("created_at",)],
    "ballots": [("consultation_id", "ward_id"), ("consultation_id", "receipt")],
    "participations": [("consultation_id",)],
    "notifications": [("user_id", "mailed_at")],
    "moderation_actions": [("created_at",)],
}


def _leading_columns(inspector, table: str) -> set[tuple[str, ...]]:
    """The column lists of every index (and unique constraint) on a table."""
    found = {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}
    found |= {tuple(uc["column_names"]) for uc in inspector.get_unique_constraints(table)}
    pk = inspector.get_pk_constraint(table)["constrained_columns"]
    if pk:
        found.add(tuple(pk))
    return found


def test_the_indexes_of_every_list_exist(app):
    inspector = sa.inspect(db.engine)
    missing = []
    for table, wanted in IMPORTANT.items():
        have = _leading_columns(inspector, table)
        for columns in wanted:
            if not any(index[: len(columns)] == columns for index in have):
                missing.append((table, columns))
    assert not missing, missing


@contextlib.contextmanager
def _statements():
    """The SELECT statements (with their parameters) the app sends inside the block."""
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


def _plan(statement: str, parameters) -> list[str]:
    with db.engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]


def _main_query(seen, table: str) -> list[str]:
    """The plan of the query that lists rows of `table` (the one that orders them)."""
    for statement, parameters in seen:
        if f"FROM {table}" in statement and "ORDER BY" in statement:
            return _plan(statement, parameters)
    raise AssertionError(f"no list query on {table}: {[s for s, _ in seen]}")


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")


@pytest.mark.parametrize(
    ("ward", "sort", "index"),
    [
        (None, "newest", "ix_outcome_proposals_created"),
        (None, "supported", "ix_outcome_proposals_supports"),
        (HOME, "newest", "ix_outcome_proposals_ward_created"),
        (HOME, "supported", "ix_outcome_proposals_ward_supports"),
    ],
)
def test_proposal_lists_read_an_index_not_the_whole_table(sqlite_only, people, wards, ward, sort, index):
    for n in range(30):
        make_proposal(people["resident in ward"], wards[HOME], title=f"Outcome {n}", support_count=n % 4)
    db.session.commit()
    with _statements() as seen:
        page = proposals.list_proposals(wards[ward] if ward else None, sort=sort)
    assert len(page.items) == 20
    plan = _main_query(seen, "outcome_proposals")
    assert any(f"USING INDEX {index}" in line for line in plan), plan
    assert "SCAN outcome_proposals" not in plan and "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_discussion_and_the_bulletin_board_read_an_index(sqlite_only, people, wards):
    proposal = make_proposal(people["resident in ward"], wards[HOME])
    consultation = make_consultation(wards=[wards[HOME]], phase=Phase.VOTING)
    db.session.commit()
    with _statements() as seen:
        discussion.comment_tree(proposal)
        bulletin.page(consultation, 1, 100)
    comments = _main_query(seen, "comments")
    assert any("USING INDEX ix_comments_proposal_created" in line for line in comments), comments
    assert "USE TEMP B-TREE FOR ORDER BY" not in comments, comments
    ballots = _main_query(seen, "ballots")
    assert any("ix_ballots_consultation_receipt" in line for line in ballots), ballots
    assert "USE TEMP B-TREE FOR ORDER BY" not in ballots, ballots
