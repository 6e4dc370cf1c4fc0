"""The staff calendar page (administrators enter the State Council's yearly 放假安排) and the
calendar warnings of the staff pages."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.web.params import optional_int_arg
from opengov.site.web.staff import ADMIN_ROLE, bp, staff_route
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.forms import CalendarForm, ConfirmYearForm


@staff_route("/calendar", roles=[ADMIN_ROLE], methods=["GET", "POST"])
def calendar_overrides() -> ResponseReturnValue:
    form = CalendarForm(prefix="day")
    confirm = ConfirmYearForm(prefix="year")
    if request.form.get("action") == "set" and form.validate_on_submit():
        work_calendar.set_override(form.day.data, form.workday, form.note.data or "",
                                   actor=current_user.user)
        flash(f"已保存 {form.day.data.isoformat()}，未办结申请的期限已重新计算。", "info")
        return redirect(url_for("staff.calendar_overrides", year=form.day.data.year))
    if request.form.get("action") == "confirm" and confirm.validate_on_submit():
        work_calendar.confirm_year(confirm.year.data, confirm.note.data)
        flash(f"{confirm.year.data}年工作日历已确认。", "info")
        return redirect(url_for("staff.calendar_overrides", year=confirm.year.data))
    page = work_calendar.calendar_page(optional_int_arg("year", low=1949, high=2100,
                                                        label="年份"))
    if request.method == "GET":
        confirm.year.data = page.year
    return render_template("staff/workdays/calendar.html", form=form, confirm=confirm,
                           page=page)


@bp.context_processor
def calendar_context() -> dict[str, Any]:
    """``calendar_warnings()`` for staff pages (the dashboard shows them): called only by the
    templates that use it, so other pages do not pay for the look-up."""

    def calendar_warnings() -> tuple[str, ...]:
        return work_calendar.freshness().messages

    return {"calendar_warnings": calendar_warnings}
