"""Staff pages of 征求意见: the list, the consultation form, and the case page where comments
are moderated and grouped, the draft reviewed and published, the period extended, the feedback
published and the final decision linked."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.agencies import service as agencies
from opengov.site.consultations.forms import (
    ConsultationForm,
    DecisionForm,
    EnteredCommentForm,
    ExtendForm,
    FeedbackForm,
    GroupForm,
    ModerationForm,
    ReviewForm,
)
from opengov.site.consultations.rules import (
    COMMENT_FILTER_LABELS,
    Channel,
    CommentStatus,
    Phase,
)
from opengov.site.consultations.service import drafting, moderation
from opengov.site.consultations.service.drafting import ConsultationInputError
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError
from opengov.site.web.forms import options
from opengov.site.web.staff import staff_route

STAFF = [Role.EDITOR, Role.REVIEWER]
CONSULTATION_ID = "<int(max=2147483647):consultation_id>"
ITEM_ID = "<int(max=2147483647):{name}>"


def _actor() -> Any:
    return current_user.user


@staff_route("/consultations", roles=STAFF)
def consultations() -> str:
    return render_template("staff/consultations/list.html",
                           rows=drafting.staff_list(_actor()), Phase=Phase)


# --- the consultation form ----------------------------------------------------------------


def _agency_choices(form: ConsultationForm) -> None:
    form.agency.choices = options((str(a.id), a.name)
                                  for a in agencies.agencies_in_scope(_actor().agency_id))


def _form_page(form: ConsultationForm, consultation: Any = None,
               error: str = "") -> str:
    return render_template("staff/consultations/form.html", form=form,
                           consultation=consultation, error=error)


def _field_error(form: ConsultationForm, refusal: InvalidInputError) -> str:
    """Put a service refusal beside its field when it names one; else return it."""
    if isinstance(refusal, ConsultationInputError) and hasattr(form, refusal.field):
        getattr(form, refusal.field).errors = [refusal.message]
        return "请按提示修改后再保存。"
    return refusal.message


@staff_route("/consultations/new", roles=[Role.EDITOR], methods=["GET", "POST"])
def consultation_new() -> ResponseReturnValue:
    form = ConsultationForm()
    _agency_choices(form)
    if request.method == "GET":
        form.opens_on.data = clock.today()
        if _actor().agency_id is not None:
            form.agency.data = str(_actor().agency_id)
        return _form_page(form)
    if not form.validate_on_submit():
        return _form_page(form, error="请按提示修改后再保存。"), 422
    try:
        created = drafting.create(_actor(), form.data_object(), origin=request_origin())
    except InvalidInputError as refusal:
        return _form_page(form, error=_field_error(form, refusal)), 422
    flash("征求意见草稿已保存。核对无误后请提交审核。", "info")
    return redirect(url_for("staff.consultation_case", consultation_id=created))


@staff_route(f"/consultations/{CONSULTATION_ID}/edit", roles=[Role.EDITOR],
             methods=["GET", "POST"])
def consultation_edit(consultation_id: int) -> ResponseReturnValue:
    page = drafting.edit_page(_actor(), consultation_id)
    found = page.consultation
    form = ConsultationForm(obj=None if request.method == "POST" else found)
    _agency_choices(form)
    if request.method == "GET":
        form.agency.data = str(found.agency_id)
        form.version.data = str(page.version)
        return _form_page(form, found)
    if not form.validate_on_submit():
        return _form_page(form, found, "请按提示修改后再保存。"), 422
    try:
        drafting.save(_actor(), consultation_id, form.data_object(),
                      expected_version=form.expected_version(), origin=request_origin())
    except InvalidInputError as refusal:
        return _form_page(form, found, _field_error(form, refusal)), 422
    except ConflictError as refusal:
        return _form_page(form, found, refusal.message), 409
    flash("已保存。", "info")
    return redirect(url_for("staff.consultation_case", consultation_id=consultation_id))


# --- the case page ------------------------------------------------------------------------


def _comments_page() -> int:
    raw = request.args.get("cpage", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 else 1


def _case_page(consultation_id: int, *, error: str = "", status: int = 200,
               forms: dict[str, Any] | None = None) -> ResponseReturnValue:
    actor = _actor()
    case = drafting.staff_case(actor, consultation_id, request.args.get("comments", "")[:20],
                               _comments_page())
    given = forms or {}
    groups = list(case.consultation.groups)
    group_choices = options([("", "（未归类）")] + [
        (str(group.id), f"第{group.position}类：{group.summary[:30]}") for group in groups])
    group_forms = []
    for group in [*groups, None]:
        key = f"group-{group.id if group else 'new'}"
        form = given.get(key) or GroupForm(prefix=key, obj=group, formdata=None)
        group_forms.append((group, form))
    moderation_forms = {}
    for row in case.comments:
        key = f"comment-{row.comment.id}"
        form = given.get(key) or ModerationForm(prefix=key, formdata=None)
        if key not in given:
            form.status.data = (row.comment.status if row.comment.status
                                != CommentStatus.PENDING.value else None)
            form.public_text.data = row.comment.public_text or row.comment.text
            form.note.data = row.comment.moderation_note
            form.group.data = str(row.comment.group_id or "")
        form.group.choices = group_choices
        if not case.consultation.publishes_comments:
            form.status.choices = [choice for choice in form.status.choices
                                   if choice.value != CommentStatus.PUBLISHED.value]
        moderation_forms[row.comment.id] = form
    extend = given.get("extend") or ExtendForm(prefix="extend", formdata=None)
    if extend.closes_on.data is None:
        extend.closes_on.data = case.consultation.closes_on
    page = render_template(
        "staff/consultations/case.html", case=case, consultation=case.consultation,
        actor=actor, error=error, Phase=Phase, CommentStatus=CommentStatus,
        filters=COMMENT_FILTER_LABELS,
        review_form=given.get("review") or ReviewForm(prefix="review", formdata=None),
        extend_form=extend,
        feedback_form=given.get("feedback") or FeedbackForm(
            prefix="feedback", formdata=None,
            data={"summary": case.consultation.feedback_summary}),
        decision_form=given.get("decision") or DecisionForm(prefix="decision", formdata=None),
        entry_form=given.get("entry") or EnteredCommentForm(prefix="entry", formdata=None),
        group_forms=group_forms, moderation_forms=moderation_forms)
    return page, status


@staff_route(f"/consultations/{CONSULTATION_ID}", roles=STAFF)
def consultation_case(consultation_id: int) -> ResponseReturnValue:
    return _case_page(consultation_id)


def _done(consultation_id: int, message: str, anchor: str = "") -> ResponseReturnValue:
    flash(message, "info")
    return redirect(url_for("staff.consultation_case", consultation_id=consultation_id)
                    + (f"#{anchor}" if anchor else ""))


def _refused(consultation_id: int, refusal: Exception, forms: dict[str, Any],
             form: Any = None) -> ResponseReturnValue:
    """The case page again with the refusal, what was typed kept; beside its field when the
    refusal names one."""
    if isinstance(refusal, ConsultationInputError) and form is not None \
            and hasattr(form, refusal.field):
        getattr(form, refusal.field).errors = [refusal.message]
    status = (403 if isinstance(refusal, ForbiddenError) else 409
              if isinstance(refusal, ConflictError) else 422)
    return _case_page(consultation_id, error=str(refusal), status=status, forms=forms)


@staff_route(f"/consultations/{CONSULTATION_ID}/submit", roles=[Role.EDITOR],
             methods=["POST"])
def consultation_submit(consultation_id: int) -> ResponseReturnValue:
    try:
        drafting.submit(_actor(), consultation_id, origin=request_origin())
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {})
    return _done(consultation_id, "已提交审核。")


@staff_route(f"/consultations/{CONSULTATION_ID}/review", roles=[Role.REVIEWER],
             methods=["POST"])
def consultation_review(consultation_id: int) -> ResponseReturnValue:
    form = ReviewForm(prefix="review")
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请填写审核意见。", status=422,
                          forms={"review": form})
    approve = form.decision.data == "approve"
    try:
        phase = drafting.review(_actor(), consultation_id, approve=approve,
                                opinion=form.opinion.data, origin=request_origin())
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {"review": form}, form)
    return _done(consultation_id, f"已审核通过并发布（{phase.value}）。" if approve
                 else "已退回修改。")


@staff_route(f"/consultations/{CONSULTATION_ID}/extend", roles=[Role.REVIEWER],
             methods=["POST"])
def consultation_extend(consultation_id: int) -> ResponseReturnValue:
    form = ExtendForm(prefix="extend")
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请按提示填写。", status=422,
                          forms={"extend": form})
    try:
        drafting.extend(_actor(), consultation_id, form.closes_on.data, form.reason.data,
                        origin=request_origin())
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {"extend": form}, form)
    return _done(consultation_id, "已延长征求意见期限。")


@staff_route(f"/consultations/{CONSULTATION_ID}/feedback", roles=[Role.REVIEWER],
             methods=["POST"])
def consultation_feedback(consultation_id: int) -> ResponseReturnValue:
    form = FeedbackForm(prefix="feedback")
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请按提示填写。", status=422,
                          forms={"feedback": form})
    try:
        sent = drafting.publish_feedback(_actor(), consultation_id, form.summary.data or "",
                                         origin=request_origin())
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {"feedback": form}, form)
    return _done(consultation_id, "意见采纳情况已公布" + (f"，已通知留有电子邮箱的{sent}位提出意见者。"
                                                   if sent else "。"))


@staff_route(f"/consultations/{CONSULTATION_ID}/decision", roles=[Role.REVIEWER],
             methods=["POST"])
def consultation_decision(consultation_id: int) -> ResponseReturnValue:
    form = DecisionForm(prefix="decision")
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请按提示填写。", status=422,
                          forms={"decision": form})
    try:
        drafting.link_decision(_actor(), consultation_id, index_no=form.index_no.data or "",
                               url=form.url.data or "", title=form.title.data or "",
                               origin=request_origin())
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {"decision": form}, form)
    return _done(consultation_id, "已链接最终决定。")


# --- comments and groups ------------------------------------------------------------------


@staff_route(f"/consultations/{CONSULTATION_ID}/comments", roles=STAFF, methods=["POST"])
def consultation_enter_comment(consultation_id: int) -> ResponseReturnValue:
    form = EnteredCommentForm(prefix="entry")
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请按提示填写。", status=422,
                          forms={"entry": form})
    try:
        serial = moderation.enter_comment(_actor(), consultation_id, form.comment(),
                                          Channel(form.channel.data))
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {"entry": form}, form)
    return _done(consultation_id, f"已登记第{serial}条意见，请审核。", "comments")


@staff_route(f"/consultations/{CONSULTATION_ID}/comments/"
             f"{ITEM_ID.format(name='comment_id')}/moderate", roles=STAFF, methods=["POST"])
def consultation_moderate(consultation_id: int, comment_id: int) -> ResponseReturnValue:
    key = f"comment-{comment_id}"
    form = ModerationForm(prefix=key)
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请选择审核结果。", status=422, forms={key: form})
    try:
        moderation.moderate(_actor(), consultation_id, comment_id, form.status.data,
                            public_text=form.public_text.data or "", note=form.note.data or "",
                            group_id=form.group_id(), assign_group=True)
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {key: form}, form)
    return _done(consultation_id, "已审核。", f"comment-{comment_id}")


def _save_group(consultation_id: int, group_id: int | None) -> ResponseReturnValue:
    key = f"group-{group_id if group_id is not None else 'new'}"
    form = GroupForm(prefix=key)
    if not form.validate_on_submit():
        return _case_page(consultation_id, error="请按提示填写。", status=422, forms={key: form})
    try:
        moderation.save_group(_actor(), consultation_id, group_id, summary=form.summary.data,
                              decision=form.decision.data or "", reason=form.reason.data or "")
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {key: form}, form)
    return _done(consultation_id, "意见类别已保存；请在各条意见的审核中归入该类。" if group_id is None
                 else "意见类别已保存。", "groups")


@staff_route(f"/consultations/{CONSULTATION_ID}/groups", roles=STAFF, methods=["POST"])
def consultation_group_new(consultation_id: int) -> ResponseReturnValue:
    return _save_group(consultation_id, None)


@staff_route(f"/consultations/{CONSULTATION_ID}/groups/{ITEM_ID.format(name='group_id')}",
             roles=STAFF, methods=["POST"])
def consultation_group(consultation_id: int, group_id: int) -> ResponseReturnValue:
    return _save_group(consultation_id, group_id)


@staff_route(f"/consultations/{CONSULTATION_ID}/groups/"
             f"{ITEM_ID.format(name='group_id')}/delete", roles=STAFF, methods=["POST"])
def consultation_group_delete(consultation_id: int, group_id: int) -> ResponseReturnValue:
    try:
        moderation.delete_group(_actor(), consultation_id, group_id)
    except (ConflictError, InvalidInputError, ForbiddenError) as refusal:
        return _refused(consultation_id, refusal, {})
    return _done(consultation_id, "已删除该类意见，其中的意见恢复为未归类。", "groups")
