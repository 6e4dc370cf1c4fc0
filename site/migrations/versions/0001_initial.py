"""The whole schema as of the restructuring (the earlier chain, squashed before any release).

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-29 16:30:11.583659
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001_initial'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('org_code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('index_no_template', sa.String(length=60), nullable=False),
    sa.Column('office_name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('office_hours', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('fax', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=100), nullable=False),
    sa.Column('website', sa.String(length=200), nullable=False),
    sa.Column('guide_markdown', sa.Text(), nullable=False),
    sa.Column('guide_updated_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['agencies.id'], name=op.f('fk_agencies_parent_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('code', name=op.f('uq_agencies_code')),
    sa.UniqueConstraint('org_code', name=op.f('uq_agencies_org_code'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)

    op.create_table('calendar_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides'))
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    op.create_table('fiscal_sangong_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('预算', '决算', name='fiscal_reference_stage', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('stage_label', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.Enum('元', '万元', '亿元', name='fiscal_unit', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=True),
    sa.Column('outbound', sa.BigInteger(), nullable=True),
    sa.Column('vehicle', sa.BigInteger(), nullable=True),
    sa.Column('vehicle_purchase', sa.BigInteger(), nullable=True),
    sa.Column('vehicle_operation', sa.BigInteger(), nullable=True),
    sa.Column('reception', sa.BigInteger(), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('source_type', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_sangong_references')),
    sa.UniqueConstraint('entity', 'year', 'stage_label', name=op.f('uq_fiscal_sangong_references_entity'))
    )
    with op.batch_alter_table('fiscal_sangong_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_sangong_references_year'), ['year'], unique=False)

    op.create_table('info_request_serials',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'year', name=op.f('pk_info_request_serials'))
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_ip'), ['ip'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_username'), ['username'], unique=False)

    op.create_table('rate_limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=30), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits'))
    )
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_key_hash'), ['key_hash'], unique=False)

    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)

    op.create_table('search_query_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_query_stats')),
    sa.UniqueConstraint('query', 'day', name=op.f('uq_search_query_stats_query'))
    )
    with op.batch_alter_table('search_query_stats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_query_stats_day'), ['day'], unique=False)

    op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('synonym', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms')),
    sa.UniqueConstraint('term', 'synonym', name=op.f('uq_search_synonyms_term'))
    )
    with op.batch_alter_table('search_synonyms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_synonyms_term'), ['term'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_key', sa.String(length=120), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('genre', sa.String(length=40), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('index_no', sa.String(length=60), nullable=True),
    sa.Column('date_written', sa.Date(), nullable=True),
    sa.Column('changed_on', sa.Date(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('repealed_on', sa.Date(), nullable=True),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=False),
    sa.Column('validity', sa.Enum('有效', '失效', '废止', '已修改', name='validity', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('disclosure', sa.Enum('主动公开', '依申请公开', '不予公开', name='disclosure', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('non_disclosure_reason', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'published', 'withdrawn', name='publication_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('body_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_documents_agency_id_agencies')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_documents_category_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('content_key', name=op.f('uq_documents_content_key')),
    sa.UniqueConstraint('index_no', name=op.f('uq_documents_index_no'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_body_hash'), ['body_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_doc_number'), ['doc_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_published_on'), ['published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_status'), ['status'], unique=False)

    op.create_table('index_serials',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_index_serials_agency_id_agencies')),
    sa.PrimaryKeyConstraint('agency_id', 'year', name=op.f('pk_index_serials'))
    )
    op.create_table('review_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('group', sa.Enum('行政复议', '未经复议直接起诉', '复议后起诉', name='review_group', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('result', sa.Enum('结果维持', '结果纠正', '其他结果', '尚未审结', name='review_result', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('case_number', sa.String(length=100), nullable=False),
    sa.Column('request_number', sa.String(length=40), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_review_cases_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cases'))
    )
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cases_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cases_year'), ['year'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=100), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_users_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('annual_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('overview', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('other_matters', sa.Text(), nullable=False),
    sa.Column('licensing_decisions', sa.Integer(), nullable=False),
    sa.Column('penalty_decisions', sa.Integer(), nullable=False),
    sa.Column('coercion_decisions', sa.Integer(), nullable=False),
    sa.Column('fees_collected', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_table3', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_annual_reports_agency_id_agencies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_annual_reports_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_reports')),
    sa.UniqueConstraint('agency_id', 'year', name=op.f('uq_annual_reports_agency_id'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_attachments_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_document_id'), ['document_id'], unique=False)

    op.create_table('document_autosaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=20), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_document_autosaves_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_autosaves')),
    sa.UniqueConstraint('user_id', 'document_key', name=op.f('uq_document_autosaves_user_id'))
    )
    with op.batch_alter_table('document_autosaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_autosaves_document_key'), ['document_key'], unique=False)

    op.create_table('document_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('metadata_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_document_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_versions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_versions')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_document_versions_document_id'))
    )
    with op.batch_alter_table('document_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_versions_document_id'), ['document_id'], unique=False)

    op.create_table('document_workflow',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('last_editor_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_opinion', sa.Text(), nullable=False),
    sa.Column('deadline_basis', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_document_workflow_author_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_workflow_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_editor_id'], ['users.id'], name=op.f('fk_document_workflow_last_editor_id_users')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_document_workflow_reviewer_id_users')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_workflow'))
    )
    op.create_table('fiscal_disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('预算', '决算', name='fiscal_stage', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_fiscal_disclosures_agency_id_agencies')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_fiscal_disclosures_document_id_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_disclosures')),
    sa.UniqueConstraint('agency_id', 'year', 'stage', name=op.f('uq_fiscal_disclosures_agency_id'))
    )
    with op.batch_alter_table('fiscal_disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_disclosures_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiscal_disclosures_year'), ['year'], unique=False)

    op.create_table('info_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('applicant_kind', sa.String(length=20), nullable=False),
    sa.Column('org_type', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_type', sa.String(length=30), nullable=False),
    sa.Column('id_number_enc', sa.Text(), nullable=False),
    sa.Column('id_number_hmac', sa.String(length=64), nullable=False),
    sa.Column('id_number_tail', sa.String(length=8), nullable=False),
    sa.Column('phone_enc', sa.Text(), nullable=False),
    sa.Column('email_enc', sa.Text(), nullable=False),
    sa.Column('address_enc', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('doc_title', sa.String(length=200), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('carrier', sa.String(length=20), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('query_code_hash', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('transferred_from_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('receipt_date', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('due_explanation', sa.Text(), nullable=False),
    sa.Column('correction_notice_due_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_info_requests_agency_id_agencies')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['info_requests.id'], name=op.f('fk_info_requests_duplicate_of_id_info_requests')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_info_requests_entered_by_id_users')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_info_requests_handler_id_users')),
    sa.ForeignKeyConstraint(['transferred_from_id'], ['info_requests.id'], name=op.f('fk_info_requests_transferred_from_id_info_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_info_requests_number'))
    )
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_requests_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_requests_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_requests_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_requests_id_number_hmac'), ['id_number_hmac'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_requests_stage'), ['stage'], unique=False)

    op.create_table('interpretation_links',
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('interpretation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interpretation_id'], ['documents.id'], name=op.f('fk_interpretation_links_interpretation_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['policy_id'], ['documents.id'], name=op.f('fk_interpretation_links_policy_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('policy_id', 'interpretation_id', name=op.f('pk_interpretation_links'))
    )
    op.create_table('staff_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('workflow_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_workflow_events_actor_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_workflow_events_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_events'))
    )
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_events_document_id'), ['document_id'], unique=False)

    op.create_table('fiscal_sangong_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disclosure_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Enum('因公出国（境）费', '公务用车购置费', '公务用车运行（维护）费', '公务接待费', '机关运行经费', '会议费', '培训费', name='sangong_item', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('prior_amount', sa.BigInteger(), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['fiscal_disclosures.id'], name=op.f('fk_fiscal_sangong_lines_disclosure_id_fiscal_disclosures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_sangong_lines')),
    sa.UniqueConstraint('disclosure_id', 'item', name=op.f('uq_fiscal_sangong_lines_disclosure_id'))
    )
    with op.batch_alter_table('fiscal_sangong_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_sangong_lines_disclosure_id'), ['disclosure_id'], unique=False)

    op.create_table('fiscal_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disclosure_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['fiscal_disclosures.id'], name=op.f('fk_fiscal_tables_disclosure_id_fiscal_disclosures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_tables')),
    sa.UniqueConstraint('disclosure_id', 'number', name=op.f('uq_fiscal_tables_disclosure_id'))
    )
    with op.batch_alter_table('fiscal_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_tables_disclosure_id'), ['disclosure_id'], unique=False)

    op.create_table('info_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_info_request_events_actor_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_info_request_events_request_id_info_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_events')),
    sa.UniqueConstraint('request_id', 'seq', name=op.f('uq_info_request_events_request_id'))
    )
    with op.batch_alter_table('info_request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_events_request_id'), ['request_id'], unique=False)

    op.create_table('info_request_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['info_requests.id'], name=op.f('fk_info_request_letters_request_id_info_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request_letters')),
    sa.UniqueConstraint('number', name=op.f('uq_info_request_letters_number'))
    )
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_letters_request_id'), ['request_id'], unique=False)

    op.create_table('fiscal_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=4), nullable=False),
    sa.Column('amounts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['table_id'], ['fiscal_tables.id'], name=op.f('fk_fiscal_rows_table_id_fiscal_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_rows'))
    )
    with op.batch_alter_table('fiscal_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fiscal_rows_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_fiscal_rows_table_id'), ['table_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fiscal_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_rows_table_id'))
        batch_op.drop_index(batch_op.f('ix_fiscal_rows_code'))

    op.drop_table('fiscal_rows')
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_letters_request_id'))

    op.drop_table('info_request_letters')
    with op.batch_alter_table('info_request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_events_request_id'))

    op.drop_table('info_request_events')
    with op.batch_alter_table('fiscal_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_tables_disclosure_id'))

    op.drop_table('fiscal_tables')
    with op.batch_alter_table('fiscal_sangong_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_sangong_lines_disclosure_id'))

    op.drop_table('fiscal_sangong_lines')
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workflow_events_document_id'))

    op.drop_table('workflow_events')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))

    op.drop_table('staff_sessions')
    op.drop_table('interpretation_links')
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_requests_stage'))
        batch_op.drop_index(batch_op.f('ix_info_requests_id_number_hmac'))
        batch_op.drop_index(batch_op.f('ix_info_requests_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_info_requests_due_on'))
        batch_op.drop_index(batch_op.f('ix_info_requests_agency_id'))

    op.drop_table('info_requests')
    with op.batch_alter_table('fiscal_disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_disclosures_year'))
        batch_op.drop_index(batch_op.f('ix_fiscal_disclosures_agency_id'))

    op.drop_table('fiscal_disclosures')
    op.drop_table('document_workflow')
    with op.batch_alter_table('document_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_versions_document_id'))

    op.drop_table('document_versions')
    with op.batch_alter_table('document_autosaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_autosaves_document_key'))

    op.drop_table('document_autosaves')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_document_id'))

    op.drop_table('attachments')
    op.drop_table('annual_reports')
    op.drop_table('users')
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cases_year'))
        batch_op.drop_index(batch_op.f('ix_review_cases_agency_id'))

    op.drop_table('review_cases')
    op.drop_table('index_serials')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_status'))
        batch_op.drop_index(batch_op.f('ix_documents_published_on'))
        batch_op.drop_index(batch_op.f('ix_documents_doc_number'))
        batch_op.drop_index(batch_op.f('ix_documents_category_id'))
        batch_op.drop_index(batch_op.f('ix_documents_body_hash'))
        batch_op.drop_index(batch_op.f('ix_documents_agency_id'))

    op.drop_table('documents')
    with op.batch_alter_table('search_synonyms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_synonyms_term'))

    op.drop_table('search_synonyms')
    with op.batch_alter_table('search_query_stats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_query_stats_day'))

    op.drop_table('search_query_stats')
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_search_outbox_document_id'))

    op.drop_table('search_outbox')
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_key_hash'))
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_at'))

    op.drop_table('rate_limit_hits')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_username'))
        batch_op.drop_index(batch_op.f('ix_login_failures_ip'))
        batch_op.drop_index(batch_op.f('ix_login_failures_at'))

    op.drop_table('login_failures')
    op.drop_table('info_request_serials')
    with op.batch_alter_table('fiscal_sangong_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fiscal_sangong_references_year'))

    op.drop_table('fiscal_sangong_references')
    op.drop_table('categories')
    op.drop_table('calendar_years')
    op.drop_table('calendar_overrides')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    op.drop_table('agencies')
