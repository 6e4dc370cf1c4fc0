"""The dates an applicant's status page shows, derived from the same state as the letters, so
that the page never contradicts a letter (条例 Arts. 30, 33, 35; rules.md §1.3–§1.5).

During a 补正 the old reply deadline no longer holds: the page shows the 补正 deadline and that
the period starts again when the correction arrives, as the 补正 letter says. Every pause and
the extension are listed with their dates; third parties consulted are not named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opengov.site.requests.rules.clock import (
    CONSULTATION_DAYS,
    MAX_EXTENSION_DAYS,
    REPLY_DAYS,
    RequestState,
    Stage,
)

RESTART_SENTENCE = "答复期限自收到补正材料之日起重新计算"


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass(frozen=True)
class DateLine:
    """One row of the page's 期限 table: what, and the dates in words."""

    label: str
    text: str


def reply_deadline_line(state: RequestState) -> DateLine | None:
    """The 答复期限 row as it stands now, or None once the request is closed."""
    if state.stage is Stage.CORRECTION:
        return DateLine("答复期限", f"{RESTART_SENTENCE}（{REPLY_DAYS}个工作日）")
    if state.due is None or not state.is_open:
        return None
    text = chinese_date(state.due.date) + ("（预估）" if state.due.provisional else "")
    return DateLine("答复期限", text)


def pauses_and_extension(state: RequestState) -> list[DateLine]:
    """补正, consultations, the fee window, the extension and an Art. 35 deadline, in order."""
    lines: list[DateLine] = []
    if state.correction_requested_on is not None:
        text = (f"{chinese_date(state.correction_requested_on)}告知补正，请于"
                f"{chinese_date(state.correction_deadline)}前补正；{RESTART_SENTENCE}")
        if state.corrected_on is not None:
            text += f"。{chinese_date(state.corrected_on)}收到补正，答复期限自该日重新计算"
        lines.append(DateLine("补正", text))
    for consultation in sorted(state.consultations.values(), key=lambda c: c.sent_on):
        answered = (f"，{chinese_date(consultation.answered_on)}收到意见"
                    if consultation.answered_on else "")
        lines.append(DateLine(
            "征求意见",
            f"{chinese_date(consultation.sent_on)}起征求意见（最长{CONSULTATION_DAYS}个工作日，"
            f"至{chinese_date(consultation.window_end)}）{answered}；"
            "所需时间不计算在答复期限内（条例第三十三条第三款）"))
    if state.fee_notice_on is not None:
        text = (f"{chinese_date(state.fee_notice_on)}发出收费通知，缴费期限至"
                f"{chinese_date(state.fee_due.date if state.fee_due else None)}")
        if state.fee_paid_on is not None:
            text += f"，{chinese_date(state.fee_paid_on)}缴费"
        lines.append(DateLine("缴纳信息处理费", text))
    if state.extension_days:
        lines.append(DateLine(
            "延长答复期限",
            f"经政府信息公开工作机构负责人同意延长{state.extension_days}个工作日"
            f"（最长{MAX_EXTENSION_DAYS}个工作日），{chinese_date(state.extension_notified_on)}"
            "告知申请人（条例第三十三条第二款）"))
    if state.custom_deadline is not None:
        lines.append(DateLine("延迟答复",
                              f"依条例第三十五条确定延迟答复的合理期限至"
                              f"{chinese_date(state.custom_deadline)}"))
    return lines
