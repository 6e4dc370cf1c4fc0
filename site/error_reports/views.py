"""找错: the public form (linked from every page's footer) and the staff's task queue."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.error_reports import service
from opengov.site.error_reports.forms import ErrorReportForm, ResolveForm
from opengov.site.error_reports.rules import Problem, Status
from opengov.site.exceptions import ServiceError
from opengov.site.web.public import bp
from opengov.site.web.staff import staff_route

STAFF = [Role.EDITOR, Role.REVIEWER, Role.ADMIN]
REPORT_ID = "<int(max=2147483647):report_id>"


@bp.route("/report-error", methods=["GET", "POST"])
def report_error() -> ResponseReturnValue:
    """找错: the reader names the page and the problem; staff get it as a task."""
    form = ErrorReportForm()
    form.site_hosts = (request.host, current_app.config["SITE_DOMAIN"])
    if request.method == "GET":
        form.page.data = request.args.get("page", "")[:500]
        return render_template("public/report_error.html", form=form)
    if not form.validate_on_submit():
        return render_template("public/report_error.html", form=form), 422
    if form.website.data:
        # A robot: say nothing useful, keep what was typed.
        return render_template("public/report_error.html", form=form,
                               form_error="提交未成功，请稍后再试。"), 422
    try:
        filed = service.submit_report(form.local_page(), Problem(form.problem.data),
                                      form.description.data or "", form.contact.data or "",
                                      client=request.remote_addr or "unknown")
    except ServiceError as refusal:
        return render_template("public/report_error.html", form=form,
                               form_error=refusal.message), refusal.status
    return render_template("public/report_error_done.html", filed=filed,
                           page=form.local_page())


def _actor() -> Any:
    return current_user.user


@staff_route("/error-reports", roles=STAFF)
def error_reports() -> str:
    wanted = request.args.get("status", Status.OPEN.value)
    status = Status(wanted) if wanted in {s.value for s in Status} else None
    return render_template("staff/error_reports/queue.html",
                           queue=service.task_queue(_actor(), status), statuses=list(Status))


@staff_route(f"/error-reports/{REPORT_ID}", roles=STAFF, methods=["GET", "POST"])
def error_report(report_id: int) -> ResponseReturnValue:
    detail = service.task_detail(_actor(), report_id)
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            service.resolve(_actor(), report_id, Status(form.status.data),
                            form.resolution.data or "", origin=request_origin())
        except ServiceError as refusal:
            form.resolution.errors.append(refusal.message)
        else:
            flash(f"找错 #{report_id} 已处理。", "info")
            return redirect(url_for("staff.error_reports"))
    return render_template("staff/error_reports/detail.html", detail=detail, form=form), (
        422 if form.errors else 200)
