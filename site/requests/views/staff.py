"""Staff request handling: queue, entry of paper requests, detail with every step, letters,
and the working-day calendar overrides."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.requests.forms.staff import (
    NEEDS_CONFIRMATION,
    ActionForm,
    CalendarForm,
    ConfirmYearForm,
    EntryForm,
    TransferForm,
)
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.clock import (
    Channel,
    EventKind,
    RequestState,
    Stage,
    TransitionError,
    allowed_kinds,
)
from opengov.site.requests.rules.fees import fee_for_new_items
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service import letters as letter_service
from opengov.site.requests.service.notifications import notify_applicant
from opengov.site.requests.views.letters import letter_pdf_response
from opengov.site.search.service import search
from opengov.site.web.forms import options
from opengov.site.web.staff import bp, staff_route
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import check_freshness

HANDLER = [Role.HANDLER]
#: Steps that send the applicant a notice, and the letter they issue.
LETTER_KINDS = {EventKind.CORRECTION_REQUESTED: "correction", EventKind.EXTENDED: "extension",
                EventKind.FEE_NOTICE: "fee", EventKind.SIGNED_OFF: "reply"}
NOTICES = {EventKind.CONFIRMED: "confirmed", EventKind.CORRECTION_REQUESTED:
           "correction_requested", EventKind.EXTENDED: "extended",
           EventKind.REPLIED: "replied"}


def _me() -> User:
    user: User = current_user.user
    return user


def _visible(query: Any) -> Any:
    """Handlers of an agency see its requests only; site-wide staff see all."""
    if _me().agency_id is not None:
        return query.where(InfoRequest.agency_id == _me().agency_id)
    return query


def _get(number: str) -> InfoRequest:
    found: InfoRequest | None = get_session().scalars(
        _visible(select(InfoRequest).where(InfoRequest.number == number))).one_or_none()
    if found is None:
        abort(404)
    return found


@staff_route("/requests", roles=HANDLER)
def request_queue() -> str:
    db = get_session()
    today = request_service.china_today()
    calendar = work_calendar.load_calendar(db)
    query = select(InfoRequest).order_by(InfoRequest.due_on.is_(None),
                                         InfoRequest.due_on, InfoRequest.id)
    stage = request.args.get("stage", "open")
    if stage == "open":
        query = query.where(InfoRequest.stage.in_(
            [Stage.PENDING.value, Stage.REGISTERED.value, Stage.CORRECTION.value,
             Stage.CONSULTING.value, Stage.AWAITING_FEE.value, Stage.DECIDED.value,
             Stage.SIGNED.value]))
    elif stage in {s.value for s in Stage}:
        query = query.where(InfoRequest.stage == stage)
    rows = list(db.scalars(_visible(query).limit(500).options(
        selectinload(InfoRequest.agency), selectinload(InfoRequest.handler))))
    colours = {row.id: request_service.deadline_colour(calendar, today, row.due_on)
               if row.stage not in {s.value for s in (Stage.REPLIED, Stage.ABANDONED,
                                                      Stage.WITHDRAWN, Stage.ARCHIVED)}
               else "none" for row in rows}
    reminders = [reminder for reminder in request_service.reminders(db, today)
                 if _me().agency_id in (None, reminder.request.agency_id)]
    return render_template("staff/requests/queue.html", rows=rows, colours=colours,
                           reminders=reminders, stage=stage, stages=list(Stage),
                           freshness=check_freshness(today, calendar), today=today)


@staff_route("/requests/new", roles=HANDLER, methods=["GET", "POST"])
def request_enter() -> ResponseReturnValue:
    db = get_session()
    form = EntryForm()
    agencies = db.scalars(select(Agency).order_by(Agency.sort_order, Agency.id))
    form.agency.choices = options((str(a.id), a.name) for a in agencies
                                  if _me().agency_id in (None, a.id))
    if request.method == "GET":
        form.received_on.data = request_service.china_today()
    if not form.validate_on_submit():
        return render_template("staff/requests/enter.html", form=form), (
            422 if request.method == "POST" else 200)
    agency = db.get(Agency, int(form.agency.data))
    if agency is None:
        abort(400)
    channel = Channel(form.channel.data)
    confirmed = form.confirmed_on.data if channel.value in NEEDS_CONFIRMATION else None
    filed, code = request_service.file_request(
        db, agency, form.application(), channel, form.received_on.data,
        confirmed_on=confirmed, entered_by=_me(), refuse_duplicates=False)
    db.commit()
    if filed.receipt_date is not None:  # registered: in person, signed for, or confirmed
        notify_applicant(filed, "confirmed")
    return render_template("staff/requests/entered.html", filed=filed, code=code)


@staff_route("/requests/<number>", roles=HANDLER)
def request_detail(number: str) -> ResponseReturnValue:
    return _detail(_get(number), ActionForm())


def _detail(found: InfoRequest, form: ActionForm, error: str = "",
            status: int = 200) -> ResponseReturnValue:
    db = get_session()
    state = request_service.state_of(db, found)
    _handler_choices(form, found)
    personal = (request_service.personal_data(found) if found.anonymised_at is None
                else None)
    transfer_form = TransferForm(prefix="transfer")
    transfer_form.target.choices = options(
        (str(agency.id), agency.name)
        for agency in db.scalars(select(Agency).order_by(Agency.sort_order, Agency.id))
        if agency.id != found.agency_id)
    page: str = render_template(
        "staff/requests/detail.html", filed=found, state=state, form=form,
        transfer_form=transfer_form,
        allowed=allowed_kinds(state), EventKind=EventKind, personal=personal,
        documents=search.search(db, request_service.document_query(found), size=10,
                                log_query=False), error=error,
        month_items=request_service.items_in_month(db, found), fee_for=fee_for_new_items,
        outcome_label=_outcome_label(state), today=request_service.china_today())
    return page, status


def _outcome_label(state: RequestState) -> str:
    return state.outcome.label if state.outcome else ""


def _handler_choices(form: ActionForm, found: InfoRequest) -> None:
    handlers = request_service.handlers_of(get_session(), found.agency)
    form.handler_id.choices = options([("", "（请选择）")] + [(str(u.id), u.display_name)
                                                         for u in handlers])


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _event_data(kind: EventKind, form: ActionForm) -> dict[str, Any]:
    """The event's data from the fields that matter for ``kind``."""
    if kind is EventKind.ASSIGNED:
        user = get_session().get(User, int(form.handler_id.data)) \
            if (form.handler_id.data or "").isdigit() else None
        return {"handler": user.display_name if user else "",
                "handler_id": user.id if user else None}
    fields: dict[EventKind, dict[str, Any]] = {
        EventKind.CORRECTION_REQUESTED: {"deadline": _iso(form.deadline.data),
                                         "matters": form.detail.data},
        EventKind.CORRECTED: {"good_cause": form.good_cause.data or ""},
        EventKind.CONSULTATION_SENT: {"ref": form.ref.data, "party": form.party.data},
        EventKind.CONSULTATION_ANSWERED: {"ref": form.ref.data, "result": form.detail.data},
        EventKind.EXTENDED: {"days": form.days.data or 0, "approver": form.approver.data,
                             "notified_on": _iso(form.notified_on.data),
                             "reason": form.detail.data},
        EventKind.CUSTOM_DEADLINE: {"deadline": _iso(form.deadline.data),
                                    "basis": form.basis.data},
        EventKind.FEE_NOTICE: {"fee_yuan": "" if form.fee_yuan.data is None
                               else str(form.fee_yuan.data),
                               "amount": form.amount.data,
                               "received_on": _iso(form.received_on.data)},
        EventKind.DECIDED: {"outcome": form.outcome.data, "detail": form.detail.data,
                            "other_body": form.other_body.data},
        EventKind.SIGNED_OFF: {"signer": _me().display_name},
        EventKind.REPLIED: {"delivery": form.delivery.data},
    }
    return fields.get(kind, {})


