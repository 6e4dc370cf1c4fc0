"""The staff form of a power: its fields and its 裁量基准 as rows (“增加一行” sends the form
back with one more row, without JavaScript)."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Length, Optional, Regexp

from opengov.site.powers.rules import (
    DISCRETION_LEVELS,
    POWER_TYPES,
    DiscretionRule,
    PowerContent,
    PowerType,
    check_power,
)
from opengov.site.service_items.rules.guide import (
    FieldProblem,
    format_basis,
    format_steps,
    parse_basis,
    parse_steps,
)
from opengov.site.web.forms import ChineseForm, options


class DiscretionRow(PlainForm):  # type: ignore[misc]
    """One row of the 裁量基准 (CSRF is the outer form's)."""

    violation = StringField("违法行为", validators=[Optional(), Length(max=300)])
    level = SelectField("裁量阶次", choices=options((level, level) for level in DISCRETION_LEVELS))
    circumstance = TextAreaField("适用情形", validators=[Optional(), Length(max=1000)])
    penalty = TextAreaField("处罚种类和幅度", validators=[Optional(), Length(max=1000)])
    basis = StringField("依据条款", validators=[Optional(), Length(max=300)])

    def to_rule(self) -> DiscretionRule | None:
        values = [(self.violation.data or "").strip(), (self.circumstance.data or "").strip(),
                  (self.penalty.data or "").strip()]
        if not any(values):
            return None
        return DiscretionRule(values[0], self.level.data, values[1], values[2],
                              (self.basis.data or "").strip())


class PowerForm(ChineseForm):
    agency = SelectField("实施主体", validators=[DataRequired("请选择实施主体")])
    code = StringField("职权编码", validators=[
        DataRequired("请填写职权编码"), Length(max=60),
        Regexp(r"^[0-9A-Za-z][0-9A-Za-z_-]*$", message="职权编码只能由字母、数字、“-”和“_”组成。")])
    name = StringField("职权名称", validators=[DataRequired("请填写职权名称"), Length(max=200)])
    power_type = SelectField("权力类型", choices=options((value, value) for value in POWER_TYPES))
    handling_unit = StringField("承办机构", validators=[Optional(), Length(max=100)])
    basis = TextAreaField("设定依据（每行一项：《法律法规名称》条款）")
    responsibilities = TextAreaField("责任事项", validators=[DataRequired("请写明责任事项"),
                                                         Length(max=5000)])
    accountability = TextAreaField("追责情形", validators=[DataRequired("请写明追责情形"),
                                                       Length(max=5000)])
    flow = TextAreaField("运行流程（每行一个环节，“环节：说明”）")
    supervision_phone = StringField("监督电话", validators=[Optional(), Length(max=100)])
    service_item_code = StringField("对应办事事项编码（有办事指南的填写）",
                                    validators=[Optional(), Length(max=60)])
    discretion = FieldList(FormField(DiscretionRow), min_entries=1)
    note = TextAreaField("备注", validators=[Optional(), Length(max=1000)])
    is_example = BooleanField("示例数据（页面上标注“示例”）")
    revision_note = TextAreaField("修订说明", validators=[Optional(), Length(max=1000)])
    lock_version = HiddenField()

    def prepare(self, agencies: list[tuple[int, str]], *, existing: bool) -> None:
        """Fill the choices; an existing power keeps its agency and code (the fields go)."""
        if "agency" in self:
            self.agency.choices = options((str(agency_id), name)
                                          for agency_id, name in agencies)
        if existing and "agency" in self:
            del self.agency
            del self.code

    def add_discretion_row(self) -> None:
        self.discretion.append_entry()

    @property
    def general_errors(self) -> list[str]:
        found: list[str] | None = self.__dict__.get("_general_errors")
        if found is None:
            found = self.__dict__["_general_errors"] = []
        return found

    def checked_content(self) -> PowerContent | None:
        """The power typed in when it breaks no rule; None otherwise, messages set."""
        basis = parse_basis(self.basis.data or "")
        if (self.basis.data or "").strip() and not basis:
            self.basis.errors.append("请用书名号写出法律法规的名称，如“《中华人民共和国食品安全法》第一百二十二条”。")
            return None
        content = PowerContent(
            name=(self.name.data or "").strip(), power_type=PowerType(self.power_type.data),
            basis=basis, handling_unit=(self.handling_unit.data or "").strip(),
            responsibilities=(self.responsibilities.data or "").strip(),
            accountability=(self.accountability.data or "").strip(),
            process=parse_steps(self.flow.data or ""),
            supervision_phone=(self.supervision_phone.data or "").strip(),
            service_item_code=(self.service_item_code.data or "").strip(),
            discretion=tuple(rule for row in self.discretion
                             if (rule := row.form.to_rule()) is not None),
            note=(self.note.data or "").strip(), is_example=bool(self.is_example.data))
        problems = check_power(content)
        for problem in problems:
            self._attach(problem)
        return None if problems else content

    def _attach(self, problem: FieldProblem) -> None:
        name = problem.field.split(".")[0]
        field: Any = getattr(self, name, None) if name != "discretion" else None
        if field is not None and isinstance(field.errors, list):
            field.errors.append(problem.message)
        else:
            self.general_errors.append(problem.message)

    def load(self, content: PowerContent, *, lock_version: int, note: str = "") -> None:
        self.name.data = content.name
        self.power_type.data = content.power_type.value
        self.handling_unit.data = content.handling_unit
        self.basis.data = format_basis(content.basis).replace("；", "\n")
        self.responsibilities.data = content.responsibilities
        self.accountability.data = content.accountability
        self.flow.data = format_steps(content.process)
        self.supervision_phone.data = content.supervision_phone
        self.service_item_code.data = content.service_item_code
        while len(self.discretion):
            self.discretion.pop_entry()
        for rule in content.discretion:
            self.discretion.append_entry({"violation": rule.violation, "level": rule.level,
                                          "circumstance": rule.circumstance,
                                          "penalty": rule.penalty, "basis": rule.basis})
        self.discretion.append_entry()
        self.note.data = content.note
        self.is_example.data = content.is_example
        self.revision_note.data = note
        self.lock_version.data = str(lock_version)


class StepForm(ChineseForm):
    """A workflow step (提交审核, 审核通过 …) with the opinion it may need."""

    opinion = TextAreaField("审核意见或说明", validators=[Optional(), Length(max=2000)])


class WithdrawForm(ChineseForm):
    reason = TextAreaField("撤下理由（如职权已取消或调整）",
                           validators=[DataRequired("请说明撤下的理由"), Length(max=1000)])
