"""The annual report (条例 Arts. 49–50) and the 行政复议/行政诉讼 register behind Table 四."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.agencies.models import Agency
from opengov.site.audit.service import AuditAction, record
from opengov.site.db import get_session
from opengov.site.reports import service as reports
from opengov.site.reports.models import ReviewCase
from opengov.site.reports.rules import ReviewGroup, ReviewResult
from opengov.site.requests.models import InfoRequest
from opengov.site.web.forms import ChineseForm, options
from opengov.site.web.staff import staff_route

ADMIN = [Role.ADMIN]
REGISTER = [Role.ADMIN, Role.HANDLER]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportForm(ChineseForm):
    overview = TextAreaField("一、总体情况（主动公开、依申请公开、政府信息管理、平台建设、监督保障）",
                             validators=[Optional(), Length(max=20000)])
    licensing_decisions = IntegerField("行政许可：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    penalty_decisions = IntegerField("行政处罚：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    coercion_decisions = IntegerField("行政强制：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    fees_collected = DecimalField("行政事业性收费：本年收费金额（万元）", places=2, default=0,
                                  validators=[InputRequired("请填写金额"),
                                              NumberRange(min=0, message="不能为负数")])
    problems = TextAreaField("五、存在的主要问题及改进情况",
                             validators=[Optional(), Length(max=20000)])
    other_matters = TextAreaField("六、其他需要报告的事项（信息处理费由系统统计后附上）",
                                  validators=[Optional(), Length(max=20000)])


class ReviewCaseForm(ChineseForm):
    agency = SelectField("被申请（被诉）机关", validators=[DataRequired("请选择机关")])
    year = IntegerField("计入年度", validators=[InputRequired("请填写年度"),
                                            NumberRange(2008, 2100, "年度不正确")])
    group = SelectField("类型", choices=options((g.value, g.value) for g in ReviewGroup))
    result = SelectField("结果", choices=options((r.value, r.value) for r in ReviewResult))
    case_number = StringField("案号", validators=[Optional(), Length(max=100)])
    request_number = StringField("关联的申请编号（如 YSQ-2026-000123）",
                                 validators=[Optional(), Length(max=40)])
    filed_on = DateField("申请复议（起诉）日期", validators=[Optional()])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])


def _agencies() -> list[Agency]:
    """The agencies whose reports and register the signed-in person keeps."""
    user = current_user.user
    query = select(Agency).order_by(Agency.sort_order, Agency.id)
    if user.agency_id is not None:
        query = query.where(Agency.id == user.agency_id)
    return list(get_session().scalars(query))


def _agency(code: str) -> Agency:
    found = next((agency for agency in _agencies() if agency.code == code), None)
    if found is None:
        abort(404)
    return found


def _last_year() -> int:
    return dt.date.today().year - 1


@staff_route("/reports", roles=ADMIN)
def reports_index() -> str:
    session = get_session()
    year = request.args.get("year", type=int) or _last_year()
    rows = []
    for agency in _agencies():
        found = reports.find_report(session, agency, year)
        rows.append((agency, found, reports.report_deadline(agency, year)))
    return render_template("staff/reports/index.html", rows=rows, year=year,
                           today=dt.date.today())


@staff_route("/reports/<code>/<int:year>", roles=ADMIN, methods=["GET", "POST"])
def report_edit(code: str, year: int) -> ResponseReturnValue:
    session = get_session()
    agency = _agency(code)
    data = reports.build_report(session, agency, year)
    form = ReportForm(obj=data.report)
    if data.report.published_on is None and form.validate_on_submit():
        report = reports.get_or_create_report(session, agency, year)
        form.populate_obj(report)
        record(session, AuditAction.EDIT, actor=current_user.user, origin=request_origin(),
               object_type="annual_report", object_id=report.id,
               detail=f"{reports.title(agency, year)}")
        session.commit()
        flash("已保存。", "info")
        return redirect(url_for("staff.report_edit", code=code, year=year))
    status = 422 if form.errors else 200
    return render_template("staff/reports/edit.html", form=form, data=data,
                           body=reports.render_body(data)), status


@staff_route("/reports/<code>/<int:year>/publish", roles=ADMIN, methods=["POST"])
def report_publish(code: str, year: int) -> ResponseReturnValue:
    session = get_session()
    agency = _agency(code)
    try:
        document = reports.publish(session, agency, year, on=dt.date.today(),
                                   actor=current_user.user, origin=request_origin())
    except reports.ReportCheckError as exc:
        session.rollback()
        for problem in exc.problems:
            flash(problem, "error")
        return redirect(url_for("staff.report_edit", code=code, year=year))
    record(session, AuditAction.TRANSITION, actor=current_user.user, origin=request_origin(),
           object_type="annual_report", object_id=document.id,
           detail=f"发布{document.title}")
    session.commit()
    flash(f"已发布：{document.title}", "info")
    return redirect(url_for("public.document", document_id=document.id))


def _download(code: str, year: int, suffix: str) -> ResponseReturnValue:
    agency = _agency(code)
    data = reports.build_report(get_session(), agency, year)
    content = reports.render_xlsx(data) if suffix == "xlsx" else reports.render_pdf(data)
    name = quote(f"{reports.title(agency, year)}.{suffix}")
    return content, 200, {"Content-Type": XLSX if suffix == "xlsx" else "application/pdf",
                          "Content-Disposition": f"attachment; filename*=UTF-8''{name}"}


@staff_route("/reports/<code>/<int:year>.xlsx", roles=ADMIN)
def report_xlsx(code: str, year: int) -> ResponseReturnValue:
    return _download(code, year, "xlsx")


@staff_route("/reports/<code>/<int:year>.pdf", roles=ADMIN)
def report_pdf(code: str, year: int) -> ResponseReturnValue:
    return _download(code, year, "pdf")


@staff_route("/review-cases", roles=REGISTER, methods=["GET", "POST"])
def review_cases() -> ResponseReturnValue:
    session = get_session()
    agencies = _agencies()
    form = ReviewCaseForm()
    form.agency.choices = options((str(a.id), a.name) for a in agencies)
    if request.method == "GET":
        form.year.data = _last_year() + 1
    if form.validate_on_submit():
        agency = next(a for a in agencies if str(a.id) == form.agency.data)
        number = (form.request_number.data or "").strip()
        known = number == "" or session.scalars(select(InfoRequest.id).where(
            InfoRequest.number == number, InfoRequest.agency_id == agency.id)).first()
        if not known:
            form.request_number.errors = [f"{agency.name}没有编号为 {number} 的申请"]
        else:
            case = ReviewCase(agency=agency, year=form.year.data,
                              group=ReviewGroup(form.group.data),
                              result=ReviewResult(form.result.data),
                              case_number=form.case_number.data or "", request_number=number,
                              filed_on=form.filed_on.data, note=form.note.data or "")
            session.add(case)
            session.flush()
            record(session, AuditAction.CREATE, actor=current_user.user,
                   origin=request_origin(), object_type="review_case", object_id=case.id,
                   detail=f"{case.group}（{agency.name}，{case.year}年）")
            session.commit()
            flash("已登记。", "info")
            return redirect(url_for("staff.review_cases"))
    cases = session.scalars(
        select(ReviewCase).where(ReviewCase.agency_id.in_([a.id for a in agencies]))
        .order_by(ReviewCase.year.desc(), ReviewCase.id.desc())).all()
    status = 422 if form.errors else 200
    return render_template("staff/reports/review_cases.html", form=form, cases=cases,
                           results=list(ReviewResult)), status


@staff_route("/review-cases/<int:case_id>/result", roles=REGISTER, methods=["POST"])
def review_case_result(case_id: int) -> ResponseReturnValue:
    """Record the outcome of a case that was 尚未审结."""
    session = get_session()
    case = session.get(ReviewCase, case_id)
    if case is None or case.agency_id not in {a.id for a in _agencies()}:
        abort(404)
    try:
        case.result = ReviewResult(request.form.get("result", ""))
    except ValueError:
        flash("请选择结果。", "error")
        return redirect(url_for("staff.review_cases"))
    record(session, AuditAction.EDIT, actor=current_user.user, origin=request_origin(),
           object_type="review_case", object_id=case.id, detail=f"结果：{case.result}")
    session.commit()
    flash("已更新。", "info")
    return redirect(url_for("staff.review_cases"))
