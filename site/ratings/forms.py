"""The 好差评 forms: rating a service item, rating a closed request (with its number and
query code), and staff recording the 回访 and 整改 of a 差评."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from opengov.site.ratings.rules import (
    CALLBACK_METHODS,
    INDICATORS,
    MAX_COMMENT,
    Level,
    RatingInput,
    Subject,
    Verdict,
)
from opengov.site.web.forms import ChineseForm, options

LEVEL_CHOICES = options((str(level.value), level.label) for level in Level)


def _level(label: str, *, required: bool = False) -> RadioField:
    validators: list[Any] = [InputRequired(f"请选择{label}")] if required else [Optional()]
    return RadioField(label, choices=LEVEL_CHOICES, coerce=int, validators=validators)


class RatingForm(ChineseForm):
    """The indicators of rules.md §8.4 (the template shows those of the subject), the
    comment, and a contact for the 回访 of a 差评."""

    overall = _level("整体满意度", required=True)
    efficiency = _level("办事效率")
    guide_accuracy = _level("办事指南精确度")
    convenience = _level("办事便捷度")
    platform = _level("平台操作性")
    comment = TextAreaField("意见和建议", validators=[Optional(), Length(max=MAX_COMMENT)])
    contact = StringField("联系电话或电子邮箱（选填：仅在不满意时用于回访，不公开，回访后删除）",
                          validators=[Optional(), Length(max=100)])

    subject = Subject.SERVICE_ITEM

    def to_input(self) -> RatingInput:
        keys = [indicator.key for indicator in INDICATORS[self.subject]]
        return RatingInput(
            self.subject, {key: getattr(self, key).data for key in keys},
            comment=(self.comment.data or "").strip(),
            contact=(self.contact.data or "").strip() if "contact" in self else "")

    def show(self, problems: dict[str, str]) -> None:
        """Put each message beside its field."""
        for key, message in problems.items():
            field = getattr(self, key, None) if key in self else None
            if field is not None:
                field.errors.append(message)


class RequestRatingForm(RatingForm):
    """The applicant rates a closed request with its number and query code."""

    number = StringField("申请编号", validators=[DataRequired("请填写申请编号"), Length(max=20)])
    code = StringField("查询码", validators=[DataRequired("请填写查询码"), Length(max=80)])
    # The 回访 of a request uses the contact given with the application.
    contact = None
    guide_accuracy = None

    subject = Subject.REQUEST


class CallbackForm(ChineseForm):
    on = DateField("回访日期", validators=[DataRequired("请填写回访日期")])
    method = SelectField("回访方式", choices=options((value, value) for value in CALLBACK_METHODS))
    note = TextAreaField("回访情况", validators=[DataRequired("请记录回访情况"), Length(max=2000)])


class RectificationForm(ChineseForm):
    verdict = RadioField("核实情况", choices=options((item.value, item.value) for item in Verdict),
                         validators=[InputRequired("请选择核实情况")])
    text = TextAreaField("整改措施和结果（不属实的写明核实经过和理由）",
                         validators=[DataRequired("请填写整改情况"), Length(max=5000)])
    on = DateField("办结日期", validators=[DataRequired("请填写办结日期")])