@staff_route("/requests/<number>/act", roles=HANDLER, methods=["POST"])
def request_act(number: str) -> ResponseReturnValue:
    db = get_session()
    found = _get(number)
    form = ActionForm()
    _handler_choices(form, found)
    if not form.validate_on_submit():
        return _detail(found, form, "请按提示修改后再提交。", 422)
    try:
        kind = EventKind(form.kind.data)
    except ValueError:
        abort(400)
    data = _event_data(kind, form)
    try:
        state = request_service.record(db, found, kind, form.on.data, data, actor=_me(),
                                       note=form.note.data or "")
    except TransitionError as exc:
        db.rollback()
        return _detail(_get(number), form, str(exc), 409)
    if kind in LETTER_KINDS:
        _issue_letter(found, kind, form, state)
    try:
        db.commit()
    except IntegrityError:
        # Someone else recorded a step of this request at the same moment (same seq).
        db.rollback()
        return _detail(_get(number), form, "该申请刚被他人办理，请核对后重试。", 409)
    if kind in NOTICES:
        notify_applicant(found, NOTICES[kind])
    flash(f"已登记：{kind.label}。", "info")
    return redirect(url_for("staff.request_detail", number=number))


@staff_route("/requests/<number>/transfer", roles=HANDLER, methods=["POST"])
def request_transfer(number: str) -> ResponseReturnValue:
    db = get_session()
    found = _get(number)
    form = TransferForm(prefix="transfer")
    form.target.choices = options((str(a.id), a.name) for a in db.scalars(select(Agency)))
    if not form.validate_on_submit():
        return _detail(found, ActionForm(), "请选择转送机关和日期。", 422)
    target = db.get(Agency, int(form.target.data))
    assert target is not None
    try:
        forwarded = request_service.transfer(db, found, target, form.on.data, _me())
    except TransitionError as exc:
        db.rollback()
        return _detail(_get(number), ActionForm(), str(exc), 409)
    db.commit()
    flash(f"已转送{target.name}，新申请编号 {forwarded.number}；请签发并送达本机关的答复书。",
          "info")
    return redirect(url_for("staff.request_detail", number=number))


