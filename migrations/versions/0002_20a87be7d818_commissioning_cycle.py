"""Create the tables of the commissioning cycle.

Outcome proposals, consultations, options and their discussion; flags and the moderation log;
ballots and stored results; champions, groups and events; commissioning decisions, social value
commitments and progress; the audit log.

Revision ID: 20a87be7d818
Revises: 909ac51f6aca
Create Date: 2026-11-30 20:37:04.952095

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20a87be7d818'
down_revision = '909ac51f6aca'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('social_value_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('theme', sa.String(length=120), nullable=True),
    sa.Column('framework', sa.String(length=120), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_value_measures')),
    sa.UniqueConstraint('code', name=op.f('uq_social_value_measures_code'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_type', sa.String(length=30), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_created_at'), ['created_at'], unique=False)

    op.create_table('champion_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('availability', sa.String(length=300), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('may_contact', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stepped_down_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_champion_profiles_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_champion_profiles_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_champion_profiles')),
    sa.UniqueConstraint('user_id', name=op.f('uq_champion_profiles_user_id'))
    )
    with op.batch_alter_table('champion_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_profiles_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_champion_profiles_ward_id'), ['ward_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'abuse', 'off_topic', 'personal_information', 'other', name='flagreason', native_enum=False), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_flags_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_flags_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index('ix_flags_target', ['target_type', 'target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_ward_id'), ['ward_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('focus', sa.Enum('food_growing', 'community_energy', 'waste_and_recycling', 'clean_air', 'biodiversity', 'other', name='interest', native_enum=False, length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('meeting_place', sa.String(length=300), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_groups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_groups_hidden_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_focus'), ['focus'], unique=False)

    op.create_table('moderation_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('verb', sa.Enum('hide', 'restore', 'dismiss_flags', 'lock', 'unlock', 'suspend', 'unsuspend', name='moderationverb', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('moderator_role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_actions_moderator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_moderation_actions_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_actions'))
    )
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_actions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_ward_id'), ['ward_id'], unique=False)

    op.create_table('notification_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('reply', 'new_option', 'phase_change', 'moderation', 'progress', 'event_reminder', name='notificationkind', native_enum=False, length=20), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_settings')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_settings_user_id_kind'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('reply', 'new_option', 'phase_change', 'moderation', 'progress', 'event_reminder', name='notificationkind', native_enum=False, length=20), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_pending', ['user_id', 'mailed_at'], unique=False)

    op.create_table('outcome_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('category', sa.Enum('young_people', 'green_spaces', 'streets_and_transport', 'safety', 'health_and_care', 'housing', 'environment', 'culture_and_sport', 'jobs_and_skills', 'other', name='proposalcategory', native_enum=False, length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_outcome_proposals_author_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_outcome_proposals_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_outcome_proposals_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_proposals'))
    )
    with op.batch_alter_table('outcome_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_proposals_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_proposals_category'), ['category'], unique=False)
        batch_op.create_index('ix_outcome_proposals_ward_created', ['ward_id', 'created_at'], unique=False)
        batch_op.create_index('ix_outcome_proposals_ward_supports', ['ward_id', 'support_count'], unique=False)

    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_announcements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_announcements_group_id_groups')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_announcements_hidden_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_group_id'), ['group_id'], unique=False)

    op.create_table('champion_interests',
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('interest', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champion_profiles.id'], name=op.f('fk_champion_interests_champion_id_champion_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('champion_id', 'interest', name=op.f('pk_champion_interests'))
    )
    with op.batch_alter_table('champion_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_interests_interest'), ['interest'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('outcome_statement', sa.Text(), nullable=False),
    sa.Column('outcome_html', sa.Text(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('is_borough_wide', sa.Boolean(), nullable=False),
    sa.Column('phase', sa.Enum('options', 'voting', 'closed', name='phase', native_enum=False, length=20), nullable=False),
    sa.Column('options_open_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voting_open_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voting_close_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('method', sa.Enum('approval', 'quadratic', name='votingmethod', native_enum=False, length=20), nullable=False),
    sa.Column('max_approvals', sa.Integer(), nullable=True),
    sa.Column('credits', sa.Integer(), nullable=False),
    sa.Column('allow_negative', sa.Boolean(), nullable=False),
    sa.Column('budget_pence', sa.Integer(), nullable=True),
    sa.Column('allow_late_registration', sa.Boolean(), nullable=False),
    sa.Column('results_live', sa.Boolean(), nullable=False),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('certified_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('budget_pence IS NULL OR budget_pence > 0', name=op.f('ck_consultations_budget_positive')),
    sa.CheckConstraint('credits > 0', name=op.f('ck_consultations_credits_positive')),
    sa.CheckConstraint('max_approvals IS NULL OR max_approvals > 0', name=op.f('ck_consultations_max_approvals_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consultations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['outcome_proposals.id'], name=op.f('fk_consultations_proposal_id_outcome_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_phase'), ['phase'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders_queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_events_group_id_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_group_starts', ['group_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)

    op.create_table('group_wards',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_wards_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_group_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('group_id', 'ward_id', name=op.f('pk_group_wards'))
    )
    with op.batch_alter_table('group_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_wards_ward_id'), ['ward_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_memberships_group_id_groups')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_memberships_group_id_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('proposal_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['outcome_proposals.id'], name=op.f('fk_proposal_revisions_proposal_id_outcome_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_revisions'))
    )
    with op.batch_alter_table('proposal_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_revisions_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['outcome_proposals.id'], name=op.f('fk_supports_proposal_id_outcome_proposals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supports')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_supports_proposal_id_user_id'))
    )
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supports_user_id'), ['user_id'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('receipt', sa.String(length=32), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_ballots_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_ballots_voter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_ballots_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('consultation_id', 'voter_id', name=op.f('uq_ballots_consultation_id_voter_id')),
    sa.UniqueConstraint('receipt', name=op.f('uq_ballots_receipt'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index('ix_ballots_consultation_ward', ['consultation_id', 'ward_id'], unique=False)

    op.create_table('commissioning_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('provider_name', sa.String(length=200), nullable=False),
    sa.Column('provider_kind', sa.Enum('in_house', 'arms_length', 'private', 'social_enterprise', 'voluntary_community', 'community_led', 'community_group', name='providerkind', native_enum=False, length=30), nullable=False),
    sa.Column('provider_group_id', sa.Integer(), nullable=True),
    sa.Column('provider_is_sme', sa.Boolean(), nullable=False),
    sa.Column('procurement_route', sa.Enum('direct_award', 'quotation', 'open_tender', 'restricted_tender', 'framework', 'grant', name='procurementroute', native_enum=False, length=30), nullable=False),
    sa.Column('value_pence', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('cabinet_member', sa.String(length=200), nullable=False),
    sa.Column('departs_from_vote', sa.Boolean(), nullable=False),
    sa.Column('departure_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'procuring', 'awarded', 'delivering', 'under_review', 'completed', 'terminated', name='deliverystatus', native_enum=False, length=30), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('NOT departs_from_vote OR departure_reason IS NOT NULL', name=op.f('ck_commissioning_decisions_departure_needs_reason')),
    sa.CheckConstraint('value_pence >= 0', name=op.f('ck_commissioning_decisions_value_not_negative')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_commissioning_decisions_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['provider_group_id'], ['groups.id'], name=op.f('fk_commissioning_decisions_provider_group_id_groups')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_commissioning_decisions_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioning_decisions')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_commissioning_decisions_consultation_id'))
    )
    with op.batch_alter_table('commissioning_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioning_decisions_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioning_decisions_provider_kind'), ['provider_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioning_decisions_status'), ['status'], unique=False)

    op.create_table('consultation_wards',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_wards_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_consultation_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('consultation_id', 'ward_id', name=op.f('pk_consultation_wards'))
    )
    with op.batch_alter_table('consultation_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_wards_ward_id'), ['ward_id'], unique=False)

    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_follows_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_follows_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'consultation_id', name=op.f('uq_follows_user_id_consultation_id')),
    sa.UniqueConstraint('user_id', 'ward_id', name=op.f('uq_follows_user_id_ward_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_ward_id'), ['ward_id'], unique=False)

    op.create_table('options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('provider_type', sa.Enum('in_house', 'arms_length', 'private', 'social_enterprise', 'voluntary_community', 'community_led', name='providertype', native_enum=False, length=30), nullable=False),
    sa.Column('estimated_cost_pence', sa.Integer(), nullable=True),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.Enum('active', 'merged', 'ineligible', name='optionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('ineligible_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('estimated_cost_pence IS NULL OR estimated_cost_pence >= 0', name=op.f('ck_options_cost_not_negative')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_options_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_options_group_id_groups')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_options_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['options.id'], name=op.f('fk_options_merged_into_id_options')),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_options_proposer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_options')),
    sa.UniqueConstraint('consultation_id', 'external_id', name=op.f('uq_options_consultation_id_external_id'))
    )
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_options_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_options_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_options_proposer_id'), ['proposer_id'], unique=False)

    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_participations_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('consultation_id', 'user_id', name=op.f('uq_participations_consultation_id_user_id'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_user_id'), ['user_id'], unique=False)

    op.create_table('phase_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('from_phase', sa.String(length=20), nullable=True),
    sa.Column('to_phase', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_phase_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_phase_changes_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_changes'))
    )
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_changes_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rsvps_event_id_events')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvps')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_rsvps_event_id_user_id'))
    )
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.create_index('ix_rsvps_event_status', ['event_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_user_id'), ['user_id'], unique=False)

    op.create_table('stored_results',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ballot_count', sa.Integer(), nullable=False),
    sa.Column('result_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_stored_results_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('consultation_id', name=op.f('pk_stored_results'))
    )
    op.create_table('ballot_entries',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_entries_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_ballot_entries_option_id_options')),
    sa.PrimaryKeyConstraint('ballot_id', 'option_id', name=op.f('pk_ballot_entries'))
    )
    with op.batch_alter_table('ballot_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_entries_option_id'), ['option_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.Enum('for', 'against', 'neutral', name='stance', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN consultation_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN option_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_comments_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_comments_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_comments_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_comments_option_id_options')),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments')),
    sa.ForeignKeyConstraint(['proposal_id'], ['outcome_proposals.id'], name=op.f('fk_comments_proposal_id_outcome_proposals')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_comments_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_option_id'), ['option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_ward_id'), ['ward_id'], unique=False)

    op.create_table('decision_options',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['commissioning_decisions.id'], name=op.f('fk_decision_options_decision_id_commissioning_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_decision_options_option_id_options')),
    sa.PrimaryKeyConstraint('decision_id', 'option_id', name=op.f('pk_decision_options'))
    )
    op.create_table('option_social_values',
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['social_value_measures.id'], name=op.f('fk_option_social_values_measure_id_social_value_measures')),
    sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_option_social_values_option_id_options'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('option_id', 'measure_id', name=op.f('pk_option_social_values'))
    )
    op.create_table('progress_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('update_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'procuring', 'awarded', 'delivering', 'under_review', 'completed', 'terminated', name='deliverystatus', native_enum=False, length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['commissioning_decisions.id'], name=op.f('fk_progress_updates_decision_id_commissioning_decisions')),
    sa.ForeignKeyConstraint(['posted_by_id'], ['users.id'], name=op.f('fk_progress_updates_posted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_updates'))
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_updates_decision_id'), ['decision_id'], unique=False)

    op.create_table('social_value_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('is_enforceable', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['commissioning_decisions.id'], name=op.f('fk_social_value_commitments_decision_id_commissioning_decisions')),
    sa.ForeignKeyConstraint(['measure_id'], ['social_value_measures.id'], name=op.f('fk_social_value_commitments_measure_id_social_value_measures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_value_commitments'))
    )
    with op.batch_alter_table('social_value_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_value_commitments_decision_id'), ['decision_id'], unique=False)

    op.create_table('commitment_progress',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('delivered', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['social_value_commitments.id'], name=op.f('fk_commitment_progress_commitment_id_social_value_commitments')),
    sa.ForeignKeyConstraint(['update_id'], ['progress_updates.id'], name=op.f('fk_commitment_progress_update_id_progress_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('update_id', 'commitment_id', name=op.f('pk_commitment_progress'))
    )


def downgrade():
    op.drop_table('commitment_progress')
    with op.batch_alter_table('social_value_commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_value_commitments_decision_id'))

    op.drop_table('social_value_commitments')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_decision_id'))

    op.drop_table('progress_updates')
    op.drop_table('option_social_values')
    op.drop_table('decision_options')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_ward_id'))
        batch_op.drop_index(batch_op.f('ix_comments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_option_id'))
        batch_op.drop_index(batch_op.f('ix_comments_consultation_id'))
        batch_op.drop_index('ix_comments_author_created')

    op.drop_table('comments')
    with op.batch_alter_table('ballot_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_entries_option_id'))

    op.drop_table('ballot_entries')
    op.drop_table('stored_results')
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rsvps_user_id'))
        batch_op.drop_index('ix_rsvps_event_status')

    op.drop_table('rsvps')
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_changes_consultation_id'))

    op.drop_table('phase_changes')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_user_id'))
        batch_op.drop_index(batch_op.f('ix_participations_consultation_id'))

    op.drop_table('participations')
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_options_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_options_group_id'))
        batch_op.drop_index(batch_op.f('ix_options_consultation_id'))

    op.drop_table('options')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_ward_id'))
        batch_op.drop_index(batch_op.f('ix_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_follows_consultation_id'))

    op.drop_table('follows')
    with op.batch_alter_table('consultation_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_wards_ward_id'))

    op.drop_table('consultation_wards')
    with op.batch_alter_table('commissioning_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioning_decisions_status'))
        batch_op.drop_index(batch_op.f('ix_commissioning_decisions_provider_kind'))
        batch_op.drop_index(batch_op.f('ix_commissioning_decisions_decided_on'))

    op.drop_table('commissioning_decisions')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index('ix_ballots_consultation_ward')

    op.drop_table('ballots')
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supports_user_id'))

    op.drop_table('supports')
    with op.batch_alter_table('proposal_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_revisions_proposal_id'))

    op.drop_table('proposal_revisions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_group_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('group_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_wards_ward_id'))

    op.drop_table('group_wards')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))
        batch_op.drop_index('ix_events_group_starts')

    op.drop_table('events')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_phase'))

    op.drop_table('consultations')
    with op.batch_alter_table('champion_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_interests_interest'))

    op.drop_table('champion_interests')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_group_id'))

    op.drop_table('announcements')
    with op.batch_alter_table('outcome_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_proposals_ward_supports')
        batch_op.drop_index('ix_outcome_proposals_ward_created')
        batch_op.drop_index(batch_op.f('ix_outcome_proposals_category'))
        batch_op.drop_index(batch_op.f('ix_outcome_proposals_author_id'))

    op.drop_table('outcome_proposals')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_pending')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_actions_ward_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_actions_created_at'))

    op.drop_table('moderation_actions')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_focus'))
        batch_op.drop_index(batch_op.f('ix_groups_created_at'))

    op.drop_table('groups')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_ward_id'))
        batch_op.drop_index('ix_flags_target')
        batch_op.drop_index(batch_op.f('ix_flags_resolved_at'))

    op.drop_table('flags')
    with op.batch_alter_table('champion_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_profiles_ward_id'))
        batch_op.drop_index(batch_op.f('ix_champion_profiles_created_at'))

    op.drop_table('champion_profiles')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    op.drop_table('social_value_measures')
