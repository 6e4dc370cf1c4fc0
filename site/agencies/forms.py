"""The form of an agency's 政府信息公开指南 and contact details (条例 Art. 12)."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from opengov.site.web.forms import ChineseForm


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
