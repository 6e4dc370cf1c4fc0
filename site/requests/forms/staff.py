"""Forms of the staff request pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from opengov.site.requests.forms.public import ApplicationFields
from opengov.site.requests.rules.clock import Channel, EventKind
from opengov.site.requests.rules.outcomes import REPLIES, decision_choices
from opengov.site.requests.service.delivery import Area, RedactionRequest
from opengov.site.web.forms import ChineseForm, options
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


class ReleaseForm(ChineseForm):
    """A released file with what to remove from it before it leaves (Art. 37 区分处理)."""

    file = FileField("文件（PDF、图片或 Office 文件）", validators=[FileRequired("请选择文件")])
    terms = TextAreaField("遮盖以下文字（每行一项，如第三方姓名、单位名称）",
                          validators=[Optional(), Length(max=4000)])
    id_numbers = BooleanField("遮盖文件中所有居民身份证号码")
    mobile_numbers = BooleanField("遮盖文件中所有手机号码")
    areas = TextAreaField("遮盖区域（每行：页码,距左,距上,宽,高；PDF 按毫米，图片按像素）",
                          validators=[Optional(), Length(max=4000)])

    def validate_areas(self, field: Any) -> None:
        self.parsed_areas()

    def parsed_areas(self) -> list[Area]:
        """The areas typed, one per line; :class:`ValidationError` names the bad line."""
        areas = []
        for number, line in enumerate((self.areas.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part for part in line.replace("，", ",").replace(" ", ",").split(",")
                     if part]
            try:
                page, left, top, width, height = (float(part) for part in parts)
            except ValueError:
                raise ValidationError(f"第{number}行应为5个数字：页码,距左,距上,宽,高") from None
            if page < 1 or page != int(page) or min(left, top) < 0 or min(width, height) <= 0:
                raise ValidationError(f"第{number}行：页码从1起，宽和高须大于0")
            areas.append(Area(int(page), left, top, width, height))
        return areas

    def redaction(self) -> RedactionRequest:
        return RedactionRequest(terms=(self.terms.data or "").splitlines(),
                                id_numbers=bool(self.id_numbers.data),
                                mobile_numbers=bool(self.mobile_numbers.data),
                                areas=self.parsed_areas())


class SigningPolicyForm(ChineseForm):
    """Whether the person who decides may also sign off, per agency (小型机关)."""

    agency_id = IntegerField(validators=[DataRequired(), NumberRange(1, 2**31 - 1)])
    allowed = BooleanField("允许作出处理决定的人签发答复书")


class ProactiveForm(ChineseForm):
    """依申请转主动 (Art. 44): the information, named so that later requests find it."""

    subject = StringField("信息名称（如文件标题、文号）",
                          validators=[DataRequired("请填写信息名称"), Length(max=200)])
