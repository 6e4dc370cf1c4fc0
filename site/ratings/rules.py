"""好差评 (rules.md §8.4; 国办发〔2019〕51号, details from provincial implementations: confirm):
the five levels, the indicators rated, what makes a 差评, the follow-up a 差评 opens
(回访 and 整改 within a number of working days) and the public figures — honest when there are
few ratings. Plain Python; no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from opengov.site.workdays.rules import DueDate, WorkingCalendar


class Level(IntEnum):
    """The five levels of 好差评, best first."""

    VERY_SATISFIED = 5
    SATISFIED = 4
    BASIC = 3
    UNSATISFIED = 2
    VERY_UNSATISFIED = 1

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def is_bad(self) -> bool:
        """不满意 and 非常不满意 are 差评."""
        return self <= Level.UNSATISFIED


LEVEL_LABELS: dict[Level, str] = {
    Level.VERY_SATISFIED: "非常满意",
    Level.SATISFIED: "满意",
    Level.BASIC: "基本满意",
    Level.UNSATISFIED: "不满意",
    Level.VERY_UNSATISFIED: "非常不满意",
}


class Subject(StrEnum):
    """What is rated."""

    REQUEST = "request"  # a closed 依申请公开 request, by its applicant
    SERVICE_ITEM = "service_item"  # a 政务服务事项, by whoever used it


SUBJECT_LABELS: dict[Subject, str] = {Subject.REQUEST: "依申请公开办理",
                                      Subject.SERVICE_ITEM: "政务服务事项"}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str


OVERALL = Indicator("overall", "整体满意度")
#: The online indicators of rules.md §8.4 that fit each subject; 整体满意度 is required, the
#: others optional. (A request has no 办事指南 to be precise about.)
INDICATORS: dict[Subject, tuple[Indicator, ...]] = {
    Subject.SERVICE_ITEM: (OVERALL, Indicator("efficiency", "办事效率"),
                           Indicator("guide_accuracy", "办事指南精确度"),
                           Indicator("convenience", "办事便捷度"),
                           Indicator("platform", "平台操作性")),
    Subject.REQUEST: (OVERALL, Indicator("efficiency", "办事效率"),
                      Indicator("convenience", "办事便捷度"),
                      Indicator("platform", "平台操作性")),
}

MAX_COMMENT = 500
MAX_CONTACT = 100


@dataclass(frozen=True)
class RatingInput:
    """What a person sends: a level per indicator (None: not rated), a comment, and for a
    service item optionally how to reach them for the 回访 (never shown, erased when the
    follow-up is closed)."""

    subject: Subject
    scores: Mapping[str, int | None]
    comment: str = ""
    contact: str = ""

    @property
    def level(self) -> Level:
        """整体满意度 (checked present by :func:`check_rating`)."""
        value = self.scores.get("overall")
        if value is None:
            raise ValueError("整体满意度未选择")
        return Level(value)

    @property
    def is_bad(self) -> bool:
        return self.level.is_bad

    @property
    def other_scores(self) -> dict[str, int]:
        """The optional indicators that were rated."""
        return {key: int(value) for key, value in self.scores.items()
                if key != "overall" and value is not None}


def check_rating(rating: RatingInput) -> dict[str, str]:
    """Field → Chinese message of every rule broken (empty: the rating may be saved)."""
    problems: dict[str, str] = {}
    allowed = {indicator.key for indicator in INDICATORS[rating.subject]}
    for key, value in rating.scores.items():
        if key not in allowed:
            problems[key] = "该项不适用于本次评价。"
        elif value is not None and value not in {level.value for level in Level}:
            problems[key] = "请选择五个等级之一。"
    if rating.scores.get("overall") is None:
        problems["overall"] = "请选择整体满意度。"
    comment = rating.comment.strip()
    if len(comment) > MAX_COMMENT:
        problems["comment"] = f"意见不能超过{MAX_COMMENT}个字。"
    elif "overall" not in problems and rating.is_bad and len(comment) < 5:
        problems["comment"] = "给出“不满意”或“非常不满意”时，请写明不满意的原因（至少5个字），以便回访和整改。"
    if len(rating.contact.strip()) > MAX_CONTACT:
        problems["contact"] = f"联系方式不能超过{MAX_CONTACT}个字。"
    if rating.contact.strip() and rating.subject is Subject.REQUEST:
        problems["contact"] = "依申请公开的回访使用申请时留下的联系方式。"
    return problems


# --- the follow-up of a 差评 ----------------------------------------------------------------


class FollowUpStage(StrEnum):
    CALLBACK = "待回访"
    RECTIFICATION = "待整改"
    CLOSED = "已办结"


class Verdict(StrEnum):
    """核实情况 of a 差评 after the 回访."""

    TRUE = "属实"
    PARTLY_TRUE = "部分属实"
    UNFOUNDED = "不属实"


CALLBACK_METHODS: tuple[str, ...] = ("电话", "短信", "电子邮件", "上门", "信函",
                                     "未留联系方式，无法回访")


def follow_up_due(calendar: WorkingCalendar, rated_on: dt.date, days: int) -> DueDate:
    """The last day for the 回访 and 整改 of a 差评 given on ``rated_on``: ``days`` working
    days counted from the next day (rules.md §8.4: 15 in Sichuan's rule; a setting)."""
    return calendar.due(rated_on, days, "评价日期")


def stage_after(callback_done: bool, rectification_done: bool) -> FollowUpStage:
    if not callback_done:
        return FollowUpStage.CALLBACK
    return FollowUpStage.CLOSED if rectification_done else FollowUpStage.RECTIFICATION


def check_callback(on: dt.date | None, method: str, note: str, today: dt.date,
                   rated_on: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if on is None:
        problems["on"] = "请填写回访日期。"
    elif on > today:
        problems["on"] = "回访日期不能晚于今天。"
    elif on < rated_on:
        problems["on"] = "回访日期不能早于评价日期。"
    if method not in CALLBACK_METHODS:
        problems["method"] = f"回访方式应为{'、'.join(CALLBACK_METHODS)}之一。"
    if len(note.strip()) < 5:
        problems["note"] = "请记录回访情况（至少5个字）。"
    return problems


def check_rectification(verdict: str, text: str, on: dt.date | None, today: dt.date,
                        rated_on: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if verdict not in {item.value for item in Verdict}:
        problems["verdict"] = "请选择核实情况：属实、部分属实或不属实。"
    if len(text.strip()) < 10:
        problems["text"] = ("请写明整改措施和结果（至少10个字）。" if verdict != Verdict.UNFOUNDED
                            else "请写明核实经过和不属实的理由（至少10个字）。")
    if on is None:
        problems["on"] = "请填写办结日期。"
    elif on > today:
        problems["on"] = "办结日期不能晚于今天。"
    elif on < rated_on:
        problems["on"] = "办结日期不能早于评价日期。"
    return problems


def workdays_left(calendar: WorkingCalendar, today: dt.date, due: dt.date) -> int:
    """Working days from ``today`` to ``due``: 0 on the day, negative when overdue."""
    if due >= today:
        return calendar.workdays_between(today, due)
    return -calendar.workdays_between(due, today)


#: Working days before a follow-up's deadline at which staff are reminded.
REMINDER_DAYS = (5, 3, 1)
#: A deadline this many working days away or closer shows yellow.
WARNING_DAYS = 5


def deadline_colour(days_left: int | None) -> str:
    """green / yellow (within :data:`WARNING_DAYS`) / red (overdue) / none (closed)."""
    if days_left is None:
        return "none"
    if days_left < 0:
        return "red"
    return "yellow" if days_left <= WARNING_DAYS else "green"


# --- public figures --------------------------------------------------------------------------


@dataclass
class Tally:
    """Ratings of one item, agency or subject: counts per level, and of the 差评, how many
    were followed up in time. :meth:`rate` is None below ``minimum`` ratings: two ratings are
    not a 满意率, whatever they say."""

    counts: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))
    bad_closed: int = 0
    bad_closed_on_time: int = 0
    bad_overdue: int = 0

    def add(self, level: int) -> None:
        self.counts[Level(level)] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good(self) -> int:
        """非常满意, 满意 and 基本满意."""
        return sum(count for level, count in self.counts.items() if not level.is_bad)

    @property
    def bad(self) -> int:
        return self.total - self.good

    @property
    def bad_open(self) -> int:
        return self.bad - self.bad_closed

    def rate(self, minimum: int) -> float | None:
        """满意率 (share of ratings that are not 差评), or None with fewer than ``minimum``."""
        if self.total < max(minimum, 1):
            return None
        return self.good / self.total

    def share(self, level: Level) -> float:
        return self.counts[level] / self.total if self.total else 0.0


def tally(levels: Iterable[int]) -> Tally:
    result = Tally()
    for level in levels:
        result.add(level)
    return result


def percent(value: float | None) -> str:
    """A rate as people read it: 96.5%, or “—” when there is none."""
    return "—" if value is None else f"{value * 100:.1f}%"
