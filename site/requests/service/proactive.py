"""依申请转主动 (条例 Art. 44): information that several applicants asked for becomes 主动公开.

Handlers mark a request's information as suitable for 主动公开, naming it; marks with the same
name (normalised) in one agency gather on one candidate. Once enough different applicants asked
(``REQUEST_ART44_APPLICANTS``), the candidate is raised to the editors, who turn it into a draft
document of the catalog (with the released file attached, if one was released) through the
catalog's editorial workflow: review and publication stay the catalog's. The candidate keeps
the links both ways: to the requests and to the document.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.service import attachments, editorial
from opengov.site.catalog.service.columns import category_by_slug
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.requests.models import (
    InfoRequest,
    ProactiveCandidate,
    ProactiveMark,
    ReleasedFile,
)
from opengov.site.requests.service import delivery

#: The column a candidate's draft starts in; the editor may move it.
DRAFT_COLUMN = "other-statutory"
DRAFT_TOPIC = "综合政务\\政务公开"
ART44_SENTENCE = ("本信息因多位申请人依申请公开，依据《中华人民共和国政府信息公开条例》第四十四条"
                  "转为主动公开。")


def subject_key(subject: str) -> str:
    """The name of the information as compared: width and case folded, spaces and
    punctuation dropped (《…》, 〔〕 and 「」 differ in typing, not in meaning)."""
    text = unicodedata.normalize("NFKC", subject).casefold()
    return re.sub(r"[\s\W_]+", "", text)[:200]


def _threshold() -> int:
    return int(current_app.config["REQUEST_ART44_APPLICANTS"])


@dataclass(frozen=True)
class Candidate:
    """A candidate with how many different applicants asked for it."""

    candidate: ProactiveCandidate
    applicants: int
    raised: bool

    @property
    def requests(self) -> list[InfoRequest]:
        return [mark.request for mark in self.candidate.marks]


def _applicants(candidate: ProactiveCandidate) -> int:
    people = {mark.request.id_number_hmac or f"request:{mark.request_id}"
              for mark in candidate.marks}
    return len(people)


def _view(candidate: ProactiveCandidate) -> Candidate:
    count = _applicants(candidate)
    return Candidate(candidate, count, candidate.status == "open" and count >= _threshold())


def mark(actor: User, number: str, subject: str, *, origin: Origin) -> Candidate:
    """Mark request ``number``'s information as suitable for 主动公开 under ``subject``."""
    key = subject_key(subject)
    if not key:
        raise ConflictError("请填写信息名称。")
    with unit_of_work() as session:
        query = select(InfoRequest).where(InfoRequest.number == number)
        if actor.agency_id is not None:
            query = query.where(InfoRequest.agency_id == actor.agency_id)
        found = session.scalars(query).one_or_none()
        if found is None:
            raise NotFoundError("没有这个申请")
        candidate = session.scalars(select(ProactiveCandidate).where(
            ProactiveCandidate.agency_id == found.agency_id, ProactiveCandidate.key == key)
            .order_by(ProactiveCandidate.id.desc()).limit(1)).first()
        if candidate is None:
            candidate = ProactiveCandidate(agency_id=found.agency_id, subject=subject.strip(),
                                           key=key, status="open")
            session.add(candidate)
            session.flush()
        if all(existing.request_id != found.id for existing in candidate.marks):
            candidate.marks.append(ProactiveMark(request=found, marked_by_id=actor.id,
                                                 marked_on=clock.today()))
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="proactive_candidate", object_id=candidate.id,
                     detail=f"申请 {found.number}：标记为适合主动公开（{candidate.subject}）")
        session.flush()
        return _view(candidate)


def candidates_of_request(request_id: int) -> list[ProactiveCandidate]:
    session = get_session()
    return list(session.scalars(select(ProactiveCandidate).join(ProactiveMark).where(
        ProactiveMark.request_id == request_id)))


def _sees(actor: User) -> bool:
    return actor.has_role(Role.EDITOR, Role.HANDLER, Role.REVIEWER)


