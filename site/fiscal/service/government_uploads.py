"""The staff upload of the government's 预算, 预算调整, 预算执行情况 or 决算: upload, preview,
confirm, as for the department tables.

The finance department publishes the government's reports (预算法 Art. 14 ¶1): its editors
(FINANCE_AGENCY), the government's own editors and administrators may upload them. The file and
the form values wait under a random token bound to the person who uploaded them; confirming
parses the very same bytes that were previewed and saves the report, its catalog document and
the original files in one unit of work, with an entry in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.service import attachments
from opengov.site.catalog.service.attachments import clean_name
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, NotFoundError
from opengov.site.fiscal.models import GovernmentReport
from opengov.site.fiscal.rules.government import ReportData, ReportStage
from opengov.site.fiscal.service.disclosures import CONTENT_TYPES, attach_to_document
from opengov.site.fiscal.service.government import (
    build_tables,
    government,
    publisher,
    reports,
    save_report,
    title_of,
)
from opengov.site.fiscal.service.government_import import ReportImport, read_report
from opengov.site.fiscal.service.government_tables import YearReports, report_tables
from opengov.site.fiscal.service.tables import TableData
from opengov.site.fiscal.service.uploads import pending_store

_REFUSED = "只有财政部门、本级政府的编辑或管理员可以发布政府预决算"


def _government(session: Session) -> Agency:
    agency = government(session)
    if agency is None:
        raise NotFoundError("本站未设置本级政府（ROOT_AGENCY），无法发布政府预决算")
    return agency


def may_publish(actor: User) -> bool:
    """Whether ``actor`` may publish the government's reports."""
    if actor.has_role(Role.ADMIN):
        return True
    if not actor.has_role(Role.EDITOR):
        return False
    session = get_session()
    agency = government(session)
    if agency is None:
        return False
    allowed = {agency.id, publisher(session, agency).id}
    # An editor attached to no agency edits for the whole site.
    return actor.agency_id is None or actor.agency_id in allowed


def _require(actor: User) -> None:
    if not may_publish(actor):
        raise ForbiddenError(_REFUSED)


@dataclass
class PendingReport:
    user_id: int
    year: int
    stage: str
    sequence: int
    approved_by: str
    approved_on: str
    published_on: str
    narrative: str
    filename: str
    table_slug: str | None = None
    #: The report as published in print (PDF, Word …), kept beside the data; optional.
    document_name: str | None = None

    def data(self) -> ReportData:
        return ReportData(year=self.year, stage=ReportStage(self.stage), sequence=self.sequence,
                          approved_by=self.approved_by,
                          approved_on=dt.date.fromisoformat(self.approved_on),
                          published_on=dt.date.fromisoformat(self.published_on),
                          narrative=self.narrative)


@dataclass
class StaffReports:
    """The government's reports as the staff list shows them."""

    reports: list[GovernmentReport]
    may_publish: bool
    place: str = ""


def staff_reports(actor: User) -> StaffReports:
    """Every report of the government (public or not), newest year first."""
    session = get_session()
    agency = government(session)
    if agency is None:
        return StaffReports([], False)
    return StaffReports(reports(session, agency), may_publish(actor),
                        agency.name.removesuffix("人民政府"))


def start_report_upload(*, actor: User, year: int, stage: ReportStage, sequence: int,
                        approved_by: str, approved_on: dt.date, published_on: dt.date,
                        narrative: str, table_slug: str | None, filename: str, content: bytes,
                        document_name: str | None = None,
                        document: bytes | None = None) -> str:
    """Keep an upload for its preview; returns the token of the preview page. An original
    report file that is not an accepted document type is refused at once
    (:class:`~opengov.site.catalog.service.attachments.UploadError`)."""
    _require(actor)
    files = {"data": content}
    if document_name and document:
        _, document_name = attachments.check(document, document_name,
                                             current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
        files["document"] = document
    else:
        document_name = None
    pending = PendingReport(
        user_id=actor.id, year=year, stage=stage.value,
        sequence=sequence if stage is ReportStage.ADJUSTMENT else 1,
        approved_by=approved_by.strip(), approved_on=approved_on.isoformat(),
        published_on=published_on.isoformat(), narrative=narrative,
        filename=clean_name(filename), table_slug=table_slug, document_name=document_name)
    return pending_store().save(pending, files)


@dataclass
class ReportPreview:
    """An upload read and checked, as the preview page shows it."""

    token: str
    pending: PendingReport
    title: str
    result: ReportImport
    #: The tables as the public page will show them, compared with the public reports
    #: (none while there are problems).
    tables: list[TableData]
    warnings: list[str] = field(default_factory=list)
    #: Whether a report of that year and stage exists already (confirming replaces it).
    replaces: bool = False
    #: The report, once confirmed and saved.
    saved: GovernmentReport | None = None


def _read(token: str, actor: User) -> tuple[ReportPreview, dict[str, bytes]]:
    loaded = pending_store().load(token, actor.id, PendingReport)
    if loaded is None:
        raise NotFoundError("没有这份待确认的上传（可能已确认或已放弃）")
    # Checked again: the uploader may have lost the right since.
    _require(actor)
    pending, files = loaded
    session = get_session()
    agency = _government(session)
    result = read_report(pending.filename, files["data"], pending.data(), pending.table_slug)
    preview_report = GovernmentReport(agency=agency, year=pending.year,
                                      stage=ReportStage(pending.stage),
                                      sequence=pending.sequence)
    existing = [report for report in reports(session, agency, years=(pending.year,))
                if report.key == preview_report.key]
    tables: list[TableData] = []
    if not result.problems:
        preview_report.tables.extend(build_tables(result.data))
        public = [report for report in reports(session, agency, today=clock.today(),
                                               years=(pending.year, pending.year - 1),
                                               with_tables=True)
                  if not (report.year == pending.year and report.key == preview_report.key)]
        tables = report_tables(preview_report, YearReports.of(pending.year,
                                                              [*public, preview_report]))
    preview = ReportPreview(token, pending, title_of(preview_report), result, tables,
                            result.warnings, bool(existing))
    return preview, files


def report_preview(token: str, *, actor: User) -> ReportPreview:
    """The upload of ``token`` read and checked; :class:`NotFoundError` when it is not
    ``actor``'s (or no longer waiting)."""
    preview, _ = _read(token, actor)
    return preview


def confirm_report(token: str, *, actor: User, origin: Origin) -> ReportPreview:
    """Save and publish a previewed upload with its original files, then forget the upload.
    An upload with problems is not saved: the preview comes back with ``saved`` None."""
    preview, files = _read(token, actor)
    if preview.result.problems:
        return preview
    pending = preview.pending
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    with unit_of_work() as session:
        report = save_report(session, _government(session), preview.result.data)
        assert report.document is not None, "a report with a publication date has a document"
        suffix = Path(pending.filename).suffix.lower()
        attach_to_document(session, report.document, upload_dir, pending.filename,
                           files["data"], CONTENT_TYPES.get(suffix, "application/octet-stream"))
        if pending.document_name and "document" in files:
            kind, name = attachments.check(files["document"], pending.document_name,
                                           current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
            attach_to_document(session, report.document, upload_dir, name, files["document"],
                               kind.content_type)
        audit.record(session, AuditAction.UPLOAD, actor=actor, origin=origin,
                     object_type="government_report", object_id=report.id,
                     detail=f"发布{title_of(report)}（{pending.filename}）")
        preview.saved = report
        preview.title = title_of(report)
    # Only once the report is committed: a failed save leaves the upload to retry.
    pending_store().discard(token)
    return preview

