"""举报投诉 about disclosure (条例 Arts. 47, 51; rules.md §9.2): the rules, without storage.

A citizen who thinks an agency failed its duty — no reply, a late reply, a refusal without
basis, information it must publish and did not — complains to the 政府信息公开工作主管部门,
which investigates and, if the complaint is true, 督促整改 or 通报批评 (Art. 47 ¶2).

The 条例 sets no handling deadline: the site answers within a configured number of working
days (default 15, common practice: confirm), counted like every deadline from the day after
receipt on the working-day calendar. As for requests, the state is *derived* from an
append-only log of steps (:func:`derive`), so a calendar change moves every open due date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from opengov.site.requests.rules.clock import TransitionError
from opengov.site.workdays.rules import DueDate, WorkingCalendar

__all__ = ["TransitionError"]

#: 投诉举报 numbers: TS-2026-000123 (numbered like requests, in their own series).
NUMBER_PREFIX = "TS"
DESCRIPTION_MAX_CHARS = 4000
ANSWER_MAX_CHARS = 8000
#: A request number as the requests feature gives them: YSQ-2026-000123.
REQUEST_NUMBER = re.compile(r"YSQ-\d{4}-\d{6}")


class Kind(StrEnum):
    """What the agency is said to have failed to do (Art. 47 ¶2, Art. 51)."""

    NO_REPLY = "未在法定期限内答复政府信息公开申请"
    IMPROPER_REPLY = "答复不符合规定（无依据不予公开、答复内容不当等）"
    NOT_PUBLISHED = "未依法主动公开政府信息"
    OTHER = "其他不依法履行政府信息公开职责的情形"


class Channel(StrEnum):
    ONLINE = "网站"
    LETTER = "信函"
    IN_PERSON = "当面"
    PHONE = "电话"
    TRANSFER = "上级机关转办"


class Step(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    EXPLANATION_REQUESTED = "explanation_requested"
    EXPLAINED = "explained"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS: dict[Step, str] = {
    Step.RECEIVED: "收到投诉举报",
    Step.ASSIGNED: "指定承办人",
    Step.EXPLANATION_REQUESTED: "要求被投诉机关说明情况",
    Step.EXPLAINED: "被投诉机关说明情况",
    Step.ANSWERED: "书面答复投诉人",
    Step.WITHDRAWN: "投诉人撤回",
}

#: Steps the complainant sees in the status page's history (not who handles it inside).
PUBLIC_STEPS = frozenset({Step.RECEIVED, Step.EXPLANATION_REQUESTED, Step.ANSWERED,
                          Step.WITHDRAWN})


class Stage(StrEnum):
    RECEIVED = "已受理"
    INVESTIGATING = "调查处理中"
    AWAITING_EXPLANATION = "待被投诉机关说明"
    ANSWERED = "已答复"
    WITHDRAWN = "已撤回"


OPEN_STAGES = frozenset({Stage.RECEIVED, Stage.INVESTIGATING, Stage.AWAITING_EXPLANATION})
CLOSED_STAGES = frozenset({Stage.ANSWERED, Stage.WITHDRAWN})

#: What is left in place of the complainant's words once the retention period is over.
ANONYMISED = "（已匿名化）"
#: Details of steps that retell the complainant's case — what the agency was asked to
#: explain, and its explanation — and so may identify them: erased with the complainant's
#: own account. The finding, the measures and the written answer stay for the statistics.
IDENTIFYING_DETAILS = ("note", "text")


class Finding(StrEnum):
    """What the investigation found."""

    TRUE = "属实"
    PARTLY_TRUE = "部分属实"
    NOT_TRUE = "不属实"
    OUT_OF_SCOPE = "不属于政府信息公开投诉举报事项"


#: Findings that call for 督促整改 or 通报批评 (Art. 47 ¶2: "查证属实的").
SUBSTANTIATED = frozenset({Finding.TRUE, Finding.PARTLY_TRUE})


class Measure(StrEnum):
    """What the 主管部门 does about a substantiated complaint (Art. 47 ¶2)."""

    RECTIFY = "督促整改"
    CRITICISE = "通报批评"


@dataclass(frozen=True)
class Event:
    kind: Step
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class ComplaintState:
    stage: Stage | None = None
    received_on: dt.date | None = None
    due: DueDate | None = None
    handler: str = ""
    explanation_requested_on: dt.date | None = None
    explained_on: dt.date | None = None
    finding: Finding | None = None
    measures: tuple[Measure, ...] = ()
    answered_on: dt.date | None = None
    closed_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_on is None or self.due is None:
            return None
        return self.answered_on <= self.due.date


def due_date(calendar: WorkingCalendar, received_on: dt.date, reply_days: int) -> DueDate:
    """The answer's due date: ``reply_days`` working days after receipt."""
    due = calendar.due(received_on, reply_days, "投诉举报处理期限：收到之日")
    note = (f"；本平台规定的处理期限为{reply_days}个工作日"
            "（《政府信息公开条例》未规定处理期限）")
    return DueDate(due.date, due.provisional, due.explanation + note)


