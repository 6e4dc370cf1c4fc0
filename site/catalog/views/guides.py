"""Administrators edit the column descriptions. (The agencies' 指南 and contact details are
edited in :mod:`opengov.site.agencies.views`.)"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.models import Category
from opengov.site.catalog.service import guides as site_content
from opengov.site.db import get_session
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import staff_route


class CategoryForm(ChineseForm):
    description = TextAreaField("栏目说明", validators=[Optional(), Length(max=2000)])


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
