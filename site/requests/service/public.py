"""Entry functions of the applicant's pages: file a request, look it up with the query code,
answer a 补正, withdraw, read the letters; and the public statistics.

A request is committed before the page with its number is rendered: a request once confirmed
is never lost. After the query code, a browser holds a *grant* for the request (its id, kept
in the browser's session by the pages); the functions below take the grants and refuse every
request they do not name, with the same answer as for a request that does not exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.requests.models import InfoRequest, ReleasedFile, RequestLetter
from opengov.site.requests.rules import timeline
from opengov.site.requests.rules.clock import Channel, EventKind, RequestState, TransitionError
from opengov.site.requests.rules.statistics import YearFigures
from opengov.site.requests.service import delivery, handling, steps
from opengov.site.requests.service.letters import LetterPdf, letter_pdf
from opengov.site.requests.service.notifications import notify_applicant
from opengov.site.requests.service.statistics import figures
from opengov.site.search.service import search
from opengov.site.throttle import service as throttle

SUBMIT_BUCKET = "request_submit"
SUBMIT_WINDOW = dt.timedelta(hours=1)
STATUS_BUCKET = "request_status"
STATUS_WINDOW = dt.timedelta(minutes=15)

NO_SUCH_REQUEST = "没有这个申请"
#: The same applicant filed the same request a moment ago (its ``existing`` request).
DuplicateRequestError = handling.DuplicateRequestError


@dataclass(frozen=True)
class Filed:
    """A request just filed, with its query code (shown once, stored only hashed)."""

    request: InfoRequest
    code: str


@dataclass(frozen=True)
class ApplicantCase:
    """What the applicant's status page shows: every date agrees with the letters."""

    request: InfoRequest
    state: RequestState

    @property
    def deadline(self) -> timeline.DateLine | None:
        return timeline.reply_deadline_line(self.state)

    @property
    def dates(self) -> list[timeline.DateLine]:
        return timeline.pauses_and_extension(self.state)

    @property
    def released_files(self) -> list[ReleasedFile]:
        """The released files, once the reply went out."""
        if self.request.stage not in delivery.RELEASED_STAGES:
            return []
        return list(self.request.released_files)


def submit_request(agency_id: int, application: handling.Application, *,
                   client: str) -> Filed:
    """File an online request, confirmed at submission (Art. 31(二)), and count it against
    ``client``'s hourly limit in the same unit of work, with the applicant's notice.

    Refusals: :class:`~opengov.site.throttle.service.RateLimitedError`,
    :class:`~.handling.DuplicateRequestError`, :class:`NotFoundError` (no such agency).
    """
    limit = int(current_app.config["REQUEST_SUBMIT_LIMIT"])
    with unit_of_work() as session:
        if throttle.exceeded(session, SUBMIT_BUCKET, client, limit, SUBMIT_WINDOW):
            raise throttle.RateLimitedError("同一网络提交的申请过多，请一小时后再提交，"
                                            "或通过信函、当面等方式提出申请。")
        agency = agencies.get_agency(agency_id)
        today = clock.today()
        filed, code = handling.file_request(session, agency, application, Channel.ONLINE,
                                            today, confirmed_on=today)
        throttle.hit(session, SUBMIT_BUCKET, client)
        steps.queue_filing_notice(session, filed)
    return Filed(filed, code)


#: Documents suggested before filing, and the longest text searched for them.
SUGGESTIONS = 5
SUGGESTION_QUERY_CHARS = 100


def suggestions(doc_title: str = "", doc_number: str = "",
                description: str = "") -> search.SearchOutcome:
    """Published documents matching what the applicant typed, so that information already
    public is found without a request (the 文号 and 名称 first, else the description).
    Not counted among the site's searches: the text may be personal."""
    named = " ".join(part.strip() for part in (doc_number, doc_title) if part.strip())
    query = (named or description.strip())[:SUGGESTION_QUERY_CHARS]
    if len(query) < 2:
        return search.SearchOutcome(query=query)
    return search.related_documents(query, size=SUGGESTIONS)


def look_up(number: str, code: str, *, client: str) -> ApplicantCase:
    """The request when ``number`` and ``code`` match. A wrong pair counts against
    ``client``'s limit and is answered the same whichever of the two was wrong."""
    limit = int(current_app.config["REQUEST_STATUS_LIMIT"])
    if throttle.limited(STATUS_BUCKET, client, limit, STATUS_WINDOW):
        raise throttle.RateLimitedError("查询失败次数过多，请15分钟后再试。")
    found = handling.find_for_applicant(get_session(), number, code)
    if found is None:
        throttle.record_hit(STATUS_BUCKET, client)
        raise NotFoundError("申请编号或查询码不正确。")
    return _case(get_session(), found)


RESEND_BUCKET = "request_code_resend"
RESEND_WINDOW = dt.timedelta(days=1)
#: Said whatever happened, so that the page tells no one whether a number or contact exists.
RESEND_ANSWER = ("如果申请编号与您填写的联系方式和登记的一致，新的查询码已发送至登记的电子邮箱，"
                 "原查询码随即失效。没有登记电子邮箱的，请致电受理机关核实身份后获取新的查询码。")


def _same_contact(typed: str, email: str, phone: str) -> bool:
    typed = typed.strip()
    if "@" in typed:
        return bool(email) and typed.casefold() == email.strip().casefold()
    digits = "".join(char for char in typed if char.isdigit())
    return len(digits) >= 7 and digits == "".join(char for char in phone if char.isdigit())


