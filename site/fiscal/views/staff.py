"""Staff: upload a department's 预决算 tables from a spreadsheet, preview, confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.fiscal.forms import FiscalUploadForm
from opengov.site.fiscal.rules.disclosures import Stage
from opengov.site.fiscal.service import government_uploads, uploads
from opengov.site.web.staff import staff_route


@staff_route("/fiscal/", roles=[Role.EDITOR])
def fiscal_list() -> str:
    return render_template("staff/fiscal/list.html",
                           disclosures=uploads.staff_disclosures(current_user.user),
                           government=government_uploads.staff_reports(current_user.user))


@staff_route("/fiscal/import", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_upload() -> ResponseReturnValue:
    form = FiscalUploadForm()
    form.agency_id.choices = [SelectChoice(str(agency.id), agency.name)
                              for agency in uploads.upload_agencies(current_user.user)]
    if form.validate_on_submit():
        upload = form.file.data
        token = uploads.start_upload(
            actor=current_user.user, agency_id=form.agency_id.data, year=form.year.data,
            stage=Stage(form.stage.data), approved_on=form.approved_on.data,
            published_on=form.published_on.data, narrative=form.narrative.data or "",
            table_number=form.table_number.data or None, filename=upload.filename or "",
            content=upload.read())
        return redirect(url_for("staff.fiscal_preview", token=token))
    if not form.is_submitted():
        form.year.data = clock.today().year
        form.published_on.data = clock.today()
    return render_template("staff/fiscal/upload.html", form=form)


@staff_route("/fiscal/import/<token>", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_preview(token: str) -> ResponseReturnValue:
    if FlaskForm().validate_on_submit():
        preview = uploads.confirm_upload(token, actor=current_user.user)
    else:
        preview = uploads.upload_preview(token, actor=current_user.user)
    if preview.saved is not None:
        flash(f"已保存并发布：{preview.saved.title}。", "info")
        return redirect(url_for("public.fiscal_disclosure", agency=preview.agency.code,
                                year=preview.saved.year, stage=preview.saved.stage.slug))
    return render_template("staff/fiscal/preview.html", pending=preview.pending,
                           agency=preview.agency, result=preview.result, tables=preview.tables,
                           form=FlaskForm(), token=token, warnings=preview.warnings)
