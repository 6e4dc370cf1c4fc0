"""征求意见 (public consultation on drafts, 重大决策预公开): the rules, without storage.

- **Comment periods** (rules.md §9.1, common practice: confirm the article numbers). Each kind of
  draft has its minimum period as data (:data:`KINDS`); a shorter period is refused unless the
  reason is stated, and the reason is published with the draft. Periods count from the day
  after publication (民法典 Art. 201): a draft published on 1 March with comments until
  31 March has a period of 30 days; working days are counted on the site's calendar.
- **Phases**: a consultation is 草稿 until its catalog document is published; then it is
  征求意见中 from its first day to its last (inclusive, 北京时间), 意见整理中 after, and
  已公布采纳情况 once the feedback is published (rules.md §9.1: "公众意见及采纳情况应当向社会公布").
- **Comments** are moderated before anyone sees them; the agency decides whether it publishes
  them at all. **Feedback** sorts the valid comments into groups, each adopted, partly adopted
  or not adopted; a group not (fully) adopted states why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from opengov.site.workdays.rules import WorkingCalendar

#: The column (栏目) and 体裁 of the consultations' catalog documents.
CONSULTATION_COLUMN = "consultations"
CONSULTATION_GENRE = "征集调查"
CONSULTATION_TOPIC = "综合政务\\政务公开"

#: Longest texts accepted, so one comment cannot fill the database.
COMMENT_MAX_CHARS = 5000
NAME_MAX_CHARS = 50


class PeriodUnit(StrEnum):
    DAYS = "日"
    WORKDAYS = "个工作日"


@dataclass(frozen=True)
class ConsultationKind:
    """A kind of draft and the shortest comment period the rules ask for it."""

    code: str
    label: str
    minimum: int
    unit: PeriodUnit
    #: Where the minimum comes from, shown beside the period (confirm the article numbers).
    basis: str


#: The kinds of draft and their minimum comment periods (rules.md §9.1). Data, not law:
#: provinces differ, and an office changes this table after confirming its own rules.
KINDS: tuple[ConsultationKind, ...] = (
    ConsultationKind("major_decision", "重大行政决策草案", 30, PeriodUnit.DAYS,
                     "《重大行政决策程序暂行条例》（国务院令第713号）：公开征求意见的期限一般不少于30日；"
                     "因情况紧急等原因需要缩短期限的，应当在公开征求意见时予以说明"),
    ConsultationKind("regulation", "规章草案", 30, PeriodUnit.DAYS,
                     "《规章制定程序条例》：向社会公布征求意见的期限一般不少于30日"),
    ConsultationKind("normative", "行政规范性文件（涉及公民、法人和其他组织权利义务）", 7,
                     PeriodUnit.WORKDAYS,
                     "法治政府建设有关要求：涉及群众切身利益的行政规范性文件，"
                     "公开征求意见的期限一般不少于7个工作日"),
    ConsultationKind("normative_market", "行政规范性文件（与市场主体生产经营活动密切相关）", 30,
                     PeriodUnit.DAYS,
                     "法治政府建设有关要求：与市场主体生产经营活动密切相关的行政规范性文件，"
                     "公开征求意见的期限一般不少于30日"),
    ConsultationKind("other", "其他公开征求意见事项", 0, PeriodUnit.DAYS,
                     "无统一的最短期限规定，由起草机关根据事项确定"),
)
KINDS_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_of(code: str) -> ConsultationKind:
    """The kind ``code``; ``ValueError`` with a Chinese message for an unknown one."""
    try:
        return KINDS_BY_CODE[code]
    except KeyError:
        raise ValueError("请选择征求意见的类型。") from None


# --- the period ---------------------------------------------------------------------------


def period_length(kind: ConsultationKind, opens_on: dt.date, closes_on: dt.date,
                  calendar: WorkingCalendar) -> int:
    """The period in the kind's unit: days (or working days) d with opens_on < d <= closes_on."""
    if kind.unit is PeriodUnit.WORKDAYS:
        return calendar.workdays_between(opens_on, closes_on)
    return max((closes_on - opens_on).days, 0)


