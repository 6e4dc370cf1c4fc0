"""The public request pages: file a request, check its status, answer a 补正, get letters.

The request is committed before the page showing its number is rendered. Query codes travel
only in POST bodies (never in URLs, so never in access logs); a correct number + code grants
this browser session access to that request's letters.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.requests.forms.public import CorrectionForm, RequestForm, StatusForm, WithdrawForm
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.clock import (
    DATA_LABELS,
    Channel,
    EventKind,
    Stage,
    TransitionError,
)
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service import letters as letter_service
from opengov.site.requests.service.notifications import notify_applicant
from opengov.site.requests.views.letters import letter_pdf_response
from opengov.site.throttle import service as rate_limit
from opengov.site.web.csrf import csrf
from opengov.site.web.forms import options
from opengov.site.web.public import bp

GRANTS_KEY = "request_grants"
STATUS_WINDOW = dt.timedelta(minutes=15)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="request-form-start")


def _client() -> str:
    return request.remote_addr or "unknown"


def _agency_choices() -> list[SelectChoice]:
    agencies = get_session().scalars(select(Agency).order_by(Agency.sort_order, Agency.id))
    return options([("", "（请选择）")] + [(str(agency.id), agency.name) for agency in agencies])


def _form() -> RequestForm:
    form = RequestForm()
    form.agency.choices = _agency_choices()
    return form


def _too_fast(form: RequestForm) -> bool:
    try:
        started = _serializer().loads(form.started.data or "", max_age=86400)
    except BadSignature:
        return True
    elapsed = dt.datetime.now(dt.UTC).timestamp() - float(started)
    minimum = float(current_app.config["REQUEST_MIN_FILL_SECONDS"])
    return elapsed < minimum


@bp.route("/requests/new", methods=["GET", "POST"])
def request_new() -> ResponseReturnValue:
    form = _form()
    if request.method == "GET":
        form.started.data = _serializer().dumps(dt.datetime.now(dt.UTC).timestamp())
        # Links from an agency's 指南 preselect it: /requests/new?agency=czj
        code = request.args.get("agency", "")
        chosen = get_session().scalars(select(Agency).where(Agency.code == code)).first()
        if chosen is not None:
            form.agency.data = str(chosen.id)
        return render_template("public/request_form.html", form=form)
    if form.action.data == "edit" or not form.validate():
        return render_template("public/request_form.html", form=form), (
            200 if form.action.data == "edit" else 422)
    if form.website.data or _too_fast(form):
        # A robot, or a person faster than anyone reads: ask again, keep what was typed.
        form.started.data = _serializer().dumps(dt.datetime.now(dt.UTC).timestamp())
        return render_template("public/request_form.html", form=form,
                               form_error="提交过快，请核对填写内容后再次提交。"), 422
    agency = get_session().get(Agency, int(form.agency.data))
    if agency is None:
        abort(400)
    if form.action.data != "submit":
        return render_template("public/request_review.html", form=form, agency=agency)
    return _submit(form, agency)


# The form checks its own CSRF token, so an expired one keeps what was typed instead of
# ending on the global "page expired" error.
csrf.exempt(request_new)


def _submit(form: RequestForm, agency: Agency) -> ResponseReturnValue:
    db = get_session()
    limit = current_app.config["REQUEST_SUBMIT_LIMIT"]
    if rate_limit.exceeded(db, "request_submit", _client(), limit, dt.timedelta(hours=1)):
        return render_template("public/request_review.html", form=form, agency=agency,
                               form_error="同一网络提交的申请过多，请一小时后再提交，"
                                          "或通过信函、当面等方式提出申请。"), 429
    today = request_service.china_today()
    try:
        filed, code = request_service.file_request(
            db, agency, form.application(), Channel.ONLINE, today, confirmed_on=today)
    except request_service.DuplicateRequestError as duplicate:
        db.rollback()
        return render_template("public/request_review.html", form=form, agency=agency,
                               form_error=f"您在24小时内已提交过内容相同的申请（编号 "
                                          f"{duplicate.existing.number}），请勿重复提交；"
                                          "可凭查询码查看办理进度。"), 409
    rate_limit.hit(db, "request_submit", _client())
    db.commit()  # committed before the number is shown: nothing is lost
    _grant(filed)
    notify_applicant(filed, "confirmed")
    return render_template("public/request_done.html", filed=filed, code=code)


def _grant(filed: InfoRequest) -> None:
    grants = list(session.get(GRANTS_KEY, []))
    if filed.id not in grants:
        grants.append(filed.id)
    session[GRANTS_KEY] = grants[-20:]


def _granted(request_id: int) -> bool:
    grants: list[int] = session.get(GRANTS_KEY, [])
    return request_id in grants


@bp.route("/requests/status", methods=["GET", "POST"])
def request_status() -> ResponseReturnValue:
    form = StatusForm()
    if request.method == "GET" and request.args.get("id", "").isdigit():
        # Back from a correction or letter: the session already holds the grant.
        found = get_session().get(InfoRequest, int(request.args["id"]))
        if found is not None and _granted(found.id):
            return _status_page(found)
    if not form.validate_on_submit():
        return render_template("public/request_lookup.html", form=form)
    db = get_session()
    limit = current_app.config["REQUEST_STATUS_LIMIT"]
    if rate_limit.exceeded(db, "request_status", _client(), limit, STATUS_WINDOW):
        return render_template("public/request_lookup.html", form=form,
                               form_error="查询失败次数过多，请15分钟后再试。"), 429
    found = request_service.find_for_applicant(db, form.number.data, form.code.data)
    if found is None:
        rate_limit.hit(db, "request_status", _client())
        db.commit()
        return render_template("public/request_lookup.html", form=form,
                               form_error="申请编号或查询码不正确。"), 404
    _grant(found)
    return _status_page(found)


def _status_page(found: InfoRequest, *, correction_form: CorrectionForm | None = None,
                 withdraw_form: WithdrawForm | None = None, notice: str = "",
                 form_error: str = "") -> str:
    """The applicant's view of the request, with the forms of the steps open to them."""
    state = request_service.state_of(get_session(), found)
    return render_template("public/request_status.html", filed=found, state=state,
                           correction_form=correction_form or CorrectionForm(),
                           withdraw_form=withdraw_form or WithdrawForm(), Stage=Stage,
                           notice=notice, form_error=form_error)


