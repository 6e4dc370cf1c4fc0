"""Forms of the public request pages (条例 Art. 29): Chinese messages beside the fields."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from opengov.site.requests.rules.applicant import (
    PERSON_ID_TYPES,
    ApplicantKind,
    Carrier,
    Delivery,
    IdType,
    OrgType,
    id_number_error,
)
from opengov.site.requests.service.handling import Application
from opengov.site.web.forms import ChineseForm, options

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _choices(enum: Any) -> list[SelectChoice]:
    return options((member.value, member.value) for member in enum)


class ApplicationFields(ChineseForm):
    """The Art. 29 fields, shared by the public form and the staff entry form."""

    agency = SelectField("受理机关", validators=[DataRequired("请选择受理机关")])
    applicant_kind = RadioField("申请人类型", choices=_choices(ApplicantKind),
                                default=ApplicantKind.PERSON.value,
                                validators=[DataRequired("请选择申请人类型")])
    org_type = SelectField("组织类型", choices=[SelectChoice("", "（法人或其他组织请选择）"),
                                              *_choices(OrgType)],
                           validate_choice=False)
    name = StringField("姓名或者名称", validators=[DataRequired("请填写姓名或者名称"),
                                             Length(max=100, message="不超过100个字")])
    id_type = SelectField("身份证明类型", choices=_choices(IdType),
                          default=IdType.RESIDENT_ID.value)
    id_number = StringField("证件号码", validators=[DataRequired("请填写证件号码")])
    phone = StringField("联系电话", validators=[
        DataRequired("请填写联系电话"),
        Regexp(r"^[0-9+\-\s()]{7,20}$", message="请填写有效的电话号码")])
    email = StringField("电子邮箱", validators=[Length(max=120)])
    address = StringField("通信地址", validators=[DataRequired("请填写通信地址"),
                                              Length(max=200, message="不超过200个字")])
    postcode = StringField("邮政编码", validators=[
        Optional(), Regexp(r"^\d{6}$", message="邮政编码为6位数字")])
    doc_title = StringField("所需信息的名称", validators=[Length(max=200)])
    doc_number = StringField("文号", validators=[Length(max=100)])
    description = TextAreaField("所需信息的内容描述", validators=[Length(max=4000)])
    carrier = RadioField("获取信息的载体形式", choices=_choices(Carrier),
                         default=Carrier.ELECTRONIC.value,
                         validators=[DataRequired("请选择载体形式")])
    delivery = RadioField("获取信息的方式", choices=_choices(Delivery),
                          default=Delivery.EMAIL.value,
                          validators=[DataRequired("请选择获取方式")])

    def validate_org_type(self, field: Any) -> None:
        if self.applicant_kind.data == ApplicantKind.ORGANISATION and not field.data:
            raise ValidationError("法人或其他组织请选择组织类型")
        if field.data and field.data not in {org.value for org in OrgType}:
            raise ValidationError("请从列表中选择组织类型")

    def validate_id_type(self, field: Any) -> None:
        if self.applicant_kind.data == ApplicantKind.ORGANISATION and field.data != IdType.USCC:
            raise ValidationError("法人或其他组织请使用统一社会信用代码")
        if self.applicant_kind.data == ApplicantKind.PERSON and field.data not in PERSON_ID_TYPES:
            raise ValidationError("自然人请选择个人身份证件")

    def validate_id_number(self, field: Any) -> None:
        error = id_number_error(self.id_type.data or "", field.data or "")
        if error:
            raise ValidationError(error)

    def validate_email(self, field: Any) -> None:
        if field.data and not EMAIL_PATTERN.match(field.data.strip()):
            raise ValidationError("请填写有效的电子邮箱")
        if not field.data and self.delivery.data == Delivery.EMAIL:
            raise ValidationError("选择电子邮件方式的，请填写电子邮箱")

    def validate_description(self, field: Any) -> None:
        parts = (self.doc_title.data, self.doc_number.data, field.data)
        if not any((part or "").strip() for part in parts):
            raise ValidationError("请至少填写所需信息的名称、文号或内容描述之一（条例第二十九条）")

    def application(self) -> Application:
        return Application(
            applicant_kind=self.applicant_kind.data, org_type=self.org_type.data or "",
            name=self.name.data, id_type=self.id_type.data, id_number=self.id_number.data,
            phone=self.phone.data, email=self.email.data or "", address=self.address.data,
            postcode=self.postcode.data or "", doc_title=self.doc_title.data or "",
            doc_number=self.doc_number.data or "", description=self.description.data or "",
            carrier=self.carrier.data, delivery=self.delivery.data)


class RequestForm(ApplicationFields):
    """The public form, with the anti-robot fields."""

    #: Honeypot: hidden from people by CSS and aria-hidden; robots fill it in.
    website = StringField("网址（请勿填写）")
    #: Signed time the form was first shown (minimum fill time).
    started = HiddenField()
    #: edit → the form again; review → the check page; submit → file it.
    action = HiddenField(default="review")


class StatusForm(FlaskForm):  # type: ignore[misc]
    number = StringField("申请编号", validators=[DataRequired("请填写申请编号")])
    code = StringField("查询码", validators=[DataRequired("请填写查询码")])


class ResendCodeForm(FlaskForm):  # type: ignore[misc]
    """找回查询码: the number and the e-mail or phone given in the application."""

    number = StringField("申请编号", validators=[DataRequired("请填写申请编号"), Length(max=40)])
    contact = StringField("申请时填写的电子邮箱或联系电话",
                          validators=[DataRequired("请填写电子邮箱或联系电话"), Length(max=120)])


class CorrectionForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField("补正内容", validators=[DataRequired("请填写补正内容"),
                                              Length(max=4000)])


class WithdrawForm(FlaskForm):  # type: ignore[misc]
    confirm = BooleanField("我确认撤回本申请", validators=[DataRequired("请勾选确认撤回")])


class DownloadForm(FlaskForm):  # type: ignore[misc]
    """A download that is logged (a POST with its CSRF token): no fields of its own."""
