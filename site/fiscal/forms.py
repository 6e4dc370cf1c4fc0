"""The staff upload form of 预决算公开."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from opengov.site.fiscal.rules.disclosures import SPECS_BY_NUMBER, Stage


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