def earliest_close(kind: ConsultationKind, opens_on: dt.date,
                   calendar: WorkingCalendar) -> dt.date:
    """The first last day that gives the kind's minimum period from ``opens_on``."""
    if kind.unit is PeriodUnit.WORKDAYS:
        return calendar.add_workdays(opens_on, kind.minimum)
    return opens_on + dt.timedelta(days=kind.minimum)


def period_problem(kind: ConsultationKind, opens_on: dt.date, closes_on: dt.date,
                   shortened_reason: str, calendar: WorkingCalendar) -> str | None:
    """Why the period from ``opens_on`` to ``closes_on`` is refused, or None.

    Shorter than the kind's minimum is refused unless ``shortened_reason`` says why; that
    reason is then published with the draft (rules.md §9.1)."""
    if closes_on <= opens_on:
        return "征求意见截止日期应晚于开始日期。"
    length = period_length(kind, opens_on, closes_on, calendar)
    if length < kind.minimum and not shortened_reason.strip():
        return (f"{kind.label}公开征求意见的期限一般不少于{kind.minimum}{kind.unit.value}"
                f"（{kind.basis}），本次自{opens_on:%Y-%m-%d}次日起至{closes_on:%Y-%m-%d}"
                f"仅{length}{kind.unit.value}，最早应截止于"
                f"{earliest_close(kind, opens_on, calendar):%Y-%m-%d}。"
                "确需缩短的，请填写缩短期限的理由（将与征求意见稿一并公开）。")
    return None


def is_shortened(kind: ConsultationKind, opens_on: dt.date, closes_on: dt.date,
                 calendar: WorkingCalendar) -> bool:
    return period_length(kind, opens_on, closes_on, calendar) < kind.minimum


# --- phases -------------------------------------------------------------------------------


class Phase(StrEnum):
    DRAFT = "草稿"
    IN_REVIEW = "待审核"
    APPROVED = "审核通过待发布"
    SCHEDULED = "即将开始"
    OPEN = "征求意见中"
    CLOSED = "意见整理中"
    FEEDBACK = "已公布采纳情况"
    WITHDRAWN = "已撤下"


#: Phases in which the public sees the consultation.
PUBLIC_PHASES = frozenset({Phase.OPEN, Phase.CLOSED, Phase.FEEDBACK})


def phase(*, document_status: str, published_on: dt.date | None, closes_on: dt.date,
          feedback_published_on: dt.date | None, today: dt.date) -> Phase:
    """Where a consultation stands, from its catalog document's status (the catalog's
    ``PublicationStatus`` value) and its dates."""
    if document_status == "draft":
        return Phase.DRAFT
    if document_status == "submitted":
        return Phase.IN_REVIEW
    if document_status == "approved":
        return Phase.APPROVED
    if document_status != "published" or published_on is None:
        return Phase.WITHDRAWN
    if feedback_published_on is not None:
        return Phase.FEEDBACK
    if today < published_on:
        return Phase.SCHEDULED
    if today <= closes_on:
        return Phase.OPEN
    return Phase.CLOSED


def days_left(closes_on: dt.date, today: dt.date) -> int:
    """Calendar days left to comment, today included (0 once closed)."""
    return max((closes_on - today).days + 1, 0)


# --- comments -----------------------------------------------------------------------------


class CommentStatus(StrEnum):
    PENDING = "待审核"
    #: Valid, and shown on the consultation page.
    PUBLISHED = "已公开"
    #: Valid and counted, not shown (the agency does not publish comments, or this one holds
    #: what cannot be published even redacted).
    RECORDED = "已收录"
    #: Not a comment on the draft (advertising, abuse, a duplicate…): not counted as received.
    INVALID = "无效"


