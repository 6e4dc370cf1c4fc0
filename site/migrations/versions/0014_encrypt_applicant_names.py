"""Applicants' names encrypted at rest like their other personal data: ``info_requests.name``
and ``id_number_tail`` become ``name_enc`` and ``id_number_tail_enc``, and a letter's addressee
line (the name) moves out of its text into ``info_request_letters.addressee_enc``.

Existing rows are converted here, so the migration needs the personal-data key: migrate.upgrade
hands it over from the app (``PERSONAL_DATA_KEY`` or ``instance/personal_data_key``). Without
it, or with a key that does not open the data already encrypted, the migration refuses before
changing anything rather than store what no one could read. A database without requests
needs no key. The migration is written against the tables as they are here and uses Fernet
directly, as :mod:`opengov.site.personal_data` does, so that later changes of the site's code
do not change what it does.

Revision ID: 0014_encrypt_applicant_names
Revises: 0013_catalog_generation
Create Date: 2026-11-29 20:17:38.388754
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken

from opengov.site.migrate import MigrationRefusedError

revision: str = '0014_encrypt_applicant_names'
down_revision: str | Sequence[str] | None = '0013_catalog_generation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What anonymisation left in ``info_requests.name``; not a name, never encrypted.
ANONYMISED = "（已匿名化）"
NO_KEY = ("迁移 0014（加密申请人姓名）需要个人信息密钥，但没有找到：请设置 "
          "OPENGOV_PERSONAL_DATA_KEY，或把加密本站其他个人信息所用的 personal_data_key 放回实例"
          "目录，再运行 opengov upgrade。数据库未作改动。")
WRONG_KEY = ("迁移 0014（加密申请人姓名）：个人信息密钥无法解密库中已加密的个人信息（密钥不是原来"
             "那一个？）。请换回原来的 personal_data_key 再运行 opengov upgrade。数据库未作改动。")

requests = sa.table("info_requests", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("id_number_tail", sa.String), sa.column("name_enc", sa.Text),
                    sa.column("id_number_tail_enc", sa.Text), sa.column("id_number_enc", sa.Text),
                    sa.column("phone_enc", sa.Text), sa.column("email_enc", sa.Text),
                    sa.column("anonymised_at", sa.DateTime))
letters = sa.table("info_request_letters", sa.column("id", sa.Integer),
                   sa.column("request_id", sa.Integer), sa.column("body", sa.Text),
                   sa.column("addressee_enc", sa.Text))


def _cipher(connection: sa.Connection) -> Fernet:
    """The site's key, checked against a value it encrypted before (if there is one)."""
    key = context.config.attributes.get("personal_data_key")
    if not key:
        raise MigrationRefusedError(NO_KEY)
    try:
        fernet = Fernet(str(key).encode("ascii"))
    except (ValueError, TypeError) as exc:
        raise MigrationRefusedError(WRONG_KEY) from exc
    sample = connection.execute(sa.select(requests.c.id_number_enc, requests.c.phone_enc,
                                          requests.c.email_enc).where(sa.or_(
        requests.c.id_number_enc != "", requests.c.phone_enc != "",
        requests.c.email_enc != "")).limit(1)).first()
    token = next((value for value in sample or () if value), None)
    if token is not None:
        try:
            fernet.decrypt(token.encode("ascii"))
        except InvalidToken as exc:
            raise MigrationRefusedError(WRONG_KEY) from exc
    return fernet


def _encrypt(fernet: Fernet, value: str) -> str:
    return fernet.encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def _decrypt(fernet: Fernet, token: str) -> str:
    return fernet.decrypt(token.encode("ascii")).decode("utf-8") if token else ""


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(requests.c.id, requests.c.name,
                                        requests.c.id_number_tail,
                                        requests.c.anonymised_at)).all()
    # Before any change: refused here, the database is left as it was.
    fernet = _cipher(connection) if rows else None
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressee_enc', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_enc', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('id_number_tail_enc', sa.Text(), nullable=False,
                                      server_default=''))
    if fernet is not None:
        anonymised = set()
        for row in rows:
            if row.anonymised_at is not None:
                anonymised.add(row.id)
                continue  # erased already: nothing to encrypt
            connection.execute(requests.update().where(requests.c.id == row.id).values(
                name_enc=_encrypt(fernet, row.name if row.name != ANONYMISED else ""),
                id_number_tail_enc=_encrypt(fernet, row.id_number_tail or "")))
        for letter in connection.execute(sa.select(letters.c.id, letters.c.request_id,
                                                   letters.c.body)).all():
            first, _, rest = letter.body.partition("\n")
            if not first.endswith("："):
                continue  # no addressee line to move
            addressee = "" if letter.request_id in anonymised else first.removesuffix("：")
            connection.execute(letters.update().where(letters.c.id == letter.id).values(
                addressee_enc=_encrypt(fernet, addressee), body=rest))
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.alter_column('addressee_enc', server_default=None)
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.alter_column('name_enc', server_default=None)
        batch_op.alter_column('id_number_tail_enc', server_default=None)
        batch_op.drop_column('id_number_tail')
        batch_op.drop_column('name')


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(requests.c.id, requests.c.name_enc,
                                        requests.c.id_number_tail_enc,
                                        requests.c.anonymised_at)).all()
    fernet = _cipher(connection) if rows else None
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.VARCHAR(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('id_number_tail', sa.VARCHAR(length=8), nullable=False,
                                      server_default=''))
    if fernet is not None:
        for row in rows:
            connection.execute(requests.update().where(requests.c.id == row.id).values(
                name=ANONYMISED if row.anonymised_at is not None
                else _decrypt(fernet, row.name_enc)[:100],
                id_number_tail=_decrypt(fernet, row.id_number_tail_enc)[:8]))
        anonymised = {row.id for row in rows if row.anonymised_at is not None}
        for letter in connection.execute(sa.select(letters.c.id, letters.c.request_id,
                                                   letters.c.body, letters.c.addressee_enc)).all():
            addressee = (ANONYMISED if letter.request_id in anonymised
                         else _decrypt(fernet, letter.addressee_enc))
            if addressee:
                connection.execute(letters.update().where(letters.c.id == letter.id).values(
                    body=f"{addressee}：\n{letter.body}"))
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.alter_column('name', server_default=None)
        batch_op.alter_column('id_number_tail', server_default=None)
        batch_op.drop_column('id_number_tail_enc')
        batch_op.drop_column('name_enc')
    with op.batch_alter_table('info_request_letters', schema=None) as batch_op:
        batch_op.drop_column('addressee_enc')
