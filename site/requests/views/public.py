"""The public request pages: file a request, check its status, answer a 补正, get letters.

The request is committed before the page showing its number is rendered. Query codes travel
only in POST bodies (never in URLs, so never in access logs); a correct number + code grants
this browser session access to that request's letters.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask import abort, render_template, request, session
from flask.typing import ResponseReturnValue

from opengov.site.agencies import service as agencies
from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.requests.forms.public import (
    CorrectionForm,
    DownloadForm,
    RequestForm,
    ResendCodeForm,
    StatusForm,
    WithdrawForm,
)
from opengov.site.requests.rules.clock import DATA_LABELS, EventKind, Stage
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.service import letters as letter_service
from opengov.site.requests.service import public as applicants
from opengov.site.requests.views.letters import file_response, letter_pdf_response
from opengov.site.throttle import service as throttle
from opengov.site.throttle.service import RateLimitedError
from opengov.site.web.csrf import csrf
from opengov.site.web.forms import options
from opengov.site.web.public import bp

if TYPE_CHECKING:
    from opengov.site.requests.models import RequestLetter

GRANTS_KEY = "request_grants"


def _client() -> str:
    return request.remote_addr or "unknown"


@bp.route("/requests/new", methods=["GET", "POST"])
def request_new() -> ResponseReturnValue:
    choices = agencies.all_agencies()
    form = RequestForm()
    form.agency.choices = options([("", "（请选择）")] + [(str(a.id), a.name) for a in choices])
    if request.method == "GET":
        form.started.data = throttle.form_start_token()
        # Links from an agency's 指南 preselect it: /requests/new?agency=czj
        code = request.args.get("agency", "")
        chosen = next((agency for agency in choices if agency.code == code), None)
        if chosen is not None:
            form.agency.data = str(chosen.id)
        return render_template("public/request_form.html", form=form)
    if form.action.data == "edit" or not form.validate():
        return render_template("public/request_form.html", form=form), (
            200 if form.action.data == "edit" else 422)
    if throttle.sent_by_robot(form.started.data, form.website.data):
        # A robot, or a person faster than anyone reads: ask again, keep what was typed.
        form.started.data = throttle.form_start_token()
        return render_template("public/request_form.html", form=form,
                               form_error="提交过快，请核对填写内容后再次提交。"), 422
    agency = next(agency for agency in choices if str(agency.id) == form.agency.data)
    if form.action.data != "submit":
        # Before filing: what is already published and matches, found without a request.
        found = applicants.suggestions(form.doc_title.data or "", form.doc_number.data or "",
                                       form.description.data or "")
        return render_template("public/request_review.html", form=form, agency=agency,
                               suggestions=found)
    try:
        filed = applicants.submit_request(agency.id, form.application(), client=_client())
    except RateLimitedError as refusal:
        return render_template("public/request_review.html", form=form, agency=agency,
                               form_error=refusal.message), 429
    except applicants.DuplicateRequestError as refusal:  # the same request a moment ago
        # Committed but perhaps never seen (the page of the first submission was lost): offer
        # a new query code to the contact given.
        resend = ResendCodeForm(formdata=None, number=refusal.existing.number,
                                contact=form.email.data or form.phone.data)
        return render_template("public/request_review.html", form=form, agency=agency,
                               form_error=refusal.message, resend_form=resend), 409
    except ConflictError as refusal:
        return render_template("public/request_review.html", form=form, agency=agency,
                               form_error=refusal.message), 409
    _grant(filed.request.id)
    return render_template("public/request_done.html", filed=filed.request, code=filed.code)


# The form checks its own CSRF token, so an expired one keeps what was typed instead of
# ending on the global "page expired" error.
csrf.exempt(request_new)


def _grant(request_id: int) -> None:
    grants = list(session.get(GRANTS_KEY, []))
    if request_id not in grants:
        grants.append(request_id)
    session[GRANTS_KEY] = grants[-20:]


def _grants() -> list[int]:
    grants: list[int] = session.get(GRANTS_KEY, [])
    return grants


@bp.get("/requests/suggestions")
def request_suggestions() -> str:
    """Published documents matching what the applicant is typing (the form's script asks
    as they type); a fragment of HTML, read only."""
    found = applicants.suggestions(request.args.get("title", "")[:200],
                                   request.args.get("number", "")[:100],
                                   request.args.get("description", "")[:400])
    return render_template("public/_request_suggestions.html", suggestions=found)


@bp.route("/requests/code", methods=["GET", "POST"])
def request_code_resend() -> ResponseReturnValue:
    """找回查询码: a new code to the e-mail on file when the number and contact match."""
    form = ResendCodeForm()
    if not form.validate_on_submit():
        return render_template("public/request_code.html", form=form), (
            422 if request.method == "POST" else 200)
    try:
        answer = applicants.resend_code(form.number.data, form.contact.data, client=_client())
    except RateLimitedError as refusal:
        return render_template("public/request_code.html", form=form,
                               form_error=refusal.message), 429
    return render_template("public/request_code.html", form=ResendCodeForm(formdata=None),
                           notice=answer)


@bp.route("/requests/status", methods=["GET", "POST"])
def request_status() -> ResponseReturnValue:
    form = StatusForm()
    if request.method == "GET" and request.args.get("id", "").isdigit():
        # Back from a correction or letter: the session already holds the grant.
        try:
            return _status_page(applicants.applicant_case(int(request.args["id"]), _grants()))
        except NotFoundError:
            pass  # not this browser's: ask for the number and code
    if not form.validate_on_submit():
        return render_template("public/request_lookup.html", form=form)
    try:
        found = applicants.look_up(form.number.data, form.code.data, client=_client())
    except RateLimitedError as refusal:
        return render_template("public/request_lookup.html", form=form,
                               form_error=refusal.message), 429
    except NotFoundError as refusal:
        return render_template("public/request_lookup.html", form=form,
                               form_error=refusal.message), 404
    _grant(found.request.id)
    return _status_page(found)


def _status_page(case: applicants.ApplicantCase, *,
                 correction_form: CorrectionForm | None = None,
                 withdraw_form: WithdrawForm | None = None, notice: str = "",
                 form_error: str = "") -> str:
    """The applicant's view of the request, with the forms of the steps open to them."""
    return render_template("public/request_status.html", filed=case.request, state=case.state,
                           deadline=case.deadline, dates=case.dates,
                           released=case.released_files, download_form=DownloadForm(),
                           correction_form=correction_form or CorrectionForm(),
                           withdraw_form=withdraw_form or WithdrawForm(), Stage=Stage,
                           notice=notice, form_error=form_error)


