"""Staff request handling: queue, entry of paper requests, detail with every step, letters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.agencies import service as agencies
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.requests.forms.public import DownloadForm
from opengov.site.requests.forms.staff import (
    ActionForm,
    EntryForm,
    ProactiveForm,
    ReleaseForm,
    SigningPolicyForm,
    TransferForm,
)
from opengov.site.requests.rules.clock import Channel, EventKind, Stage
from opengov.site.requests.rules.fees import fee_for_new_items
from opengov.site.requests.service import delivery, proactive, signing
from opengov.site.requests.service import staff as casework
from opengov.site.requests.views.letters import file_response, letter_pdf_response
from opengov.site.web.forms import options
from opengov.site.web.staff import staff_route

HANDLER = [Role.HANDLER]


@staff_route("/requests", roles=HANDLER)
def request_queue() -> str:
    stage = request.args.get("stage", casework.UNFINISHED)
    listing = casework.queue(current_user.user, stage)
    return render_template("staff/requests/queue.html", rows=listing.rows,
                           colours=listing.colours, applicants=listing.applicants,
                           reminders=listing.reminders, stage=stage,
                           stages=list(Stage), freshness=listing.freshness, today=listing.today)


@staff_route("/requests/new", roles=HANDLER, methods=["GET", "POST"])
def request_enter() -> ResponseReturnValue:
    actor = current_user.user
    form = EntryForm()
    form.agency.choices = options((str(a.id), a.name)
                                  for a in agencies.agencies_in_scope(actor.agency_id))
    if request.method == "GET":
        form.received_on.data = clock.today()
    if not form.validate_on_submit():
        return render_template("staff/requests/enter.html", form=form), (
            422 if request.method == "POST" else 200)
    filed = casework.enter_request(actor, int(form.agency.data), form.application(),
                                   Channel(form.channel.data), form.received_on.data,
                                   form.confirmed_on.data)
    return render_template("staff/requests/entered.html", filed=filed.request,
                           code=filed.code)


@staff_route("/requests/<number>", roles=HANDLER)
def request_detail(number: str) -> ResponseReturnValue:
    return _detail(number, ActionForm())


def _detail(number: str, form: ActionForm, error: str = "", status: int = 200, *,
            release_form: ReleaseForm | None = None,
            proactive_form: ProactiveForm | None = None) -> ResponseReturnValue:
    case = casework.case(current_user.user, number)
    form.handler_id.choices = options([("", "（请选择）")] + [(str(u.id), u.display_name)
                                                         for u in case.handlers])
    transfer_form = TransferForm(prefix="transfer")
    transfer_form.target.choices = options((str(agency.id), agency.name)
                                           for agency in case.transfer_targets)
    page: str = render_template(
        "staff/requests/detail.html", filed=case.request, state=case.state, form=form,
        transfer_form=transfer_form, allowed=case.allowed, EventKind=EventKind,
        personal=case.personal, documents=case.documents, error=error,
        month_items=case.month_items, fee_for=fee_for_new_items,
        outcome_label=case.outcome_label, today=case.today, case=case,
        release_form=release_form or ReleaseForm(prefix="release"),
        proactive_form=proactive_form or ProactiveForm(
            prefix="proactive", formdata=None,
            subject="、".join(part for part in (case.request.doc_title, case.request.doc_number)
                             if part)),
        download_form=DownloadForm())
    return page, status


@staff_route("/requests/<number>/act", roles=HANDLER, methods=["POST"])
def request_act(number: str) -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        return _detail(number, form, "请按提示修改后再提交。", 422)
    try:
        kind = EventKind(form.kind.data)
    except ValueError:
        abort(400)
    try:
        casework.record_step(current_user.user, number, kind, form.on.data,
                             form.event_data(kind), note=form.note.data or "")
    except InvalidInputError as refusal:
        return _detail(number, form, refusal.message, 422)
    except ConflictError as refusal:
        return _detail(number, form, refusal.message, 409)
    flash(f"已登记：{kind.label}。", "info")
    return redirect(url_for("staff.request_detail", number=number))


@staff_route("/requests/<number>/transfer", roles=HANDLER, methods=["POST"])
def request_transfer(number: str) -> ResponseReturnValue:
    form = TransferForm(prefix="transfer")
    if not form.validate_on_submit():
        return _detail(number, ActionForm(), "请选择转送机关和日期。", 422)
    try:
        forwarded = casework.transfer(current_user.user, number, form.target.data,
                                      form.on.data)
    except InvalidInputError as refusal:
        return _detail(number, ActionForm(), refusal.message, 422)
    except ConflictError as refusal:
        return _detail(number, ActionForm(), refusal.message, 409)
    flash(f"已转送{forwarded.agency.name}，新申请编号 {forwarded.number}；"
          "请签发并送达本机关的答复书。", "info")
    return redirect(url_for("staff.request_detail", number=number))


@staff_route("/requests/letters/<int:letter_id>", roles=HANDLER)
def request_letter(letter_id: int) -> str:
    return render_template("staff/requests/letter.html",
                           letter=casework.staff_letter(current_user.user, letter_id))


@staff_route("/requests/letters/<int:letter_id>.pdf", roles=HANDLER)
def request_letter_pdf(letter_id: int) -> ResponseReturnValue:
    return letter_pdf_response(casework.staff_letter_pdf(current_user.user, letter_id))


# --- released files, the query code, Art. 44 ------------------------------------------------


@staff_route("/requests/<number>/released", roles=HANDLER, methods=["POST"])
def request_release_attach(number: str) -> ResponseReturnValue:
    """Attach a released file, redacted as asked (Art. 37)."""
    form = ReleaseForm(prefix="release")
    if not form.validate_on_submit():
        return _detail(number, ActionForm(), "请按提示修改后再上传。", 422, release_form=form)
    upload = form.file.data
    try:
        attached = delivery.attach_release(current_user.user, number, upload.read(),
                                           upload.filename or "", form.redaction(),
                                           origin=request_origin())
    except InvalidInputError as refusal:
        form.file.errors = [refusal.message]
        return _detail(number, ActionForm(), refusal.message, 422, release_form=form)
    except ConflictError as refusal:
        return _detail(number, ActionForm(), refusal.message, 409, release_form=form)
    summary = attached.released.redaction or "未作遮盖"
    flash(f"已附上：{attached.released.filename}（{summary}）。请下载核对遮盖结果。", "info")
    if attached.not_found:
        flash("文件中未找到以下文字（扫描件没有文字层，请用遮盖区域）："
              + "、".join(attached.not_found), "error")
    return redirect(url_for("staff.request_detail", number=number, _anchor="released"))


@staff_route("/requests/<number>/released/<int:file_id>/remove", roles=HANDLER,
             methods=["POST"])
def request_release_remove(number: str, file_id: int) -> ResponseReturnValue:
    if not DownloadForm().validate_on_submit():
        abort(400)
    try:
        delivery.remove_release(current_user.user, number, file_id, origin=request_origin())
    except ConflictError as refusal:
        return _detail(number, ActionForm(), refusal.message, 409)
    flash("已撤下该文件。", "info")
    return redirect(url_for("staff.request_detail", number=number, _anchor="released"))


@staff_route("/requests/released/<int:file_id>", roles=HANDLER, methods=["POST"])
def request_release_download(file_id: int) -> ResponseReturnValue:
    """The released file as the applicant will get it (to check the redaction); logged."""
    if not DownloadForm().validate_on_submit():
        abort(400)
    return file_response(delivery.staff_download(current_user.user, file_id))


@staff_route("/requests/<number>/query-code", roles=HANDLER, methods=["POST"])
def request_query_code(number: str) -> ResponseReturnValue:
    """A new query code for an applicant whose identity the handler verified."""
    if not DownloadForm().validate_on_submit():
        abort(400)
    code = casework.reissue_query_code(current_user.user, number, origin=request_origin())
    return render_template("staff/requests/query_code.html", number=number, code=code)


@staff_route("/requests/<number>/proactive", roles=HANDLER, methods=["POST"])
def request_mark_proactive(number: str) -> ResponseReturnValue:
    """依申请转主动 (Art. 44): this request's information suits 主动公开."""
    form = ProactiveForm(prefix="proactive")
    if not form.validate_on_submit():
        return _detail(number, ActionForm(), "请填写信息名称。", 422, proactive_form=form)
    marked = proactive.mark(current_user.user, number, form.subject.data,
                            origin=request_origin())
    flash(f"已标记为适合主动公开：{marked.candidate.subject}（已有{marked.applicants}位申请人"
          f"申请{'，已提交撰稿人员' if marked.raised else ''}）。", "info")
    return redirect(url_for("staff.request_detail", number=number))


