"""Check commissioning decisions, their commitments and progress before the record is kept.

A decision that departs from the vote needs a reason that is not blank; a contract ends and is
reviewed after it starts; a community group on the platform is named by its group. Whether a
provider is an SME may be unknown. A contract commits to each measure once, targets and delivery
are never negative, and progress is read by decision and date.

Revision ID: 0b3be85ec4a8
Revises: 4b0127ec9182
Create Date: 2026-11-30 21:37:01.165890

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b3be85ec4a8'
down_revision = '4b0127ec9182'
branch_labels = None
depends_on = None

OLD_REASON = "NOT departs_from_vote OR departure_reason IS NOT NULL"
NEW_REASON = (
    "NOT departs_from_vote OR (departure_reason IS NOT NULL AND length(trim(departure_reason)) > 0)"
)


def upgrade():
    with op.batch_alter_table('commissioning_decisions', schema=None) as batch_op:
        batch_op.alter_column('provider_is_sme', existing_type=sa.BOOLEAN(), nullable=True)
        batch_op.drop_constraint(op.f('ck_commissioning_decisions_departure_needs_reason'), type_='check')
        batch_op.create_check_constraint('departure_needs_reason', NEW_REASON)
        batch_op.create_check_constraint('ends_after_start', 'end_date >= start_date')
        batch_op.create_check_constraint('review_after_start', 'review_date >= start_date')
        batch_op.create_check_constraint(
            'community_group_named', "provider_kind <> 'community_group' OR provider_group_id IS NOT NULL"
        )

    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_decision_id'))
        batch_op.create_index('ix_progress_updates_decision_date', ['decision_id', 'update_date'], unique=False)

    with op.batch_alter_table('social_value_commitments', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_social_value_commitments_decision_id_measure_id'), ['decision_id', 'measure_id']
        )
        batch_op.create_check_constraint('target_not_negative', 'target >= 0')

    with op.batch_alter_table('commitment_progress', schema=None) as batch_op:
        batch_op.create_check_constraint('delivered_not_negative', 'delivered >= 0')


def downgrade():
    with op.batch_alter_table('commitment_progress', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_commitment_progress_delivered_not_negative'), type_='check')

    with op.batch_alter_table('social_value_commitments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_social_value_commitments_target_not_negative'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('uq_social_value_commitments_decision_id_measure_id'), type_='unique'
        )

    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_updates_decision_date')
        batch_op.create_index(batch_op.f('ix_progress_updates_decision_id'), ['decision_id'], unique=False)

    # Unknown SME status becomes "no", as the column was before.
    op.execute("UPDATE commissioning_decisions SET provider_is_sme = false WHERE provider_is_sme IS NULL")
    with op.batch_alter_table('commissioning_decisions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_commissioning_decisions_community_group_named'), type_='check')
        batch_op.drop_constraint(op.f('ck_commissioning_decisions_review_after_start'), type_='check')
        batch_op.drop_constraint(op.f('ck_commissioning_decisions_ends_after_start'), type_='check')
        batch_op.drop_constraint(op.f('ck_commissioning_decisions_departure_needs_reason'), type_='check')
        batch_op.create_check_constraint('departure_needs_reason', OLD_REASON)
        batch_op.alter_column('provider_is_sme', existing_type=sa.BOOLEAN(), nullable=False)