#: Comments that count: received, considered and sorted into the feedback.
VALID_STATUSES = frozenset({CommentStatus.PUBLISHED, CommentStatus.RECORDED})


class Channel(StrEnum):
    """How a comment reached the drafting office."""

    WEBSITE = "网站"
    LETTER = "信函"
    EMAIL = "电子邮件"
    FAX = "传真"
    MEETING = "座谈会、听证会"
    OTHER = "其他"


class CommentFilter(StrEnum):
    """Which comments the drafting office's page lists."""

    PENDING = "pending"
    UNGROUPED = "ungrouped"
    PUBLISHED = "published"
    RECORDED = "recorded"
    INVALID = "invalid"
    ALL = "all"


COMMENT_FILTER_LABELS = {
    CommentFilter.PENDING: "待审核",
    CommentFilter.UNGROUPED: "有效未归类",
    CommentFilter.PUBLISHED: "已公开",
    CommentFilter.RECORDED: "已收录",
    CommentFilter.INVALID: "无效",
    CommentFilter.ALL: "全部",
}


#: Reasons offered when a comment is not shown or not counted.
MODERATION_NOTES = (
    "含有个人信息",
    "与征求意见内容无关",
    "含有违法或不良信息",
    "重复提交",
    "广告或无实际内容",
)


def moderation_problem(status: CommentStatus, *, publishes_comments: bool,
                       public_text: str, note: str) -> str | None:
    """Why a moderation decision is refused, or None."""
    if status is CommentStatus.PENDING:
        return "请选择审核结果。"
    if status is CommentStatus.PUBLISHED:
        if not publishes_comments:
            return "本次征求意见不公开公众意见，请选择“已收录”。"
        if not public_text.strip():
            return "公开的意见内容不能为空。"
        if len(public_text) > COMMENT_MAX_CHARS:
            return f"公开的意见内容不超过{COMMENT_MAX_CHARS}字。"
    if status is CommentStatus.INVALID and not note.strip():
        return "认定为无效意见的，请选择或填写理由。"
    return None


# --- feedback (意见采纳情况) -----------------------------------------------------------------


class Decision(StrEnum):
    ADOPTED = "采纳"
    PARTLY = "部分采纳"
    NOT_ADOPTED = "未采纳"


#: Decisions that must state why (rules.md §9.1: those not adopted get a reason).
NEEDS_REASON = frozenset({Decision.PARTLY, Decision.NOT_ADOPTED})


def group_problem(summary: str, decision: str, reason: str) -> str | None:
    """Why a group of comments (意见归类) cannot be saved so, or None."""
    if not summary.strip():
        return "请概括这一类意见的内容。"
    if decision:
        try:
            chosen = Decision(decision)
        except ValueError:
            return "请选择采纳情况。"
        if chosen in NEEDS_REASON and not reason.strip():
            return f"“{chosen.value}”的意见须说明理由。"
    return None


@dataclass(frozen=True)
class GroupFacts:
    """What the feedback check needs of one group."""

    summary: str
    decision: str
    reason: str
    comments: int


@dataclass(frozen=True)
class CommentFacts:
    """What the feedback check needs of one comment."""

    serial: int
    status: CommentStatus
    grouped: bool