class _Machine:
    def __init__(self, calendar: WorkingCalendar, reply_days: int) -> None:
        self.calendar, self.reply_days = calendar, reply_days
        self.state = ComplaintState()

    def apply(self, event: Event) -> None:
        state = self.state
        if state.stage is None and event.kind is not Step.RECEIVED:
            raise TransitionError("投诉举报须先登记收到。")
        if state.received_on is not None and event.on < state.received_on:
            raise TransitionError("日期不能早于收到投诉举报之日。")
        getattr(self, f"_on_{event.kind.value}")(event)

    def _require(self, *stages: Stage, action: str) -> None:
        if self.state.stage not in stages:
            raise TransitionError(f"当前状态（{self.state.stage}）不能{action}。")

    def _on_received(self, event: Event) -> None:
        if self.state.stage is not None:
            raise TransitionError("投诉举报已经登记。")
        self.state.stage, self.state.received_on = Stage.RECEIVED, event.on
        self.state.due = due_date(self.calendar, event.on, self.reply_days)

    def _on_assigned(self, event: Event) -> None:
        self._require(*OPEN_STAGES, action="指定承办人")
        self.state.handler = str(event.data.get("handler", ""))
        if self.state.stage is Stage.RECEIVED:
            self.state.stage = Stage.INVESTIGATING

    def _on_explanation_requested(self, event: Event) -> None:
        self._require(Stage.RECEIVED, Stage.INVESTIGATING, action="要求说明情况")
        if not str(event.data.get("note", "")).strip():
            raise TransitionError("请写明需要被投诉机关说明的事项。")
        self.state.explanation_requested_on = event.on
        self.state.stage = Stage.AWAITING_EXPLANATION

    def _on_explained(self, event: Event) -> None:
        self._require(Stage.AWAITING_EXPLANATION, action="登记情况说明")
        if not str(event.data.get("text", "")).strip():
            raise TransitionError("请填写情况说明。")
        self.state.explained_on = event.on
        self.state.stage = Stage.INVESTIGATING

    def _on_answered(self, event: Event) -> None:
        self._require(*OPEN_STAGES, action="答复")
        try:
            finding = Finding(str(event.data.get("finding", "")))
        except ValueError:
            raise TransitionError("请选择调查结论。") from None
        try:
            measures = tuple(Measure(str(value)) for value in event.data.get("measures", ()))
        except ValueError:
            raise TransitionError("处理措施只能是督促整改或通报批评。") from None
        if measures and finding not in SUBSTANTIATED:
            raise TransitionError("只有查证属实（含部分属实）的，才能督促整改或通报批评。")
        answer = str(event.data.get("answer", "")).strip()
        if not answer:
            raise TransitionError("请填写给投诉人的书面答复。")
        if len(answer) > ANSWER_MAX_CHARS:
            raise TransitionError(f"书面答复不超过{ANSWER_MAX_CHARS}字。")
        state = self.state
        state.finding, state.measures = finding, measures
        state.answered_on = state.closed_on = event.on
        state.stage = Stage.ANSWERED

    def _on_withdrawn(self, event: Event) -> None:
        self._require(*OPEN_STAGES, action="撤回")
        self.state.closed_on = event.on
        self.state.stage = Stage.WITHDRAWN


def derive(events: Iterable[Event], calendar: WorkingCalendar, reply_days: int) -> ComplaintState:
    """The state after ``events`` in order; :class:`TransitionError` on a step not allowed."""
    machine = _Machine(calendar, reply_days)
    for event in events:
        machine.apply(event)
    return machine.state


def allowed_steps(state: ComplaintState, *, competent_office: bool) -> list[Step]:
    """The steps a member of staff may record next: the 主管部门 handles the complaint; the
    agency complained about only explains itself when asked."""
    if state.stage is Stage.AWAITING_EXPLANATION:
        return ([Step.ASSIGNED, Step.EXPLAINED, Step.ANSWERED] if competent_office
                else [Step.EXPLAINED])
    if not competent_office or state.stage not in OPEN_STAGES:
        return []
    return [Step.ASSIGNED, Step.EXPLANATION_REQUESTED, Step.ANSWERED]


def claimed_request_numbers(text: str) -> list[str]:
    """The request numbers (YSQ-…) a complainant typed, in order, without repeats."""
    found: list[str] = []
    for number in REQUEST_NUMBER.findall(text.upper()):
        if number not in found:
            found.append(number)
    return found


# --- public figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFacts:
    """What the statistics need of one complaint."""

    agency_id: int
    received_on: dt.date
    stage: Stage
    answered_on: dt.date | None
    due_on: dt.date | None
    finding: Finding | None
    measures: tuple[Measure, ...] = ()


@dataclass
class ComplaintFigures:
    """Complaints of one year: received that year, answered (of those received that year)."""

    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    withdrawn: int = 0
    open: int = 0
    substantiated: int = 0
    rectification: int = 0
    criticism: int = 0

    def add(self, facts: ComplaintFacts) -> None:
        self.received += 1
        if facts.stage is Stage.WITHDRAWN:
            self.withdrawn += 1
        elif facts.stage is Stage.ANSWERED:
            self.answered += 1
            on_time = (facts.answered_on is not None and facts.due_on is not None
                       and facts.answered_on <= facts.due_on)
            self.answered_on_time += on_time
            self.substantiated += facts.finding in SUBSTANTIATED
            self.rectification += Measure.RECTIFY in facts.measures
            self.criticism += Measure.CRITICISE in facts.measures
        else:
            self.open += 1


def figures_of_year(complaints: Iterable[ComplaintFacts], year: int) -> ComplaintFigures:
    """The figures of the complaints received in ``year``."""
    figures = ComplaintFigures()
    for facts in complaints:
        if facts.received_on.year == year:
            figures.add(facts)
    return figures
