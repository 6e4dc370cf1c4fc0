"""Uploads: type by content, size limit, Chinese names, random storage, who may download."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.catalog.models import Attachment
from opengov.site.catalog.service.attachments import UploadError, check, clean_name
from opengov.site.db import get_session
from tests.staff.conftest import document_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (PDF, "关于2026年预算的说明.pdf", "application/pdf"),
    (PNG, "示意图.PNG", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "照片.jpeg", "image/jpeg"),
    (_docx(), "通知.docx", "application/vnd.openxmlformats-officedocument"
                         ".wordprocessingml.document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16, "旧表格.xls", "application/vnd.ms-excel"),
])
def test_accepted_kinds(data: bytes, name: str, content_type: str) -> None:
    kind, cleaned = check(data, name, 1024 * 1024)
    assert kind.content_type == content_type
    assert cleaned == name


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"#!/bin/sh\nrm -rf /\n", "预算.pdf", "不是可接受的类型"),
    (b"<html><script>alert(1)</script></html>", "图片.png", "不是可接受的类型"),
    (PDF, "预算.docx", "与扩展名"),
    (PNG, "示意图.pdf", "与扩展名"),
    (_plain_zip(), "通知.docx", "不是可接受的类型"),
    (PDF, "脚本.html", "只接受"),
    (PDF, "无扩展名", "只接受"),
    (b"", "空.pdf", "文件是空的"),
    (PDF + b"0" * 2048, "大.pdf", "超过"),
])
def test_refused_uploads(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        check(data, name, 1024)


def test_names_keep_chinese_and_lose_paths() -> None:
    assert clean_name("C:\\Users\\张三\\桌面\\关于印发《实施办法》的通知.pdf") \
        == "关于印发《实施办法》的通知.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name('a"b\x00<c>.pdf') == "abc.pdf"


@pytest.fixture
def draft(app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
          client_for: Callable[[str], FlaskClient]) -> tuple[FlaskClient, int]:
    make_user("writer", Role.EDITOR)
    editor = client_for("writer")
    response = editor.post("/staff/documents/new",
                           data=document_form(catalog_ids["policies"], catalog_ids["agency"]))
    return editor, int(response.headers["Location"].split("/")[-2])


def _upload(client: FlaskClient, document_id: int, data: bytes, name: str) -> tuple[int, str]:
    response = client.post(f"/staff/documents/{document_id}/attachments",
                           data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def test_upload_stores_under_a_random_name_and_serves_the_chinese_name(
        app: Flask, draft: tuple[FlaskClient, int], client: FlaskClient) -> None:
    editor, document_id = draft
    status, _ = _upload(editor, document_id, PDF, "关于2026年预算的说明.pdf")
    assert status == 302
    with app.app_context():
        attachment = get_session().scalars(select(Attachment)).one()
        stored = Path(app.config["UPLOAD_DIR"]) / attachment.stored_name
        assert stored.read_bytes() == PDF
        assert "预算" not in attachment.stored_name
        assert len(attachment.stored_name) >= 32
        assert attachment.original_name == "关于2026年预算的说明.pdf"
        audited = get_session().scalars(select(AuditEntry.action)).all()
    assert "upload" in audited
    page = editor.get(f"/staff/documents/{document_id}/attachments").get_data(as_text=True)
    assert f"[关于2026年预算的说明.pdf](/attachments/{attachment.id})" in page

    response = editor.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert "filename*=UTF-8''%E5%85%B3%E4%BA%8E2026" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A draft's attachment is not public.
    assert client.get(f"/attachments/{attachment.id}").status_code == 404


def test_images_can_be_embedded(app: Flask, draft: tuple[FlaskClient, int]) -> None:
    editor, document_id = draft
    assert _upload(editor, document_id, PNG, "示意图.png")[0] == 302
    page = editor.get(f"/staff/documents/{document_id}/attachments").get_data(as_text=True)
    with app.app_context():
        attachment_id = get_session().scalars(select(Attachment.id)).one()
    reference = f"![示意图.png](/attachments/{attachment_id})"
    assert reference in page
    preview = editor.post("/staff/preview", data={"body": reference}).get_data(as_text=True)
    assert f'<img alt="示意图.png" src="/attachments/{attachment_id}">' in preview


def test_disguised_and_oversized_uploads_are_refused(
        app: Flask, draft: tuple[FlaskClient, int]) -> None:
    editor, document_id = draft
    status, page = _upload(editor, document_id, b"MZ\x90\x00 executable", "年度报告.pdf")
    assert status == 400
    assert "不是可接受的类型" in page
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    status, page = _upload(editor, document_id, PDF + b"0" * (1024 * 1024 + 1), "大文件.pdf")
    assert status == 400
    assert "超过 1 MB" in page
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    status, page = _upload(editor, document_id, PDF + b"0" * (2 * 1024 * 1024), "更大.pdf")
    assert status == 413
    assert "上传的文件过大" in page
    with app.app_context():
        assert get_session().scalars(select(Attachment)).all() == []
    assert list(Path(app.config["UPLOAD_DIR"]).glob("*")) == []


def test_attachment_can_be_deleted_from_a_draft(app: Flask,
                                                draft: tuple[FlaskClient, int]) -> None:
    editor, document_id = draft
    _upload(editor, document_id, PDF, "说明.pdf")
    with app.app_context():
        attachment = get_session().scalars(select(Attachment)).one()
    assert editor.post(f"/staff/attachments/{attachment.id}/delete").status_code == 302
    assert not (Path(app.config["UPLOAD_DIR"]) / attachment.stored_name).exists()
