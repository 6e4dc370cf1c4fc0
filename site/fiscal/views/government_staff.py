"""Staff: upload the government's 预算, 预算调整, 预算执行情况 or 决算, preview, confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import request_origin
from opengov.site.exceptions import InvalidInputError
from opengov.site.fiscal.forms import GovernmentReportForm
from opengov.site.fiscal.rules.government import ReportStage
from opengov.site.fiscal.service import government_uploads as uploads
from opengov.site.web.staff import staff_route


@staff_route("/fiscal/government/import", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_government_upload() -> ResponseReturnValue:
    form = GovernmentReportForm()
    if form.validate_on_submit():
        upload, original = form.file.data, form.report_file.data
        try:
            token = uploads.start_report_upload(
                actor=current_user.user, year=form.year.data, stage=ReportStage(form.stage.data),
                sequence=form.sequence.data or 1, approved_by=form.approved_by.data,
                approved_on=form.approved_on.data, published_on=form.published_on.data,
                narrative=form.narrative.data or "", table_slug=form.table_slug.data or None,
                filename=upload.filename or "", content=upload.read(),
                document_name=original.filename if original else None,
                document=original.read() if original else None)
        except InvalidInputError as exc:
            # The original report was refused by its content (a renamed file, say).
            form.report_file.errors = [*form.report_file.errors, exc.message]
        else:
            return redirect(url_for("staff.fiscal_government_preview", token=token))
    if not form.is_submitted():
        form.year.data = clock.today().year
        form.published_on.data = clock.today()
    return render_template("staff/fiscal/government_upload.html", form=form,
                           allowed=uploads.may_publish(current_user.user))


@staff_route("/fiscal/government/import/<token>", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_government_preview(token: str) -> ResponseReturnValue:
    if FlaskForm().validate_on_submit():
        preview = uploads.confirm_report(token, actor=current_user.user, origin=request_origin())
    else:
        preview = uploads.report_preview(token, actor=current_user.user)
    if preview.saved is not None:
        flash(f"已保存并发布：{preview.title}。", "info")
        return redirect(url_for("public.fiscal_government_report", year=preview.saved.year,
                                report=preview.saved.key.slug))
    return render_template("staff/fiscal/government_preview.html", preview=preview,
                           form=FlaskForm(), token=token)
