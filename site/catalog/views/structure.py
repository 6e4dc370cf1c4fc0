"""Administrators create, rename, order and retire columns, sub-columns and 专栏; the public
banner of a 专栏."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.forms import ColumnForm, RetireColumnForm
from opengov.site.catalog.rules.metadata import PROTECTED_COLUMNS
from opengov.site.catalog.service import structure
from opengov.site.exceptions import ServiceError
from opengov.site.web.forms import options
from opengov.site.web.public import bp
from opengov.site.web.staff import staff_route

COLUMN_ID = "<int(max=2147483647):category_id>"


def _parent_choices(page: structure.StructurePage, exclude: int | None = None) -> list[Any]:
    return options([("", "（无：一级栏目）")] + [
        (str(category.id), "　" * depth + category.name)
        for depth, category, _count in page.live if category.id != exclude])


def _banner(form: ColumnForm) -> structure.BannerUpload | None:
    upload = form.banner.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return structure.BannerUpload(upload.read(), upload.filename)


def _data(form: ColumnForm) -> structure.ColumnData:
    return structure.ColumnData(name=form.name.data or "", description=form.description.data or "",
                                kind=form.kind.data, sort_order=form.sort_order.data or 0,
                                banner_alt=form.banner_alt.data or "")


@staff_route("/columns/new", roles=[Role.ADMIN], methods=["GET", "POST"])
def new_column() -> ResponseReturnValue:
    page = structure.structure_page(current_user.user)
    form = ColumnForm()
    form.parent.choices = _parent_choices(page)
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
        form.kind.data = "feature" if request.args.get("kind") == "feature" else "column"
    elif form.validate_on_submit():
        try:
            category = structure.create_column(
                current_user.user, form.slug.data or "", _data(form),
                parent_id=form.parent_id(), banner=_banner(form), origin=request_origin())
        except ServiceError as refusal:
            # A taken slug is the slug's problem; anything else (the parent, a banner) the
            # name's, so that the message shows beside a field either way.
            field = form.slug if refusal.status == 409 else form.name
            field.errors.append(refusal.message)
        else:
            flash(f"已新建“{category.name}”。", "info")
            return redirect(url_for("staff.edit_column", category_id=category.id))
    return render_template("staff/column_form.html", form=form, category=None), (
        422 if form.errors else 200)


@staff_route(f"/columns/{COLUMN_ID}", roles=[Role.ADMIN], methods=["GET", "POST"])
def edit_column(category_id: int) -> ResponseReturnValue:
    category = structure.get_column(current_user.user, category_id)
    page = structure.structure_page(current_user.user)
    form = ColumnForm(obj=category)
    form.slug.data = category.slug  # never changes: the column's URL
    form.parent.choices = _parent_choices(page)
    form.parent.data = str(category.parent_id or "")
    retire = RetireColumnForm(prefix="retire")
    retire.successor.choices = options([("", "（不指定）")] + [
        (str(other.id), "　" * depth + other.name)
        for depth, other, _count in page.live if other.id != category.id])
    if request.method == "POST" and form.validate_on_submit():
        try:
            structure.update_column(current_user.user, category_id, _data(form),
                                    banner=_banner(form), remove_banner=form.remove_banner.data,
                                    origin=request_origin())
        except ServiceError as refusal:
            form.banner.errors.append(refusal.message)
        else:
            flash("已保存。", "info")
            return redirect(url_for("staff.edit_column", category_id=category_id))
    return render_template("staff/column_form.html", form=form, category=category,
                           retire=retire, protected=category.slug in PROTECTED_COLUMNS), (
        422 if form.errors else 200)


@staff_route(f"/columns/{COLUMN_ID}/retire", roles=[Role.ADMIN], methods=["POST"])
def retire_column(category_id: int) -> ResponseReturnValue:
    retire = RetireColumnForm(prefix="retire")
    page = structure.structure_page(current_user.user)
    retire.successor.choices = options([("", "")] + [
        (str(other.id), other.name) for _depth, other, _count in page.live])
    if not retire.validate_on_submit():
        flash("；".join(error for errors in retire.errors.values() for error in errors), "error")
        return redirect(url_for("staff.edit_column", category_id=category_id))
    try:
        category = structure.retire_column(current_user.user, category_id,
                                           successor_id=retire.successor_id(),
                                           origin=request_origin())
    except ServiceError as refusal:
        if refusal.status == 404:
            raise
        flash(refusal.message, "error")
        return redirect(url_for("staff.edit_column", category_id=category_id))
    flash(f"已撤销“{category.name}”。", "info")
    return redirect(url_for("staff.categories"))


@staff_route(f"/columns/{COLUMN_ID}/restore", roles=[Role.ADMIN], methods=["POST"])
def restore_column(category_id: int) -> ResponseReturnValue:
    try:
        category = structure.restore_column(current_user.user, category_id,
                                            origin=request_origin())
    except ServiceError as refusal:
        if refusal.status == 404:
            raise
        flash(refusal.message, "error")
    else:
        flash(f"已恢复“{category.name}”。", "info")
    return redirect(url_for("staff.categories"))


@bp.get("/columns/<slug>/banner")
def column_banner(slug: str) -> ResponseReturnValue:
    """The banner image of a 专栏."""
    banner = structure.banner_file(slug)
    response = send_file(banner.path, mimetype=banner.content_type, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
