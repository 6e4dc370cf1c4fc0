"""Forms of the annual report and the 行政复议/行政诉讼 register."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from opengov.site.reports.rules import ReviewGroup, ReviewResult
from opengov.site.web.forms import ChineseForm, options


class ReportForm(ChineseForm):
    overview = TextAreaField("一、总体情况（主动公开、依申请公开、政府信息管理、平台建设、监督保障）",
                             validators=[Optional(), Length(max=20000)])
    licensing_decisions = IntegerField("行政许可：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    penalty_decisions = IntegerField("行政处罚：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    coercion_decisions = IntegerField("行政强制：本年处理决定数量", default=0, validators=[
        InputRequired("请填写数量"), NumberRange(min=0, message="不能为负数")])
    fees_collected = DecimalField("行政事业性收费：本年收费金额（万元）", places=2, default=0,
                                  validators=[InputRequired("请填写金额"),
                                              NumberRange(min=0, message="不能为负数")])
    problems = TextAreaField("五、存在的主要问题及改进情况",
                             validators=[Optional(), Length(max=20000)])
    other_matters = TextAreaField("六、其他需要报告的事项（信息处理费由系统统计后附上）",
                                  validators=[Optional(), Length(max=20000)])


class ReviewCaseForm(ChineseForm):
    agency = SelectField("被申请（被诉）机关", validators=[DataRequired("请选择机关")])
    year = IntegerField("计入年度", validators=[InputRequired("请填写年度"),
                                            NumberRange(2008, 2100, "年度不正确")])
    group = SelectField("类型", choices=options((g.value, g.value) for g in ReviewGroup))
    result = SelectField("结果", choices=options((r.value, r.value) for r in ReviewResult))
    case_number = StringField("案号", validators=[Optional(), Length(max=100)])
    request_number = StringField("关联的申请编号（如 YSQ-2026-000123）",
                                 validators=[Optional(), Length(max=40)])
    filed_on = DateField("申请复议（起诉）日期", validators=[Optional()])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])


class PublishForm(ChineseForm):
    """发布 asks for confirmation: the reviewer ticks that they checked the whole report."""

    confirm = BooleanField("我已核对年度报告的全部内容（正文、表格和数据），确认发布")


class ReturnForm(ChineseForm):
    note = TextAreaField("退回理由", validators=[Optional(), Length(max=2000)])


class CorrectForm(ChineseForm):
    note = TextAreaField("更正内容（将写在更正版的开头）", validators=[Optional(), Length(max=2000)])
