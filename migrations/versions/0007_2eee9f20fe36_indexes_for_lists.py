"""Index every list's filter and sort that had none.

Proposals across every ward newest first and by support, a ward's proposals by category; each
discussion oldest first on its proposal, consultation or option; the bulletin board by receipt
within a consultation; and a group's announcements newest first.

Revision ID: 2eee9f20fe36
Revises: 0b3be85ec4a8
Create Date: 2026-12-04 10:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "2eee9f20fe36"
down_revision = "0b3be85ec4a8"
branch_labels = None
depends_on = None

INDEXES = [
    ("outcome_proposals", "ix_outcome_proposals_created", ["created_at"]),
    ("outcome_proposals", "ix_outcome_proposals_supports", ["support_count", "created_at"]),
    ("outcome_proposals", "ix_outcome_proposals_ward_category", ["ward_id", "category", "created_at"]),
    ("comments", "ix_comments_proposal_created", ["proposal_id", "created_at"]),
    ("comments", "ix_comments_consultation_created", ["consultation_id", "created_at"]),
    ("comments", "ix_comments_option_created", ["option_id", "created_at"]),
    ("ballots", "ix_ballots_consultation_receipt", ["consultation_id", "receipt"]),
    ("announcements", "ix_announcements_group_created", ["group_id", "created_at"]),
]


def upgrade():
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