@bp.post("/requests/<int:request_id>/correction")
def request_correction(request_id: int) -> ResponseReturnValue:
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _status_page(applicants.applicant_case(request_id, _grants()),
                            correction_form=form), 422
    try:
        answered = applicants.answer_correction(request_id, _grants(), form.text.data)
    except ConflictError as refusal:
        return _status_page(applicants.applicant_case(request_id, _grants()),
                            correction_form=form, form_error=refusal.message), 409
    return _status_page(answered, notice="补正内容已提交，答复期限自今日起重新计算。")


@bp.post("/requests/<int:request_id>/withdraw")
def request_withdraw(request_id: int) -> ResponseReturnValue:
    """申请撤回 by the applicant, while the request is still being handled."""
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _status_page(applicants.applicant_case(request_id, _grants()),
                            withdraw_form=form, form_error="请勾选确认撤回。"), 409
    try:
        withdrawn = applicants.withdraw(request_id, _grants())
    except ConflictError as refusal:
        return _status_page(applicants.applicant_case(request_id, _grants()),
                            withdraw_form=form, form_error=refusal.message), 409
    return _status_page(withdrawn, notice="申请已撤回。")


@bp.post("/requests/released/<int:file_id>")
def request_released_download(file_id: int) -> ResponseReturnValue:
    """A released file, to the browser holding the request's grant; logged, hence a POST."""
    form = DownloadForm()
    if not form.validate_on_submit():
        abort(400)
    return file_response(applicants.released_download(file_id, _grants()))


@bp.get("/requests/letters/<int:letter_id>")
def request_letter(letter_id: int) -> str:
    return render_template("public/request_letter.html",
                           letter=applicants.applicant_letter(letter_id, _grants()))


@bp.get("/requests/letters/<int:letter_id>.pdf")
def request_letter_pdf(letter_id: int) -> ResponseReturnValue:
    return letter_pdf_response(applicants.applicant_letter_pdf(letter_id, _grants()))


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


@bp.app_template_filter("letter_paragraphs")
def letter_paragraphs_filter(letter: RequestLetter) -> list[str]:
    """The addressee line, decrypted, then the letter's text as issued."""
    return letter_service.paragraphs(letter)


@bp.app_template_filter("letter_enclosures")
def letter_enclosures_filter(letter: RequestLetter) -> list[str]:
    return letter_service.enclosure_lines(letter)


@bp.app_template_filter("chinese_date")
def chinese_date_filter(day: dt.date | None) -> str:
    return letter_service.chinese_date(day)
