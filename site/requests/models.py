"""依申请公开: requests, their append-only event log, reply letters and their serial numbers.

Personal data of applicants (name, ID number and its last characters, phone, email, address,
the addressee of a letter) is stored only encrypted (``*_enc`` columns, see
:mod:`opengov.site.personal_data`; the services decrypt it for the pages that show it);
``id_number_hmac`` is a keyed hash to match one applicant's requests (duplicate detection, the
monthly fee counter) without decrypting. The stage, outcome and due dates are *derived* from the
events by :mod:`opengov.site.requests.rules.clock` and stored here only for querying and sorting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.clock import utcnow
from opengov.site.db import Base


class InfoRequest(Base):
    """One 政府信息公开申请 (条例 Art. 29) addressed to one agency."""

    __tablename__ = "info_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: YSQ-2026-000123, allocated in the submitting transaction.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    # --- applicant (Art. 29(一)) ---
    #: 自然人 / 法人或其他组织
    applicant_kind: Mapped[str] = mapped_column(String(20))
    #: 商业企业 · 科研机构 · 社会公益组织 · 法律服务机构 · 其他 (organisations only)
    org_type: Mapped[str] = mapped_column(String(20), default="")
    #: 姓名或者名称.
    name_enc: Mapped[str] = mapped_column(Text, default="")
    id_type: Mapped[str] = mapped_column(String(30))
    id_number_enc: Mapped[str] = mapped_column(Text, default="")
    id_number_hmac: Mapped[str] = mapped_column(String(64), default="", index=True)
    #: Last characters of the ID number, for masked lists (e.g. ``****1234``): decrypting
    #: these, a list never needs the whole number.
    id_number_tail_enc: Mapped[str] = mapped_column(Text, default="")
    phone_enc: Mapped[str] = mapped_column(Text, default="")
    email_enc: Mapped[str] = mapped_column(Text, default="")
    address_enc: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    # --- the information requested (Art. 29(二)) ---
    doc_title: Mapped[str] = mapped_column(String(200), default="")
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # --- form and way of delivery (Art. 29(三)) ---
    carrier: Mapped[str] = mapped_column(String(20), default="")
    delivery: Mapped[str] = mapped_column(String(20), default="")
    # --- channel and receipt (Art. 31) ---
    channel: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: sha256 of the applicant's query code; the code itself is shown once and never stored.
    query_code_hash: Mapped[str] = mapped_column(String(64))
    #: Keyed hash of applicant + requested information, for duplicate detection.
    fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("info_requests.id"))
    #: The request of another agency on the site that forwarded this one (Art. 36(五)).
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("info_requests.id"))
    # --- derived from the events (recomputed, never edited directly) ---
    stage: Mapped[str] = mapped_column(String(20), index=True)
    receipt_date: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    due_explanation: Mapped[str] = mapped_column(Text, default="")
    correction_notice_due_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))
    replied_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when personal data was erased after the retention period.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.seq", cascade="all, delete-orphan")
    letters: Mapped[list[RequestLetter]] = relationship(
        back_populates="request", order_by="RequestLetter.id", cascade="all, delete-orphan")
    released_files: Mapped[list[ReleasedFile]] = relationship(
        back_populates="request", order_by="ReleasedFile.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<InfoRequest {self.number}>"


class RequestEvent(Base):
    """One step of a request, append-only: corrections are new events, never edits."""

    __tablename__ = "info_request_events"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    #: The legal date of the step (e.g. the day the consultation was sent).
    on: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[InfoRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class RequestLetter(Base):
    """A numbered letter to the applicant (告知书), kept as issued."""

    __tablename__ = "info_request_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), index=True)
    #: e.g. 示例市人民政府依申请公开告知书〔2026〕第12号
    number: Mapped[str] = mapped_column(String(100), unique=True)
    #: reply / correction / extension / fee
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    #: The addressee (主送: the applicant's name), encrypted; the letter opens with it.
    addressee_enc: Mapped[str] = mapped_column(Text, default="")
    #: Paragraphs of the letter as issued after the addressee (plain text, one per line).
    body: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    #: 附件说明: names of the released files that go with the letter, one per line.
    enclosures: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[InfoRequest] = relationship(back_populates="letters")


class RequestSerial(Base):
    """Last serial per scope (``YSQ`` or an agency's letters) and year, bumped atomically."""

    __tablename__ = "info_request_serials"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)




class ReleasedFile(Base):
    """A file of the information released to the applicant (予以公开 / 部分公开), as it
    leaves the agency: redacted where Art. 37 calls for it. The unredacted original is never
    stored; only the released bytes are, under a random name in ``UPLOAD_DIR``."""

    __tablename__ = "info_request_released_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), index=True)
    #: The name the applicant sees and downloads.
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: What redaction did, e.g. "遮盖12处（第1、3页），删除文字86个"; "" when none was needed.
    redaction: Mapped[str] = mapped_column(Text, default="")
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[InfoRequest] = relationship(back_populates="released_files")
    attached_by: Mapped[User | None] = relationship()
    downloads: Mapped[list[ReleaseDownload]] = relationship(
        back_populates="released_file", order_by="ReleaseDownload.id",
        cascade="all, delete-orphan")


class ReleaseDownload(Base):
    """Every time a released file left the site: downloaded by the applicant, sent by
    e-mail, or fetched by staff. Who the applicant is stays in the request; no address here."""

    __tablename__ = "info_request_release_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    released_file_id: Mapped[int] = mapped_column(
        ForeignKey("info_request_released_files.id"), index=True)
    #: applicant (status page) / email / staff
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    released_file: Mapped[ReleasedFile] = relationship(back_populates="downloads")


class SigningPolicy(Base):
    """Whether one person may both decide a request and sign off (签发) its reply letter in
    this agency. By default not: a small office may allow it, and the audit log records who
    changed it when."""

    __tablename__ = "info_request_signing_policies"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    decider_may_sign: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProactiveCandidate(Base):
    """依申请转主动 (条例 Art. 44): information that handlers marked as suitable for 主动公开,
    with the requests that asked for it. Raised for the editors once several applicants asked;
    becomes a draft document of the catalog."""

    __tablename__ = "info_request_proactive_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: The information as the handler names it (e.g. the document's title and 文号).
    subject: Mapped[str] = mapped_column(String(200))
    #: ``subject`` normalised: what makes two marks the same information.
    key: Mapped[str] = mapped_column(String(200), index=True)
    #: open → drafted (a catalog draft exists) / declined
    status: Mapped[str] = mapped_column(String(20), default="open")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    drafted_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    marks: Mapped[list[ProactiveMark]] = relationship(
        back_populates="candidate", order_by="ProactiveMark.id", cascade="all, delete-orphan")


class ProactiveMark(Base):
    """One request marked as asking for a :class:`ProactiveCandidate`'s information."""

    __tablename__ = "info_request_proactive_marks"
    __table_args__ = (UniqueConstraint("candidate_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("info_request_proactive_candidates.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id"), index=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_on: Mapped[dt.date] = mapped_column(Date)

    candidate: Mapped[ProactiveCandidate] = relationship(back_populates="marks")
    request: Mapped[InfoRequest] = relationship()
