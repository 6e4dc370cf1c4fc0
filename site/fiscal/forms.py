"""The staff upload forms of 预决算公开: a department's tables, the government's reports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from opengov.site.fiscal.rules.disclosures import SPECS_BY_NUMBER, Stage
from opengov.site.fiscal.rules.government import MAX_ADJUSTMENTS, ReportStage
from opengov.site.fiscal.rules.government import TABLE_SPECS as GOVERNMENT_TABLES
from opengov.site.web.forms import ChineseForm


class FiscalUploadForm(FlaskForm):  # type: ignore[misc]
    agency_id = SelectField("部门", coerce=int, validators=[DataRequired("请选择部门")])
    year = IntegerField("预决算年度", validators=[
        DataRequired("请填写年度"), NumberRange(2000, 2100, "年度应在2000至2100之间")])
    stage = SelectField("类型", choices=[SelectChoice(stage.value, f"部门{stage.value}")
                                       for stage in Stage])
    approved_on = DateField("批复日期", validators=[DataRequired("请填写财政部门的批复日期")],
                            description="预算法第十四条：批复后二十日内公开。")
    published_on = DateField("发布日期", validators=[DataRequired("请填写发布日期")])
    table_number = SelectField(
        "CSV 文件对应的报表", coerce=int, validators=[Optional()],
        choices=[SelectChoice("0", "按文件中的表名识别")] + [
            SelectChoice(str(spec.number), f"表{spec.number} {spec.budget_title}")
            for spec in SPECS_BY_NUMBER.values()])
    narrative = TextAreaField("情况说明（Markdown）", description=(
        "部门职责、收支总体情况、“三公”经费增减原因、机关运行经费等。"))
    file = FileField("报表文件（.xlsx 或 .csv）", validators=[
        FileRequired("请选择文件"), FileAllowed(["xlsx", "csv"], "只接受 .xlsx 或 .csv 文件")])

    def validate_published_on(self, field: DateField) -> None:
        if field.data and self.approved_on.data and field.data < self.approved_on.data:
            raise ValidationError("发布日期不能早于批复日期")


class GovernmentReportForm(ChineseForm):
    """The upload of the government's 预算, 预算调整, 预算执行情况 or 决算."""

    year = IntegerField("年度", validators=[
        DataRequired("请填写年度"), NumberRange(2000, 2100, "年度应在2000至2100之间")])
    stage = SelectField("报告", choices=[SelectChoice(stage.value, f"政府{stage.value}"
                                                    if stage is not ReportStage.EXECUTION
                                                    else stage.value)
                                       for stage in ReportStage])
    sequence = IntegerField("第几次预算调整", default=1, validators=[
        Optional(), NumberRange(1, MAX_ADJUSTMENTS, f"应在1至{MAX_ADJUSTMENTS}之间")],
        description="只对预算调整有意义：同一年第二次调整填 2。")
    approved_by = StringField("批准机关", validators=[
        DataRequired("请填写批准的会议，如“示例市第十七届人民代表大会第四次会议”"),
        Length(max=200, message="不超过200字")],
        description="本级人民代表大会或其常务委员会的会议名称。")
    approved_on = DateField("批准日期", validators=[DataRequired("请填写人大或其常委会的批准日期")],
                            description="《预算法》第十四条：批准后二十日内由财政部门向社会公开。")
    published_on = DateField("发布日期", validators=[DataRequired("请填写发布日期")])
    table_slug = SelectField(
        "CSV 文件对应的报表", validators=[Optional()],
        choices=[SelectChoice("", "按文件中的表名识别")] + [
            SelectChoice(spec.slug, spec.title) for spec in GOVERNMENT_TABLES])
    narrative = TextAreaField("情况说明（Markdown）", description=(
        "四本预算收支情况；对转移支付和举借债务情况作出说明（《预算法》第十四条）。"
        "预算执行情况请填写报告全文。"))
    file = FileField("报表文件（.xlsx 或 .csv）", validators=[
        FileRequired("请选择文件"), FileAllowed(["xlsx", "csv"], "只接受 .xlsx 或 .csv 文件")])
    report_file = FileField("报告原文（可选）", validators=[
        Optional(), FileAllowed(["pdf", "doc", "docx", "odt", "wps"],
                                "只接受 PDF、Word、WPS 或 OpenDocument 文档")],
        description="人代会审议的报告或公开的报表原件，附在公开页面供下载。")

    def validate_published_on(self, field: DateField) -> None:
        if field.data and self.approved_on.data and field.data < self.approved_on.data:
            raise ValidationError("发布日期不能早于批准日期")
