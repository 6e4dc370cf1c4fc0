"""search index sources: the kind of record an outbox entry names (documents and other features' records)

Revision ID: 0005_search_index_sources
Revises: 0004_request_delivery
Create Date: 2026-11-29 17:38:58.549266
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_search_index_sources'
down_revision: str | Sequence[str] | None = '0004_request_delivery'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=30), server_default='document', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_column('kind')
