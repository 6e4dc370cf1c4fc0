"""The annual report (条例 Arts. 49–50) and the 行政复议/行政诉讼 register behind Table 四."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.reports import service as reports
from opengov.site.reports.forms import (
    CorrectForm,
    PublishForm,
    ReportForm,
    ReturnForm,
    ReviewCaseForm,
)
from opengov.site.reports.rules import ReviewGroup, ReviewResult
from opengov.site.web.forms import options
from opengov.site.web.params import optional_int_arg
from opengov.site.web.staff import staff_route

ADMIN = [Role.ADMIN]
REGISTER = [Role.ADMIN, Role.HANDLER]
#: Drafters write their agency's report, reviewers read and publish it.
REPORTERS = [Role.ADMIN, Role.REPORT_DRAFTER, Role.REVIEWER]
DRAFTERS = [Role.ADMIN, Role.REPORT_DRAFTER]
REVIEWERS = [Role.ADMIN, Role.REVIEWER]


def _check_year(year: int) -> None:
    """A report year outside the calendar's range is no report (a 404, not a date error)."""
    if not 1949 <= year <= 2100:
        abort(404)


@staff_route("/reports", roles=REPORTERS)
def reports_index() -> str:
    overview = reports.reports_overview(optional_int_arg("year", low=1949, high=2100,
                                                         label="年度"),
                                        actor=current_user.user)
    return render_template("staff/reports/index.html", rows=overview.rows, year=overview.year,
                           today=overview.today)


@staff_route("/reports/<code>/<int:year>", roles=REPORTERS)
def report_edit(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    return _edit_page(code, year, ReportForm())


@staff_route("/reports/<code>/<int:year>", roles=DRAFTERS, methods=["POST"],
             endpoint="report_save")
def report_save(code: str, year: int) -> ResponseReturnValue:
    """Save the draft (its drafters only)."""
    _check_year(year)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.save_report(code, year, reports.ReportEntries(
                overview=form.overview.data or "",
                licensing_decisions=form.licensing_decisions.data,
                penalty_decisions=form.penalty_decisions.data,
                coercion_decisions=form.coercion_decisions.data,
                fees_collected=form.fees_collected.data, problems=form.problems.data or "",
                other_matters=form.other_matters.data or ""),
                actor=current_user.user, origin=request_origin())
        except ConflictError as refusal:
            flash(refusal.message, "error")
        else:
            flash("已保存。", "info")
        return redirect(url_for("staff.report_edit", code=code, year=year))
    return _edit_page(code, year, form)


def _edit_page(code: str, year: int, form: ReportForm) -> ResponseReturnValue:
    data = reports.report_for_editing(code, year, actor=current_user.user)
    if not form.is_submitted():
        form.process(obj=data.report)
    status = 422 if form.errors else 200
    return render_template("staff/reports/edit.html", form=form, data=data,
                           body=reports.render_body(data), publish_form=PublishForm(),
                           return_form=ReturnForm(), correct_form=CorrectForm(),
                           status_labels=reports.STATUS_LABELS,
                           can_draft=current_user.user.has_role(Role.REPORT_DRAFTER),
                           can_review=current_user.user.has_role(Role.REVIEWER)), status


def _step(code: str, year: int, done: str, action: Callable[[], object]) -> ResponseReturnValue:
    """Run one step of the report's review; its refusals go back to the page as messages."""
    try:
        action()
    except reports.ReportCheckError as exc:
        for problem in exc.problems:
            flash(problem, "error")
    except (ConflictError, InvalidInputError) as refusal:
        flash(refusal.message, "error")
    else:
        flash(done, "info")
    return redirect(url_for("staff.report_edit", code=code, year=year))


@staff_route("/reports/<code>/<int:year>/submit", roles=DRAFTERS, methods=["POST"])
def report_submit(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    if not ReturnForm().validate_on_submit():
        abort(400)
    return _step(code, year, "已提交审核。", lambda: reports.submit_report(
        code, year, actor=current_user.user, origin=request_origin()))


@staff_route("/reports/<code>/<int:year>/return", roles=REVIEWERS, methods=["POST"])
def report_return(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    form = ReturnForm()
    form.validate_on_submit()
    return _step(code, year, "已退回编写人员。", lambda: reports.return_report(
        code, year, form.note.data or "", actor=current_user.user, origin=request_origin()))


@staff_route("/reports/<code>/<int:year>/correct", roles=DRAFTERS, methods=["POST"])
def report_correct(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    form = CorrectForm()
    form.validate_on_submit()
    return _step(code, year, "已建立更正版，原版本保留。", lambda: reports.correct_report(
        code, year, form.note.data or "", actor=current_user.user, origin=request_origin()))


@staff_route("/reports/<code>/<int:year>/publish", roles=REVIEWERS, methods=["POST"])
def report_publish(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    form = PublishForm()
    form.validate_on_submit()
    try:
        document = reports.publish_report(code, year, actor=current_user.user,
                                          origin=request_origin(),
                                          confirmed=bool(form.confirm.data))
    except reports.ReportCheckError as exc:
        for problem in exc.problems:
            flash(problem, "error")
        return redirect(url_for("staff.report_edit", code=code, year=year))
    except InvalidInputError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("staff.report_edit", code=code, year=year))
    flash(f"已发布：{document.title}", "info")
    return redirect(url_for("public.document", document_id=document.id))


def _download(code: str, year: int, fmt: str) -> ResponseReturnValue:
    file = reports.report_file(code, year, fmt, actor=current_user.user)
    return file.content, 200, {
        "Content-Type": file.content_type,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.filename)}"}


@staff_route("/reports/<code>/<int:year>.xlsx", roles=REPORTERS)
def report_xlsx(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    return _download(code, year, "xlsx")


@staff_route("/reports/<code>/<int:year>.pdf", roles=REPORTERS)
def report_pdf(code: str, year: int) -> ResponseReturnValue:
    _check_year(year)
    return _download(code, year, "pdf")


@staff_route("/review-cases", roles=REGISTER, methods=["GET", "POST"])
def review_cases() -> ResponseReturnValue:
    register = reports.review_register(actor=current_user.user)
    form = ReviewCaseForm()
    form.agency.choices = options((str(a.id), a.name) for a in register.agencies)
    if request.method == "GET":
        form.year.data = clock.today().year  # a case is usually counted in the year it is filed
    if form.validate_on_submit():
        try:
            reports.register_review_case(
                actor=current_user.user, origin=request_origin(), agency_id=int(form.agency.data),
                year=form.year.data, group=ReviewGroup(form.group.data),
                result=ReviewResult(form.result.data), case_number=form.case_number.data or "",
                request_number=form.request_number.data or "", filed_on=form.filed_on.data,
                note=form.note.data or "")
        except reports.UnknownRequestError as exc:
            form.request_number.errors = [exc.message]
        else:
            flash("已登记。", "info")
            return redirect(url_for("staff.review_cases"))
    status = 422 if form.errors else 200
    return render_template("staff/reports/review_cases.html", form=form, cases=register.cases,
                           results=list(ReviewResult)), status


@staff_route("/review-cases/<int:case_id>/result", roles=REGISTER, methods=["POST"])
def review_case_result(case_id: int) -> ResponseReturnValue:
    """Record the outcome of a case that was 尚未审结."""
    try:
        result = ReviewResult(request.form.get("result", ""))
    except ValueError:
        flash("请选择结果。", "error")
        return redirect(url_for("staff.review_cases"))
    reports.record_review_result(case_id, result, actor=current_user.user,
                                 origin=request_origin())
    flash("已更新。", "info")
    return redirect(url_for("staff.review_cases"))
