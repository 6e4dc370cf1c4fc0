"""A populated site for the operations tests: the seed content, an applicant's request
(personal data encrypted), an uploaded attachment, a queued notice, a staff account, a
calendar override and audit entries — a row in most tables and a file in the upload folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import attachments
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_session, unit_of_work
from opengov.site.mail.service import outbox
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.rules.clock import Channel
from opengov.site.requests.service import handling
from opengov.site.workdays import service as workdays
from tests.factories import make_agency, make_application

#: A small PDF, accepted by the upload check.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    app_config.update(PERSONAL_DATA_KEY=key_from_secret("operations tests"),
                      BACKUP_DIR=str(tmp_path / "backups"), SMTP_HOST="127.0.0.1",
                      SMTP_SECURITY="none")
    return app_config


def populate(app: Flask, make_user: Callable[..., User]) -> str:
    """Fill the site; returns the number of the request filed."""
    runner = app.test_cli_runner()
    for args in (["import-content", str(PROJECT_ROOT / "content")], ["index", "rebuild"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    admin = make_user("admin1", Role.ADMIN)
    with app.app_context():
        with unit_of_work() as session:
            agency = make_agency(session, "gov")
            filed, _code = handling.file_request(
                session, agency, make_application(), Channel.ONLINE, dt.date(2025, 9, 26),
                confirmed_on=dt.date(2025, 9, 26))
            outbox.enqueue(session, kind="request.confirmed", to="zhangsan@example.com",
                           subject=f"已登记（{filed.number}）", body="张三：已登记。",
                           reference=filed.number)
            document = session.scalars(select(Document).order_by(Document.id)).first()
            assert document is not None
            user = session.get(User, admin.id)
            assert user is not None
            attachments.save(session, document, PDF, "附件.pdf",
                             upload_dir=attachments.upload_dir(), max_bytes=1 << 20,
                             actor=user, origin=COMMAND_LINE)
            number = filed.number
        workdays.set_override(dt.date(2026, 10, 10), True, "调休上班", actor=None)
        get_session().close()
    return number