def resend_code(number: str, contact: str, *, client: str) -> str:
    """Send a new query code to the e-mail on file when ``contact`` (the e-mail or phone
    given in the application) matches request ``number``; returns :data:`RESEND_ANSWER`
    whatever happened. Limited per network and per request."""
    limit = int(current_app.config["REQUEST_STATUS_LIMIT"])
    per_request = int(current_app.config["REQUEST_QUERY_CODE_RESEND_LIMIT"])
    if throttle.limited(STATUS_BUCKET, client, limit, STATUS_WINDOW):
        raise throttle.RateLimitedError("尝试次数过多，请15分钟后再试。")
    with unit_of_work() as session:
        found = handling.find_by_number(session, number)
        personal = (handling.personal_data(found)
                    if found is not None and found.anonymised_at is None else None)
        if (found is None or personal is None
                or not _same_contact(contact, personal.email, personal.phone)):
            throttle.hit(session, STATUS_BUCKET, client)
        elif personal.email and not throttle.exceeded(session, RESEND_BUCKET, found.number,
                                                      per_request, RESEND_WINDOW):
            throttle.hit(session, RESEND_BUCKET, found.number)
            # Queued with the new code's hash: the code goes out only if it is the one kept.
            notify_applicant(session, found, "query_code",
                             code=handling.replace_query_code(session, found))
    return RESEND_ANSWER


def applicant_case(request_id: int, granted: Collection[int]) -> ApplicantCase:
    """The status of a request this browser opened with its query code."""
    session = get_session()
    return _case(session, _granted_request(session, request_id, granted))


def answer_correction(request_id: int, granted: Collection[int], text: str) -> ApplicantCase:
    """The applicant's 补正: the reply period starts again from today (Art. 30)."""
    return _applicant_step(request_id, granted, EventKind.CORRECTED, {"text": text})


def withdraw(request_id: int, granted: Collection[int]) -> ApplicantCase:
    """申请撤回 by the applicant, while the request is still being handled."""
    return _applicant_step(request_id, granted, EventKind.WITHDRAWN, {"reason": "申请人撤回"})


def applicant_letter(letter_id: int, granted: Collection[int]) -> RequestLetter:
    """A letter of a request this browser opened."""
    letter = get_session().get(RequestLetter, letter_id) if 0 < letter_id < 2**31 else None
    if letter is None or letter.request_id not in granted:
        raise NotFoundError("没有这份告知书")
    return letter


def released_download(file_id: int, granted: Collection[int]) -> delivery.ReleasedContent:
    """A released file of a request this browser opened; the download is logged."""
    return delivery.applicant_download(file_id, granted)


def applicant_letter_pdf(letter_id: int, granted: Collection[int]) -> LetterPdf:
    return letter_pdf(applicant_letter(letter_id, granted))


@dataclass(frozen=True)
class StatisticsPage:
    agencies: list[Agency]
    #: The agency chosen, or None for the whole site.
    agency: Agency | None
    years: list[YearFigures]
    #: The year of the per-agency comparison, and each agency's figures in it.
    year: int
    by_agency: list[tuple[Agency, YearFigures]]
    today: dt.date


def statistics_page(agency_code: str = "", year: int | None = None) -> StatisticsPage:
    """Yearly figures of one agency's requests (by code) or of the whole site, with every
    agency's figures of ``year`` (by default the current one) side by side."""
    all_agencies = agencies.all_agencies()
    agency = next((item for item in all_agencies if item.code == agency_code), None)
    if agency_code and agency is None:
        raise NotFoundError("没有这个机关")
    session = get_session()
    today = clock.today()
    shown = year or today.year
    by_agency = []
    for item in ([agency] if agency else all_agencies):
        found = next((figures_of_year for figures_of_year in figures(session, item, today)
                      if figures_of_year.year == shown), YearFigures(shown))
        by_agency.append((item, found))
    return StatisticsPage(all_agencies, agency, figures(session, agency, today), shown,
                          by_agency, today)


def statistics_csv(agency_code: str = "", year: int | None = None) -> str:
    """The figures of :func:`statistics_page` as CSV (UTF-8 with BOM, for spreadsheet
    programs): one row per year, or per agency when ``year`` is given."""
    page = statistics_page(agency_code, year)
    header = ["收到申请（件）", "办结（件）", "答复（件）", "按期答复（件）", "按期答复率",
              "答复用时中位数（工作日，扣除依法不计入的时间）", "逾期未办结（件）"]

    def cells(item: YearFigures) -> list[str]:
        rate = item.on_time_rate
        median = item.median_workdays
        return [str(item.received), str(item.closed), str(item.replied),
                str(item.replied_on_time),
                f"{float(rate) * 100:.1f}%" if rate is not None else "",
                f"{median:.1f}" if median is not None else "", str(item.overdue_open)]

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if year is not None:
        writer.writerow(["机关", "年度", *header])
        for agency, item in page.by_agency:
            writer.writerow([agency.name, str(page.year), *cells(item)])
    else:
        writer.writerow(["机关", "年度", *header])
        name = page.agency.name if page.agency else "全部机关"
        for item in page.years:
            writer.writerow([name, str(item.year), *cells(item)])
    return "\ufeff" + buffer.getvalue()


def _granted_request(session: Session, request_id: int,
                     granted: Collection[int]) -> InfoRequest:
    found = session.get(InfoRequest, request_id) if request_id in granted else None
    if found is None:
        raise NotFoundError(NO_SUCH_REQUEST)
    return found


def _case(session: Session, found: InfoRequest) -> ApplicantCase:
    return ApplicantCase(found, handling.state_of(session, found))


def _applicant_step(request_id: int, granted: Collection[int], kind: EventKind,
                    data: dict[str, str]) -> ApplicantCase:
    try:
        with unit_of_work() as session:
            found = _granted_request(session, request_id, granted)
            recorded = steps.take_step(session, found, kind, clock.today(), data)
    except TransitionError as exc:
        raise ConflictError(str(exc)) from exc
    return ApplicantCase(found, recorded.state)
