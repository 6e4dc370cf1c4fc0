"""Complaints in the annual report: 一、总体情况 · 监督保障 counts those about the agency and,
for the 主管部门, every complaint it handled with its measures (rules.md §4.1–4.2)."""

from __future__ import annotations

import datetime as dt

from opengov.site.accounts.models import User
from opengov.site.complaints.rules import Step
from opengov.site.complaints.service import staff as casework
from opengov.site.db import get_session
from opengov.site.reports.service import build_report, render_body
from tests.complaints.conftest import RECEIVED, Filer
from tests.consultations.conftest import SetClock
from tests.factories import make_agency


def _report_text(code: str) -> str:
    session = get_session()
    return render_body(build_report(session, make_agency(session, code), 2025))


def test_the_report_counts_complaints_in_the_supervision_paragraph(
        file_complaint: Filer, staff: dict[str, User], today: SetClock,
        agencies: dict[str, int]) -> None:
    substantiated, _ = file_complaint("czj")
    file_complaint("czj")
    file_complaint("czj", received_on=dt.date(2024, 12, 2))  # last year's: not counted
    casework.record_step(staff["office"], substantiated.number, Step.ANSWERED, RECEIVED, {
        "finding": "属实", "measures": ["督促整改", "通报批评"], "answer": "经查属实，已督促整改并通报批评。"})
    department = _report_text("czj")
    assert ("监督保障方面，2025年本机关被投诉、举报政府信息公开工作问题2件，已办结1件，"
            "其中经调查属实或部分属实1件（被督促整改1件、被通报批评1件）。") in department
    assert "主管部门" not in department
    government = _report_text("gov")
    assert "2025年本机关未被投诉、举报政府信息公开工作问题。" in government
    assert ("本机关作为政府信息公开工作主管部门，全年受理投诉、举报2件，已书面答复1件（按期答复1件），"
            "正在办理1件；经调查属实或部分属实1件，督促整改1件，通报批评1件。") in government
    assert "zhaoliu" not in government
    assert "赵六" not in government
