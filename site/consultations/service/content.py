"""``opengov import-consultations [DIR]``: the consultations of ``content/consultations/*.yaml``
(demo content, 示例) into the database, idempotently.

A file is one consultation with its comments, groups and published feedback. It is keyed by
its file name: a second import updates the texts of a consultation already imported and leaves
its dates, comments and feedback alone. ``opens_on: import`` starts the period on the day of
the first import (with ``period_days``), so the demo always has one consultation open.
All or nothing: every file is read and checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.consultations.models import Consultation, ConsultationComment, FeedbackGroup
from opengov.site.consultations.rules import (
    KINDS_BY_CODE,
    Channel,
    CommentStatus,
    Decision,
)
from opengov.site.consultations.service import documents
from opengov.site.db import unit_of_work

#: Text fields of a file copied onto the consultation (and updated on a re-import).
TEXT_FIELDS = ("title", "summary", "draft_text", "explanation", "legal_basis",
               "how_to_comment", "contact", "shortened_reason")


class ConsultationContentError(ValueError):
    """The files cannot be imported; every problem is listed, nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _date(raw: Any, name: str, where: str, problems: list[str]) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        problems.append(f"{where}：{name} 应为 YYYY-MM-DD，收到 {raw!r}")
        return None


def _read(path: Path, problems: list[str]) -> dict[str, Any] | None:
    where = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{where}：无法读取（{exc}）")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}：应为一个 YAML 映射")
        return None
    for name in ("agency", "kind", "title", "draft_text", "explanation", "contact",
                 "opens_on"):
        if not raw.get(name):
            problems.append(f"{where}：缺少 {name}")
    if raw.get("kind") and raw["kind"] not in KINDS_BY_CODE:
        problems.append(f"{where}：未知的 kind {raw['kind']!r}")
    groups = raw.get("groups") or []
    for number, group in enumerate(groups, start=1):
        if group.get("decision") not in {decision.value for decision in Decision}:
            problems.append(f"{where}：第{number}类意见的 decision 应为采纳、部分采纳或未采纳")
    for number, comment in enumerate(raw.get("comments") or [], start=1):
        if comment.get("status") not in {status.value for status in CommentStatus}:
            problems.append(f"{where}：第{number}条意见的 status 无效")
        if comment.get("group") and not 1 <= int(comment["group"]) <= len(groups):
            problems.append(f"{where}：第{number}条意见的 group 不存在")
        if comment.get("channel", Channel.WEBSITE.value) not in {c.value for c in Channel}:
            problems.append(f"{where}：第{number}条意见的 channel 无效")
    return raw


def _dates(raw: dict[str, Any], where: str, today: dt.date,
           problems: list[str]) -> tuple[dt.date, dt.date] | None:
    if raw.get("opens_on") == "import":
        days = raw.get("period_days")
        if not isinstance(days, int) or days < 1:
            problems.append(f"{where}：opens_on: import 需要 period_days（正整数）")
            return None
        return today, today + dt.timedelta(days=days)
    opens = _date(raw.get("opens_on"), "opens_on", where, problems)
    closes = _date(raw.get("closes_on"), "closes_on", where, problems)
    if opens is None or closes is None:
        return None
    if closes <= opens:
        problems.append(f"{where}：closes_on 应晚于 opens_on")
        return None
    return opens, closes


def import_consultations(session: Session, directory: Path) -> ImportReport:
    """Import every ``*.yaml`` of ``directory`` in the caller's transaction."""
    problems: list[str] = []
    files = sorted(directory.glob("*.yaml"))
    agencies = {agency.code: agency for agency in session.scalars(select(Agency))}
    today = clock.today()
    parsed: list[tuple[str, dict[str, Any], tuple[dt.date, dt.date] | None]] = []
    for path in files:
        raw = _read(path, problems)
        if raw is None:
            continue
        if raw.get("agency") not in agencies:
            problems.append(f"{path.name}：机关 {raw.get('agency')!r} 不存在（请先导入 content/）")
        parsed.append((path.stem, raw, _dates(raw, path.name, today, problems)))
    if problems:
        raise ConsultationContentError(problems)
    report = ImportReport()
    for key, raw, dates in parsed:
        assert dates is not None
        existing = session.scalars(select(Consultation).where(
            Consultation.content_key == key)).one_or_none()
        if existing is None:
            _create(session, key, raw, agencies[raw["agency"]], dates)
            report.created.append(key)
            continue
        changed = False
        for name in TEXT_FIELDS:
            value = str(raw.get(name) or "").strip()
            if getattr(existing, name) != value:
                setattr(existing, name, value)
                changed = True
        session.flush()
        if documents.refresh_imported(session, existing) or changed:
            report.updated.append(key)
        else:
            report.unchanged.append(key)
    return report


def _create(session: Session, key: str, raw: dict[str, Any], agency: Agency,
            dates: tuple[dt.date, dt.date]) -> Consultation:
    consultation = Consultation(
        content_key=key, agency=agency, kind=raw["kind"], opens_on=dates[0],
        closes_on=dates[1], publishes_comments=bool(raw.get("publishes_comments", True)),
        is_example=True,
        **{name: str(raw.get(name) or "").strip() for name in TEXT_FIELDS})
    session.add(consultation)
    session.flush()
    groups = []
    for position, item in enumerate(raw.get("groups") or [], start=1):
        group = FeedbackGroup(consultation=consultation, position=position,
                              summary=str(item["summary"]).strip(),
                              decision=str(item["decision"]),
                              reason=str(item.get("reason") or "").strip())
        session.add(group)
        groups.append(group)
    for serial, item in enumerate(raw.get("comments") or [], start=1):
        received = _date(item.get("received_on", dates[0]), "received_on", key, []) or dates[0]
        status = CommentStatus(item["status"])
        text = str(item["text"]).strip()
        # Noon of the day given; a comment of today (a consultation opening on import) is
        # dated now rather than later today.
        moment = (clock.utcnow() if received >= clock.today()
                  else clock.beijing_to_utc(dt.datetime.combine(received, dt.time(12))))
        session.add(ConsultationComment(
            consultation=consultation, serial=serial,
            channel=str(item.get("channel", Channel.WEBSITE.value)), text=text,
            public_text=text if status is CommentStatus.PUBLISHED else "",
            status=status.value, moderation_note=str(item.get("note") or ""),
            group=groups[int(item["group"]) - 1] if item.get("group") else None,
            received_at=moment, moderated_at=moment))
    feedback = raw.get("feedback") or {}
    if feedback:
        consultation.feedback_summary = str(feedback.get("summary") or "").strip()
        consultation.feedback_published_on = _date(feedback.get("published_on"),
                                                   "feedback.published_on", key, [])
    session.flush()
    session.refresh(consultation)
    documents.publish_imported(session, consultation)
    return consultation


def import_directory(directory: Path) -> ImportReport:
    """Entry point of ``opengov import-consultations``: one unit of work, all or nothing."""
    with unit_of_work() as session:
        return import_consultations(session, directory)
