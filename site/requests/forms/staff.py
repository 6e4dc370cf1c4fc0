"""Forms of the staff request pages."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from opengov.site.requests.forms.public import ApplicationFields
from opengov.site.requests.rules.clock import CONFIRMATION_CHANNELS, Channel
from opengov.site.requests.rules.outcomes import decision_choices
from opengov.site.web.forms import options

DATE_MESSAGE = "日期格式应为 YYYY-MM-DD"


class EntryForm(ApplicationFields):
    """A request received in person, by post, by fax or orally (Art. 31), entered by staff."""

    channel = SelectField("提交渠道", choices=options((c.value, c.value) for c in Channel
                                           if c not in (Channel.ONLINE, Channel.TRANSFER)))
    received_on = DateField("收到（提交、签收、到达）日期",
                            validators=[DataRequired(DATE_MESSAGE)])
    confirmed_on = DateField("与申请人确认日期", validators=[Optional()])

    def validate_confirmed_on(self, field: Any) -> None:
        if field.data and self.received_on.data and field.data < self.received_on.data:
            raise ValidationError("确认日期不能早于收到日期")


class ActionForm(FlaskForm):  # type: ignore[misc]
    """One step of the workflow; which fields matter depends on ``kind`` (the domain checks)."""

    kind = HiddenField(validators=[DataRequired()])
    on = DateField("日期", validators=[DataRequired(DATE_MESSAGE)])
    handler_id = SelectField("承办人", choices=[], validators=[Optional()])
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
    detail = TextAreaField("说明（写入告知书）")
    other_body = StringField("负责公开的机关名称和联系方式")
    fee_yuan = DecimalField("收费金额（元）", places=2,
                            validators=[Optional(), NumberRange(min=0.01, message="应大于0")])
    amount = StringField("计算方式（写入收费通知）")
    received_on = DateField("申请人收到通知日期", validators=[Optional()])
    good_cause = StringField("逾期补正的正当理由")
    delivery = StringField("送达方式")
    note = TextAreaField("备注")


class TransferForm(FlaskForm):  # type: ignore[misc]
    """Art. 36(五): the information is another agency's, and that agency is on the site."""

    target = SelectField("转送至", choices=[], validators=[DataRequired("请选择机关")])
    on = DateField("转送日期", validators=[DataRequired(DATE_MESSAGE)])


class CalendarForm(FlaskForm):  # type: ignore[misc]
    day = DateField("日期", validators=[DataRequired(DATE_MESSAGE)])
    status = RadioField("类型", choices=options([("holiday", "放假（休息日）"), ("workday", "调休上班")]),
                        default="holiday", validators=[DataRequired("请选择类型")])
    note = StringField("依据（通知文号、节日）")


class ConfirmYearForm(FlaskForm):  # type: ignore[misc]
    year = IntegerField("年份", validators=[DataRequired("请填写年份"),
                                          NumberRange(2000, 2100, "年份无效")])
    note = StringField("依据（国务院办公厅通知文号）", validators=[DataRequired("请填写依据")])
    complete = BooleanField("该年全部放假、调休日期均已录入",
                            validators=[DataRequired("请确认已全部录入")])


NEEDS_CONFIRMATION = frozenset(channel.value for channel in CONFIRMATION_CHANNELS)
