"""The standard catalog's vocabulary and rules, without storage (rules.md §10.1).

国办发〔2019〕54号 asks each county and township to publish, for the 26 pilot domains of
国办发〔2017〕42号, a catalog whose rows name 公开事项, 公开内容, 公开依据, 公开时限, 公开主体,
公开渠道和载体, 公开对象 and 公开方式. The list of domains is common practice (confirm): it is
data here, and an agency may only use the domains below.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Domain:
    """A pilot domain (试点领域) of the standard catalog, with the slug of its public URL."""

    slug: str
    name: str


#: The 26 pilot domains (国办发〔2017〕42号; rules.md §10.1, confirm the list).
DOMAINS: tuple[Domain, ...] = (
    Domain("urban-rural-planning", "城乡规划"),
    Domain("major-projects", "重大建设项目"),
    Domain("public-resource-trading", "公共资源交易"),
    Domain("budgets", "财政预决算"),
    Domain("work-safety", "安全生产"),
    Domain("taxation", "税收管理"),
    Domain("land-compensation", "征地补偿"),
    Domain("housing-expropriation", "国有土地上房屋征收与补偿"),
    Domain("environment", "环境保护"),
    Domain("public-culture", "公共文化服务"),
    Domain("legal-services", "公共法律服务"),
    Domain("poverty-relief", "扶贫"),
    Domain("disaster-relief", "救灾"),
    Domain("social-assistance", "社会救助"),
    Domain("elderly-care", "养老服务"),
    Domain("household-registration", "户籍管理"),
    Domain("farm-subsidies", "涉农补贴"),
    Domain("compulsory-education", "义务教育"),
    Domain("health", "医疗卫生"),
    Domain("municipal-services", "市政服务"),
    Domain("rural-housing", "农村危房改造"),
    Domain("food-drug", "食品药品监管"),
    Domain("urban-enforcement", "城市综合执法"),
    Domain("employment", "就业"),
    Domain("social-insurance", "社会保险"),
    Domain("affordable-housing", "保障性住房"),
)
DOMAINS_BY_SLUG = {domain.slug: domain for domain in DOMAINS}
DOMAINS_BY_NAME = {domain.name: domain for domain in DOMAINS}


class Audience(StrEnum):
    """公开对象."""

    EVERYONE = "全社会"
    SPECIFIC = "特定群众"


class Mode(StrEnum):
    """公开方式."""

    PROACTIVE = "主动"
    ON_REQUEST = "依申请"


#: The columns of a published catalog, in the order portals print them (and the XLSX
#: template's header): (field, heading).
FIELDS: tuple[tuple[str, str], ...] = (
    ("item", "公开事项（一级事项）"),
    ("sub_item", "二级事项"),
    ("content", "公开内容（要素）"),
    ("basis", "公开依据"),
    ("time_limit", "公开时限"),
    ("subject", "公开主体"),
    ("channels", "公开渠道和载体"),
    ("audience", "公开对象"),
    ("mode", "公开方式"),
)
FIELD_LABELS = dict(FIELDS)
#: Longest text each field takes (the columns' sizes).
FIELD_LIMITS = {"item": 200, "sub_item": 200, "content": 2000, "basis": 2000,
                "time_limit": 200, "subject": 200, "channels": 300, "audience": 20,
                "mode": 20}


@dataclass(frozen=True)
class RowData:
    """One row of the catalog as staff type or import it."""

    domain: str
    item: str
    sub_item: str
    content: str
    basis: str
    time_limit: str
    subject: str
    channels: str
    audience: str = Audience.EVERYONE.value
    mode: str = Mode.PROACTIVE.value


def check_row(row: RowData) -> dict[str, str]:
    """The problems of a row, by field (empty when it is fine)."""
    problems: dict[str, str] = {}
    if row.domain not in DOMAINS_BY_SLUG:
        problems["domain"] = "请从 26 个试点领域中选择。"
    for name in ("item", "content", "time_limit", "subject", "channels"):
        if not getattr(row, name).strip():
            problems[name] = f"请填写{FIELD_LABELS[name]}。"
    for name, limit in FIELD_LIMITS.items():
        if len(getattr(row, name)) > limit:
            problems[name] = f"{FIELD_LABELS[name]}不能超过 {limit} 字。"
    if row.audience not in {item.value for item in Audience}:
        problems["audience"] = "公开对象应为“全社会”或“特定群众”。"
    if row.mode not in {item.value for item in Mode}:
        problems["mode"] = "公开方式应为“主动”或“依申请”。"
    return problems


# --- 公开时限 ------------------------------------------------------------------------------

class LimitKind(StrEnum):
    #: "信息形成（变更）之日起20个工作日内": counted from when the information arises.
    AFTER_FORMATION = "after_formation"
    #: "每季度" / "每年": one disclosure per period.
    PERIODIC = "periodic"
    #: "实时" / "长期公开" / "常态": kept up to date, no deadline to miss.
    ONGOING = "ongoing"


@dataclass(frozen=True)
class TimeLimit:
    """What a 公开时限 text means for the overdue warning."""

    kind: LimitKind
    #: AFTER_FORMATION: this many days; PERIODIC: the period in months.
    amount: int = 0
    #: AFTER_FORMATION: whether ``amount`` counts working days.
    workdays: bool = True


_AFTER = re.compile(r"(\d+)\s*个?(工作日|日|天)")
_CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "五": 5, "七": 7, "十": 10,
                    "十五": 15, "二十": 20, "三十": 30}
_AFTER_CHINESE = re.compile(r"(二十|三十|十五|十|一|二|两|三|五|七)个?(工作日|日|天)")
_PERIODS = (("每月", 1), ("按月", 1), ("每季度", 3), ("按季度", 3), ("季度", 3),
            ("每半年", 6), ("半年", 6), ("每年", 12), ("年度", 12), ("按年", 12))


def parse_time_limit(text: str) -> TimeLimit:
    """Read a 公开时限 as catalogs write it. A period wins over a day count (“每年3月31日前”
    is yearly); text that names neither is ONGOING, never overdue."""
    compact = text.replace(" ", "")
    for word, months in _PERIODS:
        if word in compact:
            return TimeLimit(LimitKind.PERIODIC, months)
    match = _AFTER.search(compact)
    if match is not None:
        return TimeLimit(LimitKind.AFTER_FORMATION, int(match[1]), match[2] == "工作日")
    match = _AFTER_CHINESE.search(compact)
    if match is not None:
        return TimeLimit(LimitKind.AFTER_FORMATION, _CHINESE_NUMBERS[match[1]],
                         match[2] == "工作日")
    return TimeLimit(LimitKind.ONGOING)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RowStatus:
    """Where a row stands: when it was last fulfilled and by when it must be next."""

    last_fulfilled: dt.date | None
    due_on: dt.date | None
    overdue: bool


def row_status(limit: TimeLimit, *, fulfilled: Iterable[dt.date], listed_on: dt.date,
               formed_on: dt.date | None, today: dt.date,
               add_workdays: Callable[[dt.date, int], dt.date]) -> RowStatus:
    """The status of a row from the publication dates of its documents.

    - AFTER_FORMATION: staff record when new information arose (``formed_on``); it is due
      ``amount`` (working) days later and fulfilled by a document published on or after it.
    - PERIODIC: due one period after the last fulfilment, or after the row was listed.
    - ONGOING: never due.
    """
    dates = sorted(fulfilled)
    last = dates[-1] if dates else None
    due: dt.date | None = None
    overdue = False
    if limit.kind is LimitKind.AFTER_FORMATION and formed_on is not None:
        due = (add_workdays(formed_on, limit.amount) if limit.workdays
               else formed_on + dt.timedelta(days=limit.amount))
        met = any(day >= formed_on for day in dates)
        overdue = not met and today > due
        if met:
            due = None
    elif limit.kind is LimitKind.PERIODIC:
        due = add_months(last or listed_on, limit.amount)
        overdue = today > due
    return RowStatus(last, due, overdue)


# --- XLSX import ---------------------------------------------------------------------------

#: Header words that identify each field in an imported sheet (portals word them variously).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "domain": ("试点领域", "领域"),
    "item": ("一级事项", "公开事项"),
    "sub_item": ("二级事项",),
    "content": ("公开内容",),
    "basis": ("公开依据",),
    "time_limit": ("公开时限",),
    "subject": ("公开主体",),
    "channels": ("公开渠道", "公开载体"),
    "audience": ("公开对象",),
    "mode": ("公开方式",),
}


def match_header(cells: Sequence[str]) -> dict[str, int] | None:
    """Column index of each field in a header row, or None when this is not the header.
    "公开事项" heading a merged 一级/二级 block counts for ``item``."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = cell.replace(" ", "").replace("\n", "")
        for name, words in HEADER_WORDS.items():
            if name not in found and any(word in text for word in words):
                if name == "item" and "二级" in text:
                    continue
                found[name] = index
                break
    required = {"item", "content", "time_limit", "subject"}
    return found if required <= set(found) else None


