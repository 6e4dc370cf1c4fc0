"""找错: a reader's report becomes a task for staff with a due date (ERROR_REPORT_WORKDAYS
working days); staff of the agency whose page it is see it, site-wide staff see them all.

The reader's contact details are personal data: encrypted at rest, shown only on the task's
staff page, never logged or audited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.service.public import get_public_document
from opengov.site.db import get_session, unit_of_work
from opengov.site.error_reports.models import ErrorReport
from opengov.site.error_reports.rules import DESCRIPTION_MAX, Problem, Status
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.personal_data import get_cipher
from opengov.site.throttle import service as throttle
from opengov.site.throttle.service import RateLimitedError
from opengov.site.workdays.service import load_calendar

THROTTLE_BUCKET = "error-report"
THROTTLE_WINDOW = dt.timedelta(hours=1)

_DOCUMENT_PAGE = re.compile(r"^/documents/(\d{1,9})(?:/|$)")
_AGENCY_PAGE = re.compile(r"^/(?:agencies|fiscal)/([a-z0-9-]{1,40})(?:/|$)")


def _agency_of(page: str) -> int | None:
    """The agency a page belongs to (a document's, or an agency's own pages), if any."""
    path = page.split("?", 1)[0]
    match = _DOCUMENT_PAGE.match(path)
    if match:
        document = get_public_document(get_session(), int(match[1]))
        return document.agency_id if document is not None else None
    match = _AGENCY_PAGE.match(path)
    if match:
        agency = agencies.find_agency(match[1])
        return agency.id if agency is not None else None
    return None


@dataclass(frozen=True)
class FiledReport:
    number: int
    due_on: dt.date


def submit_report(page: str, problem: Problem, description: str, contact: str, *,
                  client: str) -> FiledReport:
    """File a reader's report about ``page`` (a path of this site, checked by the form);
    :class:`RateLimitedError` when ``client`` sent ERROR_REPORT_LIMIT reports this hour."""
    description = description.strip()
    if not description or len(description) > DESCRIPTION_MAX:
        raise InvalidInputError("请描述发现的问题。")
    limit = int(current_app.config["ERROR_REPORT_LIMIT"])
    agency_id = _agency_of(page)
    with unit_of_work() as session:
        if throttle.exceeded(session, THROTTLE_BUCKET, client, limit, THROTTLE_WINDOW):
            raise RateLimitedError("提交过于频繁，请一小时后再试。")
        throttle.hit(session, THROTTLE_BUCKET, client)
        calendar = load_calendar(session)
        due = calendar.add_workdays(clock.today(),
                                    int(current_app.config["ERROR_REPORT_WORKDAYS"]))
        report = ErrorReport(page=page[:500], problem=problem, description=description,
                             contact_encrypted=get_cipher().encrypt(contact.strip()[:100]),
                             agency_id=agency_id, due_on=due, status=Status.OPEN)
        session.add(report)
        session.flush()
        return FiledReport(report.id, due)


# --- staff ------------------------------------------------------------------------------------

def _require_staff(actor: User) -> None:
    if not actor.has_role(Role.EDITOR, Role.REVIEWER, Role.ADMIN):
        raise ForbiddenError("您没有处理找错的权限。")


def _sees_every_agency(actor: User) -> bool:
    return actor.agency_id is None or Role.ADMIN in actor.roles


@dataclass(frozen=True)
class Task:
    report: ErrorReport
    overdue: bool


@dataclass(frozen=True)
class TaskQueue:
    tasks: list[Task]
    status: Status | None
    counts: dict[str, int]


def task_queue(actor: User, status: Status | None = Status.OPEN) -> TaskQueue:
    """Reports in ``actor``'s scope, due first (those of an agency go to its staff; those of
    no agency to site-wide staff)."""
    _require_staff(actor)
    session = get_session()
    scope = [] if _sees_every_agency(actor) else [ErrorReport.agency_id == actor.agency_id]
    statement = select(ErrorReport).where(*scope).order_by(ErrorReport.due_on, ErrorReport.id)
    if status is not None:
        statement = statement.where(ErrorReport.status == status)
    today = clock.today()
    tasks = [Task(report, report.status == Status.OPEN and report.due_on < today)
             for report in session.scalars(statement.limit(500))]
    counts = {str(key): value for key, value in session.execute(
        select(ErrorReport.status, func.count()).where(*scope)
        .group_by(ErrorReport.status))}
    return TaskQueue(tasks, status, counts)


def _scoped(actor: User, report_id: int) -> ErrorReport:
    _require_staff(actor)
    report = get_session().get(ErrorReport, report_id) if 0 < report_id < 2**31 else None
    if report is None or not (_sees_every_agency(actor) or report.agency_id == actor.agency_id):
        raise NotFoundError("没有这条找错记录。")
    return report


@dataclass(frozen=True)
class TaskDetail:
    report: ErrorReport
    #: The reader's contact, decrypted for the person who answers.
    contact: str
    overdue: bool


def task_detail(actor: User, report_id: int) -> TaskDetail:
    report = _scoped(actor, report_id)
    return TaskDetail(report, get_cipher().decrypt(report.contact_encrypted),
                      report.status == Status.OPEN and report.due_on < clock.today())


def resolve(actor: User, report_id: int, status: Status, resolution: str, *,
            origin: Origin) -> None:
    """Close a task: 已处理 (what was corrected) or 不予处理 (why not)."""
    if status == Status.OPEN:
        raise InvalidInputError("请选择处理结果。")
    if not resolution.strip():
        raise InvalidInputError("请填写处理说明。")
    _scoped(actor, report_id)
    with unit_of_work() as session:
        report = session.get(ErrorReport, report_id, populate_existing=True)
        assert report is not None
        if report.status != Status.OPEN:
            raise ConflictError("这条找错已经处理过了。")
        report.status = status
        report.resolution = resolution.strip()[:2000]
        report.resolved_at = clock.utcnow()
        report.resolved_by_id = actor.id
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="error_report", object_id=report.id,
                     detail=f"找错 #{report.id}：{status.value}")
