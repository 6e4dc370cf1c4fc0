"""Forms of the complaint pages: Chinese messages beside the fields, nothing typed is lost."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from opengov.site.complaints.rules import (
    ANSWER_MAX_CHARS,
    DESCRIPTION_MAX_CHARS,
    REQUEST_NUMBER,
    Channel,
    Finding,
    Kind,
    Measure,
)
from opengov.site.complaints.service.filing import ComplaintInput
from opengov.site.web.forms import ChineseForm, EmailAddress, MultiCheckboxField, options
from opengov.site.workdays.rules import DATE_FORMAT_MESSAGE

PHONE = Regexp(r"^[0-9+\-\s()]{7,20}$", message="请填写有效的电话号码")


class ComplaintFields(ChineseForm):
    """What a complaint states, shared by the public form and the staff entry form."""

    agency = SelectField("被投诉机关", validators=[DataRequired("请选择被投诉机关")])
    kind = RadioField("投诉举报类型", choices=options((k.value, k.value) for k in Kind),
                      validators=[DataRequired("请选择投诉举报类型")])
    request_numbers = StringField("相关申请编号", validators=[Length(max=200, message="不超过200个字")])
    description = TextAreaField("事实和理由", validators=[
        DataRequired("请填写投诉举报的事实和理由"),
        Length(max=DESCRIPTION_MAX_CHARS, message=f"不超过{DESCRIPTION_MAX_CHARS}字")])
    name = StringField("姓名或者名称", validators=[DataRequired("请填写姓名或者名称"),
                                             Length(max=100, message="不超过100个字")])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), PHONE])
    email = StringField("电子邮箱", validators=[EmailAddress()])

    def validate_request_numbers(self, field: Any) -> None:
        for token in (field.data or "").replace("，", " ").replace(",", " ").split():
            if not REQUEST_NUMBER.fullmatch(token.strip().upper()):
                raise ValidationError(f"“{token[:30]}”不是申请编号，编号形如 YSQ-2026-000123，"
                                      "多个编号用空格分开")

    def complaint_input(self) -> ComplaintInput:
        return ComplaintInput(
            agency_id=int(self.agency.data), kind=self.kind.data,
            description=self.description.data or "", name=self.name.data or "",
            phone=self.phone.data or "", email=(self.email.data or "").strip(),
            request_numbers=self.request_numbers.data or "")


class ComplaintForm(ComplaintFields):
    """The public form, with the anti-robot fields (as on the request form)."""

    #: Honeypot: hidden from people by CSS and aria-hidden; robots fill it in.
    website = StringField("网址（请勿填写）")
    #: Signed time the form was first shown (minimum fill time).
    started = HiddenField()


class StatusForm(ChineseForm):
    number = StringField("投诉举报编号", validators=[DataRequired("请填写投诉举报编号")])
    code = StringField("查询码", validators=[DataRequired("请填写查询码")])


class WithdrawForm(ChineseForm):
    confirm = BooleanField("我确认撤回本投诉举报", validators=[DataRequired("请勾选确认撤回")])


class EntryForm(ComplaintFields):
    """A complaint received by letter, in person, by phone or forwarded, entered by staff."""

    channel = SelectField("收到渠道", choices=options((c.value, c.value) for c in Channel
                                                  if c is not Channel.ONLINE))
    received_on = DateField("收到日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])


class StepForm(ChineseForm):
    """One step of the handling; which fields matter depends on ``step`` (the rules check)."""

    step = HiddenField(validators=[DataRequired()])
    on = DateField("日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    handler_id = SelectField("承办人", choices=[], validators=[Optional()], validate_choice=False)
    note = TextAreaField("需要说明的事项", validators=[Length(max=2000)])
    text = TextAreaField("情况说明", validators=[Length(max=ANSWER_MAX_CHARS)])
    finding = SelectField("调查结论", choices=options(
        [("", "（请选择）")] + [(f.value, f.value) for f in Finding]), validate_choice=False)
    measures = MultiCheckboxField("处理措施（条例第四十七条）",
                                  choices=options((m.value, m.value) for m in Measure),
                                  validate_choice=False)
    answer = TextAreaField("书面答复", validators=[Length(max=ANSWER_MAX_CHARS)])

    def step_data(self) -> dict[str, Any]:
        handler = self.handler_id.data
        return {
            "handler_id": int(handler) if handler and str(handler).isdigit() else None,
            "note": self.note.data or "", "text": self.text.data or "",
            "finding": self.finding.data or "", "measures": list(self.measures.data or []),
            "answer": self.answer.data or "",
        }


class LinkForm(ChineseForm):
    request_number = StringField("申请编号", validators=[DataRequired("请填写申请编号")])

    def validate_request_number(self, field: Any) -> None:
        if not REQUEST_NUMBER.fullmatch((field.data or "").strip().upper()):
            raise ValidationError("申请编号形如 YSQ-2026-000123")
