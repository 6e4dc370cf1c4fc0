"""The request clock and state machine derived from events (条例 Arts. 30–37, rules.md §1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from opengov.site.requests.rules.clock import (
    Channel,
    ClockSettings,
    Event,
    EventKind,
    RequestState,
    Stage,
    TransitionError,
    allowed_kinds,
    check,
    derive,
)
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.workdays.rules import WorkingCalendar

D = dt.date
K = EventKind
CAL = WorkingCalendar()


def ev(kind: EventKind, on: dt.date, **data: Any) -> Event:
    return Event(kind, on, data)


def run(*events: Event, settings: ClockSettings | None = None) -> RequestState:
    return derive(events, CAL, settings)


IN_PERSON = ev(K.RECEIVED, D(2025, 9, 26), channel=Channel.IN_PERSON.value)


def test_in_person_receipt_starts_the_clock_rules_md_example() -> None:
    state = run(IN_PERSON)
    assert state.stage is Stage.REGISTERED
    assert state.receipt_date == D(2025, 9, 26)
    assert state.due is not None
    assert state.due.date == D(2025, 10, 30)
    assert state.correction_notice_due is not None
    assert state.correction_notice_due.date == D(2025, 10, 13)
    assert "收到申请之日2025-09-26的次日起算第20个工作日" in state.due.explanation


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.FAX, Channel.ORDINARY_LETTER])
def test_confirmation_channels_wait_for_the_confirmation_date(channel: Channel) -> None:
    received = ev(K.RECEIVED, D(2025, 9, 25), channel=channel.value)
    pending = run(received)
    assert pending.stage is Stage.PENDING
    assert pending.due is None
    assert pending.receipt_date is None
    state = run(received, ev(K.CONFIRMED, D(2025, 9, 26)))
    assert state.receipt_date == D(2025, 9, 26)  # 双方确认之日, not the submission day
    assert state.due is not None
    assert state.due.date == D(2025, 10, 30)


@pytest.mark.parametrize("channel", [Channel.IN_PERSON, Channel.POST_SIGNED, Channel.ORAL])
def test_channels_with_their_own_receipt_date(channel: Channel) -> None:
    state = run(ev(K.RECEIVED, D(2025, 9, 26), channel=channel.value))
    assert state.receipt_date == D(2025, 9, 26)
    with pytest.raises(TransitionError, match="不能确认"):
        check([ev(K.RECEIVED, D(2025, 9, 26), channel=channel.value)],
              ev(K.CONFIRMED, D(2025, 9, 26)), CAL)


def test_first_event_must_be_received_and_only_once() -> None:
    with pytest.raises(TransitionError, match="先登记"):
        run(ev(K.CONFIRMED, D(2025, 9, 26)))
    with pytest.raises(TransitionError, match="已经登记"):
        run(IN_PERSON, IN_PERSON)


def test_dates_before_receipt_are_refused() -> None:
    with pytest.raises(TransitionError, match="早于收到申请之日"):
        run(IN_PERSON, ev(K.ASSIGNED, D(2025, 9, 25), handler="h"))


class TestCorrection:
    notice = ev(K.CORRECTION_REQUESTED, D(2025, 10, 13), deadline="2025-10-24")

    def test_correction_restarts_the_clock(self) -> None:
        state = run(IN_PERSON, self.notice)
        assert state.stage is Stage.CORRECTION
        state = run(IN_PERSON, self.notice, ev(K.CORRECTED, D(2025, 10, 20)))
        assert state.stage is Stage.REGISTERED
        assert state.clock_start == D(2025, 10, 20)
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 10, 20), 20) == D(2025, 11, 17)
        assert "收到补正后申请之日2025-10-20" in state.due.explanation

    def test_second_correction_is_refused(self) -> None:
        events = [IN_PERSON, self.notice, ev(K.CORRECTED, D(2025, 10, 14))]
        with pytest.raises(TransitionError, match="一次性"):
            check(events, ev(K.CORRECTION_REQUESTED, D(2025, 10, 15), deadline="2025-10-30"),
                  CAL)

    def test_notice_after_seven_working_days_is_refused(self) -> None:
        with pytest.raises(TransitionError, match="7个工作日内"):
            run(IN_PERSON, ev(K.CORRECTION_REQUESTED, D(2025, 10, 14), deadline="2025-10-30"))

    def test_notice_needs_a_deadline_after_the_notice(self) -> None:
        with pytest.raises(TransitionError, match="缺少补正期限"):
            run(IN_PERSON, ev(K.CORRECTION_REQUESTED, D(2025, 10, 9)))
        with pytest.raises(TransitionError, match="晚于告知之日"):
            run(IN_PERSON, ev(K.CORRECTION_REQUESTED, D(2025, 10, 9), deadline="2025-10-09"))

    def test_late_correction_needs_good_cause(self) -> None:
        with pytest.raises(TransitionError, match="正当理由"):
            run(IN_PERSON, self.notice, ev(K.CORRECTED, D(2025, 10, 27)))
        state = run(IN_PERSON, self.notice, ev(K.CORRECTED, D(2025, 10, 27), good_cause="住院"))
        assert state.clock_start == D(2025, 10, 27)

    def test_lapse_after_the_deadline_is_abandonment(self) -> None:
        with pytest.raises(TransitionError, match="尚未届满"):
            run(IN_PERSON, self.notice, ev(K.CORRECTION_LAPSED, D(2025, 10, 24)))
        state = run(IN_PERSON, self.notice, ev(K.CORRECTION_LAPSED, D(2025, 10, 25)))
        assert state.stage is Stage.ABANDONED
        assert state.outcome is Outcome.CORRECTION_LAPSED
        assert not state.is_open
        assert run(IN_PERSON, self.notice, ev(K.CORRECTION_LAPSED, D(2025, 10, 25)),
                   ev(K.ARCHIVED, D(2025, 10, 27))).stage is Stage.ARCHIVED

    def test_no_decision_while_correction_pending(self) -> None:
        with pytest.raises(TransitionError, match="补正中"):
            run(IN_PERSON, self.notice, ev(K.DECIDED, D(2025, 10, 15), outcome="1"))


class TestConsultation:
    def test_answered_consultation_pauses_the_working_days_up_to_the_answer(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        state = run(IN_PERSON, sent)
        assert state.stage is Stage.CONSULTING
        answered = ev(K.CONSULTATION_ANSWERED, D(2025, 10, 14), ref="A")
        state = run(IN_PERSON, sent, answered)
        assert state.stage is Stage.REGISTERED
        # 10-10, 10-11 (调休 Saturday), 10-13, 10-14 are not counted: 4 working days.
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 10, 30), 4) == D(2025, 11, 5)
        assert "4个工作日不计（条例第三十三条第三款）" in state.due.explanation

    def test_unanswered_consultation_pauses_the_whole_window(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        state = run(IN_PERSON, sent)
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 10, 30), 15)
        consultation = state.consultations["A"]
        assert consultation.window_end == CAL.add_workdays(D(2025, 10, 9), 15)

    def test_late_answer_counts_only_the_window(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        window_end = CAL.add_workdays(D(2025, 10, 9), 15)
        late = ev(K.CONSULTATION_ANSWERED, window_end + dt.timedelta(days=7), ref="A")
        state = run(IN_PERSON, sent, late)
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 10, 30), 15)

    def test_overlapping_consultations_pause_each_day_once(self) -> None:
        state = run(IN_PERSON,
                    ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="甲"),
                    ev(K.CONSULTATION_SENT, D(2025, 10, 10), ref="B", party="乙"),
                    ev(K.CONSULTATION_ANSWERED, D(2025, 10, 14), ref="A"),
                    ev(K.CONSULTATION_ANSWERED, D(2025, 10, 15), ref="B"))
        # Union of (10-09, 10-14] and (10-10, 10-15]: 10-10, 10-11, 10-13, 10-14, 10-15.
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 10, 30), 5)

    def test_decision_waits_for_an_answer_or_the_window(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        window_end = CAL.add_workdays(D(2025, 10, 9), 15)
        with pytest.raises(TransitionError, match="尚未届满"):
            run(IN_PERSON, sent, ev(K.DECIDED, window_end, outcome="1"))
        state = run(IN_PERSON, sent,
                    ev(K.DECIDED, window_end + dt.timedelta(days=1), outcome="3.4"))
        assert state.outcome is Outcome.THIRD_PARTY

    def test_unknown_or_repeated_answer_is_refused(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        with pytest.raises(TransitionError, match="没有待回复"):
            run(IN_PERSON, sent, ev(K.CONSULTATION_ANSWERED, D(2025, 10, 10), ref="B"))
        with pytest.raises(TransitionError, match="不能登记意见"):
            run(IN_PERSON, sent, ev(K.CONSULTATION_ANSWERED, D(2025, 10, 10), ref="A"),
                ev(K.CONSULTATION_ANSWERED, D(2025, 10, 11), ref="A"))

    def test_duplicate_ref_refused(self) -> None:
        sent = ev(K.CONSULTATION_SENT, D(2025, 10, 9), ref="A", party="某公司")
        with pytest.raises(TransitionError, match="编号重复"):
            run(IN_PERSON, sent, sent)

    def test_consultation_after_deadline_refused(self) -> None:
        with pytest.raises(TransitionError, match="答复期限已过"):
            run(IN_PERSON, ev(K.CONSULTATION_SENT, D(2025, 10, 31), party="甲"))


class TestExtension:
    def extend(self, on: dt.date, **data: Any) -> Event:
        values: dict[str, Any] = {"days": 20, "approver": "王主任", "notified_on": on.isoformat()}
        values.update(data)
        return ev(K.EXTENDED, on, **values)

    def test_extension_adds_working_days(self) -> None:
        state = run(IN_PERSON, self.extend(D(2025, 10, 28)))
        assert state.due is not None
        assert state.due.date == CAL.add_workdays(D(2025, 9, 26), 40) == D(2025, 11, 27)
        assert "经王主任同意延长20个工作日" in state.due.explanation

    def test_extension_on_the_deadline_day_is_allowed(self) -> None:
        assert run(IN_PERSON, self.extend(D(2025, 10, 30))).extension_days == 20

    def test_extension_after_the_deadline_is_refused(self) -> None:
        with pytest.raises(TransitionError, match="届满前"):
            run(IN_PERSON, self.extend(D(2025, 10, 31)))

    def test_notice_after_the_deadline_is_refused(self) -> None:
        with pytest.raises(TransitionError, match="届满前"):
            run(IN_PERSON, self.extend(D(2025, 10, 29), notified_on="2025-10-31"))

    def test_second_extension_is_refused(self) -> None:
        with pytest.raises(TransitionError, match="只能延长一次"):
            run(IN_PERSON, self.extend(D(2025, 10, 20), days=5), self.extend(D(2025, 10, 21)))

    @pytest.mark.parametrize("days", [0, 21])
    def test_more_than_twenty_days_is_refused(self, days: int) -> None:
        with pytest.raises(TransitionError, match="20个工作日"):
            run(IN_PERSON, self.extend(D(2025, 10, 20), days=days))

    def test_approver_and_notice_date_are_required(self) -> None:
        with pytest.raises(TransitionError, match="批准人"):
            run(IN_PERSON, self.extend(D(2025, 10, 20), approver=" "))
        with pytest.raises(TransitionError, match="告知申请人的日期"):
            run(IN_PERSON, self.extend(D(2025, 10, 20), notified_on=""))
        with pytest.raises(TransitionError, match="早于批准日期"):
            run(IN_PERSON, self.extend(D(2025, 10, 20), notified_on="2025-10-17"))


class TestCustomDeadline:
    def test_art35_deadline_replaces_the_computed_one(self) -> None:
        state = run(IN_PERSON, ev(K.CUSTOM_DEADLINE, D(2025, 10, 9), deadline="2025-12-31",
                                  basis="申请数量明显超过合理范围，理由合理"))
        assert state.due is not None
        assert state.due.date == D(2025, 12, 31)
        assert "第三十五条" in state.due.explanation
        assert "理由合理" in state.due.explanation

    def test_basis_required_and_only_once(self) -> None:
        with pytest.raises(TransitionError, match="理由"):
            run(IN_PERSON, ev(K.CUSTOM_DEADLINE, D(2025, 10, 9), deadline="2025-12-31"))
        first = ev(K.CUSTOM_DEADLINE, D(2025, 10, 9), deadline="2025-12-31", basis="x")
        with pytest.raises(TransitionError, match="已确定过"):
            run(IN_PERSON, first, first)
        with pytest.raises(TransitionError, match="晚于决定之日"):
            run(IN_PERSON, ev(K.CUSTOM_DEADLINE, D(2025, 10, 9), deadline="2025-10-09",
                              basis="x"))


class TestFees:
    notice = ev(K.FEE_NOTICE, D(2025, 10, 9), fee_yuan="3000", amount="按件计收",
                received_on="2025-10-10")

    @pytest.mark.parametrize("fee", ["", "abc", "0", "-5", "12.345", "NaN"])
    def test_a_notice_states_a_positive_amount(self, fee: str) -> None:
        with pytest.raises(TransitionError, match="收费金额"):
            run(IN_PERSON, ev(K.FEE_NOTICE, D(2025, 10, 9), fee_yuan=fee,
                              received_on="2025-10-10"))

    def test_the_amount_is_kept(self) -> None:
        assert run(IN_PERSON, self.notice).fee_yuan == Decimal("3000")

    def test_payment_window_and_pause(self) -> None:
        state = run(IN_PERSON, self.notice)
        assert state.stage is Stage.AWAITING_FEE
        assert state.fee_due is not None
        assert state.fee_due.date == CAL.add_workdays(D(2025, 10, 10), 20)
        paid = run(IN_PERSON, self.notice, ev(K.FEE_PAID, D(2025, 10, 14)))
        assert paid.stage is Stage.REGISTERED
        # Paused: 10-10, 10-11, 10-13, 10-14.
        assert paid.due is not None
        assert paid.due.date == CAL.add_workdays(D(2025, 10, 30), 4)

    def test_pause_is_a_setting(self) -> None:
        paid = run(IN_PERSON, self.notice, ev(K.FEE_PAID, D(2025, 10, 14)),
                   settings=ClockSettings(fee_pauses_clock=False))
        assert paid.due is not None
        assert paid.due.date == D(2025, 10, 30)

    def test_late_payment_refused_and_lapse_abandons(self) -> None:
        fee_due = CAL.add_workdays(D(2025, 10, 10), 20)
        after = fee_due + dt.timedelta(days=1)
        with pytest.raises(TransitionError, match="超过缴费期限"):
            run(IN_PERSON, self.notice, ev(K.FEE_PAID, after))
        with pytest.raises(TransitionError, match="尚未届满"):
            run(IN_PERSON, self.notice, ev(K.FEE_LAPSED, fee_due))
        state = run(IN_PERSON, self.notice, ev(K.FEE_LAPSED, after))
        assert state.stage is Stage.ABANDONED
        assert state.outcome is Outcome.FEE_LAPSED

    def test_one_notice_within_the_period(self) -> None:
        with pytest.raises(TransitionError, match="不能发出收费通知"):
            run(IN_PERSON, self.notice, self.notice)
        with pytest.raises(TransitionError, match="答复期限内"):
            run(IN_PERSON, ev(K.FEE_NOTICE, D(2025, 10, 31), amount="100"))
        with pytest.raises(TransitionError, match="早于发出日期"):
            run(IN_PERSON, ev(K.FEE_NOTICE, D(2025, 10, 9), received_on="2025-10-08"))


class TestDecisionToArchive:
    def test_a_decision_states_what_its_letter_form_needs(self) -> None:
        with pytest.raises(TransitionError, match="不予公开的部分及理由"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="2"))
        with pytest.raises(TransitionError, match="第三十六条第（五）项"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="4.1", reply="4.1-elsewhere"))
        with pytest.raises(TransitionError, match="请选择处理结果"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="1", reply="4.1"))
        state = run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="4.1",
                                  reply="4.1-elsewhere", other_body="示例市财政局"))
        assert state.outcome is Outcome.NOT_HELD

    def test_full_path_and_on_time(self) -> None:
        events = [IN_PERSON, ev(K.ASSIGNED, D(2025, 9, 26), handler="张三"),
                  ev(K.DECIDED, D(2025, 10, 20), outcome="2", detail="第3页涉及个人隐私"),
                  ev(K.SIGNED_OFF, D(2025, 10, 21), signer="李四"),
                  ev(K.REPLIED, D(2025, 10, 22), channel="电子邮件")]
        state = run(*events)
        assert state.stage is Stage.REPLIED
        assert state.handler == "张三"
        assert state.outcome is Outcome.PARTLY_DISCLOSED
        assert state.replied_on_time is True
        assert not state.is_open
        assert not state.overdue(D(2026, 1, 1))
        assert run(*events, ev(K.ARCHIVED, D(2025, 10, 23))).stage is Stage.ARCHIVED

    def test_overdue_and_late_reply(self) -> None:
        state = run(IN_PERSON)
        assert not state.overdue(D(2025, 10, 30))
        assert state.overdue(D(2025, 10, 31))
        late = run(IN_PERSON, ev(K.DECIDED, D(2025, 11, 3), outcome="1"),
                   ev(K.SIGNED_OFF, D(2025, 11, 3), signer="李四"),
                   ev(K.REPLIED, D(2025, 11, 3)))
        assert late.replied_on_time is False

    def test_sign_off_and_delivery_follow_the_decision(self) -> None:
        decided = ev(K.DECIDED, D(2025, 10, 10), outcome="1")
        with pytest.raises(TransitionError, match="早于处理决定日期"):
            run(IN_PERSON, decided, ev(K.SIGNED_OFF, D(2025, 10, 9), signer="李四"))
        with pytest.raises(TransitionError, match="早于签发日期"):
            run(IN_PERSON, decided, ev(K.SIGNED_OFF, D(2025, 10, 13), signer="李四"),
                ev(K.REPLIED, D(2025, 10, 10)))

    def test_decision_can_be_revised_before_sign_off(self) -> None:
        state = run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="1"),
                    ev(K.DECIDED, D(2025, 10, 10), outcome="4.1"))
        assert state.outcome is Outcome.NOT_HELD

    def test_automatic_or_unknown_outcomes_refused(self) -> None:
        with pytest.raises(TransitionError, match="系统"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="6.1"))
        with pytest.raises(TransitionError, match="请选择"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="9"))

    def test_order_is_enforced(self) -> None:
        with pytest.raises(TransitionError, match="不能签发"):
            run(IN_PERSON, ev(K.SIGNED_OFF, D(2025, 10, 9), signer="x"))
        with pytest.raises(TransitionError, match="不能送达答复"):
            run(IN_PERSON, ev(K.REPLIED, D(2025, 10, 9)))
        with pytest.raises(TransitionError, match="签发人"):
            run(IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="1"),
                ev(K.SIGNED_OFF, D(2025, 10, 9)))
        with pytest.raises(TransitionError, match="不能归档"):
            run(IN_PERSON, ev(K.ARCHIVED, D(2025, 10, 9)))
        with pytest.raises(TransitionError, match="不能作出处理决定"):
            run(ev(K.RECEIVED, D(2025, 9, 26), channel=Channel.ONLINE.value),
                ev(K.DECIDED, D(2025, 10, 9), outcome="1"))

    def test_withdrawal_counts_as_other(self) -> None:
        state = run(IN_PERSON, ev(K.WITHDRAWN, D(2025, 10, 9)))
        assert state.stage is Stage.WITHDRAWN
        assert state.outcome is Outcome.OTHER
        with pytest.raises(TransitionError, match="不能撤回"):
            run(IN_PERSON, ev(K.WITHDRAWN, D(2025, 10, 9)), ev(K.WITHDRAWN, D(2025, 10, 9)))


def test_year_boundary_request_is_provisional() -> None:
    state = run(ev(K.RECEIVED, D(2026, 12, 20), channel=Channel.IN_PERSON.value))
    assert state.due is not None
    assert state.due.date == D(2027, 1, 15)
    assert state.due.provisional
    calendar = WorkingCalendar(overrides={D(2027, 1, 1): False}, confirmed_years={2027})
    recomputed = derive([ev(K.RECEIVED, D(2026, 12, 20), channel=Channel.IN_PERSON.value)],
                        calendar)
    assert recomputed.due is not None
    assert recomputed.due.date == D(2027, 1, 18)
    assert not recomputed.due.provisional


@pytest.mark.parametrize(("events", "expected"), [
    ([ev(K.RECEIVED, D(2025, 9, 26), channel=Channel.ONLINE.value)],
     {K.CONFIRMED, K.ASSIGNED, K.WITHDRAWN}),
    ([IN_PERSON], {K.ASSIGNED, K.CORRECTION_REQUESTED, K.CONSULTATION_SENT, K.EXTENDED,
                   K.CUSTOM_DEADLINE, K.FEE_NOTICE, K.DECIDED, K.WITHDRAWN}),
    ([IN_PERSON, ev(K.DECIDED, D(2025, 10, 9), outcome="1")],
     {K.DECIDED, K.SIGNED_OFF, K.WITHDRAWN}),
])
def test_allowed_kinds(events: list[Event], expected: set[EventKind]) -> None:
    assert set(allowed_kinds(run(*events))) == expected
