"""What import-content last wrote to each document (issue 11).

Revision ID: 0011_content_imports
Revises: 0010_mail_outbox
Create Date: 2026-11-29 17:49:27.256903
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_content_imports'
down_revision: str | Sequence[str] | None = '0010_mail_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('content_imports',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_content_imports_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_content_imports'))
    )


def downgrade() -> None:
    op.drop_table('content_imports')