def _granted_request(request_id: int) -> InfoRequest:
    """A request this browser has opened with its query code, else 404."""
    found = get_session().get(InfoRequest, request_id)
    if found is None or not _granted(found.id):
        abort(404)
    return found


@bp.post("/requests/<int:request_id>/correction")
def request_correction(request_id: int) -> ResponseReturnValue:
    db = get_session()
    found = _granted_request(request_id)
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _status_page(found, correction_form=form), 422
    try:
        request_service.record(db, found, EventKind.CORRECTED, request_service.china_today(),
                               {"text": form.text.data})
    except TransitionError as exc:
        db.rollback()
        return _status_page(found, correction_form=form, form_error=str(exc)), 409
    db.commit()
    return _status_page(found, notice="补正内容已提交，答复期限自今日起重新计算。")


@bp.post("/requests/<int:request_id>/withdraw")
def request_withdraw(request_id: int) -> ResponseReturnValue:
    """申请撤回 by the applicant, while the request is still being handled."""
    db = get_session()
    found = _granted_request(request_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _status_page(found, withdraw_form=form, form_error="请勾选确认撤回。"), 409
    try:
        request_service.record(db, found, EventKind.WITHDRAWN, request_service.china_today(),
                               {"reason": "申请人撤回"})
    except TransitionError as exc:
        db.rollback()
        return _status_page(found, withdraw_form=form, form_error=str(exc)), 409
    db.commit()
    return _status_page(found, notice="申请已撤回。")


def _letter(letter_id: int) -> RequestLetter:
    letter = get_session().get(RequestLetter, letter_id)
    if letter is None or not _granted(letter.request_id):
        abort(404)
    return letter


@bp.get("/requests/letters/<int:letter_id>")
def request_letter(letter_id: int) -> str:
    return render_template("public/request_letter.html", letter=_letter(letter_id))


@bp.get("/requests/letters/<int:letter_id>.pdf")
def request_letter_pdf(letter_id: int) -> ResponseReturnValue:
    return letter_pdf_response(_letter(letter_id))


@bp.app_template_filter("request_event_label")
def request_event_label(kind: str) -> str:
    return EventKind(kind).label


@bp.app_template_filter("request_event_details")
def request_event_details(data: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) pairs of an event's details, outcomes by their Table 三 label."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if key not in DATA_LABELS or value in (None, ""):
            continue
        text = Outcome(str(value)).label if key == "outcome" else str(value)
        pairs.append((DATA_LABELS[key], text))
    return pairs


@bp.app_template_filter("chinese_date")
def chinese_date_filter(day: dt.date | None) -> str:
    return letter_service.chinese_date(day)