def _normalise_audience(text: str) -> str:
    if "特定" in text:
        return Audience.SPECIFIC.value
    return Audience.EVERYONE.value if "社会" in text or not text else text


def _normalise_mode(text: str) -> str:
    if "依申请" in text and "主动" not in text:
        return Mode.ON_REQUEST.value
    return Mode.PROACTIVE.value if "主动" in text or not text else text


@dataclass(frozen=True)
class ImportedRow:
    line: int
    data: RowData
    problems: dict[str, str]


def read_rows(grid: Sequence[Sequence[str]], default_domain: str | None) -> list[ImportedRow]:
    """The catalog rows of a sheet: the header is found, 一级事项 cells merged down (blank
    below their first row) are carried, and each row's domain is its own column or
    ``default_domain`` (a sheet per domain). Raises ValueError when there is no header."""
    header_at = next((index for index, row in enumerate(grid) if match_header(row)), None)
    if header_at is None:
        raise ValueError("未找到表头：表格应有“公开事项”“公开内容”“公开时限”“公开主体”等列。")
    columns = match_header(grid[header_at])
    assert columns is not None
    rows: list[ImportedRow] = []
    carried = {"item": "", "domain": ""}
    for offset, cells in enumerate(grid[header_at + 1:], start=header_at + 2):
        def cell(name: str, cells: Sequence[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        if not any(value.strip() for value in cells):
            continue
        if cell("content") == "" and cell("time_limit") == "" and cell("subject") == "":
            continue  # a title or sub-heading row inside the table
        for name in carried:
            value = cell(name)
            if value:
                carried[name] = value
        domain_name = carried["domain"]
        domain = DOMAINS_BY_NAME.get(domain_name)
        slug = domain.slug if domain else (default_domain or domain_name)
        data = RowData(domain=slug, item=carried["item"], sub_item=cell("sub_item"),
                       content=cell("content"), basis=cell("basis"),
                       time_limit=cell("time_limit"), subject=cell("subject"),
                       channels=cell("channels"),
                       audience=_normalise_audience(cell("audience")),
                       mode=_normalise_mode(cell("mode")))
        rows.append(ImportedRow(offset, data, check_row(data)))
    return rows


def domain_for_sheet(title: str) -> str | None:
    """The domain a sheet is about when its title names one (one sheet per domain)."""
    for domain in DOMAINS:
        if domain.name in title:
            return domain.slug
    return None
