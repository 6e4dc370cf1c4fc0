"""The mail outbox (issue 11): notices queued with their step, sent by `opengov mail send`.

Revision ID: 0010_mail_outbox
Revises: 0009_government_budgets
Create Date: 2026-11-29 17:31:30.953095
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_mail_outbox'
down_revision: str | Sequence[str] | None = '0009_government_budgets'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('recipient_enc', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_enc', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_outbox_dedupe_key'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_sent_at'), ['sent_at'], unique=False)

    op.create_table('mail_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('content_enc', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['mail_outbox.id'], name=op.f('fk_mail_attachments_notice_id_mail_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attachments'))
    )
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attachments_notice_id'), ['notice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attachments_notice_id'))

    op.drop_table('mail_attachments')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_sent_at'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_reference'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_failed_at'))

    op.drop_table('mail_outbox')
