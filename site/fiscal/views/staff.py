"""Staff: upload a department's 预决算 tables from a spreadsheet, preview, confirm."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.fiscal.models import FiscalDisclosure
from opengov.site.fiscal.rules.disclosures import (
    SPECS_BY_NUMBER,
    DisclosureData,
    Stage,
    check_narrative,
    days_after_approval,
    is_late,
    year_on_year,
)
from opengov.site.fiscal.service.disclosures import preview_tables, save_uploaded
from opengov.site.fiscal.service.importing import ImportResult, read_disclosure
from opengov.site.fiscal.service.uploads import (
    PendingUpload,
    discard_pending,
    load_pending,
    save_pending,
)
from opengov.site.web.staff import staff_route


class FiscalUploadForm(FlaskForm):  # type: ignore[misc]
    agency_id = SelectField("部门", coerce=int, validators=[DataRequired("请选择部门")])
    year = IntegerField("预决算年度", validators=[
        DataRequired("请填写年度"), NumberRange(2000, 2100, "年度应在2000至2100之间")])
    stage = SelectField("类型", choices=[SelectChoice(stage.value, f"部门{stage.value}")
                                       for stage in Stage])
    approved_on = DateField("批复日期", validators=[DataRequired("请填写财政部门的批复日期")],
                            description="预算法第十四条：批复后二十日内公开。")
    published_on = DateField("发布日期", validators=[DataRequired("请填写发布日期")])
    table_number = SelectField(
        "CSV 文件对应的报表", coerce=int, validators=[Optional()],
        choices=[SelectChoice("0", "按文件中的表名识别")] + [
            SelectChoice(str(spec.number), f"表{spec.number} {spec.budget_title}")
            for spec in SPECS_BY_NUMBER.values()])
    narrative = TextAreaField("情况说明（Markdown）", description=(
        "部门职责、收支总体情况、“三公”经费增减原因、机关运行经费等。"))
    file = FileField("报表文件（.xlsx 或 .csv）", validators=[
        FileRequired("请选择文件"), FileAllowed(["xlsx", "csv"], "只接受 .xlsx 或 .csv 文件")])

    def validate_published_on(self, field: DateField) -> None:
        if field.data and self.approved_on.data and field.data < self.approved_on.data:
            raise ValidationError("发布日期不能早于批复日期")


def _user() -> User:
    user: User = current_user.user
    return user


def _allowed_agencies() -> list[Agency]:
    """An editor of a department uploads for it only; site-wide staff for any agency."""
    user = _user()
    query = select(Agency).order_by(Agency.sort_order, Agency.code)
    if user.agency_id is not None and not user.has_role(Role.ADMIN):
        query = query.where(Agency.id == user.agency_id)
    return list(get_session().scalars(query))


def _client_name(filename: str | None) -> str:
    """The file's own name: some browsers send the full client path."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or "upload"


def _pending_folder() -> Path:
    return Path(current_app.instance_path) / "fiscal-imports"


def _parse(pending: PendingUpload, content: bytes) -> ImportResult:
    base = DisclosureData(year=pending.year, stage=Stage(pending.stage),
                          approved_on=dt.date.fromisoformat(pending.approved_on),
                          published_on=dt.date.fromisoformat(pending.published_on),
                          narrative=pending.narrative)
    return read_disclosure(pending.filename, content, base, pending.table_number)


@staff_route("/fiscal/", roles=[Role.EDITOR])
def fiscal_list() -> str:
    agencies = {agency.id for agency in _allowed_agencies()}
    disclosures = [d for d in get_session().scalars(
        select(FiscalDisclosure).order_by(FiscalDisclosure.year.desc(),
                                          FiscalDisclosure.agency_id))
                   if d.agency_id in agencies]
    return render_template("staff/fiscal/list.html", disclosures=disclosures)


@staff_route("/fiscal/import", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_upload() -> ResponseReturnValue:
    form = FiscalUploadForm()
    form.agency_id.choices = [SelectChoice(str(agency.id), agency.name)
                              for agency in _allowed_agencies()]
    if form.validate_on_submit():
        upload = form.file.data
        pending = PendingUpload(
            user_id=_user().id, agency_id=form.agency_id.data, year=form.year.data,
            stage=form.stage.data, approved_on=form.approved_on.data.isoformat(),
            published_on=form.published_on.data.isoformat(), narrative=form.narrative.data or "",
            filename=_client_name(upload.filename), table_number=form.table_number.data or None)
        token = save_pending(_pending_folder(), pending, upload.read())
        return redirect(url_for("staff.fiscal_preview", token=token))
    if not form.is_submitted():
        form.year.data = dt.date.today().year
        form.published_on.data = dt.date.today()
    return render_template("staff/fiscal/upload.html", form=form)


@staff_route("/fiscal/import/<token>", roles=[Role.EDITOR], methods=["GET", "POST"])
def fiscal_preview(token: str) -> ResponseReturnValue:
    loaded = load_pending(_pending_folder(), token, _user().id)
    if loaded is None:
        abort(404)
    pending, content = loaded
    agency = get_session().get(Agency, pending.agency_id)
    if agency is None or agency not in _allowed_agencies():
        abort(403)
    result = _parse(pending, content)
    if FlaskForm().validate_on_submit() and not result.problems:
        session = get_session()
        disclosure = save_uploaded(session, agency, result.data,
                                   upload_dir=Path(current_app.config["UPLOAD_DIR"]),
                                   filename=pending.filename, content=content)
        session.commit()
        discard_pending(_pending_folder(), token)
        flash(f"已保存并发布：{disclosure.title}。", "info")
        return redirect(url_for("public.fiscal_disclosure", agency=agency.code,
                                year=disclosure.year, stage=disclosure.stage.slug))
    tables = preview_tables(agency, result.data) if not result.problems else []
    return render_template("staff/fiscal/preview.html", pending=pending, agency=agency,
                           result=result, tables=tables, form=FlaskForm(), token=token,
                           warnings=_warnings(result.data))


def _warnings(data: DisclosureData) -> list[str]:
    """What does not stop saving but deserves a second look: a late publication date
    (预算法 Art. 14) and explanations whose figures disagree with the table."""
    warnings = []
    if data.approved_on and data.published_on and is_late(data.approved_on, data.published_on):
        days = days_after_approval(data.approved_on, data.published_on)
        warnings.append(f"发布日期在批复后第{days}天，超过《预算法》第十四条规定的二十日，"
                        "将在公开情况中标为“逾期公开”。")
    for item, entry in data.sangong.items():
        change = year_on_year(entry.amount, entry.prior)
        if change is not None and entry.explanation:
            warnings.extend(f"{item}：{message}"
                            for message in check_narrative(entry.explanation, change))
    return warnings


