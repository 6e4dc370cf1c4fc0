"""Catalog generation: one number bumped by every change of what the public sees, so that
public lists count once per change instead of on every request (issue 18).

Revision ID: 0013_catalog_generation
Revises: 0012_indexes_of_the_public_lists
Create Date: 2026-11-29 18:19:08.499949
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_catalog_generation'
down_revision: str | Sequence[str] | None = '0012_indexes_of_the_public_lists'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    state = op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table('catalog_state')
