"""The 找错 form and the staff's resolution form."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from opengov.site.error_reports.rules import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    PAGE_MAX,
    Problem,
    Status,
    local_page,
)
from opengov.site.web.forms import ChineseForm, options


class ErrorReportForm(ChineseForm):
    page = StringField("出错的网页地址", validators=[
        DataRequired("请填写出错的网页地址"), Length(max=PAGE_MAX, message="网址过长")])
    problem = RadioField("问题类型", choices=options((p.value, p.value) for p in Problem),
                         validators=[DataRequired("请选择问题类型")])
    description = TextAreaField("问题描述", validators=[
        DataRequired("请描述发现的问题"),
        Length(min=DESCRIPTION_MIN, max=DESCRIPTION_MAX,
               message=f"问题描述应为 {DESCRIPTION_MIN}–{DESCRIPTION_MAX} 个字")])
    contact = StringField("联系方式（选填，电话或电子邮箱，仅用于回复您）",
                          validators=[Optional(), Length(max=100, message="联系方式过长")])
    #: Left empty by people; robots fill every field.
    website = StringField("请勿填写此项")

    #: Set by the view: this site's host names, to refuse other sites' addresses.
    site_hosts: tuple[str, ...] = ()

    def validate_page(self, field: Any) -> None:
        if local_page(field.data or "", self.site_hosts) is None:
            raise ValidationError("请填写本网站的网页地址（以 / 开头，或本站的完整网址）。")

    def local_page(self) -> str:
        page = local_page(self.page.data or "", self.site_hosts)
        assert page is not None  # validated
        return page


class ResolveForm(ChineseForm):
    status = RadioField("处理结果", choices=options(
        (s.value, s.value) for s in Status if s != Status.OPEN),
        validators=[DataRequired("请选择处理结果")])
    resolution = TextAreaField("处理说明", validators=[
        DataRequired("请填写处理说明"), Length(max=2000)])
