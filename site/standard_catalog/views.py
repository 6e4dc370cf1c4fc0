"""The standard catalog's pages: public tables per agency and domain; staff maintenance,
XLSX import and the rows a document fulfils."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.exceptions import InvalidInputError, ServiceError
from opengov.site.standard_catalog import service
from opengov.site.standard_catalog.forms import DocumentRowsForm, ImportForm, RowForm
from opengov.site.standard_catalog.rules import DOMAINS, FIELDS
from opengov.site.web.forms import options
from opengov.site.web.public import bp
from opengov.site.web.staff import bp as staff_bp
from opengov.site.web.staff import staff_route

STAFF = [Role.EDITOR, Role.REVIEWER, Role.ADMIN]
ROW_ID = "<int(max=2147483647):row_id>"
AGENCY_ID = "<int(max=2147483647):agency_id>"
DOCUMENT_ID = "<int(max=2147483647):document_id>"


def _actor() -> Any:
    return current_user.user


# --- public ----------------------------------------------------------------------------------

@bp.get("/standard-catalog")
def standard_catalog_index() -> str:
    """Every agency's 基层政务公开标准目录 by domain."""
    return render_template("public/standard_catalog/index.html",
                           entries=service.catalog_index_page().entries)


@bp.get("/agencies/<code>/standard-catalog")
def agency_standard_catalog(code: str) -> str:
    page = service.agency_catalog_page(code)
    return render_template("public/standard_catalog/agency.html", page=page)


@bp.get("/agencies/<code>/standard-catalog/<domain>")
def standard_catalog_domain(code: str, domain: str) -> str:
    """One domain's table; each row lists the documents that fulfil it."""
    page = service.domain_page(code, domain)
    return render_template("public/standard_catalog/domain.html", page=page, fields=FIELDS)


# --- staff -----------------------------------------------------------------------------------

@staff_route("/standard-catalog", roles=STAFF)
def standard_catalog_overview() -> str:
    form = ImportForm()
    form.agency.choices = options((str(a.id), a.name) for a in service.agency_choices(_actor()))
    return render_template("staff/standard_catalog/overview.html",
                           overview=service.staff_overview(_actor()), form=form,
                           domains=DOMAINS)


@staff_route("/standard-catalog/import", roles=STAFF, methods=["POST"])
def standard_catalog_import() -> ResponseReturnValue:
    form = ImportForm()
    agencies = service.agency_choices(_actor())
    form.agency.choices = options((str(a.id), a.name) for a in agencies)
    report = None
    if form.validate_on_submit():
        try:
            report = service.import_workbook(_actor(), int(form.agency.data),
                                             form.workbook.data.read(), origin=request_origin(),
                                             example=form.example.data)
        except InvalidInputError as refusal:
            form.workbook.errors.append(refusal.message)
        else:
            if not report.problems:
                flash(f"已导入{report.agency}的标准目录 {report.created} 项（"
                      f"{'、'.join(report.replaced_domains)}）。", "info")
                return redirect(url_for("staff.standard_catalog_overview"))
    return render_template("staff/standard_catalog/overview.html",
                           overview=service.staff_overview(_actor()), form=form,
                           domains=DOMAINS, report=report), 422


@staff_route(f"/standard-catalog/{AGENCY_ID}/<domain>", roles=STAFF, methods=["GET", "POST"])
def standard_catalog_staff_domain(agency_id: int, domain: str) -> ResponseReturnValue:
    """An agency's rows of one domain with their warnings; a form adds a row."""
    page = service.staff_domain_page(_actor(), agency_id, domain)
    form = RowForm()
    if request.method == "GET":
        form.domain.data = page.domain.slug
    elif form.validate_on_submit():
        try:
            service.create_row(_actor(), agency_id, form.data_row(), origin=request_origin())
        except service.RowProblemsError as refusal:
            for name, message in refusal.problems.items():
                form[name].errors.append(message)
        else:
            flash("已添加事项。", "info")
            return redirect(url_for("staff.standard_catalog_staff_domain", agency_id=agency_id,
                                    domain=form.domain.data))
    return render_template("staff/standard_catalog/domain.html", page=page, form=form,
                           fields=FIELDS), 422 if form.errors else 200


@staff_route(f"/standard-catalog/rows/{ROW_ID}", roles=STAFF, methods=["GET", "POST"])
def standard_catalog_row(row_id: int) -> ResponseReturnValue:
    view = service.get_row(_actor(), row_id)
    row = view.row
    form = RowForm(obj=row)
    if form.validate_on_submit():
        try:
            service.update_row(_actor(), row_id, form.data_row(), formed_on=form.formed_on.data,
                               origin=request_origin())
        except service.RowProblemsError as refusal:
            for name, message in refusal.problems.items():
                form[name].errors.append(message)
        else:
            flash("已保存。", "info")
            return redirect(url_for("staff.standard_catalog_row", row_id=row_id))
    return render_template("staff/standard_catalog/row.html", view=view, form=form), (
        422 if form.errors else 200)


@staff_route(f"/standard-catalog/rows/{ROW_ID}/delete", roles=STAFF, methods=["POST"])
def standard_catalog_row_delete(row_id: int) -> ResponseReturnValue:
    DocumentRowsForm().validate_on_submit()
    agency_id, domain = service.delete_row(_actor(), row_id, origin=request_origin())
    flash("已删除事项。", "info")
    return redirect(url_for("staff.standard_catalog_staff_domain", agency_id=agency_id,
                            domain=domain))


@staff_route(f"/documents/{DOCUMENT_ID}/standard-catalog", roles=STAFF, methods=["POST"])
def document_standard_catalog(document_id: int) -> ResponseReturnValue:
    """Save which rows a document fulfils (the picker on its staff page)."""
    form = DocumentRowsForm()
    if form.validate_on_submit():
        chosen = [int(value) for value in request.form.getlist("row")
                  if value.isdigit() and value.isascii() and len(value) < 10]
        try:
            count = service.set_document_rows(_actor(), document_id, chosen,
                                              origin=request_origin())
        except InvalidInputError as refusal:
            flash(refusal.message, "error")
        else:
            flash(f"已保存：本文件履行标准目录事项 {count} 项。", "info")
    return redirect(url_for("staff.document", document_id=document_id) + "#standard-catalog")


@staff_bp.app_context_processor
def standard_catalog_helpers() -> dict[str, object]:
    """For the document's staff page (a catalog template): the rows it may fulfil. The
    catalog need not know this feature; its template asks when this feature is installed."""

    def rows_for(document_id: int) -> service.DocumentRows | None:
        if not current_user.is_authenticated:
            return None
        try:
            return service.document_rows(_actor(), document_id)
        except ServiceError:
            return None

    return {"standard_catalog_rows": rows_for}
