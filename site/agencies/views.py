"""Administrators edit each agency's 政府信息公开指南 and contact details (条例 Art. 12)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.agencies import service
from opengov.site.agencies.forms import AgencyForm
from opengov.site.audit.service import request_origin
from opengov.site.rendering import render_markdown
from opengov.site.web.staff import ADMIN_ROLE, staff_route


@staff_route("/agencies", roles=[ADMIN_ROLE])
def agencies() -> str:
    return render_template("staff/agencies.html", agencies=service.all_agencies())


@staff_route("/agencies/<int:agency_id>", roles=[ADMIN_ROLE], methods=["GET", "POST"])
def edit_agency(agency_id: int) -> ResponseReturnValue:
    agency = service.get_agency(agency_id)
    form = AgencyForm(obj=agency)
    if request.form.get("intent") != "preview" and form.validate_on_submit():
        changed = service.update_agency(agency_id, form.values(service.AGENCY_FIELDS),
                                        actor=current_user.user, origin=request_origin())
        flash("已保存。" if changed else "没有修改。", "info")
        return redirect(url_for("staff.edit_agency", agency_id=agency_id))
    return render_template("staff/agency_form.html", form=form, agency=agency,
                           preview_html=render_markdown(form.guide_markdown.data or ""))
