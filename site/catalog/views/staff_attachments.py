"""Uploading and removing a draft's attachments."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.models import Attachment
from opengov.site.catalog.rules.workflow import EDITABLE
from opengov.site.catalog.service import attachments
from opengov.site.catalog.views.editor import _document
from opengov.site.db import get_session
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import staff_route


class UploadForm(ChineseForm):
    file = FileField("选择文件", validators=[FileRequired("请选择要上传的文件")])


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


@staff_route("/documents/<int:document_id>/attachments", roles=[Role.EDITOR],
             methods=["GET", "POST"], endpoint="attachments")
def attachments_page(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    editable = document.status in EDITABLE
    form = UploadForm()
    if form.validate_on_submit():
        if not editable:
            flash("只有草稿可以增删附件。", "error")
            return redirect(url_for("staff.attachments", document_id=document.id))
        upload = form.file.data
        session = get_session()
        try:
            attachment = attachments.save(
                session, document, upload.read(), upload.filename or "",
                upload_dir=_upload_dir(),
                max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                actor=current_user.user, origin=request_origin())
        except attachments.UploadError as exc:
            session.rollback()
            form.file.errors.append(str(exc))
        else:
            session.commit()
            flash(f"已上传“{attachment.original_name}”。", "info")
            return redirect(url_for("staff.attachments", document_id=document.id))
    references = {
        item.id: attachments.markdown_reference(
            item, url_for("public.attachment_file", attachment_id=item.id))
        for item in document.attachments}
    status = 400 if form.errors else 200
    return render_template("staff/attachments.html", document=document, form=form,
                           references=references, editable=editable,
                           max_mb=current_app.config["MAX_UPLOAD_MB"]), status


@staff_route("/attachments/<int:attachment_id>/delete", roles=[Role.EDITOR], methods=["POST"])
def delete_attachment(attachment_id: int) -> ResponseReturnValue:
    session = get_session()
    attachment = session.get(Attachment, attachment_id) or abort(404)
    document = _document(attachment.document_id)
    if document.status not in EDITABLE:
        flash("只有草稿可以增删附件。", "error")
    else:
        attachments.remove(session, attachment, upload_dir=_upload_dir(),
                           actor=current_user.user, origin=request_origin())
        session.commit()
        flash("已删除附件。", "info")
    return redirect(url_for("staff.attachments", document_id=document.id))