@staff_route("/requests/proactive", roles=[Role.EDITOR, Role.HANDLER, Role.REVIEWER])
def proactive_candidates() -> str:
    return render_template("staff/requests/proactive.html",
                           candidates=proactive.candidates(current_user.user),
                           form=DownloadForm())


@staff_route("/requests/proactive/<int:candidate_id>/draft", roles=[Role.EDITOR],
             methods=["POST"])
def proactive_draft(candidate_id: int) -> ResponseReturnValue:
    if not DownloadForm().validate_on_submit():
        abort(400)
    document_id = proactive.draft_document(current_user.user, candidate_id,
                                           origin=request_origin())
    flash("已生成主动公开文件草稿，请完善后送审。", "info")
    return redirect(url_for("staff.edit_document", document_id=document_id))


@staff_route("/requests/proactive/<int:candidate_id>/decline", roles=[Role.EDITOR],
             methods=["POST"])
def proactive_decline(candidate_id: int) -> ResponseReturnValue:
    if not DownloadForm().validate_on_submit():
        abort(400)
    proactive.decline(current_user.user, candidate_id, request.form.get("note", "")[:2000],
                      origin=request_origin())
    flash("已记录：不转为主动公开。", "info")
    return redirect(url_for("staff.proactive_candidates"))


@staff_route("/requests/signing", roles=[Role.ADMIN], methods=["GET", "POST"])
def request_signing_policy() -> ResponseReturnValue:
    """依申请公开办理设置: whether one person may decide and sign off, per agency."""
    form = SigningPolicyForm()
    if form.validate_on_submit():
        signing.set_decider_may_sign(current_user.user, form.agency_id.data,
                                     bool(form.allowed.data), origin=request_origin())
        flash("已保存，审计日志已记录。", "info")
        return redirect(url_for("staff.request_signing_policy"))
    return render_template("staff/requests/signing.html",
                           policies=signing.policies(current_user.user), form=form)
