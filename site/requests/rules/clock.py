"""The life of a 依申请公开 request, derived from its append-only event log (条例 Arts. 29–45).

:func:`derive` folds the events into a :class:`RequestState` (stage, outcome, every due date
with how it was computed); :func:`check` refuses an event the law does not allow at that point
(a second 补正, an extension after the deadline…). Dates are recomputed from the raw event dates
each time, so a calendar change moves every deadline (design.md §5).

Conventions (rules.md §1.3–§1.5, §2.2):
- periods count working days from the day after their start date;
- a consultation pauses the clock for the working days d with ``sent_on < d <= end``, where end is
  the day the answer arrived or the last day of its 15-working-day window if that came first
  (or no answer came);
- the fee-payment window (20 working days from the day after the applicant received the notice)
  pauses the clock the same way when the ``fee_pauses_clock`` setting is on;
- a corrected application restarts the 20 days from its receipt: no pause, a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from opengov.site.requests.rules.outcomes import AUTOMATIC_OUTCOMES, REPLIES, Outcome, reply_for
from opengov.site.workdays.rules import DueDate, WorkingCalendar

REPLY_DAYS = 20  # Art. 33 ¶2
CORRECTION_NOTICE_DAYS = 7  # Art. 30
CONSULTATION_DAYS = 15  # Arts. 32, 34
MAX_EXTENSION_DAYS = 20  # Art. 33 ¶2
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号, rules.md §1.7


class Channel(StrEnum):
    """提交渠道 (Art. 31); the value is the label."""

    ONLINE = "互联网"
    FAX = "传真"
    IN_PERSON = "当面提交"
    POST_SIGNED = "邮寄（签收）"
    ORDINARY_LETTER = "平常信函"
    ORAL = "口头申请（代为填写）"
    #: Forwarded by another agency on the site: received when it arrives (Art. 36(五)).
    TRANSFER = "其他机关转送"


#: Channels whose receipt date is the day both sides confirm (Art. 31(二)(三)).
CONFIRMATION_CHANNELS = frozenset({Channel.ONLINE, Channel.FAX, Channel.ORDINARY_LETTER})


class EventKind(StrEnum):
    RECEIVED = "received"
    CONFIRMED = "confirmed"
    ASSIGNED = "assigned"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTED = "corrected"
    CORRECTION_LAPSED = "correction_lapsed"
    CONSULTATION_SENT = "consultation_sent"
    CONSULTATION_ANSWERED = "consultation_answered"
    EXTENDED = "extended"
    CUSTOM_DEADLINE = "custom_deadline"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
    DECIDED = "decided"
    SIGNED_OFF = "signed_off"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.RECEIVED: "收到申请",
    EventKind.CONFIRMED: "确认收到申请（受理确认）",
    EventKind.ASSIGNED: "分办",
    EventKind.CORRECTION_REQUESTED: "告知补正",
    EventKind.CORRECTED: "收到补正后的申请",
    EventKind.CORRECTION_LAPSED: "逾期未补正，视为放弃申请",
    EventKind.CONSULTATION_SENT: "征求意见",
    EventKind.CONSULTATION_ANSWERED: "收到意见",
    EventKind.EXTENDED: "延长答复期限",
    EventKind.CUSTOM_DEADLINE: "确定延迟答复的合理期限（第三十五条）",
    EventKind.FEE_NOTICE: "发出收费通知",
    EventKind.FEE_PAID: "缴纳信息处理费",
    EventKind.FEE_LAPSED: "逾期未缴费，视为放弃申请",
    EventKind.DECIDED: "作出处理决定",
    EventKind.SIGNED_OFF: "签发",
    EventKind.REPLIED: "送达答复",
    EventKind.WITHDRAWN: "申请人撤回申请",
    EventKind.ARCHIVED: "归档",
}


#: Labels of the keys of :attr:`Event.data`, for the history shown to staff.
DATA_LABELS: dict[str, str] = {
    "channel": "渠道", "handler": "承办人", "deadline": "期限", "matters": "补正事项",
    "text": "补正内容", "good_cause": "正当理由", "ref": "编号", "party": "征求意见对象",
    "result": "意见", "days": "延长工作日", "approver": "批准人", "notified_on": "告知日期",
    "reason": "理由", "basis": "理由", "amount": "金额", "received_on": "收到通知日期",
    "outcome": "处理结果", "detail": "说明", "other_body": "负责公开的机关", "signer": "签发人",
    "delivery": "送达方式",
}


class Stage(StrEnum):
    PENDING = "待确认"
    REGISTERED = "办理中"
    CORRECTION = "补正中"
    CONSULTING = "征求意见中"
    AWAITING_FEE = "待缴费"
    DECIDED = "待签发"
    SIGNED = "待送达"
    REPLIED = "已答复"
    ABANDONED = "视为放弃"
    WITHDRAWN = "已撤回"
    ARCHIVED = "已归档"


#: Stages in which the reply clock runs or is paused, i.e. the request awaits an answer.
OPEN_STAGES = frozenset({Stage.REGISTERED, Stage.CORRECTION, Stage.CONSULTING,
                         Stage.AWAITING_FEE, Stage.DECIDED, Stage.SIGNED})
CLOSED_STAGES = frozenset({Stage.REPLIED, Stage.ABANDONED, Stage.WITHDRAWN, Stage.ARCHIVED})


class TransitionError(ValueError):
    """The event is not allowed in the request's current state; the message is Chinese."""