def candidates(actor: User) -> list[Candidate]:
    """Candidates of the actor's agencies, the raised ones first."""
    if not _sees(actor):
        raise ForbiddenError("没有权限")
    query = select(ProactiveCandidate).options(
        selectinload(ProactiveCandidate.marks).selectinload(ProactiveMark.request),
        selectinload(ProactiveCandidate.agency)).order_by(ProactiveCandidate.id.desc())
    if actor.agency_id is not None:
        query = query.where(ProactiveCandidate.agency_id == actor.agency_id)
    views = [_view(candidate) for candidate in get_session().scalars(query)]
    return sorted(views, key=lambda view: (not view.raised, view.candidate.status != "open",
                                           -view.candidate.id))


def _latest_release(candidate: ProactiveCandidate) -> ReleasedFile | None:
    released = [item for mark in candidate.marks for item in mark.request.released_files
                if mark.request.stage in delivery.RELEASED_STAGES]
    return max(released, key=lambda item: item.id) if released else None


def draft_document(actor: User, candidate_id: int, *, origin: Origin) -> int:
    """Turn a raised candidate into a draft document of the catalog (an editor's act);
    returns the document's id. The latest released file goes with it as its attachment."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("只有撰稿人员可以起草主动公开文件")
    with unit_of_work() as session:
        candidate = session.get(ProactiveCandidate, candidate_id) if 0 < candidate_id < 2**31 \
            else None
        if candidate is None or actor.agency_id not in (None, candidate.agency_id):
            raise NotFoundError("没有这条依申请转主动的线索")
        if candidate.status != "open":
            raise ConflictError("这条线索已经处理过了。")
        category = category_by_slug(session, DRAFT_COLUMN)
        if category is None:
            raise ConflictError(f"栏目“{DRAFT_COLUMN}”不存在，请先运行 opengov init")
        numbers = "、".join(mark.request.number for mark in candidate.marks)
        data = editorial.DocumentData(
            title=candidate.subject, agency_id=candidate.agency_id, category_id=category.id,
            topic=DRAFT_TOPIC, body=ART44_SENTENCE, issuer=candidate.agency.name,
            source=candidate.agency.name,
            deadline_basis=f"依申请转主动公开（条例第四十四条），来源申请：{numbers}")
        document = editorial.create(session, data, actor=actor, origin=origin)
        release = _latest_release(candidate)
        if release is not None:
            attachments.save(session, document, delivery.read_released(release),
                             release.filename, upload_dir=Path(current_app.config["UPLOAD_DIR"]),
                             max_bytes=int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024,
                             actor=actor, origin=origin)
        candidate.status, candidate.document_id = "drafted", document.id
        candidate.drafted_on, candidate.decided_by_id = clock.today(), actor.id
        return document.id


def decline(actor: User, candidate_id: int, note: str, *, origin: Origin) -> None:
    """Decide that a candidate's information stays 依申请 (with the reason)."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("只有撰稿人员可以处理依申请转主动的线索")
    with unit_of_work() as session:
        candidate = session.get(ProactiveCandidate, candidate_id) if 0 < candidate_id < 2**31 \
            else None
        if candidate is None or actor.agency_id not in (None, candidate.agency_id):
            raise NotFoundError("没有这条依申请转主动的线索")
        if candidate.status != "open":
            raise ConflictError("这条线索已经处理过了。")
        candidate.status, candidate.note = "declined", note.strip()
        candidate.decided_by_id = actor.id
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="proactive_candidate", object_id=candidate.id,
                     detail=f"不转为主动公开：{candidate.subject}")


def drafted_in_year(session: Session, agency_id: int, year: int) -> int:
    """How many pieces of information the agency moved to 主动公开 under Art. 44 in ``year``
    (for the annual report's section 一)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    count: int = session.scalar(select(func.count(ProactiveCandidate.id)).where(
        ProactiveCandidate.agency_id == agency_id, ProactiveCandidate.status == "drafted",
        ProactiveCandidate.drafted_on >= start, ProactiveCandidate.drafted_on <= end)) or 0
    return count
