"""Administrators edit the 政府信息公开指南, each agency's contact details (条例 Art. 12) and
the column descriptions."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category
from opengov.site.catalog.service import guides as site_content
from opengov.site.db import get_session
from opengov.site.rendering import render_markdown
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import staff_route


class AgencyForm(ChineseForm):
    name = StringField("机关名称", validators=[DataRequired("请输入机关名称"), Length(max=100)])
    office_name = StringField("政府信息公开工作机构", validators=[Optional(), Length(max=100)])
    address = StringField("办公地址", validators=[Optional(), Length(max=200)])
    postcode = StringField("邮政编码", validators=[
        Optional(), Regexp(r"^\d{6}$", message="邮政编码应为 6 位数字")])
    office_hours = StringField("办公时间", validators=[Optional(), Length(max=200)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=50)])
    fax = StringField("传真号码", validators=[Optional(), Length(max=50)])
    email = StringField("电子邮箱", validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="邮箱格式不正确")])
    website = StringField("互联网联系方式（网址）", validators=[
        Optional(), Regexp(r"^https?://\S+$", message="网址应以 http:// 或 https:// 开头")])
    guide_markdown = TextAreaField("政府信息公开指南（Markdown）", validators=[Optional()])


class CategoryForm(ChineseForm):
    description = TextAreaField("栏目说明", validators=[Optional(), Length(max=2000)])


@staff_route("/agencies", roles=[Role.ADMIN])
def agencies() -> str:
    items = get_session().scalars(select(Agency).order_by(Agency.sort_order, Agency.id)).all()
    return render_template("staff/agencies.html", agencies=items)


@staff_route("/agencies/<int:agency_id>", roles=[Role.ADMIN], methods=["GET", "POST"])
def edit_agency(agency_id: int) -> ResponseReturnValue:
    session = get_session()
    agency = session.get(Agency, agency_id) or abort(404)
    form = AgencyForm(obj=agency)
    if request.form.get("intent") != "preview" and form.validate_on_submit():
        values = {name: (getattr(form, name).data or "").strip()
                  for name in site_content.AGENCY_FIELDS}
        changed = site_content.update_agency(session, agency, values, actor=current_user.user,
                                             origin=request_origin())
        session.commit()
        flash("已保存。" if changed else "没有修改。", "info")
        return redirect(url_for("staff.edit_agency", agency_id=agency.id))
    return render_template("staff/agency_form.html", form=form, agency=agency,
                           preview_html=render_markdown(form.guide_markdown.data or ""))


@staff_route("/categories", roles=[Role.ADMIN], methods=["GET", "POST"])
def categories() -> ResponseReturnValue:
    session = get_session()
    items = session.scalars(select(Category).order_by(Category.parent_id.is_not(None),
                                                       Category.sort_order)).all()
    if request.method == "POST":
        category = session.get(Category, request.form.get("category_id", type=int) or 0) \
            or abort(404)
        form = CategoryForm()
        if form.validate_on_submit():
            site_content.update_category(session, category, form.description.data or "",
                                         actor=current_user.user, origin=request_origin())
            session.commit()
            flash(f"已保存“{category.name}”的栏目说明。", "info")
            return redirect(url_for("staff.categories"))
        flash("；".join(error for errors in form.errors.values() for error in errors), "error")
    return render_template("staff/categories.html", categories=_tree(items))


def _tree(items: Sequence[Category]) -> list[tuple[int, Category]]:
    """(depth, category) in display order."""
    roots = [c for c in items if c.parent_id is None]
    result: list[tuple[int, Category]] = []

    def visit(category: Category, depth: int) -> None:
        result.append((depth, category))
        for child in category.children:
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    return result
