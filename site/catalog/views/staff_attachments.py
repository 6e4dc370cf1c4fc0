"""Uploading and removing a draft's attachments."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.service import attachments
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import staff_route


class UploadForm(ChineseForm):
    file = FileField("选择文件", validators=[FileRequired("请选择要上传的文件")])


@staff_route("/documents/<int:document_id>/attachments", roles=[Role.EDITOR],
             methods=["GET", "POST"], endpoint="attachments")
def attachments_page(document_id: int) -> ResponseReturnValue:
    page = attachments.attachments_page(current_user.user, document_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            attachment = attachments.upload_attachment(
                current_user.user, document_id, upload.read(), upload.filename or "",
                origin=request_origin())
        except attachments.UploadError as exc:
            form.file.errors.append(exc.message)
        except attachments.NotADraftError as exc:
            flash(exc.message, "error")
            return redirect(url_for("staff.attachments", document_id=document_id))
        else:
            flash(f"已上传“{attachment.original_name}”。", "info")
            return redirect(url_for("staff.attachments", document_id=document_id))
    references = {
        item.id: attachments.markdown_reference(
            item, url_for("public.attachment_file", attachment_id=item.id))
        for item in page.attachments}
    status = 400 if form.errors else 200
    return render_template("staff/attachments.html", document=page.document, form=form,
                           references=references, editable=page.editable,
                           max_mb=page.max_mb), status


@staff_route("/attachments/<int:attachment_id>/delete", roles=[Role.EDITOR], methods=["POST"])
def delete_attachment(attachment_id: int) -> ResponseReturnValue:
    try:
        document_id = attachments.remove_attachment(current_user.user, attachment_id,
                                                    origin=request_origin())
    except attachments.NotADraftError as exc:  # the document is no longer a draft
        flash(exc.message, "error")
        document_id = exc.document_id
    else:
        flash("已删除附件。", "info")
    return redirect(url_for("staff.attachments", document_id=document_id))
