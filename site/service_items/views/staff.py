"""Staff pages of service items: list, editor, review and publication, versions, files,
import from a workbook. Each route parses the form and calls one entry function of the
service, which decides what the signed-in person may see and do."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.service_items.forms import (
    NEW_MATERIAL_ROWS,
    FileUploadForm,
    ImportForm,
    ItemForm,
    ItemStepForm,
    WithdrawForm,
)
from opengov.site.service_items.rules.workflow import STATE_LABELS, STATUS_LABELS, STEP_LABELS
from opengov.site.service_items.service import editorial, importing
from opengov.site.service_items.service.files import stored_file_path
from opengov.site.web.staff import bp, staff_route

WRITERS = [Role.EDITOR]
READERS = [Role.EDITOR, Role.REVIEWER]
ITEM_ID = "<int(max=2147483647):item_id>"


def _actor() -> Any:
    return current_user.user


@bp.app_context_processor
def record_labels() -> dict[str, object]:
    return {"revision_labels": STATUS_LABELS, "state_labels": STATE_LABELS,
            "step_labels": STEP_LABELS}


@staff_route("/service-items", roles=READERS)
def service_items_list() -> str:
    status = request.args.get("status", "")
    return render_template("staff/service_items/list.html", status=status,
                           filters=editorial.LIST_FILTERS, title="政务服务事项",
                           rows=editorial.staff_items(_actor(), status))


@staff_route("/service-items/review", roles=[Role.REVIEWER])
def service_items_review() -> str:
    return render_template("staff/service_items/list.html", status="submitted",
                           filters=editorial.LIST_FILTERS, title="待审核的事项",
                           rows=editorial.review_queue(_actor()))


# --- the editor ------------------------------------------------------------------------------


def _editor(page: editorial.EditorPage, form: ItemForm) -> ItemForm:
    form.prepare(page.agencies, [(found.id, found.original_name) for found in page.files],
                 existing=page.item is not None)
    if request.method == "GET":
        if page.guide is not None:
            form.load(page.guide, lock_version=page.lock_version, note=page.note)
        else:
            for _row in range(NEW_MATERIAL_ROWS - 1):
                form.add_material_row()
        form.prepare(page.agencies, [(found.id, found.original_name) for found in page.files],
                     existing=page.item is not None)
    return form


def _adding_row(form: ItemForm, page: editorial.EditorPage) -> bool:
    """“增加一项材料”: the form comes back with one more row, nothing saved or lost."""
    if request.form.get("intent") != "add-material":
        return False
    form.add_material_row()
    form.prepare(page.agencies, [(found.id, found.original_name) for found in page.files],
                 existing=page.item is not None)
    return True


def _render_editor(page: editorial.EditorPage, form: ItemForm, *, conflict: str = "",
                   status: int = 200) -> ResponseReturnValue:
    return render_template("staff/service_items/editor.html", form=form, item=page.item,
                           conflict=conflict), status


@staff_route("/service-items/new", roles=WRITERS, methods=["GET", "POST"])
def service_item_new() -> ResponseReturnValue:
    page = editorial.open_editor(_actor())
    form = _editor(page, ItemForm())
    if request.method == "POST" and not _adding_row(form, page):
        guide = form.checked_guide() if form.validate_on_submit() else None
        if guide is not None:
            try:
                item_id = editorial.create_item(
                    _actor(), agency_id=int(form.agency.data), code=form.code.data,
                    guide=guide, note=form.note.data or "", origin=request_origin())
            except ConflictError as exc:
                form.code.errors.append(exc.message)
            else:
                flash("事项已保存为草稿：上传空白表格和示例样表后可在材料中选用，完成后提交审核。", "info")
                return redirect(url_for("staff.service_item", item_id=item_id))
        return _render_editor(page, form, status=422)
    return _render_editor(page, form)


@staff_route(f"/service-items/{ITEM_ID}/edit", roles=WRITERS, methods=["GET", "POST"])
def service_item_edit(item_id: int) -> ResponseReturnValue:
    try:
        page = editorial.open_editor(_actor(), item_id)
    except ConflictError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.service_item", item_id=item_id))
    form = _editor(page, ItemForm())
    if request.method == "POST" and not _adding_row(form, page):
        guide = form.checked_guide() if form.validate_on_submit() else None
        if guide is not None:
            version = form.lock_version.data or "0"
            try:
                number = editorial.save_item(
                    _actor(), item_id, guide=guide, note=form.note.data or "",
                    expected_version=int(version) if version.isdigit() else -1,
                    origin=request_origin())
            except (ConflictError, InvalidInputError) as exc:
                return _render_editor(page, form, conflict=exc.message, status=409)
            flash(f"第 {number} 版草稿已保存。", "info")
            return redirect(url_for("staff.service_item", item_id=item_id))
        return _render_editor(page, form, status=422)
    return _render_editor(page, form)


# --- one item ----------------------------------------------------------------------------------


@staff_route(f"/service-items/{ITEM_ID}", roles=READERS)
def service_item(item_id: int) -> str:
    detail, files = editorial.item_detail(_actor(), item_id)
    return render_template("staff/service_items/detail.html", detail=detail, files=files,
                           form=ItemStepForm(), withdraw_form=WithdrawForm())


@staff_route(f"/service-items/{ITEM_ID}/transition", roles=READERS, methods=["POST"])
def service_item_transition(item_id: int) -> ResponseReturnValue:
    form = ItemStepForm()
    if form.validate_on_submit():
        try:
            step = editorial.take_action(_actor(), item_id, request.form.get("action", ""),
                                         opinion=form.opinion.data or "",
                                         origin=request_origin())
        except ConflictError as exc:
            flash(exc.message, "error")
        else:
            flash(f"已{step.label}。", "info")
    else:
        flash(form.error_text(), "error")
    return redirect(url_for("staff.service_item", item_id=item_id))


@staff_route(f"/service-items/{ITEM_ID}/withdraw", roles=[Role.REVIEWER], methods=["POST"])
def service_item_withdraw(item_id: int) -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash("撤下必须说明理由。", "error")
        return redirect(url_for("staff.service_item", item_id=item_id))
    try:
        editorial.withdraw_item(_actor(), item_id, reason=form.reason.data,
                                origin=request_origin())
    except ConflictError as exc:
        flash(exc.message, "error")
    else:
        flash("事项已撤下，公众页面不再显示；发布新版本后恢复。", "info")
    return redirect(url_for("staff.service_item", item_id=item_id))


@staff_route(f"/service-items/{ITEM_ID}/versions", roles=READERS)
def service_item_versions(item_id: int) -> str:
    comparison = editorial.compare_versions(_actor(), item_id, request.args.get("a", type=int),
                                            request.args.get("b", type=int))
    return render_template("staff/records/versions.html", comparison=comparison,
                           title=comparison.record.name,
                           back_url=url_for("staff.service_item", item_id=item_id))


@staff_route(f"/service-items/{ITEM_ID}/files", roles=READERS, methods=["GET", "POST"])
def service_item_files(item_id: int) -> ResponseReturnValue:
    form = FileUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            found = editorial.upload_item_file(_actor(), item_id, upload.read(),
                                               upload.filename or "", origin=request_origin())
        except InvalidInputError as exc:
            form.file.errors.append(exc.message)
        else:
            flash(f"已上传“{found.original_name}”，可在编辑事项时为材料选用。", "info")
            return redirect(url_for("staff.service_item_files", item_id=item_id))
    item, files = editorial.item_files(_actor(), item_id)
    return render_template("staff/service_items/files.html", item=item, files=files,
                           form=form), 422 if form.errors else 200


@staff_route(f"/service-items/{ITEM_ID}/files/<int(max=2147483647):file_id>", roles=READERS)
def service_item_staff_file(item_id: int, file_id: int) -> Response:
    found = editorial.staff_file(_actor(), item_id, file_id)
    return send_file(stored_file_path(found), mimetype=found.content_type,
                     download_name=found.original_name, as_attachment=True, max_age=0)


# --- import ----------------------------------------------------------------------------------


@staff_route("/service-items/import", roles=WRITERS, methods=["GET", "POST"])
def service_items_import() -> ResponseReturnValue:
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            token = importing.start_import(_actor(), upload.filename or "", upload.read())
        except InvalidInputError as exc:
            form.file.errors.append(exc.message)
        else:
            return redirect(url_for("staff.service_items_import_preview", token=token))
    return render_template("staff/service_items/import.html", form=form,
                           agencies=importing.import_agencies(_actor())), \
        422 if form.errors else 200


@staff_route("/service-items/import/<token>", roles=WRITERS, methods=["GET", "POST"])
def service_items_import_preview(token: str) -> ResponseReturnValue:
    if FlaskForm().validate_on_submit():
        preview = importing.confirm_import(_actor(), token, origin=request_origin())
        if preview.saved is not None:
            flash(f"已导入 {preview.saved} 个事项，均已提交审核。", "info")
            return redirect(url_for("staff.service_items_list", status="submitted"))
    else:
        preview = importing.import_preview(_actor(), token)
    return render_template("staff/service_items/import_preview.html", preview=preview,
                           token=token, form=FlaskForm()), 422 if preview.problems else 200


@staff_route("/service-items/import/template.xlsx", roles=WRITERS)
def service_items_import_template() -> Response:
    response = Response(importing.template_workbook(),
                        mimetype="application/vnd.openxmlformats-officedocument"
                                 ".spreadsheetml.sheet")
    response.headers["Content-Disposition"] = (
        "attachment; filename=service-items-template.xlsx; "
        "filename*=UTF-8''%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1%E4%BA%8B%E9%A1%B9"
        "%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx")
    return response
