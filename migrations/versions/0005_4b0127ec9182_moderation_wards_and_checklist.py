"""Record the wards that moderate flags and actions, and load the social value checklist.

A flag or moderation action now names every ward whose councillors see it (content of a consultation
across several wards belongs to each of them); an option keeps its proposer's ward, which moderates
it in a borough-wide consultation; outbox messages keep their one-click unsubscribe address. The
community benefit checklist shipped in participate/data/social_value_checklist.csv is loaded.

Revision ID: 4b0127ec9182
Revises: 1a9e0601aaf6
Create Date: 2026-11-30 20:45:40.785301

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from participate.services.social_value import checklist_rows


# revision identifiers, used by Alembic.
revision = '4b0127ec9182'
down_revision = '1a9e0601aaf6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flag_wards',
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_wards_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_flag_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('flag_id', 'ward_id', name=op.f('pk_flag_wards'))
    )
    with op.batch_alter_table('flag_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_wards_ward_id'), ['ward_id'], unique=False)

    op.create_table('moderation_action_wards',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['moderation_actions.id'], name=op.f('fk_moderation_action_wards_action_id_moderation_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_moderation_action_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('action_id', 'ward_id', name=op.f('pk_moderation_action_wards'))
    )
    with op.batch_alter_table('moderation_action_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_action_wards_ward_id'), ['ward_id'], unique=False)

    op.execute(
        "INSERT INTO flag_wards (flag_id, ward_id) SELECT id, ward_id FROM flags WHERE ward_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO moderation_action_wards (action_id, ward_id) "
        "SELECT id, ward_id FROM moderation_actions WHERE ward_id IS NOT NULL"
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_ward_id'))
        batch_op.drop_constraint(batch_op.f('fk_flags_ward_id_wards'), type_='foreignkey')
        batch_op.drop_column('ward_id')

    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_actions_ward_id'))
        batch_op.drop_constraint(batch_op.f('fk_moderation_actions_ward_id_wards'), type_='foreignkey')
        batch_op.drop_column('ward_id')

    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ward_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_options_ward_id'), ['ward_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_options_ward_id_wards'), 'wards', ['ward_id'], ['id'])

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))

    _load_checklist()


def _load_checklist():
    """Add the shipped checklist items a database does not have yet (matched by code)."""
    measures = sa.table(
        "social_value_measures",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("unit", sa.String),
        sa.column("theme", sa.String),
        sa.column("framework", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    existing = set(bind.execute(sa.select(measures.c.code)).scalars())
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = [
        {**row, "is_active": True, "created_at": now}
        for row in checklist_rows()
        if row["code"] not in existing
    ]
    if rows:
        op.bulk_insert(measures, rows)


def downgrade():
    codes = ", ".join("'" + row["code"].replace("'", "''") + "'" for row in checklist_rows())
    op.execute(
        f"DELETE FROM social_value_measures WHERE code IN ({codes}) "
        "AND id NOT IN (SELECT measure_id FROM option_social_values) "
        "AND id NOT IN (SELECT measure_id FROM social_value_commitments)"
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')

    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_options_ward_id_wards'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_options_ward_id'))
        batch_op.drop_column('ward_id')

    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ward_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_moderation_actions_ward_id_wards'), 'wards', ['ward_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_moderation_actions_ward_id'), ['ward_id'], unique=False)

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ward_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_flags_ward_id_wards'), 'wards', ['ward_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_flags_ward_id'), ['ward_id'], unique=False)

    # One ward each, as before: the lowest of those recorded.
    op.execute(
        "UPDATE flags SET ward_id = (SELECT MIN(ward_id) FROM flag_wards WHERE flag_wards.flag_id = flags.id)"
    )
    op.execute(
        "UPDATE moderation_actions SET ward_id = (SELECT MIN(ward_id) FROM moderation_action_wards "
        "WHERE moderation_action_wards.action_id = moderation_actions.id)"
    )

    with op.batch_alter_table('moderation_action_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_action_wards_ward_id'))

    op.drop_table('moderation_action_wards')
    with op.batch_alter_table('flag_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_wards_ward_id'))

    op.drop_table('flag_wards')
