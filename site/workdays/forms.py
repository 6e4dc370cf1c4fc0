"""Forms of the staff calendar page: one day from the State Council's notice, a whole year."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, NumberRange

from opengov.site.web.forms import options
from opengov.site.workdays.rules import DATE_FORMAT_MESSAGE


class CalendarForm(FlaskForm):  # type: ignore[misc]
    """A day off (放假) or a makeup working day (调休上班) as the notice lists it."""

    day = DateField("日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    status = RadioField("类型", choices=options([("holiday", "放假（休息日）"), ("workday", "调休上班")]),
                        default="holiday", validators=[DataRequired("请选择类型")])
    note = StringField("依据（通知文号、节日）")

    @property
    def workday(self) -> bool:
        return bool(self.status.data == "workday")


class ConfirmYearForm(FlaskForm):  # type: ignore[misc]
    """The year's notice is entered completely: its dates stop being provisional."""

    year = IntegerField("年份", validators=[DataRequired("请填写年份"),
                                          NumberRange(2000, 2100, "年份无效")])
    note = StringField("依据（国务院办公厅通知文号）", validators=[DataRequired("请填写依据")])
    complete = BooleanField("该年全部放假、调休日期均已录入",
                            validators=[DataRequired("请确认已全部录入")])
