"""The forms of the standard catalog's staff pages."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from opengov.site.standard_catalog.rules import (
    DOMAINS,
    FIELD_LABELS,
    FIELD_LIMITS,
    Audience,
    Mode,
    RowData,
)
from opengov.site.web.forms import ChineseForm, options


def _text(name: str, required: bool = False) -> StringField:
    validators: list[Any] = [Length(max=FIELD_LIMITS[name],
                                    message=f"不能超过 {FIELD_LIMITS[name]} 字")]
    validators.insert(0, DataRequired(f"请填写{FIELD_LABELS[name]}") if required else Optional())
    return StringField(FIELD_LABELS[name], validators=validators)


def _area(name: str, required: bool = False) -> TextAreaField:
    validators: list[Any] = [Length(max=FIELD_LIMITS[name],
                                    message=f"不能超过 {FIELD_LIMITS[name]} 字")]
    validators.insert(0, DataRequired(f"请填写{FIELD_LABELS[name]}") if required else Optional())
    return TextAreaField(FIELD_LABELS[name], validators=validators)


class RowForm(ChineseForm):
    """One 公开事项 with every element 国办发〔2019〕54号 names."""

    domain = SelectField("试点领域", choices=options((d.slug, d.name) for d in DOMAINS))
    item = _text("item", required=True)
    sub_item = _text("sub_item")
    content = _area("content", required=True)
    basis = _area("basis")
    time_limit = _text("time_limit", required=True)
    subject = _text("subject", required=True)
    channels = _text("channels", required=True)
    audience = SelectField("公开对象", choices=options((a.value, a.value) for a in Audience))
    mode = SelectField("公开方式", choices=options((m.value, m.value) for m in Mode))
    formed_on = DateField("待公开信息的形成日期（按“形成之日起”计算时限的事项填写）",
                          validators=[Optional()])

    def data_row(self) -> RowData:
        return RowData(domain=self.domain.data, item=self.item.data or "",
                       sub_item=self.sub_item.data or "", content=self.content.data or "",
                       basis=self.basis.data or "", time_limit=self.time_limit.data or "",
                       subject=self.subject.data or "", channels=self.channels.data or "",
                       audience=self.audience.data, mode=self.mode.data)


class ImportForm(ChineseForm):
    agency = SelectField("机构", choices=[], validate_choice=False)
    workbook = FileField("标准目录（Excel .xlsx）")
    example = BooleanField("标注为示例数据")

    def validate_agency(self, field: Any) -> None:
        if (field.data or "") not in {choice.value for choice in self.agency.choices}:
            raise ValidationError("请选择机构。")

    def validate_workbook(self, field: Any) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError("请选择要导入的 .xlsx 文件。")
        if not upload.filename.lower().endswith(".xlsx"):
            raise ValidationError("只接受 Excel（.xlsx）文件。")


class DocumentRowsForm(ChineseForm):
    """The rows a document fulfils, ticked on its staff page as ``row`` check boxes (their
    values are checked by the service: rows of the document's agency only)."""
