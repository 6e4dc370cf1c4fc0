"""Staff pages of complaints: the queue with its warnings, entry of complaints received on
paper or by phone, the case page with every step, and the requests a complaint concerns."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.complaints.forms import EntryForm, LinkForm, StepForm
from opengov.site.complaints.rules import Channel, Finding, Stage, Step
from opengov.site.complaints.service import staff as casework
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError
from opengov.site.web.forms import options
from opengov.site.web.staff import staff_route

HANDLER = [Role.HANDLER]


@staff_route("/complaints", roles=HANDLER)
def complaint_queue() -> str:
    stage = request.args.get("stage", casework.UNFINISHED)[:20]
    listing = casework.queue(current_user.user, stage)
    return render_template("staff/complaints/queue.html", listing=listing, stage=stage,
                           stages=list(Stage))


@staff_route("/complaints/new", roles=HANDLER, methods=["GET", "POST"])
def complaint_enter() -> ResponseReturnValue:
    form = EntryForm()
    form.agency.choices = options([("", "（请选择）")] + [(str(a.id), a.name)
                                                     for a in agencies.all_agencies()])
    if request.method == "GET":
        form.received_on.data = clock.today()
    if not form.validate_on_submit():
        return render_template("staff/complaints/enter.html", form=form), (
            422 if request.method == "POST" else 200)
    try:
        filed = casework.enter_complaint(current_user.user, form.complaint_input(),
                                         Channel(form.channel.data), form.received_on.data)
    except InvalidInputError as refusal:
        return render_template("staff/complaints/enter.html", form=form,
                               error=refusal.message), 422
    return render_template("staff/complaints/entered.html", complaint=filed.complaint,
                           code=filed.code)


@staff_route("/complaints/<number>", roles=HANDLER)
def complaint_detail(number: str) -> ResponseReturnValue:
    return _detail(number, StepForm(), LinkForm(prefix="link"))


def _detail(number: str, form: StepForm, link_form: LinkForm, error: str = "",
            status: int = 200) -> ResponseReturnValue:
    case = casework.case(current_user.user, number)
    form.handler_id.choices = options([("", "（请选择）")] + [(str(u.id), u.display_name)
                                                         for u in case.handlers])
    if form.on.data is None:
        form.on.data = case.today
    page = render_template("staff/complaints/detail.html", case=case, complaint=case.complaint,
                           state=case.state, form=form, link_form=link_form, Step=Step,
                           findings=list(Finding), error=error)
    return page, status


@staff_route("/complaints/<number>/act", roles=HANDLER, methods=["POST"])
def complaint_act(number: str) -> ResponseReturnValue:
    form = StepForm()
    if not form.validate_on_submit():
        return _detail(number, form, LinkForm(prefix="link"), "请按提示修改后再提交。", 422)
    try:
        step = Step(form.step.data)
    except ValueError:
        abort(400)
    try:
        casework.record_step(current_user.user, number, step, form.on.data, form.step_data())
    except InvalidInputError as refusal:
        return _detail(number, form, LinkForm(prefix="link"), refusal.message, 422)
    except ForbiddenError as refusal:
        return _detail(number, form, LinkForm(prefix="link"), refusal.message, 403)
    except ConflictError as refusal:
        return _detail(number, form, LinkForm(prefix="link"), refusal.message, 409)
    flash(f"已登记：{step.label}。", "info")
    return redirect(url_for("staff.complaint_detail", number=number))


@staff_route("/complaints/<number>/requests", roles=HANDLER, methods=["POST"])
def complaint_link(number: str) -> ResponseReturnValue:
    form = LinkForm(prefix="link")
    if not form.validate_on_submit():
        return _detail(number, StepForm(), form, "请填写正确的申请编号。", 422)
    try:
        linked = casework.link_request(current_user.user, number, form.request_number.data)
    except InvalidInputError as refusal:
        return _detail(number, StepForm(), form, refusal.message, 422)
    flash(f"已关联申请 {linked.number}。", "info")
    return redirect(url_for("staff.complaint_detail", number=number))


@staff_route("/complaints/<number>/requests/<int(max=2147483647):request_id>/unlink",
             roles=HANDLER, methods=["POST"])
def complaint_unlink(number: str, request_id: int) -> ResponseReturnValue:
    casework.unlink_request(current_user.user, number, request_id)
    flash("已取消关联。", "info")
    return redirect(url_for("staff.complaint_detail", number=number))
