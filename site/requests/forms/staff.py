"""Forms of the staff request pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from opengov.site.requests.forms.public import ApplicationFields
from opengov.site.requests.rules.clock import Channel, EventKind
from opengov.site.requests.rules.outcomes import REPLIES, decision_choices
from opengov.site.web.forms import options
from opengov.site.workdays.rules import DATE_FORMAT_MESSAGE


class EntryForm(ApplicationFields):
    """A request received in person, by post, by fax or orally (Art. 31), entered by staff."""

    channel = SelectField("提交渠道", choices=options((c.value, c.value) for c in Channel
                                           if c not in (Channel.ONLINE, Channel.TRANSFER)))
    received_on = DateField("收到（提交、签收、到达）日期",
                            validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    confirmed_on = DateField("与申请人确认日期", validators=[Optional()])

    def validate_confirmed_on(self, field: Any) -> None:
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError("确认日期不能早于收到日期")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class ActionForm(FlaskForm):  # type: ignore[misc]
    """One step of the workflow; which fields matter depends on ``kind`` (the domain checks)."""

    kind = HiddenField(validators=[DataRequired()])
    on = DateField("日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    # The choices are the request's agency's handlers; the service checks the one chosen.
    handler_id = SelectField("承办人", choices=[], validators=[Optional()],
                             validate_choice=False)
    deadline = DateField("期限", validators=[Optional()])
    days = IntegerField("延长工作日数", default=20,
                        validators=[Optional(), NumberRange(1, 20, "1至20个工作日")])
    approver = StringField("批准人（工作机构负责人）")
    notified_on = DateField("告知申请人日期", validators=[Optional()])
    basis = TextAreaField("理由")
    ref = StringField("征求意见编号")
    party = StringField("征求意见对象")
    outcome = SelectField("处理结果", choices=options([("", "（请选择）"), *decision_choices()]),
                          validators=[Optional()])
    detail = TextAreaField("说明（写入告知书；理由、获取途径等，不必重复“经审查”）")
    other_body = StringField("负责公开的机关名称和联系方式")
    fee_yuan = DecimalField("收费金额（元）", places=2,
                            validators=[Optional(), NumberRange(min=0.01, message="应大于0")])
    amount = StringField("计算方式（写入收费通知）")
    received_on = DateField("申请人收到通知日期", validators=[Optional()])
    good_cause = StringField("逾期补正的正当理由")
    delivery = StringField("送达方式")
    note = TextAreaField("备注")

    def event_data(self, kind: EventKind) -> dict[str, Any]:
        """The step's details from the fields that matter for ``kind``."""
        fields: dict[EventKind, dict[str, Any]] = {
            EventKind.ASSIGNED: {"handler_id": int(self.handler_id.data)
                                 if (self.handler_id.data or "").isdigit() else None},
            EventKind.CORRECTION_REQUESTED: {"deadline": _iso(self.deadline.data),
                                             "matters": self.detail.data},
            EventKind.CORRECTED: {"good_cause": self.good_cause.data or ""},
            EventKind.CONSULTATION_SENT: {"ref": self.ref.data, "party": self.party.data},
            EventKind.CONSULTATION_ANSWERED: {"ref": self.ref.data, "result": self.detail.data},
            EventKind.EXTENDED: {"days": self.days.data or 0, "approver": self.approver.data,
                                 "notified_on": _iso(self.notified_on.data),
                                 "reason": self.detail.data},
            EventKind.CUSTOM_DEADLINE: {"deadline": _iso(self.deadline.data),
                                        "basis": self.basis.data},
            EventKind.FEE_NOTICE: {"fee_yuan": "" if self.fee_yuan.data is None
                                   else str(self.fee_yuan.data),
                                   "amount": self.amount.data,
                                   "received_on": _iso(self.received_on.data)},
            EventKind.DECIDED: {"outcome": REPLIES[self.outcome.data].outcome.value
                                if self.outcome.data in REPLIES else "",
                                "reply": self.outcome.data, "detail": self.detail.data,
                                "other_body": self.other_body.data},
            EventKind.REPLIED: {"delivery": self.delivery.data},
        }
        return fields.get(kind, {})


class TransferForm(FlaskForm):  # type: ignore[misc]
    """Art. 36(五): the information is another agency's, and that agency is on the site."""

    # The choices are the site's other agencies; the service checks the one chosen.
    target = SelectField("转送至", choices=[], coerce=int, validate_choice=False,
                         validators=[DataRequired("请选择机关")])
    on = DateField("转送日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
