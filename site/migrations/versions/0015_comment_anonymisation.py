"""Comments on drafts record when their authors' names and contacts were erased after the
retention period (``opengov consultations anonymise``).

Revision ID: 0015_comment_anonymisation
Revises: 0014_encrypt_applicant_names
Create Date: 2026-11-29 20:24:21.742646
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_comment_anonymisation'
down_revision: str | Sequence[str] | None = '0014_encrypt_applicant_names'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
