"""Entry functions of the complainant's pages: file a complaint, look it up with the query
code, withdraw it, read the written answer.

As for requests, a correct number + query code grants this browser the complaint (its id, kept
in the browser's session by the pages); the functions below refuse any complaint the grants do
not name with the answer given for one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.complaints.models import Complaint, ComplaintEvent
from opengov.site.complaints.rules import (
    PUBLIC_STEPS,
    Channel,
    ComplaintState,
    Step,
    TransitionError,
)
from opengov.site.complaints.service import filing, notifications
from opengov.site.complaints.service.filing import ComplaintInput
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.throttle import service as throttle

SUBMIT_BUCKET = "complaint_submit"
SUBMIT_WINDOW = dt.timedelta(hours=1)
#: Wrong number/code pairs share the requests' limit setting, in a bucket of their own.
STATUS_BUCKET = "complaint_status"
STATUS_WINDOW = dt.timedelta(minutes=15)
NO_SUCH_COMPLAINT = "没有这件投诉举报"


@dataclass(frozen=True)
class Filed:
    """A complaint just filed, with its query code (shown once, stored only hashed)."""

    complaint: Complaint
    code: str


@dataclass(frozen=True)
class ComplainantCase:
    """What the complainant's status page shows: never who handles it inside."""

    complaint: Complaint
    state: ComplaintState
    history: list[ComplaintEvent]
    office_name: str


def submit_complaint(data: ComplaintInput, *, client: str) -> Filed:
    """File a complaint received on the site today and count it against ``client``'s hourly
    limit in the same unit of work; then tell the complainant and the 主管部门's handlers.

    Refusals: :class:`~opengov.site.throttle.service.RateLimitedError`,
    :class:`NotFoundError` (no such agency), :class:`InvalidInputError`.
    """
    limit = int(current_app.config["COMPLAINT_SUBMIT_LIMIT"])
    with unit_of_work() as session:
        if throttle.exceeded(session, SUBMIT_BUCKET, client, limit, SUBMIT_WINDOW):
            raise throttle.RateLimitedError("同一网络提交的投诉举报过多，请一小时后再提交，"
                                            "或通过信函、电话等方式反映。")
        agency = agencies.get_agency(data.agency_id)
        complaint, code = filing.file_complaint(session, agency, data, Channel.ONLINE,
                                                clock.today())
        throttle.hit(session, SUBMIT_BUCKET, client)
    after_filing(complaint)
    return Filed(complaint, code)


def after_filing(complaint: Complaint) -> None:
    """The notices of a complaint just committed: to the complainant and to the handlers."""
    session = get_session()
    notifications.notify_complainant(session, complaint, "received")
    notifications.notify_staff(notifications.office_handlers(session), complaint,
                               "新的政府信息公开投诉举报")


def look_up(number: str, code: str, *, client: str) -> ComplainantCase:
    """The complaint when ``number`` and ``code`` match. A wrong pair counts against
    ``client``'s limit and is answered the same whichever of the two was wrong."""
    limit = int(current_app.config["REQUEST_STATUS_LIMIT"])
    if throttle.limited(STATUS_BUCKET, client, limit, STATUS_WINDOW):
        raise throttle.RateLimitedError("查询失败次数过多，请15分钟后再试。")
    found = filing.find_for_complainant(get_session(), number, code)
    if found is None:
        throttle.record_hit(STATUS_BUCKET, client)
        raise NotFoundError("投诉举报编号或查询码不正确。")
    return _case(get_session(), found)


def complainant_case(complaint_id: int, granted: Collection[int]) -> ComplainantCase:
    """The status of a complaint this browser opened with its query code."""
    session = get_session()
    return _case(session, _granted(session, complaint_id, granted))


def withdraw(complaint_id: int, granted: Collection[int]) -> ComplainantCase:
    """The complainant withdraws a complaint not yet answered."""
    try:
        with unit_of_work() as session:
            complaint = _granted(session, complaint_id, granted)
            filing.record(session, complaint, Step.WITHDRAWN, clock.today())
    except TransitionError as exc:
        raise ConflictError(str(exc)) from exc
    return complainant_case(complaint_id, granted)


def _granted(session: Session, complaint_id: int, granted: Collection[int]) -> Complaint:
    found = session.get(Complaint, complaint_id) if complaint_id in granted else None
    if found is None:
        raise NotFoundError(NO_SUCH_COMPLAINT)
    return found


def _case(session: Session, complaint: Complaint) -> ComplainantCase:
    history = [event for event in complaint.events if Step(event.kind) in PUBLIC_STEPS]
    competent = filing.office(session)
    return ComplainantCase(complaint, filing.state_of(session, complaint), history,
                           competent.name if competent else "")
