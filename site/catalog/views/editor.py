"""The document editor, live preview, autosave and the review / publication workflow.

Each route parses the form and calls one entry function of
:mod:`opengov.site.catalog.service.editorial`, which decides what the signed-in person may
see and do (their agency's documents only; nobody reviews their own document).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import DateField, TextAreaField
from wtforms.validators import Optional

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.forms import CorrectionForm, CorrectionReviewForm, DocumentForm
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.rules.workflow import STATUS_LABELS, TRANSITIONS, Action
from opengov.site.catalog.service import editorial
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError
from opengov.site.rendering import render_markdown
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import bp, staff_route

WRITERS = [Role.EDITOR]
READERS = [Role.EDITOR, Role.REVIEWER]


class TransitionForm(ChineseForm):
    opinion = TextAreaField("意见或理由", validators=[Optional()])
    publish_on = DateField("发布日期（留空为立即发布，晚于今天为定时发布）", validators=[Optional()])


def _actor() -> Any:
    """The signed-in person, the ``actor`` of every service call."""
    return current_user.user


def _previewing() -> bool:
    return request.form.get("intent") == "preview"


# --- lists ------------------------------------------------------------------------------

@staff_route("/documents", roles=READERS)
def documents() -> str:
    status = request.args.get("status", "")
    wanted = PublicationStatus(status) if status in set(PublicationStatus) else None
    return render_template("staff/documents.html",
                           documents=editorial.staff_documents(_actor(), wanted),
                           status=status, title="文件")


@staff_route("/review", roles=[Role.REVIEWER])
def review_queue() -> str:
    return render_template("staff/documents.html", documents=editorial.review_queue(_actor()),
                           status=PublicationStatus.SUBMITTED.value, title="待审核",
                           corrections=editorial.corrections_to_review(_actor()),
                           correction_labels=editorial.CORRECTION_LABELS)


# --- the editor -------------------------------------------------------------------------

def _editor_form(page: editorial.EditorPage, form: DocumentForm) -> DocumentForm:
    form.prepare(page.choices)
    if request.method == "GET":
        if page.data is not None:
            form.load(page.data, page.lock_version)
        if request.args.get("restore") and page.own_autosave is not None:
            saved = page.own_autosave
            form.title.data, form.summary.data, form.body.data = \
                saved.title, saved.summary, saved.body
            flash("已恢复自动保存的内容，请检查后保存。", "info")
    return form


def _editor_page(page: editorial.EditorPage, form: DocumentForm, *, conflict: str = "") -> str:
    return render_template(
        "staff/editor.html", form=form, document=page.document, conflict=conflict,
        preview_html=render_markdown(form.body.data or ""), show_preview=_previewing(),
        art26=page.art26_warning(form.date_written.data, form.changed_on.data,
                                 form.deadline_basis.data or ""),
        autosaved=page.unsaved_autosave, document_key=page.key, others=page.others,
        autosave_seconds=current_app.config["AUTOSAVE_SECONDS"])


@staff_route("/documents/new", roles=WRITERS, methods=["GET", "POST"])
def new_document() -> ResponseReturnValue:
    page = editorial.open_editor(_actor())
    form = _editor_form(page, DocumentForm())
    if not _previewing() and form.validate_on_submit():
        document_id = editorial.create_document(_actor(), form.to_data(),
                                                origin=request_origin())
        flash("草稿已保存。", "info")
        return redirect(url_for("staff.edit_document", document_id=document_id))
    return _editor_page(page, form)


@staff_route("/documents/<int:document_id>/edit", roles=WRITERS, methods=["GET", "POST"])
def edit_document(document_id: int) -> ResponseReturnValue:
    try:
        page = editorial.open_editor(_actor(), document_id)
    except ConflictError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.document", document_id=document_id))
    form = _editor_form(page, DocumentForm())
    conflict = ""
    if not _previewing() and form.validate_on_submit():
        version = form.lock_version.data or ""
        try:
            warning = editorial.save_document(
                _actor(), document_id, form.to_data(), origin=request_origin(),
                expected_version=int(version) if version.isdigit() else 0)
        except ConflictError as exc:  # saved meanwhile by someone else, or no longer a draft
            conflict = exc.message
        else:
            flash("已保存。" + (f" 注意：{warning}" if warning else ""), "info")
            return redirect(url_for("staff.edit_document", document_id=document_id))
    return _editor_page(page, form, conflict=conflict)


@staff_route("/preview", roles=READERS, methods=["POST"])
def preview() -> ResponseReturnValue:
    """The body rendered by the public pipeline (sanitised), for the live preview."""
    html = render_markdown(request.form.get("body", ""))
    return str(html), 200, {"Content-Type": "text/html; charset=utf-8"}


@staff_route("/documents/autosave", roles=WRITERS, methods=["POST"])
def autosave() -> ResponseReturnValue:
    version = request.form.get("lock_version", "0")
    result = editorial.autosave_text(
        _actor(), request.form.get("document_key", "new"), title=request.form.get("title", ""),
        summary=request.form.get("summary", ""), body=request.form.get("body", ""),
        base_version=int(version) if version.isdigit() else 0)
    return jsonify({"saved_at": clock.to_beijing(result.saved_at).strftime("%H:%M:%S"),
                    "others": result.others})


# --- workflow ---------------------------------------------------------------------------

@staff_route("/documents/<int:document_id>", roles=READERS)
def document(document_id: int) -> str:
    detail = editorial.document_detail(_actor(), document_id)
    return render_template(
        "staff/document.html", document=detail.document, state=detail.state,
        deadline=detail.deadline, art26=detail.art26, actions=detail.actions,
        events=detail.events, versions=detail.versions, form=TransitionForm(),
        action_labels={action.value: step.label for action, step in TRANSITIONS.items()},
        editable=detail.editable, corrections=detail.corrections,
        correction_labels=editorial.CORRECTION_LABELS, review_form=CorrectionReviewForm())


@staff_route("/documents/<int:document_id>/transition", roles=READERS, methods=["POST"])
def transition(document_id: int) -> ResponseReturnValue:
    form = TransitionForm()
    action = request.form.get("action", "")
    if action == Action.CORRECT:
        return redirect(url_for("staff.correct_document", document_id=document_id))
    if form.validate_on_submit():
        try:
            result = editorial.take_action(_actor(), document_id, action,
                                           origin=request_origin(),
                                           opinion=form.opinion.data or "",
                                           publish_on=form.publish_on.data)
        except ConflictError as exc:  # the step is not allowed now, or not to this person
            flash(exc.message, "error")
        else:
            if result.scheduled_on is not None:
                flash(f"已定时发布，将于 {result.scheduled_on:%Y-%m-%d} 公开。", "info")
            else:
                flash(f"已{result.step.label}。", "info")
    else:
        flash("日期格式不正确。", "error")
    return redirect(url_for("staff.document", document_id=document_id))


@staff_route("/documents/<int:document_id>/correct", roles=[Role.EDITOR, Role.REVIEWER],
             methods=["GET", "POST"])
def correct_document(document_id: int) -> ResponseReturnValue:
    """更正 a published document: proposed here, published as a new version with its
    更正说明 once another reviewer approves it (or at once on the urgent path)."""
    try:
        page = editorial.open_correction(_actor(), document_id)
    except ConflictError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.document", document_id=document_id))
    form = CorrectionForm()
    form.prepare(page.choices)
    if request.method == "GET" and page.data is not None:
        form.load(page.data, 0)
    if not _previewing() and form.validate_on_submit():
        try:
            status = editorial.correct_document(
                _actor(), document_id, form.to_data(), note=form.correction_note.data,
                origin=request_origin(), urgent=bool(form.urgent.data),
                urgent_reason=form.urgent_reason.data or "")
        except (ConflictError, ForbiddenError, InvalidInputError) as exc:
            form.correction_note.errors.append(exc.message)
        else:
            flash("已紧急更正并发布新版本，请其他审核人员事后审核。"
                  if status == editorial.CorrectionStatus.URGENT
                  else "更正已提交，经其他审核人员审核通过后发布。", "info")
            return redirect(url_for("staff.document", document_id=document_id))
    return render_template("staff/editor.html", form=form, document=page.document,
                           correcting=True, preview_html=render_markdown(form.body.data or ""),
                           show_preview=_previewing(), art26=None, autosaved=None,
                           document_key="", others=[], autosave_seconds=0, conflict="")


@staff_route("/corrections/<int:correction_id>/review", roles=[Role.REVIEWER],
             methods=["POST"])
def review_correction(correction_id: int) -> ResponseReturnValue:
    """Approve or reject a proposed 更正, or review an urgent one afterwards."""
    form = CorrectionReviewForm()
    decision = request.form.get("decision", "")
    document_id = request.form.get("document_id", "")
    if not form.validate_on_submit():
        flash("请填写审核意见。", "error")
    else:
        try:
            if decision == "confirm":
                editorial.confirm_urgent_correction(_actor(), correction_id,
                                                    opinion=form.opinion.data,
                                                    origin=request_origin())
                flash("已完成紧急更正的事后审核。", "info")
            else:
                status = editorial.review_correction(
                    _actor(), correction_id, approve=decision == "approve",
                    opinion=form.opinion.data, origin=request_origin())
                flash("更正已审核通过并发布新版本。"
                      if status == editorial.CorrectionStatus.APPROVED else "更正未通过。",
                      "info")
        except ConflictError as exc:
            flash(exc.message, "error")
    if document_id.isdigit() and document_id.isascii() and len(document_id) < 11:
        return redirect(url_for("staff.document", document_id=int(document_id)))
    return redirect(url_for("staff.review_queue"))


@staff_route("/documents/<int:document_id>/versions", roles=READERS)
def versions(document_id: int) -> str:
    comparison = editorial.compare_versions(_actor(), document_id,
                                            request.args.get("a", type=int),
                                            request.args.get("b", type=int))
    return render_template("staff/versions.html", document=comparison.document,
                           versions=comparison.versions, old=comparison.old,
                           new=comparison.new, lines=comparison.lines)


@bp.app_context_processor
def editorial_labels() -> dict[str, object]:
    return {"status_labels": STATUS_LABELS}
