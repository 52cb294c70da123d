"""Count the places taken at events, order waiting lists, and let members choose to be named.

Events keep `going_count` (filled in from the RSVPs already there) with checks that it never
exceeds the capacity; RSVPs keep when their status began (the waiting list's order) and when
their reminder was queued; memberships keep whether the member may be named on the group's page;
groups keep when they were last edited. Memberships and RSVPs get checks on their known values.

Revision ID: 1a9e0601aaf6
Revises: a46a382e1a20
Create Date: 2026-11-30 20:44:19.825086

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1a9e0601aaf6'
down_revision = 'a46a382e1a20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('going_count', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE events SET going_count = (SELECT count(*) FROM rsvps "
        "WHERE rsvps.event_id = events.id AND rsvps.status = 'going')"
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('going_count', server_default=None)
        batch_op.create_check_constraint('ends_after_start', 'ends_at > starts_at')
        batch_op.create_check_constraint('capacity_positive', 'capacity IS NULL OR capacity > 0')
        batch_op.create_check_constraint(
            'within_capacity', 'going_count >= 0 AND (capacity IS NULL OR going_count <= capacity)'
        )

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('is_public', server_default=None)
        batch_op.create_check_constraint('known_role', "role IN ('member', 'organiser')")

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE rsvps SET status_at = COALESCE(updated_at, created_at)")
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.alter_column('status_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_index(batch_op.f('ix_rsvps_event_status'))
        batch_op.create_index('ix_rsvps_event_status', ['event_id', 'status', 'status_at'], unique=False)
        batch_op.create_check_constraint('known_status', "status IN ('going', 'waiting', 'cancelled')")


def downgrade():
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvps_known_status'), type_='check')
        batch_op.drop_index('ix_rsvps_event_status')
        batch_op.create_index(batch_op.f('ix_rsvps_event_status'), ['event_id', 'status', 'created_at'], unique=False)
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('status_at')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_known_role'), type_='check')
        batch_op.drop_column('is_public')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('updated_at')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_within_capacity'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_capacity_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_ends_after_start'), type_='check')
        batch_op.drop_column('going_count')