@dataclass(frozen=True)
class Event:
    """One step. ``on`` is its legal date; ``data`` holds JSON-able details (dates as ISO)."""

    kind: EventKind
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Consultation:
    ref: str
    party: str
    sent_on: dt.date
    window_end: dt.date
    answered_on: dt.date | None = None

    @property
    def pause_end(self) -> dt.date:
        if self.answered_on is not None and self.answered_on < self.window_end:
            return self.answered_on
        return self.window_end


@dataclass
class RequestState:
    stage: Stage | None = None
    channel: Channel | None = None
    received_on: dt.date | None = None
    #: 收到申请之日 (Art. 31): None until confirmed for confirmation channels.
    receipt_date: dt.date | None = None
    #: The date the 20 days count from: receipt, or receipt of the corrected application.
    clock_start: dt.date | None = None
    correction_notice_due: DueDate | None = None
    correction_requested_on: dt.date | None = None
    correction_deadline: dt.date | None = None
    corrected_on: dt.date | None = None
    consultations: dict[str, Consultation] = field(default_factory=dict)
    extension_days: int = 0
    extension_approver: str = ""
    extension_notified_on: dt.date | None = None
    custom_deadline: dt.date | None = None
    custom_basis: str = ""
    fee_notice_on: dt.date | None = None
    fee_received_on: dt.date | None = None
    #: 信息处理费 charged by the notice, in 元 (109号); counted in the annual report when paid.
    fee_yuan: Decimal | None = None
    fee_due: DueDate | None = None
    fee_paid_on: dt.date | None = None
    handler: str = ""
    outcome: Outcome | None = None
    decided_on: dt.date | None = None
    signed_on: dt.date | None = None
    replied_on: dt.date | None = None
    closed_on: dt.date | None = None
    #: The reply deadline with its explanation; None before the receipt date is fixed.
    due: DueDate | None = None
    #: Working days the clock stood still (consultations, the fee window if it pauses).
    paused_days: int = 0

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due is not None and today > self.due.date

    @property
    def replied_on_time(self) -> bool | None:
        if self.replied_on is None or self.due is None:
            return None
        return self.replied_on <= self.due.date

    def open_consultations(self) -> list[Consultation]:
        return [c for c in self.consultations.values() if c.answered_on is None]


def _date(data: Mapping[str, Any], key: str) -> dt.date | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def _fee_yuan(data: Mapping[str, Any]) -> Decimal:
    try:
        amount = Decimal(str(data.get("fee_yuan", "")).strip())
    except InvalidOperation:
        raise TransitionError("请填写收费金额（元）。") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise TransitionError("收费金额应为大于0、至多两位小数的金额（元）。")
    return amount


def _required_date(data: Mapping[str, Any], key: str, label: str) -> dt.date:
    value = _date(data, key)
    if value is None:
        raise TransitionError(f"缺少{label}。")
    return value


