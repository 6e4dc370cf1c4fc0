"""The mail outbox and its worker against a real SMTP server: STARTTLS, SSL, log-in,
refusals, back-off, giving up, and the staff page of failed notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.cli import main
from opengov.site.db import get_session, unit_of_work
from opengov.site.mail.models import MailAttachment, MailOutbox
from opengov.site.mail.rules import backoff, mask_address
from opengov.site.mail.service import outbox, sender
from opengov.site.personal_data import key_from_secret
from tests.support.smtp import Certificate, SmtpServer, free_port, self_signed

ADDRESS = "zhangsan@example.com"


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed(tmp_path)


@pytest.fixture
def servers() -> Iterator[list[SmtpServer]]:
    started: list[SmtpServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def serve(servers: list[SmtpServer], app: Flask) -> Callable[..., SmtpServer]:
    """Start an SMTP server and point the site at it."""

    def start(security: str = "none", **kwargs: Any) -> SmtpServer:
        server = SmtpServer(security=security, **kwargs).start()
        servers.append(server)
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port,
                          SMTP_SECURITY=security)
        return server

    return start


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(PERSONAL_DATA_KEY=key_from_secret("mail tests"), SMTP_HOST="127.0.0.1",
                      SMTP_PORT=free_port(), SMTP_SECURITY="none")
    return app_config


def queue(app: Flask, count: int = 1, **fields: Any) -> list[int]:
    ids = []
    with app.app_context():
        for number in range(count):
            with unit_of_work() as session:
                values = {"kind": "request.confirmed", "to": ADDRESS,
                          "subject": f"政府信息公开申请已登记（YSQ-2025-00000{number + 1}）",
                          "body": "张三：\n\n您的申请已登记。\n",
                          "reference": f"YSQ-2025-00000{number + 1}", **fields}
                assert outbox.enqueue(session, **values)
                session.flush()
                ids.append(max(session.scalars(select(MailOutbox.id))))
    return ids


def notice(app: Flask, notice_id: int) -> MailOutbox:
    with app.app_context():
        found = get_session().get(MailOutbox, notice_id)
        assert found is not None
        return found


def test_plain_delivery_erases_the_recipient_and_body(app: Flask,
                                                      serve: Callable[..., SmtpServer],
                                                      runner: FlaskCliRunner) -> None:
    server = serve()
    [notice_id] = queue(app)
    stored = notice(app, notice_id)
    assert ADDRESS not in stored.recipient_enc
    assert "张三" not in stored.body_enc
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "已发出 1 封" in result.output
    [message] = server.inbox.messages
    assert message["To"] == ADDRESS
    assert message["Message-ID"]
    assert message["Date"]
    assert "张三" in str(message.get_content())
    sent = notice(app, notice_id)
    assert sent.sent_at is not None
    assert sent.recipient_enc == ""
    assert sent.body_enc == ""
    assert runner.invoke(main, ["mail", "send"]).output.startswith("已发出 0 封")


def test_attachments_travel_encrypted_and_are_erased_once_sent(
        app: Flask, serve: Callable[..., SmtpServer]) -> None:
    server = serve()
    letter = b"%PDF-1.4 \xe7\xad\x94\xe5\xa4\x8d\xe4\xb9\xa6 zhangsan"
    [notice_id] = queue(app, attachments=[outbox.Attachment("答复书.pdf", "application/pdf",
                                                            letter)])
    with app.app_context():
        [stored] = get_session().scalars(select(MailAttachment)).all()
        assert b"zhangsan" not in stored.content_enc
        assert sender.send_due().sent == 1
        assert get_session().scalars(select(MailAttachment)).all() == []
    [message] = server.inbox.messages
    [part] = list(message.iter_attachments())
    assert part.get_filename() == "答复书.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == letter
    assert notice(app, notice_id).sent_at is not None


def test_starttls_with_login(app: Flask, serve: Callable[..., SmtpServer],
                             certificate: Certificate) -> None:
    server = serve("starttls", certificate=certificate, login=("gk", "S3cret-passphrase"))
    app.config.update(SMTP_USERNAME="gk", SMTP_PASSWORD="S3cret-passphrase",
                      SMTP_CA_FILE=str(certificate.cert_file))
    queue(app)
    with app.app_context():
        report = sender.send_due()
    assert report.sent == 1
    assert report.ok
    assert server.inbox.logins == ["gk"]
    assert len(server.inbox.messages) == 1


def test_implicit_tls(app: Flask, serve: Callable[..., SmtpServer],
                      certificate: Certificate) -> None:
    server = serve("ssl", certificate=certificate)
    app.config["SMTP_CA_FILE"] = str(certificate.cert_file)
    queue(app, 2)
    with app.app_context():
        assert sender.send_due().sent == 2
    assert len(server.inbox.messages) == 2


def test_an_unknown_certificate_is_refused(app: Flask, serve: Callable[..., SmtpServer],
                                           certificate: Certificate) -> None:
    server = serve("starttls", certificate=certificate)
    [notice_id] = queue(app)
    with app.app_context():
        report = sender.send_due()
    assert report.retrying == 1
    assert server.inbox.messages == []
    assert "CERTIFICATE_VERIFY_FAILED" in notice(app, notice_id).last_error


def test_a_wrong_password_waits_with_back_off(app: Flask, serve: Callable[..., SmtpServer],
                                              certificate: Certificate,
                                              runner: FlaskCliRunner) -> None:
    serve("starttls", certificate=certificate, login=("gk", "right"))
    app.config.update(SMTP_USERNAME="gk", SMTP_PASSWORD="wrong",
                      SMTP_CA_FILE=str(certificate.cert_file))
    first, second = queue(app, 2)
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code == 1
    assert "535" in result.output
    for notice_id in (first, second):
        waiting = notice(app, notice_id)
        # Not given up although 535 is a 5xx: the site's settings are wrong, not the notice.
        assert waiting.attempts == 1
        assert waiting.failed_at is None
        assert waiting.next_attempt_at >= before + dt.timedelta(seconds=59)


def test_server_down_retries_then_gives_up(app: Flask, runner: FlaskCliRunner) -> None:
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    [notice_id] = queue(app)
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) + dt.timedelta(minutes=1)
    with app.app_context():
        for attempt in range(1, 4):
            report = sender.send_due(now=moment)
            stored = notice(app, notice_id)
            assert stored.attempts == attempt
            assert "ConnectionRefusedError" in stored.last_error
            if attempt < 3:
                assert report.retrying == 1
                assert stored.next_attempt_at == moment + backoff(attempt, 60, 3600)
                # Not due again before the back-off has passed.
                assert sender.send_due(now=moment + dt.timedelta(seconds=1)).retrying == 0
                moment = stored.next_attempt_at
            else:
                assert report.failed == 1
                assert stored.failed_at == moment
        # Given up: not tried again.
        assert sender.send_due(now=moment + dt.timedelta(days=1)).retrying == 0


def test_a_refused_mailbox_is_given_up_at_once(app: Flask,
                                               serve: Callable[..., SmtpServer]) -> None:
    server = serve()
    server.inbox.refuse = "550 5.1.1 <zhangsan@example.com>: mailbox unavailable"
    refused, = queue(app)
    with app.app_context():
        report = sender.send_due()
    assert report.failed == 1
    stored = notice(app, refused)
    assert stored.failed_at is not None
    assert stored.attempts == 1
    assert "550" in stored.last_error
    assert ADDRESS not in stored.last_error  # the server's answer is stored without it


def test_a_second_worker_leaves_claimed_notices_alone(app: Flask,
                                                      serve: Callable[..., SmtpServer]) -> None:
    server = serve()
    [notice_id] = queue(app)
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with app.app_context():
        assert sender._claim(moment, 10) == [notice_id]
        # Another worker in the same minute finds nothing due.
        assert sender.send_due(now=moment).sent == 0
        assert server.inbox.messages == []
        # A worker that died while holding it: after the claim runs out it goes again.
        later = moment + dt.timedelta(seconds=sender.CLAIM_SECONDS + 1)
        assert sender.send_due(now=later).sent == 1


def test_dedupe_key_and_missing_address(app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        assert outbox.enqueue(session, kind="k", to="a@example.gov.cn", subject="s", body="b",
                              dedupe_key="once")
        session.flush()
        assert not outbox.enqueue(session, kind="k", to="a@example.gov.cn", subject="s",
                                  body="b", dedupe_key="once")
        assert not outbox.enqueue(session, kind="k", to=" ", subject="s", body="b")


def test_mask_address() -> None:
    assert mask_address("zhangsan@example.com") == "z***@example.com"
    assert mask_address("no-at-sign") == "***"


def test_mail_test_command(app: Flask, serve: Callable[..., SmtpServer],
                           runner: FlaskCliRunner) -> None:
    server = serve()
    result = runner.invoke(main, ["mail", "test", "it@example.gov.cn"])
    assert result.exit_code == 0, result.output
    assert "127.0.0.1" in result.output
    [message] = server.inbox.messages
    assert message["To"] == "it@example.gov.cn"
    app.config["SMTP_PORT"] = free_port()
    failed = runner.invoke(main, ["mail", "test", "it@example.gov.cn"])
    assert failed.exit_code == 1
    assert "测试邮件未能发出" in failed.output


# --- the staff page ---------------------------------------------------------------------


def test_staff_see_retry_and_discard_failed_notices(
        app: Flask, client: FlaskClient, make_user: Callable[..., User],
        login: Callable[[str], None], serve: Callable[..., SmtpServer]) -> None:
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    first, second = queue(app, 2)
    with app.app_context():
        assert sender.send_due().failed == 2  # nobody listens on the port
    make_user("admin1", Role.ADMIN)
    login("admin1")
    page = client.get("/staff/mail").get_data(as_text=True)
    assert "z***@example.com" in page
    assert ADDRESS not in page
    assert "发送失败，已停止重试" in page
    assert "YSQ-2025-000001" in page

    server = serve()
    assert client.post(f"/staff/mail/{first}/retry").status_code == 302
    assert client.post(f"/staff/mail/{second}/discard").status_code == 302
    with app.app_context():
        assert sender.send_due().sent == 1
        assert get_session().get(MailOutbox, second) is None
        details = [entry.detail for entry in get_session().scalars(
            select(AuditEntry).where(AuditEntry.object_type == "mail_notice"))]
    assert len(server.inbox.messages) == 1
    assert any(detail.startswith("重新发送通知") for detail in details)
    assert any(detail.startswith("放弃发送通知") for detail in details)
    assert client.post(f"/staff/mail/{first}/retry").status_code == 409  # sent already
    assert client.post("/staff/mail/99999/discard").status_code == 404


def test_only_administrators_see_notices(app: Flask, client: FlaskClient,
                                         make_user: Callable[..., User],
                                         login: Callable[[str], None]) -> None:
    make_user("handler1", Role.HANDLER)
    login("handler1")
    assert client.get("/staff/mail").status_code == 403
