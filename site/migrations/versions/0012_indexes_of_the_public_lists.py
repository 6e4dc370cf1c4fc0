"""Indexes of the public lists: the newest public documents of a column, of an agency or of
all, and their counts, read from indexes alone (issue 18: lists that do not grow with the
catalog).

Revision ID: 0012_indexes_of_the_public_lists
Revises: 0011_content_imports
Create Date: 2026-11-29 17:46:12.986207
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012_indexes_of_the_public_lists'
down_revision: str | Sequence[str] | None = '0011_content_imports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_public', ['status', 'disclosure', 'published_on', 'validity', 'agency_id'], unique=False)
        batch_op.create_index('ix_documents_public_agency', ['agency_id', 'status', 'disclosure', 'published_on', 'validity'], unique=False)
        batch_op.create_index('ix_documents_public_category', ['category_id', 'status', 'disclosure', 'published_on', 'agency_id', 'validity'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_public_category')
        batch_op.drop_index('ix_documents_public_agency')
        batch_op.drop_index('ix_documents_public')
