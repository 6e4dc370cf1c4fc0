"""Forms of the consultation pages: the public comment form and the drafting office's forms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from opengov.site.consultations.rules import (
    COMMENT_MAX_CHARS,
    KINDS,
    MODERATION_NOTES,
    NAME_MAX_CHARS,
    Channel,
    CommentStatus,
    Decision,
)
from opengov.site.consultations.service.drafting import ConsultationData
from opengov.site.consultations.service.moderation import CommentInput
from opengov.site.web.forms import ChineseForm, EmailAddress, options
from opengov.site.workdays.rules import DATE_FORMAT_MESSAGE

PHONE = Regexp(r"^[0-9+\-\s()]{7,20}$", message="请填写有效的电话号码")


class CommentFields(ChineseForm):
    """A comment: the text, and — optional — who and how to reach them."""

    text = TextAreaField("意见和建议", validators=[
        DataRequired("请填写意见内容"),
        Length(max=COMMENT_MAX_CHARS, message=f"不超过{COMMENT_MAX_CHARS}字")])
    name = StringField("姓名或称呼（选填）", validators=[
        Length(max=NAME_MAX_CHARS, message=f"不超过{NAME_MAX_CHARS}字")])
    phone = StringField("联系电话（选填）", validators=[Optional(), PHONE])
    email = StringField("电子邮箱（选填）", validators=[EmailAddress()])

    def comment(self) -> CommentInput:
        return CommentInput(text=self.text.data or "", name=self.name.data or "",
                            phone=self.phone.data or "", email=(self.email.data or "").strip())


class CommentForm(CommentFields):
    """The public form, with the anti-robot fields (as on the request form)."""

    website = StringField("网址（请勿填写）")
    started = HiddenField()


class EnteredCommentForm(CommentFields):
    """A comment received by letter, e-mail, fax or at a meeting, entered by staff."""

    channel = SelectField("收到方式", choices=options((c.value, c.value) for c in Channel
                                                  if c is not Channel.WEBSITE))


class ConsultationForm(ChineseForm):
    """The drafting office's consultation (rules.md §9.1)."""

    agency = SelectField("起草机关", validators=[DataRequired("请选择起草机关")])
    kind = SelectField("类型", choices=options((kind.code, f"{kind.label}（一般不少于{kind.minimum}"
                                                        f"{kind.unit.value}）" if kind.minimum
                                                else kind.label) for kind in KINDS),
                       validators=[DataRequired("请选择类型")])
    title = StringField("草案名称", validators=[DataRequired("请填写草案名称"),
                                            Length(max=200, message="不超过200字")])
    summary = TextAreaField("内容概述", validators=[Length(max=500, message="不超过500字")])
    draft_text = TextAreaField("征求意见稿全文（Markdown）",
                               validators=[DataRequired("请填写征求意见稿全文")])
    explanation = TextAreaField("起草说明（Markdown）", validators=[DataRequired("请填写起草说明")])
    legal_basis = TextAreaField("起草依据", validators=[Length(max=2000)])
    how_to_comment = TextAreaField("其他提出意见的方式（信函地址、电子邮箱、传真等）",
                                   validators=[Length(max=1000)])
    contact = StringField("联系方式（联系部门和电话）", validators=[
        DataRequired("请填写联系方式"), Length(max=300, message="不超过300字")])
    opens_on = DateField("开始日期（发布日期）", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    closes_on = DateField("截止日期（含当日）", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    shortened_reason = TextAreaField("缩短征求意见期限的理由", validators=[Length(max=1000)])
    publishes_comments = BooleanField("在网站公开经审核的公众意见", default=True)
    version = HiddenField()

    def data_object(self) -> ConsultationData:
        return ConsultationData(
            agency_id=int(self.agency.data), kind=self.kind.data, title=self.title.data or "",
            summary=self.summary.data or "", draft_text=self.draft_text.data or "",
            explanation=self.explanation.data or "", legal_basis=self.legal_basis.data or "",
            how_to_comment=self.how_to_comment.data or "", contact=self.contact.data or "",
            opens_on=self.opens_on.data, closes_on=self.closes_on.data,
            shortened_reason=self.shortened_reason.data or "",
            publishes_comments=bool(self.publishes_comments.data))

    def expected_version(self) -> int:
        raw = self.version.data or ""
        return int(raw) if raw.isdigit() and len(raw) < 10 else 0


class ReviewForm(ChineseForm):
    decision = RadioField("审核结果", choices=options([("approve", "审核通过并发布"),
                                                    ("return", "退回修改")]),
                          default="approve", validators=[DataRequired("请选择审核结果")])
    opinion = TextAreaField("审核意见", default="经保密审查，同意发布。",
                            validators=[DataRequired("请填写审核意见"), Length(max=1000)])


class ExtendForm(ChineseForm):
    closes_on = DateField("新的截止日期", validators=[DataRequired(DATE_FORMAT_MESSAGE)])
    reason = TextAreaField("延长理由（将在页面上公开）", validators=[
        DataRequired("请填写延长理由"), Length(max=500)])


class ModerationForm(ChineseForm):
    status = RadioField("审核结果", choices=options(
        (s.value, s.value) for s in CommentStatus if s is not CommentStatus.PENDING),
        validators=[DataRequired("请选择审核结果")])
    public_text = TextAreaField("公开的内容（可删去个人信息）", validators=[
        Length(max=COMMENT_MAX_CHARS)])
    note = SelectField("理由", choices=options([("", "（无）")] + [(n, n) for n in MODERATION_NOTES]),
                       validate_choice=False)
    #: The group's id, or "" for none; the choices are the consultation's groups.
    group = SelectField("归入类别", choices=[], validate_choice=False)

    def group_id(self) -> int | None:
        raw = self.group.data or ""
        return int(raw) if raw.isdigit() and len(raw) < 10 else None


class GroupForm(ChineseForm):
    summary = TextAreaField("意见概括", validators=[DataRequired("请概括这一类意见"),
                                                Length(max=2000)])
    decision = SelectField("采纳情况", choices=options(
        [("", "（待定）")] + [(d.value, d.value) for d in Decision]), validate_choice=False)
    reason = TextAreaField("理由或采纳情况说明", validators=[Length(max=2000)])


class FeedbackForm(ChineseForm):
    summary = TextAreaField("总体说明", validators=[Length(max=4000)])


class DecisionForm(ChineseForm):
    index_no = StringField("本站文件的索引号", validators=[Length(max=60)])
    url = StringField("或：其他网站上的链接", validators=[Length(max=500)])
    title = StringField("名称（填写链接时）", validators=[Length(max=300)])