def feedback_problems(*, phase_now: Phase, comments: Iterable[CommentFacts],
                      groups: Sequence[GroupFacts], summary: str) -> list[str]:
    """Everything that stops the 意见采纳情况 from being published, each a sentence."""
    problems: list[str] = []
    if phase_now is Phase.FEEDBACK:
        return ["意见采纳情况已经公布。"]
    if phase_now is not Phase.CLOSED:
        problems.append("征求意见期限届满后才能公布意见采纳情况。")
    pending = [c.serial for c in comments if c.status is CommentStatus.PENDING]
    ungrouped = [c.serial for c in comments if c.status in VALID_STATUSES and not c.grouped]
    if pending:
        problems.append("还有未审核的意见：" + _serials(pending) + "。")
    if ungrouped:
        problems.append("还有未归类的有效意见：" + _serials(ungrouped) + "。")
    for position, group in enumerate(groups, start=1):
        if not group.decision:
            problems.append(f"第{position}类意见尚未确定采纳情况。")
        elif group.decision in NEEDS_REASON and not group.reason.strip():
            problems.append(f"第{position}类意见“{group.decision}”，须说明理由。")
        if group.comments == 0:
            problems.append(f"第{position}类意见没有归入任何意见，请删除或归入意见。")
    if not groups and not summary.strip():
        problems.append("未收到有效意见的，请在总体说明中写明。")
    return problems


def _serials(serials: Sequence[int]) -> str:
    shown = "、".join(f"第{serial}条" for serial in serials[:10])
    return shown + (f"等{len(serials)}条" if len(serials) > 10 else "")


@dataclass(frozen=True)
class FeedbackCounts:
    """The figures the feedback and the statistics publish."""

    received: int
    valid: int
    adopted: int
    partly: int
    not_adopted: int


def feedback_counts(comments: Iterable[tuple[CommentStatus, str]]) -> FeedbackCounts:
    """Counts of comments from (status, decision of their group or "") pairs."""
    return tally((status, decision, 1) for status, decision in comments)


def tally(rows: Iterable[tuple[CommentStatus, str, int]]) -> FeedbackCounts:
    """Counts from (status, decision of the group or "", how many) rows, as a GROUP BY gives
    them: received leaves the invalid out; adoption counts each valid comment by its group's
    decision."""
    received = valid = adopted = partly = not_adopted = 0
    for status, decision, count in rows:
        if status is CommentStatus.INVALID:
            continue
        received += count
        if status not in VALID_STATUSES:
            continue
        valid += count
        adopted += count if decision == Decision.ADOPTED else 0
        partly += count if decision == Decision.PARTLY else 0
        not_adopted += count if decision == Decision.NOT_ADOPTED else 0
    return FeedbackCounts(received, valid, adopted, partly, not_adopted)


# --- the catalog document -----------------------------------------------------------------


@dataclass(frozen=True)
class NoticeText:
    """What the catalog document of a consultation says (its Markdown is built from this)."""

    agency_name: str
    title: str
    kind: ConsultationKind
    closes_on: dt.date
    page_url: str
    draft_text: str
    explanation: str
    legal_basis: str
    how_to_comment: str
    contact: str
    shortened_reason: str = ""
    extension_note: str = ""
    feedback_summary: str = ""
    feedback_published_on: dt.date | None = None
    groups: tuple[GroupFacts, ...] = ()
    counts: FeedbackCounts | None = None
    decision_title: str = ""
    decision_url: str = ""


def document_title(title: str) -> str:
    """The catalog title of a consultation on the draft ``title``."""
    name = title.strip()
    if not name.startswith("《"):
        name = f"《{name}》"
    return f"关于{name}公开征求意见的公告"


