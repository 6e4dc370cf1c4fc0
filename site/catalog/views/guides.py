"""Administrators see the column structure and edit the column descriptions (栏目说明); the
structure itself is changed on the pages of :mod:`opengov.site.catalog.views.structure`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.rules.metadata import COLUMN_KINDS, PROTECTED_COLUMNS
from opengov.site.catalog.service import guides as column_descriptions
from opengov.site.catalog.service import structure
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import staff_route


class CategoryForm(ChineseForm):
    description = TextAreaField("栏目说明", validators=[Optional(), Length(max=2000)])


@staff_route("/categories", roles=[Role.ADMIN], methods=["GET", "POST"])
def categories() -> ResponseReturnValue:
    """The tree of columns, sub-columns and 专栏 (retired ones marked), with their counts."""
    if request.method == "POST":
        form = CategoryForm()
        if form.validate_on_submit():
            category = column_descriptions.describe_column(
                current_user.user, request.form.get("category_id", type=int) or 0,
                form.description.data or "", origin=request_origin())
            flash(f"已保存“{category.name}”的栏目说明。", "info")
            return redirect(url_for("staff.categories"))
        flash(form.error_text(), "error")
    return render_template("staff/categories.html",
                           page=structure.structure_page(current_user.user),
                           kinds=COLUMN_KINDS, protected=PROTECTED_COLUMNS)
