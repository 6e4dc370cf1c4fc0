"""The document editor, live preview, autosave and the review / publication workflow."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, TextAreaField
from wtforms.validators import Optional

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.catalog.forms import CorrectionForm, DocumentForm
from opengov.site.catalog.models import Document, DocumentVersion, DocumentWorkflow
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.rules.publication import art26_deadline, art26_warning
from opengov.site.catalog.rules.workflow import (
    EDITABLE,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    WorkflowError,
)
from opengov.site.catalog.service import editorial
from opengov.site.catalog.service.editorial import ConflictError
from opengov.site.db import get_session
from opengov.site.rendering import render_markdown
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import bp, staff_route
from opengov.site.workdays.service import load_calendar

WRITERS = [Role.EDITOR]
READERS = [Role.EDITOR, Role.REVIEWER]


class TransitionForm(ChineseForm):
    opinion = TextAreaField("意见或理由", validators=[Optional()])
    publish_on = DateField("发布日期（留空为立即发布，晚于今天为定时发布）", validators=[Optional()])


def _user() -> User:
    user: User = current_user.user
    return user


def _document(document_id: int) -> Document:
    """The document, if the person's agency may see it (others get 404, not a hint)."""
    document = get_session().get(Document, document_id)
    if document is None:
        abort(404)
    user = _user()
    if user.agency_id is not None and Role.ADMIN not in user.roles \
            and document.agency_id != user.agency_id:
        abort(404)
    return document


def _art26(form: DocumentForm) -> str | None:
    return art26_warning(load_calendar(get_session()), form.date_written.data,
                         form.changed_on.data, editorial.today(), form.deadline_basis.data or "")


# --- lists ------------------------------------------------------------------------------

@staff_route("/documents", roles=READERS)
def documents() -> str:
    user = _user()
    status = request.args.get("status", "")
    query = select(Document).order_by(Document.updated_at.desc()).limit(200)
    if status in {item.value for item in PublicationStatus}:
        query = query.where(Document.status == PublicationStatus(status))
    if user.agency_id is not None and Role.ADMIN not in user.roles:
        query = query.where(Document.agency_id == user.agency_id)
    return render_template("staff/documents.html", documents=get_session().scalars(query).all(),
                           status=status, title="文件")


@staff_route("/review", roles=[Role.REVIEWER])
def review_queue() -> str:
    user = _user()
    query = select(Document).where(Document.status == PublicationStatus.SUBMITTED) \
        .order_by(Document.updated_at)
    if user.agency_id is not None and Role.ADMIN not in user.roles:
        query = query.where(Document.agency_id == user.agency_id)
    return render_template("staff/documents.html", documents=get_session().scalars(query).all(),
                           status=PublicationStatus.SUBMITTED.value, title="待审核")


# --- the editor -------------------------------------------------------------------------

def _editor_page(form: DocumentForm, document: Document | None, *, conflict: str = "",
                 preview: bool = False) -> str:
    session = get_session()
    user = _user()
    key = str(document.id) if document else "new"
    saved = editorial.own_autosave(session, user, key)
    if saved is not None and document is not None and saved.saved_at <= document.updated_at:
        saved = None
    return render_template(
        "staff/editor.html", form=form, document=document, conflict=conflict,
        preview_html=render_markdown(form.body.data or ""), show_preview=preview,
        art26=_art26(form), autosaved=saved, document_key=key,
        others=editorial.other_editors(session, user, key),
        autosave_seconds=current_app.config["AUTOSAVE_SECONDS"])


@staff_route("/documents/new", roles=WRITERS, methods=["GET", "POST"])
def new_document() -> ResponseReturnValue:
    form = DocumentForm()
    form.prepare(_user())
    if request.method == "GET" and request.args.get("restore"):
        _restore(form, "new")
    if request.form.get("intent") != "preview" and form.validate_on_submit():
        session = get_session()
        document = editorial.create(session, form.to_data(), actor=_user(),
                                    origin=request_origin())
        session.commit()
        flash("草稿已保存。", "info")
        return redirect(url_for("staff.edit_document", document_id=document.id))
    return _editor_page(form, None, preview=request.form.get("intent") == "preview")


