"""The form of an agency's 政府信息公开指南 and contact details (条例 Art. 12)."""

from __future__ import annotations

from typing import Any

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from opengov.site.agencies.rules import KIND_LABELS, code_problem, org_code_problem
from opengov.site.web.forms import ChineseForm, options


class AgencyForm(ChineseForm):
    name = StringField("机关名称", validators=[DataRequired("请输入机关名称"), Length(max=100)])
    office_name = StringField("政府信息公开工作机构", validators=[Optional(), Length(max=100)])
    address = StringField("办公地址", validators=[Optional(), Length(max=200)])
    postcode = StringField("邮政编码", validators=[
        Optional(), Regexp(r"^\d{6}$", message="邮政编码应为 6 位数字")])
    office_hours = StringField("办公时间", validators=[Optional(), Length(max=200)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=50)])
    fax = StringField("传真号码", validators=[Optional(), Length(max=50)])
    email = StringField("电子邮箱", validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="邮箱格式不正确")])
    website = StringField("互联网联系方式（网址）", validators=[
        Optional(), Regexp(r"^https?://\S+$", message="网址应以 http:// 或 https:// 开头")])
    guide_markdown = TextAreaField("政府信息公开指南（Markdown）", validators=[Optional()])

    def values(self, names: tuple[str, ...]) -> dict[str, str]:
        """The submitted text of the fields ``names``, without surrounding spaces."""
        return {name: (self[name].data or "").strip() for name in names}


class NewAgencyForm(ChineseForm):
    """A new department, township or 村/社区."""

    name = StringField("机关名称", validators=[DataRequired("请输入机关名称"), Length(max=100)])
    short_name = StringField("简称", validators=[Optional(), Length(max=40)])
    kind = SelectField("类型", choices=options(
        (kind, label) for kind, label in KIND_LABELS.items() if kind != "government"),
        default="department")
    parent = SelectField("上级机构", choices=[], validate_choice=False)
    code = StringField("机构代码（网址用，创建后不可修改）", validators=[
        DataRequired("请输入机构代码"), Length(max=40)])
    org_code = StringField("组织机构代码或统一社会信用代码（索引号前缀）", validators=[
        DataRequired("请输入组织机构代码"), Length(max=40)])
    sort_order = IntegerField("排序（数字小的在前）", default=0, validators=[
        Optional(), NumberRange(min=0, max=9999, message="排序应为 0 到 9999 的整数")])

    def validate_code(self, field: Any) -> None:
        problem = code_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)

    def validate_org_code(self, field: Any) -> None:
        problem = org_code_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)

    def validate_parent(self, field: Any) -> None:
        if (field.data or "") not in {choice.value for choice in self.parent.choices}:
            raise ValidationError("请从列表中选择上级机构。")

    def parent_id(self) -> int | None:
        value = self.parent.data or ""
        return int(value) if value.isdigit() and value.isascii() else None
