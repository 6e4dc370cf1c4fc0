"""released files, signing policy, Art. 44 candidates, reviewed annual report versions

Revision ID: 0004_request_delivery
Revises: 0003_participation
Create Date: 2026-11-29 17:29:35.412667
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_request_delivery'
down_revision: str | Sequence[str] | None = '0003_participation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('info_request_proactive_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('drafted_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_info_request_proactive_candidates_agency_id_agencies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_info_request_proactive_candidates_decided_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_info_request_proactive_candidates_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_proactive_candidates'))
    )
    with op.batch_alter_table('info_request_proactive_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_proactive_candidates_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_request_proactive_candidates_key'), ['key'], unique=False)

    op.create_table('info_request_signing_policies',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('decider_may_sign', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_info_request_signing_policies_agency_id_agencies')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_info_request_signing_policies_changed_by_id_users')),
    sa.PrimaryKeyConstraint('agency_id', name=op.f('pk_info_request_signing_policies'))
    )
    op.create_table('info_request_proactive_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['info_request_proactive_candidates.id'], name=op.f('fk_info_request_proactive_marks_candidate_id_info_request_proactive_candidates')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_info_request_proactive_marks_marked_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_info_request_proactive_marks_request_id_info_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_proactive_marks')),
    sa.UniqueConstraint('candidate_id', 'request_id', name=op.f('uq_info_request_proactive_marks_candidate_id'))
    )
    with op.batch_alter_table('info_request_proactive_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_proactive_marks_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_request_proactive_marks_request_id'), ['request_id'], unique=False)

    op.create_table('info_request_released_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('redaction', sa.Text(), nullable=False),
    sa.Column('attached_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attached_by_id'], ['users.id'], name=op.f('fk_info_request_released_files_attached_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_info_request_released_files_request_id_info_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_released_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_info_request_released_files_stored_name'))
    )
    with op.batch_alter_table('info_request_released_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_released_files_request_id'), ['request_id'], unique=False)

    op.create_table('info_request_release_downloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('released_file_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['released_file_id'], ['info_request_released_files.id'], name=op.f('fk_info_request_release_downloads_released_file_id_info_request_released_files')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_info_request_release_downloads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_release_downloads'))
    )
    with op.batch_alter_table('info_request_release_downloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_release_downloads_released_file_id'), ['released_file_id'], unique=False)

    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False,
                                      server_default='draft'))
        batch_op.add_column(sa.Column('drafted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('correction_note', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.drop_constraint(batch_op.f('uq_annual_reports_agency_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_annual_reports_agency_id'), ['agency_id', 'year', 'version'])
        batch_op.create_foreign_key(batch_op.f('fk_annual_reports_submitted_by_id_users'), 'users', ['submitted_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_annual_reports_drafted_by_id_users'), 'users', ['drafted_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_annual_reports_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'])

    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enclosures', sa.Text(), nullable=False, server_default=''))

    # Reports published before review existed are published versions 1.
    op.execute("UPDATE annual_reports SET status = 'published' WHERE published_on IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.drop_column('enclosures')

    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_annual_reports_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_annual_reports_drafted_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_annual_reports_submitted_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_annual_reports_agency_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_annual_reports_agency_id'), ['agency_id', 'year'])
        batch_op.drop_column('correction_note')
        batch_op.drop_column('review_note')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submitted_by_id')
        batch_op.drop_column('drafted_by_id')
        batch_op.drop_column('status')
        batch_op.drop_column('version')

    with op.batch_alter_table('info_request_release_downloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_release_downloads_released_file_id'))

    op.drop_table('info_request_release_downloads')
    with op.batch_alter_table('info_request_released_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_released_files_request_id'))

    op.drop_table('info_request_released_files')
    with op.batch_alter_table('info_request_proactive_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_proactive_marks_request_id'))
        batch_op.drop_index(batch_op.f('ix_info_request_proactive_marks_candidate_id'))

    op.drop_table('info_request_proactive_marks')
    op.drop_table('info_request_signing_policies')
    with op.batch_alter_table('info_request_proactive_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_proactive_candidates_key'))
        batch_op.drop_index(batch_op.f('ix_info_request_proactive_candidates_agency_id'))

    op.drop_table('info_request_proactive_candidates')
