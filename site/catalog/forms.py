"""The document editor's form: every catalog metadata field, validated (rules.md §3.5–3.8)."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from opengov.site import clock
from opengov.site.catalog.rules.metadata import (
    COLUMN_KINDS,
    GENRES,
    Disclosure,
    is_valid_doc_number,
    is_valid_topic,
    slug_problem,
    topic_choices,
)
from opengov.site.catalog.service.editorial import DocumentData, EditorChoices
from opengov.site.web.forms import ChineseForm, options


class DocumentForm(ChineseForm):
    title = StringField("标题", validators=[DataRequired("请输入标题"), Length(max=300)])
    agency = SelectField("发布机构", validators=[DataRequired("请选择发布机构")])
    category = SelectField("栏目", validators=[DataRequired("请选择栏目")])
    topic = SelectField("主题分类", validators=[DataRequired("请选择主题分类")])
    genre = SelectField("体裁（公文种类）", choices=options((genre, genre) for genre in GENRES))
    issuer = StringField("发文机关", validators=[Optional(), Length(max=200)])
    doc_number = StringField("发文字号", validators=[Optional(), Length(max=100)])
    date_written = DateField("成文日期", validators=[Optional()])
    changed_on = DateField("形成/变更日期", validators=[Optional()])
    effective_on = DateField("实施日期", validators=[Optional()])
    repealed_on = DateField("废止/失效日期", validators=[Optional()])
    keywords = StringField("主题词（以“、”分隔）", validators=[Optional(), Length(max=300)])
    source = StringField("信息来源", validators=[Optional(), Length(max=300)])
    disclosure = SelectField("公开属性", choices=options(
        (item.value, item.value) for item in Disclosure), default=Disclosure.PROACTIVE.value)
    non_disclosure_reason = TextAreaField("不公开或依申请公开的理由")
    policies = SelectMultipleField("所解读的政策文件", choices=[], validate_choice=False)
    summary = TextAreaField("内容概述", validators=[Optional(), Length(max=2000)])
    body = TextAreaField("正文（Markdown）", validators=[Optional()])
    deadline_basis = StringField("另行规定的公开期限依据（条例第二十六条）",
                                 validators=[Optional(), Length(max=300)])
    lock_version = HiddenField()

    #: Set by :meth:`prepare`.
    editor_choices: EditorChoices

    def prepare(self, choices: EditorChoices) -> None:
        """Fill the choices: the agencies the person may write for, columns, topics, policies."""
        self.editor_choices = choices
        self.agency.choices = options((str(agency_id), name)
                                      for agency_id, name in choices.agencies)
        self.category.choices = options((str(column_id), "　" * depth + name)
                                        for column_id, name, depth in choices.columns)
        self.topic.choices = options([("", "请选择")] + [
            (topic, topic.replace("\\", " › ")) for topic in topic_choices()])
        self.policies.choices = options((str(policy_id), label)
                                        for policy_id, label in choices.policies)

    # --- field rules -------------------------------------------------------------------

    def validate_doc_number(self, field: Any) -> None:
        if field.data and not is_valid_doc_number(field.data):
            raise ValidationError("发文字号格式不正确，应如“示政办发〔2024〕3号”"
                                  "（年份用六角括号〔〕）或“示例市人民政府令第5号”。")

    def validate_topic(self, field: Any) -> None:
        if field.data and not is_valid_topic(field.data):
            raise ValidationError("请从主题分类表中选择。")

    def validate_date_written(self, field: Any) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError("成文日期不能晚于今天。")

    def validate_changed_on(self, field: Any) -> None:
        if field.data and self.date_written.data and field.data < self.date_written.data:
            raise ValidationError("形成/变更日期不能早于成文日期。")

    def validate_effective_on(self, field: Any) -> None:
        if field.data and self.date_written.data and field.data < self.date_written.data:
            raise ValidationError("实施日期不能早于成文日期。")

    def validate_repealed_on(self, field: Any) -> None:
        start = self.effective_on.data or self.date_written.data
        if field.data and start and field.data <= start:
            raise ValidationError("废止/失效日期必须晚于实施日期（或成文日期）。")

    def validate_non_disclosure_reason(self, field: Any) -> None:
        if self.disclosure.data != Disclosure.PROACTIVE.value and not (field.data or "").strip():
            raise ValidationError(f"公开属性为“{self.disclosure.data}”时必须说明理由"
                                  "（随公文一并报批）。")

    def validate_policies(self, field: Any) -> None:
        chosen = [value for value in field.data or [] if value]
        valid = {choice.value for choice in self.policies.choices}
        if any(value not in valid for value in chosen):
            raise ValidationError("只能选择已发布的政策文件。")
        if chosen and not self.is_interpretation():
            raise ValidationError("只有政策解读（体裁“政策解读”或“政策解读”栏目）可以关联所解读的政策。")

    def validate_agency(self, field: Any) -> None:
        if field.data not in {choice.value for choice in self.agency.choices}:
            raise ValidationError("您不能为该机构撰稿。")

    def is_interpretation(self) -> bool:
        column = self.category.data or ""
        return self.editor_choices.is_interpretation(
            self.genre.data, int(column) if column.isdigit() and column.isascii() else None)

    # --- conversion --------------------------------------------------------------------

    def to_data(self) -> DocumentData:
        return DocumentData(
            title=self.title.data.strip(), agency_id=int(self.agency.data),
            category_id=int(self.category.data), topic=self.topic.data,
            body=self.body.data or "", summary=(self.summary.data or "").strip(),
            genre=self.genre.data, issuer=(self.issuer.data or "").strip(),
            doc_number=(self.doc_number.data or "").strip(),
            date_written=self.date_written.data, changed_on=self.changed_on.data,
            effective_on=self.effective_on.data, repealed_on=self.repealed_on.data,
            keywords=(self.keywords.data or "").strip(), source=(self.source.data or "").strip(),
            disclosure=Disclosure(self.disclosure.data),
            non_disclosure_reason=(self.non_disclosure_reason.data or "").strip(),
            deadline_basis=(self.deadline_basis.data or "").strip(),
            policy_ids=[int(value) for value in self.policies.data or [] if value.isdigit()])

    def load(self, data: DocumentData, lock_version: int) -> None:
        """Fill the form from a document (GET)."""
        for name in ("title", "topic", "body", "summary", "genre", "issuer", "doc_number",
                     "date_written", "changed_on", "effective_on", "repealed_on", "keywords",
                     "source", "non_disclosure_reason", "deadline_basis"):
            getattr(self, name).data = getattr(data, name)
        self.agency.data = str(data.agency_id)
        self.category.data = str(data.category_id)
        self.disclosure.data = data.disclosure.value
        self.policies.data = [str(pid) for pid in data.policy_ids]
        self.lock_version.data = str(lock_version)


class CorrectionForm(DocumentForm):
    correction_note = TextAreaField("更正说明", validators=[DataRequired("请填写更正说明")])
    #: The urgent path: published at once by a reviewer, reviewed by another afterwards.
    urgent = BooleanField("紧急更正（立即发布，事后由其他审核人员审核）")
    urgent_reason = TextAreaField("紧急更正的理由", validators=[Length(max=1000)])

    def validate_urgent_reason(self, field: Any) -> None:
        if self.urgent.data and not (field.data or "").strip():
            raise ValidationError("紧急更正必须说明理由（例如错误信息可能造成损害）。")


class CorrectionReviewForm(ChineseForm):
    """Approve or reject a proposed correction, or confirm an urgent one afterwards."""

    opinion = TextAreaField("审核意见", validators=[DataRequired("请填写审核意见"),
                                                Length(max=2000)])


# --- the column structure (栏目与专栏) -----------------------------------------------------

class ColumnForm(ChineseForm):
    """A column, sub-column or 专栏 as an administrator creates or edits it."""

    slug = StringField("网址名（英文，创建后不可修改）", validators=[
        DataRequired("请填写网址名"), Length(min=2, max=40, message="网址名为 2–40 个字符")])
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=60)])
    kind = SelectField("类型", choices=options(COLUMN_KINDS.items()), default="column")
    parent = SelectField("上级栏目", choices=[], validate_choice=False)
    sort_order = IntegerField("排序（数字小的在前）", default=0, validators=[
        Optional(), NumberRange(min=-9999, max=9999, message="排序应为 -9999 到 9999 的整数")])
    description = TextAreaField("说明（显示在栏目页顶部）", validators=[Optional(), Length(max=2000)])
    banner = FileField("横幅图片（专栏用，PNG、JPEG、GIF 或 WebP，不超过 2 MB）")
    banner_alt = StringField("横幅图片的文字说明（供读屏软件朗读）",
                             validators=[Optional(), Length(max=200)])
    remove_banner = BooleanField("删除现有横幅图片")

    def validate_slug(self, field: Any) -> None:
        problem = slug_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)

    def validate_parent(self, field: Any) -> None:
        valid = {choice.value for choice in self.parent.choices}
        if (field.data or "") not in valid:
            raise ValidationError("请从列表中选择上级栏目。")

    def validate_banner_alt(self, field: Any) -> None:
        if self.banner.data and not (field.data or "").strip():
            raise ValidationError("上传横幅图片时请填写文字说明。")

    def parent_id(self) -> int | None:
        value = self.parent.data or ""
        return int(value) if value.isdigit() and value.isascii() else None


class RetireColumnForm(ChineseForm):
    successor = SelectField("接替栏目（文件移入该栏目，原网址自动跳转；不选则原网址显示“已撤销”）",
                            choices=[], validate_choice=False)

    def validate_successor(self, field: Any) -> None:
        if (field.data or "") not in {choice.value for choice in self.successor.choices}:
            raise ValidationError("请从列表中选择接替栏目。")

    def successor_id(self) -> int | None:
        value = self.successor.data or ""
        return int(value) if value.isdigit() and value.isascii() else None
