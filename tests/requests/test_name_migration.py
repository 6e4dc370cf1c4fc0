"""Migration 0014 encrypts the applicants' names, ID-number tails and letters' addressees that
a populated database kept in plain text — and refuses, changing nothing, without the key that
encrypted the rest of the personal data (SQLite; PostgreSQL in the slow run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import MetaData, Table, inspect, select, text

from opengov.site import create_app, migrate
from opengov.site.cli import main
from opengov.site.db import get_database, get_session, write_intent
from opengov.site.personal_data import PersonalDataCipher, key_from_secret
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.service import handling, letters
from tests.requests.conftest import VALID_ID

BEFORE = "0013_catalog_generation"
KEY = key_from_secret("test personal data key")
OPENING = "本机关于2025年9月26日收到您提出的政府信息公开申请（申请编号：YSQ-2025-000001）。"


def _filled(table: Table, **values: Any) -> dict[str, Any]:
    """``values`` and an empty value of its type for every other required column."""
    row = dict(values)
    empty = {int: 0, bool: False, dt.datetime: dt.datetime(2025, 1, 1),
             dt.date: dt.date(2025, 1, 1)}
    for column in table.columns:
        if column.name not in row and not column.nullable and not column.primary_key:
            row[column.name] = empty.get(column.type.python_type, "")
    return row


def _old_request(**values: Any) -> dict[str, Any]:
    cipher = PersonalDataCipher(KEY)
    row = {"agency_id": 1, "applicant_kind": "自然人", "org_type": "", "id_type": "居民身份证",
           "id_number_enc": cipher.encrypt(VALID_ID), "id_number_hmac": "",
           "phone_enc": cipher.encrypt("13800000000"), "email_enc": "", "address_enc": "",
           "postcode": "", "doc_title": "", "doc_number": "", "description": "绿化经费",
           "carrier": "纸质", "delivery": "邮寄", "channel": "当面提交",
           "submitted_at": dt.datetime(2025, 9, 26), "query_code_hash": "0" * 64,
           "fingerprint": "", "stage": "已答复", "due_provisional": False,
           "due_explanation": "", "created_at": dt.datetime(2025, 9, 26)}
    row.update(values)
    return row


def _populate_before_0014(app: Flask) -> None:
    """A site at 0013 with two requests — one anonymised long ago — and their letters, the
    name and ID tail in plain text as 0013 kept them."""
    with app.app_context():
        engine = get_database().engine
        migrate.downgrade(engine, BEFORE)  # nothing in it yet: no key needed
        tables = MetaData()
        tables.reflect(engine)
        assert "name" in tables.tables["info_requests"].columns
        with write_intent(), engine.begin() as connection:
            connection.execute(tables.tables["agencies"].insert(), _filled(
                tables.tables["agencies"], id=1, code="gov", name="示例市人民政府"))
            connection.execute(tables.tables["info_requests"].insert(), [
                _old_request(id=1, number="YSQ-2025-000001", name="张三",
                             id_number_tail="002X", anonymised_at=None),
                _old_request(id=2, number="YSQ-2014-000001", name="（已匿名化）",
                             id_number_tail="", id_number_enc="", phone_enc="",
                             anonymised_at=dt.datetime(2025, 1, 1))])
            connection.execute(tables.tables["info_request_letters"].insert(), [
                {"id": 1, "request_id": 1, "number": "告知〔2025〕第1号", "kind": "reply",
                 "title": "政府信息公开申请答复书", "body": f"张三：\n{OPENING}\n如对本答复不服……",
                 "issued_on": dt.date(2025, 10, 9), "enclosures": "",
                 "created_at": dt.datetime(2025, 10, 9)},
                # Issued before the request was anonymised, which left the letter's name.
                {"id": 2, "request_id": 2, "number": "告知〔2014〕第1号", "kind": "reply",
                 "title": "政府信息公开申请答复书", "body": f"李四：\n{OPENING}",
                 "issued_on": dt.date(2014, 10, 9), "enclosures": "",
                 "created_at": dt.datetime(2014, 10, 9)}])
        engine.dispose()


def _columns(app: Flask) -> set[str]:
    with app.app_context():
        return {column["name"] for column in inspect(get_database().engine)
                .get_columns("info_requests")}


def test_the_migration_encrypts_names_tails_and_addressees(app: Flask) -> None:
    _populate_before_0014(app)
    result = app.test_cli_runner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert {"name_enc", "id_number_tail_enc"} <= _columns(app)
    assert not {"name", "id_number_tail"} & _columns(app)
    with app.app_context():
        session = get_session()
        stored = " ".join(str(value) for row in session.execute(
            text("SELECT * FROM info_requests")).all() for value in row)
        stored += " ".join(str(value) for row in session.execute(
            text("SELECT * FROM info_request_letters")).all() for value in row)
        for plain in ("张三", "李四", "002X"):
            assert plain not in stored
        current = session.get(InfoRequest, 1)
        assert current is not None
        assert handling.personal_data(current).name == "张三"
        assert handling.applicant_labels([current])[1] == handling.ApplicantLabel("张三", "002X")
        letter = session.get(RequestLetter, 1)
        assert letter is not None
        assert letters.paragraphs(letter) == ["张三：", OPENING, "如对本答复不服……"]
        # The anonymised request: nothing to encrypt, and its old letter's name is gone too.
        erased = session.scalars(select(InfoRequest).where(InfoRequest.id == 2)).one()
        assert (erased.name_enc, erased.id_number_tail_enc) == ("", "")
        old_letter = session.get(RequestLetter, 2)
        assert old_letter is not None
        assert old_letter.addressee_enc == ""
        assert letters.paragraphs(old_letter) == ["（已匿名化）：", OPENING]
        assert migrate.current_revision(get_database().engine) == migrate.head_revision()


def test_the_downgrade_puts_the_plain_columns_back(app: Flask) -> None:
    _populate_before_0014(app)
    with app.app_context():
        migrate.upgrade(get_database().engine)
        migrate.downgrade(get_database().engine, BEFORE)
        with get_database().engine.connect() as connection:
            rows = connection.execute(text("SELECT id, name, id_number_tail FROM info_requests "
                                           "ORDER BY id")).all()
            bodies = connection.execute(text("SELECT body FROM info_request_letters "
                                             "ORDER BY id")).scalars().all()
        get_database().engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "张三", "002X"), (2, "（已匿名化）", "")]
    assert bodies == [f"张三：\n{OPENING}\n如对本答复不服……", f"（已匿名化）：\n{OPENING}"]


@pytest.mark.parametrize(("key", "message"), [
    (None, "需要个人信息密钥，但没有找到"),
    (key_from_secret("another key"), "无法解密库中已加密的个人信息"),
])
def test_without_the_right_key_the_migration_refuses_and_changes_nothing(
        app: Flask, app_config: dict[str, Any], key: str | None, message: str) -> None:
    _populate_before_0014(app)
    keyless = create_app({**app_config, "PERSONAL_DATA_KEY": key})
    for command_line in (["db", "upgrade"], ["upgrade", "--no-backup"]):
        result = keyless.test_cli_runner().invoke(main, command_line)
        assert result.exit_code == 1, result.output
        assert message in result.output
        assert "数据库未作改动" in result.output
        assert "Traceback" not in result.output
    assert {"name", "id_number_tail"} <= _columns(keyless)
    assert "name_enc" not in _columns(keyless)
    with keyless.app_context():
        engine = get_database().engine
        assert migrate.current_revision(engine) == BEFORE
        with engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM info_requests WHERE id = 1")
                                      ).scalar() == "张三"
        engine.dispose()


def test_an_empty_database_needs_no_key(app: Flask, app_config: dict[str, Any]) -> None:
    with app.app_context():
        migrate.downgrade(get_database().engine, BEFORE)
        get_database().engine.dispose()
    keyless = create_app({**app_config, "PERSONAL_DATA_KEY": None})
    result = keyless.test_cli_runner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "name_enc" in _columns(keyless)