@dataclass(frozen=True)
class ClockSettings:
    #: Whether the fee-payment window pauses the reply clock (rules.md §1.5: unsettled).
    fee_pauses_clock: bool = True


class _Machine:
    """Applies one event at a time, refusing what the 条例 does not allow."""

    def __init__(self, calendar: WorkingCalendar, settings: ClockSettings) -> None:
        self.calendar = calendar
        self.settings = settings
        self.state = RequestState()

    # --- the derived dates ------------------------------------------------------------

    def _paused_days(self) -> frozenset[dt.date]:
        state, calendar = self.state, self.calendar
        days: set[dt.date] = set()
        for consultation in state.consultations.values():
            days |= calendar.workdays_in(consultation.sent_on, consultation.pause_end)
        if self.settings.fee_pauses_clock and state.fee_notice_on and state.fee_due:
            end = state.fee_due.date
            if state.fee_paid_on is not None and state.fee_paid_on < end:
                end = state.fee_paid_on
            days |= calendar.workdays_in(state.fee_notice_on, end)
        return frozenset(day for day in days if state.clock_start and day > state.clock_start)

    def _recompute_due(self) -> None:
        state = self.state
        if state.clock_start is None:
            state.due = None
            return
        if state.custom_deadline is not None:
            provisional = bool(self.calendar.uncovered_years(state.clock_start,
                                                             state.custom_deadline))
            state.due = DueDate(state.custom_deadline, provisional,
                                f"依条例第三十五条确定的延迟答复合理期限（{state.custom_basis}）")
            return
        paused = self._paused_days()
        state.paused_days = len(paused)
        days = REPLY_DAYS + state.extension_days
        day = self.calendar.add_workdays(state.clock_start, days, paused)
        start_label = ("收到补正后申请之日" if state.corrected_on == state.clock_start
                       else "收到申请之日")
        parts = [f"{start_label}{state.clock_start.isoformat()}的次日起算"
                 f"第{REPLY_DAYS}个工作日（条例第三十三条第二款，法定节假日不计，调休上班日计入）"]
        if paused:
            parts.append(f"征求意见{'、缴费' if state.fee_notice_on else ''}所需时间"
                         f"{len(paused)}个工作日不计（条例第三十三条第三款）")
        if state.extension_days:
            parts.append(f"经{state.extension_approver}同意延长{state.extension_days}个工作日"
                         f"（条例第三十三条第二款，{_iso(state.extension_notified_on)}告知申请人）")
        missing = self.calendar.uncovered_years(state.clock_start, day)
        if missing:
            years = "、".join(str(year) for year in missing)
            parts.append(f"{years}年尚无国务院放假安排数据，按周一至周五预估")
        state.due = DueDate(day, bool(missing), "；".join(parts))

    def _settle_stage(self) -> None:
        """The open stage that follows from pending corrections, fees and consultations."""
        state = self.state
        if state.correction_requested_on and state.corrected_on is None:
            state.stage = Stage.CORRECTION
        elif state.fee_notice_on and state.fee_paid_on is None:
            state.stage = Stage.AWAITING_FEE
        elif state.open_consultations():
            state.stage = Stage.CONSULTING
        else:
            state.stage = Stage.REGISTERED

    # --- the transitions --------------------------------------------------------------

    def apply(self, event: Event) -> None:
        state = self.state
        if state.stage is None and event.kind is not EventKind.RECEIVED:
            raise TransitionError("申请须先登记收到。")
        if state.received_on is not None and event.on < state.received_on:
            raise TransitionError("日期不能早于收到申请之日。")
        handler = getattr(self, f"_on_{event.kind.value}")
        handler(event)
        self._recompute_due()

    def _require(self, *stages: Stage, action: str) -> None:
        if self.state.stage not in stages:
            raise TransitionError(f"当前状态（{self.state.stage}）不能{action}。")

    def _on_received(self, event: Event) -> None:
        if self.state.stage is not None:
            raise TransitionError("申请已经登记。")
        channel = Channel(event.data.get("channel", Channel.ONLINE))
        state = self.state
        state.channel, state.received_on = channel, event.on
        if channel in CONFIRMATION_CHANNELS:
            state.stage = Stage.PENDING
        else:
            self._start(event.on)

    def _start(self, receipt: dt.date) -> None:
        state = self.state
        state.receipt_date = state.clock_start = receipt
        state.correction_notice_due = self.calendar.due(receipt, CORRECTION_NOTICE_DAYS,
                                                        "补正告知期限：收到申请之日")
        state.stage = Stage.REGISTERED

    def _on_confirmed(self, event: Event) -> None:
        self._require(Stage.PENDING, action="确认收到申请")
        self._start(event.on)

    def _on_assigned(self, event: Event) -> None:
        self._require(Stage.PENDING, *OPEN_STAGES, action="分办")
        self.state.handler = str(event.data.get("handler", ""))

    def _on_correction_requested(self, event: Event) -> None:
        state = self.state
        if state.correction_requested_on is not None:
            raise TransitionError("补正只能一次性告知（条例第三十条），本申请已告知过补正。")
        self._require(Stage.REGISTERED, action="告知补正")
        assert state.correction_notice_due is not None
        if event.on > state.correction_notice_due.date:
            raise TransitionError(
                f"补正告知须在收到申请之日起7个工作日内作出（截止"
                f"{state.correction_notice_due.date.isoformat()}）。")
        deadline = _required_date(event.data, "deadline", "补正期限")
        if deadline <= event.on:
            raise TransitionError("补正期限须晚于告知之日。")
        state.correction_requested_on, state.correction_deadline = event.on, deadline
        state.stage = Stage.CORRECTION

    def _on_corrected(self, event: Event) -> None:
        self._require(Stage.CORRECTION, action="登记补正")
        state = self.state
        assert state.correction_deadline is not None
        if event.on > state.correction_deadline and not event.data.get("good_cause"):
            raise TransitionError("已超过补正期限；有正当理由的请注明。")
        state.corrected_on = state.clock_start = event.on  # Art. 30: the clock restarts
        self._settle_stage()

    def _on_correction_lapsed(self, event: Event) -> None:
        self._require(Stage.CORRECTION, action="视为放弃")
        state = self.state
        assert state.correction_deadline is not None
        if event.on <= state.correction_deadline:
            raise TransitionError("补正期限尚未届满。")
        self._close(Stage.ABANDONED, Outcome.CORRECTION_LAPSED, event.on)

    def _on_consultation_sent(self, event: Event) -> None:
        self._require(Stage.REGISTERED, Stage.CONSULTING, action="征求意见")
        state = self.state
        ref = str(event.data.get("ref") or f"C{len(state.consultations) + 1}")
        if ref in state.consultations:
            raise TransitionError("征求意见编号重复。")
        assert state.due is not None
        if event.on > state.due.date:
            raise TransitionError("答复期限已过，不能再征求意见。")
        window_end = self.calendar.add_workdays(event.on, CONSULTATION_DAYS)
        state.consultations[ref] = Consultation(ref, str(event.data.get("party", "")),
                                                event.on, window_end)
        state.stage = Stage.CONSULTING

    def _on_consultation_answered(self, event: Event) -> None:
        self._require(Stage.CONSULTING, action="登记意见")
        ref = str(event.data.get("ref", ""))
        consultation = self.state.consultations.get(ref)
        if consultation is None or consultation.answered_on is not None:
            raise TransitionError("没有待回复的该项征求意见。")
        if event.on < consultation.sent_on:
            raise TransitionError("回复日期不能早于征求意见之日。")
        consultation.answered_on = event.on
        self._settle_stage()

    def _on_extended(self, event: Event) -> None:
        state = self.state
        self._require(Stage.REGISTERED, Stage.CONSULTING, Stage.AWAITING_FEE,
                      action="延长答复期限")
        if state.extension_days:
            raise TransitionError("答复期限只能延长一次（条例第三十三条第二款）。")
        days = int(event.data.get("days", 0))
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise TransitionError("延长期限最长不得超过20个工作日。")
        approver = str(event.data.get("approver", "")).strip()
        if not approver:
            raise TransitionError("延长须经政府信息公开工作机构负责人同意：请填写批准人。")
        notified = _required_date(event.data, "notified_on", "告知申请人的日期")
        assert state.due is not None
        if event.on > state.due.date or notified > state.due.date:
            raise TransitionError(
                f"延长须在答复期限（{state.due.date.isoformat()}）届满前批准并告知申请人。")
        if notified < event.on:
            raise TransitionError("告知日期不能早于批准日期。")
        state.extension_days, state.extension_approver = days, approver
        state.extension_notified_on = notified

    def _on_custom_deadline(self, event: Event) -> None:
        self._require(Stage.REGISTERED, Stage.CONSULTING, Stage.AWAITING_FEE,
                      action="确定延迟答复期限")
        state = self.state
        if state.custom_deadline is not None:
            raise TransitionError("已确定过延迟答复期限。")
        deadline = _required_date(event.data, "deadline", "延迟答复期限")
        basis = str(event.data.get("basis", "")).strip()
        if not basis:
            raise TransitionError("请写明确定延迟答复期限的理由（条例第三十五条）。")
        if deadline <= event.on:
            raise TransitionError("延迟答复期限须晚于决定之日。")
        state.custom_deadline, state.custom_basis = deadline, basis

    def _on_fee_notice(self, event: Event) -> None:
        self._require(Stage.REGISTERED, Stage.CONSULTING, action="发出收费通知")
        state = self.state
        if state.fee_notice_on is not None:
            raise TransitionError("本申请已发出过收费通知。")
        assert state.due is not None
        if event.on > state.due.date:
            raise TransitionError("收费通知须在答复期限内发出。")
        received = _date(event.data, "received_on") or event.on
        if received < event.on:
            raise TransitionError("申请人收到通知的日期不能早于发出日期。")
        state.fee_yuan = _fee_yuan(event.data)
        state.fee_notice_on, state.fee_received_on = event.on, received
        state.fee_due = self.calendar.due(received, FEE_PAYMENT_DAYS,
                                          "缴费期限：申请人收到收费通知之日")
        state.stage = Stage.AWAITING_FEE

    def _on_fee_paid(self, event: Event) -> None:
        self._require(Stage.AWAITING_FEE, action="登记缴费")
        state = self.state
        assert state.fee_due is not None
        if event.on > state.fee_due.date:
            raise TransitionError("已超过缴费期限。")
        state.fee_paid_on = event.on
        self._settle_stage()

    def _on_fee_lapsed(self, event: Event) -> None:
        self._require(Stage.AWAITING_FEE, action="视为放弃")
        assert self.state.fee_due is not None
        if event.on <= self.state.fee_due.date:
            raise TransitionError("缴费期限尚未届满。")
        self._close(Stage.ABANDONED, Outcome.FEE_LAPSED, event.on)

    def _on_decided(self, event: Event) -> None:
        self._require(Stage.REGISTERED, Stage.CONSULTING, Stage.DECIDED, action="作出处理决定")
        state = self.state
        for consultation in state.open_consultations():
            if event.on <= consultation.window_end:
                raise TransitionError(
                    f"征求{consultation.party}意见的期限（{consultation.window_end.isoformat()}）"
                    "尚未届满，且未收到意见。")
        try:
            outcome = Outcome(str(event.data.get("outcome", "")))
        except ValueError as exc:
            raise TransitionError("请选择处理结果。") from exc
        if outcome in AUTOMATIC_OUTCOMES:
            raise TransitionError("该处理结果由系统在期限届满时登记。")
        key = str(event.data.get("reply") or "")
        if key and (key not in REPLIES or REPLIES[key].outcome is not outcome):
            raise TransitionError("请选择处理结果。")
        reply = reply_for(outcome, key)
        if reply.needs_detail and not str(event.data.get("detail") or "").strip():
            raise TransitionError(f"请填写{reply.detail_label}（写入答复书）。")
        if reply.needs_other_body and not str(event.data.get("other_body") or "").strip():
            raise TransitionError("请填写负责公开该政府信息的机关名称和联系方式（条例第三十六条第（五）项）。")
        state.outcome, state.decided_on = outcome, event.on
        state.stage = Stage.DECIDED

    def _on_signed_off(self, event: Event) -> None:
        self._require(Stage.DECIDED, action="签发")
        if not str(event.data.get("signer", "")).strip():
            raise TransitionError("请填写签发人。")
        assert self.state.decided_on is not None
        if event.on < self.state.decided_on:
            raise TransitionError("签发日期不能早于处理决定日期。")
        self.state.signed_on = event.on
        self.state.stage = Stage.SIGNED

    def _on_replied(self, event: Event) -> None:
        self._require(Stage.SIGNED, action="送达答复")
        state = self.state
        assert state.signed_on is not None
        if event.on < state.signed_on:
            raise TransitionError("送达日期不能早于签发日期。")
        state.replied_on = state.closed_on = event.on
        state.stage = Stage.REPLIED

    def _on_withdrawn(self, event: Event) -> None:
        self._require(Stage.PENDING, Stage.REGISTERED, Stage.CORRECTION, Stage.CONSULTING,
                      Stage.AWAITING_FEE, Stage.DECIDED, action="撤回")
        self._close(Stage.WITHDRAWN, Outcome.OTHER, event.on)

    def _on_archived(self, event: Event) -> None:
        self._require(Stage.REPLIED, Stage.ABANDONED, Stage.WITHDRAWN, action="归档")
        self.state.stage = Stage.ARCHIVED

    def _close(self, stage: Stage, outcome: Outcome, on: dt.date) -> None:
        self.state.stage, self.state.outcome, self.state.closed_on = stage, outcome, on