@staff_route("/documents/<int:document_id>/edit", roles=WRITERS, methods=["GET", "POST"])
def edit_document(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    if document.status not in EDITABLE:
        flash(f"“{STATUS_LABELS[document.status]}”状态的文件不能直接编辑。", "error")
        return redirect(url_for("staff.document", document_id=document.id))
    session = get_session()
    state = session.get(DocumentWorkflow, document.id)
    lock_version = state.lock_version if state else 1
    form = DocumentForm()
    form.prepare(_user())
    if request.method == "GET":
        form.load(editorial.DocumentData.from_document(document), lock_version)
        if request.args.get("restore"):
            _restore(form, str(document.id))
    conflict = ""
    if request.form.get("intent") != "preview" and form.validate_on_submit():
        expected = int(form.lock_version.data) if (form.lock_version.data or "").isdigit() else 0
        try:
            editorial.update(session, document, form.to_data(), actor=_user(),
                             origin=request_origin(), expected_version=expected)
        except ConflictError as exc:
            session.rollback()
            conflict = str(exc)
        except WorkflowError as exc:
            session.rollback()
            conflict = str(exc)
        else:
            session.commit()
            warning = _art26(form)
            flash("已保存。" + (f" 注意：{warning}" if warning else ""), "info")
            return redirect(url_for("staff.edit_document", document_id=document.id))
    return _editor_page(form, document, conflict=conflict,
                        preview=request.form.get("intent") == "preview")


def _restore(form: DocumentForm, key: str) -> None:
    saved = editorial.own_autosave(get_session(), _user(), key)
    if saved is not None:
        form.title.data, form.summary.data, form.body.data = saved.title, saved.summary, saved.body
        flash("已恢复自动保存的内容，请检查后保存。", "info")


@staff_route("/preview", roles=READERS, methods=["POST"])
def preview() -> ResponseReturnValue:
    """The body rendered by the public pipeline (sanitised), for the live preview."""
    html = render_markdown(request.form.get("body", ""))
    return str(html), 200, {"Content-Type": "text/html; charset=utf-8"}


@staff_route("/documents/autosave", roles=WRITERS, methods=["POST"])
def autosave() -> ResponseReturnValue:
    key = request.form.get("document_key", "new")
    if key != "new":
        if not key.isdigit():
            abort(400)
        document = _document(int(key))
        if document.status not in EDITABLE:
            abort(409)
    session = get_session()
    version = request.form.get("lock_version", "0")
    record = editorial.autosave(session, _user(), key, title=request.form.get("title", ""),
                                summary=request.form.get("summary", ""),
                                body=request.form.get("body", ""),
                                base_version=int(version) if version.isdigit() else 0)
    session.commit()
    others = [item.user.display_name for item in editorial.other_editors(session, _user(), key)]
    return jsonify({"saved_at": record.saved_at.strftime("%H:%M:%S"), "others": others})


# --- workflow ---------------------------------------------------------------------------

@staff_route("/documents/<int:document_id>", roles=READERS)
def document(document_id: int) -> str:
    document = _document(document_id)
    session = get_session()
    user = _user()
    state = session.get(DocumentWorkflow, document.id)
    calendar = load_calendar(session)
    deadline = art26_deadline(calendar, document.date_written, document.changed_on)
    warning = None
    if document.status in {PublicationStatus.DRAFT, PublicationStatus.SUBMITTED,
                           PublicationStatus.APPROVED}:
        warning = art26_warning(calendar, document.date_written, document.changed_on,
                                editorial.today(), state.deadline_basis if state else "")
    return render_template(
        "staff/document.html", document=document, state=state, deadline=deadline,
        art26=warning, actions=editorial.available_actions(session, document, user),
        events=editorial.events(session, document.id),
        versions=editorial.versions(session, document.id), form=TransitionForm(),
        action_labels={action.value: step.label for action, step in TRANSITIONS.items()},
        editable=document.status in EDITABLE and user.has_role(*WRITERS))


@staff_route("/documents/<int:document_id>/transition", roles=READERS, methods=["POST"])
def transition(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    form = TransitionForm()
    action = request.form.get("action", "")
    if action == Action.CORRECT:
        return redirect(url_for("staff.correct_document", document_id=document.id))
    session = get_session()
    if form.validate_on_submit():
        try:
            step = editorial.transition(session, document, action, actor=_user(),
                                        origin=request_origin(),
                                        opinion=form.opinion.data or "",
                                        publish_on=form.publish_on.data)
        except WorkflowError as exc:
            session.rollback()
            flash(str(exc), "error")
        else:
            session.commit()
            message = f"已{step.label}。"
            if step.action == Action.PUBLISH and document.published_on \
                    and document.published_on > editorial.today():
                message = f"已定时发布，将于 {document.published_on:%Y-%m-%d} 公开。"
            flash(message, "info")
    else:
        flash("日期格式不正确。", "error")
    return redirect(url_for("staff.document", document_id=document.id))


@staff_route("/documents/<int:document_id>/correct", roles=[Role.REVIEWER],
             methods=["GET", "POST"])
def correct_document(document_id: int) -> ResponseReturnValue:
    """更正 a published document: a new version with a 更正说明, visible in its history."""
    document = _document(document_id)
    if document.status != PublicationStatus.PUBLISHED:
        flash("只有已发布的文件可以更正。", "error")
        return redirect(url_for("staff.document", document_id=document.id))
    form = CorrectionForm()
    form.prepare(_user())
    if request.method == "GET":
        form.load(editorial.DocumentData.from_document(document), 0)
    if request.form.get("intent") != "preview" and form.validate_on_submit():
        session = get_session()
        try:
            editorial.transition(session, document, Action.CORRECT, actor=_user(),
                                 origin=request_origin(), opinion=form.correction_note.data,
                                 correction=form.to_data())
        except WorkflowError as exc:
            session.rollback()
            form.correction_note.errors.append(str(exc))
        else:
            session.commit()
            flash("已更正并发布新版本。", "info")
            return redirect(url_for("staff.document", document_id=document.id))
    return render_template("staff/editor.html", form=form, document=document, correcting=True,
                           preview_html=render_markdown(form.body.data or ""),
                           show_preview=request.form.get("intent") == "preview",
                           art26=None, autosaved=None, document_key="", others=[],
                           autosave_seconds=0, conflict="")


@staff_route("/documents/<int:document_id>/versions", roles=READERS)
def versions(document_id: int) -> str:
    document = _document(document_id)
    session = get_session()
    history = editorial.versions(session, document.id)
    by_number = {version.number: version for version in history}
    newest = history[-1].number if history else 0
    old_no = request.args.get("a", max(newest - 1, 1), type=int)
    new_no = request.args.get("b", newest, type=int)
    old: DocumentVersion | None = by_number.get(old_no or 0)
    new: DocumentVersion | None = by_number.get(new_no or 0)
    lines = editorial.diff(old, new) if old and new else []
    return render_template("staff/versions.html", document=document, versions=history,
                           old=old, new=new, lines=lines)


@bp.app_context_processor
def editorial_labels() -> dict[str, object]:
    return {"status_labels": STATUS_LABELS}
