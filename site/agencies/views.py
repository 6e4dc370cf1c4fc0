"""Administrators create agencies (departments, townships, 村/社区) and edit each agency's
政府信息公开指南 and contact details (条例 Art. 12)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.agencies import service
from opengov.site.agencies.forms import AgencyForm, NewAgencyForm
from opengov.site.agencies.rules import KIND_LABELS
from opengov.site.audit.service import request_origin
from opengov.site.exceptions import ServiceError
from opengov.site.rendering import render_markdown
from opengov.site.web.forms import options
from opengov.site.web.staff import ADMIN_ROLE, staff_route


@staff_route("/agencies", roles=[ADMIN_ROLE])
def agencies() -> str:
    return render_template("staff/agencies.html", agencies=service.all_agencies(),
                           kinds=KIND_LABELS)


@staff_route("/agencies/new", roles=[ADMIN_ROLE], methods=["GET", "POST"])
def new_agency() -> ResponseReturnValue:
    form = NewAgencyForm()
    form.parent.choices = options([("", "（请选择）")] + [
        (str(agency.id), f"{agency.name}（{KIND_LABELS.get(agency.kind, agency.kind)}）")
        for agency in service.all_agencies() if agency.kind in {"government", "township"}])
    if form.validate_on_submit():
        data = service.NewAgency(
            code=form.code.data.strip(), name=form.name.data, org_code=form.org_code.data.strip(),
            kind=form.kind.data, parent_id=form.parent_id(), short_name=form.short_name.data or "",
            sort_order=form.sort_order.data or 0)
        try:
            agency = service.create_agency(data, actor=current_user.user, origin=request_origin())
        except ServiceError as refusal:
            # Taken codes belong beside the code; a wrong parent beside the parent.
            field = form.code if refusal.status == 409 else form.parent
            field.errors.append(refusal.message)
        else:
            flash(f"已新建“{agency.name}”，请填写其政府信息公开指南和联系方式。", "info")
            return redirect(url_for("staff.edit_agency", agency_id=agency.id))
    return render_template("staff/agency_new.html", form=form), 422 if form.errors else 200


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
