"""The staff forms of service items: the 办事指南 editor (with its materials as rows), the
workflow steps, the import upload and file uploads.

The editor works without JavaScript: “增加一项材料” sends the form back with one more empty
row, keeping everything typed. The rules of a guide are those of :func:`check_guide`, the
same an import applies; their messages are put beside the fields they concern.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from opengov.site.service_items.rules.guide import (
    ALL_THEMES,
    DELIVERIES,
    SOURCES,
    FieldProblem,
    ItemGuide,
    ItemType,
    Material,
    MaterialForm,
    Medium,
    Necessity,
    OnlineDepth,
    Question,
    Target,
    check_guide,
    format_basis,
    format_steps,
    parse_basis,
    parse_steps,
    parse_workdays,
    split_list,
)
from opengov.site.web.forms import ChineseForm, MultiCheckboxField, options

#: How many empty material rows a new guide starts with.
NEW_MATERIAL_ROWS = 3


def _choices(values: list[str]) -> list[Any]:
    return options((value, value) for value in values)


class MaterialRow(PlainForm):  # type: ignore[misc]
    """One material of the checklist (a row of the editor; CSRF is the outer form's)."""

    name = StringField("材料名称", validators=[Optional(), Length(max=200)])
    copies = IntegerField("份数", default=1, validators=[
        Optional(), NumberRange(0, 99, "份数应为0至99的整数。")])
    form = SelectField("材料形式", choices=_choices([item.value for item in MaterialForm]))
    medium = SelectField("材料类型", choices=_choices([item.value for item in Medium]))
    source = StringField("来源渠道", default=SOURCES[0], validators=[Optional(), Length(max=100)])
    necessity = SelectField("是否必需", choices=_choices([item.value for item in Necessity]))
    note = StringField("填报须知", validators=[Optional(), Length(max=500)])
    blank_form = SelectField("空白表格", choices=[], validate_choice=False)
    sample = SelectField("示例样表", choices=[], validate_choice=False)

    def to_material(self) -> Material | None:
        name = (self.name.data or "").strip()
        if not name:
            return None
        return Material(
            name=name, copies=self.copies.data if self.copies.data is not None else 1,
            form=MaterialForm(self.form.data), medium=Medium(self.medium.data),
            source=(self.source.data or "").strip() or SOURCES[0],
            necessity=Necessity(self.necessity.data), note=(self.note.data or "").strip(),
            blank_form=_file_id(self.blank_form.data), sample=_file_id(self.sample.data))


def _file_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and value.isascii() else None


class ItemForm(ChineseForm):
    """The 办事指南 of one item (rules.md §8.2)."""

    agency = SelectField("实施主体", validators=[DataRequired("请选择实施主体")])
    code = StringField("事项编码", validators=[
        DataRequired("请填写事项编码"), Length(max=60),
        Regexp(r"^[0-9A-Za-z][0-9A-Za-z_-]*$", message="事项编码只能由字母、数字、“-”和“_”组成。")])
    name = StringField("事项名称", validators=[DataRequired("请填写事项名称"), Length(max=200)])
    item_type = SelectField("事项类型", choices=_choices([item.value for item in ItemType]))
    targets = MultiCheckboxField("服务对象", choices=_choices([item.value for item in Target]))
    themes = MultiCheckboxField("主题（人生事件、企业事件）", choices=_choices(list(ALL_THEMES)))
    handling_unit = StringField("承办机构", validators=[Optional(), Length(max=100)])
    summary = TextAreaField("事项概述", validators=[Optional(), Length(max=1000)])
    basis = TextAreaField("设定依据（每行一项：《法律法规名称》条款）")
    conditions = TextAreaField("受理条件（Markdown）", validators=[Optional(), Length(max=5000)])
    materials = FieldList(FormField(MaterialRow), min_entries=1)
    steps = TextAreaField("办理流程（每行一个步骤，“步骤：说明”）")
    legal_limit_days = StringField("法定办结时限（工作日，即办填0，无法定时限留空）")
    promised_limit_days = StringField("承诺办结时限（工作日，即办填0）",
                                      validators=[DataRequired("请填写承诺办结时限")])
    limit_note = StringField("时限说明", validators=[Optional(), Length(max=300)])
    charged = BooleanField("收费")
    fee_standard = StringField("收费标准", validators=[Optional(), Length(max=500)])
    fee_basis = StringField("收费依据", validators=[Optional(), Length(max=500)])
    visits = IntegerField("到办事现场次数", default=1, validators=[
        Optional(), NumberRange(0, 10, "到办事现场次数应为0至10次。")])
    location = StringField("办理地点", validators=[Optional(), Length(max=300)])
    hours = StringField("办理时间", validators=[Optional(), Length(max=200)])
    phone = StringField("咨询电话", validators=[Optional(), Length(max=100)])
    online_url = StringField("网上办理地址", validators=[Optional(), Length(max=500)])
    online_depth = SelectField("网上办理深度",
                               choices=_choices([item.value for item in OnlineDepth]))
    result_name = StringField("办理结果（证照名称）", validators=[Optional(), Length(max=200)])
    delivery = StringField("送达方式", validators=[Optional(), Length(max=100)])
    consult = StringField("咨询方式", validators=[Optional(), Length(max=500)])
    complaint = StringField("监督投诉方式", validators=[Optional(), Length(max=500)])
    aliases = StringField("常用名称（以“、”分隔，用于搜索）", validators=[Optional(), Length(max=300)])
    faq = TextAreaField("常见问题（“问：……”一行，“答：……”一行）")
    is_example = BooleanField("示例数据（页面上标注“示例”）")
    note = TextAreaField("修订说明", validators=[Optional(), Length(max=1000)])
    lock_version = HiddenField()

    #: Deliveries and sources offered as suggestions (datalists) by the template.
    deliveries = DELIVERIES
    sources = SOURCES

    def prepare(self, agencies: list[tuple[int, str]], files: list[tuple[int, str]],
                *, existing: bool) -> None:
        """Fill the choices; an existing item keeps its agency and code (the fields go)."""
        if "agency" in self:
            self.agency.choices = options((str(agency_id), name)
                                          for agency_id, name in agencies)
        file_choices = options([("", "（无）")] + [(str(file_id), name)
                                                   for file_id, name in files])
        for row in self.materials:
            row.form.blank_form.choices = file_choices
            row.form.sample.choices = file_choices
        if existing and "agency" in self:
            del self.agency
            del self.code

    def add_material_row(self) -> None:
        self.materials.append_entry()

    # --- conversion ------------------------------------------------------------------------

    def _days(self, field: Any, *, required: bool) -> int | None:
        raw = (field.data or "").strip()
        if not raw:
            if required:
                field.errors.append("请填写整数个工作日，即办件填 0。")
            return None
        try:
            return parse_workdays(raw)
        except ValueError as exc:
            field.errors.append(str(exc))
            return None

    def to_guide(self) -> ItemGuide | None:
        """The guide typed in, or None when a value cannot be read (errors are set)."""
        legal = self._days(self.legal_limit_days, required=False)
        promised = self._days(self.promised_limit_days, required=True)
        basis = parse_basis(self.basis.data or "")
        if (self.basis.data or "").strip() and not basis:
            self.basis.errors.append("请用书名号写出法律法规的名称，如“《婚姻登记条例》第四条”。")
        faq = _parse_faq(self.faq.data or "")
        if faq is None:
            self.faq.errors.append("常见问题请按“问：……”“答：……”成对填写。")
        if self.legal_limit_days.errors or self.promised_limit_days.errors \
                or self.basis.errors or faq is None:
            return None
        return ItemGuide(
            name=(self.name.data or "").strip(), item_type=ItemType(self.item_type.data),
            targets=tuple(Target(value) for value in self.targets.data or []),
            themes=tuple(self.themes.data or []),
            handling_unit=(self.handling_unit.data or "").strip(),
            summary=(self.summary.data or "").strip(), basis=basis,
            conditions=(self.conditions.data or "").strip(),
            materials=tuple(material for row in self.materials
                            if (material := row.form.to_material()) is not None),
            steps=parse_steps(self.steps.data or ""),
            legal_limit_days=legal, promised_limit_days=promised or 0,
            limit_note=(self.limit_note.data or "").strip(), charged=bool(self.charged.data),
            fee_standard=(self.fee_standard.data or "").strip(),
            fee_basis=(self.fee_basis.data or "").strip(),
            visits=self.visits.data if self.visits.data is not None else 1,
            location=(self.location.data or "").strip(), hours=(self.hours.data or "").strip(),
            phone=(self.phone.data or "").strip(),
            online_url=(self.online_url.data or "").strip(),
            online_depth=OnlineDepth(self.online_depth.data),
            result_name=(self.result_name.data or "").strip(),
            delivery=(self.delivery.data or "").strip(),
            consult=(self.consult.data or "").strip(),
            complaint=(self.complaint.data or "").strip(),
            aliases=split_list(self.aliases.data or ""), faq=faq,
            is_example=bool(self.is_example.data))

    def checked_guide(self) -> ItemGuide | None:
        """The guide when it breaks no rule of :func:`check_guide`; otherwise None, with
        each message beside its field."""
        guide = self.to_guide()
        if guide is None:
            return None
        problems = check_guide(guide)
        for problem in problems:
            self._attach(problem)
        return None if problems else guide

    def _attach(self, problem: FieldProblem) -> None:
        """Put the message of ``problem`` beside its field: a material's beside the row it
        concerns (rows left empty are not materials), the rest beside the field it names."""
        parts = problem.field.split(".")
        if parts[0] == "materials" and len(parts) == 3:
            rows = [row for row in self.materials if (row.form.name.data or "").strip()]
            if int(parts[1]) < len(rows):
                getattr(rows[int(parts[1])].form, parts[2]).errors.append(problem.message)
                return
        if parts[0] == "materials":
            self.general_errors.append(problem.message)
            return
        field = getattr(self, parts[0], None)
        errors = getattr(field, "errors", None)
        if isinstance(errors, list):
            errors.append(problem.message)
        else:
            self.general_errors.append(problem.message)

    @property
    def general_errors(self) -> list[str]:
        """Messages about the guide as a whole (no materials at all …), shown at its top."""
        found: list[str] | None = self.__dict__.get("_general_errors")
        if found is None:
            found = self.__dict__["_general_errors"] = []
        return found

    def load(self, guide: ItemGuide, *, lock_version: int, note: str = "") -> None:
        """Fill the form from a saved guide (GET)."""
        self.name.data = guide.name
        self.item_type.data = guide.item_type.value
        self.targets.data = [target.value for target in guide.targets]
        self.themes.data = list(guide.themes)
        self.handling_unit.data = guide.handling_unit
        self.summary.data = guide.summary
        self.basis.data = format_basis(guide.basis).replace("；", "\n")
        self.conditions.data = guide.conditions
        while len(self.materials):
            self.materials.pop_entry()
        for material in guide.materials:
            self.materials.append_entry({
                "name": material.name, "copies": material.copies,
                "form": material.form.value, "medium": material.medium.value,
                "source": material.source, "necessity": material.necessity.value,
                "note": material.note,
                "blank_form": str(material.blank_form) if material.blank_form else "",
                "sample": str(material.sample) if material.sample else ""})
        self.materials.append_entry()
        self.steps.data = format_steps(guide.steps)
        self.legal_limit_days.data = ("" if guide.legal_limit_days is None
                                      else str(guide.legal_limit_days))
        self.promised_limit_days.data = str(guide.promised_limit_days)
        self.limit_note.data = guide.limit_note
        self.charged.data = guide.charged
        self.fee_standard.data = guide.fee_standard
        self.fee_basis.data = guide.fee_basis
        self.visits.data = guide.visits
        self.location.data = guide.location
        self.hours.data = guide.hours
        self.phone.data = guide.phone
        self.online_url.data = guide.online_url
        self.online_depth.data = guide.online_depth.value
        self.result_name.data = guide.result_name
        self.delivery.data = guide.delivery
        self.consult.data = guide.consult
        self.complaint.data = guide.complaint
        self.aliases.data = "、".join(guide.aliases)
        self.faq.data = "\n\n".join(f"问：{q.question}\n答：{q.answer}" for q in guide.faq)
        self.is_example.data = guide.is_example
        self.note.data = note
        self.lock_version.data = str(lock_version)


_QUESTION = re.compile(r"^\s*问[:：]\s*(.+)$")
_ANSWER = re.compile(r"^\s*答[:：]\s*(.+)$")


def _parse_faq(text: str) -> tuple[Question, ...] | None:
    """Pairs of “问：” and “答：” lines (an answer may go on over several lines); None when
    they do not pair up."""
    questions: list[Question] = []
    question: str | None = None
    answer: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if (match := _QUESTION.match(line)) is not None:
            if question is not None:
                if not answer:
                    return None
                questions.append(Question(question, "\n".join(answer)))
            question, answer = match.group(1).strip(), []
        elif (match := _ANSWER.match(line)) is not None and question is not None:
            answer.append(match.group(1).strip())
        elif question is not None and answer:
            answer.append(line.strip())
        else:
            return None
    if question is not None:
        if not answer:
            return None
        questions.append(Question(question, "\n".join(answer)))
    return tuple(questions)


class ItemStepForm(ChineseForm):
    """A workflow step (提交审核, 审核通过 …) with the opinion it may need."""

    opinion = TextAreaField("审核意见或说明", validators=[Optional(), Length(max=2000)])


class WithdrawForm(ChineseForm):
    reason = TextAreaField("撤下理由", validators=[DataRequired("请说明撤下的理由"),
                                              Length(max=1000)])


class ImportForm(ChineseForm):
    file = FileField("事项导入工作簿（.xlsx）", validators=[FileRequired("请选择要上传的文件")])


class FileUploadForm(ChineseForm):
    file = FileField("空白表格或示例样表（PDF、Word、Excel、WPS 或图片）",
                     validators=[FileRequired("请选择要上传的文件")])