def _issue_letter(found: InfoRequest, kind: EventKind, form: ActionForm,
                  state: RequestState) -> None:
    db = get_session()
    letter_kind = LETTER_KINDS[kind]
    if letter_kind == "reply":
        decision = next(event for event in reversed(found.events)
                        if event.kind == EventKind.DECIDED.value)
        body = letter_service.compose(
            found, "reply", outcome=Outcome(decision.data["outcome"]),
            detail=decision.data.get("detail") or "",
            other_body=decision.data.get("other_body") or "")
    elif letter_kind == "correction":
        body = letter_service.compose(found, "correction", detail=form.detail.data or "",
                                      deadline=state.correction_deadline)
    elif letter_kind == "extension":
        body = letter_service.compose(found, "extension", detail=form.detail.data or "",
                                      deadline=state.due.date if state.due else None)
    else:
        body = letter_service.compose(found, "fee", detail=form.amount.data or "")
    letter_service.issue(db, found, letter_kind, form.on.data, body)


def _staff_letter(letter_id: int) -> RequestLetter:
    letter = get_session().get(RequestLetter, letter_id)
    if letter is None:
        abort(404)
    _get(letter.request.number)  # same visibility as the request
    return letter


@staff_route("/requests/letters/<int:letter_id>", roles=HANDLER)
def request_letter(letter_id: int) -> str:
    return render_template("staff/requests/letter.html", letter=_staff_letter(letter_id))


@staff_route("/requests/letters/<int:letter_id>.pdf", roles=HANDLER)
def request_letter_pdf(letter_id: int) -> ResponseReturnValue:
    return letter_pdf_response(_staff_letter(letter_id))


@staff_route("/calendar", roles=[Role.ADMIN], methods=["GET", "POST"])
def calendar_overrides() -> ResponseReturnValue:
    db = get_session()
    today = request_service.china_today()
    year = request.args.get("year", type=int) or today.year + 1
    form = CalendarForm(prefix="day")
    confirm = ConfirmYearForm(prefix="year")
    if request.method == "GET":
        confirm.year.data = year
    if request.form.get("action") == "set" and form.validate_on_submit():
        work_calendar.set_override(db, form.day.data, form.status.data == "workday",
                                   form.note.data or "", _me().username)
        db.commit()
        flash(f"已保存 {form.day.data.isoformat()}，未办结申请的期限已重新计算。", "info")
        return redirect(url_for("staff.calendar_overrides", year=form.day.data.year))
    if request.form.get("action") == "confirm" and confirm.validate_on_submit():
        work_calendar.confirm_year(db, confirm.year.data, confirm.note.data)
        db.commit()
        flash(f"{confirm.year.data}年工作日历已确认。", "info")
        return redirect(url_for("staff.calendar_overrides", year=confirm.year.data))
    calendar = work_calendar.load_calendar(db)
    return render_template("staff/requests/calendar.html", form=form, confirm=confirm,
                           year=year, rows=work_calendar.overrides_in(db, year),
                           covered=calendar.is_covered(year),
                           freshness=check_freshness(today, calendar))



@bp.context_processor
def calendar_context() -> dict[str, Any]:
    """``calendar_warnings()`` for staff pages (the dashboard shows them): called only by the
    templates that use it, so other pages do not pay for the look-up."""

    def calendar_warnings() -> tuple[str, ...]:
        calendar = work_calendar.load_calendar(get_session())
        return check_freshness(request_service.china_today(), calendar).messages

    return {"calendar_warnings": calendar_warnings}
