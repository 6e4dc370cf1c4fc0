"""The complainant's pages: file a complaint, look it up with the number and query code, read
the written answer, withdraw it.

The complaint is committed before the page with its number is rendered. Query codes travel
only in POST bodies (never in URLs, so never in access logs); a correct number + code grants
this browser session that complaint.
"""

from __future__ import annotations

from flask import render_template, request, session
from flask.typing import ResponseReturnValue

from opengov.site.agencies import service as agencies
from opengov.site.complaints.forms import ComplaintForm, StatusForm, WithdrawForm
from opengov.site.complaints.rules import Stage, Step
from opengov.site.complaints.service import public as complainants
from opengov.site.exceptions import ConflictError, InvalidInputError, NotFoundError
from opengov.site.throttle import service as throttle
from opengov.site.throttle.service import RateLimitedError
from opengov.site.web.csrf import csrf
from opengov.site.web.forms import options
from opengov.site.web.public import bp

GRANTS_KEY = "complaint_grants"
COMPLAINT_ID = "<int(max=2147483647):complaint_id>"


def _client() -> str:
    return request.remote_addr or "unknown"


def _form_page(form: ComplaintForm, form_error: str = "") -> str:
    return render_template("public/complaint_form.html", form=form, form_error=form_error)


@bp.route("/complaints/new", methods=["GET", "POST"])
def complaint_new() -> ResponseReturnValue:
    form = ComplaintForm()
    form.agency.choices = options([("", "（请选择）")] + [(str(a.id), a.name)
                                                     for a in agencies.all_agencies()])
    if request.method == "GET":
        form.started.data = throttle.form_start_token()
        chosen = agencies.find_agency(request.args.get("agency", ""))
        if chosen is not None:
            form.agency.data = str(chosen.id)
        number = request.args.get("request", "")
        if number.isascii() and len(number) <= 20:
            form.request_numbers.data = number
        return _form_page(form)
    if not form.validate():
        return _form_page(form), 422
    if throttle.sent_by_robot(form.started.data, form.website.data):
        # A robot, or a person faster than anyone reads: ask again, keep what was typed.
        form.started.data = throttle.form_start_token()
        return _form_page(form, "提交过快，请核对填写内容后再次提交。"), 422
    try:
        filed = complainants.submit_complaint(form.complaint_input(), client=_client())
    except RateLimitedError as refusal:
        return _form_page(form, refusal.message), 429
    except (InvalidInputError, NotFoundError) as refusal:
        return _form_page(form, refusal.message), 422
    _grant(filed.complaint.id)
    return render_template("public/complaint_done.html", complaint=filed.complaint,
                           code=filed.code)


# The form checks its own CSRF token, so an expired one keeps what was typed instead of
# ending on the global "page expired" error.
csrf.exempt(complaint_new)


def _grant(complaint_id: int) -> None:
    grants = list(session.get(GRANTS_KEY, []))
    if complaint_id not in grants:
        grants.append(complaint_id)
    session[GRANTS_KEY] = grants[-20:]


def _grants() -> list[int]:
    grants: list[int] = session.get(GRANTS_KEY, [])
    return grants


@bp.route("/complaints/status", methods=["GET", "POST"])
def complaint_status() -> ResponseReturnValue:
    form = StatusForm()
    if request.method == "GET" and request.args.get("id", "").isdigit():
        try:  # back from a withdrawal: the session already holds the grant
            return _status_page(complainants.complainant_case(int(request.args["id"]),
                                                              _grants()))
        except NotFoundError:
            pass
    if not form.validate_on_submit():
        return render_template("public/complaint_lookup.html", form=form)
    try:
        found = complainants.look_up(form.number.data, form.code.data, client=_client())
    except RateLimitedError as refusal:
        return render_template("public/complaint_lookup.html", form=form,
                               form_error=refusal.message), 429
    except NotFoundError as refusal:
        return render_template("public/complaint_lookup.html", form=form,
                               form_error=refusal.message), 404
    _grant(found.complaint.id)
    return _status_page(found)


def _status_page(case: complainants.ComplainantCase, *, withdraw_form: WithdrawForm | None = None,
                 notice: str = "", form_error: str = "") -> str:
    return render_template("public/complaint_status.html", case=case, complaint=case.complaint,
                           state=case.state, withdraw_form=withdraw_form or WithdrawForm(),
                           Step=Step, Stage=Stage, notice=notice, form_error=form_error)


@bp.post(f"/complaints/{COMPLAINT_ID}/withdraw")
def complaint_withdraw(complaint_id: int) -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _status_page(complainants.complainant_case(complaint_id, _grants()),
                            withdraw_form=form, form_error="请勾选确认撤回。"), 422
    try:
        withdrawn = complainants.withdraw(complaint_id, _grants())
    except ConflictError as refusal:
        return _status_page(complainants.complainant_case(complaint_id, _grants()),
                            withdraw_form=form, form_error=refusal.message), 409
    return _status_page(withdrawn, notice="投诉举报已撤回。")


@bp.app_template_filter("complaint_step_label")
def complaint_step_label(kind: str) -> str:
    return Step(kind).label