def derive(events: Iterable[Event], calendar: WorkingCalendar,
           settings: ClockSettings | None = None) -> RequestState:
    """The state after ``events`` in order; raises :class:`TransitionError` on an illegal one."""
    machine = _Machine(calendar, settings or ClockSettings())
    for event in events:
        machine.apply(event)
    return machine.state


def check(events: Sequence[Event], new: Event, calendar: WorkingCalendar,
          settings: ClockSettings | None = None) -> RequestState:
    """The state after appending ``new``, or :class:`TransitionError` if it is not allowed."""
    return derive([*events, new], calendar, settings)


def allowed_kinds(state: RequestState) -> list[EventKind]:
    """The events a handler may record next (for the buttons of the staff page)."""
    stage = state.stage
    kinds: list[EventKind] = []
    if stage is Stage.PENDING:
        kinds += [EventKind.CONFIRMED, EventKind.ASSIGNED, EventKind.WITHDRAWN]
    elif stage in (Stage.REGISTERED, Stage.CONSULTING, Stage.AWAITING_FEE, Stage.CORRECTION):
        kinds.append(EventKind.ASSIGNED)
        if stage is Stage.REGISTERED and state.correction_requested_on is None:
            kinds.append(EventKind.CORRECTION_REQUESTED)
        if stage is Stage.CORRECTION:
            kinds += [EventKind.CORRECTED, EventKind.CORRECTION_LAPSED]
        if stage in (Stage.REGISTERED, Stage.CONSULTING):
            kinds.append(EventKind.CONSULTATION_SENT)
        if stage is Stage.CONSULTING:
            kinds.append(EventKind.CONSULTATION_ANSWERED)
        if stage is not Stage.CORRECTION and not state.extension_days:
            kinds.append(EventKind.EXTENDED)
        if stage is not Stage.CORRECTION and state.custom_deadline is None:
            kinds.append(EventKind.CUSTOM_DEADLINE)
        if stage in (Stage.REGISTERED, Stage.CONSULTING) and state.fee_notice_on is None:
            kinds.append(EventKind.FEE_NOTICE)
        if stage is Stage.AWAITING_FEE:
            kinds += [EventKind.FEE_PAID, EventKind.FEE_LAPSED]
        if stage in (Stage.REGISTERED, Stage.CONSULTING):
            kinds.append(EventKind.DECIDED)
        kinds.append(EventKind.WITHDRAWN)
    elif stage is Stage.DECIDED:
        kinds += [EventKind.DECIDED, EventKind.SIGNED_OFF, EventKind.WITHDRAWN]
    elif stage is Stage.SIGNED:
        kinds.append(EventKind.REPLIED)
    elif stage in (Stage.REPLIED, Stage.ABANDONED, Stage.WITHDRAWN):
        kinds.append(EventKind.ARCHIVED)
    return kinds


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
