"""Staff request handling: queue, entry of paper requests, detail with every step, letters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.requests.forms.staff import ActionForm, EntryForm, TransferForm
from opengov.site.requests.rules.clock import Channel, EventKind, Stage
from opengov.site.requests.rules.fees import fee_for_new_items
from opengov.site.requests.service import staff as casework
from opengov.site.requests.views.letters import letter_pdf_response
from opengov.site.web.forms import options
from opengov.site.web.staff import staff_route

HANDLER = [Role.HANDLER]


@staff_route("/requests", roles=HANDLER)
def request_queue() -> str:
    stage = request.args.get("stage", casework.UNFINISHED)
    listing = casework.queue(current_user.user, stage)
    return render_template("staff/requests/queue.html", rows=listing.rows,
                           colours=listing.colours, reminders=listing.reminders, stage=stage,
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


def _detail(number: str, form: ActionForm, error: str = "",
            status: int = 200) -> ResponseReturnValue:
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
        outcome_label=case.outcome_label, today=case.today)
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