def notice_markdown(notice: NoticeText) -> str:
    """The body of the consultation's catalog document: the 公告 with the draft, its
    explanation, the ways to comment, and — once published — the 意见采纳情况 and the final
    decision. No comment text and no commenter ever appears in it."""
    name = notice.title.strip()
    if not name.startswith("《"):
        name = f"《{name}》"
    lines = [
        f"为广泛听取社会各界意见，{notice.agency_name}起草了{name}，现向社会公开征求意见。"
        f"公众可在{notice.closes_on.year}年{notice.closes_on.month}月{notice.closes_on.day}日"
        "（含当日）前通过以下方式提出意见。",
        "",
        f"**征求意见截止日期：**{notice.closes_on:%Y-%m-%d}",
    ]
    if notice.shortened_reason.strip():
        lines += ["", f"**缩短征求意见期限的理由：**{_one_line(notice.shortened_reason)}"]
    if notice.extension_note.strip():
        lines += ["", f"**期限调整：**{_one_line(notice.extension_note)}"]
    lines += ["", "## 参与方式", "",
              f"1. 登录本网站[征求意见页面]({notice.page_url})，在线提交意见；"]
    if notice.how_to_comment.strip():
        lines.append(f"2. {_one_line(notice.how_to_comment)}")
    if notice.contact.strip():
        lines += ["", f"联系方式：{_one_line(notice.contact)}"]
    for heading, text in (("起草依据", notice.legal_basis), ("起草说明", notice.explanation),
                          ("征求意见稿", notice.draft_text)):
        if text.strip():
            lines += ["", f"## {heading}", "", text.strip()]
    if notice.feedback_published_on is not None:
        lines += ["", "## 意见采纳情况", ""]
        if notice.counts is not None:
            counts = notice.counts
            lines.append(f"征求意见期间共收到有效意见{counts.valid}条，其中采纳{counts.adopted}条、"
                         f"部分采纳{counts.partly}条、未采纳{counts.not_adopted}条。")
        if notice.feedback_summary.strip():
            lines += ["", notice.feedback_summary.strip()]
        for position, group in enumerate(notice.groups, start=1):
            reason = f"理由：{_one_line(group.reason)}" if group.reason.strip() else ""
            lines += ["", f"{position}. **{group.decision}**（{group.comments}条）："
                          f"{_one_line(group.summary)}" + (f"  \n   {reason}" if reason else "")]
        lines += ["", f"（{notice.feedback_published_on:%Y-%m-%d}公布）"]
    if notice.decision_title.strip():
        target = (f"[{notice.decision_title.strip()}]({notice.decision_url})"
                  if notice.decision_url else notice.decision_title.strip())
        lines += ["", "## 最终决定", "", f"根据征求意见情况，{notice.agency_name}已作出决定：{target}。"]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- public lists -------------------------------------------------------------------------


class ListFilter(StrEnum):
    """Which consultations a public list shows."""

    ALL = ""
    OPEN = "open"
    CLOSED = "closed"
    FEEDBACK = "feedback"


LIST_FILTER_LABELS = {
    ListFilter.ALL: "全部",
    ListFilter.OPEN: "征求意见中",
    ListFilter.CLOSED: "已截止",
    ListFilter.FEEDBACK: "已公布采纳情况",
}
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ListQuery:
    status: ListFilter = ListFilter.ALL
    agency: str = ""
    page: int = 1
    size: int = 20
    errors: tuple[tuple[str, str], ...] = ()


def parse_list_query(args: Mapping[str, str], *, default_size: int,
                     allow_size: bool = False) -> ListQuery:
    """``status``, ``agency``, ``page`` (and ``size``) of a public list; each bad value gets a
    Chinese message naming the parameter and falls back to its default."""
    errors: list[tuple[str, str]] = []
    raw_status = (args.get("status") or "").strip()
    try:
        status = ListFilter(raw_status)
    except ValueError:
        status = ListFilter.ALL
        errors.append(("status", f"状态应为 open、closed 或 feedback，收到“{raw_status[:20]}”。"))
    agency = (args.get("agency") or "").strip()
    if agency and (len(agency) > 40 or not agency.isascii()):
        errors.append(("agency", f"机关代码“{agency[:20]}”无效。"))
        agency = ""

    def number(name: str, label: str, default: int, high: int) -> int:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
            errors.append((name, f"{label}应为1至{high}之间的数字，收到“{raw[:20]}”。"))
            return default
        return int(raw)

    page = number("page", "页码", 1, MAX_PAGE)
    size = number("size", "每页条数", default_size, MAX_PAGE_SIZE) if allow_size else default_size
    return ListQuery(status, agency, page, size, tuple(errors))
