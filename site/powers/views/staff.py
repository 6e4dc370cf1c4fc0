"""Staff pages of the 权力清单: list, editor, review and publication, withdrawal, versions."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.powers.forms import PowerForm, StepForm, WithdrawForm
from opengov.site.powers.service import editorial
from opengov.site.service_items.rules.workflow import STATE_LABELS, STATUS_LABELS, STEP_LABELS
from opengov.site.web.staff import staff_route

WRITERS = [Role.EDITOR]
READERS = [Role.EDITOR, Role.REVIEWER]
POWER_ID = "<int(max=2147483647):power_id>"
NEW_DISCRETION_ROWS = 2


def _actor() -> Any:
    return current_user.user


def _labels() -> dict[str, Any]:
    return {"revision_labels": STATUS_LABELS, "state_labels": STATE_LABELS,
            "step_labels": STEP_LABELS}


@staff_route("/powers", roles=READERS)
def powers_list() -> str:
    status = request.args.get("status", "")
    return render_template("staff/powers/list.html", status=status,
                           filters=editorial.LIST_FILTERS, title="权力清单",
                           rows=editorial.staff_powers(_actor(), status), **_labels())


@staff_route("/powers/review", roles=[Role.REVIEWER])
def powers_review() -> str:
    return render_template("staff/powers/list.html", status="submitted",
                           filters=editorial.LIST_FILTERS, title="待审核的职权",
                           rows=editorial.review_queue(_actor()), **_labels())


def _form(page: editorial.EditorPage) -> PowerForm:
    form = PowerForm()
    form.prepare(page.agencies, existing=page.power is not None)
    if request.method == "GET":
        if page.content is not None:
            form.load(page.content, lock_version=page.lock_version, note=page.note)
        else:
            for _row in range(NEW_DISCRETION_ROWS - 1):
                form.add_discretion_row()
    return form


def _render(page: editorial.EditorPage, form: PowerForm, *, conflict: str = "",
            status: int = 200) -> ResponseReturnValue:
    return render_template("staff/powers/editor.html", form=form, power=page.power,
                           conflict=conflict), status


def _adding_row(form: PowerForm) -> bool:
    if request.form.get("intent") != "add-row":
        return False
    form.add_discretion_row()
    return True


@staff_route("/powers/new", roles=WRITERS, methods=["GET", "POST"])
def power_new() -> ResponseReturnValue:
    page = editorial.open_editor(_actor())
    form = _form(page)
    if request.method == "POST" and not _adding_row(form):
        content = form.checked_content() if form.validate_on_submit() else None
        if content is not None:
            try:
                power_id = editorial.create_power(
                    _actor(), agency_id=int(form.agency.data), code=form.code.data,
                    content=content, note=form.revision_note.data or "",
                    origin=request_origin())
            except ConflictError as exc:
                form.code.errors.append(exc.message)
            else:
                flash("职权已保存为草稿，完成后请提交审核。", "info")
                return redirect(url_for("staff.power_detail", power_id=power_id))
        return _render(page, form, status=422)
    return _render(page, form)


@staff_route(f"/powers/{POWER_ID}/edit", roles=WRITERS, methods=["GET", "POST"])
def power_edit(power_id: int) -> ResponseReturnValue:
    try:
        page = editorial.open_editor(_actor(), power_id)
    except ConflictError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.power_detail", power_id=power_id))
    form = _form(page)
    if request.method == "POST" and not _adding_row(form):
        content = form.checked_content() if form.validate_on_submit() else None
        if content is not None:
            version = form.lock_version.data or "0"
            try:
                number = editorial.save_power(
                    _actor(), power_id, content=content, note=form.revision_note.data or "",
                    expected_version=int(version) if version.isdigit() else -1,
                    origin=request_origin())
            except (ConflictError, InvalidInputError) as exc:
                return _render(page, form, conflict=exc.message, status=409)
            flash(f"第 {number} 版草稿已保存。", "info")
            return redirect(url_for("staff.power_detail", power_id=power_id))
        return _render(page, form, status=422)
    return _render(page, form)


@staff_route(f"/powers/{POWER_ID}", roles=READERS)
def power_detail(power_id: int) -> str:
    return render_template("staff/powers/detail.html",
                           detail=editorial.power_detail(_actor(), power_id), form=StepForm(),
                           withdraw_form=WithdrawForm(), **_labels())


@staff_route(f"/powers/{POWER_ID}/transition", roles=READERS, methods=["POST"])
def power_transition(power_id: int) -> ResponseReturnValue:
    form = StepForm()
    if form.validate_on_submit():
        try:
            step = editorial.take_action(_actor(), power_id, request.form.get("action", ""),
                                         opinion=form.opinion.data or "",
                                         origin=request_origin())
        except ConflictError as exc:
            flash(exc.message, "error")
        else:
            flash(f"已{step.label}。", "info")
    else:
        flash(form.error_text(), "error")
    return redirect(url_for("staff.power_detail", power_id=power_id))


@staff_route(f"/powers/{POWER_ID}/withdraw", roles=[Role.REVIEWER], methods=["POST"])
def power_withdraw(power_id: int) -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash("撤下必须说明理由。", "error")
    else:
        try:
            editorial.withdraw_power(_actor(), power_id, reason=form.reason.data,
                                     origin=request_origin())
        except ConflictError as exc:
            flash(exc.message, "error")
        else:
            flash("已从权力清单中撤下；发布新版本后恢复。", "info")
    return redirect(url_for("staff.power_detail", power_id=power_id))


@staff_route(f"/powers/{POWER_ID}/versions", roles=READERS)
def power_versions(power_id: int) -> str:
    comparison = editorial.compare_versions(_actor(), power_id, request.args.get("a", type=int),
                                            request.args.get("b", type=int))
    return render_template("staff/records/versions.html", comparison=comparison,
                           title=comparison.record.name,
                           back_url=url_for("staff.power_detail", power_id=power_id),
                           **_labels())
